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
        #expect(throws: FormatError.self) {
            try PipelineFile.addingStage(StageAddition(name: "a/b", cmd: "x"), to: nil, path: "dvc.yaml", force: false)
        }
    }
}
