import CairnGit
import Foundation
import Testing

@Suite struct GitPathCommitTests {
    private let author = GitSignature(name: "Ada Author", email: "ada@example.com", time: 1_700_000_100)

    @Test func commitsOnlyTheNamedFilesAndKeepsOtherStagedChangesStaged() throws {
        let sandbox = try GitSandbox()
        try sandbox.write("dvc.lock", "v1\n")
        try sandbox.write("gone.dvc", "x\n")
        try sandbox.commit("base")
        try sandbox.write("dvc.lock", "v2\n")
        try sandbox.write("new.dvc", "n\n")
        try sandbox.write("run.sh", "#!/bin/sh\n")
        chmod(sandbox.path + "/run.sh", 0o755)
        _ = try sandbox.git("add", "run.sh")
        try FileManager.default.removeItem(atPath: sandbox.path + "/gone.dvc")
        try sandbox.write("user.txt", "staged by the user\n")
        _ = try sandbox.git("add", "user.txt")

        let repo = try GitRepository.open(sandbox.path)
        let made = try #require(
            try repo.commitWorkTreeFiles(
                ["dvc.lock", "new.dvc", "gone.dvc", "missing.dvc"], message: "Results", author: author,
                committer: author))
        #expect(made.paths == ["dvc.lock", "gone.dvc", "new.dvc"])
        #expect(try sandbox.run(["show", "--name-status", "--format=", "HEAD"]) == "M\tdvc.lock\nD\tgone.dvc\nA\tnew.dvc\n")
        let status = try sandbox.run(["status", "--porcelain"])
        #expect(status == "A  run.sh\nA  user.txt\n", Comment(rawValue: status))
        #expect(try repo.commitWorkTreeFiles(["dvc.lock"], message: "again", author: author, committer: author) == nil)
    }

    @Test func executableBitAndFirstCommit() throws {
        let sandbox = try GitSandbox()
        try sandbox.write("tool.sh", "#!/bin/sh\n")
        chmod(sandbox.path + "/tool.sh", 0o755)
        let repo = try GitRepository.open(sandbox.path)
        let made = try #require(try repo.commitWorkTreeFiles(["tool.sh"], message: "m", author: author, committer: author))
        #expect(made.parent == nil)
        #expect(try sandbox.run(["ls-tree", "HEAD"]).hasPrefix("100755 blob"))
    }

    @Test func refusesDuringAMerge() throws {
        let sandbox = try GitSandbox()
        try sandbox.write("a", "1\n")
        let base = try sandbox.commit("base")
        try "\(base)\n".write(toFile: sandbox.path + "/.git/MERGE_HEAD", atomically: true, encoding: .utf8)
        let repo = try GitRepository.open(sandbox.path)
        #expect(repo.operationInProgress() == "a merge")
        #expect(throws: GitError.self) {
            try repo.commitWorkTreeFiles(["a"], message: "m", author: author, committer: author)
        }
    }
}

@Suite struct GitIdentityTests {
    @Test func environmentWinsOverConfigAndRoleKeysOverUserKeys() throws {
        let config = ["user.name": "User", "user.email": "user@x", "committer.name": "Committer"]
        let lookup: (String) throws -> String? = { config[$0] }
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let utc = TimeZone(identifier: "UTC")!
        let author = try GitIdentity.signature(.author, environment: ["GIT_AUTHOR_NAME": "Env"], config: lookup, now: now, timeZone: utc)
        #expect(author == GitSignature(name: "Env", email: "user@x", time: 1_700_000_000, offsetMinutes: 0))
        let committer = try GitIdentity.signature(.committer, environment: ["EMAIL": "mail@x"], config: lookup, now: now, timeZone: utc)
        #expect(committer.name == "Committer" && committer.email == "user@x")
        let fromEMAIL = try GitIdentity.signature(.author, environment: ["EMAIL": "mail@x"], config: { $0 == "user.name" ? "U" : nil })
        #expect(fromEMAIL.email == "mail@x")
        #expect(throws: GitError.self) { try GitIdentity.signature(.author, environment: [:], config: { _ in nil }) }
        let dated = try GitIdentity.signature(.author, environment: ["GIT_AUTHOR_DATE": "@1704067200 +0130"], config: lookup)
        #expect(dated.time == 1_704_067_200 && dated.offsetMinutes == 90)
        #expect(throws: GitError.self) {
            try GitIdentity.signature(.author, environment: ["GIT_AUTHOR_DATE": "yesterday"], config: lookup)
        }
    }

    @Test func dateFormatsGitAccepts() {
        #expect(GitIdentity.parseDate("@1112911993 +0200")! == (1_112_911_993, 120))
        #expect(GitIdentity.parseDate("1112911993 -0530")! == (1_112_911_993, -330))
        #expect(GitIdentity.parseDate("2005-04-07T22:13:13+02:00")! == (1_112_904_793, 120))
        #expect(GitIdentity.parseDate("2005-04-07 22:13:13 +0200")! == (1_112_904_793, 120))
        #expect(GitIdentity.parseDate("2005-04-07T20:13:13Z")! == (1_112_904_793, 0))
        #expect(GitIdentity.parseDate("Thu, 07 Apr 2005 22:13:13 +0200")! == (1_112_904_793, 120))
        #expect(GitIdentity.parseDate("next tuesday") == nil)
    }
}
