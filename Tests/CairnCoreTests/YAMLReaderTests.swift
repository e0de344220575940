import Testing
@testable import CairnCore

struct YAMLReaderTests {
    func value(_ text: String) throws -> YAMLValue {
        try YAMLReader.value(of: text, path: "t.yaml")
    }

    func scalar(_ plain: String) throws -> YAMLValue {
        try #require(try value("k: \(plain)\n").mappingValue?["k"])
    }

    @Test func nullForms() throws {
        for text in ["~", "null", "Null", "NULL", ""] {
            #expect(try scalar(text) == .null, "\(text)")
        }
        #expect(try scalar("nULL") == .string("nULL"))
        #expect(try scalar("~x") == .string("~x"))
    }

    @Test func onlyYAML12Booleans() throws {
        for text in ["true", "True", "TRUE"] { #expect(try scalar(text) == .bool(true), "\(text)") }
        for text in ["false", "False", "FALSE"] { #expect(try scalar(text) == .bool(false), "\(text)") }
        for text in ["yes", "no", "on", "off", "Yes", "NO", "y", "n", "tRUE"] {
            #expect(try scalar(text) == .string(text), "\(text) must stay a string in YAML 1.2")
        }
    }

    @Test func integers() throws {
        #expect(try scalar("123") == .int(123))
        #expect(try scalar("-0") == .int(0))
        #expect(try scalar("+1") == .int(1))
        #expect(try scalar("00") == .int(0))
        #expect(try scalar("017") == .int(17), "leading zeros are decimal in YAML 1.2")
        #expect(try scalar("0o17") == .int(15))
        #expect(try scalar("0x1F") == .int(31))
        #expect(try scalar("0b101") == .int(5))
        #expect(try scalar("1_000") == .int(1000))
        #expect(try scalar("-9223372036854775808") == .int(Int.min))
        #expect(try scalar("18446744073709551616") == .float(18446744073709551616.0), "beyond Int: nearest float")
        #expect(try scalar("1:30") == .string("1:30"), "no sexagesimal ints in YAML 1.2")
        #expect(try scalar("0x") == .string("0x"))
        #expect(try scalar("12a") == .string("12a"))
    }

    @Test func floats() throws {
        #expect(try scalar("1.5") == .float(1.5))
        #expect(try scalar("1.") == .float(1.0))
        #expect(try scalar(".5") == .float(0.5))
        #expect(try scalar("-.5") == .float(-0.5))
        #expect(try scalar("1e3") == .float(1000))
        #expect(try scalar("1E3") == .float(1000))
        #expect(try scalar("1e-3") == .float(0.001))
        #expect(try scalar("1_000.5") == .float(1000.5))
        #expect(try scalar(".inf") == .float(.infinity))
        #expect(try scalar("+.inf") == .float(.infinity))
        #expect(try scalar("-.Inf") == .float(-.infinity))
        if case .float(let nan) = try scalar(".NaN") { #expect(nan.isNaN) } else { Issue.record(".NaN is a float") }
        for text in ["e3", "NaN", "inf", ".5e3", "1.2.3", "+.nan", "1e", "0x1p3"] {
            #expect(try scalar(text) == .string(text), "\(text)")
        }
    }

    @Test func timestampsAndSpecialKeysStayStrings() throws {
        #expect(try scalar("2024-01-01") == .string("2024-01-01"))
        #expect(try scalar("2024-01-01T00:00:00") == .string("2024-01-01T00:00:00"))
        #expect(try scalar("=") == .string("="))
        #expect(YAMLScalarResolver.implicitType(of: "2024-01-01") == .timestamp)
        #expect(YAMLScalarResolver.implicitType(of: "2024-1-1 10:00:00 +02:00") == .timestamp)
        #expect(YAMLScalarResolver.implicitType(of: "2024-01-01 10:00") == .string)
        #expect(YAMLScalarResolver.implicitType(of: "2024-1-1") == .string)
        #expect(YAMLScalarResolver.implicitType(of: "<<") == .merge)
        #expect(YAMLScalarResolver.implicitType(of: "=") == .value)
    }

    @Test func quotedAndBlockScalarsAreStrings() throws {
        let parsed = try value("""
            a: '123'
            b: "true"
            c: |
              1.5
            d: >-
              null
            e: 'it''s'
            f: "tab\\there"

            """)
        let mapping = try #require(parsed.mappingValue)
        #expect(mapping["a"] == .string("123"))
        #expect(mapping["b"] == .string("true"))
        #expect(mapping["c"] == .string("1.5\n"))
        #expect(mapping["d"] == .string("null"))
        #expect(mapping["e"] == .string("it's"))
        #expect(mapping["f"] == .string("tab\there"))
    }

    @Test func explicitTags() throws {
        let mapping = try #require(try value("""
            a: !!str 12
            b: !!int "12"
            c: !!float 1
            d: !!bool yes
            e: !!null x

            """).mappingValue)
        #expect(mapping["a"] == .string("12"))
        #expect(mapping["b"] == .int(12))
        #expect(mapping["c"] == .float(1))
        #expect(mapping["d"] == .bool(true))
        #expect(mapping["e"] == .null)
        #expect(throws: FormatError.self) { try value("a: !!int 1.5\n") }
        let error = try #require(throws: FormatError.self) { try value("a: !custom 1\n") }
        #expect(error.line == 1 && error.column == 4)
        #expect(error.message.contains("!custom"))
    }

    @Test func keysKeepOrderAndTypes() throws {
        let mapping = try #require(try value("z: 1\n1: one\n'1': str\nfalse: yes\nnull: 2\na: 3\n").mappingValue)
        #expect(mapping.keys == [.string("z"), .int(1), .string("1"), .bool(false), .null, .string("a")])
        #expect(mapping["1"] == .string("str"))
        #expect(mapping[key: .int(1)] == .string("one"))
        #expect(mapping[key: .float(1.0)] == .string("one"), "Python dict: 1.0 == 1")
        let clash = try #require(throws: FormatError.self) { try value("1: a\ntrue: b\n") }
        #expect(clash.message.contains("duplicate key 'true'"), "Python dict: True == 1")
    }

    @Test func marksAndStyles() throws {
        let root = try #require(try YAMLReader.parse("outs:\n- md5: abc\n  path: 'x y'\n  list: [1, 2]\n", path: "a.dvc"))
        let item = try #require(root["outs"]?.items?.first)
        #expect(item.mark == YAMLMark(line: 2, column: 3))
        let path = try #require(item.pair(forKey: "path"))
        #expect(path.key.mark == YAMLMark(line: 3, column: 3))
        #expect(path.value.mark == YAMLMark(line: 3, column: 9))
        #expect(path.value.scalar?.style == .singleQuoted)
        #expect(path.value.value == .string("x y"))
        #expect(item["list"]?.isFlow == true)
        #expect(root["outs"]?.isFlow == false)
        #expect(item["list"]?.value == [1, 2])
    }

    @Test func emptyDocuments() throws {
        #expect(try YAMLReader.parse("", path: "e") == nil)
        #expect(try YAMLReader.parse("# only a comment\n\n", path: "e") == nil)
        #expect(try YAMLReader.value(of: "", path: "e") == .null)
    }

    @Test func syntaxErrorsCarryPosition() throws {
        let error = try #require(throws: FormatError.self) {
            try YAMLReader.parse("outs:\n- md5: abc\n  path: [unclosed\n", path: "bad.dvc")
        }
        #expect(error.path == "bad.dvc")
        #expect(error.line != nil && error.column != nil)
        #expect(error.message.hasPrefix("invalid YAML"))
        #expect(error.hint != nil)
        #expect(error.description.hasPrefix("bad.dvc:"))

        let tab = try #require(throws: FormatError.self) { try YAMLReader.parse("a: 1\n b: 2\n", path: "x.yaml") }
        #expect(tab.line == 2)
    }

    @Test func duplicateKeysAreRefused() throws {
        let error = try #require(throws: FormatError.self) { try YAMLReader.parse("a: 1\nb: 2\na: 3\n", path: "d.yaml") }
        #expect(error.message.contains("duplicate key 'a'"))
        #expect(error.line != nil)
        // Python sees 1 and 1.0 as the same key.
        let numeric = try #require(throws: FormatError.self) { try YAMLReader.parse("1: a\n1.0: b\n", path: "d.yaml") }
        #expect(numeric.line == 2 && numeric.column == 1)
    }

    @Test func nonScalarKeysAreRefused() throws {
        let error = try #require(throws: FormatError.self) { try YAMLReader.parse("? [1, 2]\n: x\n", path: "k.yaml") }
        #expect(error.line == 1)
    }

    @Test func aliasesAndMergeKeys() throws {
        let mapping = try #require(try value("""
            base: &b {x: 1, y: 2}
            m:
              z: 0
              <<: *b
              x: 5
            list: &l [a, b]
            again: *l

            """).mappingValue)
        #expect(mapping["m"] == ["x": 5, "y": 2, "z": 0], "merged keys first, own values win")
        #expect(mapping["again"] == ["a", "b"])
        #expect(throws: FormatError.self) { try value("a: *missing\n") }
    }

    @Test func pythonEquality() {
        #expect(YAMLValue.int(1).pythonEquals(.float(1.0)))
        #expect(YAMLValue.bool(true).pythonEquals(.int(1)))
        #expect(!YAMLValue.string("1").pythonEquals(.int(1)))
        let lhs: YAMLValue = ["a": 1, "b": [1.0]]
        #expect(lhs.pythonEquals(["b": [true], "a": 1.0]))
        #expect(!YAMLValue.float(.nan).pythonEquals(.float(.nan)))
        #expect(!YAMLValue.int(9007199254740993).pythonEquals(.float(9007199254740992.0)))
    }

    @Test func jsonConversion() {
        let yaml: YAMLValue = .mapping(YAMLMapping([(.int(1), .bool(true)), (.string("x"), [1.5, nil])]))
        #expect(PythonJSON.dumps(yaml.jsonValue) == "{\"1\": true, \"x\": [1.5, null]}")
        #expect(YAMLValue(JSONValue.array([.int(1), .string("a")])) == [1, "a"])
    }
}
