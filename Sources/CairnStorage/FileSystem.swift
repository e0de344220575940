import Glibc

/// One entry of a directory listing.
public struct DirectoryEntry: Sendable, Hashable {
    /// The entry's name (no directory part).
    public var name: String
    /// Its type as the directory reports it (symlinks are not followed).
    public var kind: FileKind
}

/// Thin, fast wrappers over POSIX calls; every failure becomes a `StorageError` naming the path.
public enum FileSystem {
    /// `stat(2)` following symlinks; nil when the path (or its target) does not exist.
    public static func stat(_ path: String) throws(StorageError) -> FileStat? {
        var raw = Glibc.stat()
        if systemStat(path, &raw) == 0 { return FileStat(raw) }
        let code = errno
        if code == ENOENT || code == ENOTDIR { return nil }
        throw StorageError(operation: "stat", path: path, errno: code)
    }

    /// `lstat(2)`: a symlink is reported as itself; nil when the path does not exist.
    public static func lstat(_ path: String) throws(StorageError) -> FileStat? {
        var raw = Glibc.stat()
        if Glibc.lstat(path, &raw) == 0 { return FileStat(raw) }
        let code = errno
        if code == ENOENT || code == ENOTDIR { return nil }
        throw StorageError(operation: "stat", path: path, errno: code)
    }

    /// Whether something (even a dangling symlink) exists at the path.
    public static func exists(_ path: String) -> Bool {
        var raw = Glibc.stat()
        return Glibc.lstat(path, &raw) == 0
    }

    /// Whether a directory (or a symlink to one) exists at the path.
    public static func isDirectory(_ path: String) -> Bool {
        var raw = Glibc.stat()
        return systemStat(path, &raw) == 0 && UInt32(raw.st_mode) & UInt32(S_IFMT) == UInt32(S_IFDIR)
    }

    /// Reads a whole file.
    public static func readFile(_ path: String) throws(StorageError) -> [UInt8] {
        let fd = try openForReading(path)
        defer { closeQuietly(fd) }
        var raw = Glibc.stat()
        guard fstat(fd, &raw) == 0 else { throw StorageError(operation: "stat", path: path, errno: errno) }
        // One spare byte so that a file which grew since fstat is noticed without reallocating first.
        var bytes = [UInt8](repeating: 0, count: max(Int(raw.st_size), 0) + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if got > 0 { filled += got; continue }
            if got == 0 { break }
            if errno == EINTR { continue }
            throw StorageError(operation: "read", path: path, errno: errno)
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    /// Opens a file read-only (close-on-exec); the caller closes the descriptor.
    public static func openForReading(_ path: String) throws(StorageError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw StorageError(operation: "open", path: path, errno: errno) }
        return fd
    }

    /// Writes a file whole: a temp file in the same directory, then `rename(2)` over the target (no fsync).
    /// `mode` nil keeps an existing file's permissions, or uses 0666 minus the umask for a new file.
    public static func writeFileAtomically(_ bytes: [UInt8], to path: String, mode: UInt32? = nil) throws(StorageError) {
        let directory = parentDirectory(path)
        var permissions = mode
        if permissions == nil, let existing = try? lstat(path), existing.kind == .file {
            permissions = existing.mode
        }
        let (fd, temp) = try createTemporaryFile(in: directory)
        do throws(StorageError) {
            try writeAll(fd, bytes, path: temp)
            if let permissions, fchmod(fd, mode_t(permissions)) != 0 {
                throw StorageError(operation: "set the mode of", path: temp, errno: errno)
            }
        } catch {
            closeQuietly(fd)
            unlink(temp)
            throw error
        }
        if close(fd) != 0 {
            let code = errno
            unlink(temp)
            throw StorageError(operation: "write", path: temp, errno: code)
        }
        if Glibc.rename(temp, path) != 0 {
            let code = errno
            unlink(temp)
            throw StorageError(operation: "replace", path: path, errno: code)
        }
    }

    /// Creates a new temp file (`.cairn-<hex>.tmp`, mode 0666 minus umask) in a directory; returns its descriptor and path.
    public static func createTemporaryFile(in directory: String, permissions: UInt32 = 0o666) throws(StorageError) -> (fd: Int32, path: String) {
        while true {
            let path = joinPath(directory, TemporaryName.make())
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(permissions))
            if fd >= 0 { return (fd, path) }
            let code = errno
            if code == EEXIST { continue }
            throw StorageError(operation: "create a file in", path: directory, errno: code)
        }
    }

    /// Writes every byte to a descriptor, retrying partial writes.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StorageError) {
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            failure = writeAll(fd, raw)
        }
        if failure != 0 { throw StorageError(operation: "write", path: path, errno: failure) }
    }

    /// Writes a buffer fully; returns 0 or the errno.
    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer) -> Int32 {
        var offset = 0
        while offset < raw.count {
            let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
            if written > 0 { offset += written; continue }
            if written < 0 && errno == EINTR { continue }
            return written < 0 ? errno : EIO
        }
        return 0
    }

    /// Creates a directory and its missing parents. With `mode`, every directory created here gets exactly that mode
    /// (e.g. 0o2775 for `cache.shared = group`); otherwise 0777 minus the umask.
    public static func makeDirectories(_ path: String, mode: UInt32? = nil) throws(StorageError) {
        if mkdir(path, 0o777) == 0 {
            if let mode, chmod(path, mode_t(mode)) != 0 {
                throw StorageError(operation: "set the mode of", path: path, errno: errno)
            }
            return
        }
        let code = errno
        switch code {
        case EEXIST:
            if isDirectory(path) { return }
            throw StorageError(operation: "create directory", path: path, reason: .system(errno: ENOTDIR),
                               message: "a file with that name exists",
                               hint: "move or remove the file '\(path)' first")
        case ENOENT:
            let parent = parentDirectory(path)
            if parent == path || parent == "." || parent == "/" {
                throw StorageError(operation: "create directory", path: path, errno: code)
            }
            try makeDirectories(parent, mode: mode)
            if mkdir(path, 0o777) != 0 {
                let again = errno
                if again == EEXIST, isDirectory(path) { return }
                throw StorageError(operation: "create directory", path: path, errno: again)
            }
            if let mode, chmod(path, mode_t(mode)) != 0 {
                throw StorageError(operation: "set the mode of", path: path, errno: errno)
            }
        default:
            throw StorageError(operation: "create directory", path: path, errno: code)
        }
    }

    /// Renames (atomically replacing a file at the destination).
    public static func rename(_ source: String, to destination: String) throws(StorageError) {
        if Glibc.rename(source, destination) != 0 {
            throw StorageError(operation: "rename '\(source)' to", path: destination, errno: errno)
        }
    }

    /// Removes a file or symlink (not a directory); returns false when it did not exist.
    @discardableResult
    public static func removeFile(_ path: String) throws(StorageError) -> Bool {
        if unlink(path) == 0 { return true }
        let code = errno
        if code == ENOENT { return false }
        throw StorageError(operation: "remove", path: path, errno: code)
    }

    /// Removes an empty directory; returns false when it did not exist or is not empty.
    @discardableResult
    public static func removeEmptyDirectory(_ path: String) throws(StorageError) -> Bool {
        if rmdir(path) == 0 { return true }
        let code = errno
        if code == ENOENT || code == ENOTEMPTY || code == EEXIST { return false }
        throw StorageError(operation: "remove directory", path: path, errno: code)
    }

    /// Sets the permission bits.
    public static func setMode(_ path: String, _ mode: UInt32) throws(StorageError) {
        if chmod(path, mode_t(mode)) != 0 {
            throw StorageError(operation: "set the mode of", path: path, errno: errno)
        }
    }

    /// Sets a file's modification (and access) time, in nanoseconds since the epoch; symlinks are followed.
    public static func setModificationTime(_ path: String, nanoseconds: Int64) throws(StorageError) {
        let spec = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        var times = (spec, spec)
        let result = withUnsafePointer(to: &times) { pair in
            pair.withMemoryRebound(to: timespec.self, capacity: 2) { utimensat(AT_FDCWD, path, $0, 0) }
        }
        if result != 0 { throw StorageError(operation: "set the modification time of", path: path, errno: errno) }
    }

    /// Creates a symlink at `path` pointing to `target` (not atomic over an existing entry).
    public static func createSymlink(at path: String, target: String) throws(StorageError) {
        if symlink(target, path) != 0 {
            throw StorageError(operation: "create symlink", path: path, errno: errno)
        }
    }

    /// The target of a symlink.
    public static func readSymlink(_ path: String) throws(StorageError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        if count < 0 { throw StorageError(operation: "read symlink", path: path, errno: errno) }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Creates a hard link at `path` to the existing file `existing`.
    public static func createHardLink(at path: String, to existing: String) throws(StorageError) {
        if link(existing, path) != 0 {
            throw StorageError(operation: "hard-link '\(existing)' to", path: path, errno: errno)
        }
    }

    /// The canonical absolute path (symlinks resolved).
    public static func realPath(_ path: String) throws(StorageError) -> String {
        guard let resolved = realpath(path, nil) else {
            throw StorageError(operation: "resolve", path: path, errno: errno)
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The process's working directory.
    public static func currentDirectory() throws(StorageError) -> String {
        guard let cwd = getcwd(nil, 0) else {
            throw StorageError(operation: "get the working directory", path: ".", errno: errno)
        }
        defer { free(cwd) }
        return String(cString: cwd)
    }

    /// Makes a path absolute against the working directory (no symlink resolution, no `..` folding).
    public static func absolutePath(_ path: String) throws(StorageError) -> String {
        if path.hasPrefix("/") { return path }
        let cwd = try currentDirectory()
        if path.isEmpty || path == "." { return cwd }
        return joinPath(cwd, path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }

    /// Whether files can be created under `path`: its file system is not mounted read-only and the
    /// directory is writable by this process.
    public static func isWritableFileSystem(_ path: String) -> Bool {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return false }
        if info.f_flag & UInt(ST_RDONLY) != 0 { return false }
        return access(path, W_OK) == 0
    }

    /// Lists a directory's entries (without `.` and `..`), in the order the file system returns them.
    public static func listDirectory(_ path: String) throws(StorageError) -> [DirectoryEntry] {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw StorageError(operation: "list", path: path, errno: errno) }
        return try listDirectory(fd: fd, path: path)
    }

    /// Lists the directory open at `fd` and closes it.
    static func listDirectory(fd: Int32, path: String) throws(StorageError) -> [DirectoryEntry] {
        guard let dir = fdopendir(fd) else {
            let code = errno
            closeQuietly(fd)
            throw StorageError(operation: "list", path: path, errno: code)
        }
        defer { closedir(dir) }
        var entries: [DirectoryEntry] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw StorageError(operation: "list", path: path, errno: errno) }
                break
            }
            guard let name = DirectoryReader.name(of: entry) else { continue }
            var kind = DirectoryReader.kind(of: entry)
            if kind == nil {
                var raw = Glibc.stat()
                if fstatat(dirfd(dir), name, &raw, AT_SYMLINK_NOFOLLOW) != 0 { continue }
                kind = FileStat.kind(ofMode: UInt32(raw.st_mode))
            }
            entries.append(DirectoryEntry(name: name, kind: kind!))
        }
        return entries
    }

    /// Removes a file, symlink or whole directory tree, including read-only files and directories.
    /// Symlinks are removed, never followed. A missing path is not an error.
    public static func removeTree(_ path: String) throws(StorageError) {
        var raw = Glibc.stat()
        if Glibc.lstat(path, &raw) != 0 {
            if errno == ENOENT { return }
            throw StorageError(operation: "remove", path: path, errno: errno)
        }
        if UInt32(raw.st_mode) & UInt32(S_IFMT) != UInt32(S_IFDIR) {
            try removeFile(path)
            return
        }
        try removeDirectoryContents(at: AT_FDCWD, name: path, path: path)
        if rmdir(path) != 0 {
            let code = errno
            if code == ENOENT { return }
            throw StorageError(operation: "remove directory", path: path, errno: code)
        }
    }

    private static func removeDirectoryContents(at parent: Int32, name: String, path: String) throws(StorageError) {
        var fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0, errno == EACCES {
            // A directory without r/x for its owner: grant them, then open again.
            _ = fchmodat(parent, name, 0o700, 0)
            fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        }
        if fd < 0 {
            if errno == ENOENT { return }
            throw StorageError(operation: "remove directory", path: path, errno: errno)
        }
        var raw = Glibc.stat()
        if fstat(fd, &raw) == 0, UInt32(raw.st_mode) & 0o700 != 0o700 {
            _ = fchmod(fd, mode_t(UInt32(raw.st_mode) & 0o7777 | 0o700))
        }
        guard let dir = fdopendir(fd) else {
            let code = errno
            closeQuietly(fd)
            throw StorageError(operation: "remove directory", path: path, errno: code)
        }
        defer { closedir(dir) }
        let dfd = dirfd(dir)
        var subdirectories: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw StorageError(operation: "list", path: path, errno: errno) }
                break
            }
            guard let child = DirectoryReader.name(of: entry) else { continue }
            var kind = DirectoryReader.kind(of: entry)
            if kind == nil {
                var childStat = Glibc.stat()
                if fstatat(dfd, child, &childStat, AT_SYMLINK_NOFOLLOW) != 0 { continue }
                kind = FileStat.kind(ofMode: UInt32(childStat.st_mode))
            }
            if kind == .directory {
                subdirectories.append(child)
            } else if unlinkat(dfd, child, 0) != 0, errno != ENOENT {
                throw StorageError(operation: "remove", path: joinPath(path, child), errno: errno)
            }
        }
        for child in subdirectories {
            let childPath = joinPath(path, child)
            try removeDirectoryContents(at: dfd, name: child, path: childPath)
            if unlinkat(dfd, child, AT_REMOVEDIR) != 0, errno != ENOENT {
                throw StorageError(operation: "remove directory", path: childPath, errno: errno)
            }
        }
    }
}

/// Decoding of `struct dirent`.
enum DirectoryReader {
    /// The entry's name, or nil for `.` and `..`.
    @inline(__always)
    static func name(of entry: UnsafeMutablePointer<dirent>) -> String? {
        withUnsafePointer(to: &entry.pointee.d_name) { tuple in
            tuple.withMemoryRebound(to: UInt8.self, capacity: 256) { bytes -> String? in
                if bytes[0] == UInt8(ascii: ".") {
                    if bytes[1] == 0 { return nil }
                    if bytes[1] == UInt8(ascii: "."), bytes[2] == 0 { return nil }
                }
                return String(cString: bytes)
            }
        }
    }

    /// The type from `d_type`, or nil when the file system does not report it.
    @inline(__always)
    static func kind(of entry: UnsafeMutablePointer<dirent>) -> FileKind? {
        switch Int32(entry.pointee.d_type) {
        case Int32(DT_REG): return .file
        case Int32(DT_DIR): return .directory
        case Int32(DT_LNK): return .symlink
        case Int32(DT_UNKNOWN): return nil
        default: return .other
        }
    }
}
