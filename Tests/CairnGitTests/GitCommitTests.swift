import CairnGit
import Foundation
import Testing

@Suite struct GitCommitTests {
    private let author = GitSignature(name: "Ada Author", email: "ada@example.com", time: 1_700_000_100, offsetMinutes: 120)
    private let committer = GitSignature(name: "Carl Committer", email: "carl@example.com", time: 1_700_000_200)

    @Test func firstCommitOnAnUnbornBranchThenASecond() throws {
        let sandbox = try GitSandbox()
        try sandbox.write("data.dvc", "outs:\n- md5: x\n")
        try sandbox.write(".gitignore", "/data\n")
        let repo = try GitRepository.open(sandbox.path)
        #expect(try repo.headCommit() == nil)
        try repo.addToIndex(["data.dvc", ".gitignore"])
        let first = try repo.commit(message: "Track data", author: author, committer: committer)
        #expect(try repo.headCommit() == first)
        #expect(try repo.commitInfo(first).parents.isEmpty)

        let log = try sandbox.line("log", "--format=%H|%P|%an|%ae|%at|%ai|%cn|%ce|%ct|%B")
        #expect(
            log == "\(first.hex)||Ada Author|ada@example.com|1700000100|2023-11-15 00:15:00 +0200|Carl Committer|"
                + "carl@example.com|1700000200|Track data")
        #expect(try sandbox.run(["cat-file", "-p", first.hex]).hasSuffix("\n\nTrack data\n"))
        #expect(try sandbox.run(["status", "--porcelain"]).isEmpty)
        #expect(try sandbox.line("rev-parse", "main") == first.hex)

        try sandbox.write("data.dvc", "outs:\n- md5: y\n")
        try repo.addToIndex(["data.dvc"])
        let second = try repo.commit(message: "Update data\n\n\nmore  \n\n", author: author, committer: committer)
        #expect(try repo.commitInfo(second).parents == [first])
        #expect(try repo.commitInfo(second).message == "Update data\n\nmore\n")
        #expect(try sandbox.line("rev-list", "--count", "HEAD") == "2")
        #expect(try sandbox.line("reflog", "-1", "--format=%gs") == "commit: Update data")
        #expect(try repo.blob(at: second, path: "data.dvc") == Array("outs:\n- md5: y\n".utf8))
    }

    @Test func commitToAnotherRef() throws {
        let sandbox = try GitSandbox()
        try sandbox.write("a", "a")
        let base = try sandbox.commit("base")
        let repo = try GitRepository.open(sandbox.path)
        try sandbox.git("branch", "side")
        try sandbox.write("b", "b")
        try repo.addToIndex(["b"])
        let onSide = try repo.commit(message: "on side", author: author, committer: committer, updateRef: "refs/heads/side")
        #expect(try sandbox.line("rev-parse", "side") == onSide.hex)
        #expect(try sandbox.line("rev-parse", "main") == base)
        #expect(try repo.commitInfo(onSide).parents.map(\.hex) == [base])
    }

    @Test func defaultSignatureReadsRepositoryConfig() throws {
        let sandbox = try GitSandbox()
        try sandbox.git("config", "user.name", "Repo User")
        try sandbox.git("config", "user.email", "repo@example.com")
        let signature = try GitRepository.open(sandbox.path).defaultSignature()
        #expect(signature.name == "Repo User")
        #expect(signature.email == "repo@example.com")
    }

    @Test func invalidSignatureIsAGitError() throws {
        let sandbox = try GitSandbox()
        let repo = try GitRepository.open(sandbox.path)
        let nobody = GitSignature(name: "", email: "")
        #expect(throws: GitError.self) { try repo.commit(message: "x", author: nobody, committer: nobody) }
    }
}
