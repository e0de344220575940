import CairnTestSupport
import Foundation
import Testing

/// `cairn checkout`: restoring from the cache, protecting unsaved edits, `-f`, `--relink`, `--summary`.
@Suite struct CheckoutTests {
    /// A committed repo tracking `d/` (a.txt, b.txt, sub/c.txt) and `s.txt`.
    static func trackedRepo() throws -> TestRepo {
        let repo = try initializedRepo()
        try repo.write("d/a.txt", "a\n")
        try repo.write("d/b.txt", "b\n")
        try repo.write("d/sub/c.txt", "c\n")
        try repo.write("s.txt", "s\n")
        try repo.ok(repo.cairn("add", "d", "s.txt"))
        try repo.commitAll("track")
        return repo
    }

    static func lines(_ text: String) -> Set<String> {
        Set(text.split(separator: "\n").map(String.init))
    }

    /// Everything in the sandbox except git's and cairn's private state.
    static func workspaceSnapshot(_ repo: TestRepo) throws -> [String: TestRepo.Entry] {
        try repo.snapshot(excluding: ["repo/.git", "repo/.dvc/tmp", "site-cache", "home"])
    }

    @Test func restoresDeletedOutputs() throws {
        let repo = try Self.trackedRepo()
        let data = try repo.tree("d")
        try repo.remove("d")
        try repo.remove("s.txt")
        let result = try repo.cairn("checkout")
        expectSuccess(result)
        #expect(Self.lines(result.stdout) == ["A       d/", "A       s.txt"], Comment(rawValue: result.description))
        #expect(try repo.tree("d") == data)
        #expect(try repo.read("s.txt") == "s\n")
        try expectClean(repo)
        let again = try repo.cairn("checkout")
        expectSuccess(again)
        #expect(again.stdout == "", Comment(rawValue: again.description))
    }

    @Test func restoresPartsOfADirectory() throws {
        let repo = try Self.trackedRepo()
        try repo.remove("d/sub")
        try repo.remove("d/a.txt")
        let result = try repo.cairn("checkout", "d")
        expectSuccess(result)
        #expect(result.stdout == "M       d/\n")
        #expect(try repo.read("d/sub/c.txt") == "c\n")
        #expect(try repo.read("d/a.txt") == "a\n")
    }

    @Test func targetsLimitTheCheckout() throws {
        let repo = try Self.trackedRepo()
        try repo.remove("d")
        try repo.remove("s.txt")
        let single = try repo.cairn("checkout", "s.txt.dvc")
        expectSuccess(single)
        #expect(single.stdout == "A       s.txt\n")
        #expect(!repo.exists("d"))
        let byOutput = try repo.cairn("checkout", "d")
        expectSuccess(byOutput)
        #expect(byOutput.stdout == "A       d/\n")
        #expect(repo.exists("d/a.txt"))
    }

    @Test func refusesToOverwriteUnsavedEdits() throws {
        let repo = try Self.trackedRepo()
        try repo.write("s.txt", "unsaved edit\n")
        try repo.write("d/a.txt", "unsaved a\n")
        try repo.write("d/extra.txt", "unsaved extra\n")
        try repo.remove("d/b.txt")
        let before = try Self.workspaceSnapshot(repo)
        let result = try repo.cairn("checkout")
        expectFailure(result, mentioning: [
            "Can't remove the following unsaved files without confirmation. Use `--force` to force.",
            "s.txt", "d/a.txt", "d/extra.txt",
        ])
        #expect(!result.stderr.contains("b.txt"), Comment(rawValue: result.description))
        #expect(TestRepo.differences(before, try Self.workspaceSnapshot(repo)) == [],
                "a refused checkout changes nothing (d/b.txt is not restored either)")
    }

    @Test func forceOverwritesAndRemovesExtraFiles() throws {
        let repo = try Self.trackedRepo()
        try repo.write("s.txt", "unsaved edit\n")
        try repo.write("d/extra.txt", "unsaved extra\n")
        let result = try repo.cairn("checkout", "-f")
        expectSuccess(result)
        #expect(Self.lines(result.stdout) == ["M       d/", "M       s.txt"], Comment(rawValue: result.description))
        #expect(try repo.read("s.txt") == "s\n")
        #expect(!repo.exists("d/extra.txt"))
        try expectClean(repo)
    }

    @Test func editsWhoseContentIsCachedNeedNoForce() throws {
        // Content that is already in the cache is not "unsaved": DVC replaces it without asking.
        let repo = try Self.trackedRepo()
        try repo.write("s.txt", "second\n")
        try repo.ok(repo.cairn("add", "s.txt"))
        try repo.gitOK("checkout", "-q", "--", "s.txt.dvc")
        let result = try repo.cairn("checkout")
        expectSuccess(result)
        #expect(result.stdout == "M       s.txt\n")
        #expect(try repo.read("s.txt") == "s\n")
    }

    @Test func summaryCountsFiles() throws {
        let repo = try Self.trackedRepo()
        try repo.remove("d")
        try repo.remove("s.txt")
        let added = try repo.cairn("checkout", "--summary")
        expectSuccess(added)
        #expect(added.stdout == "4 files added\n")
        let nothing = try repo.cairn("checkout", "--summary")
        expectSuccess(nothing)
        #expect(nothing.stdout == "No changes.\n")
        try repo.remove("d/a.txt")
        try repo.write("s.txt", "edit\n")
        let mixed = try repo.cairn("checkout", "--summary", "-f")
        expectSuccess(mixed)
        #expect(mixed.stdout == "1 file modified and 1 file added\n")
    }

    @Test func missingObjectsFailNamingTheTargets() throws {
        let repo = try Self.trackedRepo()
        try repo.remove(".dvc/cache")
        try repo.remove("d")
        try repo.remove("s.txt")
        let result = try repo.cairn("checkout")
        expectFailure(result, mentioning: ["Checkout failed for following targets:", "s.txt", "d"])
        #expect(!repo.exists("s.txt"))
    }

    @Test func checkoutFollowsTheDVCFilesOfAnotherCommit() throws {
        let repo = try Self.trackedRepo()
        try repo.write("s.txt", "version two\n")
        try repo.ok(repo.cairn("add", "s.txt"))
        try repo.commitAll("v2")
        try repo.gitOK("checkout", "-q", "HEAD~1")
        let back = try repo.cairn("checkout")
        expectSuccess(back)
        #expect(back.stdout == "M       s.txt\n")
        #expect(try repo.read("s.txt") == "s\n")
        try repo.gitOK("checkout", "-q", "main")
        expectSuccess(try repo.cairn("checkout"))
        #expect(try repo.read("s.txt") == "version two\n")
        try expectClean(repo)
    }
}

/// `cache.type`: hardlinks, symlinks and copies, with DVC's modes.
@Suite struct LinkTypeTests {
    static func repo(linkType: String) throws -> TestRepo {
        let repo = try initializedRepo()
        if linkType != "default" { try repo.ok(repo.cairn("config", "cache.type", linkType)) }
        try repo.write("d/a.txt", "a\n")
        try repo.write("d/sub/b.txt", "b\n")
        try repo.write("s.txt", "s\n")
        try repo.write("run.sh", "#!/bin/sh\n", mode: 0o755)
        return repo
    }

    @Test func hardlinksShareTheObjectsInode() throws {
        let repo = try Self.repo(linkType: "hardlink")
        #expect(try repo.read(".dvc/config") == "[cache]\n    type = hardlink\n")
        expectSuccess(try repo.cairn("add", "d", "s.txt"))
        try checkHardlinks(repo)
        try repo.remove("d")
        try repo.remove("s.txt")
        expectSuccess(try repo.cairn("checkout"))
        try checkHardlinks(repo)
        try expectClean(repo)
    }

    private func checkHardlinks(_ repo: TestRepo, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (file, content) in [("d/a.txt", "a\n"), ("d/sub/b.txt", "b\n"), ("s.txt", "s\n")] {
            let object = repo.cacheObjectRelativePath(md5(content))
            #expect(repo.isFile(file), "\(file)", sourceLocation: sourceLocation)
            #expect(try repo.inode(file) == repo.inode(object), "\(file)", sourceLocation: sourceLocation)
            let mode = try repo.mode(file)
            #expect(mode == 0o444, "\(file) has mode \(String(mode, radix: 8))", sourceLocation: sourceLocation)
            #expect(try repo.linkCount(file) == 2, "\(file)", sourceLocation: sourceLocation)
        }
        #expect(repo.isDirectory("d/sub"), sourceLocation: sourceLocation)
    }

    @Test func symlinksPointAbsolutelyIntoTheCache() throws {
        let repo = try Self.repo(linkType: "symlink")
        expectSuccess(try repo.cairn("add", "d", "s.txt"))
        try checkSymlinks(repo)
        try repo.remove("d")
        try repo.remove("s.txt")
        expectSuccess(try repo.cairn("checkout"))
        try checkSymlinks(repo)
        try expectClean(repo)
    }

    private func checkSymlinks(_ repo: TestRepo, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (file, content) in [("d/a.txt", "a\n"), ("d/sub/b.txt", "b\n"), ("s.txt", "s\n")] {
            #expect(repo.isSymlink(file), "\(file)", sourceLocation: sourceLocation)
            #expect(try repo.symlinkTarget(file) == repo.cacheObjectPath(md5(content)), sourceLocation: sourceLocation)
            #expect(try repo.mode(repo.cacheObjectRelativePath(md5(content))) == 0o444, sourceLocation: sourceLocation)
        }
        // Folders are real folders, only files are linked.
        #expect(repo.isDirectory("d"), sourceLocation: sourceLocation)
        #expect(repo.isDirectory("d/sub"), sourceLocation: sourceLocation)
    }

    @Test(arguments: ["copy", "default"])
    func copiesAreIndependentAndWritable(_ linkType: String) throws {
        let repo = try Self.repo(linkType: linkType)
        expectSuccess(try repo.cairn("add", "d", "s.txt", "run.sh"))
        try repo.remove("d")
        try repo.remove("s.txt")
        try repo.remove("run.sh")
        expectSuccess(try repo.cairn("checkout"))
        for (file, content) in [("d/a.txt", "a\n"), ("d/sub/b.txt", "b\n"), ("s.txt", "s\n")] {
            let object = repo.cacheObjectRelativePath(md5(content))
            #expect(repo.isFile(file))
            #expect(try repo.inode(file) != repo.inode(object), "\(file)")
            #expect(try repo.linkCount(file) == 1, "\(file)")
            #expect(try repo.mode(file) == Expected.copiedFileMode, "\(file)")
            #expect(try repo.mode(object) == Expected.objectMode, "\(file)")
        }
        #expect(try repo.mode("run.sh") == Expected.copiedExecutableMode)
        #expect(try repo.read("run.sh") == "#!/bin/sh\n")
        try expectClean(repo)
        // A copy can be edited without touching the cache.
        try repo.overwriteInPlace("s.txt", "edited\n")
        #expect(try repo.read(repo.cacheObjectRelativePath(md5("s\n"))) == "s\n")
    }

    @Test func relinkSwitchesAnExistingWorkspaceToTheConfiguredType() throws {
        let repo = try Self.repo(linkType: "copy")
        expectSuccess(try repo.cairn("add", "d", "s.txt"))
        expectSuccess(try repo.cairn("config", "cache.type", "hardlink"))
        let plain = try repo.cairn("checkout")
        expectSuccess(plain)
        #expect(try repo.linkCount("s.txt") == 1, "without --relink matching content is left alone")
        let relinked = try repo.cairn("checkout", "--relink")
        expectSuccess(relinked)
        #expect(try repo.inode("s.txt") == repo.inode(repo.cacheObjectRelativePath(md5("s\n"))))
        #expect(try repo.inode("d/sub/b.txt") == repo.inode(repo.cacheObjectRelativePath(md5("b\n"))))
        try expectClean(repo)
    }
}
