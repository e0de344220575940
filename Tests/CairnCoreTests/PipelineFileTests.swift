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
