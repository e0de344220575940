import Foundation
internal import CGit2

extension GitRepository {
    /// Stages `paths` (relative to the work tree) and writes the index, as `git add PATH…`: files are added or
    /// updated, deleted files are removed, directories are added recursively (honouring .gitignore).
    public func addToIndex(_ paths: [String]) throws {
        let workdir = try requireWorkdir("stage files")
        let index = try self.index()
        for path in paths {
            let relative = stagingPath(path)
            let full = relative.isEmpty ? workdir : workdir + "/" + relative
            switch Self.fileKind(full) {
            case .missing:
                try stageDeletion(relative, in: index, original: path)
            case .directory:
                try addDirectory(relative, in: index, workdir: workdir)
            case .file:
                try gitCheck(git_index_add_bypath(index.pointer, relative), "stage", path: relative)
            }
        }
        try writeIndex(index)
    }

    /// Unstages `paths` (files, or directories recursively) and writes the index, as `git rm --cached -r`;
    /// the work tree is not touched and paths not in the index are ignored.
    public func removeFromIndex(_ paths: [String]) throws {
        let index = try self.index()
        for path in paths {
            let relative = stagingPath(path)
            if git_index_get_bypath(index.pointer, relative, 0) != nil {
                try gitCheck(git_index_remove_bypath(index.pointer, relative), "unstage", path: relative)
            } else {
                try gitCheck(git_index_remove_directory(index.pointer, relative, 0), "unstage", path: relative)
            }
        }
        try writeIndex(index)
    }

    /// True when the index has a (stage 0) entry for the file at `path`.
    public func indexContains(_ path: String) throws -> Bool {
        git_index_get_bypath(try index().pointer, stagingPath(path), 0) != nil
    }

    /// The staged bytes of the file at `path`; nil when it is not in the index.
    public func indexBlob(path: String) throws -> [UInt8]? {
        let index = try self.index()
        guard let entry = git_index_get_bypath(index.pointer, stagingPath(path), 0) else { return nil }
        var oid = entry.pointee.id
        var out: OpaquePointer?
        try gitCheck(git_blob_lookup(&out, pointer, &oid), "read staged file", path: path)
        return BlobHandle(out!).bytes
    }

    /// True when git tracks `path`: the index holds it, or (for a directory) any file under it.
    public func isTracked(_ path: String) throws -> Bool {
        let index = try self.index()
        let relative = stagingPath(path)
        if relative.isEmpty { return git_index_entrycount(index.pointer) > 0 }
        var position = 0
        if git_index_find(&position, index.pointer, relative) == 0 { return true }
        return git_index_find_prefix(&position, index.pointer, relative + "/") == 0
    }

    /// True when git's ignore rules (.gitignore files, .git/info/exclude, core.excludesFile) exclude
    /// `relpath`, also through an ignored parent folder; a trailing `/` asks about a directory. Whether the
    /// path is tracked does not matter (see `isTracked`).
    public func isIgnored(_ relpath: String) throws -> Bool {
        _ = try requireWorkdir("check ignore rules for")
        var relative = Substring(relpath)
        if let workdir, relative.hasPrefix(workdir + "/") { relative = relative.dropFirst(workdir.count + 1) }
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        var ignored: Int32 = 0
        try gitCheck(
            git_ignore_path_is_ignored(&ignored, pointer, String(relative)), "check ignore rules for",
            path: relpath)
        return ignored != 0
    }

    private enum FileKind { case missing, directory, file }

    private static func fileKind(_ path: String) -> FileKind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        return info.st_mode & S_IFMT == S_IFDIR ? .directory : .file
    }

    func stagingPath(_ path: String) -> String {
        let relative = relativePath(path)
        return relative == "." ? "" : relative
    }

    func requireWorkdir(_ operation: String) throws -> String {
        guard let workdir else {
            throw GitError(
                code: .bareRepository, message: "the repository has no work tree", operation: operation,
                path: gitDir, hint: "run this inside a git work tree, not a bare repository")
        }
        return workdir
    }

    private func stageDeletion(_ relative: String, in index: IndexHandle, original: String) throws {
        if git_index_get_bypath(index.pointer, relative, 0) != nil {
            try gitCheck(git_index_remove_bypath(index.pointer, relative), "stage the deletion of", path: relative)
            return
        }
        var position = 0
        guard git_index_find_prefix(&position, index.pointer, relative + "/") == 0 else {
            throw GitError(
                code: .notFound, message: "no such file in the work tree or the index", operation: "stage",
                path: original, hint: "check the path; it must be relative to the repository root")
        }
        try gitCheck(git_index_remove_directory(index.pointer, relative, 0), "stage the deletion of", path: relative)
    }

    private func addDirectory(_ relative: String, in index: IndexHandle, workdir: String) throws {
        // Literal pathspec: a folder named "a*" must not act as a glob.
        let flags = GIT_INDEX_ADD_DISABLE_PATHSPEC_MATCH.rawValue
        let returnCode: Int32
        if relative.isEmpty {
            var pathspec = git_strarray(strings: nil, count: 0)
            returnCode = git_index_add_all(index.pointer, &pathspec, flags, nil, nil)
        } else {
            returnCode = relative.withCString { spec in
                var item: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: spec)
                return withUnsafeMutablePointer(to: &item) { items in
                    var pathspec = git_strarray(strings: items, count: 1)
                    return git_index_add_all(index.pointer, &pathspec, flags, nil, nil)
                }
            }
        }
        try gitCheck(returnCode, "stage folder", path: relative.isEmpty ? workdir : relative)
        // git add DIR also stages the deletion of tracked files that are gone from the folder.
        let prefix = relative.isEmpty ? "" : relative + "/"
        var gone: [String] = []
        for position in 0..<git_index_entrycount(index.pointer) {
            guard let entry = git_index_get_byindex(index.pointer, position), let raw = entry.pointee.path else {
                continue
            }
            let path = String(cString: raw)
            guard path.hasPrefix(prefix) else { continue }
            if case .missing = Self.fileKind(workdir + "/" + path) { gone.append(path) }
        }
        for path in gone {
            try gitCheck(git_index_remove_bypath(index.pointer, path), "stage the deletion of", path: path)
        }
    }

    func writeIndex(_ index: IndexHandle) throws {
        try gitCheck(
            git_index_write(index.pointer), "write the git index", path: gitDir + "/index",
            hint: nil)
    }
}
