import Glibc

/// A pthread mutex for short critical sections shared by hashing threads.
final class PosixMutex: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inline(__always)
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// Names for files that are being written and are not yet (or never will be) real: `.cairn-<16 hex>.tmp`.
/// Cache enumeration skips them and clean-up may delete them, so a crash never leaves a misnamed object.
public enum TemporaryName {
    /// A fresh random temp name (no directory part).
    public static func make() -> String {
        let value = UInt64.random(in: .min ... .max)
        var hex = String(value, radix: 16)
        if hex.utf8.count < 16 { hex = String(repeating: "0", count: 16 - hex.utf8.count) + hex }
        return ".cairn-" + hex + ".tmp"
    }

    /// Whether a file name is a temp name (cairn's or any other dot-name ending `.tmp`).
    public static func isTemporary(_ name: some StringProtocol) -> Bool {
        name.hasPrefix(".") && name.hasSuffix(".tmp")
    }
}

/// Joins a directory and a name with exactly one `/`.
@inline(__always)
func joinPath(_ directory: String, _ name: String) -> String {
    if directory.isEmpty { return name }
    if directory.hasSuffix("/") { return directory + name }
    return directory + "/" + name
}

/// The directory part of a path ("." when there is none, "/" for top-level entries).
func parentDirectory(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
}

/// The last component of a path.
func lastComponent(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
}

/// Runs a system call until it is not interrupted by a signal.
@inline(__always)
func retryingEINTR(_ call: () -> Int32) -> Int32 {
    var result: Int32
    repeat { result = call() } while result == -1 && errno == EINTR
    return result
}

/// Closes a descriptor, ignoring errors (only used for read-only descriptors or after a failure).
@inline(__always)
func closeQuietly(_ fd: Int32) {
    _ = close(fd)
}

/// `stat(2)` under a name that does not collide with `struct stat` or `FileSystem.stat`.
@inline(__always)
func systemStat(_ path: String, _ buffer: inout stat) -> Int32 {
    stat(path, &buffer)
}
