/// A position in a YAML text: 1-based line and 1-based column (counted in Unicode scalars).
public struct YAMLMark: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column, in Unicode scalars.
    public var column: Int

    /// Creates a mark.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// How a scalar was written in the source.
public enum YAMLScalarStyle: Sendable, Hashable {
    case plain
    case singleQuoted
    case doubleQuoted
    /// `|` block scalar.
    case literal
    /// `>` block scalar.
    case folded
}

/// A parsed YAML node: its source shape and position, plus the value DVC would load from it.
public struct YAMLNode: Sendable {
    /// The node's shape in the source.
    public enum Kind: Sendable {
        /// A scalar's text (after unescaping and folding) and how it was written.
        case scalar(String, YAMLScalarStyle)
        /// A sequence's items.
        case sequence([YAMLNode])
        /// A mapping's pairs in source order (merge keys `<<` included as written).
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    /// The shape.
    public var kind: Kind
    /// Where the node starts.
    public var mark: YAMLMark
    /// The value DVC loads from it (YAML 1.2 types, aliases and merge keys resolved).
    public var value: YAMLValue
    /// Whether a collection was written in flow style (`[a, b]`, `{k: v}`).
    public var isFlow: Bool
    /// An explicit tag (`!!str`, `!!int`, …) in its long form, if one was written.
    public var tag: String?

    /// Creates a node.
    public init(kind: Kind, mark: YAMLMark, value: YAMLValue, isFlow: Bool = false, tag: String? = nil) {
        self.kind = kind
        self.mark = mark
        self.value = value
        self.isFlow = isFlow
        self.tag = tag
    }

    /// The mapping pair whose key is the string `key`, if this is a mapping.
    public func pair(forKey key: String) -> (key: YAMLNode, value: YAMLNode)? {
        guard case .mapping(let pairs) = kind else { return nil }
        return pairs.last { $0.key.value == .string(key) }
    }

    /// The value node of the string key `key`, if this is a mapping.
    public subscript(key: String) -> YAMLNode? {
        pair(forKey: key)?.value
    }

    /// The items, if this is a sequence.
    public var items: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The pairs, if this is a mapping.
    public var pairs: [(key: YAMLNode, value: YAMLNode)]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    /// The scalar's text and style, if this is a scalar.
    public var scalar: (text: String, style: YAMLScalarStyle)? {
        if case .scalar(let text, let style) = kind { return (text, style) }
        return nil
    }
}
