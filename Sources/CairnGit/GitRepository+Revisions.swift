internal import CGit2

extension GitRepository {
    /// The commit a revision names: branches, tags (annotated ones peeled), full or short ids, `HEAD`,
    /// `HEAD~N`, `HEAD^`, `main@{1}`, `v1^{commit}`, … as `git rev-parse REV^{commit}`.
    public func resolveCommit(_ revision: String) throws -> GitOID {
        var found: OpaquePointer?
        let returnCode = git_revparse_single(&found, pointer, revision)
        try gitCheck(
            returnCode, "resolve revision", path: revision, hint: revisionHint(returnCode, revision))
        let object = ObjectHandle(found!)
        var peeled: OpaquePointer?
        let peelCode = git_object_peel(&peeled, object.pointer, GIT_OBJECT_COMMIT)
        try gitCheck(
            peelCode, "resolve revision", path: revision,
            hint: "'\(revision)' names a \(Self.typeName(of: object.pointer)), not a commit")
        let commit = ObjectHandle(peeled!)
        return GitOID(git_object_id(commit.pointer))
    }

    /// The commit HEAD points at; nil on an unborn branch (a repository without commits).
    public func headCommit() throws -> GitOID? {
        var found: OpaquePointer?
        let returnCode = git_repository_head(&found, pointer)
        if returnCode == GIT_EUNBORNBRANCH.rawValue || returnCode == GIT_ENOTFOUND.rawValue { return nil }
        try gitCheck(returnCode, "read HEAD", path: gitDir + "/HEAD")
        let head = ReferenceHandle(found!)
        var peeled: OpaquePointer?
        try gitCheck(
            git_reference_peel(&peeled, head.pointer, GIT_OBJECT_COMMIT), "peel HEAD to a commit",
            path: gitDir + "/HEAD")
        let commit = ObjectHandle(peeled!)
        return GitOID(git_object_id(commit.pointer))
    }

    /// The short name of the branch HEAD is on (also when it has no commits yet); nil when HEAD is detached.
    public func headBranchName() -> String? {
        var found: OpaquePointer?
        guard git_reference_lookup(&found, pointer, "HEAD") == 0, let found else { return nil }
        let head = ReferenceHandle(found)
        guard git_reference_type(head.pointer) == GIT_REFERENCE_SYMBOLIC,
            let target = git_reference_symbolic_target(head.pointer)
        else { return nil }
        let name = String(cString: target)
        let prefix = "refs/heads/"
        return name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : nil
    }

    private func revisionHint(_ returnCode: Int32, _ revision: String) -> String? {
        switch GitError.Code(rawValue: returnCode) {
        case .ambiguous:
            return "'\(revision)' matches more than one object: give more digits of the commit id"
        case .notFound, .invalidSpec, .peel:
            if revision.hasPrefix("HEAD"), git_repository_head_unborn(pointer) == 1 {
                return "unknown revision '\(revision)': the current branch has no commits yet"
            }
            return "unknown revision '\(revision)': check the branch, tag or commit name"
        default:
            return nil
        }
    }

    static func typeName(of object: OpaquePointer) -> String {
        git_object_type2string(git_object_type(object)).map { String(cString: $0) } ?? "object"
    }
}
