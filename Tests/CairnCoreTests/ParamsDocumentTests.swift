import Testing
import CairnTestSupport
@testable import CairnCore

struct ParamsDocumentTests {
    @Test func picksTheFormatByExtension() throws {
        #expect(try ParamsDocument.parse(Array("{\"b\": 1, \"a\": {\"y\": 2, \"x\": 1.5}}".utf8), path: "p.json")
                == ["b": 1, "a": ["y": 2, "x": 1.5]])
        #expect(try ParamsDocument.parse(Array("b = 1\n[a]\ny = 2\n".utf8), path: "cfg/p.toml")
                == ["b": 1, "a": ["y": 2]])
        #expect(try ParamsDocument.parse(Array("b: 1\na: {y: 2}\n".utf8), path: "params.yaml")
                == ["b": 1, "a": ["y": 2]])
        #expect(try ParamsDocument.parse(Array("b: 1\n".utf8), path: "vars.yml") == ["b": 1])
        #expect(try ParamsDocument.parse(Array("b: 1\n".utf8), path: "params") == ["b": 1])
    }

    @Test func emptyFilesAreEmptyMappings() throws {
        for path in ["params.yaml", "p.toml"] {
            #expect(try ParamsDocument.parse([], path: path) == .mapping(YAMLMapping()), "\(path)")
        }
        #expect(try ParamsDocument.parse(Array("# nothing\n".utf8), path: "params.yaml") == .mapping(YAMLMapping()))
        // DVC: "JSON file structure is corrupted: Expecting value: line 1 column 1".
        #expect(throws: FormatError.self) { try ParamsDocument.parse([], path: "p.json") }
    }

    @Test func pythonFilesAreRefused() {
        #expect(throws: FormatError.self) { try ParamsDocument.parse(Array("x = 1\n".utf8), path: "params.py") }
        do {
            _ = try ParamsDocument.parse([], path: "src/params.py")
        } catch {
            #expect(error.path == "src/params.py")
            #expect(error.message.contains("not supported"))
        }
    }

    @Test func errorsNameTheFileWithPosition() {
        do {
            _ = try ParamsDocument.parse(Array("{\"a\": 1,\n \"b\" 2}".utf8), path: "p.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "p.json")
            #expect(error.line == 2)
        }
        do {
            _ = try ParamsDocument.parse(Array("a = 1\nb = ?\n".utf8), path: "p.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "p.toml")
            #expect(error.line == 2 && error.column == 5)
        }
        do {
            _ = try ParamsDocument.parse(Array("a: [1\nb: 2\n".utf8), path: "params.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "params.yaml")
            #expect(error.line != nil)
        }
    }

    @Test func readsThePipelineFixtureParams() throws {
        let yaml = try ParamsDocument.parse(try Fixtures.bytes("03-pipeline/workspace/params.yaml"), path: "params.yaml")
        #expect(yaml.mappingValue?.keys == ["seed", "lr", "train", "splits", "unused"])
        let json = try ParamsDocument.parse(try Fixtures.bytes("03-pipeline/workspace/params2.json"),
                                            path: "params2.json")
        #expect(json == ["alpha": 0.5, "beta": ["gamma": "g"]])
    }
}

struct ParamsJSONQuirksTests {
    /// Python's `json.load`: a repeated key keeps its first position and takes the last value; NaN and Infinity
    /// are read (checked with DVC 3.67.1's Python).
    @Test func jsonReadsAsPythonDoes() throws {
        let doc = try ParamsDocument.parse(Array(#"{"a": 1, "b": 2, "a": 3}"#.utf8), path: "p.json")
        #expect(PythonJSON.dumps(doc.jsonValue) == #"{"a": 3, "b": 2}"#)
        let special = try ParamsDocument.parse(Array(#"{"n": NaN, "i": Infinity, "m": -Infinity, "e": 1E2}"#.utf8),
                                               path: "p.json")
        #expect(PythonJSON.dumps(special.jsonValue) == #"{"n": NaN, "i": Infinity, "m": -Infinity, "e": 100.0}"#)
    }
}
