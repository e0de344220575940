import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnStorage

@Suite struct RepoLockTests {
    @Test func acquireWritesThePidLikeDvcAndReleases() throws {
        let dir = try TemporaryDirectory()
        let dvc = dir.path(".dvc")
        let lock = try RepoLock.acquire(dvcDirectory: dvc)
        #expect(lock.path == dir.path(".dvc/tmp/lock"))
        #expect(try dir.read(".dvc/tmp/lock") == " \(getpid())\n")
        #expect(lock.isHeld)

        // flock conflicts between two open file descriptions, even in one process.
        let error = try #require(throws: StorageError.self) { try RepoLock.acquire(dvcDirectory: dvc) }
        #expect(error.reason == .lockHeld(pid: getpid()))
        #expect(error.description.contains("pid \(getpid())"))
        #expect(error.hint?.contains("--wait-for-lock") == true)

        lock.release()
        #expect(!lock.isHeld)
        let again = try RepoLock.acquire(dvcDirectory: dvc)
        again.release()
        again.release()  // idempotent
    }

    @Test func releasedOnDeinit() throws {
        let dir = try TemporaryDirectory()
        let dvc = dir.path(".dvc")
        do {
            _ = try RepoLock.acquire(dvcDirectory: dvc)
        }
        let lock = try RepoLock.acquire(dvcDirectory: dvc)
        #expect(lock.isHeld)
    }

    /// Starts `flock` on the lock file, as another process (DVC takes the same kind of lock); the command inside
    /// writes the holder's pid the way DVC does and keeps the lock for `seconds`.
    func holdLock(_ path: String, seconds: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        process.arguments = ["-o", path, "/bin/sh", "-c", "printf ' %s\\n' \"$PPID\" > '\(path)'; exec sleep \(seconds)"]
        try process.run()
        // Wait until the holder has written its pid (bounded; no timing assertions).
        for _ in 0..<500 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               text == " \(process.processIdentifier)\n" {
                break
            }
            usleep(10_000)
        }
        return process
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/flock")))
    func lockHeldByAnotherProcessNamesItsPid() throws {
        let dir = try TemporaryDirectory()
        let dvc = dir.path(".dvc")
        try FileSystem.makeDirectories(dir.path(".dvc/tmp"))
        let holder = try holdLock(RepoLock.lockPath(dvcDirectory: dvc), seconds: 4)
        defer { holder.waitUntilExit() }
        let error = try #require(throws: StorageError.self) { try RepoLock.acquire(dvcDirectory: dvc) }
        #expect(error.reason == .lockHeld(pid: holder.processIdentifier))
        #expect(error.description.contains("pid \(holder.processIdentifier)"))
        let retried = try #require(throws: StorageError.self) {
            try RepoLock.acquire(dvcDirectory: dvc, retrySeconds: 0.2)
        }
        #expect(retried.reason == .lockHeld(pid: holder.processIdentifier))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/flock")))
    func waitBlocksUntilTheHolderExits() throws {
        let dir = try TemporaryDirectory()
        let dvc = dir.path(".dvc")
        try FileSystem.makeDirectories(dir.path(".dvc/tmp"))
        let holder = try holdLock(RepoLock.lockPath(dvcDirectory: dvc), seconds: 1)
        let lock = try RepoLock.acquire(dvcDirectory: dvc, wait: true)
        holder.waitUntilExit()
        #expect(lock.isHeld)
        #expect(try dir.read(".dvc/tmp/lock") == " \(getpid())\n")
    }
}
