import CairnTestSupport
import Foundation
import Testing

/// `cairn commit` and `cairn remove` / `rm`.
@Suite struct CommitRemoveTests {
    @Test func commitOfAChangedOutputNeedsForce() throws {
        let repo = try initializedRepo()
        try repo.write("g.txt", "x\n")
        try repo.ok(repo.cairn("add", "g.txt"))
        try repo.write("g.txt", "y\n")
        let before = try repo.read("g.txt.dvc")
        let refused = try repo.cairn("commit")
        expectFailure(refused, mentioning: ["g.txt.dvc", "-f|--force"])
        #expect(try repo.read("g.txt.dvc") == before)
        #expect(!(try repo.cacheObjects()).contains(md5("y\n")))

        let forced = try repo.cairn("commit", "-f")
        expectSuccess(forced)
        #expect(try repo.read("g.txt.dvc") == dvcFileText(md5: md5("y\n"), size: 2, path: "g.txt"))
        #expect(try repo.cacheObjects().contains(md5("y\n")))
        try expectClean(repo)
    }

    @Test func commitWithTargetsTouchesOnlyThem() throws {
        let repo = try initializedRepo()
        try repo.write("a.txt", "a\n")
        try repo.write("d/b.txt", "b\n")
        try repo.ok(repo.cairn("add", "a.txt", "d"))
        try repo.write("a.txt", "a2\n")
        try repo.write("d/b.txt", "b2\n")
        try repo.write("d/new.txt", "n\n")
        expectSuccess(try repo.cairn("commit", "-f", "d.dvc"))
        let id = md5(manifest([("b.txt", md5("b2\n")), ("new.txt", md5("n\n"))])) + ".dir"
        #expect(try repo.read("d.dvc") == dvcDirText(md5: id, size: 5, nfiles: 2, path: "d"))
        #expect(try repo.read("a.txt.dvc") == dvcFileText(md5: md5("a\n"), size: 2, path: "a.txt"))
        let status = try repo.cairn("status")
        #expect(status.stdout == "a.txt.dvc:\n\tchanged outs:\n\t\tmodified:           a.txt\n")
    }

    @Test func commitOfUnchangedDataIsANoOp() throws {
        let repo = try initializedRepo()
        try repo.write("a.txt", "a\n")
        try repo.ok(repo.cairn("add", "a.txt"))
        let before = try repo.read("a.txt.dvc")
        let objects = try repo.snapshot(".dvc/cache")
        expectSuccess(try repo.cairn("commit"))
        #expect(try repo.read("a.txt.dvc") == before)
        #expect(TestRepo.differences(objects, try repo.snapshot(".dvc/cache")) == [])
    }

    @Test func removeStopsTrackingButKeepsTheData() throws {
        let repo = try initializedRepo()
        try repo.write(".gitignore", "*.log\n")
        try repo.write("a.txt", "a\n")
        try repo.write("b.txt", "b\n")
        try repo.ok(repo.cairn("add", "a.txt", "b.txt"))
        #expect(try repo.read(".gitignore") == "*.log\n/a.txt\n/b.txt\n")
        let result = try repo.cairn("remove", "a.txt.dvc")
        expectSuccess(result)
        #expect(!repo.exists("a.txt.dvc"))
        #expect(try repo.read("a.txt") == "a\n")
        #expect(try repo.read(".gitignore") == "*.log\n/b.txt\n")
        #expect(try repo.cacheObjects().contains(md5("a\n")), "the cache is left to gc")
    }

    @Test func rmWithOutsDeletesTheDataAndAnEmptyGitignore() throws {
        let repo = try initializedRepo()
        try repo.write("d/a.txt", "a\n")
        try repo.ok(repo.cairn("add", "d"))
        let result = try repo.cairn("rm", "d.dvc", "--outs")
        expectSuccess(result)
        #expect(!repo.exists("d.dvc"))
        #expect(!repo.exists("d"))
        #expect(!repo.exists(".gitignore"))
    }

    @Test func removeOfSomethingNotTrackedFails() throws {
        let repo = try initializedRepo()
        try repo.write("a.txt", "a\n")
        let missing = try repo.cairn("remove", "nope.dvc")
        expectFailure(missing, mentioning: ["nope.dvc"])
        let plain = try repo.cairn("remove", "a.txt")
        #expect(plain.status == 255, Comment(rawValue: plain.description))
        #expect(try repo.read("a.txt") == "a\n")
    }
}
