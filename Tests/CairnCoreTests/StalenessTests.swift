import Testing
import CairnTestSupport
@testable import CairnCore

/// A workspace made of tables: dependency hashes, params documents and output contents.
struct FakeWorkspace: StageObserving {
    var files: [String: ObjectID] = [:]
    var params: [String: YAMLValue] = [:]
    var outputs: [String: ObservedContent] = [:]
    var notInCache: Set<String> = []

    func dependency(_ repoPath: String, recorded: LockedPath?) -> ObservedDependency {
        files[repoPath].map { .present(HashInfo($0)) } ?? .missing
    }

    func paramsDocument(_ repoPath: String) -> YAMLValue? { params[repoPath] }

    func output(_ repoPath: String, recorded: LockedPath?, cache: Bool) -> OutputChange? {
        OutputStatusRule.change(recorded: recorded?.hash, isCached: cache,
                                objectsInCache: !notInCache.contains(repoPath),
                                observed: outputs[repoPath] ?? .missing)
    }

    /// The workspace exactly as fixture 03's dvc.lock records it.
    static func fixture03(_ lock: PipelineLock) throws -> FakeWorkspace {
        var workspace = FakeWorkspace()
        for (_, entry) in lock.stages {
            for dep in entry.deps { workspace.files[dep.path] = dep.md5 }
            for out in entry.outs {
                let id = try #require(out.md5)
                workspace.outputs[out.path] = .file(id, size: Int(out.size ?? 0), isExecutable: false)
                workspace.files[out.path] = id
            }
        }
        workspace.params["params.yaml"] = try #require(try YAMLReader.parse(
            try Fixtures.text("03-pipeline/workspace/params.yaml"), path: "params.yaml")?.value)
        workspace.params["params2.json"] = ["alpha": 0.5, "beta": ["gamma": "g"]]
        return workspace
    }
}

private func report(_ stages: [PipelineStage], _ lock: PipelineLock, _ workspace: FakeWorkspace) -> StatusReport {
    StatusReport(entries: stages.compactMap { stage in
        let items = Staleness.items(for: stage, lock: lock[stage: stage.name], observer: workspace)
        return items.isEmpty ? nil : StatusReport.Entry(address: stage.address, items: items)
    })
}

struct StalenessTests {
    let lock: PipelineLock

    init() throws {
        lock = try PipelineLock.parse(try Fixtures.text("03-pipeline/workspace/dvc.lock"), path: "dvc.lock")
    }

    @Test func fixture03IsUpToDateAsLocked() throws {
        let workspace = try FakeWorkspace.fixture03(lock)
        let stages = Fixture03.stages()
        #expect(report(stages, lock, workspace).isClean)
        for stage in stages {
            #expect(!Staleness.isChanged(stage, lock: lock[stage: stage.name], observer: workspace))
        }
    }

    @Test func fixture03StatusChanged() throws {
        var workspace = try FakeWorkspace.fixture03(lock)
        let other = ObjectID("00000000000000000000000000000001")!
        workspace.files["raw.csv"] = other
        workspace.files["model.bin"] = other
        workspace.outputs["model.bin"] = .file(other, size: 3, isExecutable: false)
        workspace.outputs["plots.csv"] = .missing
        var params = try #require(workspace.params["params.yaml"]?.mappingValue)
        params["lr"] = .float(0.05)
        workspace.params["params.yaml"] = .mapping(params)
        let stages = Fixture03.stages(trainCmd: "sh src/train.sh --changed")

        let status = report(stages, lock, workspace)
        #expect(status.json() + "\n" == (try Fixtures.text("03-pipeline/status-changed.json")))
        #expect(status.text() + "\n" == (try Fixtures.text("03-pipeline/status-changed.txt")))
        for stage in stages { #expect(Staleness.isChanged(stage, lock: lock[stage: stage.name], observer: workspace)) }
    }

    @Test(arguments: [
        // (what changes, expected JSON items of the one stage)
        ("none", #"[]"#),
        ("noLock", #"[{"changed deps": {"a.txt": "modified", "params.yaml": "new"}}, {"changed outs": {"b.txt": "modified"}}]"#),
        ("depDeleted", #"[{"changed deps": {"a.txt": "deleted"}}]"#),
        ("paramsDeleted", #"[{"changed deps": {"params.yaml": "deleted"}}]"#),
        ("paramKeyGone", #"[{"changed deps": {"params.yaml": {"lr": "deleted"}}}]"#),
        ("paramKeyNewInLock", #"[{"changed deps": {"params.yaml": {"lr": "new"}}}]"#),
        ("paramPythonEqual", #"[]"#),
        ("outNotInCache", #"[{"changed outs": {"b.txt": "not in cache"}}]"#),
        ("cmdList", #"["changed command"]"#),
        ("frozenDepChange", #"[]"#),
        ("alwaysChanged", #"["always changed"]"#),
        ("removedDepIgnored", #"[]"#),
    ])
    func rules(_ scenario: String, _ expected: String) throws {
        let a = ObjectID("0cc175b9c0f1b6a831c399e269772661")!, b = ObjectID("92eb5ffee6ae2fec3ad71c777531578f")!
        var stage = PipelineStage(name: "s", file: "dvc.yaml", cmd: .string("cp a.txt b.txt"), deps: ["a.txt"],
                                  params: [ParamsDependency(file: "params.yaml", keys: ["lr"])],
                                  outs: [StageOutput(path: "b.txt")])
        var entry: LockedStage? = LockedStage(
            cmd: .string("cp a.txt b.txt"), deps: [LockedPath(path: "a.txt", hash: HashInfo(a), size: 2)],
            params: [("params.yaml", ["lr": 1])], outs: [LockedPath(path: "b.txt", hash: HashInfo(b), size: 2)])
        var workspace = FakeWorkspace(files: ["a.txt": a], params: ["params.yaml": ["lr": 1]],
                                      outputs: ["b.txt": .file(b, size: 2, isExecutable: false)])
        switch scenario {
        case "noLock": entry = nil
        case "depDeleted": workspace.files = [:]
        case "paramsDeleted": workspace.params = [:]
        case "paramKeyGone": workspace.params["params.yaml"] = ["other": 1]
        case "paramKeyNewInLock": entry?.params = [("params.yaml", ["other": 1])]
        case "paramPythonEqual": workspace.params["params.yaml"] = ["lr": true]
        case "outNotInCache": workspace.notInCache = ["b.txt"]
        case "cmdList": stage.cmd = .list(["cp a.txt b.txt"])
        case "frozenDepChange":
            stage.frozen = true
            workspace.files["a.txt"] = b
        case "alwaysChanged": stage.alwaysChanged = true
        case "removedDepIgnored":
            entry?.deps.append(LockedPath(path: "gone.txt", hash: HashInfo(a)))
            entry?.outs.append(LockedPath(path: "gone.out", hash: HashInfo(a)))
            entry?.params[0].values["removed"] = 3
        default: break
        }
        let items = Staleness.items(for: stage, lock: entry, observer: workspace)
        let json = StatusReport(entries: [.init(address: "s", items: items)]).json()
        #expect(json == (items.isEmpty ? #"{"s": []}"# : #"{"s": \#(expected)}"#))
        #expect(items.isEmpty == (expected == "[]"))
    }

    @Test func callbackStagesAreAlwaysChanged() {
        let stage = PipelineStage(name: "cb", file: "dvc.yaml", cmd: .string("echo hi"))
        #expect(Staleness.items(for: stage, lock: LockedStage(cmd: "echo hi"), observer: FakeWorkspace()) == [.alwaysChanged])
        #expect(Staleness.isChanged(stage, lock: nil, observer: FakeWorkspace()))
    }

    @Test func wholeFileParamsReportPerKey() {
        let stage = PipelineStage(name: "s", file: "dvc.yaml", cmd: .string("x"),
                                  params: [ParamsDependency(file: "p.json", keys: nil)], outs: [])
        let entry = LockedStage(cmd: "x", params: [("p.json", ["a": 1, "b": 2])])
        let workspace = FakeWorkspace(params: ["p.json": ["c": 3, "a": 2]])
        #expect(Staleness.items(for: stage, lock: entry, observer: workspace)
                == [.changedDeps([("p.json", .params([("c", .new), ("a", .modified), ("b", .deleted)]))])])
    }

    @Test func pathsAreShownRelativeToTheWorkingDirectory() {
        let stage = PipelineStage(name: "s", file: "sub/dvc.yaml", cmd: .string("x"), wdir: "sub",
                                  deps: ["in.txt", "../top.txt"], outs: [StageOutput(path: "out.txt")])
        let items = Staleness.items(for: stage, lock: nil, observer: FakeWorkspace(), cwd: "sub")
        #expect(items == [.changedDeps([("in.txt", .path(.deleted)), ("../top.txt", .path(.deleted))]),
                          .changedOuts([("out.txt", .deleted)])])
        let fromRoot = Staleness.items(for: stage, lock: nil, observer: FakeWorkspace())
        #expect(fromRoot == [.changedDeps([("sub/in.txt", .path(.deleted)), ("top.txt", .path(.deleted))]),
                             .changedOuts([("sub/out.txt", .deleted)])])
    }

    @Test func restoreFromLock() throws {
        let stages = Fixture03.stages()
        var workspace = try FakeWorkspace.fixture03(lock)
        workspace.outputs["prepared"] = .missing
        let prep = stages[0], evaluate = stages[2]
        #expect(Staleness.isRestorable(prep, lock: lock[stage: "prep"], observer: workspace, objectsInCache: { _ in true }))
        #expect(!Staleness.isRestorable(prep, lock: lock[stage: "prep"], observer: workspace, objectsInCache: { _ in false }))
        #expect(!Staleness.isRestorable(prep, lock: nil, observer: workspace, objectsInCache: { _ in true }))
        // A persist out is never restored (not run-cacheable).
        #expect(!Staleness.isRestorable(evaluate, lock: lock[stage: "evaluate"], observer: workspace, objectsInCache: { _ in true }))
        workspace.files["raw.csv"] = ObjectID("00000000000000000000000000000001")!
        #expect(!Staleness.isRestorable(prep, lock: lock[stage: "prep"], observer: workspace, objectsInCache: { _ in true }))
    }
}
