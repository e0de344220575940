import Testing
import CairnTestSupport
@testable import CairnCore

struct StalenessLockEntryTests {
    /// Rebuilds every entry of a fixture lock from its stages, with deps/outs handed over in reverse order and
    /// params computed from the documents, and renders the whole lock.
    private func rebuild(_ stages: [PipelineStage], lock: PipelineLock,
                         documents: [String: YAMLValue]) throws -> String {
        var rebuilt = PipelineLock()
        for stage in stages {
            let recorded = try #require(lock[stage: stage.name])
            let params = try LockEntryBuilder.params(for: stage, documents: { documents[$0] })
            rebuilt[stage: stage.name] = LockEntryBuilder.entry(
                for: stage, deps: recorded.deps.reversed(), params: params.reversed(), outs: recorded.outs.reversed())
        }
        return rebuilt.rendered()
    }

    @Test func fixture03LockRendersByteIdentical() throws {
        let lock = try PipelineLock.parse(try Fixtures.text("03-pipeline/workspace/dvc.lock"), path: "dvc.lock")
        let params = try #require(try YAMLReader.parse(try Fixtures.text("03-pipeline/workspace/params.yaml"),
                                                       path: "params.yaml")?.value)
        let params2 = YAMLValue(try JSONValue.parse(#"{"alpha": 0.5, "beta": {"gamma": "g"}}"#))
        let text = try rebuild(Fixture03.stages(), lock: lock,
                               documents: ["params.yaml": params, "params2.json": params2])
        #expect(text == (try Fixtures.text("03-pipeline/workspace/dvc.lock")))
    }

    @Test func fixture04LockRendersByteIdentical() throws {
        let lock = try PipelineLock.parse(try Fixtures.text("04-templating/dvc.lock"), path: "dvc.lock")
        let params = try #require(try YAMLReader.parse(try Fixtures.text("04-templating/params.yaml"),
                                                       path: "params.yaml")?.value)
        var stages: [PipelineStage] = []
        for (name, entry) in lock.stages {
            let cmd: StageCommand = entry.cmd.sequenceValue.map { .list($0.compactMap(\.stringValue)) }
                ?? .string(entry.cmd.stringValue ?? "")
            stages.append(PipelineStage(
                name: name, file: "dvc.yaml", cmd: cmd, wdir: name == "insub" ? "sub" : "",
                deps: entry.deps.map(\.path),
                params: name == "dictcmd" ? [ParamsDependency(file: "params.yaml", keys: ["model.opts"])] : [],
                outs: entry.outs.map { StageOutput(path: $0.path) }))
        }
        let text = try rebuild(stages, lock: lock, documents: ["params.yaml": params])
        #expect(text == (try Fixtures.text("04-templating/dvc.lock")))
    }

    @Test func missingParamsAreErrors() throws {
        let stage = PipelineStage(name: "s", file: "dvc.yaml", cmd: .string("x"), wdir: "sub",
                                  params: [ParamsDependency(file: "p.yaml", keys: ["a", "b.c"])])
        #expect(throws: FormatError.self) {
            try LockEntryBuilder.params(for: stage, documents: { _ in nil })
        }
        do {
            _ = try LockEntryBuilder.params(for: stage, documents: { $0 == "sub/p.yaml" ? ["a": 1] : nil })
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "Parameters 'b.c' are missing from 'p.yaml'.")
        }
        let values = try LockEntryBuilder.params(for: stage, documents: { _ in ["b": ["c": [1, 2]], "a": 1, "z": 0] })
        #expect(values.count == 1 && values[0].file == "p.yaml" && values[0].values == ["a": 1, "b.c": [1, 2]])
    }

    @Test func sortsPathsAndParamsFilesAsDVC() {
        let stage = PipelineStage(name: "s", file: "dvc.yaml", cmd: .list(["a", "b"]))
        let entry = LockEntryBuilder.entry(
            for: stage, deps: [LockedPath(path: "b"), LockedPath(path: "B"), LockedPath(path: "a/x")],
            params: [("z.json", ["k": 1]), ("a.yaml", ["k": 1]), ("params.yaml", ["k": 1])], outs: [])
        #expect(entry.cmd == .sequence(["a", "b"]))
        #expect(entry.deps.map(\.path) == ["B", "a/x", "b"])
        #expect(entry.params.map(\.file) == ["params.yaml", "a.yaml", "z.json"])
        #expect(DVCYAMLWriter.render(entry.yamlValue).contains("outs") == false)
    }
}
