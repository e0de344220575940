import Testing
import CairnTestSupport
@testable import CairnCore

struct PipelineStageAddTests {
    @Test func replaysTheFixture03StageAdds() throws {
        var text: String? = nil
        text = try PipelineFile.addingStage(StageAddition(
            name: "prep", cmd: "sh src/prep.sh ${train.epochs}", deps: ["raw.csv", "src/prep.sh"],
            outs: ["prepared"], params: ["train.epochs"]), to: text, path: "dvc.yaml", force: false)
        text = try PipelineFile.addingStage(StageAddition(
            name: "train", cmd: "sh src/train.sh", deps: ["prepared", "src/train.sh"], outs: ["model.bin"],
            params: ["seed,lr,train.layers", "params2.json:alpha,beta.gamma"], metricsNoCache: ["metrics.json"],
            plots: ["plots.csv"], desc: "Train it"), to: text, path: "dvc.yaml", force: false)
        text = try PipelineFile.addingStage(StageAddition(
            name: "evaluate", cmd: "echo evaluated >> eval.log", deps: ["model.bin"], outsPersist: ["eval.log"],
            params: ["params2.json:"]), to: text, path: "dvc.yaml", force: false)
        #expect(text == (try Fixtures.text("03-pipeline/dvc.yaml.after-stage-add")))
    }

    @Test func writesEveryOptionInDVCOrder() throws {
        let addition = StageAddition(
            name: "s2", cmd: "python run.py --x 'y'", deps: ["b", "a"], outs: ["o2", "o1"], outsNoCache: ["nc"],
            outsPersist: ["pers"], outsPersistNoCache: ["pnc"],
            params: ["z,y", "other.json:q,p", "params.yaml:aa", "all.yaml:"], metrics: ["m.json"],
            metricsNoCache: ["mnc.json"], plots: ["pl1.csv"], plotsNoCache: ["pl2.csv"], wdir: "sub",
            desc: "Desc: x", alwaysChanged: true)
        let text = try PipelineFile.addingStage(addition, to: nil, path: "dvc.yaml", force: false)
        #expect(text == """
            stages:
              s2:
                desc: 'Desc: x'
                cmd: python run.py --x 'y'
                wdir: sub
                deps:
                - a
                - b
                params:
                - aa
                - y
                - z
                - all.yaml:
                - other.json:
                  - p
                  - q
                outs:
                - nc:
                    cache: false
                - o1
                - o2
                - pers:
                    persist: true
                - pnc:
                    cache: false
                    persist: true
                metrics:
                - m.json
                - mnc.json:
                    cache: false
                plots:
                - pl1.csv
                - pl2.csv:
                    cache: false
                always_changed: true

            """)
        let multi = try PipelineFile.addingStage(StageAddition(name: "s3", cmd: "multi\nline", deps: ["b-b", "b/b", "b.b"],
                                                               params: ["a.yaml:x", "a.yaml:w", "a.yaml:"]),
                                                 to: nil, path: "dvc.yaml", force: false)
        #expect(multi == "stages:\n  s3:\n    cmd: \"multi\\nline\"\n    deps:\n    - b-b\n    - b.b\n    - b/b\n    params:\n    - a.yaml:\n      - w\n      - x\n")
    }

    static let commented = """
        # top comment
        vars:
          - {a: 1}   # inline
        stages:
            first:   # first stage
                cmd: echo ${a}
                outs:
                    - x.txt
            second:
                cmd: echo 2
        # trailing comment

        plots:
          - p.csv

        """

    @Test func appendsKeepingCommentsAndLayout() throws {
        let text = try PipelineFile.addingStage(StageAddition(name: "third", cmd: "echo 3", deps: ["x.txt"]),
                                                to: Self.commented, path: "dvc.yaml", force: false)
        #expect(text == Self.commented.replacingAll("        cmd: echo 2\n", with: """
                    cmd: echo 2
                third:
                  cmd: echo 3
                  deps:
                  - x.txt

            """))
        // The result still parses, with the stage in place.
        let file = try PipelineFile.parse(text, path: "dvc.yaml", sources: MemorySources(files: [:]))
        #expect(file.stages.map(\.name) == ["first", "second", "third"])
    }

    @Test func replacesOnlyWithForce() throws {
        let addition = StageAddition(name: "first", cmd: "echo hi", deps: ["q"])
        #expect(throws: FormatError.self) {
            try PipelineFile.addingStage(addition, to: Self.commented, path: "dvc.yaml", force: false)
        }
        do {
            _ = try PipelineFile.addingStage(addition, to: Self.commented, path: "dvc.yaml", force: false)
        } catch {
            #expect(error.message == "Stage 'first' already exists in 'dvc.yaml'. Use '--force' to overwrite.")
        }
        let text = try PipelineFile.addingStage(addition, to: Self.commented, path: "dvc.yaml", force: true)
        #expect(text == """
            # top comment
            vars:
              - {a: 1}   # inline
            stages:
                first:
                  cmd: echo hi
                  deps:
                  - q
                second:
                    cmd: echo 2
            # trailing comment

            plots:
              - p.csv

            """)
    }

    @Test func addsStagesSectionWhenMissing() throws {
        let text = try PipelineFile.addingStage(StageAddition(name: "a", cmd: "x"), to: "metrics:\n- m.json\n",
                                                path: "dvc.yaml", force: false)
        #expect(text == "metrics:\n- m.json\nstages:\n  a:\n    cmd: x\n")
        let empty = try PipelineFile.addingStage(StageAddition(name: "a", cmd: "x"), to: "stages:\nplots:\n- p\n",
                                                 path: "dvc.yaml", force: false)
        #expect(empty == "stages:\n  a:\n    cmd: x\nplots:\n- p\n")
        let flow = try PipelineFile.addingStage(StageAddition(name: "a", cmd: "x"), to: "stages: {}\n",
                                                path: "dvc.yaml", force: false)
        #expect(flow == "stages:\n  a:\n    cmd: x\n")
        #expect(throws: FormatError.self) {
            try PipelineFile.addingStage(StageAddition(name: "a", cmd: "x"), to: "stages: {b: {cmd: y}}\n",
                                         path: "dvc.yaml", force: false)
        }
        #expect(throws: FormatError.self) {
            try PipelineFile.addingStage(StageAddition(name: "a/b", cmd: "x"), to: nil, path: "dvc.yaml", force: false)
        }
    }
}

struct PipelineStageNameTests {
    @Test(arguments: [("train", true), ("a-b_c1", true), ("é1", true), ("1", true), ("a b", true), ("", false),
                      ("a/b", false), ("a@b", false), ("a.b", false), ("a:b", false), ("a~", false)])
    func validatesLikeDVC(name: String, valid: Bool) {
        #expect(PipelineFile.isValidStageName(name) == valid)
    }
}

struct PipelineStageAddCheckTests {
    @Test(arguments: [
        (StageAddition(name: "z1", cmd: "x", deps: ["q"], outs: ["q"]), "'q' is specified as an output and as a dependency."),
        (StageAddition(name: "z2", cmd: "x", outs: ["q", "./q"]), "file './q' is specified more than once."),
        (StageAddition(name: "z3", cmd: "x", outs: ["q"], metrics: ["q"]), "file 'q' is specified more than once."),
        (StageAddition(name: "z5", cmd: "x", deps: ["q", "q"]), "file 'q' is specified more than once."),
    ])
    func refusesRepeatedPaths(addition: StageAddition, message: String) {
        #expect(throws: FormatError(path: "dvc.yaml", message: message,
                                    hint: message.hasPrefix("file") ? "give each path once"
                                        : "a stage cannot depend on its own output; remove it from -d or from the outputs")) {
            try PipelineFile.addingStage(addition, to: nil, path: "dvc.yaml", force: false)
        }
    }

    @Test func quotesNamesThatWouldReadAsNumbers() throws {
        let text = try PipelineFile.addingStage(StageAddition(name: "1", cmd: "x"), to: "stages:\n  é1:\n    cmd: x\n",
                                                path: "dvc.yaml", force: false)
        #expect(text == "stages:\n  é1:\n    cmd: x\n  '1':\n    cmd: x\n")
    }
}

struct PipelineStageAddPathTests {
    // As DVC 3.67.1 writes `stage add -n w1 -w ./sub/ -d sub/in -d ./x -o sub/deeper/o -p sub/p.yaml:k cmd`.
    @Test func writesPathsAsGivenAndWdirNormalised() throws {
        let text = try PipelineFile.addingStage(StageAddition(name: "w1", cmd: "cmd", deps: ["sub/in", "./x"],
                                                              outs: ["sub/deeper/o"], params: ["sub/p.yaml:k"], wdir: "./sub/"),
                                                to: nil, path: "dvc.yaml", force: false)
        #expect(text == "stages:\n  w1:\n    cmd: cmd\n    wdir: sub\n    deps:\n    - ./x\n    - sub/in\n    params:\n    - sub/p.yaml:\n      - k\n    outs:\n    - sub/deeper/o\n")
        let dot = try PipelineFile.addingStage(StageAddition(name: "a", cmd: "c", wdir: "."), to: nil, path: "dvc.yaml", force: false)
        #expect(dot == "stages:\n  a:\n    cmd: c\n")
    }
}
