import CairnCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A throw-away git work tree in a temp sandbox, with a hermetic environment for every program run in it:
/// HOME, git and DVC config, DVC's site cache all inside the sandbox, fixed git identities and dates.
///
/// Layout: `<sandbox>/repo` is the work tree (`root`); `<sandbox>/home`, `<sandbox>/dvc-global`,
/// `<sandbox>/dvc-system`, `<sandbox>/site-cache` hold the per-user state; anything else in `<sandbox>` is
/// "outside the repository" and free for tests that check nothing escapes it. Nothing here changes the test
/// process's own directory or environment.
public final class TestRepo {
    /// The sandbox; removed when the value is released.
    public let temp: TemporaryDirectory
    /// The sandbox's absolute path.
    public var sandbox: String { temp.path }
    /// The git work tree (absolute).
    public let root: String
    /// HOME of every child process.
    public let home: String
    /// The environment every child process gets (PATH is the test process's).
    public let environment: [String: String]

    /// The fixed commit date (2024-01-01T00:00:00Z) of every commit made here.
    public static let gitDate = "@1704067200 +0000"

    /// Makes the sandbox and, unless `git` is false, runs `git init -b main` in `root`.
    public init(git: Bool = true, prefix: String = "cairn-e2e") throws {
        temp = try TemporaryDirectory(prefix: prefix)
        root = temp.path("repo")
        home = temp.path("home")
        for folder in [root, home, home + "/.config", temp.path("dvc-global"), temp.path("dvc-system")] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let inherited = ProcessInfo.processInfo.environment
        environment = [
            "PATH": inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": home,
            "XDG_CONFIG_HOME": home + "/.config",
            "XDG_CACHE_HOME": home + "/.cache",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "SHELL": "/bin/sh",
            "TMPDIR": "/tmp",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Ada Author",
            "GIT_AUTHOR_EMAIL": "ada@example.com",
            "GIT_COMMITTER_NAME": "Carl Committer",
            "GIT_COMMITTER_EMAIL": "carl@example.com",
            "GIT_AUTHOR_DATE": Self.gitDate,
            "GIT_COMMITTER_DATE": Self.gitDate,
            "DVC_NO_ANALYTICS": "1",
            "DVC_SITE_CACHE_DIR": temp.path("site-cache"),
            "DVC_GLOBAL_CONFIG_DIR": temp.path("dvc-global"),
            "DVC_SYSTEM_CONFIG_DIR": temp.path("dvc-system"),
        ]
        if git { try gitOK("init", "-q", "-b", "main") }
    }

    // MARK: - Running programs

    /// Runs the built `cairn` in `root` (or `cwd`, relative to `root` unless absolute).
    public func cairn(_ arguments: String..., stdin: String? = nil, cwd: String? = nil) throws -> ProcessResult {
        try cairn(arguments: arguments, stdin: stdin, cwd: cwd)
    }

    /// `cairn(…)` with an argument array and a timeout.
    public func cairn(
        arguments: [String], stdin: String? = nil, cwd: String? = nil, timeout: Double = 120
    ) throws -> ProcessResult {
        try run(Binaries.cairn(), arguments, stdin: stdin, cwd: cwd, timeout: timeout)
    }

    /// Starts `cairn` in the background (kill and lock tests).
    public func startCairn(_ arguments: [String], stdin: String? = nil, cwd: String? = nil) throws
        -> RunningProcess
    {
        try start(Binaries.cairn(), arguments, stdin: stdin, cwd: cwd)
    }

    /// Runs the real DVC (interop tests) in `root` (or `cwd`).
    public func dvc(_ arguments: String..., stdin: String? = nil, cwd: String? = nil) throws -> ProcessResult {
        try dvc(arguments: arguments, stdin: stdin, cwd: cwd)
    }

    /// `dvc(…)` with an argument array.
    public func dvc(arguments: [String], stdin: String? = nil, cwd: String? = nil, timeout: Double = 300) throws
        -> ProcessResult
    {
        try run(Binaries.dvc(), arguments, stdin: stdin, cwd: cwd, timeout: timeout)
    }

    /// Runs git in `root` (or `cwd`).
    public func git(_ arguments: String..., stdin: String? = nil, cwd: String? = nil) throws -> ProcessResult {
        try run("git", arguments, stdin: stdin, cwd: cwd)
    }

    /// Runs git and returns its standard output; throws (with everything it printed) when it fails.
    @discardableResult
    public func gitOK(_ arguments: String..., cwd: String? = nil) throws -> String {
        try ok(run("git", arguments, cwd: cwd)).stdout
    }

    /// Stages everything (`git add -A`) and commits; returns the new commit's id.
    @discardableResult
    public func commitAll(_ message: String) throws -> String {
        try gitOK("add", "-A")
        try gitOK("commit", "-q", "--allow-empty", "-m", message)
        return try gitOK("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs any program (a name on PATH or an absolute path) with this repo's environment.
    public func run(
        _ executable: String, _ arguments: [String], stdin: String? = nil, cwd: String? = nil,
        environment extra: [String: String] = [:], timeout: Double = 120
    ) throws -> ProcessResult {
        try ProcessRunner.run(
            executable, arguments, cwd: directory(cwd), environment: environment.merging(extra) { $1 },
            stdin: stdin.map { Array($0.utf8) }, timeout: timeout)
    }

    /// Starts any program in the background with this repo's environment.
    public func start(
        _ executable: String, _ arguments: [String], stdin: String? = nil, cwd: String? = nil,
        environment extra: [String: String] = [:]
    ) throws -> RunningProcess {
        try ProcessRunner.start(
            executable, arguments, cwd: directory(cwd), environment: environment.merging(extra) { $1 },
            stdin: stdin.map { Array($0.utf8) })
    }

    /// `result` itself when it succeeded; otherwise throws with the command and all it printed.
    @discardableResult
    public func ok(_ result: ProcessResult) throws -> ProcessResult {
        guard result.succeeded else { throw TestSupportError("command failed:\n\(result)") }
        return result
    }

    /// `cairn init` (plain, or `--no-scm`); throws when it fails.
    public func initCairn(_ extra: String...) throws {
        try ok(cairn(arguments: ["init"] + extra))
    }

    /// `dvc init`; throws when it fails.
    public func initDVC(_ extra: String...) throws {
        try ok(dvc(arguments: ["init", "-q"] + extra))
    }

    private func directory(_ cwd: String?) -> String {
        guard let cwd else { return root }
        return cwd.hasPrefix("/") ? cwd : path(cwd)
    }

    // MARK: - Files

    /// Absolute path of a path relative to `root` (absolute paths are returned as they are).
    public func path(_ relative: String) -> String {
        if relative.hasPrefix("/") { return relative }
        return relative.isEmpty || relative == "." ? root : root + "/" + relative
    }

    /// Writes a text file (creating folders); `mode` sets its permission bits.
    public func write(_ relative: String, _ text: String, mode: mode_t? = nil) throws {
        try write(relative, bytes: Array(text.utf8), mode: mode)
    }

    /// Writes a file's bytes (creating folders, replacing a read-only file); `mode` sets its permission bits.
    public func write(_ relative: String, bytes: [UInt8], mode: mode_t? = nil) throws {
        let full = path(relative)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var info = stat()
        if lstat(full, &info) == 0 && info.st_mode & S_IFMT != S_IFDIR {
            // Replace rather than write through: the old file may be a read-only link into the cache.
            unlink(full)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        if let mode { try chmod(relative, mode) }
    }

    /// Overwrites a file in place (same inode), e.g. to corrupt a cache object; makes it writable first and
    /// restores its permission bits afterwards.
    public func overwriteInPlace(_ relative: String, _ text: String) throws {
        let full = path(relative)
        let old = try mode(relative)
        try chmod(relative, old | 0o200)
        guard let handle = FileHandle(forUpdatingAtPath: full) else {
            throw TestSupportError("cannot open \(full) for writing")
        }
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
        try chmod(relative, old)
    }

    /// Reads a file as UTF-8 text.
    public func read(_ relative: String) throws -> String {
        String(decoding: try bytes(relative), as: UTF8.self)
    }

    /// Reads a file's bytes.
    public func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }

    /// True when something (file, folder, symlink — even a dangling one) exists at the path.
    public func exists(_ relative: String) -> Bool {
        var info = stat()
        return lstat(path(relative), &info) == 0
    }

    /// True for a regular file (not following symlinks).
    public func isFile(_ relative: String) -> Bool { kind(relative) == S_IFREG }
    /// True for a directory (not following symlinks).
    public func isDirectory(_ relative: String) -> Bool { kind(relative) == S_IFDIR }
    /// True for a symbolic link.
    public func isSymlink(_ relative: String) -> Bool { kind(relative) == S_IFLNK }

    private func kind(_ relative: String) -> mode_t? {
        var info = stat()
        guard lstat(path(relative), &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// What a symbolic link points to.
    public func symlinkTarget(_ relative: String) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: path(relative))
    }

    /// Creates a symbolic link at `relative` pointing to `target` (taken as written).
    public func symlink(_ relative: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path(relative), withDestinationPath: target)
    }

    /// Removes a file or a whole tree (read-only files and folders included); no error when it is absent.
    public func remove(_ relative: String) throws {
        let full = path(relative)
        guard exists(relative) else { return }
        if isDirectory(relative) {
            // Like `rm -rf`: only directories need to be writable; chmod-ing files would also change cache
            // objects that hard links share.
            _ = try ok(run("find", [full, "-type", "d", "-exec", "chmod", "u+rwx", "{}", "+"]))
        }
        try FileManager.default.removeItem(atPath: full)
    }

    /// Creates a folder (and its parents).
    public func makeDirectory(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
    }

    /// Permission bits (`st_mode & 0o7777`) of the file itself (symlinks not followed).
    public func mode(_ relative: String) throws -> mode_t {
        try status(relative).st_mode & 0o7777
    }

    /// Sets permission bits.
    public func chmod(_ relative: String, _ mode: mode_t) throws {
        guard Glibc.chmod(path(relative), mode) == 0 else {
            throw TestSupportError("chmod \(String(mode, radix: 8)) \(path(relative)) failed: errno \(errno)")
        }
    }

    /// Inode number (symlinks not followed).
    public func inode(_ relative: String) throws -> UInt64 {
        UInt64(try status(relative).st_ino)
    }

    /// Hard-link count.
    public func linkCount(_ relative: String) throws -> UInt64 {
        UInt64(try status(relative).st_nlink)
    }

    /// Modification time in nanoseconds since the epoch.
    public func mtimeNanoseconds(_ relative: String) throws -> Int {
        let info = try status(relative)
        return info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec
    }

    /// Sets a file's modification (and access) time, in whole seconds since the epoch.
    public func setMtime(_ relative: String, seconds: Int) throws {
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        guard utimensat(AT_FDCWD, path(relative), &times, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw TestSupportError("cannot set the mtime of \(path(relative)): errno \(errno)")
        }
    }

    /// `lstat` of a path; throws when it does not exist.
    public func status(_ relative: String) throws -> stat {
        var info = stat()
        guard lstat(path(relative), &info) == 0 else {
            throw TestSupportError("no such file: \(path(relative))")
        }
        return info
    }

    /// Lowercase hex MD5 of a file's bytes (following symlinks).
    public func md5(_ relative: String) throws -> String {
        ObjectID.md5(of: try bytes(relative)).hex
    }

    /// Regular files and symlinks under a folder (recursively), as sorted paths relative to that folder.
    public func files(under relative: String = "") throws -> [String] {
        let base = path(relative)
        guard let enumerator = FileManager.default.enumerator(atPath: base) else {
            throw TestSupportError("cannot list \(base)")
        }
        var result: [String] = []
        while let next = enumerator.nextObject() as? String {
            var info = stat()
            guard lstat(base + "/" + next, &info) == 0 else { continue }
            let type = info.st_mode & S_IFMT
            if type == S_IFREG || type == S_IFLNK { result.append(next) }
        }
        return result.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Every regular file under a folder with its bytes (relative paths), for comparing trees.
    public func tree(_ relative: String) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        let prefix = relative.isEmpty ? "" : relative + "/"
        for file in try files(under: relative) { result[file] = try bytes(prefix + file) }
        return result
    }

    /// Copies a fixture folder's contents (e.g. `01-add/workspace`) into `relative` (default: the work tree),
    /// keeping executable bits and making everything writable (the fixtures are stored read-only).
    public func copyFixture(_ fixture: String, to relative: String = "") throws {
        let destination = path(relative)
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        try ok(run("cp", ["-R", Fixtures.file(fixture).path + "/.", destination]))
        try ok(run("chmod", ["-R", "u+w", destination]))
    }

    // MARK: - The cache

    /// Absolute path of the cache object for `id` (`hex` or `hex.dir`) under `.dvc/cache/files/md5`.
    public func cacheObjectPath(_ id: String) -> String {
        let start = id.index(id.startIndex, offsetBy: 2)
        return root + "/.dvc/cache/files/md5/\(id[..<start])/\(id[start...])"
    }

    /// Repo-relative path of the cache object for `id`.
    public func cacheObjectRelativePath(_ id: String) -> String {
        String(cacheObjectPath(id).dropFirst(root.count + 1))
    }

    /// The ids (`hex` or `hex.dir`) of every well-named object under `.dvc/cache/files/md5`, sorted; files that
    /// are not named like objects (temp files) are left out.
    public func cacheObjects() throws -> [String] {
        let base = root + "/.dvc/cache/files/md5"
        guard FileManager.default.fileExists(atPath: base) else { return [] }
        var ids: [String] = []
        for shard in try FileManager.default.contentsOfDirectory(atPath: base) where Self.isHex(shard, count: 2) {
            for name in try FileManager.default.contentsOfDirectory(atPath: base + "/" + shard) {
                let stem = name.hasSuffix(".dir") ? String(name.dropLast(4)) : name
                if Self.isHex(stem, count: 30) { ids.append(shard + name) }
            }
        }
        return ids.sorted()
    }

    /// Every file under `.dvc/cache/files/md5` (also temp files), relative to that folder.
    public func cacheFiles() throws -> [String] {
        guard exists(".dvc/cache/files/md5") else { return [] }
        return try files(under: ".dvc/cache/files/md5")
    }

    /// The objects whose bytes do not hash to their name (a `.dir` object hashes to its name without `.dir`).
    public func corruptCacheObjects() throws -> [String] {
        try cacheObjects().filter { id in
            let data = try Data(contentsOf: URL(fileURLWithPath: cacheObjectPath(id)))
            return ObjectID.md5(of: data).hex != (id.hasSuffix(".dir") ? String(id.dropLast(4)) : id)
        }
    }

    private static func isHex(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    // MARK: - Snapshots

    /// One file system entry as seen by `snapshot`.
    public struct Entry: Equatable, Sendable, CustomStringConvertible {
        /// `file`, `dir` or `link`.
        public var kind: String
        /// Permission bits.
        public var mode: mode_t
        /// MD5 of the content (files), the target (links), empty for folders.
        public var content: String
        /// Modification time in nanoseconds (files only; 0 otherwise).
        public var mtime: Int
        /// Inode (files only; 0 otherwise).
        public var inode: UInt64

        /// Kind, octal mode and content digest.
        public var description: String { "\(kind) \(String(mode, radix: 8)) \(content) mtime=\(mtime) ino=\(inode)" }
    }

    /// Every entry under `relative` (default: the whole sandbox) except the folders named in `excluding`
    /// (paths relative to `relative`), to prove a refused command changed nothing.
    public func snapshot(_ relative: String = "", excluding: [String] = []) throws -> [String: Entry] {
        let base = relative.isEmpty ? sandbox : path(relative)
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [:] }
        var result: [String: Entry] = [:]
        while let next = enumerator.nextObject() as? String {
            if excluding.contains(where: { next == $0 || next.hasPrefix($0 + "/") }) {
                enumerator.skipDescendants()
                continue
            }
            var info = stat()
            let full = base + "/" + next
            guard lstat(full, &info) == 0 else { continue }
            let mode = info.st_mode & 0o7777
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                result[next] = Entry(kind: "dir", mode: mode, content: "", mtime: 0, inode: 0)
            case S_IFLNK:
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? ""
                result[next] = Entry(kind: "link", mode: 0, content: target, mtime: 0, inode: 0)
            default:
                let data = (try? Data(contentsOf: URL(fileURLWithPath: full))) ?? Data()
                result[next] = Entry(
                    kind: "file", mode: mode, content: ObjectID.md5(of: data).hex,
                    mtime: info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec, inode: UInt64(info.st_ino))
            }
        }
        return result
    }

    /// The differences between two snapshots, one line per path (empty when equal).
    public static func differences(_ before: [String: Entry], _ after: [String: Entry]) -> [String] {
        var lines: [String] = []
        for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
            lines.append("\(key): \(before[key]?.description ?? "absent") -> \(after[key]?.description ?? "absent")")
        }
        return lines
    }
}
