/// Reads TOML (1.0, plus the 1.1 additions DVC's `tomlkit` accepts: `\e`/`\xHH` escapes, times without seconds,
/// multi-line inline tables with trailing commas) into a `YAMLMapping` that keeps the file's key order.
/// Dates and times become strings in Python's `str()` form (`1979-05-27 07:32:00-08:00`), which is how DVC shows them.
public enum TOMLReader {
    /// Parses a TOML document from UTF-8 bytes; `path` names the file in errors.
    public static func parse(_ bytes: [UInt8], path: String) throws(FormatError) -> YAMLMapping {
        var parser = TOMLParser(bytes: bytes, path: path)
        return try parser.parseDocument()
    }

    /// Parses a TOML document from a string; `path` names the file in errors.
    public static func parse(_ text: String, path: String) throws(FormatError) -> YAMLMapping {
        try parse(Array(text.utf8), path: path)
    }
}

/// A table while the document is read: reference semantics so headers can reopen a table found by path.
private final class TOMLTable {
    /// How the table came to exist, which decides how it may still be extended (TOML's "defined once" rules).
    enum Origin {
        /// Created as the parent of a `[x.y]` header; may still get its own header or dotted keys.
        case implicit
        /// Defined by a `[x]` header (or the root): no second header, no dotted keys from a parent.
        case header
        /// Created by a dotted key (`x.y = 1`): no header may define it, more dotted keys may extend it.
        case dotted
        /// An inline table `{…}`: closed once written.
        case inline
    }

    enum Slot {
        case value(YAMLValue)
        case table(TOMLTable)
        case tableArray(TOMLTableArray)
    }

    var origin: Origin
    var keys: [String] = []
    var slots: [String: Slot] = [:]

    init(origin: Origin) { self.origin = origin }

    func insert(_ key: String, _ slot: Slot) {
        keys.append(key)
        slots[key] = slot
    }

    var value: YAMLValue { .mapping(mapping) }

    var mapping: YAMLMapping {
        var mapping = YAMLMapping()
        for key in keys {
            switch slots[key]! {
            case .value(let value): mapping.appendUnchecked(.string(key), value)
            case .table(let table): mapping.appendUnchecked(.string(key), table.value)
            case .tableArray(let array): mapping.appendUnchecked(.string(key), .sequence(array.tables.map(\.value)))
            }
        }
        return mapping
    }
}

/// An array of tables (`[[x]]`), which later `[[x]]` headers extend.
private final class TOMLTableArray {
    var tables: [TOMLTable]
    init(_ first: TOMLTable) { tables = [first] }
}

private struct TOMLParser {
    let bytes: [UInt8]
    let path: String
    var index = 0

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    // MARK: Errors

    static let syntaxHint = "fix the TOML syntax at this position and try again"
    static let duplicateHint = "a key or table may be defined only once in TOML; remove or rename the repeated one"

    func error(_ message: String, at offset: Int? = nil, hint: String = syntaxHint) -> FormatError {
        let target = min(offset ?? index, bytes.count)
        var line = 1
        var column = 1
        for position in 0..<target {
            let byte = bytes[position]
            if byte == ascii("\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return FormatError(path: path, line: line, column: column, message: "invalid TOML: \(message)", hint: hint)
    }

    func describe(_ byte: UInt8?) -> String {
        guard let byte else { return "end of file" }
        switch byte {
        case ascii("\n"), ascii("\r"): return "end of line"
        case 0x20...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        case 0x80...:
            // Callers describe the byte at `index`; show the whole character it starts.
            var end = index + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            return "'" + String(decoding: bytes[index..<end], as: UTF8.self) + "'"
        default: return hexByte(byte)
        }
    }

    func hexByte(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }

    // MARK: Low-level reading

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    func peek(_ offset: Int) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    mutating func skipSpaces() {
        while index < bytes.count, bytes[index] == ascii(" ") || bytes[index] == ascii("\t") { index += 1 }
    }

    /// Skips a comment up to (not including) the end of the line; control characters are refused as TOML says.
    mutating func skipComment() throws(FormatError) {
        guard peek == ascii("#") else { return }
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ascii("\n") { return }
            if byte == ascii("\r"), peek(1) == ascii("\n") { return }
            if isControl(byte) { throw error("control character in a comment") }
            index += 1
        }
    }

    /// Consumes a line break (LF or CRLF); false when there is none here.
    mutating func consumeNewline() throws(FormatError) -> Bool {
        guard let byte = peek else { return false }
        if byte == ascii("\n") {
            index += 1
            return true
        }
        if byte == ascii("\r") {
            guard peek(1) == ascii("\n") else { throw error("carriage return without a line feed") }
            index += 2
            return true
        }
        return false
    }

    /// After a key/value pair or header: spaces, an optional comment, then a line break or the end of the file.
    mutating func expectLineEnd(after what: String) throws(FormatError) {
        skipSpaces()
        try skipComment()
        if index >= bytes.count { return }
        guard try consumeNewline() else {
            throw error("expected the end of the line after \(what), found \(describe(peek))")
        }
    }

    /// Inside arrays and inline tables: spaces, line breaks and comments.
    mutating func skipBlank() throws(FormatError) {
        while true {
            skipSpaces()
            if peek == ascii("#") { try skipComment() }
            guard try consumeNewline() else { return }
        }
    }

    // MARK: Document

    mutating func parseDocument() throws(FormatError) -> YAMLMapping {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw error("the file starts with a byte order mark", at: 0,
                        hint: "save the file as UTF-8 without a byte order mark (DVC cannot read it either)")
        }
        let root = TOMLTable(origin: .header)
        var current = root
        while true {
            skipSpaces()
            guard let byte = peek else { break }
            if byte == ascii("#") {
                try skipComment()
                try expectLineEnd(after: "a comment")
            } else if try consumeNewline() {
                continue
            } else if byte == ascii("[") {
                current = try parseHeader(root: root)
                try expectLineEnd(after: "a table header")
            } else {
                try parseKeyValue(into: current)
                try expectLineEnd(after: "a value")
            }
        }
        return root.mapping
    }

    // MARK: Keys

    /// A dotted key: its parts and where each part starts (for errors).
    mutating func parseKey() throws(FormatError) -> [(name: String, offset: Int)] {
        var parts: [(name: String, offset: Int)] = []
        while true {
            skipSpaces()
            let start = index
            parts.append((try parseSimpleKey(), start))
            skipSpaces()
            guard peek == ascii(".") else { return parts }
            index += 1
        }
    }

    mutating func parseSimpleKey() throws(FormatError) -> String {
        guard let byte = peek else { throw error("expected a key, found end of file") }
        if byte == ascii("\"") {
            if peek(1) == ascii("\""), peek(2) == ascii("\"") { throw error("a key cannot be a multi-line string") }
            return try parseBasicString()
        }
        if byte == ascii("'") {
            if peek(1) == ascii("'"), peek(2) == ascii("'") { throw error("a key cannot be a multi-line string") }
            return try parseLiteralString()
        }
        let start = index
        while let next = peek, isBareKeyByte(next) { index += 1 }
        guard index > start else { throw error("expected a key, found \(describe(byte))") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    static func dottedName(_ parts: [(name: String, offset: Int)], upTo last: Int) -> String {
        parts[...last].map { quotedKey($0.name) }.joined(separator: ".")
    }

    static func quotedKey(_ name: String) -> String {
        if !name.isEmpty, name.utf8.allSatisfy(isBareKeyByte) { return name }
        var quoted = "\""
        for character in name {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    // MARK: Tables

    /// Reads `[a.b]` or `[[a.b]]` and returns the table that following key/value pairs go into.
    mutating func parseHeader(root: TOMLTable) throws(FormatError) -> TOMLTable {
        let headerStart = index
        index += 1
        let isArray = peek == ascii("[")
        if isArray { index += 1 }
        let parts = try parseKey()
        skipSpaces()
        guard peek == ascii("]") else { throw error("expected ']' to close the table header, found \(describe(peek))") }
        index += 1
        if isArray {
            guard peek == ascii("]") else { throw error("expected ']]' to close the array of tables header") }
            index += 1
        }
        var table = root
        for (position, part) in parts.enumerated().dropLast() {
            switch table.slots[part.name] {
            case nil:
                let created = TOMLTable(origin: .implicit)
                table.insert(part.name, .table(created))
                table = created
            case .table(let existing):
                table = existing
            case .tableArray(let array):
                table = array.tables[array.tables.count - 1]
            case .value:
                throw error("'\(Self.dottedName(parts, upTo: position))' is already a value, not a table",
                            at: part.offset, hint: Self.duplicateHint)
            }
        }
        let last = parts[parts.count - 1]
        let name = Self.dottedName(parts, upTo: parts.count - 1)
        if isArray {
            let element = TOMLTable(origin: .header)
            switch table.slots[last.name] {
            case nil:
                table.insert(last.name, .tableArray(TOMLTableArray(element)))
            case .tableArray(let array):
                array.tables.append(element)
            default:
                throw error("'\(name)' is already defined and is not an array of tables", at: headerStart,
                            hint: Self.duplicateHint)
            }
            return element
        }
        switch table.slots[last.name] {
        case nil:
            let created = TOMLTable(origin: .header)
            table.insert(last.name, .table(created))
            return created
        case .table(let existing) where existing.origin == .implicit:
            existing.origin = .header
            return existing
        case .table(let existing) where existing.origin == .dotted:
            throw error("table '\(name)' was already defined with dotted keys", at: headerStart,
                        hint: Self.duplicateHint)
        case .table:
            throw error("table '\(name)' is defined more than once", at: headerStart, hint: Self.duplicateHint)
        case .tableArray:
            throw error("'\(name)' is an array of tables; use [[\(name)]] to add an element", at: headerStart,
                        hint: Self.duplicateHint)
        case .value:
            throw error("'\(name)' is already defined as a value", at: headerStart, hint: Self.duplicateHint)
        }
    }

    /// Reads `key = value` and stores it in `table`, creating the tables of a dotted key.
    mutating func parseKeyValue(into table: TOMLTable) throws(FormatError) {
        let parts = try parseKey()
        skipSpaces()
        guard peek == ascii("=") else {
            throw error("expected '=' after the key '\(Self.dottedName(parts, upTo: parts.count - 1))', "
                        + "found \(describe(peek))")
        }
        index += 1
        skipSpaces()
        let value = try parseValue()
        var target = table
        for (position, part) in parts.enumerated().dropLast() {
            switch target.slots[part.name] {
            case nil:
                let created = TOMLTable(origin: target.origin == .inline ? .inline : .dotted)
                target.insert(part.name, .table(created))
                target = created
            case .table(let existing) where existing.origin == .implicit || existing.origin == .dotted
                || (existing.origin == .inline && target.origin == .inline):
                if existing.origin == .implicit { existing.origin = .dotted }
                target = existing
            default:
                throw error("'\(Self.dottedName(parts, upTo: position))' is already defined; dotted keys cannot "
                            + "extend it", at: part.offset, hint: Self.duplicateHint)
            }
        }
        let last = parts[parts.count - 1]
        guard target.slots[last.name] == nil else {
            throw error("key '\(Self.dottedName(parts, upTo: parts.count - 1))' is defined more than once",
                        at: last.offset, hint: Self.duplicateHint)
        }
        target.insert(last.name, .value(value))
    }

    // MARK: Values

    mutating func parseValue() throws(FormatError) -> YAMLValue {
        guard let byte = peek else { throw error("expected a value, found end of file") }
        switch byte {
        case ascii("\""):
            if peek(1) == ascii("\""), peek(2) == ascii("\"") { return .string(try parseMultilineBasicString()) }
            return .string(try parseBasicString())
        case ascii("'"):
            if peek(1) == ascii("'"), peek(2) == ascii("'") { return .string(try parseMultilineLiteralString()) }
            return .string(try parseLiteralString())
        case ascii("["):
            return try parseArray()
        case ascii("{"):
            return try parseInlineTable()
        default:
            return try parseScalarToken()
        }
    }

    mutating func parseArray() throws(FormatError) -> YAMLValue {
        index += 1
        var items: [YAMLValue] = []
        while true {
            try skipBlank()
            if peek == ascii("]") {
                index += 1
                return .sequence(items)
            }
            items.append(try parseValue())
            try skipBlank()
            switch peek {
            case ascii(","): index += 1
            case ascii("]"):
                index += 1
                return .sequence(items)
            default: throw error("expected ',' or ']' in an array, found \(describe(peek))")
            }
        }
    }

    mutating func parseInlineTable() throws(FormatError) -> YAMLValue {
        index += 1
        let table = TOMLTable(origin: .inline)
        try skipBlank()
        if peek == ascii("}") {
            index += 1
            return table.value
        }
        while true {
            try parseKeyValue(into: table)
            try skipBlank()
            switch peek {
            case ascii(","):
                index += 1
                try skipBlank()
                if peek == ascii("}") {
                    index += 1
                    return table.value
                }
            case ascii("}"):
                index += 1
                return table.value
            default: throw error("expected ',' or '}' in an inline table, found \(describe(peek))")
            }
        }
    }

    // MARK: Strings

    mutating func parseBasicString() throws(FormatError) -> String {
        index += 1
        var out: [UInt8] = []
        while true {
            guard let byte = peek else { throw error("unterminated string") }
            switch byte {
            case ascii("\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case ascii("\\"):
                try parseEscape(into: &out)
            case ascii("\n"), ascii("\r"):
                throw error("unterminated string (a line break needs a multi-line \"\"\" string)")
            default:
                if isControl(byte) { throw error("control character in a string; write it as an escape") }
                out.append(byte)
                index += 1
            }
        }
    }

    mutating func parseMultilineBasicString() throws(FormatError) -> String {
        index += 3
        _ = try consumeNewline()
        var out: [UInt8] = []
        while true {
            guard let byte = peek else { throw error("unterminated multi-line string") }
            switch byte {
            case ascii("\""):
                if let quotes = try closingQuotes(ascii("\"")) {
                    out.append(contentsOf: repeatElement(ascii("\""), count: quotes))
                    return String(decoding: out, as: UTF8.self)
                }
                out.append(byte)
                index += 1
            case ascii("\\"):
                if try skipLineEndingBackslash() { continue }
                try parseEscape(into: &out)
            case ascii("\r"):
                guard peek(1) == ascii("\n") else { throw error("carriage return without a line feed") }
                out.append(contentsOf: [ascii("\r"), ascii("\n")])
                index += 2
            case ascii("\n"):
                out.append(byte)
                index += 1
            default:
                if isControl(byte) { throw error("control character in a string; write it as an escape") }
                out.append(byte)
                index += 1
            }
        }
    }

    /// At a quote inside a multi-line string: when it closes the string, consumes the delimiter and returns how
    /// many quotes (0-2) belong to the content; nil when the quote is content.
    mutating func closingQuotes(_ quote: UInt8) throws(FormatError) -> Int? {
        var count = 0
        while peek(count) == quote { count += 1 }
        guard count >= 3 else { return nil }
        guard count <= 5 else { throw error("too many quotes at the end of a multi-line string", at: index + 5) }
        index += count
        return count - 3
    }

    /// A backslash at the end of a line (optionally followed by spaces) joins lines: it and all the whitespace
    /// and line breaks after it are dropped.
    mutating func skipLineEndingBackslash() throws(FormatError) -> Bool {
        var probe = index + 1
        while probe < bytes.count, bytes[probe] == ascii(" ") || bytes[probe] == ascii("\t") { probe += 1 }
        guard probe < bytes.count,
              bytes[probe] == ascii("\n") || (bytes[probe] == ascii("\r") && probe + 1 < bytes.count
                                              && bytes[probe + 1] == ascii("\n")) else { return false }
        index = probe
        while let byte = peek {
            if byte == ascii(" ") || byte == ascii("\t") {
                index += 1
            } else if try !consumeNewline() {
                break
            }
        }
        return true
    }

    mutating func parseEscape(into out: inout [UInt8]) throws(FormatError) {
        let start = index
        index += 1
        guard let code = peek else { throw error("unterminated string") }
        index += 1
        let simple: UInt8?
        switch code {
        case ascii("b"): simple = 0x08
        case ascii("t"): simple = 0x09
        case ascii("n"): simple = 0x0A
        case ascii("f"): simple = 0x0C
        case ascii("r"): simple = 0x0D
        case ascii("e"): simple = 0x1B
        case ascii("\""): simple = ascii("\"")
        case ascii("\\"): simple = ascii("\\")
        default: simple = nil
        }
        if let simple {
            out.append(simple)
            return
        }
        let digits: Int
        switch code {
        case ascii("x"): digits = 2
        case ascii("u"): digits = 4
        case ascii("U"): digits = 8
        default: throw error("invalid escape sequence '\\\(describeRaw(code))'", at: start)
        }
        var scalarValue: UInt32 = 0
        for _ in 0..<digits {
            guard let byte = peek, let digit = hexValue(byte) else {
                throw error("escape '\\\(describeRaw(code))' needs \(digits) hexadecimal digits", at: start)
            }
            scalarValue = scalarValue << 4 | UInt32(digit)
            index += 1
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            throw error("escape is not a valid Unicode scalar value", at: start)
        }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    func describeRaw(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? String(Character(Unicode.Scalar(byte))) : hexByte(byte)
    }

    mutating func parseLiteralString() throws(FormatError) -> String {
        index += 1
        let start = index
        while true {
            guard let byte = peek else { throw error("unterminated string") }
            if byte == ascii("'") {
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                index += 1
                return text
            }
            if byte == ascii("\n") || byte == ascii("\r") {
                throw error("unterminated string (a line break needs a multi-line ''' string)")
            }
            if isControl(byte) { throw error("control character in a literal string") }
            index += 1
        }
    }

    mutating func parseMultilineLiteralString() throws(FormatError) -> String {
        index += 3
        _ = try consumeNewline()
        var out: [UInt8] = []
        while true {
            guard let byte = peek else { throw error("unterminated multi-line string") }
            if byte == ascii("'"), let quotes = try closingQuotes(ascii("'")) {
                out.append(contentsOf: repeatElement(ascii("'"), count: quotes))
                return String(decoding: out, as: UTF8.self)
            }
            if byte == ascii("\r") {
                guard peek(1) == ascii("\n") else { throw error("carriage return without a line feed") }
                out.append(contentsOf: [ascii("\r"), ascii("\n")])
                index += 2
                continue
            }
            if byte != ascii("\n"), isControl(byte) { throw error("control character in a literal string") }
            out.append(byte)
            index += 1
        }
    }

    // MARK: Numbers, booleans, dates

    /// Booleans, numbers, dates and times: a run of token characters, classified afterwards.
    mutating func parseScalarToken() throws(FormatError) -> YAMLValue {
        let start = index
        while let byte = peek, isTokenByte(byte) { index += 1 }
        // A date followed by a space and a time is one date-time (`1979-05-27 07:32:00`).
        if index - start == 10, peek == ascii(" "), let hour1 = peek(1), let hour2 = peek(2), peek(3) == ascii(":"),
           isDigit(hour1), isDigit(hour2), isDate(bytes[start..<index]) {
            index += 1
            while let byte = peek, isTokenByte(byte) { index += 1 }
        }
        guard index > start else { throw error("expected a value, found \(describe(peek))") }
        let token = bytes[start..<index]
        if token.elementsEqual("true".utf8) { return .bool(true) }
        if token.elementsEqual("false".utf8) { return .bool(false) }
        if let value = TOMLScalars.number(token) { return value }
        if let text = TOMLScalars.dateTime(token) { return .string(text) }
        let shown = String(decoding: token, as: UTF8.self)
        if token.contains(ascii(":")) || (token.count >= 5 && token[token.startIndex + 4] == ascii("-")) {
            throw error("invalid date or time '\(shown)'", at: start)
        }
        if let first = token.first, isDigit(first) || first == ascii("+") || first == ascii("-")
            || first == ascii("i") || first == ascii("n") {
            throw error("invalid number '\(shown)'", at: start)
        }
        throw error("invalid value '\(shown)' (strings need quotes)", at: start)
    }
}

/// Number and date-time tokens of TOML, as Python (`tomlkit`) would hold them.
enum TOMLScalars {
    /// An integer or float token; nil when the token is not a valid TOML number.
    static func number(_ token: ArraySlice<UInt8>) -> YAMLValue? {
        var body = token
        var negative = false
        if let first = body.first, first == ascii("+") || first == ascii("-") {
            negative = first == ascii("-")
            body = body.dropFirst()
        }
        if body.elementsEqual("inf".utf8) { return .float(negative ? -.infinity : .infinity) }
        if body.elementsEqual("nan".utf8) { return .float(.nan) }
        if body.count > 2, body.first == ascii("0"), token.first == body.first {
            let marker = body[body.startIndex + 1]
            let radix: Int
            switch marker {
            case ascii("x"): radix = 16
            case ascii("o"): radix = 8
            case ascii("b"): radix = 2
            default: radix = 0
            }
            if radix != 0 {
                guard let digits = digitRun(body.dropFirst(2), radix: radix, leadingZeros: true) else { return nil }
                return integer(digits, radix: radix, negative: false)
            }
        }
        // Decimal: integer part, optional fraction, optional exponent.
        var rest = body
        guard let intEnd = runEnd(rest, radix: 10) else { return nil }
        let intPart = rest[rest.startIndex..<intEnd]
        guard let intDigits = digitRun(intPart, radix: 10, leadingZeros: false) else { return nil }
        rest = rest[intEnd...]
        var isFloat = false
        var fracDigits: [UInt8] = []
        if rest.first == ascii(".") {
            rest = rest.dropFirst()
            guard let end = runEnd(rest, radix: 10),
                  let digits = digitRun(rest[rest.startIndex..<end], radix: 10, leadingZeros: true) else { return nil }
            fracDigits = digits
            rest = rest[end...]
            isFloat = true
        }
        var expText: [UInt8] = []
        if let marker = rest.first, marker == ascii("e") || marker == ascii("E") {
            rest = rest.dropFirst()
            if let sign = rest.first, sign == ascii("+") || sign == ascii("-") {
                expText.append(sign)
                rest = rest.dropFirst()
            }
            guard let end = runEnd(rest, radix: 10),
                  let digits = digitRun(rest[rest.startIndex..<end], radix: 10, leadingZeros: true) else { return nil }
            expText.append(contentsOf: digits)
            rest = rest[end...]
            isFloat = true
        }
        guard rest.isEmpty else { return nil }
        if !isFloat { return integer(intDigits, radix: 10, negative: negative) }
        var text: [UInt8] = negative ? [ascii("-")] : []
        text.append(contentsOf: intDigits)
        if !fracDigits.isEmpty { text.append(ascii(".")); text.append(contentsOf: fracDigits) }
        if !expText.isEmpty { text.append(ascii("e")); text.append(contentsOf: expText) }
        return Double(String(decoding: text, as: UTF8.self)).map(YAMLValue.float)
    }

    /// Where a run of digits and underscores ends.
    private static func runEnd(_ bytes: ArraySlice<UInt8>, radix: Int) -> ArraySlice<UInt8>.Index? {
        var end = bytes.startIndex
        while end < bytes.endIndex, bytes[end] == ascii("_") || digitValue(bytes[end], radix: radix) != nil {
            end += 1
        }
        return end
    }

    /// The digits of a run where each underscore sits between two digits; nil otherwise (or with a forbidden
    /// leading zero).
    private static func digitRun(_ run: ArraySlice<UInt8>, radix: Int, leadingZeros: Bool) -> [UInt8]? {
        guard let first = run.first, let last = run.last, first != ascii("_"), last != ascii("_") else { return nil }
        var digits: [UInt8] = []
        digits.reserveCapacity(run.count)
        var previousUnderscore = false
        for byte in run {
            if byte == ascii("_") {
                if previousUnderscore { return nil }
                previousUnderscore = true
                continue
            }
            guard digitValue(byte, radix: radix) != nil else { return nil }
            previousUnderscore = false
            digits.append(byte)
        }
        if !leadingZeros, digits.count > 1, digits[0] == ascii("0") { return nil }
        return digits
    }

    private static func digitValue(_ byte: UInt8, radix: Int) -> Int? {
        guard let value = hexValue(byte), value < radix else { return nil }
        return value
    }

    /// An integer; like the YAML reader, one beyond `Int` becomes the nearest float.
    private static func integer(_ digits: [UInt8], radix: Int, negative: Bool) -> YAMLValue {
        let text = (negative ? "-" : "") + String(decoding: digits, as: UTF8.self)
        if let value = Int(text, radix: radix) { return .int(value) }
        var magnitude = 0.0
        for digit in digits { magnitude = magnitude * Double(radix) + Double(hexValue(digit) ?? 0) }
        return .float(negative ? -magnitude : magnitude)
    }

    /// A date, time or date-time token as Python's `str()` shows it; nil when it is none of them.
    static func dateTime(_ token: ArraySlice<UInt8>) -> String? {
        let bytes = Array(token)
        var position = 0
        var text = ""
        if bytes.count >= 10, isDate(bytes[0..<10]) {
            let year = number(bytes, 0, 4), month = number(bytes, 5, 2), day = number(bytes, 8, 2)
            guard year >= 1, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else {
                return nil
            }
            text = String(decoding: bytes[0..<10], as: UTF8.self)
            position = 10
            if position == bytes.count { return text }
            guard [ascii("T"), ascii("t"), ascii(" ")].contains(bytes[position]) else { return nil }
            position += 1
            text += " "
        }
        guard let time = self.time(bytes, &position) else { return nil }
        text += time
        if position == bytes.count { return text }
        // Only a date-time may carry an offset.
        guard text.count > time.count else { return nil }
        let marker = bytes[position]
        if marker == ascii("Z") || marker == ascii("z") {
            return position + 1 == bytes.count ? text + "+00:00" : nil
        }
        guard marker == ascii("+") || marker == ascii("-"), bytes.count - position == 6,
              isDigit(bytes[position + 1]), isDigit(bytes[position + 2]), bytes[position + 3] == ascii(":"),
              isDigit(bytes[position + 4]), isDigit(bytes[position + 5]) else { return nil }
        let hours = number(bytes, position + 1, 2), minutes = number(bytes, position + 4, 2)
        guard hours <= 23, minutes <= 59 else { return nil }
        // Python prints a zero offset as +00:00 whatever its sign.
        let sign = hours == 0 && minutes == 0 ? "+" : String(decoding: [marker], as: UTF8.self)
        return text + sign + String(decoding: bytes[(position + 1)...], as: UTF8.self)
    }

    /// `HH:MM[:SS[.fraction]]` at `position` as `HH:MM:SS[.ffffff]`; fractions are cut to microseconds.
    private static func time(_ bytes: [UInt8], _ position: inout Int) -> String? {
        let start = position
        guard bytes.count - start >= 5, isDigit(bytes[start]), isDigit(bytes[start + 1]), bytes[start + 2] == ascii(":"),
              isDigit(bytes[start + 3]), isDigit(bytes[start + 4]) else { return nil }
        let hour = number(bytes, start, 2), minute = number(bytes, start + 3, 2)
        guard hour <= 23, minute <= 59 else { return nil }
        position = start + 5
        var second = 0
        var micro: [UInt8] = []
        if position < bytes.count, bytes[position] == ascii(":") {
            guard bytes.count - position >= 3, isDigit(bytes[position + 1]), isDigit(bytes[position + 2]) else {
                return nil
            }
            second = number(bytes, position + 1, 2)
            guard second <= 59 else { return nil }
            position += 3
            if position < bytes.count, bytes[position] == ascii(".") {
                position += 1
                let fractionStart = position
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
                guard position > fractionStart else { return nil }
                micro = Array(bytes[fractionStart..<min(position, fractionStart + 6)])
                while micro.count < 6 { micro.append(ascii("0")) }
                if micro.allSatisfy({ $0 == ascii("0") }) { micro = [] }
            }
        }
        var text = String(decoding: bytes[start..<start + 5], as: UTF8.self)
        text += second < 10 ? ":0\(second)" : ":\(second)"
        if !micro.isEmpty { text += "." + String(decoding: micro, as: UTF8.self) }
        return text
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int {
        var value = 0
        for byte in bytes[start..<start + count] { value = value * 10 + Int(byte - ascii("0")) }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

// MARK: Byte classes

@inline(__always) private func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(character.value) }

@inline(__always) private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

/// `YYYY-MM-DD` shape (digits and dashes only; ranges are checked later).
private func isDate<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
    guard bytes.count == 10 else { return false }
    for (offset, byte) in bytes.enumerated() {
        if offset == 4 || offset == 7 {
            if byte != ascii("-") { return false }
        } else if !isDigit(byte) {
            return false
        }
    }
    return true
}

private func isBareKeyByte(_ byte: UInt8) -> Bool {
    switch byte {
    case ascii("A")...ascii("Z"), ascii("a")...ascii("z"), ascii("0")...ascii("9"), ascii("_"), ascii("-"): return true
    default: return false
    }
}

/// Characters that can make up a bare value token (numbers, booleans, dates).
private func isTokenByte(_ byte: UInt8) -> Bool {
    isBareKeyByte(byte) || byte == ascii("+") || byte == ascii(".") || byte == ascii(":")
}

/// Control characters TOML refuses in strings and comments (tab is allowed).
private func isControl(_ byte: UInt8) -> Bool {
    (byte < 0x20 && byte != 0x09) || byte == 0x7F
}

private func hexValue(_ byte: UInt8) -> Int? {
    switch byte {
    case ascii("0")...ascii("9"): return Int(byte - ascii("0"))
    case ascii("a")...ascii("f"): return Int(byte - ascii("a")) + 10
    case ascii("A")...ascii("F"): return Int(byte - ascii("A")) + 10
    default: return nil
    }
}
