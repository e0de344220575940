import Testing
@testable import CairnCore

struct InterpolationTests {
    static let params = """
        f: 0.1
        big: 1.0e+20
        small: 0.00001
        n: null
        t: true
        s: "a b"
        q: "it's"
        lst: [1, "x y", true]
        d:
          a: 1
          b: {c: false, e: "q r"}
          l: [1, 2]
          z: null
          f: 2.5
        neg: -3
        flags: {on: true, off: false, list: [a, "b c"], name: "x"}
        """

    static func cmd(_ template: String, options: InterpolationOptions = .init()) throws -> StageCommand? {
        let text = "stages:\n  s:\n    cmd: '\(template.replacingAll("'", with: "''"))'\n"
        let file = try PipelineFile.parse(text, path: "dvc.yaml", sources: MemorySources(files: ["params.yaml": params]),
                                          options: options)
        return file.stages.first?.cmd
    }

    // Expected values checked against DVC 3.67.1.
    @Test(arguments: [
        ("echo ${f} ${big} ${small} ${n} ${t} ${s} ${neg}", "echo 0.1 1e+20 1e-05 None true a b -3"),
        ("${lst[1]} ${lst.-1} ${ d.a } ${lst.0}", "x y true 1 1"),
        ("run ${d}", "run --a 1 --b.e 'q r' --l 1 2 --z None --f 2.5"),
        ("x ${d.b}", "x --e 'q r'"),
        ("echo $${f} \\${f} ${f}}", "echo $0.1 ${f} 0.1}"),
        ("no vars here", "no vars here"),
        ("${q}", "it's"),
        ("a ${flags} b", "a --on --list a 'b c' --name x b"),
        ("${d.b.e}", "q r"),
    ])
    func splices(template: String, expected: String) throws {
        #expect(try Self.cmd(template) == .string(expected))
    }

    @Test func flagStylesFollowParsingOptions() throws {
        let options = InterpolationOptions(bool: .booleanOptional, list: .append)
        #expect(try Self.cmd("a ${flags}", options: options) == .string("a --on --no-off --list a --list 'b c' --name x"))
    }

    @Test func shellQuotesLikePython() {
        #expect(Interpolator.shellQuote("") == "''")
        #expect(Interpolator.shellQuote("a-b_c.d/e:f,g=h+i%j@k") == "a-b_c.d/e:f,g=h+i%j@k")
        #expect(Interpolator.shellQuote("it's") == "'it'\"'\"'s'")
        #expect(Interpolator.shellQuote("a b") == "'a b'")
    }

    @Test func wholeValueKeepsItsType() throws {
        let text = """
            stages:
              s:
                foreach: ${lst}
                do:
                  cmd: echo ${item}
              m:
                matrix:
                  x: ${d.l}
                  y: [a]
                cmd: echo ${item.x}${item.y} ${key}
            """
        let file = try PipelineFile.parse(text, path: "dvc.yaml", sources: MemorySources(files: ["params.yaml": Self.params]))
        #expect(file.stages.map(\.name) == ["s@1", "s@x y", "s@true", "m@1-a", "m@2-a"])
        #expect(file.stages.map(\.cmd) == [.string("echo 1"), .string("echo x y"), .string("echo true"),
                                           .string("echo 1a 1-a"), .string("echo 2a 2-a")])
    }

    @Test func foreachKeysFollowDVC() throws {
        let text = """
            stages:
              a:
                foreach: [0.1, null, 1.0e+20, -3]
                do:
                  cmd: echo ${item}
              b:
                foreach: {1: x, 2.5: y}
                do:
                  cmd: echo ${key} ${item}
              c:
                foreach: [[1], 2]
                do:
                  cmd: echo c
            """
        let file = try PipelineFile.parse(text, path: "dvc.yaml", sources: MemorySources(files: [:]))
        #expect(file.stages.map(\.name) == ["a@0.1", "a@None", "a@1e+20", "a@-3", "b@1", "b@2.5", "c@0", "c@1"])
        #expect(file.stages[1].cmd == .string("echo None"))
        #expect(file.stages[4].cmd == .string("echo 1 x"))
    }

    @Test func stageVarsExtendTheContextForThatStageOnly() throws {
        let text = """
            vars:
              - other.yaml:g
              - {h: 1}
            stages:
              a:
                vars:
                  - {k: 5}
                  - sub.yaml
                wdir: w
                cmd: echo ${k} ${g} ${h} ${deep}
              b:
                cmd: echo ${k}
            """
        let sources = MemorySources(files: ["other.yaml": "g: 2\nunused: 3\n", "w/sub.yaml": "deep: x\n"])
        #expect(throws: FormatError.self) { _ = try PipelineFile.parse(text, path: "dvc.yaml", sources: sources) }
        let file = try PipelineFile.parse((text + "\n").replacingAll("echo ${k}\n", with: "echo ${h}\n"), path: "dvc.yaml",
                                          sources: sources)
        #expect(file.stages[0].cmd == .string("echo 5 2 1 x"))
        #expect(file.stages[0].wdir == "w")
        #expect(file.contextFiles == ["other.yaml"])
    }
}

struct InterpolationReservedKeysTests {
    @Test func itemAndKeyShadowTheContextButStageVarsCannotRedefineThem() throws {
        let text = """
            stages:
              a:
                foreach: {x: 1}
                do:
                  cmd: echo ${key} ${item}
            """
        let file = try PipelineFile.parse(text, path: "dvc.yaml",
                                          sources: MemorySources(files: ["params.yaml": "item: 0\nkey: k\n"]))
        #expect(file.stages[0].cmd == .string("echo x 1"))
        let redefined = text.replacingAll("    do:\n", with: "    do:\n      vars:\n        - {item: 2}\n")
        #expect(throws: FormatError.self) {
            _ = try PipelineFile.parse(redefined, path: "dvc.yaml", sources: MemorySources(files: [:]))
        }
    }
}
