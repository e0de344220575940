import CairnTestSupport
import Foundation
import Testing

/// A cache object whose bytes do not match its name.
@Suite struct CorruptionTests {
    static func corruptedRepo(linkType: String = "copy") throws -> TestRepo {
        let repo = try initializedRepo()
        try repo.ok(repo.cairn("config", "cache.type", linkType))
        try repo.write("s.txt", "single\n")
        try repo.write("d/a.txt", "a\n")
        try repo.write("d/b.txt", "b\n")
        try repo.ok(repo.cairn("add", "s.txt", "d"))
        try repo.commitAll("track")
        for id in [md5("single\n"), md5("a\n")] {
            try repo.overwriteInPlace(repo.cacheObjectRelativePath(id), "corrupt!\n")
        }
        try repo.remove("s.txt")
        try repo.remove("d")
        return repo
    }

    @Test func copyingCheckoutDetectsTheCorruptionAndLeavesNoFile() throws {
        let repo = try Self.corruptedRepo()
        let result = try repo.cairn("checkout", "s.txt.dvc")
        expectFailure(result)
        let id = md5("single\n")
        #expect(result.stderr.contains(id) || result.stderr.contains(String(id.dropFirst(2))),
                "the corrupt object must be named\n\(result)")
        #expect(!repo.exists("s.txt"))
        // No temp file left beside it either.
        #expect(try repo.files().filter { !$0.hasPrefix(".dvc/") && !$0.hasPrefix(".git/") }.sorted()
                == [".dvcignore", ".gitignore", "d.dvc", "s.txt.dvc"])
    }

    @Test func corruptFileInsideADirectoryIsNotCheckedOut() throws {
        let repo = try Self.corruptedRepo()
        let result = try repo.cairn("checkout", "d")
        expectFailure(result)
        #expect(result.stderr.contains(String(md5("a\n").dropFirst(2))), Comment(rawValue: result.description))
        #expect(!repo.exists("d/a.txt"))
        if repo.exists("d/b.txt") { #expect(try repo.read("d/b.txt") == "b\n") }
        let status = try repo.cairn("status")
        expectSuccess(status)
        #expect(status.stdout != Expected.upToDate)
    }

    @Test func cacheVerifyListsTheCorruptObjects() throws {
        let repo = try Self.corruptedRepo()
        let result = try repo.cairn("cache", "verify")
        expectExit(result, 1)
        #expect(result.stdout.contains(String(md5("single\n").dropFirst(2))), Comment(rawValue: result.description))
        #expect(result.stdout.contains(String(md5("a\n").dropFirst(2))), Comment(rawValue: result.description))
        #expect(!result.stdout.contains(String(md5("b\n").dropFirst(2))), Comment(rawValue: result.description))
    }

    @Test func linkedCheckoutTrustsReadOnlyObjectsAsDVCDoes() throws {
        let repo = try Self.corruptedRepo(linkType: "hardlink")
        let result = try repo.cairn("checkout", "s.txt.dvc")
        expectSuccess(result)
        #expect(try repo.inode("s.txt") == repo.inode(repo.cacheObjectRelativePath(md5("single\n"))))
    }

    @Test func linkedCheckoutRechecksAnObjectThatLostItsReadOnlyMode() throws {
        let repo = try initializedRepo()
        try repo.ok(repo.cairn("config", "cache.type", "hardlink"))
        try repo.write("ok.txt", "intact\n")
        try repo.write("bad.txt", "original\n")
        try repo.ok(repo.cairn("add", "ok.txt", "bad.txt"))
        // A writable object with intact bytes is re-protected; one edited through its hard link is refused.
        try repo.chmod(repo.cacheObjectRelativePath(md5("intact\n")), 0o644)
        try repo.chmod(repo.cacheObjectRelativePath(md5("original\n")), 0o644)
        try repo.overwriteInPlace("bad.txt", "edited!!\n")
        try repo.remove("ok.txt")
        try repo.remove("bad.txt")
        expectSuccess(try repo.cairn("checkout", "ok.txt.dvc"))
        #expect(try repo.mode(repo.cacheObjectRelativePath(md5("intact\n"))) == 0o444)
        #expect(try repo.inode("ok.txt") == repo.inode(repo.cacheObjectRelativePath(md5("intact\n"))))
        let result = try repo.cairn("checkout", "bad.txt.dvc")
        expectFailure(result, mentioning: [String(md5("original\n").dropFirst(2))])
        #expect(!repo.exists("bad.txt"))
    }
}
