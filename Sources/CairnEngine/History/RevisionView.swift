import CairnCore
import CairnGit
import CairnStorage

/// The repository as it was at one revision, read without touching the workspace: the workspace itself, or a
/// commit read straight from git objects. DVC-tracked files (cached outputs) are not in git; they come from the
/// local cache by the hash that revision recorded (FORMATS.md §8.2).
final class RevisionView: PipelineSources {
    /// How the revision is shown (`workspace`, `HEAD~1`, a branch name, a full SHA).
    let label: String
    private let source: Source
    private let project: Project
    private var cachedPipelines: [PipelineFile]?
    private var cachedOutputs: [String: LockedOutputRecord]?

    private enum Source {
        case workspace
        case commit(GitRepository, GitOID)
    }

    /// A recorded cached output: its hash at this revision.
    struct LockedOutputRecord {
        let hash: HashInfo
    }

    private init(label: String, source: Source, project: Project) {
        self.label = label
        self.source = source
        self.project = project
    }

    /// The working tree.
    static func workspace(_ project: Project, label: String = "workspace") -> RevisionView {
        RevisionView(label: label, source: .workspace, project: project)
    }

    /// A commit named by a revision (`HEAD`, `HEAD~2`, a branch, tag or SHA); `workspace` names the working tree.
    static func resolve(_ revision: String, project: Project, label: String? = nil) throws -> RevisionView {
        if revision == "workspace" { return .workspace(project) }
        guard let git = try project.git else {
            throw EngineError("cannot read revision '\(revision)': this project does not use git (core.no_scm)")
        }
        do {
            let commit = try git.resolveCommit(revision)
            return RevisionView(label: label ?? revision, source: .commit(git, commit), project: project)
        } catch {
            throw EngineError("unknown revision '\(revision)'",
                              hint: "Name a branch, tag, commit SHA, HEAD, HEAD~N or HEAD^ (`git log --oneline` lists commits).")
        }
    }

    /// A commit by id, shown as `label`.
    static func commit(_ id: GitOID, git: GitRepository, project: Project, label: String) -> RevisionView {
        RevisionView(label: label, source: .commit(git, id), project: project)
    }

    /// The name used in messages (`workspace` for the unlabelled working tree).
    var displayName: String { label.isEmpty ? "workspace" : label }

    /// Whether this is the working tree.
    var isWorkspace: Bool { if case .workspace = source { return true } else { return false } }

    /// The bytes of a git-tracked (or, in the workspace, any) file; nil when it is not there.
    func read(_ repoRelativePath: String) throws -> [UInt8]? {
        switch source {
        case .workspace:
            let path = project.absolute(repoRelativePath)
            guard FileSystem.exists(path), !FileSystem.isDirectory(path) else { return nil }
            return try FileSystem.readFile(path)
        case .commit(let git, let commit):
            return try git.blob(at: commit, path: repoRelativePath)
        }
    }

    /// Repo-relative paths of the files whose names pass `include` (in the workspace: the pipeline and `.dvc`
    /// files the workspace walk finds).
    private func files(named include: @escaping (String) -> Bool) throws -> [String] {
        switch source {
        case .workspace:
            let index = try WorkspaceIndex.scan(project, ignore: DvcIgnoreRules(project: project))
            return (index.pipelineFiles + index.lockFiles + index.trackedFiles.map(\.path)).filter(include)
        case .commit(let git, let commit):
            return try git.files(at: commit) { include(RepoPath.name($0)) || include($0) }.map(\.path)
        }
    }

    /// Every `dvc.yaml` of the revision, parsed (templating reads this revision's params and vars files).
    func pipelines() throws -> [PipelineFile] {
        if let cachedPipelines { return cachedPipelines }
        var parsed: [PipelineFile] = []
        let paths = try files { RepoPath.name($0) == "dvc.yaml" }.sorted { DirManifest.utf8Less($0, $1) }
        for path in paths {
            guard let bytes = try read(path) else { continue }
            do {
                parsed.append(try PipelineFile.parse(String(decoding: bytes, as: UTF8.self), path: path, sources: self,
                                                     options: project.config.interpolationOptions))
            } catch {
                var labelled = error
                if !isWorkspace { labelled.path = "\(label):\(error.path)" }
                throw labelled
            }
        }
        cachedPipelines = parsed
        return parsed
    }

    /// The hashes this revision recorded for cached outputs (dvc.lock outs and `.dvc` outs), by repo-relative path.
    private func recordedOutputs() throws -> [String: LockedOutputRecord] {
        if let cachedOutputs { return cachedOutputs }
        var records: [String: LockedOutputRecord] = [:]
        for pipeline in try pipelines() {
            let lockPath = RepoPath.join(RepoPath.parent(pipeline.path), "dvc.lock") ?? "dvc.lock"
            guard let bytes = try read(lockPath),
                  let lock = try? PipelineLock.parse(String(decoding: bytes, as: UTF8.self), path: lockPath) else { continue }
            for stage in pipeline.stages {
                guard let entry = lock[stage: stage.name] else { continue }
                for out in entry.outs {
                    if let hash = out.hash { records[stage.resolvedPath(out.path)] = LockedOutputRecord(hash: hash) }
                }
            }
        }
        for path in try files(named: { $0.hasSuffix(".dvc") && $0.count > 4 }) {
            guard let bytes = try read(path),
                  let file = try? DVCFile.parse(String(decoding: bytes, as: UTF8.self), path: path) else { continue }
            for out in file.outs {
                if let hash = out.hash, let repoPath = RepoPath.join(RepoPath.parent(path), out.path) {
                    records[repoPath] = LockedOutputRecord(hash: hash)
                }
            }
        }
        cachedOutputs = records
        return records
    }

    /// Every `.dvc` file of the revision, parsed; a file that does not parse is an error naming it.
    func dvcFiles() throws -> [DVCFile] {
        var parsed: [DVCFile] = []
        let paths = try files(named: { $0.hasSuffix(".dvc") && $0.count > 4 }).sorted { DirManifest.utf8Less($0, $1) }
        for path in paths {
            guard let bytes = try read(path) else { continue }
            do {
                parsed.append(try DVCFile.parse(String(decoding: bytes, as: UTF8.self), path: path))
            } catch {
                var labelled = error
                if !isWorkspace { labelled.path = "\(label):\(error.path)" }
                throw labelled
            }
        }
        return parsed
    }

    /// What a metrics/params/plots file holds at this revision: git's (or the workspace's) bytes, else the cached
    /// object this revision recorded for it. `.missing` when neither exists; `.notInCache` names the object.
    func content(of repoRelativePath: String) throws -> FileContent {
        if let bytes = try read(repoRelativePath) { return .bytes(bytes) }
        guard !isWorkspace, let record = try recordedOutputs()[repoRelativePath], !record.hash.id.isDirectory else {
            return .missing
        }
        let object = project.cache.path(of: record.hash)
        guard FileSystem.exists(object) else { return .notInCache(record.hash) }
        return .bytes(try FileSystem.readFile(object))
    }

    /// A file's content at a revision.
    enum FileContent {
        case bytes([UInt8])
        case missing
        case notInCache(HashInfo)
    }
}
