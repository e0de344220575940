import CairnCore
import CairnStorage

extension Project {
    /// `cairn status`: each `.dvc` file whose outputs differ from the workspace or are missing from the cache.
    public func status(targets: [String], relativeTo cwd: String) throws -> StatusReport {
        let ignore = DvcIgnoreRules(project: self)
        let index = try WorkspaceIndex.scan(self, ignore: ignore)
        let files = try selectTrackedFiles(targets, in: index, cwd: cwd)
        let scanner = WorkspaceScanner(project: self, ignore: ignore)
        defer { saveState() }
        var report = StatusReport()
        report.tracksNothing = index.trackedFiles.isEmpty && index.lockFiles.isEmpty
        for file in files {
            var changes: [(path: String, change: OutputChange)] = []
            for output in file.outputs {
                if let change = try outputChange(output, scanner: scanner).change {
                    changes.append((display(output.path, cwd: cwd), change))
                }
            }
            if !changes.isEmpty {
                report.entries.append(.init(address: display(file.path, cwd: cwd), items: [.changedOuts(changes)]))
            }
        }
        return report
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
