import CairnCore
import Testing

/// Repo-relative path rules and Python-compatible JSON.
@Suite struct PathAndJSONTests {
    @Test func normalizeRefusesEscapes() {
        #expect(RepoPath.normalize("a/./b//c") == "a/b/c")
        #expect(RepoPath.normalize("a/../b") == "b")
        #expect(RepoPath.normalize("../x") == nil)
        #expect(RepoPath.normalize("a/../../x") == nil)
        #expect(RepoPath.normalize("/etc/passwd") == nil)
        #expect(RepoPath.join("sub", "../x") == "x")
        #expect(RepoPath.join("", "../x") == nil)
    }

    @Test func parentNameInsideRelative() {
        #expect(RepoPath.parent("a/b/c") == "a/b")
        #expect(RepoPath.parent("c") == "")
        #expect(RepoPath.name("a/b/ü.txt") == "ü.txt")
        #expect(RepoPath.isInside("data/x", "data"))
        #expect(!RepoPath.isInside("data2", "data"))
        #expect(RepoPath.isInside("anything", ""))
        #expect(RepoPath.relative("a/b", from: "a/c") == "../b")
        #expect(RepoPath.relative("a", from: "a") == ".")
        #expect(RepoPath.isInsideControlDirectory(".dvc/config"))
        #expect(RepoPath.isInsideControlDirectory(".git"))
        #expect(!RepoPath.isInsideControlDirectory("x/.git"))
    }

    @Test func pythonJSONDumps() throws {
        let value: JSONValue = .object(["a": .array([.int(1), .double(0.1), .double(1e-7), .double(1e20), .bool(true), .null]),
                                        "é/\"\n": .string("😀\u{7f}")])
        #expect(PythonJSON.dumps(value) == #"{"a": [1, 0.1, 1e-07, 1e+20, true, null], "\u00e9/\"\n": "\ud83d\ude00\u007f"}"#)
        #expect(PythonJSON.floatRepr(100.0) == "100.0")
        #expect(PythonJSON.floatRepr(.infinity, json: true) == "Infinity")
    }

    @Test func jsonParserKeepsOrderAndReportsPosition() throws {
        let parsed = try JSONValue.parse(#"{"z": 1, "a": {"y": [true, null, -2.5e3]}, "z": 2}"#)
        guard case .object(let object) = parsed else { Issue.record("not an object"); return }
        #expect(object.keys == ["z", "a"])
        #expect(object["z"] == .int(2))
        do {
            _ = try JSONValue.parse("{\n  \"a\": tru\n}")
            Issue.record("parsed invalid JSON")
        } catch {
            #expect(error.line == 2)
        }
    }
}
