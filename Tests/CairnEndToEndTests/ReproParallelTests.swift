import CairnTestSupport
import Foundation
import Testing

/// A project with a stage that fails (`bad`, exit 3), one depending on it (`child`) and two independent ones.
let failingYAML = """
    stages:
      ok1:
        cmd: echo ok1 >> log.txt && cp in.txt ok1.txt
        deps:
        - in.txt
        outs:
        - ok1.txt
      bad:
        cmd: echo bad >> log.txt && exit 3
        deps:
        - in.txt
        outs:
        - bad.txt
      child:
        cmd: echo child >> log.txt && cp bad.txt child.txt
        deps:
        - bad.txt
        outs:
        - child.txt
      ok2:
        cmd: echo ok2 >> log.txt && cp in.txt ok2.txt
        deps:
        - in.txt
        outs:
        - ok2.txt

    """

/// The stage names recorded in a `dvc.lock` text, in file order.
func lockedStages(_ lock: String) -> [String] {
    lock.split(separator: "\n").compactMap { line -> String? in
        guard line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":") else { return nil }
        return String(line.dropFirst(2).dropLast())
    }
}

/// Polls `condition` every 20 ms for up to `timeout` seconds.
func waitUntil(timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

/// Failures, `--keep-going`, `-j N` (which DVC lacks) and Ctrl-C.
@Suite struct ReproParallelTests {
    @Test func failingStageStopsTheRunWithDVCsMessage() throws {
        let repo = try pipelineRepo { repo in
            try repo.write("in.txt", "input\n")
            try repo.write("dvc.yaml", failingYAML)
        }
        let result = try repo.cairn("repro")
        expectOutput(result, dvc: """
            Running stage 'ok1':
            > echo ok1 >> log.txt && cp in.txt ok1.txt
            Generating lock file 'dvc.lock'
            Updating lock file 'dvc.lock'

            Running stage 'bad':
            > echo bad >> log.txt && exit 3

            """, code: 255)
        // DVC's error line first; cairn may add advice after it.
        #expect(result.stderr.hasPrefix(
            "ERROR: failed to reproduce 'bad': failed to run: echo bad >> log.txt && exit 3, exited with 3\n"),
                Comment(rawValue: result.description))
        #expect(try repo.stageLog() == ["ok1", "bad"])
        #expect(lockedStages(try repo.read("dvc.lock")) == ["ok1"])
    }

    @Test func keepGoingRunsEveryBranchItStillCan() throws {
        let repo = try pipelineRepo { repo in
            try repo.write("in.txt", "input\n")
            try repo.write("dvc.yaml", failingYAML)
        }
        let result = try repo.cairn("repro", "--keep-going")
        expectOutput(result, dvc: """
            Running stage 'ok1':
            > echo ok1 >> log.txt && cp in.txt ok1.txt
            Generating lock file 'dvc.lock'
            Updating lock file 'dvc.lock'

            Running stage 'bad':
            > echo bad >> log.txt && exit 3

            Running stage 'ok2':
            > echo ok2 >> log.txt && cp in.txt ok2.txt
            Updating lock file 'dvc.lock'

            """, code: 255)
        // DVC prints "WARNING: failed to run: echo bad >> log.txt && exit 3, exited with 3", "WARNING: Stage 'child'
        // will be skipped due to this failure" and "ERROR: failed to reproduce 'bad'"; the failed stage and its exit
        // code are what must be there.
        #expect(result.stderr.contains("ERROR: failed to reproduce 'bad'") && result.stderr.contains("exited with 3"),
                Comment(rawValue: result.description))
        #expect(try repo.stageLog() == ["ok1", "bad", "ok2"])
        #expect(lockedStages(try repo.read("dvc.lock")) == ["ok1", "ok2"])
        #expect(!repo.exists("child.txt"))
    }

    @Test func keepGoingInParallel() throws {
        let repo = try pipelineRepo { repo in
            try repo.write("in.txt", "input\n")
            try repo.write("dvc.yaml", failingYAML)
        }
        let result = try repo.cairn("repro", "-k", "-j", "2")
        #expect(result.status != 0, Comment(rawValue: result.description))
        #expect(result.stderr.contains("bad"), Comment(rawValue: result.description))
        #expect(Set(try repo.stageLog()) == ["ok1", "bad", "ok2"])
        #expect(lockedStages(try repo.read("dvc.lock")) == ["ok1", "ok2"], "plan order whatever finished first")
    }

    @Test func parallelRunWritesTheSameLockAsASerialRun() throws {
        let serial = try pipelineRepo(PipelineProjects.writeDiamond)
        try serial.ok(serial.cairn("repro"))
        let parallel = try pipelineRepo(PipelineProjects.writeDiamond)
        let result = try parallel.cairn("repro", "-j", "4")
        expectSuccess(result)
        #expect(try parallel.bytes("dvc.lock") == serial.bytes("dvc.lock"))
        #expect(Set(try parallel.read(".gitignore").split(separator: "\n"))
                == Set(try serial.read(".gitignore").split(separator: "\n")))
        let log = try parallel.stageLog()
        #expect(log.first == "top" && log.last == "join" && Set(log) == ["top", "left", "right", "join"])
        for file in ["top.txt", "left.txt", "right.txt", "join.txt"] {
            #expect(try parallel.bytes(file) == serial.bytes(file), "\(file)")
        }
        expectOutput(try parallel.cairn("repro", "-j", "4"), dvc: """
            Stage 'top' didn't change, skipping
            Stage 'left' didn't change, skipping
            Stage 'right' didn't change, skipping
            Stage 'join' didn't change, skipping
            Data and pipelines are up to date.

            """)
        // -j 0: one job per core.
        let zero = try pipelineRepo(PipelineProjects.writeDiamond)
        expectSuccess(try zero.cairn("repro", "-j", "0"))
        #expect(try zero.bytes("dvc.lock") == serial.bytes("dvc.lock"))
    }

    @Test func concurrentStagesPrefixTheirOutputLines() throws {
        let repo = try pipelineRepo { repo in
            try repo.write("in.txt", "input\n")
            try repo.write("dvc.yaml", PipelineProjects.slowDiamondYAML)
        }
        let result = try repo.cairn("repro", "-j", "2")
        expectSuccess(result)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("[left] left says hi"), Comment(rawValue: result.description))
        #expect(lines.contains("[right] right says hi"), Comment(rawValue: result.description))
        #expect(!lines.contains("left says hi") && !lines.contains("right says hi"))
    }

    @Test func independentStagesRunAtTheSameTime() throws {
        let stages = (0..<4).map { index in
            "  s\(index):\n    cmd: echo s\(index) >> log.txt && sleep 2 && echo \(index) > out\(index).txt\n"
                + "    deps:\n    - in.txt\n    outs:\n    - out\(index).txt\n"
        }
        let repo = try pipelineRepo { repo in
            try repo.write("in.txt", "input\n")
            try repo.write("dvc.yaml", "stages:\n" + stages.joined())
        }
        let started = Date()
        let result = try repo.cairn("repro", "-j", "4")
        let elapsed = Date().timeIntervalSince(started)
        expectSuccess(result)
        #expect(elapsed < 5, "4 stages of 2 s with -j 4 took \(elapsed) s (serial: 8 s)")
        #expect(lockedStages(try repo.read("dvc.lock")) == ["s0", "s1", "s2", "s3"])
    }

    @Test func failureInParallelLetsTheRunningStageFinishAndStartsNothingNew() throws {
        let repo = try pipelineRepo { repo in
            try repo.write("in.txt", "input\n")
            try repo.write("dvc.yaml", """
                stages:
                  slow:
                    cmd: echo slow >> log.txt && sleep 2 && cp in.txt slow.txt
                    deps:
                    - in.txt
                    outs:
                    - slow.txt
                  bad:
                    cmd: echo bad >> log.txt && exit 3
                    deps:
                    - in.txt
                    outs:
                    - bad.txt
                  third:
                    cmd: echo third >> log.txt && cp in.txt third.txt
                    deps:
                    - in.txt
                    outs:
                    - third.txt

                """)
        }
        let result = try repo.cairn("repro", "-j", "2")
        #expect(result.status != 0, Comment(rawValue: result.description))
        #expect(result.stderr.contains("'bad'") && result.stderr.contains("3"), Comment(rawValue: result.description))
        #expect(Set(try repo.stageLog()) == ["slow", "bad"], "no new stage starts after the failure")
        #expect(try repo.read("slow.txt") == "input\n")
        #expect(lockedStages(try repo.read("dvc.lock")) == ["slow"], "the running sibling is recorded, bad is not")
    }

    /// A stage that waits for a signal (logging `long` once its traps are set), logs the signal and exits 130.
    static let longScript = """
        #!/bin/sh
        trap 'echo long-int >> log.txt; kill $pid 2>/dev/null; exit 130' INT
        trap 'echo long-term >> log.txt; kill $pid 2>/dev/null; exit 143' TERM
        sleep 30 &
        pid=$!
        echo long >> log.txt
        wait $pid
        echo long-done >> log.txt

        """

    @Test func ctrlCStopsTheRunningStageAndRecordsOnlyFinishedOnes() throws {
        let repo = try pipelineRepo { repo in
            try repo.write("in.txt", "input\n")
            try repo.write("long.sh", Self.longScript)
            try repo.write("dvc.yaml", """
                stages:
                  quick:
                    cmd: echo quick >> log.txt && cp in.txt quick.txt
                    deps:
                    - in.txt
                    outs:
                    - quick.txt
                  long:
                    cmd: sh long.sh && cp in.txt long.txt
                    deps:
                    - in.txt
                    outs:
                    - long.txt

                """)
        }
        let child = try repo.startCairn(["repro", "-j", "2"])
        let ready = try waitUntil(timeout: 30) {
            try repo.stageLog().contains("long") && repo.exists("dvc.lock")
                && lockedStages(try repo.read("dvc.lock")).contains("quick")
        }
        #expect(ready, "the long stage started and quick was recorded")
        let signalled = Date()
        child.send(SIGINT)
        let result = child.wait(timeout: 20)
        let elapsed = Date().timeIntervalSince(signalled)
        #expect(!result.timedOut && result.status != 0, Comment(rawValue: result.description))
        #expect(elapsed < 10, "cairn took \(elapsed) s to stop")
        let log = try repo.stageLog()
        #expect(log.contains("long-int"), "the stage's process got SIGINT: \(log)")
        #expect(!log.contains("long-done"))
        #expect(lockedStages(try repo.read("dvc.lock")) == ["quick"])
        #expect(!repo.exists("long.txt"))
        // The next run picks up where this one stopped.
        try repo.write("long.sh", "#!/bin/sh\necho long-again >> log.txt\n")
        let again = try repo.cairn("repro")
        expectSuccess(again)
        #expect(lockedStages(try repo.read("dvc.lock")) == ["quick", "long"])
    }

    @Test func aStageThatIgnoresCtrlCGetsSIGTERM() throws {
        let repo = try pipelineRepo { repo in
            try repo.write("in.txt", "input\n")
            try repo.write("stubborn.sh", """
                #!/bin/sh
                trap 'echo stubborn-int >> log.txt' INT
                trap 'echo stubborn-term >> log.txt; kill $pid 2>/dev/null; exit 143' TERM
                sleep 30 &
                pid=$!
                echo stubborn >> log.txt
                while kill -0 $pid 2>/dev/null; do wait $pid; done

                """)
            try repo.write("dvc.yaml", """
                stages:
                  stubborn:
                    cmd: sh stubborn.sh && cp in.txt stubborn.txt
                    deps:
                    - in.txt
                    outs:
                    - stubborn.txt

                """)
        }
        let child = try repo.startCairn(["repro"])
        #expect(try waitUntil(timeout: 30) { try repo.stageLog().contains("stubborn") })
        child.send(SIGINT)
        let result = child.wait(timeout: 25)
        #expect(!result.timedOut && result.status != 0, Comment(rawValue: result.description))
        let log = try repo.stageLog()
        #expect(log.contains("stubborn-int") && log.contains("stubborn-term"), "SIGINT, then SIGTERM: \(log)")
        #expect(!repo.exists("dvc.lock"))
    }

    @Test func ctrlCInASerialRunLeavesNoEntryForTheInterruptedStage() throws {
        let repo = try pipelineRepo { repo in
            try repo.write("in.txt", "input\n")
            try repo.write("long.sh", Self.longScript)
            try repo.write("dvc.yaml", """
                stages:
                  long:
                    cmd: sh long.sh && cp in.txt long.txt
                    deps:
                    - in.txt
                    outs:
                    - long.txt

                """)
        }
        let child = try repo.startCairn(["repro"])
        #expect(try waitUntil(timeout: 30) { try repo.stageLog().contains("long") })
        child.send(SIGINT)
        let result = child.wait(timeout: 20)
        #expect(!result.timedOut && result.status != 0, Comment(rawValue: result.description))
        #expect(try repo.stageLog().contains("long-int"))
        let lock = repo.exists("dvc.lock") ? try repo.read("dvc.lock") : ""
        #expect(!lockedStages(lock).contains("long"))
        #expect(!repo.exists("long.txt"))
    }
}
