import Glibc

/// The repository lock `.dvc/tmp/lock`, taken exactly as DVC takes it: an exclusive `flock(2)` on the file, whose
/// content is the holder's pid written as `" <pid>\n"`. cairn and DVC therefore exclude each other. The lock is
/// released by `release()`, by deinit, or by the kernel when the process dies (a lock is never stale).
public final class RepoLock: @unchecked Sendable {
    /// The lock file's path.
    public let path: String
    private let lock = PosixMutex()
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit {
        release()
    }

    /// `<dvcDirectory>/tmp/lock`.
    public static func lockPath(dvcDirectory: String) -> String {
        joinPath(joinPath(dvcDirectory, "tmp"), "lock")
    }

    /// Takes the lock. When another process holds it: with `wait`, blocks until it is free; otherwise keeps
    /// trying for `retrySeconds` (DVC itself retries for about 3 s) and then throws `Reason.lockHeld` with the
    /// holder's pid when the lock file names one.
    public static func acquire(dvcDirectory: String, wait: Bool = false,
                               retrySeconds: Double = 0) throws(StorageError) -> RepoLock {
        let path = lockPath(dvcDirectory: dvcDirectory)
        let directory = parentDirectory(path)
        if !FileSystem.isDirectory(directory) { try FileSystem.makeDirectories(directory) }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw StorageError(operation: "open the repository lock", path: path, errno: errno) }
        let operation = wait ? LOCK_EX : LOCK_EX | LOCK_NB
        let deadline = StateCache.now() + Int64(max(0, retrySeconds) * 1e9)
        var result = retryingEINTR { flock(fd, operation) }
        while result != 0, errno == EWOULDBLOCK, StateCache.now() < deadline {
            usleep(100_000)
            result = retryingEINTR { flock(fd, operation) }
        }
        if result != 0 {
            let code = errno
            let holder = readHolder(fd)
            closeQuietly(fd)
            guard code == EWOULDBLOCK || code == EAGAIN else {
                throw StorageError(operation: "lock the repository", path: path, errno: code)
            }
            let who = holder.map { "another process (pid \($0))" } ?? "another process"
            throw StorageError(operation: "lock the repository", path: path, reason: .lockHeld(pid: holder),
                               message: "it is locked by \(who), most likely a running cairn or DVC command",
                               hint: "wait for it to finish, or rerun with --wait-for-lock to wait for the lock")
        }
        // Same bytes as DVC's lock: one space, the pid, a newline.
        let content = Array(" \(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = content.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return RepoLock(path: path, fd: fd)
    }

    /// Whether this handle still holds the lock.
    public var isHeld: Bool { lock.withLock { fd >= 0 } }

    /// Releases the lock (idempotent). The file stays, as DVC leaves it.
    public func release() {
        lock.withLock {
            guard fd >= 0 else { return }
            _ = flock(fd, LOCK_UN)
            closeQuietly(fd)
            fd = -1
        }
    }

    /// The pid written in the lock file by its holder, if it names one.
    static func readHolder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        let trimmed = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).first
        return trimmed.flatMap { Int32($0) }
    }
}
