import CairnCore
import CairnStorage

extension Project {
    /// `cairn commit`: stores the workspace's current data in the cache and records it in the `.dvc` files.
    /// A changed output needs `force` (DVC asks for confirmation); nothing is written unless all checks pass.
    public func commit(targets: [String], force: Bool, relativeTo cwd: String) throws -> TrackingOutcome {
        let ignore = DvcIgnoreRules(project: self)
        let index = try WorkspaceIndex.scan(self, ignore: ignore)
        let scanner = WorkspaceScanner(project: self, ignore: ignore)
        defer { saveState() }
        var files: [TrackedFile]
        var stages: (pipelines: PipelineIndex, nodes: [Int])?
        if index.pipelineFiles.isEmpty {
            files = try selectTrackedFiles(targets, in: index, cwd: cwd)
        } else {
            let pipelines = try PipelineIndex.load(self, workspace: index)
            let nodes = try statusNodes(targets, pipelines: pipelines, cwd: cwd, cwdRelative: try repoRelative(cwd, cwd: root))
            files = nodes.compactMap { node in
                if case .data(let source) = pipelines.graph.nodes[node] { return pipelines.trackedFile(source) }
                return nil
            }
            stages = (pipelines, nodes.filter { pipelines.graph.nodes[$0].stage != nil })
        }
        if let stages, !force {
            let observer = WorkspaceStageObserver(project: self, scanner: scanner)
            for node in stages.nodes {
                guard let stage = stages.pipelines.graph.nodes[node].stage else { continue }
                if try !observer.staleness(of: stage, lock: stages.pipelines.lockEntry(for: stage)).isEmpty {
                    let address = stages.pipelines.graph.address(of: node, cwd: try repoRelative(cwd, cwd: root))
                    throw EngineError("failed to commit - unable to commit changed stage: '\(address)'. Use `-f|--force` to force.")
                }
            }
        }
        for file in files {
            for output in file.outputs {
                let observation = try scanner.observe(output.path, kind: output.recorded?.kind ?? .md5)
                guard observation.exists else {
                    throw EngineError("failed to commit \(display(file.path, cwd: cwd)) - output '\(display(output.path, cwd: cwd))' does not exist",
                                      hint: "Restore it with `cairn checkout` or stop tracking it with `cairn remove`.")
                }
                if !force && output.recorded?.id != observation.content.id {
                    throw EngineError("failed to commit \(display(file.path, cwd: cwd)) - unable to commit changed stage: '\(display(file.path, cwd: cwd))'. Use `-f|--force` to force.")
                }
            }
        }
        let linkTypes = config.linkTypes
        var written: [String] = []
        for file in files {
            for output in file.outputs where output.isCached {
                let before = try? FileSystem.stat(absolute(file.path))
                let observation = try scanner.ingest(output.path, linkTypes: linkTypes)
                try writeDvcFile(at: file.path, outputPath: output.path, observation: observation)
                let after = try? FileSystem.stat(absolute(file.path))
                if before != after && !written.contains(file.path) { written.append(file.path) }
            }
        }
        if let stages, !stages.nodes.isEmpty {
            let session = ReproSession(message: { _ in }, output: { _ in })
            let run = ReproRun(project: self, index: stages.pipelines, plan: StagePlan(nodes: stages.nodes, waits: []),
                               options: ReproOptions(), session: session, cwd: try repoRelative(cwd, cwd: root),
                               scanner: scanner)
            try run.commitStages()
            for path in run.changedFiles where !written.contains(path) { written.append(path) }
        }
        return try tracking(changed: written, cwd: cwd)
    }
}
