@testable import CairnEngine
import CairnTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Running stage commands: shell, directory, environment, failures, prefixed output, interrupts.
@Suite struct StageProcessTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func append(_ more: String) { lock.lock(); text += more; lock.unlock() }
        var value: String { lock.lock(); defer { lock.unlock() }; return text }
    }

    static let environment = ["PATH": "/usr/bin:/bin", "SHELL": "/bin/sh", "DVC_STAGE": "s"]

    @Test func runsEachCommandInTheStageDirectoryWithItsEnvironment() throws {
        let dir = try TemporaryDirectory()
        try dir.write("sub/input.txt", "in\n")
        let lines = Lines()
        var announced: [String] = []
        let outcome = StageProcess().run(
            commands: ["cat input.txt > out.txt", "echo \"$DVC_STAGE\" >> out.txt"], directory: dir.path("sub"),
            environment: Self.environment, output: .prefixed("[s] ", OutputSink { lines.append($0) }),
            announce: { announced.append($0) })
        #expect(outcome == .succeeded)
        #expect(announced == ["cat input.txt > out.txt", "echo \"$DVC_STAGE\" >> out.txt"])
        #expect(try dir.read("sub/out.txt") == "in\ns\n")
    }

    @Test func stopsAtTheFirstFailureWithItsStatus() throws {
        let dir = try TemporaryDirectory()
        let lines = Lines()
        let outcome = StageProcess().run(
            commands: ["echo one; echo two >&2", "exit 3", "echo never > never.txt"], directory: dir.path,
            environment: Self.environment, output: .prefixed("[x] ", OutputSink { lines.append($0) }), announce: { _ in })
        #expect(outcome == .failed(command: "exit 3", status: 3))
        #expect(!FileManager.default.fileExists(atPath: dir.path("never.txt")))
        #expect(lines.value.contains("[x] one\n"))
        #expect(lines.value.contains("[x] two\n"))
    }

    @Test func anUnterminatedLastLineIsStillPrefixedAndEnded() throws {
        let dir = try TemporaryDirectory()
        let lines = Lines()
        _ = StageProcess().run(commands: ["printf 'a\\nb'"], directory: dir.path, environment: Self.environment,
                               output: .prefixed("[p] ", OutputSink { lines.append($0) }), announce: { _ in })
        #expect(lines.value == "[p] a\n[p] b\n")
    }

    @Test func anInterruptReachesTheCommandAndStopsTheStage() throws {
        let dir = try TemporaryDirectory()
        let process = StageProcess()
        let started = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { process.signal(SIGINT) }
        let outcome = process.run(commands: ["sleep 30", "touch after.txt"], directory: dir.path,
                                  environment: Self.environment, output: .inherit, announce: { _ in })
        #expect(outcome == .interrupted)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(!FileManager.default.fileExists(atPath: dir.path("after.txt")))
    }

    @Test func shellFlagsSuppressRcFiles() {
        #expect(StageProcess.shell(environment: ["SHELL": "/bin/bash"]) == ["/bin/bash", "--noprofile", "--norc"])
        #expect(StageProcess.shell(environment: ["SHELL": "/usr/bin/zsh"]) == ["/usr/bin/zsh", "--no-rcs"])
        #expect(StageProcess.shell(environment: [:]) == ["/bin/sh"])
        #expect(StageProcess.exitStatus(3 << 8) == 3)
        #expect(StageProcess.exitStatus(9) == 137)
    }
}

/// The -j scheduler: order, parallelism, failures, keep-going, interrupts.
@Suite struct StageSchedulerTests {
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [String] = []
        private var running = 0
        private(set) var maxRunning = 0
        func start(_ index: Int) {
            lock.lock(); events.append("start \(index)"); running += 1; maxRunning = max(maxRunning, running); lock.unlock()
        }
        func end(_ index: Int) { lock.lock(); events.append("end \(index)"); running -= 1; lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return events }
    }

    @Test func serialRunFollowsThePlan() {
        let log = Log()
        let results = StageScheduler(upstream: [[], [0], [1], []], jobs: 1, keepGoing: false).run { index in
            log.start(index); log.end(index); return true
        }
        #expect(results == [.succeeded, .succeeded, .succeeded, .succeeded])
        #expect(log.all == ["start 0", "end 0", "start 1", "end 1", "start 2", "end 2", "start 3", "end 3"])
    }

    @Test func independentStagesRunTogetherAndDependentsWait() {
        let log = Log()
        // 0 and 1 independent; 2 needs both.
        let results = StageScheduler(upstream: [[], [], [0, 1]], jobs: 4, keepGoing: false).run { index in
            log.start(index); usleep(200_000); log.end(index); return true
        }
        #expect(results == [.succeeded, .succeeded, .succeeded])
        #expect(log.maxRunning == 2)
        let events = log.all
        #expect(events.firstIndex(of: "start 2")! > events.firstIndex(of: "end 0")!)
        #expect(events.firstIndex(of: "start 2")! > events.firstIndex(of: "end 1")!)
    }

    @Test func aFailureStartsNothingNewButLetsRunningStagesFinish() {
        let log = Log()
        let results = StageScheduler(upstream: [[], [], [], [0]], jobs: 2, keepGoing: false).run { index in
            log.start(index)
            if index == 0 { usleep(50_000); log.end(index); return false }
            usleep(300_000)
            log.end(index)
            return true
        }
        #expect(results[0] == .failed)
        #expect(results[1] == .succeeded)  // was running when 0 failed
        #expect(results[2] == .skipped)
        #expect(results[3] == .skipped)
    }

    @Test func keepGoingRunsEveryBranchItStillCan() {
        let results = StageScheduler(upstream: [[], [0], [], [2]], jobs: 1, keepGoing: true).run { index in index != 0 }
        #expect(results == [.failed, .skipped, .succeeded, .succeeded])
    }

    @Test func stopPreventsNewStages() {
        let scheduler = StageScheduler(upstream: [[], [0], [1]], jobs: 1, keepGoing: false)
        let results = scheduler.run { index in
            if index == 0 { scheduler.stop() }
            return true
        }
        #expect(results == [.succeeded, .skipped, .skipped])
    }
}
