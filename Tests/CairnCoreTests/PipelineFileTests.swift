import Testing
import CairnTestSupport
@testable import CairnCore

/// In-memory files for the codec.
struct MemorySources: PipelineSources {
    var files: [String: String]
    func read(_ repoRelativePath: String) throws -> [UInt8]? { files[repoRelativePath].map { Array($0.utf8) } }
}

struct PipelineFileTests {
    static func fixture04(at directory: String = "") throws -> MemorySources {
        let prefix = directory.isEmpty ? "" : directory + "/"
        return MemorySources(files: [
            prefix + "params.yaml": try Fixtures.text("04-templating/params.yaml"),
            prefix + "custom.yaml": try Fixtures.text("04-templating/custom.yaml"),
        ])
    }

    @Test func expandsFixture04LikeDVC() throws {
        let text = try Fixtures.text("04-templating/dvc.yaml")
        let file = try PipelineFile.parse(text, path: "dvc.yaml", sources: try Self.fixture04())
        let listing = StageListing.render(file.stages, nameOnly: false)
        #expect(listing == (try Fixtures.text("04-templating/stage-list.txt")))
        let lock = try PipelineLock.parse(try Fixtures.text("04-templating/dvc.lock"), path: "dvc.lock")
        #expect(file.stages.map(\.name) == lock.stageNames)
        for stage in file.stages {
            let locked = try #require(lock[stage: stage.name])
            #expect(stage.cmd.yamlValue == locked.cmd, "\(stage.name)")
        }
        #expect(file.groups.map(\.name) == ["gen", "perkey", "listdicts", "grid"])
        #expect(file.group(named: "grid")?.members == ["grid@lin-1", "grid@lin-2", "grid@svm-1", "grid@svm-2"])
        let insub = try #require(file.stage(named: "insub"))
        #expect(insub.wdir == "sub")
        #expect(insub.deps == ["input.txt"])
        #expect(file.stage(named: "dictcmd")?.params == [ParamsDependency(file: "params.yaml", keys: ["model.opts"])])
        #expect(file.metrics == ["metrics.json"])
        #expect(file.params == ["custom.yaml"])
        #expect(file.plots.map(\.id) == ["plots.csv", "loss_curve"])
        #expect(file.plots[0].properties == ["x": "epoch", "y": "loss"])
        #expect(file.plots[1].properties?["y"] == ["plots.csv": "loss"])
        #expect(file.artifacts == [PipelineArtifact(name: "my-model", path: "multi.txt", type: "model",
                                                    desc: "A model", labels: ["x"])])
        #expect(file.contextFiles == ["params.yaml", "custom.yaml"])
    }

    @Test func expandsMatrixTypesInASubdirectory() throws {
        let top = try PipelineFile.parse(try Fixtures.text("04-templating/dvc.yaml"), path: "dvc.yaml",
                                         sources: try Self.fixture04())
        let sub = try PipelineFile.parse(try Fixtures.text("04-templating/matrix-types.dvc.yaml"), path: "m2/dvc.yaml",
                                         sources: MemorySources(files: [:]))
        let listing = StageListing.render(top.stages + sub.stages, nameOnly: false, from: "m2")
        #expect(listing == (try Fixtures.text("04-templating/matrix-types.stage-list.txt")))
        #expect(sub.stage(named: "esc")?.cmd == .string("echo ${notinterp} a b"))
        #expect(sub.stage(named: "m@true-0.5-cfg0")?.cmd == .string("echo true 0.5 true-0.5-cfg0"))
        #expect(sub.stage(named: "fe@s p")?.cmd == .string("echo s p"))
        #expect(sub.stage(named: "fe@2.5")?.wdir == "m2")
        #expect(sub.stages.allSatisfy { $0.file == "m2/dvc.yaml" })
    }

    @Test func listsNamesOnly() throws {
        let stages = [PipelineStage(name: "a", file: "dvc.yaml", cmd: .string("x")),
                      PipelineStage(name: "long-name", file: "dvc.yaml", cmd: .string("x"), deps: ["in"],
                                    params: [ParamsDependency(file: "params.yaml", keys: ["k"])]),
                      PipelineStage(name: "m", file: "dvc.yaml", cmd: .string("x"),
                                    outs: [StageOutput(path: "o"), StageOutput(path: "m.json", kind: .metric),
                                           StageOutput(path: "p.csv", kind: .plot)], desc: "\n  First line  \nsecond")]
        #expect(StageListing.render(stages, nameOnly: true) == "a\nlong-name\nm\n")
        #expect(StageListing.render(stages, nameOnly: false) == """
            a          No outputs or dependencies
            long-name  Depends on in, params.yaml
            m          First line

            """)
        #expect(StageListing.description(of: PipelineStage(name: "m", file: "dvc.yaml", cmd: .string("x"),
            outs: [StageOutput(path: "o"), StageOutput(path: "m.json", kind: .metric)])) == "Outputs o; Reports m.json")
        #expect(StageListing.render([], nameOnly: false) == "")
    }
}

struct PipelineStageFieldsTests {
    @Test func readsFixture03Workspace() throws {
        let sources = MemorySources(files: ["params.yaml": try Fixtures.text("03-pipeline/workspace/params.yaml")])
        let file = try PipelineFile.parse(try Fixtures.text("03-pipeline/workspace/dvc.yaml"), path: "dvc.yaml",
                                          sources: sources)
        let lock = try PipelineLock.parse(try Fixtures.text("03-pipeline/workspace/dvc.lock"), path: "dvc.lock")
        #expect(file.stages.map(\.name) == lock.stageNames)
        for stage in file.stages {
            #expect(stage.cmd.yamlValue == lock[stage: stage.name]?.cmd, "\(stage.name)")
        }
        let train = try #require(file.stage(named: "train"))
        #expect(train.desc == "Train it")
        #expect(train.params == [ParamsDependency(file: "params.yaml", keys: ["lr", "seed", "train.layers"]),
                                 ParamsDependency(file: "params2.json", keys: ["alpha", "beta.gamma"])])
        #expect(train.outs == [StageOutput(path: "model.bin"), StageOutput(path: "metrics.json", kind: .metric, cache: false),
                               StageOutput(path: "plots.csv", kind: .plot)])
        #expect(file.stage(named: "evaluate")?.params == [ParamsDependency(file: "params2.json", keys: nil)])
        #expect(file.stage(named: "evaluate")?.outs == [StageOutput(path: "eval.log", persist: true)])
        #expect(file.plots == [PipelinePlot(id: "plots.csv", properties: ["x": "epoch", "y": "loss", "title": "Loss"])])
        #expect(file.groups == [PipelineGroup(name: "split", members: ["split@train", "split@test"])])
    }

    @Test func readsEveryStageField() throws {
        let text = """
            stages:
              s:
                desc: ${d}
                cmd: run
                wdir: w
                deps: [a, "${n}.txt"]
                params:
                - a
                - other.yaml: [x, y.z]
                - b
                - params.yaml: [c, a]
                - whole.toml:
                - empty.json: []
                outs:
                - o1
                - o2:
                    cache: false
                    persist: true
                    push: false
                    remote: r
                    checkpoint: true
                    desc: out
                    type: model
                    labels: [l]
                    meta: {k: 1}
                metrics:
                - m.json:
                    cache: false
                plots:
                - p.csv:
                    x: epoch
                    y: loss
                    header: true
                frozen: true
                always_changed: true
                meta:
                  owner: ${d}
            """
        let file = try PipelineFile.parse(text, path: "dvc.yaml",
                                          sources: MemorySources(files: ["params.yaml": "d: hi\nn: 3\n"]))
        let stage = try #require(file.stages.first)
        #expect(stage.desc == "hi")
        #expect(stage.wdir == "w")
        #expect(stage.deps == ["a", "3.txt"])
        #expect(stage.params == [ParamsDependency(file: "params.yaml", keys: ["a", "b", "c"]),
                                 ParamsDependency(file: "other.yaml", keys: ["x", "y.z"]),
                                 ParamsDependency(file: "whole.toml", keys: nil),
                                 ParamsDependency(file: "empty.json", keys: nil)])
        #expect(stage.outs.map(\.path) == ["o1", "o2", "m.json", "p.csv"])
        #expect(stage.outs.map(\.kind) == [.out, .out, .metric, .plot])
        let o2 = stage.outs[1]
        #expect(!o2.cache && o2.persist && !o2.push && o2.remote == "r")
        #expect(o2.options == ["desc": "out", "type": "model", "labels": ["l"], "meta": ["k": 1]])
        #expect(stage.outs[3].options == ["x": "epoch", "y": "loss", "header": true])
        #expect(stage.frozen && stage.alwaysChanged)
        #expect(stage.meta == ["owner": "hi"])
    }

    @Test func emptyAndStageLessFilesParse() throws {
        #expect(try PipelineFile.parse("", path: "dvc.yaml", sources: MemorySources(files: [:])).stages.isEmpty)
        #expect(try PipelineFile.parse("# nothing\n", path: "dvc.yaml", sources: MemorySources(files: [:])).stages.isEmpty)
        let metricsOnly = try PipelineFile.parse("metrics:\n- m.json\nstages:\n", path: "sub/dvc.yaml",
                                                 sources: MemorySources(files: [:]))
        #expect(metricsOnly.metrics == ["m.json"])
        #expect(metricsOnly.stages.isEmpty)
    }

    @Test func paramsYamlBesideASubdirectoryFile() throws {
        let file = try PipelineFile.parse("vars: [v.yaml]\nstages:\n  a:\n    cmd: echo ${x} ${y}\n", path: "sub/dvc.yaml",
                                          sources: MemorySources(files: ["sub/params.yaml": "x: 1\n", "sub/v.yaml": "y: 2\n",
                                                                         "params.yaml": "x: root\n"]))
        #expect(file.stages[0].cmd == .string("echo 1 2"))
        #expect(file.stages[0].wdir == "sub")
        #expect(file.stages[0].address == "sub/dvc.yaml:a")
        #expect(file.contextFiles == ["sub/params.yaml", "sub/v.yaml"])
    }
}

struct StageListingAllTests {
    // As DVC 3.67.1 prints `stage list --all` from a subdirectory `s` with `data.txt.dvc` and `s/y.dvc`.
    @Test func includesDvcFilesFromASubdirectory() {
        let rows = [StageListing.row(for: PipelineStage(name: "a", file: "dvc.yaml", cmd: .string("x")), from: "s"),
                    StageListing.row(for: PipelineStage(name: "c", file: "dvc.yaml", cmd: .string("x"), deps: ["A"],
                                                        outs: [StageOutput(path: "b-b")]), from: "s"),
                    StageListing.dvcFileRow(path: "data.txt.dvc", outs: ["data.txt"], from: "s"),
                    StageListing.dvcFileRow(path: "s/y.dvc", outs: ["y"], from: "s")]
        #expect(StageListing.render(rows: rows, nameOnly: false) == """
            ../dvc.yaml:a    No outputs or dependencies
            ../dvc.yaml:c    Outputs b-b
            ../data.txt.dvc  Outputs data.txt
            y.dvc            Outputs y

            """)
        let long = PipelineStage(name: "l", file: "dvc.yaml", cmd: .string("x"),
                                 outs: (0..<20).map { StageOutput(path: "output-\($0)") })
        let line = StageListing.render([long], nameOnly: false)
        #expect(line.hasSuffix("…\n"))
        #expect(line.count == "l  ".count + 80 + 1)
    }
}
