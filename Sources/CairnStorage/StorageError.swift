import Glibc

/// A file-system operation failed: what was attempted, on which path, why, and what the user can do.
public struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the operation failed, for callers that react to specific causes.
    public enum Reason: Sendable, Equatable {
        /// A system call failed with this errno.
        case system(errno: Int32)
        /// A cache object's bytes do not hash to its name.
        case corruptObject(expected: String, actual: String)
        /// A cache object is absent.
        case missingObject
        /// The repository lock is held by another process (pid when the lock file names it).
        case lockHeld(pid: Int32?)
        /// A file's content is not what was expected (e.g. a manifest that does not parse).
        case invalidData
    }

    /// The attempted operation as a verb phrase, e.g. "open", "hash", "link".
    public var operation: String
    /// The path concerned (absolute or repo-relative, as given by the caller).
    public var path: String
    /// The cause, machine-readable.
    public var reason: Reason
    /// The cause in words (the errno text for system errors).
    public var message: String
    /// What the user can do next.
    public var hint: String?

    /// Creates an error from its parts.
    public init(operation: String, path: String, reason: Reason, message: String, hint: String? = nil) {
        self.operation = operation
        self.path = path
        self.reason = reason
        self.message = message
        self.hint = hint
    }

    /// Creates an error for a failed system call from an errno value, with a default hint for common causes.
    public init(operation: String, path: String, errno code: Int32, hint: String? = nil) {
        self.init(operation: operation, path: path, reason: .system(errno: code),
                  message: StorageError.describe(errno: code), hint: hint ?? StorageError.defaultHint(errno: code))
    }

    /// The errno of a failed system call, if that is the cause.
    public var errno: Int32? {
        if case .system(let code) = reason { return code }
        return nil
    }

    /// Whether the cause is a missing file or directory.
    public var isNotFound: Bool {
        switch reason {
        case .system(let code): return code == ENOENT || code == ENOTDIR
        case .missingObject: return true
        default: return false
        }
    }

    public var description: String {
        var text = "cannot \(operation) '\(path)': \(message)"
        if let hint { text += "\n\(hint)" }
        return text
    }

    /// The C library's text for an errno value.
    public static func describe(errno code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    static func defaultHint(errno code: Int32) -> String? {
        switch code {
        case EACCES, EPERM: return "check the permissions of the file and its directory"
        case ENOSPC, EDQUOT: return "free some disk space (e.g. 'cairn gc') and try again"
        case EROFS: return "the file system is mounted read-only"
        case EMFILE, ENFILE: return "too many open files; raise the limit with 'ulimit -n'"
        case ENAMETOOLONG: return "the path is too long for this file system"
        default: return nil
        }
    }
}
