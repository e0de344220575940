/// configobj's quoting rules for writing keys, section names and values.
enum INIQuoting {
    struct Unquotable: Error {}

    /// Characters that force quoting at either end of a value (configobj's `wspace_plus`).
    private static let edgeSpecials: Set<Character> = [" ", "\r", "\n", "\u{0B}", "\t", "'", "\"", "\r\n"]

    /// A value as configobj writes it: lists as `a, b` (`a,` for one element, `,` for none).
    static func render(_ value: INIValue) throws(Unquotable) -> String {
        switch value {
        case let .string(text): return try quote(text, multiline: true)
        case let .list(items):
            if items.isEmpty { return "," }
            if items.count == 1 { return try quote(items[0], multiline: false) + "," }
            var parts: [String] = []
            for item in items { parts.append(try quote(item, multiline: false)) }
            return parts.joined(separator: ", ")
        }
    }

    /// configobj's `_quote` with `list_values` on.
    static func quote(_ value: String, multiline: Bool) throws(Unquotable) -> String {
        if value.isEmpty { return "\"\"" }
        let hasSingle = value.contains("'")
        let hasDouble = value.contains("\"")
        let hasNewline = value.unicodeScalars.contains("\n")
        let needsTriple = multiline && ((hasSingle && hasDouble) || hasNewline)
        if needsTriple {
            let hasTripleDouble = value.contains("\"\"\"")
            if hasTripleDouble && value.contains("'''") { throw Unquotable() }
            return hasTripleDouble ? "\"\"\"" + value + "\"\"\"" : "'''" + value + "'''"
        }
        if hasNewline { throw Unquotable() }
        let plain = !edgeSpecials.contains(value.first!) && !edgeSpecials.contains(value.last!) && !value.contains(",")
        if plain && !value.contains("#") { return value }
        if hasSingle && hasDouble { throw Unquotable() }
        return hasDouble ? "'" + value + "'" : "\"" + value + "\""
    }
}
