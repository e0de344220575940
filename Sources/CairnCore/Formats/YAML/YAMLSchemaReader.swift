/// Checks parsed YAML against a DVC schema and reports problems as DVC words them
/// (`extra keys not allowed, in outs -> 0 -> bogus`), with the file, line and column.
public struct YAMLSchemaReader: Sendable {
    /// The file being read, for messages.
    public let path: String
    /// What the user can do when the file does not validate.
    public let hint: String

    /// Creates a reader for one file.
    public init(path: String, hint: String) {
        self.path = path
        self.hint = hint
    }

    /// An error at a node: `"<problem>, in a -> b"`, positioned at the node when there is one.
    public func error(_ problem: String, at location: [String], node: YAMLNode?) -> FormatError {
        let message = location.isEmpty ? problem : "\(problem), in \(location.joined(separator: " -> "))"
        return FormatError(path: path, line: node?.mark.line, column: node?.mark.column, message: message, hint: hint)
    }

    /// The pairs of a mapping node with string keys; a non-mapping or a non-string key is an error.
    public func pairs(_ node: YAMLNode, at location: @autoclosure () -> [String]) throws(FormatError) -> [(key: String, keyNode: YAMLNode, value: YAMLNode)] {
        guard case .mapping(let pairs) = node.kind else {
            throw error("expected a dictionary", at: location(), node: node)
        }
        var result: [(key: String, keyNode: YAMLNode, value: YAMLNode)] = []
        result.reserveCapacity(pairs.count)
        for pair in pairs {
            guard case .string(let key) = pair.key.value else {
                let text = pair.key.scalar?.text ?? ""
                throw error("extra keys not allowed", at: location() + [text], node: pair.key)
            }
            result.append((key, pair.key, pair.value))
        }
        return result
    }

    /// Refuses keys outside `allowed` (DVC's schemas are strict) and reports a missing required key.
    public func checkKeys(_ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], allowed: Set<String>,
                          required: [String] = [], in node: YAMLNode, at location: @autoclosure () -> [String]) throws(FormatError) {
        for pair in pairs where !allowed.contains(pair.key) {
            throw error("extra keys not allowed", at: location() + [pair.key], node: pair.keyNode)
        }
        for key in required where !pairs.contains(where: { $0.key == key }) {
            throw error("required key not provided", at: location() + [key], node: node)
        }
    }

    /// The items of a sequence node.
    public func items(_ node: YAMLNode, at location: @autoclosure () -> [String]) throws(FormatError) -> [YAMLNode] {
        guard case .sequence(let items) = node.kind else {
            throw error("expected a list", at: location(), node: node)
        }
        return items
    }

    /// A string value.
    public func string(_ node: YAMLNode, at location: @autoclosure () -> [String]) throws(FormatError) -> String {
        guard case .string(let text) = node.value else { throw error("expected str", at: location(), node: node) }
        return text
    }

    /// A string value, or nil for `null`.
    public func optionalString(_ node: YAMLNode, at location: @autoclosure () -> [String]) throws(FormatError) -> String? {
        if node.value.isNull { return nil }
        return try string(node, at: location())
    }

    /// A boolean value.
    public func bool(_ node: YAMLNode, at location: @autoclosure () -> [String]) throws(FormatError) -> Bool {
        guard case .bool(let flag) = node.value else { throw error("expected bool", at: location(), node: node) }
        return flag
    }

    /// An integer value (not a boolean).
    public func int(_ node: YAMLNode, at location: @autoclosure () -> [String]) throws(FormatError) -> Int {
        guard case .int(let number) = node.value else { throw error("expected int", at: location(), node: node) }
        return number
    }

    /// An integer value, or nil for `null`.
    public func optionalInt(_ node: YAMLNode, at location: @autoclosure () -> [String]) throws(FormatError) -> Int? {
        if node.value.isNull { return nil }
        return try int(node, at: location())
    }

    /// A list of strings.
    public func stringList(_ node: YAMLNode, at location: @autoclosure () -> [String]) throws(FormatError) -> [String] {
        var result: [String] = []
        for (index, item) in try items(node, at: location()).enumerated() {
            result.append(try string(item, at: location() + [String(index)]))
        }
        return result
    }

    /// A mapping value, kept as data.
    public func mapping(_ node: YAMLNode, at location: @autoclosure () -> [String]) throws(FormatError) -> YAMLMapping {
        guard case .mapping(let mapping) = node.value else {
            throw error("expected a dictionary", at: location(), node: node)
        }
        return mapping
    }

    /// A checksum as DVC coerces it: a string or a number, lowercased; nil for `null` or an empty string.
    public func checksum(_ node: YAMLNode, at location: @autoclosure () -> [String]) throws(FormatError) -> String? {
        switch node.value {
        case .null: return nil
        case .string(let text): return text.isEmpty ? nil : text.lowercased()
        case .int(let number): return String(number)
        default: throw error("expected str", at: location(), node: node)
        }
    }

    /// An md5 (`<32 hex>` or `<32 hex>.dir`); nil for `null` or an empty string.
    public func md5(_ node: YAMLNode, at location: @autoclosure () -> [String]) throws(FormatError) -> ObjectID? {
        guard let text = try checksum(node, at: location()) else { return nil }
        guard let id = ObjectID(text) else {
            throw error("'\(text)' is not an md5 hash (32 hex digits, plus '.dir' for a directory)",
                        at: location(), node: node)
        }
        return id
    }
}
