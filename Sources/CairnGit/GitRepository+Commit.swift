internal import CGit2

extension GitRepository {
    /// Commits the current index and moves `updateRef` (HEAD: the current branch) to the new commit, as
    /// `git commit -m`; on an unborn branch this makes the first, parentless commit. Returns the commit's id.
    @discardableResult
    public func commit(
        message: String, author: GitSignature, committer: GitSignature, updateRef: String = "HEAD"
    ) throws -> GitOID {
        let index = try self.index()
        if git_index_has_conflicts(index.pointer) != 0 {
            throw GitError(
                code: .unmerged, message: "the index has unresolved conflicts",
                operation: "commit", path: workdir ?? gitDir, hint: "resolve the conflicts and stage the files first")
        }
        var treeOID = git_oid()
        try gitCheck(git_index_write_tree(&treeOID, index.pointer), "write the index as a tree", path: gitDir)
        let tree = try lookupTree(GitOID(treeOID))

        var parents: [CommitHandle] = []
        var parentOID = git_oid()
        let parentCode = git_reference_name_to_id(&parentOID, pointer, updateRef)
        if parentCode == 0 {
            parents.append(try lookupCommit(GitOID(parentOID)))
        } else if parentCode != GIT_ENOTFOUND.rawValue && parentCode != GIT_EUNBORNBRANCH.rawValue {
            try gitCheck(parentCode, "read reference", path: updateRef)
        }

        // git commit -m cleans the message the same way: trailing spaces and blank lines go, one final newline.
        let cleaned = BufferHandle()
        try gitCheck(
            git_message_prettify(&cleaned.buffer, message, 0, CChar(UInt8(ascii: "#"))), "prepare commit message")
        let authorHandle = try author.makeHandle()
        let committerHandle = try committer.makeHandle()
        var parentPointers: [OpaquePointer?] = parents.map { $0.pointer }
        var commitOID = git_oid()
        let returnCode = withExtendedLifetime(parents) {
            git_commit_create(
                &commitOID, pointer, updateRef, authorHandle.pointer, committerHandle.pointer, nil,
                cleaned.buffer.ptr, tree.pointer, parentPointers.count, &parentPointers)
        }
        try gitCheck(
            returnCode, "commit to", path: updateRef,
            hint: returnCode == GIT_EMODIFIED.rawValue ? "'\(updateRef)' moved meanwhile; retry" : nil)
        return GitOID(commitOID)
    }
}
