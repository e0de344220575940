import CairnTestSupport
import Foundation
import Testing

/// `push`, `fetch`, `pull`, `status -c` and `gc -c` with a local-directory remote.
@Suite struct RemoteTransferTests {
    /// A repo with `d/` (two files) and `top.txt` added and committed, and a default remote `store` in the sandbox.
    static func repoWithData() throws -> (repo: TestRepo, remote: String) {
        let repo = try initializedRepo()
        try repo.write("d/one.txt", "one\n")
        try repo.write("d/s/two.txt", "two\n")
        try repo.write("top.txt", "top\n")
        try repo.ok(repo.cairn("add", "d", "top.txt"))
        let remote = repo.sandbox + "/store"
        try repo.ok(repo.cairn("config", "remote.store.url", remote))
        try repo.ok(repo.cairn("config", "core.remote", "store"))
        try repo.commitAll("data")
        return (repo, remote)
    }

    /// Files under a directory, relative and sorted.
    static func files(in directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [String] = []
        while let next = enumerator.nextObject() as? String {
            var info = stat()
            if lstat(directory + "/" + next, &info) == 0, info.st_mode & S_IFMT == S_IFREG { found.append(next) }
        }
        return found.sorted()
    }

    /// A clone of `repo` with the same remote configuration and an empty cache.
    static func clone(of repo: TestRepo) throws -> TestRepo {
        let clone = try TestRepo(git: false, prefix: "cairn-clone")
        try clone.ok(clone.git("clone", "-q", repo.root, "."))
        return clone
    }

    @Test func pushWritesTheCacheLayoutReadOnlyAndTheSecondPushIsANoOp() throws {
        let (repo, remote) = try Self.repoWithData()
        let push = try repo.cairn("push")
        expectSuccess(push)
        #expect(push.stdout == "4 files pushed\n", Comment(rawValue: push.description))
        // Fixture 09: the remote has the cache's layout.
        let expected = String(decoding: try Fixtures.bytes("09-remote-layout/remote-listing.txt"), as: UTF8.self)
            .split(separator: "\n").map { String($0.dropFirst(2)) }
        #expect(Self.files(in: remote) == expected)
        #expect(Self.files(in: remote) == Self.files(in: repo.path(".dvc/cache")))
        for file in Self.files(in: remote) {
            var info = stat()
            #expect(stat(remote + "/" + file, &info) == 0 && info.st_mode & 0o777 == 0o444, "\(file)")
        }
        let again = try repo.cairn("push")
        expectSuccess(again)
        #expect(again.stdout == "Everything is up to date.\n")
    }

    @Test func aNoOpPushTrustsTheRecordAndVerifyRepairsIt() throws {
        let (repo, remote) = try Self.repoWithData()
        try repo.ok(repo.cairn("push"))
        // The remote loses everything behind cairn's back: the record still says pushed, so nothing is asked...
        try FileManager.default.removeItem(atPath: remote)
        let trusting = try repo.cairn("push")
        expectSuccess(trusting)
        #expect(trusting.stdout == "Everything is up to date.\n")
        #expect(!FileManager.default.fileExists(atPath: remote))
        // ...until --verify asks the remote and sends what it lacks.
        let verified = try repo.cairn("push", "--verify")
        expectSuccess(verified)
        #expect(verified.stdout == "4 files pushed\n", Comment(rawValue: verified.description))
        #expect(Self.files(in: remote) == Self.files(in: repo.path(".dvc/cache")))
    }

    @Test func statusCloudMatchesDVCsTextAndJSON() throws {
        let (repo, _) = try Self.repoWithData()
        try repo.ok(repo.cairn("push"))
        let inSync = try repo.cairn("status", "-c", "--json")
        expectSuccess(inSync)
        #expect(inSync.stdout == String(decoding: try Fixtures.bytes("09-remote-layout/status-cloud-in-sync.json"), as: UTF8.self))
        let text = try repo.cairn("status", "-c")
        #expect(text.stdout == "Cache and remote 'store' are in sync.\n")
        try repo.write("three.txt", "three\n")
        try repo.ok(repo.cairn("add", "three.txt"))
        let newText = try repo.cairn("status", "-c")
        expectSuccess(newText)
        #expect(newText.stdout == String(decoding: try Fixtures.bytes("09-remote-layout/status-cloud-new.txt"), as: UTF8.self))
        let newJSON = try repo.cairn("status", "-c", "--json")
        #expect(newJSON.stdout == String(decoding: try Fixtures.bytes("09-remote-layout/status-cloud-new.json"), as: UTF8.self))
        expectExit(try repo.cairn("status", "-c", "-q"), 1)
        // Files of a directory are reported one by one: deleted = on the remote only, missing = nowhere.
        try repo.remove(".dvc/cache")
        let report = try repo.cairn("status", "-c")
        #expect(report.stdout == "\tdeleted:            d/one.txt\n\tdeleted:            d/s/two.txt\n"
            + "\tmissing:            three.txt\n\tdeleted:            top.txt\n", Comment(rawValue: report.description))
    }

    @Test func aCloneWithAnEmptyCachePullsEverything() throws {
        let (repo, _) = try Self.repoWithData()
        try repo.ok(repo.cairn("push"))
        let clone = try Self.clone(of: repo)
        let pull = try clone.cairn("pull")
        expectSuccess(pull)
        #expect(pull.stdout == "A       d/\nA       top.txt\n4 files fetched and 3 files added\n", Comment(rawValue: pull.description))
        #expect(try clone.read("d/s/two.txt") == "two\n")
        #expect(try clone.read("top.txt") == "top\n")
        try expectClean(clone)
        #expect(try clone.corruptCacheObjects() == [])
        let again = try clone.cairn("pull")
        #expect(again.stdout == "Everything is up to date.\n")
    }

    @Test func fetchFillsTheCacheWithoutTouchingTheWorkspace() throws {
        let (repo, _) = try Self.repoWithData()
        try repo.ok(repo.cairn("push"))
        let clone = try Self.clone(of: repo)
        let fetch = try clone.cairn("fetch", "d")
        expectSuccess(fetch)
        #expect(fetch.stdout == "3 files fetched\n", Comment(rawValue: fetch.description))
        #expect(!clone.exists("d"))
        #expect(try clone.cacheObjects().count == 3)
        expectSuccess(try clone.cairn("checkout", "d"))
        #expect(try clone.read("d/one.txt") == "one\n")
    }

    @Test func aCorruptRemoteObjectIsRefusedAndNeverReachesTheCache() throws {
        let (repo, remote) = try Self.repoWithData()
        try repo.ok(repo.cairn("push"))
        let key = "files/md5/" + String(md5("top\n").prefix(2)) + "/" + String(md5("top\n").dropFirst(2))
        chmod(remote + "/" + key, 0o644)
        try Data("tampered\n".utf8).write(to: URL(fileURLWithPath: remote + "/" + key))
        let clone = try Self.clone(of: repo)
        let pull = try clone.cairn("pull")
        expectFailure(pull, mentioning: [key, "refused"])
        #expect(!FileManager.default.fileExists(atPath: clone.cacheObjectPath(md5("top\n"))))
        // Nothing half-written is left next to the objects either.
        #expect(Self.files(in: clone.path(".dvc/cache")).allSatisfy { !$0.hasSuffix(".tmp") })
        // The good objects did arrive.
        #expect(FileManager.default.fileExists(atPath: clone.cacheObjectPath(md5("one\n"))))
    }

    @Test func anObjectMissingOnTheRemoteIsReportedAndForgotten() throws {
        let (repo, remote) = try Self.repoWithData()
        try repo.ok(repo.cairn("push"))
        let top = md5("top\n")
        try FileManager.default.removeItem(atPath: remote + "/files/md5/" + top.prefix(2) + "/" + top.dropFirst(2))
        try repo.remove(".dvc/cache")
        try repo.remove("top.txt")
        let pull = try repo.cairn("pull")
        expectFailure(pull, mentioning: ["top.txt", "Missing cache files", "md5: \(top)"])
        // The record no longer claims the remote has it: the next push (from a cache that has it) sends it.
        try repo.write("top.txt", "top\n")
        try repo.ok(repo.cairn("commit", "-f", "top.txt.dvc"))
        let push = try repo.cairn("push")
        #expect(push.stdout == "1 file pushed\n", Comment(rawValue: push.description))
    }

    @Test func aManifestWaitsUntilAllItsFilesCanBePushed() throws {
        let (repo, remote) = try Self.repoWithData()
        try repo.remove(repo.cacheObjectRelativePath(md5("one\n")))
        let push = try repo.cairn("push")
        expectSuccess(push)
        #expect(push.stderr.contains("md5: \(md5("one\n"))"), Comment(rawValue: push.description))
        #expect(push.stdout == "2 files pushed\n", Comment(rawValue: push.description))
        #expect(!Self.files(in: remote).contains { $0.hasSuffix(".dir") })
        // Once the file is back, the manifest follows it.
        try repo.write("d/one.txt", "one\n")
        try repo.ok(repo.cairn("commit", "-f", "d.dvc"))
        let again = try repo.cairn("push")
        #expect(again.stdout == "2 files pushed\n", Comment(rawValue: again.description))
        #expect(Self.files(in: remote).contains { $0.hasSuffix(".dir") })
    }

    @Test func otherRevisionsArePushedWithAllBranchesAndTags() throws {
        let (repo, remote) = try Self.repoWithData()
        try repo.gitOK("tag", "v1")
        try repo.write("top.txt", "top v2\n")
        try repo.ok(repo.cairn("add", "top.txt"))
        try repo.commitAll("v2")
        expectSuccess(try repo.cairn("push"))
        #expect(!Self.files(in: remote).contains { $0.hasSuffix(md5("top\n").dropFirst(2)) })
        let tags = try repo.cairn("push", "-T")
        #expect(tags.stdout == "1 file pushed\n", Comment(rawValue: tags.description))
        #expect(Self.files(in: remote).contains { $0.hasSuffix(md5("top\n").dropFirst(2)) })
    }

    @Test func outputsChooseTheirRemoteAndPushFalseStaysHome() throws {
        let (repo, remote) = try Self.repoWithData()
        let other = repo.sandbox + "/other"
        try repo.ok(repo.cairn("config", "remote.other.url", other))
        try repo.write("top.txt.dvc", try repo.read("top.txt.dvc").replacingOccurrences(of: "  path: top.txt\n", with: "  path: top.txt\n  remote: other\n"))
        try repo.write("d.dvc", try repo.read("d.dvc").replacingOccurrences(of: "  path: d\n", with: "  path: d\n  push: false\n"))
        let push = try repo.cairn("push")
        expectSuccess(push)
        #expect(push.stdout == "1 file pushed\n", Comment(rawValue: push.description))
        #expect(Self.files(in: other).count == 1)
        #expect(Self.files(in: remote).isEmpty)
    }

    @Test func gcCloudRemovesWhatNoKeptRevisionUses() throws {
        let (repo, remote) = try Self.repoWithData()
        try repo.write("top.txt", "top v2\n")
        try repo.ok(repo.cairn("add", "top.txt"))
        try repo.ok(repo.cairn("push"))
        try repo.commitAll("v2")
        // The first version was never pushed; push it from history, then collect it.
        try repo.ok(repo.cairn("push", "--all-commits"))
        #expect(Self.files(in: remote).count == 5)
        let refused = try repo.cairn("gc", "-w", "-c", stdin: "")
        expectExit(refused, 1)
        #expect(Self.files(in: remote).count == 5)
        let gc = try repo.cairn("gc", "-w", "-c", "-f")
        expectSuccess(gc)
        #expect(gc.stdout.contains("Removed 1 objects from remote."), Comment(rawValue: gc.description))
        #expect(!Self.files(in: remote).contains { $0.hasSuffix(md5("top\n").dropFirst(2)) })
        #expect(Self.files(in: remote).count == 4)
        let status = try repo.cairn("status", "-c")
        #expect(status.stdout == "Cache and remote 'store' are in sync.\n", Comment(rawValue: status.description))
    }

    @Test func runCacheTravelsWithRunCacheFlag() throws {
        let repo = try initializedRepo()
        // A stage without deps is never run-cached (DVC's rule), hence `in.txt`.
        try repo.write("in.txt", "made\n")
        try repo.write("dvc.yaml", "stages:\n  gen:\n    cmd: cp in.txt out.txt\n    deps:\n    - in.txt\n    outs:\n    - out.txt\n")
        try repo.ok(repo.cairn("repro"))
        let remote = repo.sandbox + "/store"
        try repo.ok(repo.cairn("config", "remote.store.url", remote))
        try repo.ok(repo.cairn("config", "core.remote", "store"))
        let push = try repo.cairn("push", "--run-cache")
        expectSuccess(push)
        #expect(Self.files(in: remote).contains { $0.hasPrefix("runs/") }, Comment(rawValue: push.description))
        try repo.commitAll("pipeline")
        let clone = try Self.clone(of: repo)
        try clone.remove("dvc.lock")
        let pull = try clone.cairn("pull", "--run-cache")
        expectSuccess(pull)
        #expect(Self.files(in: clone.path(".dvc/cache")).contains { $0.hasPrefix("runs/") })
        // The stage is restored from the run-cache instead of running.
        let repro = try clone.cairn("repro")
        expectSuccess(repro)
        #expect(repro.stdout.contains("is cached"), Comment(rawValue: repro.description))
        #expect(try clone.read("out.txt") == "made\n")
    }

    @Test func remoteErrorsAreOneClearLine() throws {
        let repo = try initializedRepo()
        try repo.write("top.txt", "top\n")
        try repo.ok(repo.cairn("add", "top.txt"))
        expectFailure(try repo.cairn("push"), mentioning: ["no remote specified", "remote add -d"])
        expectFailure(try repo.cairn("push", "-r", "nope"), mentioning: ["nope"])
        try repo.ok(repo.cairn("config", "remote.web.url", "ftp://example.com/x"))
        expectFailure(try repo.cairn("push", "-r", "web"), mentioning: ["ftp://"])
    }
}
