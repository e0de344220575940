/// A file that cairn or DVC wrote (or a user edited) cannot be read: names the file, the position and what to do.
public struct FormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, relative to the repo root where possible.
    public var path: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// What is wrong.
    public var message: String
    /// What the user can do about it.
    public var hint: String?

    /// Creates a format error.
    public init(path: String, line: Int? = nil, column: Int? = nil, message: String, hint: String? = nil) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var location = path
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        var text = "\(location): \(message)"
        if let hint { text += "\n\(hint)" }
        return text
    }
}
