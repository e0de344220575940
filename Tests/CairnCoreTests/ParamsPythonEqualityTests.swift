import Testing
@testable import CairnCore

/// Tables generated with DVC 3.67.1's own Python (tomlkit 0.15.2 and DVC's YAML loader): the expected results
/// are Python's, not hand-written.
struct ParamsPythonEqualityTests {
    /// TOML documents and `json.dumps` of what tomlkit reads (datetimes via `str()`). Integers beyond 64 bits are
    /// left out: cairn holds them as floats.
    static let tomlkitCases: [(toml: String, json: String)] = [
        ("a = 1\nb = 1.0\nc = true\nd = \"1\"",
         "{\"a\": 1, \"b\": 1.0, \"c\": true, \"d\": \"1\"}"),
        ("x = [1, 1.0, true, \"s\", [1, [2]], {a = 1}]",
         "{\"x\": [1, 1.0, true, \"s\", [1, [2]], {\"a\": 1}]}"),
        ("[t]\nz = 1\na = 2\n[t.sub]\nq = 3\n[u]\nk = 0",
         "{\"t\": {\"z\": 1, \"a\": 2, \"sub\": {\"q\": 3}}, \"u\": {\"k\": 0}}"),
        ("[[a.b]]\nx = 1\n[[a.b]]\nx = 2\n[a]\nc = 3",
         "{\"a\": {\"b\": [{\"x\": 1}, {\"x\": 2}], \"c\": 3}}"),
        ("a.b.c = 1\na.b.d = 2\na.e = 3",
         "{\"a\": {\"b\": {\"c\": 1, \"d\": 2}, \"e\": 3}}"),
        ("f1 = 1e3\nf2 = 1E-3\nf3 = 0.1\nf4 = -0.0\nf5 = 1_000.5\nf6 = 3.0e+2",
         "{\"f1\": 1000.0, \"f2\": 0.001, \"f3\": 0.1, \"f4\": -0.0, \"f5\": 1000.5, \"f6\": 300.0}"),
        ("h = 0x7FFFFFFFFFFFFFFF\no = 0o777\nb = 0b1010\nn = -9223372036854775808",
         "{\"h\": 9223372036854775807, \"o\": 511, \"b\": 10, \"n\": -9223372036854775808}"),
        ("s1 = \"tab\\there\"\ns2 = 'lit\\n'\ns3 = \"\"\"\nml\\\n   joined\"\"\"\ns4 = '''\nraw\\n'''",
         "{\"s1\": \"tab\\there\", \"s2\": \"lit\\\\n\", \"s3\": \"mljoined\", \"s4\": \"raw\\\\n\"}"),
        ("d1 = 2000-02-29\nd2 = 2000-02-29T23:59:59.123Z\nd3 = 2000-02-29 23:59:59+05:30\nt = 23:59:59.000001",
         "{\"d1\": \"2000-02-29\", \"d2\": \"2000-02-29 23:59:59.123000+00:00\", \"d3\": \"2000-02-29 23:59:59+05:30\", \"t\": \"23:59:59.000001\"}"),
        ("d4 = 1979-05-27T07:32:00.1234567\nt2 = 07:32",
         "{\"d4\": \"1979-05-27 07:32:00.123456\", \"t2\": \"07:32:00\"}"),
        ("u = \"\\u00e9\\U0001F600\"\nkey-with-dash = 1\n\"quoted key\" = 2\n'lit key' = 3",
         "{\"u\": \"\\u00e9\\ud83d\\ude00\", \"key-with-dash\": 1, \"quoted key\": 2, \"lit key\": 3}"),
        ("inline = { a = { b = { c = 1 } }, d = [ { e = 1 } ] }",
         "{\"inline\": {\"a\": {\"b\": {\"c\": 1}}, \"d\": [{\"e\": 1}]}}"),
        ("arr = [\n  1,\n  2, # comment\n]\nempty = []\nnested = [[], [[]]]",
         "{\"arr\": [1, 2], \"empty\": [], \"nested\": [[], [[]]]}"),
        ("[a]\n[a.b]\n[a.c]\nx = 1",
         "{\"a\": {\"b\": {}, \"c\": {\"x\": 1}}}"),
        ("neg_inf = -inf\npos = +inf\nnn = +nan",
         "{\"neg_inf\": -Infinity, \"pos\": Infinity, \"nn\": NaN}"),
        ("\"a.b\" = 1\na.c = 2",
         "{\"a.b\": 1, \"a\": {\"c\": 2}}"),
        ("[x]\n[x.y]\n[[x.z]]\n[[x.z]]\nk = 1",
         "{\"x\": {\"y\": {}, \"z\": [{}, {\"k\": 1}]}}"),
    ]

    /// YAML flow values and whether Python's `==` holds between them (what DVC's params status uses).
    static let pythonEqualityCases: [(lhs: String, rhs: String, equal: Bool)] = [
        ("1", "1.0", true),
        ("1", "true", true),
        ("1.0", "true", true),
        ("0", "false", true),
        ("0", "-0.0", true),
        ("0", "null", false),
        ("null", "~", true),
        ("2", "true", false),
        ("\"1\"", "1", false),
        ("1", "1.5", false),
        (".inf", ".inf", true),
        (".nan", ".nan", false),
        ("1e3", "1000", true),
        ("9007199254740993", "9007199254740992.0", false),
        ("9007199254740992", "9007199254740992.0", true),
        ("[1, 2]", "[1.0, true]", false),
        ("[1, 2]", "[2, 1]", false),
        ("[1]", "[1, 1]", false),
        ("[]", "{}", false),
        ("[]", "null", false),
        ("{a: 1, b: 2}", "{b: 2, a: 1}", true),
        ("{a: 1}", "{a: 1.0}", true),
        ("{a: 1}", "{a: 1, b: null}", false),
        ("{a: [1, {b: true}]}", "{a: [1.0, {b: 1}]}", true),
        ("{a: [1, {b: 2}]}", "{a: [1, {b: 3}]}", false),
        ("{1: a}", "{1.0: a}", true),
        ("{1: a}", "{true: a}", true),
        ("{1: a}", "{\"1\": a}", false),
        ("\"yes\"", "true", false),
        ("yes", "\"yes\"", true),
        ("0x10", "16", true),
        ("0o10", "8", true),
        ("abc", "\"abc\"", true),
        ("''", "null", false),
        ("false", "0.0", true),
        ("[[1]]", "[[true]]", true),
    ]

    /// Documents tomlkit refuses (each must be a FormatError with a position) and ones it reads.
    static let tomlkitRejects: [String] = [
        "a = 0x-1\n", "a = +0x1\n", "a = 1979-05-27T25:00:00\n", "a = 24:00:00\n", "a = 1979-02-29\n",
        "\u{FEFF}a = 1\n", "a = \"\u{01}\"\n", "a = 'x\r'\n", "[a]\n[a.b]\n[a]\n", "a = [1,,2]\n", "a = {,}\n",
        "a = {x=1,,}\n", "a = 1_000_\n", "a = 0b102\n", "a = 1e+_3\n", "a = 07:32:60\n", "a=0o8\n",
    ]
    static let tomlkitAccepts: [(toml: String, json: String)] = [
        ("a = 1\r\n", "{\"a\": 1}"), ("[ a . b ]\nx=1\n", "{\"a\": {\"b\": {\"x\": 1}}}"),
        ("[[ a ]]\n", "{\"a\": [{}]}"), ("a=1#c\n", "{\"a\": 1}"), ("a = -nan\n", "{\"a\": NaN}"),
    ]

    @Test func tomlAcceptsAndRejectsWhatTomlkitDoes() throws {
        for text in Self.tomlkitRejects {
            do {
                let value = try ParamsDocument.parse(Array(text.utf8), path: "p.toml")
                Issue.record("\(text.debugDescription) was read as \(value)")
            } catch {
                #expect(error.line != nil && error.column != nil, "\(text.debugDescription)")
            }
        }
        for (text, json) in Self.tomlkitAccepts {
            let value = try ParamsDocument.parse(Array(text.utf8), path: "p.toml")
            #expect(PythonJSON.dumps(value.jsonValue) == json, "\(text.debugDescription)")
        }
    }

    @Test(arguments: 0..<tomlkitCases.count)
    func tomlMatchesTomlkit(_ index: Int) throws {
        let (toml, json) = Self.tomlkitCases[index]
        let value = try ParamsDocument.parse(Array(toml.utf8), path: "p.toml")
        #expect(PythonJSON.dumps(value.jsonValue) == json, "\(toml.debugDescription)")
    }

    @Test(arguments: 0..<pythonEqualityCases.count)
    func pythonEqualityMatchesPython(_ index: Int) throws {
        let (lhs, rhs, equal) = Self.pythonEqualityCases[index]
        let left = try #require(try ParamsDocument.parse(Array("v: \(lhs)".utf8), path: "a.yaml").mappingValue?["v"])
        let right = try #require(try ParamsDocument.parse(Array("v: \(rhs)".utf8), path: "b.yaml").mappingValue?["v"])
        #expect(left.pythonEquals(right) == equal, "\(lhs) == \(rhs)")
        #expect(right.pythonEquals(left) == equal, "\(rhs) == \(lhs)")
        // The same rule decides params status: equal values are no change.
        let dep = ParamsDependency(file: "params.yaml", keys: ["v"])
        let changes = ParamsLookup.changes(declared: dep, current: ["v": left], locked: ["v": right])
        #expect(changes.map(\.change) == (equal ? [] : [.modified]), "\(lhs) vs \(rhs)")
    }
}
