import CairnTestSupport
import Foundation
import Testing

/// Command-line surface: version, help, usage errors and the global options.
@Suite struct CLITests {
    @Test func versionPrintsTheVersion() throws {
        let repo = try TestRepo(git: false)
        let result = try repo.cairn("version")
        expectSuccess(result)
        #expect(result.stdout.lowercased().contains("cairn"), Comment(rawValue: result.description))
        #expect(result.stdout.contains { $0.isNumber }, Comment(rawValue: result.description))
        expectSuccess(try repo.cairn("--version"))
    }

    static let commands: [[String]] = [
        [], ["init"], ["add"], ["status"], ["data"], ["data", "status"], ["checkout"], ["commit"], ["remove"],
        ["rm"], ["gc"], ["cache"], ["cache", "dir"], ["cache", "verify"], ["config"], ["check-ignore"],
        ["version"],
    ]

    @Test(arguments: commands)
    func helpOnEveryCommand(_ command: [String]) throws {
        let repo = try TestRepo(git: false)
        let result = try repo.cairn(arguments: command + ["--help"])
        expectSuccess(result)
        #expect(result.stdout.lowercased().contains("usage:"), Comment(rawValue: result.description))
        if let name = command.last, name != "rm" {
            #expect(result.stdout.contains(name), Comment(rawValue: result.description))
        }
        let short = try repo.cairn(arguments: command + ["-h"])
        expectSuccess(short)
        #expect(short.stdout == result.stdout)
    }

    static let usageErrors: [[String]] = [
        ["bogus-command"],
        ["add"],
        ["add", "--bogus", "x"],
        ["status", "--bogus"],
        ["checkout", "--bogus"],
        ["remove"],
        ["gc"],
        ["gc", "-f"],
        ["gc", "-w", "--bogus"],
        ["check-ignore"],
        ["check-ignore", "-n", "x"],
        ["config"],
        ["config", "-u", "core.autostage", "true"],
        ["config", "-l", "core.autostage"],
        ["data", "status", "--bogus"],
        ["cache", "verify", "--bogus"],
        ["init", "--bogus"],
        ["add", "-o", "out", "a", "b"],
    ]

    @Test(arguments: usageErrors)
    func usageErrorsExit254WithoutTouchingTheRepo(_ arguments: [String]) throws {
        let repo = try initializedRepo()
        try repo.write("a", "a\n")
        try repo.write("b", "b\n")
        let before = try repo.snapshot(excluding: ["repo/.git", "site-cache"])
        let result = try repo.cairn(arguments: arguments)
        expectExit(result, 254)
        #expect(!result.stderr.isEmpty, Comment(rawValue: result.description))
        #expect(TestRepo.differences(before, try repo.snapshot(excluding: ["repo/.git", "site-cache"])) == [])
    }

    @Test func commandsOutsideAProjectFail() throws {
        let repo = try TestRepo()
        for arguments in [["status"], ["add", "x"], ["checkout"], ["commit"], ["gc", "-w", "-f"], ["data", "status"]] {
            try repo.write("x", "x\n")
            let result = try repo.cairn(arguments: arguments)
            expectFailure(result)
            #expect(!repo.exists(".dvc"), "\(arguments) must not create .dvc/")
        }
    }

    @Test func changeDirectoryOption() throws {
        let repo = try initializedRepo()
        try repo.write("sub/a.txt", "a\n")
        // DVC's form: global options before the command.
        let add = try repo.cairn("--cd", "repo/sub", "add", "a.txt", cwd: repo.sandbox)
        expectSuccess(add)
        #expect(repo.exists("sub/a.txt.dvc"))
        #expect(try repo.read("sub/.gitignore") == "/a.txt\n")
        let status = try repo.cairn("--cd", "repo", "status", cwd: repo.sandbox)
        expectSuccess(status)
        #expect(status.stdout == Expected.upToDate)
        let missing = try repo.cairn("--cd", "no-such-dir", "status", cwd: repo.sandbox)
        #expect(missing.status != 0)
    }

    @Test func targetsAreRelativeToTheWorkingDirectory() throws {
        let repo = try initializedRepo()
        try repo.write("sub/a.txt", "a\n")
        expectSuccess(try repo.cairn("add", "a.txt", cwd: "sub"))
        #expect(try repo.read("sub/a.txt.dvc") == dvcFileText(md5: md5("a\n"), size: 2, path: "a.txt"))
        try repo.write("sub/a.txt", "changed\n")
        let status = try repo.cairn("status", "a.txt.dvc", cwd: "sub")
        expectSuccess(status)
        #expect(status.stdout.contains("modified:           a.txt"), Comment(rawValue: status.description))
    }

    @Test func quietAndVerbose() throws {
        let repo = try initializedRepo()
        try repo.write("a.txt", "a\n")
        let quiet = try repo.cairn("add", "-q", "a.txt")
        expectSuccess(quiet)
        #expect(quiet.stdout == "", Comment(rawValue: quiet.description))
        #expect(quiet.stderr == "", Comment(rawValue: quiet.description))
        let verbose = try repo.cairn("status", "-v")
        expectSuccess(verbose)
        #expect(verbose.stdout == Expected.upToDate)
        let both = try repo.cairn("status", "-q", "-v")
        expectExit(both, 254)
    }
}
