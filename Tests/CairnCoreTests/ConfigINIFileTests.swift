import CairnCore
import CairnTestSupport
import Testing

@Suite struct ConfigINIFileTests {
    @Test func fixtureRoundTripsByteExact() throws {
        for name in ["08-config/config", "08-config/config.local"] {
            let text = try Fixtures.text(name)
            let file = try INIFile.parse(text, path: ".dvc/config")
            #expect(file.render() == text)
        }
    }

    @Test func readsFixtureValues() throws {
        let file = try INIFile.parse(try Fixtures.text("08-config/config"), path: ".dvc/config")
        #expect(file.sections.map(\.name) == ["core", "cache", "remote \"myremote\"", "remote \"other\""])
        #expect(file.get(section: "cache", key: "type") == "hardlink,copy")
        #expect(file.value(section: "cache", key: "type") == .string("hardlink,copy"))
        #expect(file.get(section: "remote \"other\"", key: "url") == "../../relative/remote")
        #expect(file.section(named: "remote \"other\"")?.namedKind?.name == "other")
    }

    @Test func headerSpellings() throws {
        let text = "[remote \"a\"]\nurl = /a\n[ 'remote \"b\"' ]\n  url = /b\n[\"c d\"] # c\n  k = v\n[  e  ]\n  k = v\n"
        let file = try INIFile.parse(text, path: "c")
        #expect(file.sections.map(\.name) == ["remote \"a\"", "remote \"b\"", "c d", "e"])
        #expect(file.render() == "[c d]\n    k = v\n[e]\n    k = v\n['remote \"a\"']\n    url = /a\n['remote \"b\"']\n    url = /b\n")
    }

    @Test func commentsQuotesListsAndMultilineValues() throws {
        let text = """
            # leading comment
            ; semicolon comment
            [s]
              a = plain value  # inline
              b = "quoted # not a comment"   # comment
              c = 'single, with comma'
              d = x, y,z
              e = one,
              f = ,
              g =
              h = ""
              i = \"\"\"tri'ple"\"\"\"
              j = '''first
            second
            third'''  # done
              "k k" = v
              l = a#b
              m = "a", 'b' # c
            """
        let file = try INIFile.parse(text, path: "c")
        let s = try #require(file.section(named: "s"))
        #expect(s.value("a") == .string("plain value"))
        #expect(s.value("b") == .string("quoted # not a comment"))
        #expect(s.value("c") == .string("single, with comma"))
        #expect(s.value("d") == .list(["x", "y", "z"]))
        #expect(s.value("e") == .list(["one"]))
        #expect(s.value("f") == .list([]))
        #expect(s.value("g") == .string(""))
        #expect(s.value("h") == .string(""))
        #expect(s.value("i") == .string("tri'ple\""))
        #expect(s.value("j") == .string("first\nsecond\nthird"))
        #expect(s.value("k k") == .string("v"))
        #expect(s.value("l") == .string("a"))
        #expect(s.value("m") == .list(["a", "b"]))
        #expect(s.entries.first { $0.key == "l" }?.line == 17)
        #expect(INIValue.list(["x", "y"]).description == "['x', 'y']")
        #expect(INIValue.list(["x", "y"]).text == "x,y")
    }

    @Test func crlfAndByteOrderMark() throws {
        let file = try INIFile.parse("\u{FEFF}[core]\r\n    remote = r\r\n", path: "c")
        #expect(file.get(section: "core", key: "remote") == "r")
    }

    /// Expected strings were produced by configobj 5.0.9 (the version DVC 3.67.1 ships with).
    @Test(arguments: [
        ("plain", "plain"), ("a,b", "\"a,b\""), ("hardlink,copy", "\"hardlink,copy\""), (" lead", "\" lead\""),
        ("trail ", "\"trail \""), ("has#hash", "\"has#hash\""), ("it's", "it's"), ("say \"hi\"", "'say \"hi\"'"),
        ("both ' and \"", "'''both ' and \"'''"), ("multi\nline", "'''multi\nline'''"), ("", "\"\""),
        ("a = b", "a = b"), ("[x]", "[x]"), ("tab\tin", "tab\tin"), ("'q", "\"'q\""), ("\"q", "'\"q'"),
        ("x'", "\"x'\""), ("semi;colon", "semi;colon"), ("a, b", "\"a, b\""), ("\"\"\"", "'\"\"\"'"),
        ("new\nline'\"", "'''new\nline'\"'''"),
    ])
    func valueQuotingMatchesConfigobj(value: String, written: String) throws {
        var file = INIFile()
        try file.set(section: "core", key: "k", value: value)
        #expect(file.render() == "[core]\n    k = \(written)\n")
        // And reading it back gives the value again.
        #expect(try INIFile.parse(file.render(), path: "c").get(section: "core", key: "k") == value)
    }

    @Test func sectionKeyAndListQuoting() throws {
        var file = INIFile()
        try file.set(section: "has#h", key: "#k", value: "v")
        try file.set(section: "a b", key: "a b", value: "v")
        try file.set(section: "s", key: "l", value: .list(["a", "b c", "d,e"]))
        try file.set(section: "s", key: "one", value: .list(["x"]))
        try file.set(section: "s", key: "none", value: .list([]))
        #expect(file.render() == """
            ["has#h"]
                "#k" = v
            [a b]
                a b = v
            [s]
                l = a, b c, "d,e"
                one = x,
                none = ,

            """)
        let copy = file
        #expect(throws: FormatError.self) {
            var file = copy
            try file.set(section: "s", key: "bad", value: "x'''y\"\"\"")
        }
    }

    @Test func editingAndEmptySections() throws {
        var file = try INIFile.parse(try Fixtures.text("08-config/config"), path: ".dvc/config")
        let unset = file.unset(section: "cache", key: "type")
        let unsetAgain = file.unset(section: "cache", key: "type")
        let removed = file.removeSection("remote \"other\"")
        let removedMissing = file.removeSection("nope")
        #expect(unset && !unsetAgain && removed && !removedMissing)
        try file.set(section: "core", key: "remote", value: "other")
        #expect(file.render() == "[core]\n    remote = other\n    autostage = true\n['remote \"myremote\"']\n    url = /tmp/some/remote\n")
        #expect(INIFile().render() == "\n")
    }

    @Test func dvcNormalizationLowercasesAndCanonicalises() throws {
        let file = try INIFile.parse("[Core]\nRemote = MyRemote\n[remote   \"Foo\"]\nURL = /x\n[core]\n  remote = b\n", path: "c")
        let normalized = file.dvcNormalized()
        #expect(normalized.sections.map(\.name) == ["core", "remote \"foo\""])
        #expect(normalized.get(section: "core", key: "remote") == "b")
        #expect(normalized.get(section: "remote \"foo\"", key: "url") == "/x")
    }

    @Test(arguments: [
        ("[core]\n  novalue\n", 2, "invalid line"),
        ("[core]\n  x = \"a\" b\n", 2, "cannot parse the value"),
        ("[core]\n  a = 1\n[core]\n  b = 2\n", 3, "duplicate section"),
        ("[core]\n  a = 1\n  a = 2\n", 3, "duplicate key"),
        ("[[core]]\n  a = 1\n", 1, "nested"),
        ("[core]]\n", 1, "depth"),
        ("a = 1\n", 1, "outside"),
        ("[core]\n  a = '''open\nnever closed\n", 2, "never closed"),
        ("[core\n", 1, "invalid line"),
    ])
    func parseErrorsNameTheLine(text: String, line: Int, fragment: String) {
        do {
            _ = try INIFile.parse(text, path: ".dvc/config")
            Issue.record("no error for \(text.debugDescription)")
        } catch {
            #expect(error.path == ".dvc/config")
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
            #expect(error.hint?.contains("cairn config --help") == true)
        }
    }
}
