import CairnTestSupport
import Foundation
import Testing

/// The projects both tools reproduce in the pipeline interop tests.
enum PipelineProject: String, CaseIterable, CustomStringConvertible {
    case basic, diamond, fixture03, fixture04, paramsFormats, demo

    var description: String { rawValue }

    /// Writes the project's files into `repo` (for `demo`, also tracks its dataset with `tool`).
    func write(_ repo: TestRepo, tool: Tool) throws {
        switch self {
        case .basic: try PipelineProjects.writeBasic(repo)
        case .diamond: try PipelineProjects.writeDiamond(repo)
        case .fixture03: try PipelineProjects.writeFixture03(repo)
        case .fixture04: try PipelineProjects.writeFixture04(repo)
        case .paramsFormats: try PipelineProjects.writeParamsFormats(repo)
        case .demo:
            try PipelineProjects.writeDemoTemplate(repo)
            try repo.ok(tool.run(repo, ["add", "-q", "data"]))
        }
    }

    /// Every `dvc.lock` the project's run writes.
    var locks: [String] { ["dvc.lock"] }
}

/// One of the two implementations.
enum Tool: String, CustomStringConvertible {
    case dvc, cairn

    var description: String { rawValue }

    /// Runs this tool with `arguments` in `repo`.
    func run(_ repo: TestRepo, _ arguments: [String]) throws -> ProcessResult {
        switch self {
        case .dvc: try repo.dvc(arguments: arguments)
        case .cairn: try repo.cairn(arguments: arguments)
        }
    }

    /// A fresh git repo initialised by this tool.
    func initializedRepo() throws -> TestRepo {
        switch self {
        case .dvc: try dvcInitializedRepo()
        case .cairn: try cairnInitializedRepo()
        }
    }

    /// The other tool.
    var other: Tool { self == .dvc ? .cairn : .dvc }
}

/// `project` written, committed and reproduced by `tool`.
func reproduced(_ project: PipelineProject, by tool: Tool, arguments: [String] = []) throws -> TestRepo {
    let repo = try tool.initializedRepo()
    try project.write(repo, tool: tool)
    try repo.commitAll("pipeline")
    let result = try tool.run(repo, ["repro"] + arguments)
    #expect(result.status == 0, "\(tool) repro of \(project): \(result)")
    return repo
}

/// Pipelines run by one tool look to the other as if it had run them itself.
@Suite struct PipelineInteropTests {
    @Test(arguments: PipelineProject.allCases)
    func cairnWritesTheSameLockAsDVC(_ project: PipelineProject) throws {
        let dvc = try reproduced(project, by: .dvc)
        let cairn = try reproduced(project, by: .cairn)
        for lock in project.locks {
            let expected = try dvc.read(lock)
            let actual = try cairn.read(lock)
            #expect(actual == expected, "\(lock) of \(project):\n--- dvc ---\n\(expected)--- cairn ---\n\(actual)")
        }
        for gitignore in [".gitignore", "sub/.gitignore"] where dvc.exists(gitignore) {
            #expect(try cairn.read(gitignore) == dvc.read(gitignore), "\(gitignore) of \(project)")
        }
        #expect(try cairn.runCache() == dvc.runCache(), "run-cache entries of \(project)")
        #expect(try cairn.cacheObjects() == dvc.cacheObjects(), "cache objects of \(project)")
    }

    @Test(arguments: [PipelineProject.basic, .diamond])
    func parallelCairnWritesTheSameLockAsDVC(_ project: PipelineProject) throws {
        let dvc = try reproduced(project, by: .dvc)
        let cairn = try reproduced(project, by: .cairn, arguments: ["-j", "4"])
        #expect(try cairn.read("dvc.lock") == dvc.read("dvc.lock"))
    }

    @Test(arguments: PipelineProject.allCases)
    func dvcReproThenCairnSeesNothingToDo(_ project: PipelineProject) throws {
        try expectOtherToolSeesNothingToDo(project, ranBy: .dvc)
    }

    @Test(arguments: PipelineProject.allCases)
    func cairnReproThenDVCSeesNothingToDo(_ project: PipelineProject) throws {
        try expectOtherToolSeesNothingToDo(project, ranBy: .cairn)
    }

    /// After `runner` reproduced `project`, the other tool's `status` is clean and its `repro` runs nothing.
    func expectOtherToolSeesNothingToDo(_ project: PipelineProject, ranBy runner: Tool) throws {
        let repo = try reproduced(project, by: runner)
        try repo.commitAll("reproduced")
        let lock = try repo.bytes("dvc.lock")
        let checker = runner.other
        let status = try checker.run(repo, ["status"])
        #expect(status.status == 0 && status.stdout == Expected.upToDate, "\(checker) status of \(project): \(status)")
        let json = try checker.run(repo, ["status", "--json"])
        #expect(json.stdout == "{}\n", "\(checker) status --json of \(project): \(json)")
        let repro = try checker.run(repo, ["repro"])
        #expect(repro.status == 0, "\(checker) repro of \(project): \(repro)")
        #expect(!repro.stdout.contains("Running stage") && !repro.stdout.contains("is cached"),
                "\(checker) repro of \(project) should do nothing: \(repro)")
        #expect(repro.stdout.hasSuffix("Data and pipelines are up to date.\n"), "\(repro)")
        #expect(try repo.bytes("dvc.lock") == lock)
        #expect(try repo.gitOK("status", "--porcelain", "--untracked-files=no") == "", "nothing tracked changed")
    }

    /// lr 0.01 → 0.05 → 0.01 in fixture 03: the second 0.01 run is restored from the run-cache the `writer` filled.
    func expectRunCacheShared(writer: Tool, reader: Tool) throws {
        let repo = try reproduced(.fixture03, by: writer)
        let params = try repo.read("params.yaml")
        try repo.write("params.yaml", params.replacingOccurrences(of: "lr: 0.01", with: "lr: 0.05"))
        try repo.ok(writer.run(repo, ["repro", "train"]))
        try repo.write("params.yaml", params)
        let result = try reader.run(repo, ["repro", "train"])
        var expected = try Fixtures.text("03-pipeline/repro-runcache-restore.txt")
        if reader == .cairn { expected = Expected.cairnText(expected) }
        #expect(result.status == 0 && result.stdout == expected, "\(reader) reading \(writer)'s run-cache: \(result)")
        #expect(try repo.read("dvc.lock") == Fixtures.text("03-pipeline/workspace/dvc.lock"))
    }

    @Test func runCacheWrittenByCairnIsUsedByDVC() throws {
        try expectRunCacheShared(writer: .cairn, reader: .dvc)
    }

    @Test func runCacheWrittenByDVCIsUsedByCairn() throws {
        try expectRunCacheShared(writer: .dvc, reader: .cairn)
    }

    @Test func mixedRunsKeepOneLock() throws {
        // dvc runs the pipeline, cairn reruns after a param change, dvc agrees with the result.
        let repo = try reproduced(.fixture03, by: .dvc)
        try repo.write("params.yaml", try repo.read("params.yaml").replacingOccurrences(of: "lr: 0.01", with: "lr: 0.07"))
        let result = try repo.cairn("repro")
        #expect(result.status == 0 && result.stdout.contains("Running stage 'train':"), "\(result)")
        let status = try repo.dvc("status")
        #expect(status.stdout == Expected.upToDate, "\(status)")
        let reference = try reproduced(.fixture03, by: .dvc)
        try reference.write("params.yaml", try reference.read("params.yaml").replacingOccurrences(of: "lr: 0.01", with: "lr: 0.07"))
        try reference.ok(reference.dvc("repro"))
        #expect(try repo.read("dvc.lock") == reference.read("dvc.lock"))
    }
}
