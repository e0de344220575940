import CairnTestSupport
import Foundation
import Testing

/// A repo whose stage `copy` depends on the git-tracked data.txt and params.yaml's `lr`, reproduced and committed.
private func hookedPipelineRepo(install: Bool = true) throws -> TestRepo {
    let repo = try initializedRepo()
    try repo.write("data.txt", "one\n")
    try repo.write("params.yaml", "lr: 0.1\n")
    try repo.write("dvc.yaml", """
        stages:
          copy:
            cmd: cp data.txt out.txt
            deps:
            - data.txt
            params:
            - lr
            outs:
            - out.txt

        """)
    try repo.ok(repo.cairn("repro"))
    try repo.commitAll("pipeline")
    if install { try repo.ok(repo.cairn("install")) }
    return repo
}

extension TestRepo {
    /// Runs git with the built cairn's folder first on PATH, as a user with cairn installed would.
    func gitWithCairn(_ arguments: String..., path: String? = nil) throws -> ProcessResult {
        let folder = (try Binaries.cairn() as NSString).deletingLastPathComponent
        return try run("git", arguments, environment: ["PATH": path ?? "\(folder):\(environment["PATH"] ?? "/usr/bin:/bin")"])
    }

    /// The bytes of every file in `.git/hooks` that is not a git sample.
    func hookFiles(_ folder: String = ".git/hooks") throws -> [String: [UInt8]] {
        try tree(folder).filter { !$0.key.hasSuffix(".sample") }
    }
}

/// `cairn install` and the hooks it places: a commit with a stale dvc.lock is blocked, data follows the branch,
/// `git push` pushes the data; user hooks are kept and chained; `--uninstall` restores them.
@Suite struct HookTests {
    @Test func commitWithStagedDepChangeIsBlocked() throws {
        let repo = try hookedPipelineRepo()
        try repo.write("data.txt", "two\n")
        try repo.gitOK("add", "data.txt")
        let commit = try repo.gitWithCairn("commit", "-m", "edit data")
        #expect(commit.status != 0, Comment(rawValue: commit.description))
        #expect(commit.stderr.contains("copy"), Comment(rawValue: commit.description))
        #expect(commit.stderr.contains("modified:") && commit.stderr.contains("data.txt"), Comment(rawValue: commit.description))
        #expect(commit.stderr.contains("cairn repro copy"), Comment(rawValue: commit.description))
        #expect(commit.stderr.contains("git add dvc.lock"), Comment(rawValue: commit.description))
        // After the fix the same commit goes through.
        try repo.ok(repo.cairn("repro"))
        try repo.gitOK("add", "dvc.lock")
        expectSuccess(try repo.gitWithCairn("commit", "-m", "edit data, reproduced"))
    }

    @Test func failingValidationBlocksTheCommit() throws {
        let repo = try hookedPipelineRepo()
        try repo.write("checks.yaml", "table.csv:\n  columns:\n    age: {type: int, min: 0}\n")
        try repo.write("table.csv", "age\n3\n-4\n")
        try repo.gitOK("add", "checks.yaml", "table.csv")
        let blocked = try repo.gitWithCairn("commit", "-m", "add a table")
        #expect(blocked.status != 0, Comment(rawValue: blocked.description))
        #expect(blocked.stderr.contains("Validation failed (checks.yaml)"), Comment(rawValue: blocked.description))
        #expect(blocked.stderr.contains("'-4'"), Comment(rawValue: blocked.description))
        try repo.write("table.csv", "age\n3\n4\n")
        try repo.gitOK("add", "table.csv")
        expectSuccess(try repo.gitWithCairn("commit", "-m", "add a valid table"))
    }

    @Test func commitWithStagedParamsChangeIsBlocked() throws {
        let repo = try hookedPipelineRepo()
        try repo.write("params.yaml", "lr: 0.2\n")
        try repo.gitOK("add", "params.yaml")
        let commit = try repo.gitWithCairn("commit", "-m", "new lr")
        #expect(commit.status != 0, Comment(rawValue: commit.description))
        #expect(commit.stderr.contains("params.yaml") && commit.stderr.contains("lr"), Comment(rawValue: commit.description))
    }

    @Test func commitWithChangedCommandIsBlocked() throws {
        let repo = try hookedPipelineRepo()
        try repo.write("dvc.yaml", try repo.read("dvc.yaml").replacingOccurrences(of: "cp data.txt", with: "cat data.txt >"))
        try repo.gitOK("add", "dvc.yaml")
        let commit = try repo.gitWithCairn("commit", "-m", "new cmd")
        #expect(commit.status != 0, Comment(rawValue: commit.description))
        #expect(commit.stderr.contains("changed command"), Comment(rawValue: commit.description))
    }

    @Test func stageThatNeverRanIsBlocked() throws {
        let repo = try hookedPipelineRepo()
        try repo.write("dvc.yaml", try repo.read("dvc.yaml") + "  again:\n    cmd: cp out.txt again.txt\n    deps:\n    - out.txt\n    outs:\n    - again.txt\n")
        try repo.gitOK("add", "dvc.yaml")
        let commit = try repo.gitWithCairn("commit", "-m", "new stage")
        #expect(commit.status != 0, Comment(rawValue: commit.description))
        #expect(commit.stderr.contains("again: no entry in dvc.lock"), Comment(rawValue: commit.description))
        #expect(commit.stderr.contains("cairn repro again"), Comment(rawValue: commit.description))
    }

    @Test func linkedWorktreeInstallsIntoTheCommonHooks() throws {
        let repo = try hookedPipelineRepo(install: false)
        let linked = repo.temp.path("linked")
        try repo.gitOK("worktree", "add", "-q", "-b", "side", linked)
        try repo.ok(repo.cairn("install", cwd: linked))
        #expect(repo.isFile(".git/hooks/pre-commit"))
        try repo.write(linked + "/data.txt", "two\n")
        try repo.gitOK("add", "data.txt", cwd: linked)
        let folder = (try Binaries.cairn() as NSString).deletingLastPathComponent
        let commit = try repo.run("git", ["commit", "-m", "stale in the linked worktree"], cwd: linked,
                                  environment: ["PATH": "\(folder):/usr/bin:/bin"])
        #expect(commit.status != 0, Comment(rawValue: commit.description))
        #expect(commit.stderr.contains("cairn repro copy"), Comment(rawValue: commit.description))
    }

    @Test func unrelatedAndUnstagedChangesAreAllowed() throws {
        let repo = try hookedPipelineRepo()
        try repo.write("README.md", "hello\n")
        // The dep differs in the workspace but not in the index: the commit records the matching staged content.
        try repo.write("data.txt", "edited but not staged\n")
        try repo.gitOK("add", "README.md")
        let commit = try repo.gitWithCairn("commit", "-m", "readme")
        expectSuccess(commit)
    }

    @Test func stagedPointerToMissingDataIsBlocked() throws {
        let repo = try hookedPipelineRepo()
        try repo.write("ghost.dvc", dvcFileText(md5: md5("nobody has this\n"), size: 16, path: "ghost"))
        try repo.gitOK("add", "ghost.dvc")
        let commit = try repo.gitWithCairn("commit", "-m", "pointer without data")
        #expect(commit.status != 0, Comment(rawValue: commit.description))
        #expect(commit.stderr.contains("ghost.dvc: ghost"), Comment(rawValue: commit.description))
        #expect(commit.stderr.contains("not in the cache"), Comment(rawValue: commit.description))
    }

    @Test func userHookIsKeptChainedAndRestored() throws {
        let repo = try hookedPipelineRepo(install: false)
        let userHook = "#!/bin/sh\necho user hook ran >&2\n[ ! -e block ]\n"
        try repo.write(".git/hooks/pre-commit", userHook, mode: 0o750)
        try repo.ok(repo.cairn("install"))
        let installed = try repo.hookFiles()
        #expect(installed["pre-commit.pre-cairn"] == Array(userHook.utf8))
        try repo.ok(repo.cairn("install"))
        #expect(try repo.hookFiles() == installed, "installing twice changes nothing")

        try repo.write("README.md", "a\n")
        try repo.write("block", "")
        try repo.gitOK("add", "README.md")
        let blocked = try repo.gitWithCairn("commit", "-m", "blocked by the user hook")
        #expect(blocked.status != 0, Comment(rawValue: blocked.description))
        #expect(blocked.stderr.contains("user hook ran"), Comment(rawValue: blocked.description))
        try repo.remove("block")
        let allowed = try repo.gitWithCairn("commit", "-m", "allowed")
        expectSuccess(allowed)
        #expect(allowed.stderr.contains("user hook ran"))

        try repo.ok(repo.cairn("install", "--uninstall"))
        #expect(try repo.hookFiles() == ["pre-commit": Array(userHook.utf8)])
        #expect(try repo.mode(".git/hooks/pre-commit") & 0o7777 == 0o750)
    }

    @Test func hookThatAlreadyCallsDVCIsLeftAlone() throws {
        let repo = try hookedPipelineRepo(install: false)
        let dvcHook = "#!/bin/sh\nexec dvc git-hook pre-commit $@\n"
        try repo.write(".git/hooks/pre-commit", dvcHook, mode: 0o755)
        let install = try repo.cairn("install")
        expectSuccess(install)
        #expect(install.output.contains("left as it is"))
        #expect(try repo.read(".git/hooks/pre-commit") == dvcHook)
        #expect(!repo.exists(".git/hooks/pre-commit.pre-cairn"))
    }

    @Test func coreHooksPathIsUsed() throws {
        let repo = try hookedPipelineRepo(install: false)
        try repo.gitOK("config", "core.hooksPath", "githooks")
        try repo.ok(repo.cairn("install"))
        #expect(repo.isFile("githooks/pre-commit"))
        #expect(!repo.exists(".git/hooks/pre-commit"))
        try repo.write("data.txt", "two\n")
        try repo.gitOK("add", "data.txt")
        #expect(try repo.gitWithCairn("commit", "-m", "stale").status != 0)
    }

    @Test func hooksDoNothingWithoutCairnProject() throws {
        let source = try hookedPipelineRepo()
        let repo = try TestRepo()
        for name in ["pre-commit", "post-checkout", "pre-push"] {
            try repo.write(".git/hooks/\(name)", try source.read(".git/hooks/\(name)"), mode: 0o755)
        }
        try repo.write("a.txt", "a\n")
        try repo.gitOK("add", "a.txt")
        let commit = try repo.gitWithCairn("commit", "-m", "plain git")
        expectSuccess(commit)
        #expect(commit.stderr.isEmpty, Comment(rawValue: commit.description))
        // Even with no cairn reachable at all.
        try repo.write("b.txt", "b\n")
        try repo.gitOK("add", "b.txt")
        expectSuccess(try repo.gitWithCairn("commit", "-m", "no cairn", path: "/usr/bin:/bin"))
        expectSuccess(try repo.cairn("hook", "pre-commit"))
    }

    @Test func missingCairnBlocksTheCommitWithAFix() throws {
        let repo = try hookedPipelineRepo(install: false)
        // Install from a copy of cairn, then remove the copy: neither PATH nor the recorded fallback has cairn.
        let copy = repo.temp.path("gone/cairn")
        try FileManager.default.createDirectory(atPath: repo.temp.path("gone"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try Binaries.cairn(), toPath: copy)
        // A test running in parallel may fork while the copy's write descriptor is open, and its child holds
        // that descriptor until it execs: exec of the copy then fails with ETXTBSY for a moment.
        var attempt = 0
        while true {
            do {
                try repo.ok(repo.run(copy, ["install"]))
                break
            } catch where "\(error)".contains("Text file busy") && attempt < 50 {
                attempt += 1
                usleep(100_000)
            }
        }
        #expect(try repo.read(".git/hooks/pre-commit").contains(copy))
        try FileManager.default.removeItem(atPath: copy)
        try repo.write("README.md", "a\n")
        try repo.gitOK("add", "README.md")
        let commit = try repo.gitWithCairn("commit", "-m", "no cairn", path: "/usr/bin:/bin")
        #expect(commit.status != 0, Comment(rawValue: commit.description))
        #expect(commit.stderr.contains("not on PATH"), Comment(rawValue: commit.description))
        #expect(commit.stderr.contains("make install"), Comment(rawValue: commit.description))
        let checkout = try repo.gitWithCairn("checkout", "-b", "other", path: "/usr/bin:/bin")
        expectSuccess(checkout)
        #expect(checkout.stderr.contains("not on PATH"), "post-checkout warns only")
    }

    @Test func postCheckoutRestoresTheBranchData() throws {
        let repo = try initializedRepo()
        try repo.write("data.txt", "main\n")
        try repo.ok(repo.cairn("add", "data.txt"))
        try repo.commitAll("data on main")
        try repo.ok(repo.cairn("install"))
        try repo.gitOK("checkout", "-q", "-b", "other")
        try repo.write("data.txt", "other\n")
        try repo.ok(repo.cairn("add", "data.txt"))
        try repo.gitOK("add", "data.txt.dvc")
        expectSuccess(try repo.gitWithCairn("commit", "-q", "-m", "data on other"))
        expectSuccess(try repo.gitWithCairn("checkout", "-q", "main"))
        #expect(try repo.read("data.txt") == "main\n")
        expectSuccess(try repo.gitWithCairn("checkout", "-q", "other"))
        #expect(try repo.read("data.txt") == "other\n")
    }

    @Test func prePushPushesTheData() throws {
        let repo = try initializedRepo()
        let store = repo.temp.path("store")
        try repo.ok(repo.cairn("remote", "add", "-d", "store", store))
        try repo.write("data.txt", "pushed by the hook\n")
        try repo.ok(repo.cairn("add", "data.txt"))
        try repo.commitAll("data")
        try repo.ok(repo.cairn("install"))
        let origin = repo.temp.path("origin.git")
        try repo.gitOK("init", "-q", "--bare", origin)
        try repo.gitOK("remote", "add", "origin", origin)
        let push = try repo.gitWithCairn("push", "-q", "origin", "main")
        expectSuccess(push)
        let hash = md5("pushed by the hook\n")
        let object = store + "/files/md5/" + hash.prefix(2) + "/" + hash.dropFirst(2)
        #expect(FileManager.default.fileExists(atPath: object), Comment(rawValue: push.description))
    }

    @Test func prePushGivesStdinToTheChainedHookAndStopsWhenPushFails() throws {
        let repo = try initializedRepo()
        try repo.write(".git/hooks/pre-push", "#!/bin/sh\ncat > \"$(dirname \"$0\")/../seen-by-user-hook\"\n", mode: 0o755)
        try repo.ok(repo.cairn("install"))
        let origin = repo.temp.path("origin.git")
        try repo.gitOK("init", "-q", "--bare", origin)
        try repo.gitOK("remote", "add", "origin", origin)
        // No cairn remote is configured: `cairn push` fails, so the git push must not go through.
        let push = try repo.gitWithCairn("push", "-q", "origin", "main")
        #expect(push.status != 0, Comment(rawValue: push.description))
        #expect(push.stderr.contains("cairn pre-push hook"), Comment(rawValue: push.description))
        #expect(try repo.read(".git/seen-by-user-hook").contains("refs/heads/main"))
        #expect(try repo.git("--git-dir", origin, "rev-parse", "--verify", "-q", "refs/heads/main").status != 0)
    }

    @Test func preCommitToolConfigIsCreatedAndExtended() throws {
        let repo = try hookedPipelineRepo(install: false)
        try repo.ok(repo.cairn("install", "--use-pre-commit-tool"))
        let created = try repo.read(".pre-commit-config.yaml")
        for id in ["cairn-pre-commit", "cairn-post-checkout", "cairn-pre-push"] { #expect(created.contains("id: \(id)")) }
        #expect(!repo.exists(".git/hooks/pre-commit"))
        try repo.ok(repo.cairn("install", "--use-pre-commit-tool"))
        #expect(try repo.read(".pre-commit-config.yaml") == created)

        let other = try TestRepo()
        try other.initCairn()
        let mine = "# my hooks\nrepos:\n# keep me\n- repo: https://github.com/psf/black\n  rev: 24.1.0\n  hooks:\n  - id: black\n"
        try other.write(".pre-commit-config.yaml", mine)
        try other.ok(other.cairn("install", "--use-pre-commit-tool"))
        let extended = try other.read(".pre-commit-config.yaml")
        #expect(extended.contains("# my hooks") && extended.contains("# keep me") && extended.contains("- id: black"))
        #expect(extended.contains("- repo: local\n  hooks:\n    - id: cairn-pre-commit"))
        try other.ok(other.cairn("install", "--use-pre-commit-tool"))
        #expect(try other.read(".pre-commit-config.yaml") == extended)
    }
}
