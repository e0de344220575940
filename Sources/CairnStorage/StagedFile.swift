import Glibc
import Synchronization

/// A new file being written before it gets its final name. Where the file system allows it this is an unnamed
/// `O_TMPFILE` inode, which gets its name in one `linkat(2)` once complete (a crash leaves nothing at all);
/// elsewhere it is a named temp file in the same directory, renamed into place.
struct StagedFile {
    /// The open descriptor (write-only, or read-write when asked for).
    let fd: Int32
    /// The directory the file was created in.
    let directory: String
    /// The temp file's path when it has one (the fallback), nil for an unnamed file.
    let temporaryPath: String?

    /// `O_TMPFILE` = `__O_TMPFILE | O_DIRECTORY`; Glibc's Swift module leaves the macro out.
    static let tmpfileFlag: Int32 = 0o20_000_000 | O_DIRECTORY

    /// `AT_EMPTY_PATH` (0x1000 on Linux); Glibc's Swift module leaves it out.
    static let emptyPathFlag: Int32 = 0x1000

    /// Whether `/proc/self/fd` exists: without CAP_DAC_READ_SEARCH it is the only way to name an unnamed file.
    static let canNameUnnamedFiles: Bool = access("/proc/self/fd", F_OK) == 0

    /// Creates a file in `directory` with `mode` (the umask applies). `unnamedUnsupported` remembers, per file
    /// system, that `O_TMPFILE` failed, so that the fallback costs no failing call per file. Nil when the
    /// directory does not exist.
    static func create(in directory: String, mode: UInt32, readable: Bool = false,
                       unnamedUnsupported: borrowing Atomic<Bool>) throws(StorageError) -> StagedFile? {
        let access = readable ? O_RDWR : O_WRONLY
        if canNameUnnamedFiles && !unnamedUnsupported.load(ordering: .relaxed) {
            let fd = open(directory, tmpfileFlag | access | O_CLOEXEC, mode_t(mode))
            if fd >= 0 { return StagedFile(fd: fd, directory: directory, temporaryPath: nil) }
            let code = errno
            switch code {
            case ENOENT:
                return nil
            case EOPNOTSUPP, EISDIR, EINVAL, ENOSYS:
                // EISDIR: a kernel older than 3.11 reads the flag as O_DIRECTORY alone.
                unnamedUnsupported.store(true, ordering: .relaxed)
            default:
                throw StorageError(operation: "create a file in", path: directory, errno: code)
            }
        }
        while true {
            let path = joinPath(directory, TemporaryName.make())
            let fd = open(path, access | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
            if fd >= 0 { return StagedFile(fd: fd, directory: directory, temporaryPath: path) }
            let code = errno
            if code == EEXIST { continue }
            if code == ENOENT { return nil }
            throw StorageError(operation: "create a file in", path: directory, errno: code)
        }
    }

    /// What `publish` did.
    enum Outcome {
        /// The file now has the name.
        case published
        /// The name was taken and is left alone (the staged file is still unnamed or under its temp name).
        case exists
        /// The destination's directory does not exist.
        case noDirectory
    }

    /// Gives the file `path` without replacing anything there (`linkat`); a named temp is renamed instead, which
    /// replaces (used for objects, where any existing file has the same content). Other failures throw.
    func publish(as path: String) throws(StorageError) -> Outcome {
        let result: Int32
        if let temporaryPath {
            result = Glibc.rename(temporaryPath, path)
        } else {
            result = linkUnnamed(to: path)
        }
        if result == 0 { return .published }
        let code = errno
        switch code {
        case EEXIST: return .exists
        case ENOENT: return .noDirectory
        default: throw StorageError(operation: "store", path: path, errno: code)
        }
    }

    /// Gives the file `path`, atomically replacing a file there; a directory in the way is an error.
    func publishReplacing(_ path: String, operation: String) throws(StorageError) {
        var source = temporaryPath
        if source == nil {
            if linkUnnamed(to: path) == 0 { return }
            var code = errno
            if code == EEXIST {
                // Something is there: name the file beside it, then rename over it.
                while true {
                    let temp = joinPath(directory, TemporaryName.make())
                    if linkUnnamed(to: temp) == 0 { source = temp; break }
                    code = errno
                    if code != EEXIST { break }
                }
            }
            if source == nil { throw StorageError(operation: operation, path: path, errno: code) }
        }
        if Glibc.rename(source!, path) != 0 {
            let code = errno
            unlink(source!)
            throw StorageError(operation: operation, path: path, errno: code,
                               hint: code == EISDIR || code == ENOTEMPTY || code == EEXIST
                                   ? "a directory is in the way; remove it first" : nil)
        }
    }

    /// Closes the descriptor; an error (a delayed write failure) is returned as an errno, 0 when fine.
    func close() -> Int32 {
        Glibc.close(fd) == 0 ? 0 : errno
    }

    /// Drops the file: closes it (an unnamed file then vanishes) and removes the temp name if it has one.
    func discard() {
        closeQuietly(fd)
        if let temporaryPath { unlink(temporaryPath) }
    }

    private func linkUnnamed(to path: String) -> Int32 {
        StagedFile.link(descriptor: fd, to: path)
    }

    /// Set once `linkat(fd, "", …, AT_EMPTY_PATH)` was refused (it needs CAP_DAC_READ_SEARCH on most kernels).
    private static let emptyPathRefused = Atomic<Bool>(false)

    /// Gives the open file `fd` the name `path` (a new hard link; never replaces), resolved against the directory
    /// `directory` when relative. Returns 0, or -1 with `errno` set. `AT_EMPTY_PATH` saves resolving
    /// `/proc/self/fd/N`; where it is refused the `/proc` form is used.
    static func link(descriptor fd: Int32, to path: String, in directory: Int32 = AT_FDCWD) -> Int32 {
        if !emptyPathRefused.load(ordering: .relaxed) {
            if linkEmptyPath(fd, to: path, in: directory) == 0 { return 0 }
            let code = errno
            guard code == ENOENT || code == EPERM else { return -1 }
            // ENOENT is both "refused" and "no such directory": the /proc form tells them apart.
            let result = linkThroughProc(fd, to: path, in: directory)
            if result == 0 { emptyPathRefused.store(true, ordering: .relaxed) }
            return result
        }
        return linkThroughProc(fd, to: path, in: directory)
    }

    /// `linkat(fd, "", directory, path, AT_EMPTY_PATH)`.
    static func linkEmptyPath(_ fd: Int32, to path: String, in directory: Int32 = AT_FDCWD) -> Int32 {
        linkat(fd, "", directory, path, emptyPathFlag)
    }

    /// `linkat` of the magic link `/proc/self/fd/N`, followed: what an unprivileged process can use.
    static func linkThroughProc(_ fd: Int32, to path: String, in directory: Int32 = AT_FDCWD) -> Int32 {
        linkat(AT_FDCWD, "/proc/self/fd/" + String(fd), directory, path, AT_SYMLINK_FOLLOW)
    }
}
