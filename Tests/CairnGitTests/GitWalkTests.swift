import CairnGit
import Foundation
import Testing

@Suite struct GitWalkTests {
    /// main: c1 - c2 - c3; side branch from c1: s1.
    private func history() throws -> (GitSandbox, [String]) {
        let sandbox = try GitSandbox()
        try sandbox.write("dvc.lock", "one\n")
        let c1 = try sandbox.commit("first")
        try sandbox.write("other.txt", "x\n")
        let c2 = try sandbox.commit("second")
        try sandbox.write("dvc.lock", "two\n")
        let c3 = try sandbox.commit("third")
        try sandbox.git("checkout", "-q", "-b", "side", c1)
        try sandbox.write("sub/a.dvc", "side\n")
        let s1 = try sandbox.commit("side work")
        try sandbox.git("checkout", "-q", "main")
        return (sandbox, [c1, c2, c3, s1])
    }

    @Test func walksFromACommitNewestFirstLikeGitLog() throws {
        let (sandbox, ids) = try history()
        let repo = try GitRepository.open(sandbox.path)
        let walk = try repo.walk(from: [GitOID(hex: ids[2])!], order: .timeAndTopological)
        var seen: [String] = []
        while let commit = try walk.next() { seen.append(commit.hex) }
        #expect(seen == [ids[2], ids[1], ids[0]])
    }

    @Test func hidingACommitStopsTheWalkThereAndBatchesSplitTheRest() throws {
        let (sandbox, ids) = try history()
        let repo = try GitRepository.open(sandbox.path)
        let walk = try repo.walk(from: [GitOID(hex: ids[2])!], hiding: [GitOID(hex: ids[0])!], order: .topological)
        #expect(try walk.nextBatch(1).map(\.hex) == [ids[2]])
        #expect(try walk.nextBatch(5).map(\.hex) == [ids[1]])
        #expect(try walk.nextBatch(5).isEmpty)
    }

    @Test func walkAllReachesEveryBranchOnce() throws {
        let (sandbox, ids) = try history()
        let repo = try GitRepository.open(sandbox.path)
        let walk = try repo.walkAll()
        var seen: [String] = []
        while let commit = try walk.next() { seen.append(commit.hex) }
        #expect(Set(seen) == Set(ids))
        #expect(seen.count == ids.count)
    }

    @Test func blobIDsAreGitsIdsWithoutReadingAndNilWhereNoFileIs() throws {
        let (sandbox, ids) = try history()
        let repo = try GitRepository.open(sandbox.path)
        let c2 = GitOID(hex: ids[1])!
        let expected = try sandbox.line("rev-parse", "\(ids[1]):dvc.lock")
        let found = try repo.blobIDs(at: c2, paths: ["dvc.lock", "missing.lock", "other.txt"])
        #expect(found[0]?.hex == expected)
        #expect(found[1] == nil)
        #expect(found[2] != nil)
        #expect(try repo.blobID(at: GitOID(hex: ids[0])!, path: "dvc.lock") == found[0])
        #expect(try repo.blobID(at: GitOID(hex: ids[3])!, path: "sub") == nil)
        #expect(try repo.parents(of: c2).map(\.hex) == [ids[0]])
    }

    @Test func treeIndexListsMatchingFilesOfEachCommit() throws {
        let (sandbox, ids) = try history()
        let repo = try GitRepository.open(sandbox.path)
        let index = GitTreeIndex(repo) { $0 == "dvc.lock" || $0.hasSuffix(".dvc") }
        #expect(try index.files(at: GitOID(hex: ids[3])!).map(\.path) == ["dvc.lock", "sub/a.dvc"])
        #expect(try index.files(at: GitOID(hex: ids[2])!).map(\.path) == ["dvc.lock"])
    }
}
