import CairnTestSupport
import Foundation
import Testing

/// `cairn stage add` and `cairn stage list`: DVC's texts (recorded from DVC 3.67.1).
@Suite struct StageTests {
    static let commented = """
        # The project's pipeline.
        stages:
          # first stage
          a:
            cmd: cp in.txt a.txt  # copy
            deps:
            - in.txt
            outs:
            - a.txt

        """

    @Test func stageAddCreatesDvcYaml() throws {
        let repo = try initializedRepo()
        let result = try repo.cairn("stage", "add", "-n", "first", "-d", "in.txt", "-o", "out.txt", "cp in.txt out.txt")
        expectOutput(result, dvc: """
            Added stage 'first' in 'dvc.yaml'

            To track the changes with git, run:

            \tgit add dvc.yaml .gitignore

            To enable auto staging, run:

            \tdvc config core.autostage true

            """)
        #expect(try repo.read("dvc.yaml") == """
            stages:
              first:
                cmd: cp in.txt out.txt
                deps:
                - in.txt
                outs:
                - out.txt

            """)
        #expect(try repo.read(".gitignore") == "/out.txt\n")
        #expect(!repo.exists("dvc.lock"), "stage add runs nothing")
    }

    @Test func stageAddWithEveryOptionKeepsCommentsAndWritesDVCsKeyOrder() throws {
        let repo = try pipelineRepo { repo in
            try repo.write("params.yaml", "lr: 0.1\nseed: 1\n")
            try repo.write("p2.json", "{\"alpha\": 1}\n")
            try repo.write("dvc.yaml", Self.commented)
        }
        let result = try repo.cairn(
            "stage", "add", "-n", "b", "-d", "a.txt", "-d", "src.py", "-o", "b.txt", "-O", "nc.txt", "-p", "lr,seed",
            "-p", "p2.json:alpha", "-m", "m.json", "-M", "mnc.json", "--plots", "p.csv", "--outs-persist", "keep.txt",
            "-w", ".", "--desc", "B stage", "python src.py")
        expectOutput(result, dvc: """
            Added stage 'b' in 'dvc.yaml'

            To track the changes with git, run:

            \tgit add dvc.yaml .gitignore

            To enable auto staging, run:

            \tdvc config core.autostage true

            """)
        #expect(try repo.read("dvc.yaml") == Self.commented + """
              b:
                desc: B stage
                cmd: python src.py
                deps:
                - a.txt
                - src.py
                params:
                - lr
                - seed
                - p2.json:
                  - alpha
                outs:
                - b.txt
                - keep.txt:
                    persist: true
                - nc.txt:
                    cache: false
                metrics:
                - m.json
                - mnc.json:
                    cache: false
                plots:
                - p.csv

            """)
        // Cached outputs are git-ignored (DVC's order is not a stable one).
        #expect(Set(try repo.read(".gitignore").split(separator: "\n")) == ["/keep.txt", "/m.json", "/p.csv", "/b.txt"])
    }

    @Test func stageAddMatchesFixture03() throws {
        let repo = try pipelineRepo { repo in
            try PipelineProjects.writeFixture03(repo)
            try repo.remove("dvc.yaml")
        }
        try repo.ok(repo.cairn(
            "stage", "add", "-q", "-n", "prep", "-d", "raw.csv", "-d", "src/prep.sh", "-p", "train.epochs", "-o",
            "prepared", "sh src/prep.sh ${train.epochs}"))
        try repo.ok(repo.cairn(
            "stage", "add", "-q", "-n", "train", "-d", "prepared", "-d", "src/train.sh", "-p", "seed,lr,train.layers",
            "-p", "params2.json:alpha,beta.gamma", "-o", "model.bin", "-M", "metrics.json", "--plots", "plots.csv",
            "--desc", "Train it", "sh src/train.sh"))
        try repo.ok(repo.cairn(
            "stage", "add", "-q", "-n", "evaluate", "-d", "model.bin", "-p", "params2.json:", "--outs-persist",
            "eval.log", "echo evaluated >> eval.log"))
        #expect(try repo.read("dvc.yaml") == Fixtures.text("03-pipeline/dvc.yaml.after-stage-add"))
    }

    @Test func stageAddRefusesAnExistingNameUnlessForced() throws {
        let repo = try pipelineRepo { repo in
            try repo.write("dvc.yaml", Self.commented)
        }
        let refused = try repo.cairn("stage", "add", "-n", "a", "-d", "x", "echo again")
        expectFailure(refused, mentioning: ["Stage 'a' already exists in 'dvc.yaml'. Use '--force' to overwrite."])
        #expect(try repo.read("dvc.yaml") == Self.commented)

        let forced = try repo.cairn("stage", "add", "-n", "a", "-f", "-d", "x", "echo again")
        expectSuccess(forced)
        #expect(try repo.read("dvc.yaml") == """
            # The project's pipeline.
            stages:
              # first stage
              a:
                cmd: echo again
                deps:
                - x

            """)
    }

    @Test func stageAddRefusesBadNamesAndOverlappingOutputs() throws {
        let repo = try pipelineRepo { repo in
            try repo.write("dvc.yaml", Self.commented)
        }
        // DVC: "ERROR: Stage name cannot contain punctuation characters." (exit 255); cairn treats it as a usage error.
        let badName = try repo.cairn("stage", "add", "-n", "bad.name", "echo x")
        #expect(badName.status == 254 || badName.status == 255, Comment(rawValue: badName.description))
        #expect(badName.stderr.contains("ERROR") && badName.stderr.contains("bad.name"), Comment(rawValue: badName.description))
        // DVC: "ERROR: output 'a.txt' is already specified in stage: 'a'."
        expectFailure(try repo.cairn("stage", "add", "-n", "c", "-o", "a.txt", "echo dup"), mentioning: ["'a.txt'", "a"])
        #expect(try repo.read("dvc.yaml") == Self.commented)
        #expect(!repo.exists(".gitignore"))
    }

    @Test func stageListShowsDescriptionsOrOutputs() throws {
        let repo = try pipelineRepo(PipelineProjects.writeDiamond)
        let all = try repo.cairn("stage", "list")
        expectSuccess(all)
        #expect(all.stdout == """
            top    Outputs top.txt
            left   The left branch
            right  Outputs right.txt
            join   Outputs join.txt

            """, Comment(rawValue: all.description))
        #expect(try repo.cairn("stage", "list", "--name-only").stdout == "top\nleft\nright\njoin\n")
        #expect(try repo.cairn("stage", "list", "left").stdout == "left  The left branch\n")
    }

    @Test func stageListOfGeneratedStagesMatchesFixture04() throws {
        let repo = try pipelineRepo(PipelineProjects.writeFixture04)
        let result = try repo.cairn("stage", "list")
        expectSuccess(result)
        #expect(result.stdout == (try Fixtures.text("04-templating/stage-list.txt")), Comment(rawValue: result.description))
        #expect(try repo.cairn("stage", "list", "--all").stdout == Fixtures.text("04-templating/stage-list.txt"))
        #expect(try repo.cairn("stage", "list", "gen").stdout == "gen@alpha  Outputs out-alpha.txt\ngen@beta   Outputs out-beta.txt\n")
        #expect(try repo.cairn("stage", "list", "--name-only", "gen").stdout == "gen@alpha\ngen@beta\n")
    }

    @Test func stageListWithoutDvcYamlFails() throws {
        let repo = try initializedRepo()
        expectFailure(try repo.cairn("stage", "list"), mentioning: ["dvc.yaml' does not exist"])
    }
}
