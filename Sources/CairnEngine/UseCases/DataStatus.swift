import CairnCore
import CairnStorage

extension Project {
    /// `cairn data status`: HEAD's records vs the working tree's (committed), the records vs the data
    /// (uncommitted), objects missing from the cache, and optionally unchanged and git-untracked files.
    public func dataStatus(options: DataStatusOptions) throws -> DataStatusReport {
        let ignore = DvcIgnoreRules(project: self)
        let index = try WorkspaceIndex.scan(self, ignore: ignore)
        let scanner = WorkspaceScanner(project: self, ignore: ignore)
        defer { saveState() }
        var report = DataStatusReport()
        var changed = Set<String>()

        func label(_ path: String, directory: Bool) -> String { directory ? path + "/" : path }

        // committed: HEAD's .dvc records against the working tree's, by output path.
        let headOutputs = try outputsAtHead()
        var workspaceOutputs: [String: TrackedOutput] = [:]
        for output in index.outputs { workspaceOutputs[output.path] = output }
        for (path, recorded) in headOutputs {
            guard let current = workspaceOutputs[path] else {
                report.committed.deleted.append(label(path, directory: recorded.id.isDirectory))
                changed.insert(path)
                continue
            }
            if current.recorded != recorded {
                let isDirectory = current.recorded?.id.isDirectory ?? recorded.id.isDirectory
                report.committed.modified.append(label(path, directory: isDirectory))
                changed.insert(path)
                if options.granular, isDirectory {
                    let diff = ManifestDiff.compare(old: try scanner.manifestIfCached(recorded),
                                                    new: try current.recorded.flatMap { try scanner.manifestIfCached($0) })
                    report.committed.add(diff, under: path)
                }
            }
        }
        for output in index.outputs where headOutputs[output.path] == nil {
            let isDirectory = output.recorded?.id.isDirectory ?? false
            report.committed.added.append(label(output.path, directory: isDirectory))
            changed.insert(output.path)
            if options.granular, isDirectory, let recorded = output.recorded {
                report.committed.add(ManifestDiff.compare(old: nil, new: try scanner.manifestIfCached(recorded)), under: output.path)
            }
        }

        // uncommitted, not in cache, unchanged: the records against the workspace and the cache.
        var unchanged: [String] = []
        for output in index.outputs {
            let (change, observation) = try outputChange(output, scanner: scanner)
            let recordedIsDirectory = output.recorded?.id.isDirectory ?? observation.isDirectory
            let recordedManifest = try output.recorded.flatMap { try scanner.manifestIfCached($0) }
            if let recorded = output.recorded, output.isCached, !(try scanner.objectsPresent(recorded)) {
                report.notInCache.append(label(output.path, directory: recordedIsDirectory))
                if options.granular, let recordedManifest {
                    for entry in recordedManifest.entries where !scanner.contains(HashInfo(entry.id, kind: recorded.kind)) {
                        report.notInCache.append(output.path + "/" + entry.relpath)
                    }
                }
            }
            switch change == .notInCache ? OutputStatusRule.change(
                recorded: output.recorded, isCached: false, objectsInCache: true, observed: observation.content) : change {
            case .deleted?:
                report.uncommitted.deleted.append(label(output.path, directory: recordedIsDirectory))
            case .modified?, .new?:
                if output.recorded == nil {
                    report.uncommitted.added.append(label(output.path, directory: observation.isDirectory))
                } else {
                    report.uncommitted.modified.append(label(output.path, directory: recordedIsDirectory))
                    if options.granular, recordedIsDirectory || observation.isDirectory {
                        let diff = ManifestDiff.compare(old: recordedManifest, new: try scanner.workspaceManifest(observation))
                        report.uncommitted.add(diff, under: output.path)
                        // The files that did not change inside a changed directory still count as unchanged.
                        unchanged.append(contentsOf: diff.unchanged.map { output.path + "/" + $0 })
                    }
                }
            case nil, .notInCache?:
                if !changed.contains(output.path) {
                    unchanged.append(label(output.path, directory: recordedIsDirectory))
                    if options.granular, let manifest = try scanner.workspaceManifest(observation) {
                        unchanged.append(contentsOf: manifest.entries.map { output.path + "/" + $0.relpath })
                    }
                }
            }
        }
        if options.unchanged {
            let committedFiles = Set(report.committed.added + report.committed.modified + report.committed.deleted)
            report.unchanged = DataStatusReport.treeOrder(unchanged.filter { !committedFiles.contains($0) })
        }
        report.notInCache = DataStatusReport.treeOrder(report.notInCache)
        report.committed.sortTreeOrder()
        report.uncommitted.sortTreeOrder()
        if let git = try git {
            if options.untracked {
                report.untracked = DataStatusReport.treeOrder(try git.status(includeUntracked: true)
                    .filter { $0.isUntracked }.map(\.path))
            }
            // Untracked files count as git's own changes only when they were asked for, as in DVC.
            report.gitHasOtherChanges = try git.hasChanges(includeUntracked: options.untracked)
            report.emptyGitRepository = try git.headCommit() == nil
        }
        return report
    }

    /// Output path → recorded hash for every `.dvc` file committed at HEAD (empty on an unborn branch).
    func outputsAtHead() throws -> [String: HashInfo] {
        guard let git = try git, let head = try git.headCommit() else { return [:] }
        var outputs: [String: HashInfo] = [:]
        for (path, blob) in try git.files(at: head, matching: { $0.hasSuffix(".dvc") }) {
            let text = String(decoding: try git.blob(blob), as: UTF8.self)
            let file = TrackedFile(path: path, text: text, file: try DVCFile.parse(text, path: path, revision: "HEAD"))
            for output in file.outputs {
                if let recorded = output.recorded { outputs[output.path] = recorded }
            }
        }
        return outputs
    }
}

extension DataStatusReport.Changes {
    /// Adds a directory's file-level changes as `dir/relpath` entries.
    mutating func add(_ diff: ManifestDiff, under directory: String) {
        added += diff.added.map { directory + "/" + $0 }
        modified += diff.modified.map { directory + "/" + $0 }
        deleted += diff.deleted.map { directory + "/" + $0 }
    }

    /// Sorts every list in DVC's tree order.
    mutating func sortTreeOrder() {
        added = DataStatusReport.treeOrder(added)
        modified = DataStatusReport.treeOrder(modified)
        deleted = DataStatusReport.treeOrder(deleted)
        renamed = DataStatusReport.treeOrder(renamed)
    }
}
