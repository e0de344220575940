import CairnTestSupport
import Foundation
import Testing

/// Bad input: a clear error, a non-zero exit, nothing read or written that should not be.
@Suite struct BadInputTests {
    /// Everything in the sandbox except git's and cairn's private state.
    static func snapshot(_ repo: TestRepo) throws -> [String: TestRepo.Entry] {
        try repo.snapshot(excluding: ["repo/.git", "repo/.dvc/tmp", "site-cache", "home"])
    }

    @Test func addingAMissingPathFails() throws {
        let repo = try initializedRepo()
        let before = try Self.snapshot(repo)
        let result = try repo.cairn("add", "nope.txt")
        expectFailure(result, mentioning: ["nope.txt"])
        #expect(TestRepo.differences(before, try Self.snapshot(repo)) == [])
    }

    @Test func addingOneMissingPathAmongOthersAddsNothing() throws {
        let repo = try initializedRepo()
        try repo.write("a.txt", "a\n")
        let result = try repo.cairn("add", "a.txt", "nope.txt")
        expectFailure(result, mentioning: ["nope.txt"])
        #expect(!repo.exists("a.txt.dvc"))
    }

    @Test(arguments: ["../outside.txt", "OUTSIDE_ABSOLUTE", "../outside-dir", "sub/../../outside.txt"])
    func addingAPathOutsideTheRepoFails(_ target: String) throws {
        let repo = try initializedRepo()
        try repo.write(repo.sandbox + "/outside.txt", "outside\n")
        try repo.write(repo.sandbox + "/outside-dir/f.txt", "f\n")
        try repo.makeDirectory("sub")
        let argument = target == "OUTSIDE_ABSOLUTE" ? repo.sandbox + "/outside.txt" : target
        let before = try Self.snapshot(repo)
        let result = try repo.cairn("add", argument)
        expectFailure(result)
        #expect(TestRepo.differences(before, try Self.snapshot(repo)) == [])
    }

    @Test(arguments: [".dvc/config", ".dvc", ".dvc/tmp", ".git/HEAD", ".git", ".git/objects"])
    func addingInsideDotDvcOrDotGitFails(_ target: String) throws {
        let repo = try initializedRepo()
        let before = try Self.snapshot(repo)
        let result = try repo.cairn("add", target)
        expectFailure(result)
        #expect(TestRepo.differences(before, try Self.snapshot(repo)) == [])
    }

    @Test func addingASymlinkThatLeavesTheRepoFails() throws {
        let repo = try initializedRepo()
        try repo.write(repo.sandbox + "/outside-dir/f.txt", "f\n")
        try repo.symlink("link", to: repo.sandbox + "/outside-dir")
        let before = try Self.snapshot(repo)
        let result = try repo.cairn("add", "link/f.txt")
        expectFailure(result)
        #expect(TestRepo.differences(before, try Self.snapshot(repo)) == [])
    }

    /// A repo with a tracked, committed `good.txt`, deleted from the workspace (so a checkout has work to do).
    static func repoWithWork() throws -> TestRepo {
        let repo = try initializedRepo()
        try repo.write("good.txt", "good\n")
        try repo.ok(repo.cairn("add", "good.txt"))
        try repo.commitAll("good")
        try repo.remove("good.txt")
        return repo
    }

    static let wholeRepoCommands: [[String]] = [
        ["status"], ["status", "--json"], ["data", "status"], ["checkout"], ["checkout", "-f"], ["commit", "-f"],
        ["gc", "-w", "-f"],
    ]

    /// Runs every whole-repo command and checks each fails naming `file` and changes nothing.
    static func expectEveryCommandRefuses(_ repo: TestRepo, naming file: String) throws {
        for command in wholeRepoCommands {
            let before = try snapshot(repo)
            let result = try repo.cairn(arguments: command)
            expectFailure(result, mentioning: [file])
            #expect(TestRepo.differences(before, try snapshot(repo)) == [], "\(command) changed files")
        }
    }

    @Test func dvcFileWithAnAbsolutePathIsRefused() throws {
        let repo = try Self.repoWithWork()
        let victim = repo.sandbox + "/victim.txt"
        try repo.write(victim, "precious\n")
        let evil = "evil content\n"
        try repo.write(repo.cacheObjectRelativePath(md5(evil)), evil, mode: 0o444)
        try repo.write("evil.dvc", dvcFileText(md5: md5(evil), size: evil.utf8.count, path: victim))
        try Self.expectEveryCommandRefuses(repo, naming: "evil.dvc")
        let targeted = try repo.cairn("checkout", "evil.dvc")
        expectFailure(targeted, mentioning: ["evil.dvc"])
        #expect(try repo.read(victim) == "precious\n")
        #expect(!repo.exists("good.txt"), "nothing is checked out beside a refused file")
    }

    @Test func dvcFilePointingAtEtcPasswdIsRefused() throws {
        // The object is /etc/passwd's own content, so even a faulty checkout could not change that file.
        let passwd = try Data(contentsOf: URL(fileURLWithPath: "/etc/passwd"))
        let bytes = Array(passwd)
        var info = stat()
        lstat("/etc/passwd", &info)
        let repo = try Self.repoWithWork()
        try repo.write(repo.cacheObjectRelativePath(md5(bytes: bytes)), bytes: bytes, mode: 0o444)
        try repo.write("passwd.dvc", dvcFileText(md5: md5(bytes: bytes), size: bytes.count, path: "/etc/passwd"))
        try Self.expectEveryCommandRefuses(repo, naming: "passwd.dvc")
        var after = stat()
        lstat("/etc/passwd", &after)
        #expect(after.st_ino == info.st_ino && after.st_mtim.tv_sec == info.st_mtim.tv_sec
                && after.st_mtim.tv_nsec == info.st_mtim.tv_nsec)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "/etc/passwd")) == passwd)
    }

    @Test(arguments: [("sub/evil.dvc", "../../x"), ("evil.dvc", "../x"), ("evil.dvc", "sub/../../x"),
                      ("evil.dvc", ".git/hooks/pre-commit"), ("evil.dvc", ".dvc/config"),
                      ("evil.dvc", ".git")])
    func dvcFileEscapingTheRepoIsRefused(_ file: String, _ path: String) throws {
        let repo = try Self.repoWithWork()
        try repo.makeDirectory("sub")
        let evil = "#!/bin/sh\necho pwned\n"
        try repo.write(repo.cacheObjectRelativePath(md5(evil)), evil, mode: 0o444)
        try repo.write(file, dvcFileText(md5: md5(evil), size: evil.utf8.count, path: path))
        try Self.expectEveryCommandRefuses(repo, naming: (file as NSString).lastPathComponent)
        #expect(!FileManager.default.fileExists(atPath: repo.sandbox + "/x"))
        #expect(!repo.exists(".git/hooks/pre-commit"))
    }

    @Test func malformedYAMLIsReportedWithLineAndColumn() throws {
        let repo = try Self.repoWithWork()
        try repo.write("bad.dvc", "outs:\n- md5: [unclosed\n  path: x\n")
        let status = try repo.cairn("status")
        expectFailure(status, mentioning: ["bad.dvc"])
        #expect(status.stderr.contains(try Regex("bad\\.dvc:[0-9]+:[0-9]+")),
                "file:line:column expected\n\(status)")
        try Self.expectEveryCommandRefuses(repo, naming: "bad.dvc")
        #expect(!repo.exists("good.txt"), "checkout must not act on a partial view")
    }

    @Test(arguments: [
        "outs:\n- md5: 8eb2cdea0e9735d773897e785ff2d121\n  size: 12\n  hash: md5\n  path: x\n  bogus: 1\n",
        "outs:\n- md5: 8eb2cdea0e9735d773897e785ff2d121\n  size: 12\n  hash: md5\n",
        "outs: 12\n",
        "- just\n- a list\n",
        "outs:\n- md5: not-a-hash\n  size: 12\n  hash: md5\n  path: x\n",
        "outs:\n- md5: 8eb2cdea0e9735d773897e785ff2d121\n  size: twelve\n  hash: md5\n  path: x\n",
    ])
    func schemaViolationsAreReported(_ text: String) throws {
        let repo = try Self.repoWithWork()
        try repo.write("odd.dvc", text)
        try Self.expectEveryCommandRefuses(repo, naming: "odd.dvc")
    }

    @Test func addingAFileGitTracksIsRefused() throws {
        let repo = try initializedRepo()
        try repo.write("b.txt", "b\n")
        try repo.commitAll("b in git")
        let before = try Self.snapshot(repo)
        let result = try repo.cairn("add", "b.txt")
        expectFailure(result, mentioning: ["b.txt"])
        #expect(TestRepo.differences(before, try Self.snapshot(repo)) == [])
    }
}
