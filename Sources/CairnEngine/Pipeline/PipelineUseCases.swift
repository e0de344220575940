import CairnCore
import CairnStorage

extension Project {
    /// `cairn stage add`: writes the stage into the current directory's `dvc.yaml` as a text edit (comments and
    /// order kept). The result is parsed and its graph checked before anything is written.
    public func addStage(_ spec: StageAddition, force: Bool, relativeTo cwd: String) throws -> TrackingOutcome {
        guard PipelineFile.isValidStageName(spec.name) else {
            throw EngineError("Stage name cannot contain punctuation characters.",
                              hint: "Stage names use letters, digits, '_' and '-'; '\(spec.name)' is not one.")
        }
        let directory = try repoRelative(cwd, cwd: root)
        let path = RepoPath.join(directory, "dvc.yaml") ?? "dvc.yaml"
        let existing = FileSystem.exists(absolute(path))
            ? String(decoding: try FileSystem.readFile(absolute(path)), as: UTF8.self) : nil
        let updated = try PipelineFile.addingStage(spec, to: existing, path: path, force: force)

        // Validate the whole repo with the edited file in place of the old one, before writing it.
        let ignore = DvcIgnoreRules(project: self)
        var workspace = try WorkspaceIndex.scan(self, ignore: ignore)
        try refuseTakenOutputs(of: spec, updated: updated, path: path, workspace: workspace)
        if !workspace.pipelineFiles.contains(path) { workspace.pipelineFiles.append(path) }
        let pipelines = try PipelineIndex.load(self, workspace: workspace, overriding: [path: updated])
        guard let stage = pipelines.files.first(where: { $0.path == path })?.pipeline.stages.first(where: { $0.name == spec.name }) else {
            throw EngineError("stage '\(spec.name)' was not written to \(path)")
        }

        try FileSystem.writeFileAtomically(Array(updated.utf8), to: absolute(path))
        var changed = [path]
        // DVC git-ignores the new stage's cached outputs in this order: persist outs, metrics, plots, outs.
        let base = spec.wdir.flatMap { RepoPath.join(directory, $0) } ?? directory
        for output in spec.outsPersist + spec.metrics + spec.plots + spec.outs {
            guard let repoPath = RepoPath.join(base, output),
                  stage.outs.contains(where: { stage.resolvedPath($0.path) == repoPath && $0.cache }) else { continue }
            if let gitignore = try GitignoreWriter(project: self).ignore(repoPath), !changed.contains(gitignore) {
                changed.append(gitignore)
            }
        }
        return try tracking(changed: changed, cwd: cwd)
    }

    /// DVC's message for a new stage output that another stage or `.dvc` file already declares.
    private func refuseTakenOutputs(of spec: StageAddition, updated: String, path: String, workspace: WorkspaceIndex) throws {
        let sources = WorkspaceSources(root: root)
        let parsed = try PipelineFile.parse(updated, path: path, sources: sources, options: config.interpolationOptions)
        guard let stage = parsed.stages.first(where: { $0.name == spec.name }) else { return }
        var owners: [(address: String, outputs: [String])] = workspace.trackedFiles.map { ($0.path, $0.outputs.map(\.path)) }
        for file in workspace.pipelineFiles where file != path {
            let text = String(decoding: try FileSystem.readFile(absolute(file)), as: UTF8.self)
            let other = try PipelineFile.parse(text, path: file, sources: sources, options: config.interpolationOptions)
            owners += other.stages.map { stage in (stage.address, stage.outs.map { stage.resolvedPath($0.path) }) }
        }
        owners += parsed.stages.filter { $0.name != spec.name }.map { stage in (stage.address, stage.outs.map { stage.resolvedPath($0.path) }) }
        for output in stage.outs {
            let repoPath = stage.resolvedPath(output.path)
            if let owner = owners.first(where: { $0.outputs.contains(repoPath) }) {
                throw EngineError("output '\(output.path)' is already specified in stage: '\(owner.address)'.",
                                  hint: "Use `cairn remove \(owner.address)` to stop tracking the overlapping output.")
            }
        }
    }

    /// `cairn stage list`: the stages of the targets (default: the current directory's `dvc.yaml`; `--all`:
    /// every stage of the repo), one line each with their outputs, as DVC prints them.
    public func listStages(targets: [String], all: Bool, nameOnly: Bool, relativeTo cwd: String) throws -> [String] {
        let pipelines = try PipelineIndex.load(self, ignore: DvcIgnoreRules(project: self))
        let cwdRelative = try repoRelative(cwd, cwd: root)
        let graph = pipelines.graph
        let nodes: [Int]
        if all {
            nodes = Array(graph.nodes.indices)
        } else {
            nodes = try resolveNodes(targets.isEmpty ? ["dvc.yaml"] : targets, pipelines: pipelines, cwd: cwdRelative)
        }
        var rows: [StageListing.Row] = []
        for node in nodes {
            switch graph.nodes[node] {
            case .stage(let stage):
                rows.append(StageListing.row(for: stage, from: cwdRelative))
            case .data(let source):
                guard let tracked = pipelines.trackedFile(source) else { continue }
                rows.append(StageListing.dvcFileRow(path: tracked.path, outs: tracked.file.outs.map(\.path),
                                                    from: cwdRelative))
            }
        }
        let text = StageListing.render(rows: rows, nameOnly: nameOnly)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .reversed().drop(while: \.isEmpty).reversed()
    }

    /// `cairn dag`: the graph of the whole repo, or of one target and what it depends on, as text, DOT or Mermaid.
    public func dag(target: String?, format: DagFormat, outputs: Bool, relativeTo cwd: String) throws -> String {
        let pipelines = try PipelineIndex.load(self, ignore: DvcIgnoreRules(project: self))
        let graph = pipelines.graph
        let cwdRelative = try repoRelative(cwd, cwd: root)
        var targets: [Int] = []
        if let target {
            do {
                targets = try graph.resolveGranular(target, cwd: cwdRelative) { file in pipelines.files.contains { $0.path == file } }
            } catch {
                throw EngineError(error.message, hint: error.hint)
            }
        }
        let rendering: DAGFormat
        switch format {
        case .ascii: rendering = .ascii
        case .dot: rendering = .dot
        case .mermaid: rendering = .mermaid
        case .markdown: rendering = .markdown
        }
        return DAGRendering.render(graph, targets: targets, full: false, format: rendering, outputs: outputs, cwd: cwdRelative)
    }

    /// Graph nodes named by targets, turning graph errors into the engine's.
    func resolveNodes(_ targets: [String], pipelines: PipelineIndex, cwd: String) throws -> [Int] {
        do {
            return try pipelines.graph.resolve(targets, cwd: cwd) { file in pipelines.files.contains { $0.path == file } }
        } catch {
            throw EngineError(error.message, hint: error.hint)
        }
    }
}
