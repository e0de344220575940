import CairnTestSupport
import Foundation
import Testing

/// The repository lock `.dvc/tmp/lock` (an exclusive `flock`, holding the holder's pid as DVC writes it).
@Suite struct LockTests {
    /// A background `flock` holding `.dvc/tmp/lock` until `<sandbox>/release` appears; returns it and the pid it
    /// wrote into the lock file.
    static func holdLock(_ repo: TestRepo) throws -> (RunningProcess, String) {
        // A finished cairn leaves its own pid in the file (as DVC does): start from none, or the wait below
        // could read that stale pid before the holder wrote its own.
        try? repo.remove(".dvc/tmp/lock")
        let holder = try repo.start(
            "flock", ["-x", ".dvc/tmp/lock", "sh", "-c",
                      "echo \" $$\" > .dvc/tmp/lock; while [ ! -e ../release ]; do sleep 0.02; done"])
        // Wait (bounded) until the holder has the lock and wrote its pid.
        for _ in 0..<1000 {
            if let text = try? repo.read(".dvc/tmp/lock"), text.hasSuffix("\n"),
                let pid = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return (holder, String(pid))
            }
            guard holder.isRunning else { throw TestSupportError("flock ended early: \(holder.wait())") }
            usleep(10_000)
        }
        throw TestSupportError("the lock holder did not start")
    }

    static func release(_ repo: TestRepo, _ holder: RunningProcess) throws {
        try repo.write(repo.sandbox + "/release", "")
        let result = holder.wait(timeout: 30)
        #expect(result.status == 0, Comment(rawValue: result.description))
    }

    @Test func aHeldLockMakesMutatingCommandsFailNamingTheHolder() throws {
        let repo = try initializedRepo()
        try repo.write("a.txt", "a\n")
        try repo.write("tracked.txt", "t\n")
        try repo.ok(repo.cairn("add", "tracked.txt"))
        try repo.remove("tracked.txt")
        let (holder, pid) = try Self.holdLock(repo)
        for command in [["add", "a.txt"], ["checkout"], ["commit", "-f"], ["gc", "-w", "-f"], ["remove", "tracked.txt.dvc"]] {
            let excluded = ["repo/.git", "repo/.dvc/tmp", "site-cache"]
            let before = try repo.snapshot(excluding: excluded)
            let result = try repo.cairn(arguments: command)
            expectFailure(result, mentioning: [pid])
            #expect(TestRepo.differences(before, try repo.snapshot(excluding: excluded)) == [],
                    "\(command) changed files while locked out")
        }
        try Self.release(repo, holder)
        expectSuccess(try repo.cairn("add", "a.txt"))
    }

    @Test func waitForLockWaitsForTheRelease() throws {
        let repo = try initializedRepo()
        try repo.write("a.txt", "a\n")
        let (holder, _) = try Self.holdLock(repo)
        let waiting = try repo.startCairn(["--wait-for-lock", "add", "a.txt"])
        // Give it time to reach the lock; it must neither finish nor write anything while the lock is held.
        usleep(400_000)
        #expect(waiting.isRunning)
        #expect(!repo.exists("a.txt.dvc"))
        try Self.release(repo, holder)
        let result = waiting.wait(timeout: 60)
        expectSuccess(result)
        #expect(try repo.read("a.txt.dvc") == dvcFileText(md5: md5("a\n"), size: 2, path: "a.txt"))
    }

    @Test func aStaleLockFileFromADeadProcessDoesNotBlock() throws {
        let repo = try initializedRepo()
        try repo.write(".dvc/tmp/lock", " 999999\n")
        try repo.write("a.txt", "a\n")
        expectSuccess(try repo.cairn("add", "a.txt"))
    }

    @Test func twoWritersWaitingForEachOtherBothSucceed() throws {
        let repo = try initializedRepo()
        for folder in ["x", "y"] {
            for index in 0..<200 { try repo.write("\(folder)/f\(index).txt", "\(folder) \(index)\n") }
        }
        let first = try repo.startCairn(["--wait-for-lock", "add", "x"])
        let second = try repo.startCairn(["--wait-for-lock", "add", "y"])
        expectSuccess(first.wait(timeout: 120))
        expectSuccess(second.wait(timeout: 120))
        #expect(try repo.read(".gitignore").split(separator: "\n").sorted() == ["/x", "/y"])
        #expect(try repo.corruptCacheObjects() == [])
        #expect(try repo.cacheObjects().count == 402)
        try expectClean(repo)
    }
}
