import Testing
import CairnTestSupport
@testable import CairnCore

struct ParamsLookupTests {
    private let document: YAMLValue = [
        "z": 1,
        "a": ["c": 2, "b": "nested"],
        "lst": [10, ["x": 1, "y": [1, 2]]],
        "n": nil,
        "s": "str",
    ]

    /// Lookups checked against DVC 3.67.1 (`dvc repro` with these keys declared).
    @Test func dottedLookupAsDVCDoesIt() {
        let cases: [(String, YAMLValue?)] = [
            ("z", 1), ("a.b", "nested"), ("a", ["c": 2, "b": "nested"]), ("lst.0", 10),
            ("lst.1", ["x": 1, "y": [1, 2]]), ("lst.-1", ["x": 1, "y": [1, 2]]), ("lst.1.y.0", 1),
            ("lst.01", ["x": 1, "y": [1, 2]]), ("lst.+1", ["x": 1, "y": [1, 2]]), ("lst. 1", ["x": 1, "y": [1, 2]]),
            ("lst.-0", 10), ("n", .null), (".a.c", 2), ("..a.c", 2),
            ("lst.2", nil), ("lst.-3", nil), ("lst.x", nil), ("s.0", nil), ("a.", nil), ("a..b", nil),
            ("missing", nil), ("z.y", nil),
        ]
        for (key, expected) in cases {
            #expect(ParamsLookup.value(at: key, in: document) == expected, "\(key)")
        }
    }

    @Test func aLiteralKeyWithADotIsNotAddressable() {
        let doc: YAMLValue = ["x.y": 1, "a.b": "literal", "a": ["b": "nested"]]
        #expect(ParamsLookup.value(at: "x.y", in: doc) == nil)
        #expect(ParamsLookup.value(at: "a.b", in: doc) == "nested")
    }

    @Test func lockValuesSortDeclaredKeysAndKeepSubtreeOrder() throws {
        let doc: YAMLValue = [
            "z": 1, "a": ["c": 2, "b": "nested"], "zz": ["q": 1, "b": 2, "a": 3], "Ü": "u", "B": "upper",
        ]
        let dep = ParamsDependency(file: "params.yaml", keys: ["a.c", "zz", "z", "Ü", "B", "a.b", "z"])
        let values = try ParamsLookup.lockValues(for: dep, in: doc)
        // Python sorts by code point: upper case before lower case, non-ASCII last.
        #expect(values.keys == ["B", "a.b", "a.c", "z", "zz", "Ü"])
        #expect(values["zz"]?.mappingValue?.keys == ["q", "b", "a"])
    }

    @Test func lockValuesOfAWholeFileSortTopLevelKeysOnly() throws {
        let doc: YAMLValue = ["z": 1, "b": ["y": 1, "a": 2], "a": [3, 1]]
        let values = try ParamsLookup.lockValues(for: ParamsDependency(file: "params.yaml", keys: nil), in: doc)
        #expect(values.keys == ["a", "b", "z"])
        #expect(values["b"]?.mappingValue?.keys == ["y", "a"])
        #expect(values["a"] == [3, 1])
    }

    @Test func aWholeFileThatIsNotAMappingIsAnError() throws {
        #expect(throws: FormatError.self) {
            try ParamsLookup.lockValues(for: ParamsDependency(file: "l.yaml", keys: nil), in: [1])
        }
        #expect(try ParamsLookup.lockValues(for: ParamsDependency(file: "l.yaml", keys: ["0"]), in: [1]) == ["0": 1])
    }

    @Test func wholeFileNumericKeysSortNumerically() throws {
        let doc = try ParamsDocument.parse(Array("10: a\n9: b\n1.5: c\n".utf8), path: "params.yaml")
        let values = try ParamsLookup.lockValues(for: ParamsDependency(file: "params.yaml", keys: nil), in: doc)
        #expect(values.keys == [.float(1.5), .int(9), .int(10)])
    }

    @Test func missingKeysAreAnErrorNamingFileAndKeys() {
        let dep = ParamsDependency(file: "sub/params.yaml", keys: ["nothere", "z", "a.zz"])
        do {
            _ = try ParamsLookup.lockValues(for: dep, in: document)
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "sub/params.yaml")
            #expect(error.message == "Parameters 'a.zz, nothere' are missing from 'sub/params.yaml'.")
        }
    }

    /// The lock sections of fixture 03-pipeline, rebuilt from its params files and dvc.yaml declarations.
    @Test func reproducesThePipelineFixtureLock() throws {
        let lock = try PipelineLock.parse(try Fixtures.text("03-pipeline/workspace/dvc.lock"), path: "dvc.lock")
        let yaml = try ParamsDocument.parse(try Fixtures.bytes("03-pipeline/workspace/params.yaml"), path: "params.yaml")
        let json = try ParamsDocument.parse(try Fixtures.bytes("03-pipeline/workspace/params2.json"),
                                            path: "params2.json")
        let prep = try ParamsLookup.lockValues(for: ParamsDependency(file: "params.yaml", keys: ["train.epochs"]),
                                               in: yaml)
        #expect(lock[stage: "prep"]?.params(of: "params.yaml") == prep)
        let train = try ParamsLookup.lockValues(
            for: ParamsDependency(file: "params.yaml", keys: ["lr", "seed", "train.layers"]), in: yaml)
        #expect(lock[stage: "train"]?.params(of: "params.yaml") == train)
        let train2 = try ParamsLookup.lockValues(
            for: ParamsDependency(file: "params2.json", keys: ["alpha", "beta.gamma"]), in: json)
        #expect(lock[stage: "train"]?.params(of: "params2.json") == train2)
        let evaluate = try ParamsLookup.lockValues(for: ParamsDependency(file: "params2.json", keys: nil), in: json)
        #expect(lock[stage: "evaluate"]?.params(of: "params2.json") == evaluate)
        #expect(lock[stage: "train"]?.params.map(\.file)
                == ParamsLookup.sortedFiles(["params2.json", "params.yaml"]))
    }

    @Test func reproducesTheTemplatingFixtureLock() throws {
        let lock = try PipelineLock.parse(try Fixtures.text("04-templating/dvc.lock"), path: "dvc.lock")
        let yaml = try ParamsDocument.parse(try Fixtures.bytes("04-templating/params.yaml"), path: "params.yaml")
        let dictcmd = try ParamsLookup.lockValues(for: ParamsDependency(file: "params.yaml", keys: ["model.opts"]),
                                                  in: yaml)
        #expect(lock[stage: "dictcmd"]?.params(of: "params.yaml") == dictcmd)
    }

    @Test func sortedFilesPutParamsYAMLFirst() {
        #expect(ParamsLookup.sortedFiles(["z.json", "params.yaml", "B.toml", "a.yaml", "sub/params.yaml"])
                == ["params.yaml", "B.toml", "a.yaml", "sub/params.yaml", "z.json"])
        #expect(ParamsLookup.sortedFiles([]) == [])
    }

    private func changes(_ dep: ParamsDependency, _ current: YAMLValue?, _ locked: YAMLMapping?) -> [String] {
        ParamsLookup.changes(declared: dep, current: current, locked: locked).map { "\($0.key)=\($0.change.rawValue)" }
    }

    /// Status of declared keys, checked against `dvc status` of DVC 3.67.1.
    @Test func changesOfDeclaredKeys() {
        let dep = ParamsDependency(file: "params.yaml", keys: ["b.y", "z", "a", "c"])
        let locked: YAMLMapping = ["a": [3, 1], "b.y": 1, "z": 1, "old": 5]
        let current: YAMLValue = ["z": 1.0, "b": ["y": true, "a": 2], "c": 5]
        #expect(changes(dep, current, locked) == ["a=deleted", "c=new"])
        #expect(changes(dep, ["z": 2, "b": ["y": 1], "a": [3, 1], "c": 0], locked) == ["z=modified", "c=new"])
        #expect(changes(dep, ["z": 1, "b": ["y": 1], "a": [1, 3]], locked) == ["a=modified", "c=deleted"])
        #expect(changes(dep, nil, locked) == ["=deleted"])
        #expect(changes(dep, current, nil) == ["=new"])
    }

    /// Whole-file tracking: the file's keys in file order, then keys only in the lock (DVC's status order).
    @Test func changesOfAWholeFile() {
        let dep = ParamsDependency(file: "params.yaml", keys: nil)
        let locked: YAMLMapping = ["a": [3, 1], "b": ["y": 1, "a": 2], "z": 1]
        #expect(changes(dep, ["z": 1.0, "b": ["a": 2, "y": true], "c": 5], locked) == ["c=new", "a=deleted"])
        #expect(changes(dep, ["a": [3, 1], "b": ["y": 1, "a": 2], "z": 1], locked) == [])
        #expect(changes(dep, ["z": 1, "b": ["y": 1, "a": 3], "a": [3, 1]], locked) == ["b=modified"])
    }

    @Test func nanIsAlwaysModified() {
        let dep = ParamsDependency(file: "p.toml", keys: ["n"])
        #expect(changes(dep, ["n": .float(.nan)], ["n": .float(.nan)]) == ["n=modified"])
    }
}

struct ParamsTOMLLockTests {
    /// A TOML params file's lock section, rendered, equals the bytes DVC 3.67.1 wrote for the same stage
    /// (`params: [p.toml: [owner, i, n, f, h, arr.0.k]]`).
    @Test func tomlLockSectionMatchesDVC() throws {
        let toml = """
            title = "t"
            f = 1e10
            n = nan
            i = inf
            h = 0xff
            [owner]
            name = "x"
            z = 1
            a = 2
            [[arr]]
            k = 1
            [[arr]]
            k = 2
            """
        let document = try ParamsDocument.parse(Array(toml.utf8), path: "p.toml")
        let dep = ParamsDependency(file: "p.toml", keys: ["owner", "i", "n", "f", "h", "arr.0.k"])
        let values = try ParamsLookup.lockValues(for: dep, in: document)
        let rendered = DVCYAMLWriter.render(["p.toml": .mapping(values)])
        #expect(rendered == """
            p.toml:
              arr.0.k: 1
              f: 10000000000.0
              h: 255
              i: .inf
              n: .nan
              owner:
                name: x
                z: 1
                a: 2

            """)
    }
}
