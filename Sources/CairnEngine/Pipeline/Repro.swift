import CairnCore
import CairnStorage

extension Project {
    /// `cairn repro`: plans the targets' stages (DVC's order), checks every dependency exists or is produced,
    /// then runs the changed stages — up to `options.jobs` at once — recording each in `dvc.lock`.
    public func repro(_ options: ReproOptions, relativeTo cwd: String, session: ReproSession) throws -> TrackingOutcome {
        let ignore = DvcIgnoreRules(project: self)
        let index = try PipelineIndex.load(self, ignore: ignore)
        let cwdRelative = try repoRelative(cwd, cwd: root)
        let targets = try reproTargets(options, index: index, cwd: cwdRelative)
        let scope: PlanScope = options.singleItem ? .singleItem : options.downstream ? .downstream : .upstream
        let plan = index.graph.plan(targets: targets, scope: scope)
        do {
            try index.graph.checkDependencies(of: plan.nodes) { FileSystem.exists(absolute($0)) }
        } catch {
            throw EngineError(error.message, hint: error.hint)
        }
        let run = ReproRun(project: self, index: index, plan: plan, options: options, session: session,
                           cwd: cwdRelative, scanner: WorkspaceScanner(project: self, ignore: ignore))
        defer { saveState() }
        try run.checkParams()
        try run.execute()
        return try tracking(changed: run.changedFiles, cwd: cwd)
    }

    /// The graph nodes the command line names: `-P` all, no targets the `dvc.yaml` of the current directory.
    private func reproTargets(_ options: ReproOptions, index: PipelineIndex, cwd: String) throws -> [Int] {
        if options.allPipelines { return Array(index.graph.nodes.indices) }
        return try resolveNodes(options.targets.isEmpty ? ["dvc.yaml"] : options.targets, pipelines: index, cwd: cwd)
    }
}
