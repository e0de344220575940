internal import CGit2

/// A failed git operation: libgit2's code, class and message, what cairn was doing, on which path or revision,
/// and what the user can do next.
public struct GitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libgit2's error code (`GIT_ENOTFOUND`, …); cairn's own checks use the closest one.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The negative libgit2 return code.
        public let rawValue: Int32
        /// Wraps a libgit2 return code.
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// Generic failure (`GIT_ERROR`).
        public static let generic = Code(rawValue: GIT_ERROR.rawValue)
        /// Something asked for does not exist (`GIT_ENOTFOUND`).
        public static let notFound = Code(rawValue: GIT_ENOTFOUND.rawValue)
        /// Something being created already exists (`GIT_EEXISTS`).
        public static let exists = Code(rawValue: GIT_EEXISTS.rawValue)
        /// A short id or name matches more than one object (`GIT_EAMBIGUOUS`).
        public static let ambiguous = Code(rawValue: GIT_EAMBIGUOUS.rawValue)
        /// The operation needs a work tree (`GIT_EBAREREPO`).
        public static let bareRepository = Code(rawValue: GIT_EBAREREPO.rawValue)
        /// HEAD names a branch without commits (`GIT_EUNBORNBRANCH`).
        public static let unbornBranch = Code(rawValue: GIT_EUNBORNBRANCH.rawValue)
        /// A revision or ref name is malformed (`GIT_EINVALIDSPEC`).
        public static let invalidSpec = Code(rawValue: GIT_EINVALIDSPEC.rawValue)
        /// A merge left conflicts in the index (`GIT_EUNMERGED`).
        public static let unmerged = Code(rawValue: GIT_EUNMERGED.rawValue)
        /// A lock file is held by someone else (`GIT_ELOCKED`).
        public static let locked = Code(rawValue: GIT_ELOCKED.rawValue)
        /// A reference changed under us (`GIT_EMODIFIED`).
        public static let modified = Code(rawValue: GIT_EMODIFIED.rawValue)
        /// An object cannot be peeled to the kind asked for (`GIT_EPEEL`).
        public static let peel = Code(rawValue: GIT_EPEEL.rawValue)
        /// Invalid input or operation (`GIT_EINVALID`).
        public static let invalid = Code(rawValue: GIT_EINVALID.rawValue)
        /// The operation is not valid for a directory (`GIT_EDIRECTORY`).
        public static let directory = Code(rawValue: GIT_EDIRECTORY.rawValue)
        /// The repository is owned by another user (`GIT_EOWNER`).
        public static let owner = Code(rawValue: GIT_EOWNER.rawValue)

        /// The code's libgit2 name, e.g. `GIT_ENOTFOUND`.
        public var description: String {
            switch self {
            case .generic: return "GIT_ERROR"
            case .notFound: return "GIT_ENOTFOUND"
            case .exists: return "GIT_EEXISTS"
            case .ambiguous: return "GIT_EAMBIGUOUS"
            case .bareRepository: return "GIT_EBAREREPO"
            case .unbornBranch: return "GIT_EUNBORNBRANCH"
            case .invalidSpec: return "GIT_EINVALIDSPEC"
            case .unmerged: return "GIT_EUNMERGED"
            case .locked: return "GIT_ELOCKED"
            case .modified: return "GIT_EMODIFIED"
            case .peel: return "GIT_EPEEL"
            case .invalid: return "GIT_EINVALID"
            case .directory: return "GIT_EDIRECTORY"
            case .owner: return "GIT_EOWNER"
            default: return "git error \(rawValue)"
            }
        }
    }

    /// libgit2's return code.
    public var code: Code
    /// libgit2's error class (`GIT_ERROR_REFERENCE`, …), 0 when libgit2 set none.
    public var errorClass: Int32
    /// libgit2's message (or cairn's, for checks made in Swift).
    public var message: String
    /// What cairn was doing, e.g. "resolve revision".
    public var operation: String
    /// The path, revision or ref the operation was about.
    public var path: String?
    /// What the user can do next.
    public var hint: String?

    /// Creates an error.
    public init(
        code: Code, errorClass: Int32 = 0, message: String, operation: String, path: String? = nil,
        hint: String? = nil
    ) {
        self.code = code
        self.errorClass = errorClass
        self.message = message
        self.operation = operation
        self.path = path
        self.hint = hint
    }

    /// True when the thing asked for does not exist.
    public var isNotFound: Bool { code == .notFound }

    /// "git: cannot OPERATION 'PATH': MESSAGE", then the hint on its own line.
    public var description: String {
        var text = "git: cannot \(operation)"
        if let path { text += " '\(path)'" }
        text += ": \(message)"
        if let hint { text += "\nhint: \(hint)" }
        return text
    }

    /// libgit2's message and class for the error just raised on this thread.
    static func lastLibgit2Error(_ returnCode: Int32) -> (message: String, errorClass: Int32) {
        guard let last = git_error_last() else { return ("libgit2 returned \(returnCode)", 0) }
        let message = last.pointee.message.map { String(cString: $0) } ?? "libgit2 returned \(returnCode)"
        return (message, last.pointee.klass)
    }

    /// The advice that fits a code whatever the operation.
    static func defaultHint(code: Code, path: String?) -> String? {
        switch code {
        case .locked:
            return "another git process seems to be running; if none is, remove the stale .lock file and retry"
        case .owner:
            return "if you trust this repository, run: git config --global --add safe.directory "
                + (path ?? "<path>")
        case .bareRepository:
            return "this needs a repository with a work tree"
        default:
            return nil
        }
    }
}

/// The single place where libgit2 return codes become Swift errors. The message is read before the
/// autoclosures run, because any libgit2 call they made could overwrite the thread-local error.
@inline(__always)
@discardableResult
func gitCheck(
    _ returnCode: Int32, _ operation: @autoclosure () -> String, path: @autoclosure () -> String? = nil,
    hint: @autoclosure () -> String? = nil
) throws -> Int32 {
    guard returnCode < 0 else { return returnCode }
    let (message, errorClass) = GitError.lastLibgit2Error(returnCode)
    let code = GitError.Code(rawValue: returnCode)
    let path = path()
    throw GitError(
        code: code, errorClass: errorClass, message: message, operation: operation(), path: path,
        hint: hint() ?? GitError.defaultHint(code: code, path: path))
}
