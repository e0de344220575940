import CairnCore
import CairnGit
import CairnStorage
import Foundation

extension Project {
    /// What the pre-commit hook checks: every stage of the staged `dvc.yaml` files against the staged `dvc.lock`
    /// (deps, params and cmd; git-tracked files as staged in the index, cairn-tracked data as in the workspace),
    /// then validation. Returns the message to print when the commit must be blocked, nil when it may go ahead.
    public func preCommitProblems() throws -> String? {
        guard let git = try git, let workdir = git.workdir else { return nil }
        var problems: [String] = []
        let ignore = DvcIgnoreRules(project: self)
        let workspace = try WorkspaceIndex.scan(self, ignore: ignore)
        let staged = StagedSources(project: self, git: git, prefix: try gitPrefix(workdir: workdir))
        defer { saveState() }
        if let stale = try staleStagesForCommit(workspace: workspace, staged: staged, ignore: ignore) {
            problems.append(stale)
        }
        if let uncached = try stagedPointersWithoutData(workspace: workspace, staged: staged, ignore: ignore) {
            problems.append(uncached)
        }
        if let failures = try validationFailures() { problems.append(failures) }
        return problems.isEmpty ? nil : problems.joined(separator: "\n")
    }

    /// The failures of `cairn validate` (checks.yaml at the root) as a message with the fix; nil when it passes
    /// or there is no checks.yaml. Data is validated as it is in the workspace, which is what a commit points at.
    func validationFailures() throws -> String? {
        guard FileSystem.exists(absolute("checks.yaml")) else { return nil }
        let report = try validate(targets: [], relativeTo: root)
        guard !report.passed else { return nil }
        return "Validation failed (checks.yaml):\n" + report.text()
            + "Fix the data or the checks, then commit again (`cairn validate` shows the same report)."
    }

    /// The stale stages as staged, rendered like `cairn status` with the fix; nil when every stage is fresh.
    private func staleStagesForCommit(workspace: WorkspaceIndex, staged: StagedSources,
                                      ignore: DvcIgnoreRules) throws -> String? {
        guard !workspace.pipelineFiles.isEmpty else { return nil }
        let observer = StagedStageObserver(staged: staged,
                                           workspace: WorkspaceStageObserver(project: self, scanner: WorkspaceScanner(project: self, ignore: ignore)))
        var report = StatusReport()
        var neverRun: [String] = []
        var stale: [String] = []
        for path in workspace.pipelineFiles.sorted(by: DirManifest.utf8Less) {
            // A dvc.yaml git does not have staged is not part of this commit.
            guard let bytes = try staged.stagedBlob(path) else { continue }
            let pipeline = try PipelineFile.parse(String(decoding: bytes, as: UTF8.self), path: path, sources: staged,
                                                  options: config.interpolationOptions)
            let lockPath = RepoPath.join(RepoPath.parent(path), "dvc.lock") ?? "dvc.lock"
            let lock = try staged.stagedBlob(lockPath).map {
                try PipelineLock.parse(String(decoding: $0, as: UTF8.self), path: lockPath)
            }
            for stage in pipeline.stages {
                let address = path == "dvc.yaml" ? stage.name : "\(path):\(stage.name)"
                guard let entry = lock?[stage: stage.name] else {
                    neverRun.append("\(address): no entry in \(lockPath) (the stage never ran)")
                    stale.append(address)
                    continue
                }
                let items = Staleness.items(for: stage, lock: entry, observer: observer).filter {
                    switch $0 {
                    case .changedDeps, .changedCommand: return true
                    default: return false
                    }
                }
                if let failure = observer.failure { throw failure }
                if !items.isEmpty {
                    report.entries.append(.init(address: address, items: items))
                    stale.append(address)
                }
            }
        }
        guard !stale.isEmpty else { return nil }
        let lockFiles = Set(stale.map { address -> String in
            guard let colon = address.lastIndex(of: ":") else { return "dvc.lock" }
            return RepoPath.join(RepoPath.parent(String(address[..<colon])), "dvc.lock") ?? "dvc.lock"
        }).sorted()
        return """
            cairn pre-commit: dvc.lock is stale for what is being committed:
            \((neverRun + [report.text().trimmingCharacters(in: .newlines)]).filter { !$0.isEmpty }.joined(separator: "\n"))
            Fix: run `cairn repro \(stale.joined(separator: " "))`, then `git add \(lockFiles.joined(separator: " "))` \
            and commit again (or `git commit --no-verify` to commit anyway).
            """
    }

    /// The `.dvc` files this commit changes (staged text differs from HEAD's) whose data is not in the cache:
    /// committing them would record a pointer to data nobody has. Nil when there are none.
    private func stagedPointersWithoutData(workspace: WorkspaceIndex, staged: StagedSources,
                                           ignore: DvcIgnoreRules) throws -> String? {
        let head = try staged.git.headCommit()
        let scanner = WorkspaceScanner(project: self, ignore: ignore)
        var lines: [String] = []
        for tracked in workspace.trackedFiles.sorted(by: { DirManifest.utf8Less($0.path, $1.path) }) {
            guard let bytes = try staged.stagedBlob(tracked.path) else { continue }
            let gitPath = staged.prefix.isEmpty ? tracked.path : staged.prefix + "/" + tracked.path
            if let head, try staged.git.blob(at: head, path: gitPath) == bytes { continue }
            let file = try DVCFile.parse(String(decoding: bytes, as: UTF8.self), path: tracked.path)
            for output in file.outs where output.cache {
                guard let hash = output.hash, !(try scanner.objectsPresent(hash)) else { continue }
                let path = RepoPath.join(RepoPath.parent(tracked.path), output.path) ?? output.path
                lines.append("\t\(tracked.path): \(path) (\(hash.kind.rawValue) \(hash.id)) is not in the cache")
            }
        }
        guard !lines.isEmpty else { return nil }
        return """
            cairn pre-commit: staged .dvc files point to data that is not in the cache, so nobody could check it out:
            \(lines.joined(separator: "\n"))
            Fix: `cairn add` (or `cairn pull`) the data so the cache has it, `git add` the .dvc file, and commit again.
            """
    }

    /// The project root relative to the git work tree, "" when they are the same folder.
    private func gitPrefix(workdir: String) throws -> String {
        let top = Self.normalized(workdir)
        if root == top { return "" }
        guard root.hasPrefix(top + "/") else {
            throw EngineError("the cairn project at \(root) is not inside the git work tree \(top)")
        }
        return String(root.dropFirst(top.count + 1))
    }
}

/// Files as they will be committed: git-staged bytes for files in the index, the workspace for the rest
/// (cairn-tracked data and untracked files are not in git). Reads templating sources (params.yaml, vars files).
struct StagedSources: PipelineSources {
    let project: Project
    let git: GitRepository
    /// The project root inside the git work tree ("" = the same).
    let prefix: String

    /// The staged bytes of a project-relative file, nil when the index has no such file.
    func stagedBlob(_ repoPath: String) throws -> [UInt8]? {
        try git.indexBlob(path: prefix.isEmpty ? repoPath : prefix + "/" + repoPath)
    }

    func read(_ repoRelativePath: String) throws -> [UInt8]? {
        if let staged = try stagedBlob(repoRelativePath) { return staged }
        return try WorkspaceSources(root: project.root).read(repoRelativePath)
    }
}

/// The staleness rules' view of a commit: dependency and params files git has staged are read from the index,
/// anything else (directories, cairn-tracked data, files outside git) from the workspace. Outputs are not asked:
/// a commit records the lock, not the workspace's outputs.
final class StagedStageObserver: StageObserving {
    private let staged: StagedSources
    private let workspace: WorkspaceStageObserver
    /// The first error met (the protocol's answers cannot throw).
    private(set) var failure: Error?

    init(staged: StagedSources, workspace: WorkspaceStageObserver) {
        self.staged = staged
        self.workspace = workspace
    }

    func dependency(_ repoPath: String, recorded: LockedPath?) -> ObservedDependency {
        let kind = recorded?.hashKind ?? .md5
        if kind == .md5, !repoPath.hasPrefix("/"), !repoPath.hasPrefix("../"), !repoPath.contains("://") {
            do {
                if let bytes = try staged.stagedBlob(repoPath) { return .present(HashInfo(ObjectID.md5(of: bytes))) }
            } catch {
                if failure == nil { failure = error }
                return .missing
            }
        }
        return remember(workspace.dependency(repoPath, recorded: recorded))
    }

    func paramsDocument(_ repoPath: String) -> YAMLValue? {
        do {
            if let bytes = try staged.stagedBlob(repoPath) { return try ParamsDocument.parse(bytes, path: repoPath) }
        } catch {
            if failure == nil { failure = error }
            return nil
        }
        return remember(workspace.paramsDocument(repoPath))
    }

    func output(_ repoPath: String, recorded: LockedPath?, cache: Bool) -> OutputChange? { nil }

    private func remember<T>(_ value: T) -> T {
        if failure == nil, let error = workspace.failure { failure = error }
        return value
    }
}
