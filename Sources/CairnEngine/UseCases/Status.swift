import CairnCore
import CairnStorage

extension Project {
    /// `cairn status`: each pipeline stage whose command, deps, params or outs changed (DVC's rules) and each
    /// `.dvc` file whose outputs differ from the workspace or are missing from the cache, in DVC's walk order.
    public func status(targets: [String], relativeTo cwd: String) throws -> StatusReport {
        let ignore = DvcIgnoreRules(project: self)
        let workspace = try WorkspaceIndex.scan(self, ignore: ignore)
        let scanner = WorkspaceScanner(project: self, ignore: ignore)
        defer { saveState() }
        var report = StatusReport()
        report.tracksNothing = workspace.trackedFiles.isEmpty && workspace.lockFiles.isEmpty
            && workspace.pipelineFiles.isEmpty
        guard !workspace.pipelineFiles.isEmpty else {
            // No pipelines: the `.dvc` files alone (the common data-only repo skips building a graph).
            for file in try selectTrackedFiles(targets, in: workspace, cwd: cwd) {
                if let entry = try dataSourceStatus(file, scanner: scanner, cwd: cwd) { report.entries.append(entry) }
            }
            return report
        }
        let pipelines = try PipelineIndex.load(self, workspace: workspace)
        let cwdRelative = try repoRelative(cwd, cwd: root)
        let observer = WorkspaceStageObserver(project: self, scanner: scanner)
        for node in try statusNodes(targets, pipelines: pipelines, cwd: cwd, cwdRelative: cwdRelative) {
            switch pipelines.graph.nodes[node] {
            case .data(let source):
                guard let file = pipelines.trackedFile(source) else { continue }
                if let entry = try dataSourceStatus(file, scanner: scanner, cwd: cwd) { report.entries.append(entry) }
            case .stage(let stage):
                let items = try observer.staleness(of: stage, lock: pipelines.lockEntry(for: stage), cwd: cwdRelative)
                if !items.isEmpty {
                    report.entries.append(.init(address: pipelines.graph.address(of: node, cwd: cwdRelative),
                                                items: items))
                }
            }
        }
        return report
    }

    /// A `.dvc` file's entry: its outputs that changed, nil when none did.
    private func dataSourceStatus(_ file: TrackedFile, scanner: WorkspaceScanner, cwd: String) throws -> StatusReport.Entry? {
        var changes: [(path: String, change: OutputChange)] = []
        for output in file.outputs {
            if let change = try outputChange(output, scanner: scanner).change {
                changes.append((display(output.path, cwd: cwd), change))
            }
        }
        return changes.isEmpty ? nil : .init(address: display(file.path, cwd: cwd), items: [.changedOuts(changes)])
    }

    /// The graph nodes `status` covers: all of them, or what the targets name (stages, pipeline files, `.dvc`
    /// files, or tracked paths and what contains them).
    func statusNodes(_ targets: [String], pipelines: PipelineIndex, cwd: String, cwdRelative: String) throws -> [Int] {
        let graph = pipelines.graph
        if targets.isEmpty { return Array(graph.nodes.indices) }
        var selected: [Int] = []
        for target in targets {
            var found: [Int]
            do {
                found = try graph.resolve(target, cwd: cwdRelative) { file in pipelines.files.contains { $0.path == file } }
            } catch {
                let path = try repoRelative(target, cwd: cwd)
                found = graph.nodes.indices.filter { node in
                    graph.nodes[node].outputPaths.contains { $0 == path || RepoPath.isInside($0, path) || RepoPath.isInside(path, $0) }
                }
                guard !found.isEmpty else {
                    throw EngineError("'\(target)' does not exist as an output, a stage or a .dvc file",
                                      hint: "Name a stage, a tracked path or its .dvc file; `cairn status` without targets checks everything.")
                }
            }
            for node in found where !selected.contains(node) { selected.append(node) }
        }
        return selected
    }

    /// One output's status by DVC's rule, with the observation it was based on.
    func outputChange(_ output: TrackedOutput, scanner: WorkspaceScanner) throws -> (change: OutputChange?, observation: Observation) {
        let kind = output.recorded?.kind ?? .md5
        let observation = try scanner.observe(output.path, kind: kind)
        var inCache = true
        if let recorded = output.recorded, output.isCached {
            inCache = try scanner.objectsPresent(recorded)
        }
        let change = OutputStatusRule.change(
            recorded: output.recorded, isCached: output.isCached, objectsInCache: inCache, observed: observation.content)
        return (change, observation)
    }

    /// The outputs of `.dvc` files and of pipeline stages (as recorded in `dvc.lock`) that targets name: `.dvc`
    /// files, tracked paths, stages or pipeline files; all of them without targets.
    func selectOutputs(_ targets: [String], workspace: WorkspaceIndex, cwd: String) throws -> [TrackedOutput] {
        guard !workspace.pipelineFiles.isEmpty else {
            return try selectTrackedFiles(targets, in: workspace, cwd: cwd).flatMap(\.outputs)
        }
        let pipelines = try PipelineIndex.load(self, workspace: workspace)
        let nodes = try statusNodes(targets, pipelines: pipelines, cwd: cwd, cwdRelative: try repoRelative(cwd, cwd: root))
        var outputs: [TrackedOutput] = []
        for node in nodes {
            switch pipelines.graph.nodes[node] {
            case .data(let source): outputs += pipelines.trackedFile(source)?.outputs ?? []
            case .stage(let stage): outputs += pipelines.recordedOutputs(of: stage)
            }
        }
        return outputs
    }

    /// The `.dvc` files named by command-line targets (a `.dvc` path or an output path, or a directory
    /// containing them); all of them when there are no targets.
    func selectTrackedFiles(_ targets: [String], in index: WorkspaceIndex, cwd: String) throws -> [TrackedFile] {
        if targets.isEmpty { return index.trackedFiles }
        var selected: [TrackedFile] = []
        for target in targets {
            let path = try repoRelative(target, cwd: cwd)
            let matches = index.trackedFiles.filter { file in
                file.path == path || file.outputs.contains { $0.path == path || RepoPath.isInside(path, $0.path) }
            }
            guard !matches.isEmpty else {
                throw EngineError("'\(target)' does not exist as an output or a .dvc file",
                                  hint: "Name a tracked path or its .dvc file; `cairn status` without targets checks everything.")
            }
            for match in matches where !selected.contains(where: { $0.path == match.path }) {
                selected.append(match)
            }
        }
        return selected
    }
}
