import CairnTestSupport
import Foundation
import Testing

/// `cairn add`: `.dvc` files, cache objects and `.gitignore` entries byte-identical to DVC's.
@Suite struct AddTests {
    /// The fixture's cache objects, as ids (`hex` / `hex.dir`).
    static func fixtureObjects() throws -> [String] {
        let base = Fixtures.file("01-add/cache/files/md5").path
        var ids: [String] = []
        for shard in try FileManager.default.contentsOfDirectory(atPath: base) {
            for name in try FileManager.default.contentsOfDirectory(atPath: base + "/" + shard) {
                ids.append(shard + name)
            }
        }
        return ids.sorted()
    }

    @Test func addMatchesTheDVCFixtureByteForByte() throws {
        let repo = try initializedRepo()
        try repo.copyFixture("01-add/workspace")
        let result = try repo.cairn("add", "data", "single.txt", "run.sh")
        expectSuccess(result)
        #expect(Expected.filesInTrackingHint(result.stdout)
                == ["data.dvc", "single.txt.dvc", "run.sh.dvc", ".gitignore"], Comment(rawValue: result.description))
        #expect(result.stdout.hasSuffix("To enable auto staging, run:\n\n\tcairn config core.autostage true\n"))
        for name in ["data.dvc", "single.txt.dvc", "run.sh.dvc"] {
            #expect(try repo.bytes(name) == Fixtures.bytes("01-add/\(name)"), "\(name)")
        }
        #expect(try repo.bytes(".gitignore") == Fixtures.bytes("01-add/gitignore"))
        let expected = try Self.fixtureObjects()
        #expect(try repo.cacheObjects() == expected)
        #expect(try repo.cacheFiles().count == expected.count, "no stray files in the cache")
        for id in expected {
            let relative = "01-add/cache/files/md5/\(id.prefix(2))/\(id.dropFirst(2))"
            #expect(try repo.bytes(repo.cacheObjectRelativePath(id)) == Fixtures.bytes(relative), "\(id)")
            #expect(try repo.mode(repo.cacheObjectRelativePath(id)) == Expected.objectMode, "mode of \(id)")
        }
        // The workspace keeps its content.
        #expect(try repo.md5("single.txt") == "8eb2cdea0e9735d773897e785ff2d121")
        try expectClean(repo)
        // `.dvc/cache` is git-ignored by `.dvc/.gitignore`; nothing tracked is left unstaged except what the hint names.
        let porcelain = try repo.gitOK("status", "--porcelain", "--untracked-files=all")
        #expect(porcelain.split(separator: "\n").sorted() == ["?? .gitignore", "?? data.dvc", "?? run.sh.dvc",
                                                                "?? single.txt.dvc"])
    }

    @Test func addWritesTheGitignoreNextToTheOutput() throws {
        let repo = try initializedRepo()
        try repo.write("sub/deep/f.bin", "bytes\n")
        try repo.write("sub/other.txt", "o\n")
        let result = try repo.cairn("add", "sub/deep/f.bin")
        expectSuccess(result)
        #expect(result.stdout == Expected.trackingHint(["sub/deep/f.bin.dvc", "sub/deep/.gitignore"]))
        #expect(try repo.read("sub/deep/f.bin.dvc") == dvcFileText(md5: md5("bytes\n"), size: 6, path: "f.bin"))
        #expect(try repo.read("sub/deep/.gitignore") == "/f.bin\n")
        #expect(!repo.exists(".gitignore"))
        #expect(!repo.exists("sub/.gitignore"))
        // A second output in the same folder appends; an existing line without a final newline is completed.
        try repo.write("sub/deep/.gitignore", "/f.bin\n*.log")
        try repo.write("sub/deep/g.bin", "g\n")
        expectSuccess(try repo.cairn("add", "sub/deep/g.bin"))
        #expect(try repo.read("sub/deep/.gitignore") == "/f.bin\n*.log\n/g.bin\n")
    }

    @Test func addingAPathGitAlreadyIgnoresAddsNoEntry() throws {
        let repo = try initializedRepo()
        try repo.write(".gitignore", "*.bin\n")
        try repo.commitAll("ignore")
        try repo.write("a.bin", "a\n")
        let result = try repo.cairn("add", "a.bin")
        expectSuccess(result)
        #expect(try repo.read(".gitignore") == "*.bin\n")
        #expect(result.stdout == Expected.trackingHint(["a.bin.dvc"]))
    }

    @Test func addingAnEmptyDirectory() throws {
        let repo = try initializedRepo()
        try repo.makeDirectory("empty")
        expectSuccess(try repo.cairn("add", "empty"))
        #expect(try repo.read("empty.dvc")
                == dvcDirText(md5: "d751713988987e9331980363e24189ce.dir", size: 0, nfiles: 0, path: "empty"))
        #expect(try repo.read(repo.cacheObjectRelativePath("d751713988987e9331980363e24189ce.dir")) == "[]")
        try repo.remove("empty")
        let checkout = try repo.cairn("checkout")
        expectSuccess(checkout)
        #expect(checkout.stdout == "A       empty/\n")
        #expect(repo.isDirectory("empty"))
    }

    @Test func reAddingUnchangedDataWritesNothing() throws {
        let repo = try initializedRepo()
        try repo.write("data/a.txt", "a\n")
        try repo.write("data/sub/b.txt", "b\n")
        try repo.write("single.txt", "single file\n")
        expectSuccess(try repo.cairn("add", "data", "single.txt"))
        let watched = ["data.dvc", "single.txt.dvc", ".gitignore"]
        let before = try watched.map { (try repo.inode($0), try repo.mtimeNanoseconds($0), try repo.bytes($0)) }
        let cacheBefore = try repo.snapshot(".dvc/cache")
        let workspaceBefore = try repo.snapshot("data")
        // Coarse file-system clocks must not hide a rewrite.
        usleep(20_000)
        let again = try repo.cairn("add", "data", "single.txt")
        expectSuccess(again)
        for (index, name) in watched.enumerated() {
            #expect(try repo.inode(name) == before[index].0, "\(name) was replaced")
            #expect(try repo.mtimeNanoseconds(name) == before[index].1, "\(name) was rewritten")
            #expect(try repo.bytes(name) == before[index].2)
        }
        #expect(TestRepo.differences(cacheBefore, try repo.snapshot(".dvc/cache")) == [])
        #expect(TestRepo.differences(workspaceBefore, try repo.snapshot("data")) == [])
    }

    @Test func reAddingChangedDataUpdatesTheDVCFileAndKeepsOldObjects() throws {
        let repo = try initializedRepo()
        try repo.write("f.txt", "one\n")
        expectSuccess(try repo.cairn("add", "f.txt"))
        try repo.write("f.txt", "two!\n")
        let result = try repo.cairn("add", "f.txt")
        expectSuccess(result)
        #expect(result.stdout == Expected.trackingHint(["f.txt.dvc"]))
        #expect(try repo.read("f.txt.dvc") == dvcFileText(md5: md5("two!\n"), size: 5, path: "f.txt"))
        #expect(try repo.cacheObjects() == [md5("one\n"), md5("two!\n")].sorted())
        #expect(try repo.read(".gitignore") == "/f.txt\n")
    }

    @Test func reAddKeepsUserEditsOfTheDVCFile() throws {
        // DVC updates .dvc files in place: comments and unknown-to-it formatting survive.
        let repo = try initializedRepo()
        try repo.write("f.txt", "one\n")
        expectSuccess(try repo.cairn("add", "f.txt"))
        try repo.write("f.txt.dvc", "# keep me\n" + (try repo.read("f.txt.dvc")) + "meta:\n  owner: me\n")
        try repo.write("f.txt", "two\n")
        expectSuccess(try repo.cairn("add", "f.txt"))
        #expect(try repo.read("f.txt.dvc")
                == "# keep me\n" + dvcFileText(md5: md5("two\n"), size: 4, path: "f.txt") + "meta:\n  owner: me\n")
    }

    @Test func executableFilesRecordIsexec() throws {
        let repo = try initializedRepo()
        try repo.write("run.sh", "#!/bin/sh\necho hi\n", mode: 0o755)
        expectSuccess(try repo.cairn("add", "run.sh"))
        #expect(try repo.read("run.sh.dvc")
                == dvcFileText(md5: md5("#!/bin/sh\necho hi\n"), size: 18, path: "run.sh", isexec: true))
    }

    @Test func noCommitWritesTheDVCFileButNoObjects() throws {
        let repo = try initializedRepo()
        try repo.write("nc.txt", "nc\n")
        let result = try repo.cairn("add", "--no-commit", "nc.txt")
        expectSuccess(result)
        #expect(try repo.read("nc.txt.dvc") == dvcFileText(md5: md5("nc\n"), size: 3, path: "nc.txt"))
        #expect(try repo.read(".gitignore") == "/nc.txt\n")
        #expect(try repo.cacheObjects() == [])
        let status = try repo.cairn("status")
        expectSuccess(status)
        #expect(status.stdout == "nc.txt.dvc:\n\tchanged outs:\n\t\tnot in cache:       nc.txt\n")
        expectSuccess(try repo.cairn("commit", "nc.txt.dvc"))
        #expect(try repo.cacheObjects() == [md5("nc\n")])
        try expectClean(repo)
    }

    @Test func outOptionCopiesTheTargetAndTracksTheCopy() throws {
        let repo = try initializedRepo()
        try repo.write("src/o.txt", "orig\n")
        let result = try repo.cairn("add", "src/o.txt", "-o", "copied.txt")
        expectSuccess(result)
        #expect(try repo.read("copied.txt") == "orig\n")
        #expect(try repo.read("src/o.txt") == "orig\n")
        #expect(try repo.read("copied.txt.dvc") == dvcFileText(md5: md5("orig\n"), size: 5, path: "copied.txt"))
        #expect(try repo.read(".gitignore") == "/copied.txt\n")
        #expect(!repo.exists("src/o.txt.dvc"))
        #expect(Expected.filesInTrackingHint(result.stdout) == ["copied.txt.dvc", ".gitignore"])
    }

    @Test func autostageStagesTheWrittenFiles() throws {
        let repo = try initializedRepo()
        expectSuccess(try repo.cairn("config", "core.autostage", "true"))
        try repo.commitAll("autostage")
        try repo.write("a.txt", "a\n")
        let result = try repo.cairn("add", "a.txt")
        expectSuccess(result)
        #expect(!result.stdout.contains("git add"), Comment(rawValue: result.description))
        #expect(try repo.gitOK("status", "--porcelain") == "A  .gitignore\nA  a.txt.dvc\n")
    }

    @Test func dvcignoreIsHonoured() throws {
        let repo = try initializedRepo()
        try repo.write(".dvcignore", (try repo.read(".dvcignore")) + "*.tmp\n!keep.tmp\nlogs/\n")
        try repo.write("d/a.txt", "a\n")
        try repo.write("d/x.tmp", "ignored\n")
        try repo.write("d/keep.tmp", "kept\n")
        try repo.write("d/logs/l.txt", "ignored\n")
        try repo.write("d/sub/logs", "a file named logs is not a folder\n")
        expectSuccess(try repo.cairn("add", "d"))
        let entries = [("a.txt", md5("a\n")), ("keep.tmp", md5("kept\n")),
                       ("sub/logs", md5("a file named logs is not a folder\n"))]
        let text = manifest(entries)
        let id = md5(text) + ".dir"
        #expect(try repo.read("d.dvc") == dvcDirText(md5: id, size: 2 + 5 + 34, nfiles: 3, path: "d"))
        #expect(try repo.read(repo.cacheObjectRelativePath(id)) == text)
        #expect(!(try repo.cacheObjects()).contains(md5("ignored\n")))
        // Changing or adding ignored files changes nothing.
        try repo.write("d/x.tmp", "still ignored\n")
        try repo.write("d/logs/new.txt", "ignored\n")
        try expectClean(repo)
        // An ignored file survives a checkout of the directory.
        try repo.remove("d/a.txt")
        expectSuccess(try repo.cairn("checkout", "d"))
        #expect(try repo.read("d/a.txt") == "a\n")
        #expect(try repo.read("d/x.tmp") == "still ignored\n")
    }

    @Test func dvcignoreInsideATrackedDirectoryIsAnError() throws {
        let repo = try initializedRepo()
        try repo.write("d/a.txt", "a\n")
        try repo.write("d/.dvcignore", "*.tmp\n")
        let result = try repo.cairn("add", "d")
        expectFailure(result, mentioning: [".dvcignore"])
        #expect(!repo.exists("d.dvc"))
    }

    @Test func awkwardNamesAreQuotedAndEscapedAsDVCDoes() throws {
        let cases = try Fixtures.yamlQuotingCases()
        let repo = try initializedRepo()
        for (name, content, _) in cases { try repo.write(name, content) }
        let result = try repo.cairn(arguments: ["add", "--"] + cases.map(\.name))
        expectSuccess(result)
        for (name, _, dvcFile) in cases {
            #expect(try repo.read(name + ".dvc") == dvcFile, "\(name).dvc")
        }
        #expect(try repo.bytes(".gitignore") == Fixtures.bytes("07-yaml-quoting/gitignore"))
        try expectClean(repo)
    }
}
