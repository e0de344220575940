import CairnGit
import Foundation
import Testing

@Suite struct GitObjectTests {
    /// A nested tree: files at several depths, an executable, a symlink.
    private func nestedRepository() throws -> (GitSandbox, first: String, second: String) {
        let sandbox = try GitSandbox()
        try sandbox.write("a.txt", "root file\n")
        try sandbox.write("dir/b.dvc", "outs: b\n")
        try sandbox.write("dir/sub/c.dvc", "outs: c\n")
        try sandbox.write("dir/sub/deeper/d.txt", "deep\n")
        try sandbox.write("run.sh", "#!/bin/sh\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: sandbox.path + "/run.sh")
        try FileManager.default.createSymbolicLink(atPath: sandbox.path + "/link", withDestinationPath: "a.txt")
        let first = try sandbox.commit("nested")
        try sandbox.write("dir/sub/c.dvc", "outs: c2\n")
        try FileManager.default.removeItem(atPath: sandbox.path + "/dir/b.dvc")
        try sandbox.write("new.txt", "new\n")
        let second = try sandbox.commit("change")
        return (sandbox, first, second)
    }

    @Test func blobAtPath() throws {
        let (sandbox, first, second) = try nestedRepository()
        let repo = try GitRepository.open(sandbox.path)
        let one = GitOID(hex: first)!
        let two = GitOID(hex: second)!
        #expect(try repo.blob(at: one, path: "dir/sub/c.dvc") == Array("outs: c\n".utf8))
        #expect(try repo.blob(at: two, path: "dir/sub/c.dvc") == Array("outs: c2\n".utf8))
        #expect(try repo.blob(at: one, path: "./a.txt") == Array("root file\n".utf8))
        #expect(try repo.blob(at: two, path: "dir/b.dvc") == nil)  // deleted
        #expect(try repo.blob(at: one, path: "missing.txt") == nil)
        #expect(try repo.blob(at: one, path: "dir/missing/x") == nil)
        #expect(try repo.blob(at: one, path: "dir/sub") == nil)  // a directory
        #expect(try repo.blob(at: one, path: "") == nil)
        #expect(try repo.blob(at: one, path: "link") == Array("a.txt".utf8))  // the link target, as git stores it
        let tree = try repo.treeID(of: one)
        #expect(try repo.blob(inTree: tree, path: "dir/sub/deeper/d.txt") == Array("deep\n".utf8))
    }

    @Test func blobAtAnUnknownCommitThrows() throws {
        let (sandbox, _, _) = try nestedRepository()
        let repo = try GitRepository.open(sandbox.path)
        let missing = GitOID(hex: String(repeating: "ab", count: 20))!
        let error = try #require(throws: GitError.self) { try repo.blob(at: missing, path: "a.txt") }
        #expect(error.code == .notFound)
        #expect(error.path == missing.hex)
    }

    @Test func filesListsNestedTreesWithoutSymlinks() throws {
        let (sandbox, first, _) = try nestedRepository()
        let repo = try GitRepository.open(sandbox.path)
        let commit = GitOID(hex: first)!
        var seen: [String] = []
        let all = try repo.files(at: commit) { path in
            seen.append(path)
            return true
        }
        #expect(seen == all.map(\.path))
        // git ls-tree -r: mode type id<TAB>path
        var expected: [(String, String)] = []
        for line in try sandbox.run(["ls-tree", "-r", first]).split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            let fields = parts[0].split(separator: " ")
            if fields[0] == "120000" { continue }
            expected.append((String(parts[1]), String(fields[2])))
        }
        #expect(all.map(\.path) == expected.map(\.0))
        #expect(all.map(\.blob.hex) == expected.map(\.1))
        #expect(all.map(\.path).contains("run.sh"))
        #expect(!all.map(\.path).contains("link"))

        let dvcFiles = try repo.files(at: commit) { $0.hasSuffix(".dvc") }
        #expect(dvcFiles.map(\.path) == ["dir/b.dvc", "dir/sub/c.dvc"])
        #expect(try repo.blob(dvcFiles[1].blob) == Array("outs: c\n".utf8))
        let viaTree = try repo.files(inTree: try repo.treeID(of: commit)) { $0.hasSuffix(".dvc") }
        #expect(viaTree.map(\.path) == dvcFiles.map(\.path))
    }

    @Test func treeIDsMatchGitAndRepeatForUnchangedTrees() throws {
        let (sandbox, _, second) = try nestedRepository()
        let empty = try sandbox.commit("nothing changed", allowEmpty: true)
        let repo = try GitRepository.open(sandbox.path)
        let tree = try repo.treeID(of: GitOID(hex: second)!)
        #expect(tree.hex == (try sandbox.line("rev-parse", second + "^{tree}")))
        #expect(try repo.treeID(of: GitOID(hex: empty)!) == tree)
    }

    @Test func commitInfoReadsMetadata() throws {
        let sandbox = try GitSandbox()
        try sandbox.write("a", "1")
        let first = try sandbox.commit("Subject line\n\nBody text.\n")
        let time = sandbox.now
        try sandbox.git("checkout", "-q", "-b", "side")
        try sandbox.write("b", "2")
        let side = try sandbox.commit("side")
        try sandbox.git("checkout", "-q", "main")
        try sandbox.write("c", "3")
        let main = try sandbox.commit("main")
        sandbox.tick()
        try sandbox.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
        let merge = try sandbox.line("rev-parse", "HEAD")

        let repo = try GitRepository.open(sandbox.path)
        let info = try repo.commitInfo(GitOID(hex: first)!)
        #expect(info.id.hex == first)
        #expect(info.parents.isEmpty)
        #expect(info.author.name == "Ada Author")
        #expect(info.author.email == "ada@example.com")
        #expect(info.author.time == Int64(time))
        #expect(info.author.offsetMinutes == 0)
        #expect(info.committer.name == "Carl Committer")
        #expect(info.message == "Subject line\n\nBody text.\n")
        #expect(info.summary == "Subject line")
        #expect(info.tree.hex == (try sandbox.line("rev-parse", first + "^{tree}")))
        let mergeInfo = try repo.commitInfo(GitOID(hex: merge)!)
        #expect(mergeInfo.parents.map(\.hex) == [main, side])
    }

    @Test func changedPathsBetweenCommits() throws {
        let (sandbox, first, second) = try nestedRepository()
        let repo = try GitRepository.open(sandbox.path)
        let one = GitOID(hex: first)!
        let two = GitOID(hex: second)!
        #expect(try repo.changedPaths(between: one, and: two) == ["dir/b.dvc", "dir/sub/c.dvc", "new.txt"])
        let everything = try repo.changedPaths(between: nil, and: one)
        let listed = try sandbox.run(["ls-tree", "-r", "--name-only", first]).split(separator: "\n").map(String.init)
        #expect(everything == listed.sorted())
        #expect(try repo.changedPaths(between: two, and: two).isEmpty)
    }
}
