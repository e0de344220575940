internal import CGit2

extension GitRepository {
    /// Local branches (`refs/heads/…`) with the commits they point at, sorted by name.
    public func localBranches() throws -> [(name: String, commit: GitOID)] {
        try commitReferences(under: "refs/heads/")
    }

    /// Tags (`refs/tags/…`) peeled to commits, sorted by name; tags of trees or blobs are skipped.
    public func tags() throws -> [(name: String, commit: GitOID)] {
        try commitReferences(under: "refs/tags/")
    }

    /// Every commit reachable from HEAD or any ref under `refs/`, each once, newest first
    /// (the set `git rev-list --all` prints).
    public func allCommits() throws -> [GitOID] {
        var out: OpaquePointer?
        try gitCheck(git_revwalk_new(&out, pointer), "walk the history of", path: gitDir)
        let walk = RevwalkHandle(out!)
        try gitCheck(git_revwalk_sorting(walk.pointer, GIT_SORT_TIME.rawValue), "walk the history of", path: gitDir)
        // push_glob skips refs that do not lead to a commit (tags of trees or blobs), as rev-list --all does.
        try gitCheck(git_revwalk_push_glob(walk.pointer, "refs/*"), "walk the history of", path: gitDir)
        // HEAD itself (it may be detached); git_revwalk_push_head fails on an unborn branch, headCommit does not.
        if let head = try headCommit() {
            var oid = head.raw
            try gitCheck(git_revwalk_push(walk.pointer, &oid), "walk the history from HEAD of", path: gitDir)
        }
        var commits: [GitOID] = []
        var oid = git_oid()
        while true {
            let returnCode = git_revwalk_next(&oid, walk.pointer)
            if returnCode == GIT_ITEROVER.rawValue { break }
            try gitCheck(returnCode, "walk the history of", path: gitDir)
            commits.append(GitOID(oid))
        }
        return commits
    }

    private func commitReferences(under prefix: String) throws -> [(name: String, commit: GitOID)] {
        var out: OpaquePointer?
        try gitCheck(git_reference_iterator_new(&out, pointer), "list the references of", path: gitDir)
        let iterator = ReferenceIteratorHandle(out!)
        var result: [(name: String, commit: GitOID)] = []
        while true {
            var found: OpaquePointer?
            let returnCode = git_reference_next(&found, iterator.pointer)
            if returnCode == GIT_ITEROVER.rawValue { break }
            try gitCheck(returnCode, "list the references of", path: gitDir)
            let reference = ReferenceHandle(found!)
            let fullName = String(cString: git_reference_name(reference.pointer))
            guard fullName.hasPrefix(prefix) else { continue }
            var peeled: OpaquePointer?
            let peelCode = git_reference_peel(&peeled, reference.pointer, GIT_OBJECT_COMMIT)
            switch GitError.Code(rawValue: peelCode) {
            case .peel, .invalidSpec, .notFound, .invalid:
                continue  // a tag of a tree or blob, or a dangling ref: not a commit
            default:
                try gitCheck(peelCode, "read reference", path: fullName)
            }
            let commit = ObjectHandle(peeled!)
            result.append((String(fullName.dropFirst(prefix.count)), GitOID(git_object_id(commit.pointer))))
        }
        result.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        return result
    }
}
