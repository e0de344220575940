import CairnCore
import CairnStorage

extension Project {
    /// `cairn commit`: stores the workspace's current data in the cache and records it in the `.dvc` files.
    /// A changed output needs `force` (DVC asks for confirmation); nothing is written unless all checks pass.
    public func commit(targets: [String], force: Bool, relativeTo cwd: String) throws -> TrackingOutcome {
        let ignore = DvcIgnoreRules(project: self)
        let index = try WorkspaceIndex.scan(self, ignore: ignore)
        let files = try selectTrackedFiles(targets, in: index, cwd: cwd)
        let scanner = WorkspaceScanner(project: self, ignore: ignore)
        defer { saveState() }
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
        return try tracking(changed: written, cwd: cwd)
    }
}
