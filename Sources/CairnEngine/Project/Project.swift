import CairnCore
import CairnGit
import CairnStorage
import Foundation

/// An opened DVC-compatible repository: its root, configuration, cache, state and (unless `no_scm`) git.
/// Not Sendable: it owns a libgit2 handle, which is used from one thread at a time.
public final class Project {
    /// Absolute path of the repository root (the folder holding `.dvc/`).
    public let root: String
    /// The merged configuration of all four levels.
    public let config: DVCConfig
    /// The object cache (`.dvc/cache` unless `cache.dir` says otherwise).
    public let cache: ObjectCache
    /// The git repository, nil with `core.no_scm` or outside git. Opened on first use: initialising libgit2
    /// loads the TLS certificates, which costs milliseconds that `status` and `checkout` do not need to pay.
    public var git: GitRepository? {
        get throws {
            if let loadedGit { return loadedGit.repository }
            var repository: GitRepository?
            if config.bool(section: "core", key: "no_scm") != true {
                do {
                    repository = try GitRepository.discover(from: root)
                } catch {
                    throw EngineError("cannot open the git repository at \(root): \(error)")
                }
            }
            loadedGit = LoadedGit(repository: repository)
            return repository
        }
    }

    /// A git handle once looked for (nil inside when there is none).
    private struct LoadedGit {
        let repository: GitRepository?
    }

    private var loadedGit: LoadedGit?

    /// `<root>/.dvc`.
    public var dvcDirectory: String { root + "/.dvc" }
    /// `<root>/.dvc/tmp`.
    var tmpDirectory: String { dvcDirectory + "/tmp" }
    /// Absolute cache root.
    public var cacheDirectory: String { cache.root }

    private var lazyState: StateCache?

    private init(root: String, config: DVCConfig) throws {
        self.root = root
        self.config = config
        let cacheDir = config.cacheDir.hasPrefix("/") ? config.cacheDir : root + "/" + config.cacheDir
        self.cache = ObjectCache(root: Self.normalized(cacheDir), sharedGroup: config.cacheShared != nil)
    }

    /// Opens the project containing `directory` (walking up to the nearest `.dvc/`).
    public static func open(from directory: String) throws -> Project {
        guard let root = findRoot(from: directory) else {
            throw EngineError(
                "you are not inside of a DVC repository (checked up to mount point '/')",
                hint: "Run `cairn init` in a git repository first, or pass `--cd DIR`.")
        }
        return try Project(root: root, config: try ConfigFiles.load(root: root))
    }

    /// The nearest ancestor of `directory` (itself included) that contains `.dvc/`.
    static func findRoot(from directory: String) -> String? {
        var current = normalized(directory)
        while true {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: current + "/.dvc", isDirectory: &isDirectory), isDirectory.boolValue {
                return current
            }
            if current == "/" || current.isEmpty { return nil }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current { return nil }
            current = parent
        }
    }

    /// Resolves `.`/`..` and symlinks so paths compare reliably.
    static func normalized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// cairn's state cache (inode, size, mtime → md5), loaded on first use.
    var state: StateCache {
        if let lazyState { return lazyState }
        let loaded = StateCache.load(from: tmpDirectory + "/cairn-state")
        lazyState = loaded
        return loaded
    }

    /// Saves the state cache if it was used; a failure only costs re-hashing later, so it is not fatal.
    func saveState() {
        try? lazyState?.save()
    }

    /// Runs `body` holding the repository lock (`.dvc/tmp/lock`, shared with DVC).
    public func withLock<T>(wait: Bool, _ body: () throws -> T) throws -> T {
        try FileSystem.makeDirectories(tmpDirectory)
        let lock = try RepoLock.acquire(dvcDirectory: dvcDirectory, wait: wait)
        defer { lock.release() }
        return try body()
    }

    /// Turns a command-line path (relative to `cwd` or absolute) into a repo-relative path.
    /// Refuses paths outside the repository and inside `.dvc/` or `.git/`.
    func repoRelative(_ path: String, cwd: String, allowControlDirectories: Bool = false) throws -> String {
        let absolute = path.hasPrefix("/") ? path : cwd + "/" + path
        let standardized = URL(fileURLWithPath: absolute).standardizedFileURL.path
        // Resolve symlinks of the parent only: the target itself may be a symlink the user wants tracked.
        let parent = Self.normalized((standardized as NSString).deletingLastPathComponent)
        let name = (standardized as NSString).lastPathComponent
        let resolved = name == "/" ? parent : (parent == "/" ? "/" + name : parent + "/" + name)
        guard resolved == root || resolved.hasPrefix(root + "/") else {
            throw EngineError("'\(path)' is outside of the repository at \(root)",
                              hint: "Only data inside the repository can be tracked; copy it in first (or use `cairn add -o PATH`).")
        }
        let relative = resolved == root ? "" : String(resolved.dropFirst(root.count + 1))
        if !allowControlDirectories && RepoPath.isInsideControlDirectory(relative) {
            throw EngineError("'\(path)' is inside \(relative.hasPrefix(".git") ? ".git" : ".dvc")/, which cairn never tracks")
        }
        return relative
    }

    /// A repo-relative path as the user sees it from `cwd` (for messages and listings).
    func display(_ relative: String, cwd: String) -> String {
        let cwdRelative = cwd == root ? "" : (cwd.hasPrefix(root + "/") ? String(cwd.dropFirst(root.count + 1)) : nil)
        guard let cwdRelative else { return root + "/" + relative }
        return RepoPath.relative(relative, from: cwdRelative)
    }

    /// Absolute path of a repo-relative path.
    func absolute(_ relative: String) -> String {
        relative.isEmpty ? root : root + "/" + relative
    }
}
