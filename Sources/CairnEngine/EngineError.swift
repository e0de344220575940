/// A use case could not be carried out: says what failed and what the user can do; nothing was left half-done.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    /// How the command line should exit.
    public enum Kind: Sendable {
        /// The command was used wrongly (exit 254).
        case usage
        /// Anything else (exit 255).
        case failure
    }

    /// Usage or failure.
    public var kind: Kind
    /// What went wrong, naming the path.
    public var message: String
    /// What to do next.
    public var hint: String?

    /// Creates an error.
    public init(_ kind: Kind = .failure, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    /// A failure (exit 255).
    public init(_ message: String, hint: String? = nil) {
        self.init(.failure, message, hint: hint)
    }

    /// A usage error.
    public static func usage(_ message: String, hint: String? = nil) -> EngineError {
        EngineError(.usage, message, hint: hint)
    }

    public var description: String {
        if let hint { return "\(message)\n\(hint)" }
        return message
    }
}
