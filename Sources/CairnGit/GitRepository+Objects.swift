internal import CGit2

extension GitRepository {
    /// The bytes of the file at `path` (repo-relative) in `commit`; nil when no file is there
    /// (missing, or a directory or submodule).
    public func blob(at commit: GitOID, path: String) throws -> [UInt8]? {
        try blob(in: rootTree(of: commit), path: path)
    }

    /// The bytes of the file at `path` in the tree `tree` (see `treeID(of:)`); nil when no file is there.
    public func blob(inTree tree: GitOID, path: String) throws -> [UInt8]? {
        try blob(in: lookupTree(tree), path: path)
    }

    /// The bytes of a blob.
    public func blob(_ id: GitOID) throws -> [UInt8] {
        try lookupBlob(id).bytes
    }

    /// The regular and executable files of `commit` whose repo-relative path passes `include`, in git's tree
    /// order, without reading their contents (symlinks and submodules are skipped).
    public func files(at commit: GitOID, matching include: (String) -> Bool) throws -> [(path: String, blob: GitOID)] {
        try files(in: rootTree(of: commit), matching: include)
    }

    /// The regular and executable files of the tree `tree` whose path passes `include` (see `files(at:matching:)`).
    public func files(inTree tree: GitOID, matching include: (String) -> Bool) throws -> [(path: String, blob: GitOID)] {
        try files(in: lookupTree(tree), matching: include)
    }

    /// The id of the root tree of `commit`: equal ids mean identical contents.
    public func treeID(of commit: GitOID) throws -> GitOID {
        GitOID(git_commit_tree_id(try lookupCommit(commit).pointer))
    }

    /// A commit's metadata: parents, author, committer, message.
    public func commitInfo(_ id: GitOID) throws -> GitCommitInfo {
        let commit = try lookupCommit(id)
        let pointer = commit.pointer
        let parents = (0..<git_commit_parentcount(pointer)).map { GitOID(git_commit_parent_id(pointer, $0)) }
        return GitCommitInfo(
            id: id,
            tree: GitOID(git_commit_tree_id(pointer)),
            parents: parents,
            author: GitSignature(git_commit_author(pointer)),
            committer: GitSignature(git_commit_committer(pointer)),
            message: git_commit_message(pointer).map { String(cString: $0) } ?? "",
            summary: git_commit_summary(pointer).map { String(cString: $0) } ?? "")
    }

    /// The repo-relative paths of files added, removed or changed from commit `a` (nil: the empty tree)
    /// to commit `b`, sorted; renames show as both paths.
    public func changedPaths(between a: GitOID?, and b: GitOID) throws -> [String] {
        let oldTree = try a.map { try rootTree(of: $0) }
        let newTree = try rootTree(of: b)
        var out: OpaquePointer?
        try gitCheck(
            git_diff_tree_to_tree(&out, pointer, oldTree?.pointer, newTree.pointer, nil), "compare commits",
            path: "\(a?.hex ?? "(empty)")..\(b.hex)")
        let diff = DiffHandle(out!)
        var paths = Set<String>()
        for index in 0..<git_diff_num_deltas(diff.pointer) {
            guard let delta = git_diff_get_delta(diff.pointer, index) else { continue }
            if let path = delta.pointee.old_file.path { paths.insert(String(cString: path)) }
            if let path = delta.pointee.new_file.path { paths.insert(String(cString: path)) }
        }
        return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    func lookupCommit(_ id: GitOID) throws -> CommitHandle {
        var oid = id.raw
        var out: OpaquePointer?
        try gitCheck(
            git_commit_lookup(&out, pointer, &oid), "read commit", path: id.hex,
            hint: "the commit is not in this repository (a shallow clone, or a wrong id?)")
        return CommitHandle(out!)
    }

    func lookupTree(_ id: GitOID) throws -> TreeHandle {
        var oid = id.raw
        var out: OpaquePointer?
        try gitCheck(git_tree_lookup(&out, pointer, &oid), "read tree", path: id.hex)
        return TreeHandle(out!)
    }

    func lookupBlob(_ id: GitOID) throws -> BlobHandle {
        var oid = id.raw
        var out: OpaquePointer?
        try gitCheck(git_blob_lookup(&out, pointer, &oid), "read blob", path: id.hex)
        return BlobHandle(out!)
    }

    private func rootTree(of commit: GitOID) throws -> TreeHandle {
        let handle = try lookupCommit(commit)
        var out: OpaquePointer?
        try gitCheck(git_commit_tree(&out, handle.pointer), "read the tree of commit", path: commit.hex)
        return TreeHandle(out!)
    }

    private func blob(in tree: TreeHandle, path: String) throws -> [UInt8]? {
        var relative = Substring(path)
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        while relative.hasPrefix("/") { relative = relative.dropFirst() }
        guard !relative.isEmpty, !relative.hasSuffix("/") else { return nil }
        var out: OpaquePointer?
        let returnCode = git_tree_entry_bypath(&out, tree.pointer, String(relative))
        if returnCode == GIT_ENOTFOUND.rawValue { return nil }
        try gitCheck(returnCode, "read file from git", path: path)
        let entry = TreeEntryHandle(out!)
        guard git_tree_entry_type(entry.pointer) == GIT_OBJECT_BLOB else { return nil }
        var blobOut: OpaquePointer?
        try gitCheck(
            git_blob_lookup(&blobOut, pointer, git_tree_entry_id(entry.pointer)), "read file from git", path: path)
        return BlobHandle(blobOut!).bytes
    }

    private func files(in tree: TreeHandle, matching include: (String) -> Bool) throws
        -> [(path: String, blob: GitOID)]
    {
        var result: [(path: String, blob: GitOID)] = []
        try collectFiles(in: tree, prefix: "", include: include, into: &result)
        return result
    }

    private func collectFiles(
        in tree: TreeHandle, prefix: String, include: (String) -> Bool,
        into result: inout [(path: String, blob: GitOID)]
    ) throws {
        let count = git_tree_entrycount(tree.pointer)
        for index in 0..<count {
            // Entries from _byindex belong to the tree: no free.
            guard let entry = git_tree_entry_byindex(tree.pointer, index) else { continue }
            let name = String(cString: git_tree_entry_name(entry))
            let path = prefix.isEmpty ? name : prefix + "/" + name
            let mode = git_tree_entry_filemode(entry)
            if mode == GIT_FILEMODE_TREE {
                var out: OpaquePointer?
                try gitCheck(git_tree_lookup(&out, pointer, git_tree_entry_id(entry)), "read tree", path: path)
                try collectFiles(in: TreeHandle(out!), prefix: path, include: include, into: &result)
            } else if mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE {
                if include(path) { result.append((path, GitOID(git_tree_entry_id(entry)))) }
            }
        }
    }
}
