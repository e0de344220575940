import CairnCore
import CairnStorage

/// Answers the staleness rules' questions about the workspace: dependency hashes (through the state cache, so
/// unchanged files are not re-read), params documents (parsed once per observer) and output status.
final class WorkspaceStageObserver: StageObserving {
    private let project: Project
    private let scanner: WorkspaceScanner
    private var documents: [String: YAMLValue?] = [:]
    /// The first error met while observing: the protocol's answers cannot throw, so `staleness` rethrows it.
    private(set) var failure: Error?

    init(project: Project, scanner: WorkspaceScanner) {
        self.project = project
        self.scanner = scanner
    }

    func dependency(_ repoPath: String, recorded: LockedPath?) -> ObservedDependency {
        do {
            let observation = try scanner.observeDependency(repoPath, kind: recorded?.hashKind ?? .md5)
            guard let id = observation.content.id else { return .missing }
            return .present(HashInfo(id, kind: observation.kind))
        } catch {
            if failure == nil { failure = error }
            return .missing
        }
    }

    func paramsDocument(_ repoPath: String) -> YAMLValue? {
        do {
            return try loadParams(repoPath)
        } catch {
            if failure == nil { failure = error }
            return nil
        }
    }

    func output(_ repoPath: String, recorded: LockedPath?, cache: Bool) -> OutputChange? {
        do {
            let observation = try scanner.observe(repoPath, kind: recorded?.hashKind ?? .md5)
            var inCache = true
            if let hash = recorded?.hash, cache { inCache = try scanner.objectsPresent(hash) }
            return OutputStatusRule.change(recorded: recorded?.hash, isCached: cache, objectsInCache: inCache,
                                           observed: observation.content)
        } catch {
            if failure == nil { failure = error }
            return nil
        }
    }

    /// The parsed params (or vars) file at a repo-relative path, nil when it does not exist; parse errors throw.
    func loadParams(_ repoPath: String) throws -> YAMLValue? {
        if let known = documents[repoPath] { return known }
        let absolute = project.absolute(repoPath)
        var document: YAMLValue?
        if FileSystem.exists(absolute) {
            document = try ParamsDocument.parse(try FileSystem.readFile(absolute), path: repoPath)
        }
        documents[repoPath] = document
        return document
    }

    /// DVC's status items for a stage (empty when up to date), paths relative to `cwd`; observation errors throw.
    func staleness(of stage: PipelineStage, lock: LockedStage?, cwd: String = "") throws -> [StatusReport.Item] {
        let items = Staleness.items(for: stage, lock: lock, observer: self, cwd: cwd)
        if let failure { throw failure }
        return items
    }
}
