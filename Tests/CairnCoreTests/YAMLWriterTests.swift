import Foundation
import Testing
import CairnTestSupport
@testable import CairnCore

struct YAMLWriterTests {
    /// How a string is written as the value of `k:` (without the key and newline).
    func written(_ text: String) -> String {
        let line = DVCYAMLWriter.render(["k": .string(text)])
        return String(line.dropFirst(3).dropLast())
    }

    // FORMATS.md §3.3 — every example of the quoting rules.

    @Test(arguments: [
        "", "null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE",
        "123", "0", "-0", "00", "0x1F", "0o17", "0b1", "1_000", "+1", "-1",
        "1.5", "1.", ".5", "1e3", "1E3", "1e-3", ".inf", "+.inf", ".nan", ".NaN",
        "2024-01-01", "2024-01-01T00:00:00", "=", "<<",
        "#x", "- x", "-", "?", "%x", "@x", "`x", "&x", "*x", "!x", "|x", ">x", "[x", "]", "{x", ",x", ": x",
        "a: b", "a #b", "x:", " sp", "x ", "---", "...",
    ])
    func singleQuoted(_ text: String) {
        #expect(written(text) == "'\(text)'")
    }

    @Test func doubleQuoted() {
        #expect(written("a\nb") == "\"a\\nb\"")
        #expect(written("\t") == "\"\\t\"")
        #expect(written("\u{07}") == "\"\\a\"")
        #expect(written("\u{FEFF}x") == "\"\\uFEFFx\"")
        #expect(written("x\u{7F}y") == "\"x\\x7Fy\"")
        #expect(written("\0") == "\"\\0\"")
        #expect(written("'x") == "\"'x\"")
        #expect(written("'") == "\"'\"")
        #expect(written("echo first > block.txt\necho second >> block.txt\n")
                == "\"echo first > block.txt\\necho second >> block.txt\\n\"")
    }

    @Test(arguments: [
        "yes", "no", "on", "off", "Yes", "tRUE", "nULL", "NaN", "e3", "12:30", "1:2:3", "2024-1-1", "-x", "--x",
        "~x", "x~", "a,b", "x,", "a:b", "x#y", "a#", "it's", "x'", "==", "x\\y", "http://x", "a  b", "1.2.3",
        "data/file.csv", "ü.txt", "é😀", "sp ace", "q?",
    ])
    func plain(_ text: String) {
        #expect(written(text) == text)
    }

    @Test func scalarsOfOtherTypes() {
        let value: YAMLValue = [
            "n": nil, "t": true, "f": false, "i": -5, "big": 1_000_000_000_000,
            "a": 1e20, "b": 1e-7, "c": .float(.infinity), "d": .float(-.infinity), "e": .float(.nan), "z": -0.0,
            "g": 1.2345678901234568e+17, "h": 0.1, "j": 1.0, "k": 1e15, "l": 1e16,
        ]
        #expect(DVCYAMLWriter.render(value) == """
            n:
            t: true
            f: false
            i: -5
            big: 1000000000000
            a: 1e+20
            b: 1e-07
            c: .inf
            d: -.inf
            e: .nan
            z: -0.0
            g: 1.2345678901234568e+17
            h: 0.1
            j: 1.0
            k: 1000000000000000.0
            l: 1e+16

            """)
    }

    @Test func keysFollowTheSameQuotingRules() {
        let mapping = YAMLMapping([
            (.string(""), 1), (.string("123"), ""), (.string("x y"), "a: b"), (.string("null"), nil),
            (.string("1"), true), (.int(1), 2), (.bool(false), 3), (.null, 4), (.float(1.5), 5),
        ])
        #expect(DVCYAMLWriter.render(.mapping(mapping)) == """
            '': 1
            '123': ''
            x y: 'a: b'
            'null':
            '1': true
            1: 2
            false: 3
            null: 4
            1.5: 5

            """)
    }

    @Test func blockLayout() {
        let value: YAMLValue = [
            "a": [[1, 2], [3, [4, 5]], []],
            "b": [:],
            "c": nil,
            "d": [nil, [:], [], ["x": nil]],
            "e": [["k": ["n": 1, "m": [1]], "j": [["q": 1]]]],
        ]
        #expect(DVCYAMLWriter.render(value) == """
            a:
            - - 1
              - 2
            - - 3
              - - 4
                - 5
            - []
            b: {}
            c:
            d:
            -\u{20}
            - {}
            - []
            - x:
            e:
            - k:
                n: 1
                m:
                - 1
              j:
              - q: 1

            """)
    }

    @Test func topLevelShapes() {
        #expect(DVCYAMLWriter.render([1, ["a": 1, "b": 2], [1, 2], nil, "x"]) == "- 1\n- a: 1\n  b: 2\n- - 1\n  - 2\n- \n- x\n")
        #expect(DVCYAMLWriter.render([]) == "[]\n")
        #expect(DVCYAMLWriter.render([:]) == "{}\n")
        #expect(DVCYAMLWriter.render("scalar") == "scalar\n...\n")
        #expect(DVCYAMLWriter.render("123") == "'123'\n")
        #expect(DVCYAMLWriter.render(nil) == "null\n...\n")
        #expect(DVCYAMLWriter.render([[[1]]]) == "- - - 1\n")
    }

    @Test func longKeysUseTheExplicitForm() {
        let short = String(repeating: "k", count: 122)
        let long = String(repeating: "j", count: 123)
        #expect(DVCYAMLWriter.render(.mapping(YAMLMapping(stringPairs: [(short, 1), (long, 2)])))
                == "\(short): \n  1\n? \(long)\n: 2\n")
        let nested: YAMLValue = ["x": [.mapping(YAMLMapping(stringPairs: [(String(repeating: "k", count: 130), nil)]))]]
        #expect(DVCYAMLWriter.render(nested) == "x:\n- ? \(String(repeating: "k", count: 130))\n  :\n")
        #expect(DVCYAMLWriter.render(["a\nb": ""]) == "? \"a\\nb\"\n: ''\n")
    }

    // The 07-yaml-quoting fixture: 19 real .dvc files written by DVC for awkward names.
    @Test func quotingFixtureCases() throws {
        let cases = try JSONValue.parse(try Fixtures.bytes("07-yaml-quoting/cases.json"))
        guard case .array(let items) = cases else { Issue.record("cases.json is a list"); return }
        #expect(items.count == 19)
        for item in items {
            guard case .object(let object) = item, case .string(let name)? = object["name"],
                  case .string(let content)? = object["file_content"], case .string(let expected)? = object["dvc_file"]
            else { Issue.record("malformed case"); continue }
            let entry: YAMLValue = [
                "md5": .string(ObjectID.md5(of: Array(content.utf8)).hex),
                "size": .int(content.utf8.count),
                "hash": "md5",
                "path": .string(name),
            ]
            #expect(DVCYAMLWriter.render(["outs": [entry]]) == expected, "\(name)")
        }
    }

    // FORMATS.md §3.3: the `mm…` folding observations, in dvc.lock (key indent 4).
    @Test(arguments: ["", "x", "xx", "xxx", "xxxx"])
    func plainFolding(pad: String) {
        let head = "echo \"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll"
        let tail = "nnnn oooo pppp qqqq rrrr ssss tttt uuuu vvvv wwww xxxx yyyy zzzz\""
        let rendered = DVCYAMLWriter.render(["stages": ["s": ["cmd": .string("\(head) mm\(pad) \(tail)")]]])
        let body: String
        switch pad {
        case "xxx": body = "\(head) mmxxx\n      \(tail)"
        case "xxxx": body = "\(head) \n      mmxxxx \(tail)"
        default: body = "\(head) mm\(pad) \n      \(tail)"
        }
        #expect(rendered == "stages:\n  s:\n    cmd: \(body)\n")
        let firstLine = rendered.split(separator: "\n")[2]
        let widths = ["": 78, "x": 79, "xx": 80, "xxx": 80, "xxxx": 75]
        #expect(firstLine.count == widths[pad])
    }

    @Test func specFoldingExample() {
        let cmd = "echo \"this is a very long command line that certainly exceeds eighty characters in total length\" > out.txt && echo done: yes # comment"
        #expect(DVCYAMLWriter.render(["stages": ["s": ["cmd": .string(cmd)]]]) == """
            stages:
              s:
                cmd: 'echo "this is a very long command line that certainly exceeds eighty characters
                  in total length" > out.txt && echo done: yes # comment'

            """)
    }

    @Test func quotedFolding() {
        let words = (0..<25).map { String(format: "word%02d", $0) }.joined(separator: " ")
        #expect(DVCYAMLWriter.render(["stages": ["s": ["cmd": .string("#" + words)]]]) == """
            stages:
              s:
                cmd: '#word00 word01 word02 word03 word04 word05 word06 word07 word08 word09 word10
                  word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21
                  word22 word23 word24'

            """)
        #expect(DVCYAMLWriter.render(["stages": ["s": ["cmd": .string("line one\n" + words)]]]) == """
            stages:
              s:
                cmd: "line one\\nword00 word01 word02 word03 word04 word05 word06 word07 word08
                  word09 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19
                  word20 word21 word22 word23 word24"

            """)
    }

    // Double-quoted folds (ruamel 0.19): a backslash only where the line break would not read back as a space.
    @Test func doubleQuotedFolding() {
        let words = (0..<30).map { String(format: "w%02d", $0) }.joined(separator: " ")
        #expect(DVCYAMLWriter.render(["k": .string("tab\there " + words)])
                == "k: \"tab\\there w00 w01 w02 w03 w04 w05 w06 w07 w08 w09 w10 w11 w12 w13 w14 w15 w16\n  w17 w18 w19 w20 w21 w22 w23 w24 w25 w26 w27 w28 w29\"\n")
        let spaced = "\t" + Array(repeating: "two  spaces", count: 10).joined(separator: " ")
        #expect(DVCYAMLWriter.render(["k": .string(spaced)])
                == "k: \"\\ttwo  spaces two  spaces two  spaces two  spaces two  spaces two  spaces two\\\n  \\  spaces two  spaces two  spaces two  spaces\"\n")
        let bells = String(repeating: "\u{07}", count: 100)
        let escaped = { (count: Int) in String(repeating: "\\a", count: count) }
        #expect(DVCYAMLWriter.render(["k": .string(bells)])
                == "k: \"\(escaped(39))\\\n  \(escaped(40))\\\n  \(escaped(21))\"\n")
        let long = "x\t" + String(repeating: "a", count: 85) + " tail words here"
        #expect(DVCYAMLWriter.render(["k": .string(long)])
                == "k: \"x\\t\(String(repeating: "a", count: 85))\n  tail words here\"\n")
    }

    @Test func plainFoldKeepsTheSpaceBeforeAMovedWord() {
        let text = "q\"uote " + Array(repeating: "it's", count: 20).joined(separator: " ")
        #expect(DVCYAMLWriter.render(["k": .string(text)])
                == "k: q\"uote it's it's it's it's it's it's it's it's it's it's it's it's it's it's \n  it's it's it's it's it's it's\n")
    }

    @Test func longWordMovesToItsOwnLine() {
        let name = String(repeating: "p", count: 90)
        #expect(DVCYAMLWriter.render(["outs": [["md5": "x", "path": .string(name)]]])
                == "outs:\n- md5: x\n  path: \n    \(name)\n")
    }

    @Test func writtenTextReadsBack() throws {
        let value: YAMLValue = [
            "cmd": .string("python train.py --epochs 10 --lr 0.01 --name 'quoted arg' && echo \"done\" # not a comment really"),
            "list": ["yes", "123", "", " sp", "a: b", "multi\nline", "tab\t", "ü", "#x"],
            "nested": ["deep": ["deeper": [1, 2.5, true, nil]]],
        ]
        let text = DVCYAMLWriter.render(value)
        #expect(try YAMLReader.value(of: text, path: "rt.yaml") == value)
    }

    @Test func styleQuery() {
        #expect(DVCYAMLWriter.style(of: "plain") == .plain)
        #expect(DVCYAMLWriter.style(of: "2.0") == .singleQuoted)
        #expect(DVCYAMLWriter.style(of: "a\nb") == .doubleQuoted)
        #expect(DVCYAMLWriter.style(of: "", asKey: true) == .singleQuoted)
        #expect(DVCYAMLWriter.inlineScalar("1234") == "'1234'")
        #expect(DVCYAMLWriter.inlineScalar(.int(3)) == "3")
    }
}

@Suite struct InlineValueTests {
    /// Whole params sections (a mapping) are recorded in dvc.lock; messages show them on one line.
    @Test func collectionsAreWrittenInFlowStyle() throws {
        let value = try YAMLReader.value(of: "a: {lr: 0.1, layers: [1, 2]}\nb: yes\n", path: "p.yaml")
        #expect(DVCYAMLWriter.inlineValue(value) == "{a: {lr: 0.1, layers: [1, 2]}, b: yes}")
        #expect(DVCYAMLWriter.inlineValue(.int(3)) == "3")
    }
}
