internal import CGit2

/// The order a history walk yields commits in.
public enum GitWalkOrder: Sendable {
    /// Newest committer time first (`git log`'s default).
    case time
    /// Parents never before their children (`git log --topo-order`).
    case topological
    /// Topological, ties broken by time.
    case timeAndTopological
}

/// A lazy history walk (libgit2 revwalk): commits come one by one or in batches, each once.
/// Not Sendable: libgit2 objects belong to one thread.
public final class GitHistoryWalk {
    private let walk: RevwalkHandle
    private let gitDir: String

    init(walk: RevwalkHandle, gitDir: String) {
        self.walk = walk
        self.gitDir = gitDir
    }

    /// The next commit, or nil when the walk is over.
    public func next() throws -> GitOID? {
        var oid = git_oid()
        let returnCode = git_revwalk_next(&oid, walk.pointer)
        if returnCode == GIT_ITEROVER.rawValue { return nil }
        try gitCheck(returnCode, "walk the history of", path: gitDir)
        return GitOID(oid)
    }

    /// Up to `limit` next commits; empty when the walk is over.
    public func nextBatch(_ limit: Int) throws -> [GitOID] {
        var batch: [GitOID] = []
        batch.reserveCapacity(max(0, limit))
        while batch.count < limit, let commit = try next() { batch.append(commit) }
        return batch
    }
}

/// What a `GitTreeIndex` keeps of a tree: its matching files, paths relative to that tree.
private typealias TreeFiles = [(path: String, blob: GitOID)]

/// Lists the files of many commits' trees whose names pass a filter, remembering each subtree by id so that the
/// parts of the tree a commit did not change cost one dictionary look-up. Not Sendable (one thread).
public final class GitTreeIndex {
    private let repository: GitRepository
    private let include: (String) -> Bool
    private var subtrees: [GitOID: TreeFiles] = [:]

    /// An index over `repository` keeping files whose name (last path component) passes `includeName`.
    public init(_ repository: GitRepository, includeName: @escaping (String) -> Bool) {
        self.repository = repository
        self.include = includeName
    }

    /// The matching files of `commit`'s tree (repo-relative paths, git's tree order) with their blob ids.
    public func files(at commit: GitOID) throws -> [(path: String, blob: GitOID)] {
        try files(ofTree: repository.treeID(of: commit))
    }

    private func files(ofTree id: GitOID) throws -> TreeFiles {
        if let known = subtrees[id] { return known }
        let tree = try repository.lookupTree(id)
        var result: TreeFiles = []
        for index in 0..<git_tree_entrycount(tree.pointer) {
            // Entries from _byindex belong to the tree: no free.
            guard let entry = git_tree_entry_byindex(tree.pointer, index) else { continue }
            let name = String(cString: git_tree_entry_name(entry))
            let mode = git_tree_entry_filemode(entry)
            if mode == GIT_FILEMODE_TREE {
                for file in try files(ofTree: GitOID(git_tree_entry_id(entry))) {
                    result.append((name + "/" + file.path, file.blob))
                }
            } else if mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE, include(name) {
                result.append((name, GitOID(git_tree_entry_id(entry))))
            }
        }
        subtrees[id] = result
        return result
    }
}

extension GitRepository {
    /// A walk over the history reachable from `starts` but not from `hidden`, in `order`.
    public func walk(from starts: [GitOID], hiding hidden: [GitOID] = [], order: GitWalkOrder = .time) throws
        -> GitHistoryWalk
    {
        let walk = try makeRevwalk(order)
        for start in starts {
            var oid = start.raw
            try gitCheck(git_revwalk_push(walk.pointer, &oid), "walk the history from", path: start.hex)
        }
        for hide in hidden {
            var oid = hide.raw
            try gitCheck(git_revwalk_hide(walk.pointer, &oid), "hide from the history walk", path: hide.hex)
        }
        return GitHistoryWalk(walk: walk, gitDir: gitDir)
    }

    /// A walk over every commit reachable from HEAD or any ref under `refs/` (`git rev-list --all`).
    public func walkAll(order: GitWalkOrder = .time) throws -> GitHistoryWalk {
        let walk = try makeRevwalk(order)
        // push_glob skips refs that do not lead to a commit (tags of trees or blobs), as rev-list --all does.
        try gitCheck(git_revwalk_push_glob(walk.pointer, "refs/*"), "walk the history of", path: gitDir)
        if let head = try headCommit() {
            var oid = head.raw
            try gitCheck(git_revwalk_push(walk.pointer, &oid), "walk the history from HEAD of", path: gitDir)
        }
        return GitHistoryWalk(walk: walk, gitDir: gitDir)
    }

    /// The blob id of the file at `path` in `commit`, without reading the blob; nil when no file is there.
    public func blobID(at commit: GitOID, path: String) throws -> GitOID? {
        try blobIDs(at: commit, paths: [path])[0]
    }

    /// The blob ids of several paths in one commit (its tree is read once); nil where no file is.
    public func blobIDs(at commit: GitOID, paths: [String]) throws -> [GitOID?] {
        let tree = try lookupTree(treeID(of: commit))
        return try paths.map { path in
            var out: OpaquePointer?
            let returnCode = git_tree_entry_bypath(&out, tree.pointer, path)
            if returnCode == GIT_ENOTFOUND.rawValue { return nil }
            try gitCheck(returnCode, "look up file in git", path: path)
            let entry = TreeEntryHandle(out!)
            guard git_tree_entry_type(entry.pointer) == GIT_OBJECT_BLOB else { return nil }
            return GitOID(git_tree_entry_id(entry.pointer))
        }
    }

    /// The parents of `commit`, first parent first.
    public func parents(of commit: GitOID) throws -> [GitOID] {
        let handle = try lookupCommit(commit)
        return (0..<git_commit_parentcount(handle.pointer)).map { GitOID(git_commit_parent_id(handle.pointer, $0)) }
    }

    private func makeRevwalk(_ order: GitWalkOrder) throws -> RevwalkHandle {
        var out: OpaquePointer?
        try gitCheck(git_revwalk_new(&out, pointer), "walk the history of", path: gitDir)
        let walk = RevwalkHandle(out!)
        let mode: UInt32 = switch order {
        case .time: GIT_SORT_TIME.rawValue
        case .topological: GIT_SORT_TOPOLOGICAL.rawValue
        case .timeAndTopological: GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue
        }
        try gitCheck(git_revwalk_sorting(walk.pointer, mode), "walk the history of", path: gitDir)
        return walk
    }
}
