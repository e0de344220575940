import Glibc

/// A regular file found by a walk.
public struct WalkedFile: Sendable, Hashable {
    /// Repo-relative path (`prefix/relative`), `/`-separated.
    public var path: String
    /// The file's stat; for a symlink, the stat of its target (the bytes DVC hashes).
    public var stat: FileStat
    /// True when the entry is a symlink to a regular file.
    public var isSymlink: Bool
    /// UTF-8 length of the prefix including its trailing `/` (0 when walking the repo root).
    let prefixLength: Int

    /// Creates a walked file (mostly for tests and callers that stat single files).
    public init(path: String, stat: FileStat, isSymlink: Bool = false, prefixLength: Int = 0) {
        self.path = path
        self.stat = stat
        self.isSymlink = isSymlink
        self.prefixLength = prefixLength
    }

    /// The path relative to the walked directory (a manifest `relpath`).
    public var relativePath: Substring {
        let utf8 = path.utf8
        return Substring(utf8[utf8.index(utf8.startIndex, offsetBy: prefixLength)...])
    }
}

/// Everything a walk found.
public struct WalkResult: Sendable {
    /// Regular files (and symlinks to regular files), in no particular order.
    public var files: [WalkedFile] = []
    /// Repo-relative paths of the directories walked below the root (not ignored ones), in no particular order.
    public var directories: [String] = []
    /// Repo-relative paths of symlinks whose target does not exist (DVC cannot hash them; the caller decides).
    public var danglingSymlinks: [String] = []
    /// Repo-relative paths of symlinks to directories not followed because they would loop.
    public var loops: [String] = []
}

/// Recursive directory walk with readdir + d_type: only files are stat'ed. Symlinks are followed (to files and
/// to directories, skipping links back to an ancestor). The ignore predicate is asked once per entry with its
/// repo-relative path and whether it is a directory; an ignored directory is not entered.
public enum WorkspaceWalker {
    /// A predicate `(repo-relative path, isDirectory) -> ignored`.
    public typealias IgnorePredicate = @Sendable (String, Bool) -> Bool

    /// Walks the directory at `directory` (absolute, or relative to the working directory), naming entries
    /// `prefix/relative` (`prefix` is the directory's repo-relative path, "" for the repo root).
    public static func walk(_ directory: String, prefix: String,
                            ignore: IgnorePredicate? = nil) throws(StorageError) -> WalkResult {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw StorageError(operation: "walk", path: directory, errno: errno) }
        var walker = Walker(ignore: ignore, prefixLength: prefix.isEmpty ? 0 : prefix.utf8.count + 1)
        try walker.walk(fd: fd, absolute: directory, relative: prefix)
        return walker.result
    }

    private struct DeviceInode: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private struct Walker {
        let ignore: IgnorePredicate?
        let prefixLength: Int
        var result = WalkResult()
        var ancestors: [DeviceInode] = []

        init(ignore: IgnorePredicate?, prefixLength: Int) {
            self.ignore = ignore
            self.prefixLength = prefixLength
        }

        /// Walks the directory open at `fd` (taking ownership of it).
        mutating func walk(fd: Int32, absolute: String, relative: String) throws(StorageError) {
            var own = Glibc.stat()
            if fstat(fd, &own) != 0 {
                let code = errno
                closeQuietly(fd)
                throw StorageError(operation: "walk", path: absolute, errno: code)
            }
            guard let dir = fdopendir(fd) else {
                let code = errno
                closeQuietly(fd)
                throw StorageError(operation: "walk", path: absolute, errno: code)
            }
            defer { closedir(dir) }
            ancestors.append(DeviceInode(device: UInt64(own.st_dev), inode: UInt64(own.st_ino)))
            defer { ancestors.removeLast() }
            let dfd = dirfd(dir)

            while true {
                errno = 0
                guard let entry = readdir(dir) else {
                    if errno != 0 { throw StorageError(operation: "walk", path: absolute, errno: errno) }
                    break
                }
                guard let name = DirectoryReader.name(of: entry) else { continue }
                let path = relative.isEmpty ? name : relative + "/" + name
                var kind = DirectoryReader.kind(of: entry)
                var raw = Glibc.stat()
                if kind == nil {
                    if fstatat(dfd, name, &raw, AT_SYMLINK_NOFOLLOW) != 0 {
                        if errno == ENOENT { continue }
                        throw StorageError(operation: "stat", path: joinPath(absolute, name), errno: errno)
                    }
                    kind = FileStat.kind(ofMode: UInt32(raw.st_mode))
                }
                switch kind! {
                case .file:
                    if let ignore, ignore(path, false) { continue }
                    if fstatat(dfd, name, &raw, AT_SYMLINK_NOFOLLOW) != 0 {
                        if errno == ENOENT { continue }
                        throw StorageError(operation: "stat", path: joinPath(absolute, name), errno: errno)
                    }
                    result.files.append(WalkedFile(path: path, stat: FileStat(raw), isSymlink: false,
                                                   prefixLength: prefixLength))
                case .directory:
                    if let ignore, ignore(path, true) { continue }
                    try descend(parent: dfd, name: name, absolute: joinPath(absolute, name), relative: path,
                                identity: nil)
                case .symlink:
                    if fstatat(dfd, name, &raw, 0) != 0 {
                        let code = errno
                        if code == ENOENT || code == ENOTDIR || code == ELOOP {
                            if let ignore, ignore(path, false) { continue }
                            result.danglingSymlinks.append(path)
                            continue
                        }
                        throw StorageError(operation: "stat", path: joinPath(absolute, name), errno: code)
                    }
                    let target = FileStat(raw)
                    switch target.kind {
                    case .file:
                        if let ignore, ignore(path, false) { continue }
                        result.files.append(WalkedFile(path: path, stat: target, isSymlink: true,
                                                       prefixLength: prefixLength))
                    case .directory:
                        if let ignore, ignore(path, true) { continue }
                        let identity = DeviceInode(device: target.device, inode: target.inode)
                        if ancestors.contains(identity) {
                            result.loops.append(path)
                            continue
                        }
                        try descend(parent: dfd, name: name, absolute: joinPath(absolute, name), relative: path,
                                    identity: identity)
                    default:
                        continue
                    }
                case .other:
                    continue
                }
            }
        }

        private mutating func descend(parent: Int32, name: String, absolute: String, relative: String,
                                      identity: DeviceInode?) throws(StorageError) {
            let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (identity == nil ? O_NOFOLLOW : 0)
            let fd = openat(parent, name, flags)
            if fd < 0 {
                if errno == ENOENT { return }
                throw StorageError(operation: "walk", path: absolute, errno: errno)
            }
            result.directories.append(relative)
            try walk(fd: fd, absolute: absolute, relative: relative)
        }
    }
}
