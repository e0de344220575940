/// How a pipeline stage's record differs between two revisions' `dvc.lock` files.
public struct StageChange: Sendable, Equatable {
    /// Added, removed or changed.
    public enum Kind: String, Sendable, Equatable {
        case added, removed, modified
    }

    /// The stage's address from the repo root (`train`, `sub/dvc.yaml:train`).
    public var address: String
    /// What happened to it.
    public var kind: Kind
    /// For `modified`: which parts of the record differ (`cmd`, `deps`, `params`, `outs`), in that order.
    public var parts: [String]

    /// Creates a change.
    public init(address: String, kind: Kind, parts: [String] = []) {
        self.address = address
        self.kind = kind
        self.parts = parts
    }

    /// Compares the lock files of two revisions (keyed by the lock file's repo-relative path): stages whose
    /// entries differ, in the new revision's order, then the removed ones in the old revision's order.
    public static func between(old: [(path: String, lock: PipelineLock)], new: [(path: String, lock: PipelineLock)]) -> [StageChange] {
        func address(_ lockPath: String, _ name: String) -> String {
            let directory = RepoPath.parent(lockPath)
            return directory.isEmpty ? name : "\(directory)/dvc.yaml:\(name)"
        }
        var oldEntries: [String: LockedStage] = [:]
        var oldOrder: [String] = []
        for (path, lock) in old {
            for (name, stage) in lock.stages {
                let key = address(path, name)
                oldEntries[key] = stage
                oldOrder.append(key)
            }
        }
        var changes: [StageChange] = []
        var seen = Set<String>()
        for (path, lock) in new {
            for (name, stage) in lock.stages {
                let key = address(path, name)
                seen.insert(key)
                guard let before = oldEntries[key] else {
                    changes.append(StageChange(address: key, kind: .added))
                    continue
                }
                var parts: [String] = []
                if before.cmd != stage.cmd { parts.append("cmd") }
                if before.deps != stage.deps { parts.append("deps") }
                if !paramsEqual(before.params, stage.params) { parts.append("params") }
                if before.outs != stage.outs { parts.append("outs") }
                if !parts.isEmpty { changes.append(StageChange(address: key, kind: .modified, parts: parts)) }
            }
        }
        for key in oldOrder where !seen.contains(key) {
            changes.append(StageChange(address: key, kind: .removed))
        }
        return changes
    }

    private static func paramsEqual(_ lhs: [(file: String, values: YAMLMapping)],
                                    _ rhs: [(file: String, values: YAMLMapping)]) -> Bool {
        lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.file == $1.file && $0.values == $1.values }
    }
}
