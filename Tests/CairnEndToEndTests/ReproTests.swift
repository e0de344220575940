import CairnTestSupport
import Foundation
import Testing

/// A git repo with `cairn init`, the project `write` makes, all committed.
func pipelineRepo(_ write: (TestRepo) throws -> Void) throws -> TestRepo {
    let repo = try initializedRepo()
    try write(repo)
    try repo.commitAll("pipeline")
    return repo
}

/// A pipeline repo that has been reproduced once and committed, with an empty stage log.
func reproducedRepo(_ write: (TestRepo) throws -> Void) throws -> TestRepo {
    let repo = try pipelineRepo(write)
    try repo.ok(repo.cairn("repro"))
    try repo.commitAll("reproduced")
    try repo.clearStageLog()
    return repo
}

/// Expects `result` to have succeeded and printed DVC's `dvcText` (recorded from DVC 3.67.1) with cairn's name
/// in the advice; the files of a `git add` hint may come in any order.
func expectOutput(
    _ result: ProcessResult, dvc dvcText: String, code: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation
) {
    expectExit(result, code, sourceLocation: sourceLocation)
    let expected = Expected.normalizedHint(Expected.cairnText(dvcText))
    #expect(
        Expected.normalizedHint(result.stdout) == expected,
        "stdout differs from DVC's:\n--- expected ---\n\(expected)--- got ---\n\(result)",
        sourceLocation: sourceLocation)
}

/// `cairn repro` on the `PipelineProjects.basicYAML` project: DVC's texts, DVC's lock, DVC's change rules.
@Suite struct ReproTests {
    static let noop = """
        Stage 'a' didn't change, skipping
        Stage 'b' didn't change, skipping
        Data and pipelines are up to date.

        """

    @Test func firstRunRunsEveryStageInOrderAndWritesDVCsLock() throws {
        let repo = try pipelineRepo(PipelineProjects.writeBasic)
        let result = try repo.cairn("repro")
        expectOutput(result, dvc: """
            Running stage 'a':
            > echo a >> log.txt && cp in.txt a.txt
            Generating lock file 'dvc.lock'
            Updating lock file 'dvc.lock'

            Running stage 'b':
            > echo b >> log.txt && cat a.txt a.txt > b.txt
            Updating lock file 'dvc.lock'

            To track the changes with git, run:

            \tgit add .gitignore dvc.lock

            To enable auto staging, run:

            \tdvc config core.autostage true
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(try repo.stageLog() == ["a", "b"])
        #expect(try repo.read("dvc.lock") == PipelineProjects.basicLock)
        #expect(try repo.read(".gitignore") == "/a.txt\n/b.txt\n")
        #expect(try repo.read("b.txt") == "input\ninput\n")
        // Outputs are cached like `add` caches them.
        #expect(try repo.cacheObjects() == ["15aa0043473915b6ac6b40da211f3359", "ec9187a89c2f150e910b6db5f37521b9"])
        #expect(try repo.runCache().count == 2, "one run-cache entry per stage")
    }

    @Test func secondRunDoesNothing() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        let lock = try repo.bytes("dvc.lock")
        expectOutput(try repo.cairn("repro"), dvc: Self.noop)
        #expect(try repo.stageLog() == [])
        #expect(try repo.bytes("dvc.lock") == lock)
    }

    @Test func changedCommandRerunsOnlyThatStage() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        try repo.write("dvc.yaml", PipelineProjects.basicYAML.replacingOccurrences(
            of: "cat a.txt a.txt > b.txt", with: "cat a.txt a.txt a.txt > b.txt"))
        expectOutput(try repo.cairn("repro"), dvc: """
            Stage 'a' didn't change, skipping
            Running stage 'b':
            > echo b >> log.txt && cat a.txt a.txt a.txt > b.txt
            Updating lock file 'dvc.lock'

            To track the changes with git, run:

            \tgit add dvc.lock

            To enable auto staging, run:

            \tdvc config core.autostage true
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(try repo.stageLog() == ["b"])
        #expect(try repo.read("dvc.lock").contains("    cmd: echo b >> log.txt && cat a.txt a.txt a.txt > b.txt\n"))
    }

    @Test func changedDepRerunsTheStageAndWhatDependsOnIt() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        try repo.write("in.txt", "input2\n")
        expectOutput(try repo.cairn("repro"), dvc: """
            Running stage 'a':
            > echo a >> log.txt && cp in.txt a.txt
            Updating lock file 'dvc.lock'

            Running stage 'b':
            > echo b >> log.txt && cat a.txt a.txt > b.txt
            Updating lock file 'dvc.lock'

            To track the changes with git, run:

            \tgit add dvc.lock

            To enable auto staging, run:

            \tdvc config core.autostage true
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(try repo.stageLog() == ["a", "b"])
        #expect(try repo.read("b.txt") == "input2\ninput2\n")
        expectOutput(try repo.cairn("repro"), dvc: Self.noop)
    }

    @Test func aDepWhoseContentComesOutTheSameStopsThePropagation() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        // `a` reruns (its command changed) but writes the same a.txt, so b has nothing to do.
        try repo.write("dvc.yaml", PipelineProjects.basicYAML.replacingOccurrences(
            of: "echo a >> log.txt && cp in.txt a.txt", with: "echo a >> log.txt && cat in.txt > a.txt"))
        expectOutput(try repo.cairn("repro"), dvc: """
            Running stage 'a':
            > echo a >> log.txt && cat in.txt > a.txt
            Updating lock file 'dvc.lock'

            Stage 'b' didn't change, skipping

            To track the changes with git, run:

            \tgit add dvc.lock

            To enable auto staging, run:

            \tdvc config core.autostage true
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(try repo.stageLog() == ["a"])
    }

    @Test func changedUsedParamRerunsTheStageThatUsesIt() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        try repo.write("params.yaml", "lr: 0.02\nunused: 1\n")
        expectOutput(try repo.cairn("repro"), dvc: """
            Stage 'a' didn't change, skipping
            Running stage 'b':
            > echo b >> log.txt && cat a.txt a.txt > b.txt
            Updating lock file 'dvc.lock'

            To track the changes with git, run:

            \tgit add dvc.lock

            To enable auto staging, run:

            \tdvc config core.autostage true
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(try repo.stageLog() == ["b"])
        #expect(try repo.read("dvc.lock").contains("        lr: 0.02\n"))
    }

    @Test func changedUnusedParamDoesNothing() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        let lock = try repo.bytes("dvc.lock")
        try repo.write("params.yaml", "lr: 0.01\nunused: 2\nextra: new\n")
        expectOutput(try repo.cairn("repro"), dvc: Self.noop)
        #expect(try repo.stageLog() == [])
        #expect(try repo.bytes("dvc.lock") == lock)
    }

    @Test func paramsComparedWithPythonEquality() throws {
        // DVC compares param values as Python does: 1 == 1.0 == true, so none of these is a change.
        let repo = try reproducedRepo { repo in
            try PipelineProjects.writeBasic(repo)
            try repo.write("params.yaml", "lr: 1\nunused: 1\n")
        }
        for value in ["1.0", "true"] {
            try repo.write("params.yaml", "lr: \(value)\nunused: 1\n")
            expectOutput(try repo.cairn("repro"), dvc: Self.noop)
        }
        #expect(try repo.stageLog() == [])
    }

    @Test func missingOutputIsRestoredFromTheCacheWithoutRunning() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        let lock = try repo.bytes("dvc.lock")
        try repo.remove("a.txt")
        expectOutput(try repo.cairn("repro"), dvc: """
            Stage 'a' is cached - skipping run, checking out outputs

            Stage 'b' didn't change, skipping
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(try repo.stageLog() == [])
        #expect(try repo.read("a.txt") == "input\n")
        #expect(try repo.bytes("dvc.lock") == lock)
        try expectClean(repo)
    }

    @Test func modifiedOutputIsRestoredFromTheRunCache() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        try repo.write("b.txt", "tampered\n")
        expectOutput(try repo.cairn("repro"), dvc: """
            Stage 'a' didn't change, skipping
            Stage 'b' is cached - skipping run, checking out outputs
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(try repo.stageLog() == [])
        #expect(try repo.read("b.txt") == "input\ninput\n")
        try expectClean(repo)
    }

    @Test func modifiedOutputIsRestoredFromTheLockEvenWithoutTheRunCache() throws {
        // DVC's restore-from-lock path does not need the run-cache: the outs recorded in dvc.lock are in the cache.
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        try repo.write("b.txt", "tampered\n")
        expectOutput(try repo.cairn("repro", "--no-run-cache"), dvc: """
            Stage 'a' didn't change, skipping
            Stage 'b' is cached - skipping run, checking out outputs
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(try repo.stageLog() == [])
        #expect(try repo.read("b.txt") == "input\ninput\n")
    }

    @Test func forceRunsEveryPlannedStageAndKeepsAnUnchangedLock() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        let lock = try repo.bytes("dvc.lock")
        let dvcText = """
            Running stage 'a':
            > echo a >> log.txt && cp in.txt a.txt

            Running stage 'b':
            > echo b >> log.txt && cat a.txt a.txt > b.txt
            Use `dvc push` to send your updates to remote storage.

            """
        expectOutput(try repo.cairn("repro", "-f"), dvc: dvcText)
        #expect(try repo.stageLog() == ["a", "b"])
        #expect(try repo.bytes("dvc.lock") == lock)
        // A target's upstream stages are forced too.
        try repo.clearStageLog()
        expectOutput(try repo.cairn("repro", "--force", "b"), dvc: dvcText)
        #expect(try repo.stageLog() == ["a", "b"])
    }

    @Test func singleItemRunsOnlyTheTarget() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        try repo.write("in.txt", "changed\n")
        try repo.write("params.yaml", "lr: 0.5\nunused: 1\n")
        expectOutput(try repo.cairn("repro", "-s", "b"), dvc: """
            Running stage 'b':
            > echo b >> log.txt && cat a.txt a.txt > b.txt
            Updating lock file 'dvc.lock'

            To track the changes with git, run:

            \tgit add dvc.lock

            To enable auto staging, run:

            \tdvc config core.autostage true
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(try repo.stageLog() == ["b"])
        #expect(try repo.read("a.txt") == "input\n", "a did not run")
        try repo.clearStageLog()
        expectOutput(try repo.cairn("repro", "--single-item", "-f", "b"), dvc: """
            Running stage 'b':
            > echo b >> log.txt && cat a.txt a.txt > b.txt
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(try repo.stageLog() == ["b"])
    }

    @Test func downstreamRunsTheTargetAndWhatDependsOnIt() throws {
        let repo = try reproducedRepo(PipelineProjects.writeDiamond)
        expectOutput(try repo.cairn("repro", "--downstream", "-f", "left"), dvc: """
            Running stage 'left':
            > echo left >> log.txt && cat top.txt > left.txt

            Running stage 'join':
            > echo join >> log.txt && cat left.txt right.txt > join.txt
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(try repo.stageLog() == ["left", "join"])
        try repo.clearStageLog()
        // Nothing changed below `join`: the downstream of `join` is itself.
        expectOutput(try repo.cairn("repro", "--downstream", "join"), dvc: """
            Stage 'join' didn't change, skipping
            Data and pipelines are up to date.

            """)
        #expect(try repo.stageLog() == [])
    }

    @Test func targetRunsOnlyItsUpstream() throws {
        let repo = try reproducedRepo(PipelineProjects.writeDiamond)
        try repo.write("in.txt", "new\n")
        expectOutput(try repo.cairn("repro", "right"), dvc: """
            Running stage 'top':
            > echo top >> log.txt && cp in.txt top.txt
            Updating lock file 'dvc.lock'

            Running stage 'right':
            > echo right >> log.txt && cat top.txt top.txt > right.txt
            Updating lock file 'dvc.lock'

            To track the changes with git, run:

            \tgit add dvc.lock

            To enable auto staging, run:

            \tdvc config core.autostage true
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(try repo.stageLog() == ["top", "right"])
        #expect(try repo.read("left.txt") == "input\n")
    }

    @Test func dryPrintsThePlanAndChangesNothing() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        try repo.write("in.txt", "changed\n")
        try repo.remove("b.txt")
        let before = try repo.snapshot("", excluding: ["home", "site-cache", "repo/.git", "repo/.dvc/tmp"])
        let result = try repo.cairn("repro", "--dry")
        expectSuccess(result)
        #expect(result.stdout.contains("Running stage 'a':\n> echo a >> log.txt && cp in.txt a.txt\n"),
                Comment(rawValue: result.description))
        #expect(try repo.stageLog() == [])
        let changes = TestRepo.differences(
            before, try repo.snapshot("", excluding: ["home", "site-cache", "repo/.git", "repo/.dvc/tmp"]))
        #expect(changes == [], "--dry changed: \(changes)")
    }

    @Test func allPipelinesRunsEveryDvcYamlInTheRepo() throws {
        let repo = try pipelineRepo { repo in
            try repo.write("in.txt", "input\n")
            try repo.write("dvc.yaml", """
                stages:
                  ok1:
                    cmd: echo ok1 >> log.txt && cp in.txt ok1.txt
                    deps:
                    - in.txt
                    outs:
                    - ok1.txt

                """)
            try repo.write("sub/dvc.yaml", """
                stages:
                  s:
                    cmd: echo s >> ../log.txt && cp ../in.txt s.txt
                    deps:
                    - ../in.txt
                    outs:
                    - s.txt

                """)
        }
        let first = try repo.cairn("repro")
        expectSuccess(first)
        #expect(try repo.stageLog() == ["ok1"], "without -P only ./dvc.yaml")
        #expect(!repo.exists("sub/dvc.lock"))
        try repo.clearStageLog()
        expectOutput(try repo.cairn("repro", "-P"), dvc: """
            Stage 'ok1' didn't change, skipping
            Running stage 'sub/dvc.yaml:s':
            > echo s >> ../log.txt && cp ../in.txt s.txt
            Generating lock file 'sub/dvc.lock'
            Updating lock file 'sub/dvc.lock'

            To track the changes with git, run:

            \tgit add sub/dvc.lock sub/.gitignore

            To enable auto staging, run:

            \tdvc config core.autostage true
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(try repo.stageLog() == ["s"])
        #expect(try repo.read("sub/.gitignore") == "/s.txt\n")
        expectOutput(try repo.cairn("repro", "--all-pipelines"), dvc: """
            Stage 'ok1' didn't change, skipping
            Stage 'sub/dvc.yaml:s' didn't change, skipping
            Data and pipelines are up to date.

            """)
        // From inside sub/, the default target is sub/dvc.yaml and names are relative to it.
        expectOutput(try repo.cairn("repro", cwd: "sub"), dvc: """
            Stage 's' didn't change, skipping
            Data and pipelines are up to date.

            """)
        try expectClean(repo)
    }

    @Test func addressedStageInAnotherDvcYaml() throws {
        let repo = try pipelineRepo { repo in
            try repo.write("in.txt", "input\n")
            try repo.write("sub/dvc.yaml", """
                stages:
                  s:
                    cmd: echo s >> ../log.txt && cp ../in.txt s.txt
                    deps:
                    - ../in.txt
                    outs:
                    - s.txt

                """)
        }
        let result = try repo.cairn("repro", "sub/dvc.yaml:s")
        expectSuccess(result)
        #expect(result.stdout.hasPrefix("Running stage 'sub/dvc.yaml:s':\n"), Comment(rawValue: result.description))
        #expect(try repo.stageLog() == ["s"])
        #expect(repo.exists("sub/dvc.lock"))
    }
}

/// `always_changed`, `frozen`, `persist`, and outputs removed before a stage runs.
@Suite struct ReproStageFlagsTests {
    static let yaml = """
        stages:
          always:
            cmd: echo always >> log.txt && cp in.txt always.txt
            deps:
            - in.txt
            outs:
            - always.txt
            always_changed: true
          frozen:
            cmd: echo frozen >> log.txt && cp in.txt frozen.txt
            deps:
            - in.txt
            outs:
            - frozen.txt
          keep:
            cmd: echo keep >> log.txt && echo run >> kept.txt
            deps:
            - in.txt
            outs:
            - kept.txt:
                persist: true
          fresh:
            cmd: echo fresh >> log.txt && test ! -e made.txt && echo made > made.txt
            deps:
            - in.txt
            outs:
            - made.txt

        """

    /// The project run once, then `frozen: true` added to the `frozen` stage; all committed.
    static func frozenRepo() throws -> TestRepo {
        let repo = try reproducedRepo { repo in
            try repo.write("in.txt", "input\n")
            try repo.write("dvc.yaml", yaml)
            try repo.write(".gitignore", "log.txt\n")
        }
        try repo.write("dvc.yaml", yaml.replacingOccurrences(
            of: "    - frozen.txt\n", with: "    - frozen.txt\n    frozen: true\n"))
        try repo.commitAll("freeze")
        return repo
    }

    @Test func alwaysChangedRunsEveryTimeAndFrozenNever() throws {
        let repo = try Self.frozenRepo()
        let lock = try repo.bytes("dvc.lock")
        let result = try repo.cairn("repro")
        expectOutput(result, dvc: """
            Running stage 'always':
            > echo always >> log.txt && cp in.txt always.txt

            Stage 'frozen' didn't change, skipping
            Stage 'keep' didn't change, skipping
            Stage 'fresh' didn't change, skipping
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(result.stderr.contains("WARNING: stage: 'frozen' is frozen. Its dependencies are not going to be reproduced.\n"),
                Comment(rawValue: result.description))
        #expect(try repo.stageLog() == ["always"])
        #expect(try repo.bytes("dvc.lock") == lock, "same results: the lock is not rewritten")
    }

    @Test func changedDepRunsAllButTheFrozenStageAndKeepsPersistentOutputs() throws {
        let repo = try Self.frozenRepo()
        try repo.write("in.txt", "input2\n")
        let result = try repo.cairn("repro")
        expectOutput(result, dvc: """
            Running stage 'always':
            > echo always >> log.txt && cp in.txt always.txt
            Updating lock file 'dvc.lock'

            Stage 'frozen' didn't change, skipping
            Running stage 'keep':
            > echo keep >> log.txt && echo run >> kept.txt
            Updating lock file 'dvc.lock'

            Running stage 'fresh':
            > echo fresh >> log.txt && test ! -e made.txt && echo made > made.txt
            Updating lock file 'dvc.lock'

            To track the changes with git, run:

            \tgit add dvc.lock

            To enable auto staging, run:

            \tdvc config core.autostage true
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(try repo.stageLog() == ["always", "keep", "fresh"])
        #expect(try repo.read("frozen.txt") == "input\n", "the frozen stage never runs")
        #expect(try repo.read("kept.txt") == "run\nrun\n", "a persist output is kept (and writable) before the run")
        #expect(try repo.read("made.txt") == "made\n", "other outputs are removed before the run")
        #expect(try repo.mode("kept.txt") & 0o200 != 0)
    }

    @Test func frozenStageWithAMissingOutputFailsInsteadOfRunning() throws {
        let repo = try Self.frozenRepo()
        try repo.remove("frozen.txt")
        try repo.remove(".dvc/cache")
        let result = try repo.cairn("repro", "frozen")
        expectFailure(result, mentioning: ["failed to reproduce 'frozen'", "frozen.txt"])
        #expect(result.stdout == "Verifying outputs in frozen stage: 'frozen'\n", Comment(rawValue: result.description))
        #expect(try repo.stageLog() == [])
        #expect(!repo.exists("frozen.txt"))
    }
}

/// The demo template's pipeline, as `make demo` runs it.
@Suite struct ReproDemoTemplateTests {
    @Test func demoPipelineRunsOnlyWhatAParamChangeAffects() throws {
        let repo = try TestRepo()
        try repo.initCairn("--template", "demo")
        try repo.ok(repo.run("python3", ["src/make_dataset.py", "data"]))
        try repo.ok(repo.cairn("add", "-q", "data"))
        try repo.commitAll("demo")
        let started = Date()
        let first = try repo.cairn("repro")
        expectSuccess(first)
        #expect(Date().timeIntervalSince(started) < 10)
        for stage in ["prepare", "featurize", "train", "evaluate"] {
            #expect(first.stdout.contains("Running stage '\(stage)':\n> python3 src/\(stage).py\n"), "\(first)")
        }
        #expect(first.stdout.hasPrefix("'data.dvc' didn't change, skipping\n"), "\(first)")
        #expect(try repo.read("metrics.json").contains("\"accuracy\""))
        #expect(repo.exists("predictions.csv") && repo.exists("model.json"))
        try repo.commitAll("reproduced")
        try expectClean(repo)

        let params = try repo.read("params.yaml")
        try repo.write("params.yaml", params.replacingOccurrences(of: "learning_rate: 0.1", with: "learning_rate: 0.3"))
        let status = try repo.cairn("status")
        #expect(status.stdout == "train:\n\tchanged deps:\n\t\tparams.yaml:\n\t\t\tmodified:           train.learning_rate\n",
                Comment(rawValue: status.description))
        let second = try repo.cairn("repro")
        expectSuccess(second)
        #expect(second.stdout.contains("Stage 'prepare' didn't change, skipping\nStage 'featurize' didn't change, skipping\nRunning stage 'train':"),
                Comment(rawValue: second.description))
        #expect(second.stdout.contains("Running stage 'evaluate':"), Comment(rawValue: second.description))

        try repo.write("params.yaml", params)
        let third = try repo.cairn("repro")
        expectSuccess(third)
        #expect(third.stdout.contains("Stage 'train' is cached - skipping run, checking out outputs\n"),
                Comment(rawValue: third.description))
        #expect(!third.stdout.contains("Running stage"), Comment(rawValue: third.description))
        #expect(try repo.bytes("dvc.lock") == (try repo.gitOK("show", "HEAD:dvc.lock")).utf8.map { $0 })
    }
}

/// Fixture 03 (params files, a directory out, metrics/plots, persist, foreach) run by cairn: DVC's exact texts,
/// lock, `.gitignore` and run-cache.
@Suite struct ReproFixture03Tests {
    @Test func firstRunMatchesTheFixture() throws {
        let repo = try pipelineRepo(PipelineProjects.writeFixture03)
        let result = try repo.cairn("repro")
        expectOutput(result, dvc: try Fixtures.text("03-pipeline/repro-1.txt"))
        #expect(try repo.read("dvc.lock") == Fixtures.text("03-pipeline/workspace/dvc.lock"))
        // The fixture lists /plots.csv before /model.bin; DVC 3.67.1 run again here writes them the other way round,
        // so only the set of lines is DVC's fixed behaviour (the interop tests compare with a live DVC run).
        #expect(Set(try repo.read(".gitignore").split(separator: "\n"))
                == Set(try Fixtures.text("03-pipeline/gitignore").split(separator: "\n")))
        #expect(try repo.runCache() == PipelineProjects.fixture03RunCache())
        for file in ["metrics.json", "plots.csv", "model.bin", "eval.log", "split-train.txt", "split-test.txt",
                     "prepared/data.csv", "prepared/info.txt"] {
            #expect(try repo.bytes(file) == Fixtures.bytes("03-pipeline/workspace/" + file), "\(file)")
        }
        expectOutput(try repo.cairn("repro"), dvc: try Fixtures.text("03-pipeline/repro-2-noop.txt"))
    }

    @Test func runCacheRestoresAnEarlierParamValue() throws {
        let repo = try reproducedRepo(PipelineProjects.writeFixture03)
        let params = try repo.read("params.yaml")
        try repo.write("params.yaml", params.replacingOccurrences(of: "lr: 0.01", with: "lr: 0.05"))
        try repo.ok(repo.cairn("repro", "-q", "train"))
        let model = try repo.bytes("model.bin")
        try repo.write("params.yaml", params)
        expectOutput(try repo.cairn("repro", "train"), dvc: try Fixtures.text("03-pipeline/repro-runcache-restore.txt"))
        #expect(try repo.read("dvc.lock") == Fixtures.text("03-pipeline/workspace/dvc.lock"))
        #expect(try repo.bytes("model.bin") == model)
        #expect(try repo.bytes("metrics.json") == Fixtures.bytes("03-pipeline/workspace/metrics.json"),
                "a cache: false metric comes back from the run-cache too")
    }

    @Test func noRunCacheRunsTheStage() throws {
        let repo = try reproducedRepo(PipelineProjects.writeFixture03)
        let params = try repo.read("params.yaml")
        try repo.write("params.yaml", params.replacingOccurrences(of: "lr: 0.01", with: "lr: 0.05"))
        try repo.ok(repo.cairn("repro", "-q", "train"))
        try repo.write("params.yaml", params)
        expectOutput(try repo.cairn("repro", "--no-run-cache", "train"), dvc: """
            Stage 'prep' didn't change, skipping
            Running stage 'train':
            > sh src/train.sh
            Updating lock file 'dvc.lock'

            To track the changes with git, run:

            \tgit add dvc.lock

            To enable auto staging, run:

            \tdvc config core.autostage true
            Use `dvc push` to send your updates to remote storage.

            """)
        #expect(try repo.read("dvc.lock") == Fixtures.text("03-pipeline/workspace/dvc.lock"))
    }

    @Test func dryAfterChangesPrintsDVCsPlanAndChangesNothing() throws {
        let repo = try reproducedRepo(PipelineProjects.writeFixture03)
        try Fixture03Changes.apply(repo)
        let before = try repo.snapshot("", excluding: ["home", "site-cache", "repo/.git", "repo/.dvc/tmp"])
        // DVC's dry run also prints "Stage 'x' is cached - skipping run, checking out outputs" before "Running stage"
        // for stages it then says it would run (it looks up the run-cache with the dependency hashes of the last run);
        // cairn leaves that contradictory line out and prints the rest exactly.
        let dvcText = try Fixtures.text("03-pipeline/repro-dry-after-changes.txt")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasSuffix("is cached - skipping run, checking out outputs") }
            .joined(separator: "\n")
        expectOutput(try repo.cairn("repro", "--dry"), dvc: dvcText)
        let changes = TestRepo.differences(
            before, try repo.snapshot("", excluding: ["home", "site-cache", "repo/.git", "repo/.dvc/tmp"]))
        #expect(changes == [], "--dry changed: \(changes)")
    }
}

/// The changes fixture 03's status texts were recorded after.
enum Fixture03Changes {
    /// Changes raw.csv and lr, tampers model.bin, deletes plots.csv and edits the train command.
    static func apply(_ repo: TestRepo) throws {
        try repo.write("raw.csv", "raw,data\n1,3\n")
        try repo.write("params.yaml", try repo.read("params.yaml").replacingOccurrences(of: "lr: 0.01", with: "lr: 0.02"))
        try repo.write("model.bin", "tampered\n")
        try repo.remove("plots.csv")
        try repo.write("dvc.yaml", try repo.read("dvc.yaml").replacingOccurrences(
            of: "cmd: sh src/train.sh", with: "cmd: sh src/train.sh --v2"))
    }
}
