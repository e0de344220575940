import CairnCore
import CairnStorage

/// Every pipeline of the workspace, loaded once per command: the `dvc.yaml` files with their expanded stages
/// and `dvc.lock` files, the `.dvc` data sources, and the validated DAG over all of them (FORMATS.md §6.1).
struct PipelineIndex {
    /// One `dvc.yaml` with its lock file.
    struct File {
        /// Repo-relative path of the `dvc.yaml`.
        let path: String
        /// The parsed, expanded file.
        let pipeline: PipelineFile
        /// Repo-relative path of the `dvc.lock` beside it.
        let lockPath: String
        /// The lock as read, nil when there is none yet.
        let lock: PipelineLock?
    }

    /// The workspace walk the pipelines were found by (the `.dvc` files are reused by status and checkout).
    let workspace: WorkspaceIndex
    /// The `dvc.yaml` files, in graph order.
    let files: [File]
    /// The DAG over every stage and data source.
    let graph: StageGraph

    /// The lock entry recorded for a stage, nil when it never ran.
    func lockEntry(for stage: PipelineStage) -> LockedStage? {
        files.first { $0.path == stage.file }?.lock?[stage: stage.name]
    }

    /// The lock file a stage's entry goes to.
    func lockPath(for stage: PipelineStage) -> String {
        RepoPath.join(RepoPath.parent(stage.file), "dvc.lock") ?? "dvc.lock"
    }

    /// A stage's outputs as tracked outputs carrying the hashes of a lock entry (matched by path; outputs the
    /// entry does not record are left out). `entry` nil = the stage's entry in its `dvc.lock`.
    func recordedOutputs(of stage: PipelineStage, entry: LockedStage? = nil) -> [TrackedOutput] {
        guard let entry = entry ?? lockEntry(for: stage) else { return [] }
        var result: [TrackedOutput] = []
        for (offset, output) in stage.outs.enumerated() {
            let wanted = RepoPath.normalize(output.path)
            guard let locked = entry.outs.first(where: { RepoPath.normalize($0.path) == wanted }) else { continue }
            let repoPath = stage.resolvedPath(output.path)
            var recorded = DVCOutput(path: RepoPath.name(repoPath), baseDirectory: RepoPath.parent(repoPath),
                                     hash: locked.hash, size: locked.size, nfiles: locked.nfiles, isexec: locked.isexec)
            recorded.cache = output.cache
            recorded.remote = output.remote
            recorded.push = output.push
            result.append(TrackedOutput(dvcFile: stage.file, index: offset, output: recorded, path: repoPath))
        }
        return result
    }

    /// The `.dvc` file behind a data-source node.
    func trackedFile(_ source: DataSource) -> TrackedFile? {
        workspace.trackedFiles.first { $0.path == source.file }
    }

    /// Walks the workspace, parses every `dvc.yaml` (with `params.yaml`/vars files for templating) and `dvc.lock`,
    /// and builds the graph. Any malformed file fails the whole load: nothing may run on a partial view.
    static func load(_ project: Project, ignore: DvcIgnoreRules) throws -> PipelineIndex {
        let workspace = try WorkspaceIndex.scan(project, ignore: ignore)
        return try load(project, workspace: workspace)
    }

    /// Loads the pipelines of an already walked workspace; `overriding` gives texts to use instead of the files'
    /// (to validate an edit before it is written).
    static func load(_ project: Project, workspace: WorkspaceIndex, overriding: [String: String] = [:]) throws -> PipelineIndex {
        let sources = WorkspaceSources(root: project.root)
        let options = project.config.interpolationOptions
        // DVC collects a directory's files before those of its subdirectories.
        let pipelinePaths = workspace.pipelineFiles.sorted { lhs, rhs in
            let (left, right) = (depth(lhs), depth(rhs))
            return left != right ? left < right : DirManifest.utf8Less(lhs, rhs)
        }
        var files: [File] = []
        for path in pipelinePaths {
            let text = try overriding[path] ?? String(decoding: FileSystem.readFile(project.absolute(path)), as: UTF8.self)
            let pipeline = try PipelineFile.parse(text, path: path, sources: sources, options: options)
            let lockPath = RepoPath.join(RepoPath.parent(path), "dvc.lock") ?? "dvc.lock"
            var lock: PipelineLock?
            if let bytes = try sources.read(lockPath) {
                lock = try PipelineLock.parse(String(decoding: bytes, as: UTF8.self), path: lockPath)
            }
            files.append(File(path: path, pipeline: pipeline, lockPath: lockPath, lock: lock))
        }
        var nodes: [StageGraph.Node] = []
        var tracked = workspace.trackedFiles.sorted { lhs, rhs in
            let (left, right) = (depth(lhs.path), depth(rhs.path))
            return left != right ? left < right : DirManifest.utf8Less(lhs.path, rhs.path)
        }
        // Per directory depth: the `.dvc` files first, then the `dvc.yaml`, as DVC's walk lists them by name.
        for file in files {
            let level = depth(file.path)
            while let next = tracked.first, depth(next.path) < level || (depth(next.path) == level && DirManifest.utf8Less(next.path, file.path)) {
                nodes.append(.data(DataSource(next)))
                tracked.removeFirst()
            }
            nodes += file.pipeline.stages.map { .stage($0) }
        }
        nodes += tracked.map { .data(DataSource($0)) }
        do {
            return PipelineIndex(workspace: workspace, files: files, graph: try StageGraph(nodes))
        } catch {
            throw EngineError(error.message, hint: error.hint)
        }
    }

    private static func depth(_ path: String) -> Int { path.utf8.reduce(0) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 } }
}

extension DataSource {
    /// The data source of a `.dvc` file of the workspace.
    init(_ tracked: TrackedFile) {
        self.init(file: tracked.path, outs: tracked.outputs.map(\.path), frozen: tracked.file.frozen)
    }
}

/// Reads the files templating needs (`params.yaml`, vars files) from the workspace.
struct WorkspaceSources: PipelineSources {
    let root: String

    func read(_ repoRelativePath: String) throws -> [UInt8]? {
        let path = root + "/" + repoRelativePath
        guard FileSystem.exists(path) else { return nil }
        return try FileSystem.readFile(path)
    }
}

extension DVCConfig {
    /// `parsing.bool` / `parsing.list`: how a dict spliced into `cmd` becomes flags.
    var interpolationOptions: InterpolationOptions {
        var options = InterpolationOptions()
        if get(section: "parsing", key: "bool") == "boolean_optional" { options.bool = .booleanOptional }
        if get(section: "parsing", key: "list") == "append" { options.list = .append }
        return options
    }
}
