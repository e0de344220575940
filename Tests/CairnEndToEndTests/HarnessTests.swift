import CairnTestSupport
import Foundation
import Testing

/// The harness itself: these pass without cairn, so a red end-to-end run is about cairn, not the tests.
@Suite struct HarnessTests {
    @Test func runnerCapturesOutputStatusStdinAndDirectory() throws {
        let repo = try TestRepo(git: false)
        try repo.write("sub/marker", "m")
        let result = try repo.run(
            "sh", ["-c", "cat; echo out; echo err >&2; pwd; ls; exit 3"], stdin: "in\n", cwd: "sub")
        #expect(result.status == 3)
        #expect(result.signal == nil)
        #expect(result.stdout == "in\nout\n\(repo.root)/sub\nmarker\n")
        #expect(result.stderr == "err\n")
    }

    @Test func childrenGetTheHermeticEnvironmentOnly() throws {
        let repo = try TestRepo(git: false)
        let result = try repo.ok(repo.run("env", []))
        let lines = Set(result.stdout.split(separator: "\n").map(String.init))
        #expect(lines.contains("HOME=\(repo.home)"))
        #expect(lines.contains("GIT_CONFIG_NOSYSTEM=1"))
        #expect(lines.contains("DVC_NO_ANALYTICS=1"))
        #expect(lines.contains("DVC_GLOBAL_CONFIG_DIR=\(repo.sandbox)/dvc-global"))
        #expect(lines.contains("SHELL=/bin/sh"))
        #expect(!lines.contains { $0.hasPrefix("CAIRN_") })
    }

    @Test func timeoutKillsTheChild() throws {
        let repo = try TestRepo(git: false)
        let result = try repo.run("sleep", ["30"], timeout: 0.3)
        #expect(result.timedOut)
        #expect(result.signal == SIGKILL)
        #expect(!result.succeeded)
    }

    @Test func backgroundProcessCanBeSignalled() throws {
        let repo = try TestRepo(git: false)
        let child = try repo.start("sleep", ["30"])
        #expect(child.isRunning)
        child.send(SIGKILL)
        let result = child.wait(timeout: 10)
        #expect(result.signal == SIGKILL)
        #expect(result.status == 128 + SIGKILL)
        #expect(!child.isRunning)
    }

    @Test func childrenStartWithDefaultSignalHandling() throws {
        // `yes | head -1` only ends because SIGPIPE kills `yes`; an ignored SIGPIPE would make yes spin on EPIPE.
        let repo = try TestRepo(git: false)
        let result = try repo.run("sh", ["-c", "yes | head -n 1"], timeout: 20)
        #expect(result.stdout == "y\n", Comment(rawValue: result.description))
        #expect(!result.timedOut)
    }

    @Test func gitRepositoryUsesFixedIdentityAndDate() throws {
        let repo = try TestRepo()
        try repo.write("a.txt", "a\n")
        let first = try repo.commitAll("one")
        let log = try repo.gitOK("log", "-1", "--format=%an <%ae> %cn %at")
        #expect(log == "Ada Author <ada@example.com> Carl Committer 1704067200\n")
        #expect(try repo.gitOK("symbolic-ref", "--short", "HEAD") == "main\n")
        // Same tree, parents, identities and dates: the same commit id in any sandbox.
        let other = try TestRepo()
        try other.write("a.txt", "a\n")
        #expect(try other.commitAll("one") == first)
    }

    @Test func fileHelpersSeeModesInodesLinksAndSnapshots() throws {
        let repo = try TestRepo(git: false)
        try repo.write("d/f.txt", "hello\n", mode: 0o444)
        #expect(try repo.mode("d/f.txt") == 0o444)
        #expect(try repo.md5("d/f.txt") == "b1946ac92492d2347c6235b4d2611184")
        let before = try repo.snapshot()
        try repo.write("d/f.txt", "changed\n")  // replaces the read-only file
        #expect(try repo.read("d/f.txt") == "changed\n")
        #expect(TestRepo.differences(before, try repo.snapshot()).count == 1)
        try repo.symlink("link", to: repo.path("d/f.txt"))
        #expect(repo.isSymlink("link"))
        #expect(try repo.symlinkTarget("link") == repo.path("d/f.txt"))
        try repo.chmod("d", 0o555)
        try repo.remove("d")
        #expect(!repo.exists("d"))
        #expect(repo.exists("link"))  // dangling, still there
    }

    @Test func cacheHelpersNameAndVerifyObjects() throws {
        let repo = try TestRepo(git: false)
        let id = MD5Hex.of(Array("x".utf8))
        #expect(repo.cacheObjectPath(id).hasSuffix(".dvc/cache/files/md5/\(id.prefix(2))/\(id.dropFirst(2))"))
        try repo.write(repo.cacheObjectRelativePath(id), "x")
        try repo.write(repo.cacheObjectRelativePath("00000000000000000000000000000000.dir"), "[]")
        try repo.write(".dvc/cache/files/md5/00/tmp-upload-123", "partial")
        #expect(try repo.cacheObjects() == ["00000000000000000000000000000000.dir", id])
        #expect(try repo.corruptCacheObjects() == ["00000000000000000000000000000000.dir"])
        #expect(try repo.cacheFiles().count == 3)
    }

    @Test func fixturesCopyWritable() throws {
        let repo = try TestRepo(git: false)
        try repo.copyFixture("01-add/workspace")
        #expect(try repo.md5("single.txt") == "8eb2cdea0e9735d773897e785ff2d121")
        #expect(try repo.mode("single.txt") & 0o200 != 0)
        #expect(try repo.mode("run.sh") & 0o100 != 0)
        #expect(try repo.files(under: "data").count == 7)
    }

    @Test func canonicalJSONIgnoresKeyAndListOrder() throws {
        #expect(try JSONCanonical.equal(#"{"b": [2, 1], "a": {"y": "x"}}"#, #"{"a": {"y": "x"}, "b": [1, 2]}"#))
        #expect(try !JSONCanonical.equal(#"{"b": [2, 1]}"#, #"{"b": [1, 2]}"#, sortLists: false))
        #expect(throws: TestSupportError.self) { try JSONCanonical.text("{oops") }
    }

    @Test func trackingHintMatchesDVCsLayout() {
        let hint = Expected.trackingHint(["data.dvc", ".gitignore"])
        #expect(hint.hasPrefix("\nTo track the changes with git, run:\n\n\tgit add data.dvc .gitignore\n"))
        #expect(Expected.filesInTrackingHint(hint) == ["data.dvc", ".gitignore"])
    }
}
