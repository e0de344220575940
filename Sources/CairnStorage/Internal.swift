import Glibc
import Synchronization

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

/// Names for files that are being written and are not yet (or never will be) real:
/// `.cairn-<pid>-<counter>-<seed>.tmp` (hex). The pid and a per-process counter make names unique without a
/// system call each (`UInt64.random` costs a `getrandom`); the random seed, drawn once, keeps a recycled pid
/// (another container, a later run) from meeting an old leftover. Cache enumeration skips these names and
/// clean-up may delete them, so a crash never leaves a misnamed object.
public enum TemporaryName {
    private static let counter = Atomic<UInt64>(0)
    private static let prefix: String = ".cairn-" + String(UInt32(bitPattern: getpid()), radix: 16) + "-"
    private static let suffix: String = "-" + String(UInt32.random(in: .min ... .max), radix: 16) + ".tmp"

    /// A fresh temp name (no directory part), unique within this process.
    public static func make() -> String {
        let number = counter.add(1, ordering: .relaxed).newValue
        return prefix + String(number, radix: 16) + suffix
    }

    /// Whether a file name is a temp name (cairn's or any other dot-name ending `.tmp`).
    public static func isTemporary(_ name: some StringProtocol) -> Bool {
        name.hasPrefix(".") && name.hasSuffix(".tmp")
    }
}

/// The process's file mode creation mask, read once from `/proc/self/status` (`umask(2)` can only be read by
/// setting it, which would race with other threads creating files).
enum ProcessUmask {
    /// The umask, or nil where `/proc` does not say.
    static let value: UInt32? = current()

    /// Reads the umask now (tests compare against it; nothing in cairn changes it).
    static func current() -> UInt32? {
        guard let bytes = try? FileSystem.readFile("/proc/self/status") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("Umask:") {
            return UInt32(line.dropFirst("Umask:".count).trimmingPrefix(while: { $0 == " " || $0 == "\t" }), radix: 8)
        }
        return nil
    }

    /// Whether a file created with `mode` keeps all of `mode` (false when unknown, so callers `fchmod`).
    static func keeps(_ mode: UInt32) -> Bool {
        guard let value else { return false }
        return mode & value == 0
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
