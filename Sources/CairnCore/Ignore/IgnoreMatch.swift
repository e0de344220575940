/// Which rule decided an ignore query: what `check-ignore --details` prints.
public struct IgnoreMatch: Sendable, Equatable, CustomStringConvertible {
    /// The ignore file's path (`.dvcignore`, `sub/.dvcignore`); "" for a built-in rule.
    public let source: String
    /// 1-based line in `source`; nil for a built-in rule.
    public let line: Int?
    /// The pattern as written (`*.tmp`, `!keep.tmp`, `logs/`), or the built-in rule (`.git`, `.hg/`, `.dvc/`).
    public let pattern: String
    /// A `!` pattern decided: the path is explicitly not ignored.
    public let isNegated: Bool

    /// Creates a match record.
    public init(source: String, line: Int?, pattern: String, isNegated: Bool) {
        self.source = source
        self.line = line
        self.pattern = pattern
        self.isNegated = isNegated
    }

    /// Whether this is one of the always-ignored names rather than a line of an ignore file.
    public var isBuiltIn: Bool { line == nil }

    /// Whether the path ends up ignored.
    public var ignores: Bool { !isNegated }

    /// `source:line:pattern`, or `:pattern` for a built-in rule, as DVC prints it before the TAB and the path.
    public var description: String {
        guard let line else { return ":\(pattern)" }
        return "\(source):\(line):\(pattern)"
    }

    /// The whole `check-ignore -d` line: `.dvcignore:4:*.tmp<TAB>ig/x.tmp`.
    public func checkIgnoreLine(for path: String) -> String {
        "\(description)\t\(path)"
    }
}
