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

/// Recursive directory walk. A first pass reads directories (readdir + d_type, no stat of regular files); a
/// second pass stats the files with `fstatat` on several threads, since on this kind of machine the per-file
/// stat system call is the whole cost. Symlinks are followed (to files and to directories, skipping links back to
/// an ancestor). The ignore predicate is asked once per entry with its repo-relative path and whether it is a
/// directory, possibly from several threads; an ignored directory is not entered.
public enum WorkspaceWalker {
    /// A predicate `(repo-relative path, its last component, isDirectory) -> ignored`.
    public typealias IgnorePredicate = @Sendable (_ path: String, _ name: String, _ isDirectory: Bool) -> Bool

    /// Walks the directory at `directory` (absolute, or relative to the working directory), naming entries
    /// `prefix/relative` (`prefix` is the directory's repo-relative path, "" for the repo root).
    public static func walk(_ directory: String, prefix: String, ignore: IgnorePredicate? = nil,
                            threads: Int = ParallelHasher.defaultThreads) throws(StorageError) -> WalkResult {
        var scan = Scan(ignore: ignore)
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw StorageError(operation: "walk", path: directory, errno: errno) }
        try scan.read(fd: fd, absolute: directory, relative: prefix, ancestors: [])

        let prefixLength = prefix.isEmpty ? 0 : prefix.utf8.count + 1
        let pending = scan.pending
        let directories = scan.directoryTable
        let slots = ResultSlots<WalkedFile>(count: pending.count)
        // Small walks are not worth waking a second thread.
        let workers = pending.count < 2_048 ? 1 : threads
        try ParallelLoop.run(count: pending.count, threads: workers, batch: 512, makeWorker: { OpenDirectory() }) {
            current, range throws(StorageError) in
            for index in range {
                let item = pending[index]
                let place = directories[item.directory]
                let path = place.relative.isEmpty ? item.name : place.relative + "/" + item.name
                if let ignore, ignore(path, item.name, false) { continue }
                if let known = item.symlinkTarget {
                    slots[index] = WalkedFile(path: path, stat: known, isSymlink: true, prefixLength: prefixLength)
                    continue
                }
                guard let dfd = try current.descriptor(for: item.directory, path: place.absolute) else { continue }
                var raw = Glibc.stat()
                if fstatat(dfd, item.name, &raw, AT_SYMLINK_NOFOLLOW) != 0 {
                    if errno == ENOENT { continue }
                    throw StorageError(operation: "stat", path: joinPath(place.absolute, item.name), errno: errno)
                }
                let stat = FileStat(raw)
                // Replaced by something else since the directory was read: not a file any more.
                guard stat.kind == .file else { continue }
                slots[index] = WalkedFile(path: path, stat: stat, isSymlink: false, prefixLength: prefixLength)
            }
        }
        var result = scan.result
        result.files = slots.compacted()
        return result
    }

    private struct DeviceInode: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private struct Place: Sendable {
        var absolute: String
        var relative: String
    }

    private struct PendingFile: Sendable {
        var directory: Int
        var name: String
        /// For a symlink to a file: the target's stat, taken in the first pass.
        var symlinkTarget: FileStat?
    }

    /// A worker's open directory for `fstatat`, kept while consecutive files share it.
    private final class OpenDirectory {
        private var index = -1
        private var fd: Int32 = -1

        deinit {
            if fd >= 0 { closeQuietly(fd) }
        }

        func descriptor(for directory: Int, path: String) throws(StorageError) -> Int32? {
            if directory == index { return fd >= 0 ? fd : nil }
            if fd >= 0 { closeQuietly(fd) }
            index = directory
            fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd < 0 {
                if errno == ENOENT || errno == ENOTDIR { return nil }
                throw StorageError(operation: "walk", path: path, errno: errno)
            }
            return fd
        }
    }

    /// The first pass: directory structure, symlinks, and the list of regular files still to stat.
    private struct Scan {
        let ignore: IgnorePredicate?
        var result = WalkResult()
        var directoryTable: [Place] = []
        var pending: [PendingFile] = []

        init(ignore: IgnorePredicate?) {
            self.ignore = ignore
        }

        /// Reads the directory open at `fd` (taking ownership of it), then the directories below it.
        mutating func read(fd: Int32, absolute: String, relative: String,
                           ancestors: [DeviceInode]) throws(StorageError) {
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
            let lineage = ancestors + [DeviceInode(device: UInt64(own.st_dev), inode: UInt64(own.st_ino))]
            let directoryIndex = directoryTable.count
            directoryTable.append(Place(absolute: absolute, relative: relative))
            // Sub-directories are read after this one: one open descriptor per level of depth.
            var subdirectories: [(name: String, path: String, follow: Bool)] = []
            defer { closedir(dir) }
            let dfd = dirfd(dir)

            while true {
                errno = 0
                guard let entry = readdir(dir) else {
                    if errno != 0 { throw StorageError(operation: "walk", path: absolute, errno: errno) }
                    break
                }
                guard let name = DirectoryReader.name(of: entry) else { continue }
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
                    pending.append(PendingFile(directory: directoryIndex, name: name, symlinkTarget: nil))
                case .directory:
                    let path = relative.isEmpty ? name : relative + "/" + name
                    if let ignore, ignore(path, name, true) { continue }
                    subdirectories.append((name, path, false))
                case .symlink:
                    let path = relative.isEmpty ? name : relative + "/" + name
                    if fstatat(dfd, name, &raw, 0) != 0 {
                        let code = errno
                        if code == ENOENT || code == ENOTDIR || code == ELOOP {
                            if let ignore, ignore(path, name, false) { continue }
                            result.danglingSymlinks.append(path)
                            continue
                        }
                        throw StorageError(operation: "stat", path: joinPath(absolute, name), errno: code)
                    }
                    let target = FileStat(raw)
                    switch target.kind {
                    case .file:
                        pending.append(PendingFile(directory: directoryIndex, name: name, symlinkTarget: target))
                    case .directory:
                        if let ignore, ignore(path, name, true) { continue }
                        if lineage.contains(DeviceInode(device: target.device, inode: target.inode)) {
                            result.loops.append(path)
                            continue
                        }
                        subdirectories.append((name, path, true))
                    default:
                        continue
                    }
                case .other:
                    continue
                }
            }

            for subdirectory in subdirectories {
                let childAbsolute = joinPath(absolute, subdirectory.name)
                let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (subdirectory.follow ? 0 : O_NOFOLLOW)
                let child = openat(dfd, subdirectory.name, flags)
                if child < 0 {
                    if errno == ENOENT { continue }
                    throw StorageError(operation: "walk", path: childAbsolute, errno: errno)
                }
                result.directories.append(subdirectory.path)
                try read(fd: child, absolute: childAbsolute, relative: subdirectory.path, ancestors: lineage)
            }
        }
    }
}
