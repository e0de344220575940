import CairnTestSupport
import Foundation
import Testing

/// SIGKILL at random moments during `add` and `checkout` of a few-thousand-file directory: never an object under a
/// wrong name, never a half-written `.dvc` file, and running the command again completes the work.
@Suite(.serialized) struct KillTests {
    static let folders = 30
    static let filesPerFolder = 100
    static let trials = 4

    /// The tree: `data/dNN/fNNN.txt`, each file distinct (a few hundred bytes).
    static func writeTree(_ repo: TestRepo) throws -> [(String, String)] {
        var entries: [(String, String)] = []
        for folder in 0..<folders {
            try repo.makeDirectory(String(format: "data/d%02d", folder))
            for file in 0..<filesPerFolder {
                let relative = String(format: "d%02d/f%03d.txt", folder, file)
                let content = String(repeating: "\(relative) line\n", count: 1 + (folder * 7 + file) % 25)
                try Data(content.utf8).write(to: URL(fileURLWithPath: repo.path("data/" + relative)))
                entries.append((relative, md5(content)))
            }
        }
        return entries
    }

    /// The `.dvc` file a complete `add data` writes for `entries`.
    static func expectedDVCFile(_ entries: [(String, String)], _ repo: TestRepo) throws -> String {
        let text = manifest(entries)
        let size = try entries.reduce(0) { $0 + Int(try repo.status("data/" + $1.0).st_size) }
        return dvcDirText(md5: md5(text) + ".dir", size: size, nfiles: entries.count, path: "data")
    }

    /// Random delays spread over `duration` (seconds), one per trial, sorted (printed on failure).
    static func delays(within duration: Double) -> [Double] {
        (0..<trials).map { trial in
            let slot = duration / Double(trials)
            return slot * Double(trial) + Double.random(in: 0..<slot)
        }
    }

    /// Invariants that must hold at any moment: every well-named object hashes to its name, and the `.dvc` file
    /// is absent or complete.
    static func checkInvariants(_ repo: TestRepo, expectedDVC: String, context: String) throws {
        #expect(try repo.corruptCacheObjects() == [], "objects under a wrong name (\(context))")
        if repo.exists("data.dvc") {
            #expect(try repo.read("data.dvc") == expectedDVC, "half-written data.dvc (\(context))")
        }
        if repo.exists(".gitignore") {
            #expect(try repo.read(".gitignore") == "/data\n", "half-written .gitignore (\(context))")
        }
    }

    @Test func killedAddLeavesAConsistentRepoAndReRunCompletes() throws {
        // A complete run gives the duration to aim the kills at and the expected result.
        let reference = try initializedRepo()
        let entries = try Self.writeTree(reference)
        let expectedDVC = try Self.expectedDVCFile(entries, reference)
        let started = Date()
        try reference.ok(reference.cairn("add", "data"))
        let duration = Date().timeIntervalSince(started)
        #expect(try reference.read("data.dvc") == expectedDVC)
        let objects = try reference.cacheObjects()
        #expect(objects.count == entries.count + 1)

        for delay in Self.delays(within: duration) {
            let context = String(format: "killed after %.3f s of %.3f s", delay, duration)
            let repo = try initializedRepo()
            _ = try Self.writeTree(repo)
            let child = try repo.startCairn(["add", "data"])
            usleep(useconds_t(delay * 1_000_000))
            child.send(SIGKILL)
            child.wait(timeout: 60)
            try Self.checkInvariants(repo, expectedDVC: expectedDVC, context: context)

            let rerun = try repo.cairn("add", "data")
            expectSuccess(rerun)
            #expect(try repo.read("data.dvc") == expectedDVC, "\(context)")
            #expect(try repo.cacheObjects() == objects, "\(context)")
            #expect(try repo.corruptCacheObjects() == [], "\(context)")
            let status = try repo.cairn("status")
            #expect(status.stdout == Expected.upToDate, "\(context)\n\(status)")
        }
    }

    @Test func killedCheckoutLeavesAConsistentRepoAndReRunCompletes() throws {
        let repo = try initializedRepo()
        let entries = try Self.writeTree(repo)
        let expectedDVC = try Self.expectedDVCFile(entries, repo)
        try repo.ok(repo.cairn("add", "data"))
        try repo.commitAll("track data")
        let expectedTree = try repo.tree("data")
        try repo.remove("data")
        let started = Date()
        try repo.ok(repo.cairn("checkout"))
        let duration = Date().timeIntervalSince(started)
        #expect(try repo.tree("data") == expectedTree)

        for delay in Self.delays(within: duration) {
            let context = String(format: "killed after %.3f s of %.3f s", delay, duration)
            try repo.remove("data")
            let child = try repo.startCairn(["checkout"])
            usleep(useconds_t(delay * 1_000_000))
            child.send(SIGKILL)
            child.wait(timeout: 60)
            try Self.checkInvariants(repo, expectedDVC: expectedDVC, context: context)
            // Whatever was written at a final name is complete.
            if repo.exists("data") {
                for file in try repo.files(under: "data") {
                    if let expected = expectedTree[file] {
                        #expect(try repo.bytes("data/" + file) == expected, "data/\(file) half-written (\(context))")
                    }
                }
            }

            let rerun = try repo.cairn("checkout")
            expectSuccess(rerun)
            #expect(try repo.tree("data") == expectedTree, "\(context)")
            let status = try repo.cairn("status")
            #expect(status.stdout == Expected.upToDate, "\(context)\n\(status)")
        }
    }
}
