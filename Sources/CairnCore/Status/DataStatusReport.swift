/// The answer of `data status`: a git-status-like view of tracked data (DVC's `dvc data status`).
/// Directory paths end in `/`; with `--granular` the files inside tracked directories are listed too.
public struct DataStatusReport: Sendable, Equatable {
    /// Added / modified / deleted / renamed paths of one comparison.
    public struct Changes: Sendable, Equatable {
        public var added: [String] = []
        public var modified: [String] = []
        public var deleted: [String] = []
        public var renamed: [String] = []

        /// Creates an empty change set.
        public init() {}

        /// Whether nothing changed.
        public var isEmpty: Bool { added.isEmpty && modified.isEmpty && deleted.isEmpty && renamed.isEmpty }

        /// DVC's key order: modified, added, deleted, renamed; empty kinds omitted.
        var ordered: [(String, [String])] {
            [("modified", modified), ("added", added), ("deleted", deleted), ("renamed", renamed)]
                .filter { !$0.1.isEmpty }
        }
    }

    /// Outputs (and with granular, files) whose recorded objects are missing from the cache.
    public var notInCache: [String] = []
    /// HEAD's `.dvc`/`dvc.lock` records vs the working tree's.
    public var committed = Changes()
    /// The working tree's records vs the workspace data.
    public var uncommitted = Changes()
    /// Files git does not track (only when asked for).
    public var untracked: [String]? = nil
    /// Tracked paths without changes (only when asked for).
    public var unchanged: [String]? = nil
    /// git has changes of its own (prints DVC's "changes not tracked by dvc" hint).
    public var gitHasOtherChanges = false
    /// The git repository has no commit yet.
    public var emptyGitRepository = false

    /// Creates an empty report.
    public init() {}

    /// Whether there is nothing to show.
    public var isEmpty: Bool {
        notInCache.isEmpty && committed.isEmpty && uncommitted.isEmpty && (untracked ?? []).isEmpty
            && (unchanged ?? []).isEmpty
    }

    /// `dvc data status --json`, keys in DVC's order, empty sections omitted.
    public func json() -> String {
        var top = JSONObject()
        func strings(_ list: [String]) -> JSONValue { .array(list.map { .string($0) }) }
        func changes(_ set: Changes) -> JSONValue { .object(JSONObject(set.ordered.map { ($0.0, strings($0.1)) })) }
        if !notInCache.isEmpty { top["not_in_cache"] = strings(notInCache) }
        if !committed.isEmpty { top["committed"] = changes(committed) }
        if !uncommitted.isEmpty { top["uncommitted"] = changes(uncommitted) }
        if let untracked, !untracked.isEmpty { top["untracked"] = strings(untracked) }
        if let unchanged, !unchanged.isEmpty { top["unchanged"] = strings(unchanged) }
        return PythonJSON.dumps(.object(top))
    }

    /// `dvc data status` text (with cairn's command name in the hints).
    public func text(tool: String = "cairn") -> String {
        var blocks: [[String]] = []
        let indent = "        "
        if !notInCache.isEmpty {
            blocks.append(["Not in cache:", "  (use \"\(tool) fetch <file>...\" to download files)"]
                + notInCache.map { indent + $0 })
        }
        if !committed.isEmpty {
            blocks.append(["DVC committed changes:", "  (git commit the corresponding dvc files to update the repo)"]
                + committed.ordered.flatMap { kind, paths in paths.map { "\(indent)\(kind): \($0)" } })
        }
        if !uncommitted.isEmpty {
            blocks.append([
                "DVC uncommitted changes:",
                "  (use \"\(tool) commit <file>...\" to track changes)",
                "  (use \"\(tool) checkout <file>...\" to discard changes)",
            ] + uncommitted.ordered.flatMap { kind, paths in paths.map { "\(indent)\(kind): \($0)" } })
        }
        if let untracked, !untracked.isEmpty {
            blocks.append(["Untracked files:",
                           "  (use \"git add <file> ...\" or \"\(tool) add <file>...\" to commit to git or to dvc)"]
                + untracked.map { indent + $0 })
        }
        if let unchanged, !unchanged.isEmpty {
            blocks.append(["DVC unchanged files:"] + unchanged.map { indent + $0 })
        }
        var text = blocks.map { $0.joined(separator: "\n") }.joined(separator: "\n\n")
        if blocks.isEmpty { text = emptyGitRepository ? "No changes in an empty git repo." : "No changes." }
        if gitHasOtherChanges {
            let other = blocks.isEmpty ? "" : "other "
            text += "\n(there are \(other)changes not tracked by dvc, use \"git status\" to see)"
        }
        return text
    }

    /// Sorts paths as DVC's tree order does: component by component, so `d/x` comes before `d.txt`.
    public static func treeOrder(_ paths: [String]) -> [String] {
        paths.sorted { lhs, rhs in
            let left = lhs.split(separator: "/", omittingEmptySubsequences: false)
            let right = rhs.split(separator: "/", omittingEmptySubsequences: false)
            for (l, r) in zip(left, right) where !l.utf8.elementsEqual(r.utf8) {
                return l.utf8.lexicographicallyPrecedes(r.utf8)
            }
            return left.count < right.count
        }
    }
}
