import CairnCore
import CairnStorage

extension Project {
    /// `cairn stage add`: writes the stage into the current directory's `dvc.yaml` as a text edit (comments and
    /// order kept). The result is parsed and its graph checked before anything is written.
    public func addStage(_ spec: StageSpec, relativeTo cwd: String) throws -> TrackingOutcome {
        guard PipelineFile.isValidStageName(spec.name) else {
            throw EngineError(.usage, "invalid stage name '\(spec.name)'",
                              hint: "Stage names use letters, digits, '_' and '-' (and must not look like a number).")
        }
        let directory = try repoRelative(cwd, cwd: root)
        let path = RepoPath.join(directory, "dvc.yaml") ?? "dvc.yaml"
        let existing = FileSystem.exists(absolute(path))
            ? String(decoding: try FileSystem.readFile(absolute(path)), as: UTF8.self) : nil
        let addition = StageAddition(
            name: spec.name, cmd: spec.command, deps: spec.deps, outs: spec.outs, outsNoCache: spec.outsNoCache,
            outsPersist: spec.outsPersist, outsPersistNoCache: spec.outsPersistNoCache, params: spec.params,
            metrics: spec.metrics, metricsNoCache: spec.metricsNoCache, plots: spec.plots, plotsNoCache: spec.plotsNoCache,
            wdir: spec.wdir, desc: spec.desc, alwaysChanged: spec.alwaysChanged)
        let updated = try PipelineFile.addingStage(addition, to: existing, path: path, force: spec.force)

        // Validate the whole repo with the edited file in place of the old one, before writing it.
        let ignore = DvcIgnoreRules(project: self)
        var workspace = try WorkspaceIndex.scan(self, ignore: ignore)
        if !workspace.pipelineFiles.contains(path) { workspace.pipelineFiles.append(path) }
        let pipelines = try PipelineIndex.load(self, workspace: workspace, overriding: [path: updated])
        guard let stage = pipelines.files.first(where: { $0.path == path })?.pipeline.stages.first(where: { $0.name == spec.name }) else {
            throw EngineError("stage '\(spec.name)' was not written to \(path)")
        }

        try FileSystem.writeFileAtomically(Array(updated.utf8), to: absolute(path))
        var changed = [path]
        for output in stage.outs where output.cache {
            if let gitignore = try GitignoreWriter(project: self).ignore(stage.resolvedPath(output.path)),
               !changed.contains(gitignore) {
                changed.append(gitignore)
            }
        }
        return try tracking(changed: changed, cwd: cwd)
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
        let stages = nodes.compactMap { graph.nodes[$0].stage }
        let text = StageListing.render(stages, nameOnly: nameOnly)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .reversed().drop(while: \.isEmpty).reversed()
    }

    /// `cairn dag`: the graph of the whole repo, or of one target and what it depends on, as text, DOT or Mermaid.
    public func dag(target: String?, format: DagFormat, outputs: Bool, relativeTo cwd: String) throws -> String {
        let pipelines = try PipelineIndex.load(self, ignore: DvcIgnoreRules(project: self))
        let graph = pipelines.graph
        var nodes = Array(graph.nodes.indices)
        if let target {
            let cwdRelative = try repoRelative(cwd, cwd: root)
            let named: [Int]
            do {
                named = try graph.resolveGranular(target, cwd: cwdRelative) { file in pipelines.files.contains { $0.path == file } }
            } catch {
                throw EngineError(error.message, hint: error.hint)
            }
            nodes = graph.plan(targets: named, scope: .upstream).nodes.sorted()
        }
        let rendering: DAGFormat
        switch format {
        case .ascii: rendering = .ascii
        case .dot: rendering = .dot
        case .mermaid: rendering = .mermaid
        case .markdown: rendering = .markdown
        }
        return DAGRendering.render(graph, nodes: nodes, format: rendering, outputs: outputs)
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
