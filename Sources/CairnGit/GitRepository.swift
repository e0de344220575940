import Foundation
internal import CGit2

/// An open git repository (libgit2 handle). Not Sendable: use it from one task at a time and open one
/// handle per task when reading in parallel. Every libgit2 object it creates is freed by its owner class.
public final class GitRepository {
    let pointer: OpaquePointer
    /// The work tree's absolute path without a trailing slash; nil for a bare repository.
    public let workdir: String?
    /// The git directory's absolute path (usually `<workdir>/.git`) without a trailing slash.
    public let gitDir: String
    /// True for a repository without a work tree.
    public let isBare: Bool
    // git_repository_index returns the repository's shared index; keeping it avoids a lookup per call.
    private var cachedIndex: IndexHandle?

    private init(owning pointer: OpaquePointer) {
        self.pointer = pointer
        workdir = git_repository_workdir(pointer).map { Self.trimmingSlash(String(cString: $0)) }
        gitDir = Self.trimmingSlash(String(cString: git_repository_path(pointer)))
        isBare = git_repository_is_bare(pointer) != 0
    }

    deinit {
        // The index refers to the repository: drop it first.
        cachedIndex = nil
        git_repository_free(pointer)
    }

    /// Finds the repository containing `path` (searching parents like git, stopping at a file-system
    /// boundary); nil when `path` is not inside a git repository.
    public static func discover(from path: String) throws -> GitRepository? {
        GitLibrary.ensureInitialized()
        guard FileManager.default.fileExists(atPath: path) else {
            throw GitError(
                code: .notFound, message: "no such file or directory", operation: "look for a git repository at",
                path: path, hint: "check the path")
        }
        var out: OpaquePointer?
        let flags: UInt32 = 0  // no GIT_REPOSITORY_OPEN_CROSS_FS: stop at the file-system boundary as git does
        let returnCode = git_repository_open_ext(&out, path, flags, nil)
        if returnCode == GIT_ENOTFOUND.rawValue { return nil }
        try gitCheck(returnCode, "open the git repository containing", path: path)
        return GitRepository(owning: out!)
    }

    /// Opens the repository whose work tree (or git directory) is exactly `path`.
    public static func open(_ path: String) throws -> GitRepository {
        GitLibrary.ensureInitialized()
        var out: OpaquePointer?
        try gitCheck(
            git_repository_open(&out, path), "open git repository", path: path,
            hint: "run `git init` there, or pass the top folder of a git work tree")
        return GitRepository(owning: out!)
    }

    /// Creates (or re-initialises) a repository at `path`, making missing folders, with HEAD on `initialBranch`.
    public static func create(at path: String, initialBranch: String = "main", bare: Bool = false) throws
        -> GitRepository
    {
        GitLibrary.ensureInitialized()
        var options = git_repository_init_options()
        try gitCheck(
            git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
            "prepare git init options")
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue | (bare ? GIT_REPOSITORY_INIT_BARE.rawValue : 0)
        var out: OpaquePointer?
        let returnCode = initialBranch.withCString { head in
            options.initial_head = head
            return git_repository_init_ext(&out, path, &options)
        }
        try gitCheck(returnCode, "create git repository", path: path)
        return GitRepository(owning: out!)
    }

    /// The repository's index, re-read from disk when another process (e.g. the git CLI) changed it.
    func index() throws -> IndexHandle {
        let handle: IndexHandle
        if let cachedIndex {
            handle = cachedIndex
        } else {
            var out: OpaquePointer?
            try gitCheck(
                git_repository_index(&out, pointer), "open the git index", path: gitDir + "/index")
            handle = IndexHandle(out!)
            cachedIndex = handle
        }
        try gitCheck(git_index_read(handle.pointer, 0), "read the git index", path: gitDir + "/index")
        return handle
    }

    /// A path relative to the work tree: accepts absolute paths inside it and a leading `./`.
    func relativePath(_ path: String) -> String {
        var result = Substring(path)
        if let workdir, result.hasPrefix(workdir + "/") {
            result = result.dropFirst(workdir.count + 1)
        }
        while result.hasPrefix("./") { result = result.dropFirst(2) }
        while result.count > 1, result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }

    private static func trimmingSlash(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}

@available(*, unavailable, message: "libgit2 handles belong to one thread; open one GitRepository per task")
extension GitRepository: Sendable {}
