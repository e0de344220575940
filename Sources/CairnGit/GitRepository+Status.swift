import Foundation
internal import CGit2

/// One path that `git status` would show: what changed between HEAD and the index, and between the index and
/// the work tree. Ignored files never appear.
public struct GitStatusEntry: Sendable, Hashable, CustomStringConvertible {
    /// What changed, as git status' two columns (index, work tree).
    public struct Flags: OptionSet, Sendable, Hashable {
        /// The flag bits.
        public let rawValue: UInt32
        /// Wraps flag bits.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Staged, not in HEAD (`A `).
        public static let indexNew = Flags(rawValue: 1 << 0)
        /// Staged content differs from HEAD, including a type change (`M `).
        public static let indexModified = Flags(rawValue: 1 << 1)
        /// Removed from the index, still in HEAD (`D `).
        public static let indexDeleted = Flags(rawValue: 1 << 2)
        /// Not in the index: an untracked file (`??`).
        public static let worktreeNew = Flags(rawValue: 1 << 3)
        /// Work tree content differs from the index, including a type change (` M`).
        public static let worktreeModified = Flags(rawValue: 1 << 4)
        /// In the index, missing from the work tree (` D`).
        public static let worktreeDeleted = Flags(rawValue: 1 << 5)
        /// Unmerged after a conflicting merge (`UU`).
        public static let conflicted = Flags(rawValue: 1 << 6)

        /// Any staged change (index vs HEAD).
        public static let staged: Flags = [.indexNew, .indexModified, .indexDeleted]
        /// Any change of a tracked file not staged yet (work tree vs index).
        public static let unstaged: Flags = [.worktreeModified, .worktreeDeleted]
    }

    /// Path relative to the work tree, `/`-separated.
    public var path: String
    /// What changed.
    public var flags: Flags

    /// Creates an entry.
    public init(path: String, flags: Flags) {
        self.path = path
        self.flags = flags
    }

    /// True for a file git does not track (and does not ignore).
    public var isUntracked: Bool { flags.contains(.worktreeNew) }

    /// git's short-format columns and the path, e.g. `AM a.txt` or `?? new.txt`.
    public var description: String {
        if isUntracked { return "?? \(path)" }
        let index: Character =
            flags.contains(.conflicted) ? "U"
            : flags.contains(.indexNew) ? "A"
            : flags.contains(.indexDeleted) ? "D"
            : flags.contains(.indexModified) ? "M" : " "
        let worktree: Character =
            flags.contains(.conflicted) ? "U"
            : flags.contains(.worktreeDeleted) ? "D"
            : flags.contains(.worktreeModified) ? "M" : " "
        return "\(index)\(worktree) \(path)"
    }
}

extension GitRepository {
    /// Every changed path, as `git status --porcelain [--untracked-files=all]`: staged and unstaged changes
    /// of tracked files, and with `includeUntracked` each untracked file on its own (untracked folders are
    /// recursed). Ignored files are left out. Sorted by path (byte order).
    public func status(includeUntracked: Bool) throws -> [GitStatusEntry] {
        var options = GIT_STATUS_OPT_SORT_CASE_SENSITIVELY.rawValue | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
        if includeUntracked {
            options |= GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
        }
        let list = try statusList(options)
        let count = git_status_list_entrycount(list.pointer)
        var entries: [GitStatusEntry] = []
        entries.reserveCapacity(count)
        for position in 0..<count {
            guard let raw = git_status_byindex(list.pointer, position) else { continue }
            let flags = Self.statusFlags(raw.pointee.status.rawValue)
            if flags.isEmpty { continue }
            let delta = raw.pointee.index_to_workdir ?? raw.pointee.head_to_index
            guard let delta, let path = delta.pointee.new_file.path ?? delta.pointee.old_file.path else { continue }
            entries.append(GitStatusEntry(path: String(cString: path), flags: flags))
        }
        // libgit2 sorts case-sensitively but by its own path rules; callers compare with byte order.
        entries.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return entries
    }

    /// True when `git status` would show anything: a staged or unstaged change of a tracked file, or (with
    /// `includeUntracked`) an untracked file that is not ignored.
    public func hasChanges(includeUntracked: Bool = true) throws -> Bool {
        // Without recursing, an untracked folder is one entry; libgit2 leaves out folders that hold only
        // ignored files or nothing, as git does.
        var options = GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
        if includeUntracked { options |= GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue }
        let list = try statusList(options)
        let count = git_status_list_entrycount(list.pointer)
        for position in 0..<count {
            guard let raw = git_status_byindex(list.pointer, position) else { continue }
            if !Self.statusFlags(raw.pointee.status.rawValue).isEmpty { return true }
        }
        return false
    }

    private func statusList(_ flags: UInt32) throws -> StatusListHandle {
        guard workdir != nil else {
            throw GitError(
                code: .bareRepository, message: "the repository has no work tree", operation: "compute the status of",
                path: gitDir, hint: "run this inside a git work tree, not a bare repository")
        }
        var options = git_status_options()
        try gitCheck(
            git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "prepare git status options")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = flags
        var out: OpaquePointer?
        try gitCheck(git_status_list_new(&out, pointer, &options), "compute the status of", path: workdir)
        return StatusListHandle(out!)
    }

    private static func statusFlags(_ raw: UInt32) -> GitStatusEntry.Flags {
        var flags: GitStatusEntry.Flags = []
        if raw & GIT_STATUS_INDEX_NEW.rawValue != 0 { flags.insert(.indexNew) }
        if raw & (GIT_STATUS_INDEX_MODIFIED.rawValue | GIT_STATUS_INDEX_TYPECHANGE.rawValue
            | GIT_STATUS_INDEX_RENAMED.rawValue) != 0
        {
            flags.insert(.indexModified)
        }
        if raw & GIT_STATUS_INDEX_DELETED.rawValue != 0 { flags.insert(.indexDeleted) }
        if raw & GIT_STATUS_WT_NEW.rawValue != 0 { flags.insert(.worktreeNew) }
        if raw & (GIT_STATUS_WT_MODIFIED.rawValue | GIT_STATUS_WT_TYPECHANGE.rawValue
            | GIT_STATUS_WT_RENAMED.rawValue | GIT_STATUS_WT_UNREADABLE.rawValue) != 0
        {
            flags.insert(.worktreeModified)
        }
        if raw & GIT_STATUS_WT_DELETED.rawValue != 0 { flags.insert(.worktreeDeleted) }
        if raw & GIT_STATUS_CONFLICTED.rawValue != 0 { flags.insert(.conflicted) }
        return flags
    }
}
