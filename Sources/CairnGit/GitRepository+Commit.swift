import Foundation
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
        var parents: [CommitHandle] = []
        var parentOID = git_oid()
        let parentCode = git_reference_name_to_id(&parentOID, pointer, updateRef)
        if parentCode == 0 {
            parents.append(try lookupCommit(GitOID(parentOID)))
        } else if parentCode != GIT_ENOTFOUND.rawValue && parentCode != GIT_EUNBORNBRANCH.rawValue {
            try gitCheck(parentCode, "read reference", path: updateRef)
        }
        return try createCommit(
            tree: GitOID(treeOID), parents: parents, message: message, author: author, committer: committer,
            updateRef: updateRef)
    }

    /// Commits exactly `paths` (work-tree relative files) as they are in the work tree on top of HEAD — added,
    /// changed, or removed when gone — and nothing else: other staged changes stay staged and uncommitted,
    /// as `git commit --only PATH…` does. The index entries of the committed paths are updated to match.
    /// Returns nil (and commits nothing) when none of the paths differs from HEAD.
    public func commitWorkTreeFiles(
        _ paths: [String], message: String, author: GitSignature, committer: GitSignature
    ) throws -> GitPathCommit? {
        let workdir = try requireWorkdir("commit")
        if let operation = operationInProgress() {
            throw GitError(
                code: .unmerged, message: "\(operation) is in progress", operation: "commit", path: workdir,
                hint: "finish or abort it with git first (git status says how), then run cairn again")
        }
        let head = try headCommit()
        let parents = try head.map { [try lookupCommit($0)] } ?? []
        let baseTree = try head.map { try treeID(of: $0) } ?? emptyTree()
        let base = try lookupTree(baseTree)

        var updates: [(path: String, action: git_tree_update_t, id: git_oid, mode: git_filemode_t)] = []
        for path in Set(paths.map(stagingPath)).sorted() where !path.isEmpty {
            let existing = try treeEntry(in: base, path: path)
            var info = stat()
            if lstat(workdir + "/" + path, &info) != 0 {
                if existing != nil { updates.append((path, GIT_TREE_UPDATE_REMOVE, git_oid(), GIT_FILEMODE_BLOB)) }
                continue
            }
            let mode: git_filemode_t
            switch info.st_mode & S_IFMT {
            case S_IFREG: mode = info.st_mode & S_IXUSR != 0 ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB
            case S_IFLNK: mode = GIT_FILEMODE_LINK
            default:
                throw GitError(
                    code: .invalid, message: "not a file", operation: "commit", path: path,
                    hint: "only files can be committed this way")
            }
            var blob = git_oid()
            try gitCheck(git_blob_create_from_workdir(&blob, pointer, path), "store in git", path: path)
            if let existing, existing.mode == mode, existing.id == GitOID(blob) { continue }
            updates.append((path, GIT_TREE_UPDATE_UPSERT, blob, mode))
        }
        guard !updates.isEmpty else { return nil }

        let cPaths = updates.map { strdup($0.path)! }
        defer { cPaths.forEach { free($0) } }
        var raw = updates.enumerated().map { position, update in
            git_tree_update(action: update.action, id: update.id, filemode: update.mode, path: cPaths[position])
        }
        var newTree = git_oid()
        try gitCheck(
            git_tree_create_updated(&newTree, pointer, base.pointer, raw.count, &raw), "build the commit's tree",
            path: workdir)
        let id = try createCommit(
            tree: GitOID(newTree), parents: parents, message: message, author: author, committer: committer,
            updateRef: "HEAD")

        // The committed paths now match HEAD in the index too; everything else keeps its staged state.
        let index = try self.index()
        for update in updates {
            if update.action == GIT_TREE_UPDATE_REMOVE {
                if git_index_get_bypath(index.pointer, update.path, 0) != nil {
                    try gitCheck(git_index_remove_bypath(index.pointer, update.path), "unstage", path: update.path)
                }
            } else {
                try gitCheck(git_index_add_bypath(index.pointer, update.path), "stage", path: update.path)
            }
        }
        try writeIndex(index)
        return GitPathCommit(id: id, paths: updates.map(\.path), parent: head)
    }

    /// What git is in the middle of (`a merge`, `a rebase`, …) when the repository is not in its normal state.
    public func operationInProgress() -> String? {
        switch git_repository_state(pointer) {
        case Int32(GIT_REPOSITORY_STATE_NONE.rawValue): return nil
        case Int32(GIT_REPOSITORY_STATE_MERGE.rawValue): return "a merge"
        case Int32(GIT_REPOSITORY_STATE_REVERT.rawValue), Int32(GIT_REPOSITORY_STATE_REVERT_SEQUENCE.rawValue):
            return "a revert"
        case Int32(GIT_REPOSITORY_STATE_CHERRYPICK.rawValue), Int32(GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE.rawValue):
            return "a cherry-pick"
        case Int32(GIT_REPOSITORY_STATE_BISECT.rawValue): return "a bisect"
        default: return "a rebase"
        }
    }

    private func createCommit(
        tree treeID: GitOID, parents: [CommitHandle], message: String, author: GitSignature,
        committer: GitSignature, updateRef: String
    ) throws -> GitOID {
        let tree = try lookupTree(treeID)
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

    private func emptyTree() throws -> GitOID {
        var builder: OpaquePointer?
        try gitCheck(git_treebuilder_new(&builder, pointer, nil), "create an empty tree")
        defer { git_treebuilder_free(builder) }
        var id = git_oid()
        try gitCheck(git_treebuilder_write(&id, builder), "write an empty tree", path: gitDir)
        return GitOID(id)
    }

    private func treeEntry(in tree: TreeHandle, path: String) throws -> (id: GitOID, mode: git_filemode_t)? {
        var out: OpaquePointer?
        let code = git_tree_entry_bypath(&out, tree.pointer, path)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try gitCheck(code, "read tree entry", path: path)
        let entry = TreeEntryHandle(out!)
        return (GitOID(git_tree_entry_id(entry.pointer)!), git_tree_entry_filemode(entry.pointer))
    }
}

/// A commit made from chosen work-tree files.
public struct GitPathCommit: Sendable, Equatable {
    /// The new commit.
    public var id: GitOID
    /// The paths whose content it changed (added, modified or removed), sorted.
    public var paths: [String]
    /// The commit it was made on; nil for a first commit.
    public var parent: GitOID?
}
