/// Writes YAML byte for byte as DVC does (ruamel.yaml's round-trip dumper with its defaults, YAML 1.2):
/// block style, mapping indent 2, sequence dashes at their parent key's column, `null` as an empty value,
/// floats as Python `repr`, raw UTF-8, ruamel's quoting choices and its folding of long scalars at 80 columns.
/// See FORMATS.md §3.3.
public enum DVCYAMLWriter {
    /// Renders a document; the result ends with a single newline.
    public static func render(_ value: YAMLValue) -> String {
        var emitter = YAMLEmitter()
        emitter.writeDocument(value)
        return String(decoding: emitter.out, as: UTF8.self)
    }

    /// How a string scalar would be written as a mapping value (`plain`, `singleQuoted` or `doubleQuoted`).
    public static func style(of text: String, asKey: Bool = false) -> YAMLScalarStyle {
        let scalars = Array(text.unicodeScalars)
        return ScalarAnalysis(scalars).style(for: scalars, implicitlyString: YAMLScalarResolver.readsAsString(text),
                                             simpleKey: asKey)
    }

    /// Any value on one line, for messages: scalars as `inlineScalar`, collections in flow style
    /// (`[1, 2]`, `{lr: 0.1, depth: 3}`).
    public static func inlineValue(_ value: YAMLValue) -> String {
        switch value {
        case .sequence(let items):
            return "[" + items.map(inlineValue).joined(separator: ", ") + "]"
        case .mapping(let mapping):
            return "{" + mapping.pairs.map { inlineValue($0.key) + ": " + inlineValue($0.value) }.joined(separator: ", ") + "}"
        default:
            return inlineScalar(value)
        }
    }

    /// A scalar value written on its own, without folding (for messages and single-value edits).
    public static func inlineScalar(_ value: YAMLValue) -> String {
        var emitter = YAMLEmitter()
        emitter.whitespace = true
        emitter.writeScalar(value, indent: 0, split: false, simpleKey: false)
        return String(decoding: emitter.out, as: UTF8.self)
    }
}

/// The emitter's state: output bytes plus what ruamel tracks to decide spaces and line breaks.
struct YAMLEmitter {
    static let bestWidth = 80
    static let maxSimpleKeyLength = 128

    var out: [UInt8] = []
    /// Characters (Unicode scalars) on the current output line.
    var column = 0
    /// Whether the last thing written was whitespace (an indicator needing a space before it then gets none).
    var whitespace = true

    init() { out.reserveCapacity(1024) }

    // MARK: - Structure

    mutating func writeDocument(_ value: YAMLValue) {
        switch value {
        case .mapping(let mapping) where !mapping.isEmpty:
            writeMapping(mapping, indent: 0, firstOnCurrentLine: true)
        case .sequence(let items) where !items.isEmpty:
            writeSequence(items, indent: 0, firstOnCurrentLine: true)
        case .mapping: write("{}")
        case .sequence: write("[]")
        case .null:
            // A document that is only null is written `null` and left open-ended.
            write("null")
            newline()
            write("...")
        default:
            let style = writeScalar(value, indent: 0, split: true, simpleKey: false)
            if style == .plain {
                newline()
                write("...")
            }
        }
        newline()
    }

    /// Writes a block mapping whose keys sit at `indent`; the first key goes on the current line when asked
    /// (after a sequence dash), otherwise every key starts a new line.
    mutating func writeMapping(_ mapping: YAMLMapping, indent: Int, firstOnCurrentLine: Bool) {
        for (index, pair) in mapping.pairs.enumerated() {
            if index > 0 || !firstOnCurrentLine {
                startLine(indent: indent)
            } else {
                padTo(indent)
            }
            if isSimpleKey(pair.key) {
                writeScalar(pair.key, indent: indent + 2, split: false, simpleKey: true)
                writeIndicator(":", needWhitespace: false)
                writeValue(pair.value, keyIndent: indent)
            } else {
                // Long or multi-line keys use the explicit `? key` / `: value` form.
                writeIndicator("?", needWhitespace: true)
                writeScalar(pair.key, indent: indent + 2, split: true, simpleKey: false)
                startLine(indent: indent)
                writeIndicator(":", needWhitespace: true)
                writeExplicitValue(pair.value, keyIndent: indent)
            }
        }
    }

    /// Writes the value after `key:`.
    mutating func writeValue(_ value: YAMLValue, keyIndent: Int) {
        switch value {
        case .mapping(let mapping) where !mapping.isEmpty:
            writeMapping(mapping, indent: keyIndent + 2, firstOnCurrentLine: false)
        case .sequence(let items) where !items.isEmpty:
            // Dashes are not indented relative to the parent key.
            writeSequence(items, indent: keyIndent, firstOnCurrentLine: false)
        case .mapping: writeIndicator("{}", needWhitespace: true)
        case .sequence: writeIndicator("[]", needWhitespace: true)
        default:
            writeScalar(value, indent: keyIndent + 2, split: true, simpleKey: false)
        }
    }

    /// Writes the value after the `:` of an explicit (`? key`) entry: collections start on the `:` line.
    mutating func writeExplicitValue(_ value: YAMLValue, keyIndent: Int) {
        switch value {
        case .mapping(let mapping) where !mapping.isEmpty:
            writeMapping(mapping, indent: keyIndent + 2, firstOnCurrentLine: true)
        case .sequence(let items) where !items.isEmpty:
            writeSequence(items, indent: keyIndent + 2, firstOnCurrentLine: true)
        default:
            writeValue(value, keyIndent: keyIndent)
        }
    }

    /// Writes a block sequence with dashes at `indent`.
    mutating func writeSequence(_ items: [YAMLValue], indent: Int, firstOnCurrentLine: Bool) {
        for (index, item) in items.enumerated() {
            if index > 0 || !firstOnCurrentLine {
                startLine(indent: indent)
            } else {
                padTo(indent)
            }
            writeIndicator("-", needWhitespace: true)
            switch item {
            case .mapping(let mapping) where !mapping.isEmpty:
                writeMapping(mapping, indent: indent + 2, firstOnCurrentLine: true)
            case .sequence(let nested) where !nested.isEmpty:
                writeSequence(nested, indent: indent + 2, firstOnCurrentLine: true)
            case .mapping: writeIndicator("{}", needWhitespace: true)
            case .sequence: writeIndicator("[]", needWhitespace: true)
            default:
                // ruamel pads to the item's indent before a scalar, hence `- ` even for an empty (null) item.
                padTo(indent + 2)
                writeScalar(item, indent: indent + 2, split: true, simpleKey: false)
            }
        }
    }

    /// ruamel writes a key inline when it is one line and, counted with its tag (`!!str`, 5 characters, even
    /// though the tag is not written), shorter than 128 characters; otherwise as an explicit `? key`.
    func isSimpleKey(_ key: YAMLValue) -> Bool {
        switch key {
        case .string(let text):
            var length = 5
            for scalar in text.unicodeScalars {
                if Self.isLineBreak(scalar) { return false }
                length += 1
            }
            return length < Self.maxSimpleKeyLength
        case .float(let number):
            return 7 + PythonJSON.floatRepr(number).count < Self.maxSimpleKeyLength
        default:
            return true
        }
    }

    // MARK: - Scalars

    /// Writes a scalar in the style ruamel picks; returns that style.
    @discardableResult
    mutating func writeScalar(_ value: YAMLValue, indent: Int, split: Bool, simpleKey: Bool) -> YAMLScalarStyle {
        let text: String
        switch value {
        case .null:
            // An empty key would need quotes; ruamel writes the alternative spelling instead.
            if simpleKey { text = "null" } else { return .plain }
        case .bool(let flag): text = flag ? "true" : "false"
        case .int(let number): text = String(number)
        case .float(let number):
            if number.isNaN {
                text = ".nan"
            } else if number.isInfinite {
                text = number < 0 ? "-.inf" : ".inf"
            } else {
                text = PythonJSON.floatRepr(number)
            }
        case .string(let string):
            let scalars = Array(string.unicodeScalars)
            let style = ScalarAnalysis(scalars).style(
                for: scalars, implicitlyString: YAMLScalarResolver.readsAsString(string), simpleKey: simpleKey)
            switch style {
            case .singleQuoted: writeSingleQuoted(scalars, indent: indent, split: split)
            case .doubleQuoted: writeDoubleQuoted(scalars, indent: indent, split: split)
            default: writePlain(scalars, indent: indent, split: split)
            }
            return style
        case .sequence, .mapping:
            preconditionFailure("collections are not scalars")
        }
        writePlain(Array(text.unicodeScalars), indent: indent, split: split)
        return .plain
    }

    mutating func writePlain(_ text: [Unicode.Scalar], indent: Int, split: Bool) {
        if text.isEmpty { return }
        if !whitespace { write(" ") }
        whitespace = false
        var spaces = false
        var start = 0
        var end = 0
        while end <= text.count {
            let ch: Unicode.Scalar? = end < text.count ? text[end] : nil
            if spaces {
                if ch != " " {
                    if start + 1 == end && column >= Self.bestWidth && split {
                        startLine(indent: indent)
                        whitespace = false
                    } else {
                        write(text[start..<end])
                    }
                    start = end
                }
            } else if ch == nil || ch == " " {
                // A word that would pass the width starts a new line, unless the line holds only the indent.
                if end - start + column > Self.bestWidth && column > indent {
                    startLine(indent: indent)
                    whitespace = false
                }
                write(text[start..<end])
                start = end
            }
            if let ch { spaces = ch == " " }
            end += 1
        }
    }

    mutating func writeSingleQuoted(_ text: [Unicode.Scalar], indent: Int, split: Bool) {
        writeIndicator("'", needWhitespace: true)
        var spaces = false
        var breaks = false
        var start = 0
        var end = 0
        while end <= text.count {
            let ch: Unicode.Scalar? = end < text.count ? text[end] : nil
            if spaces {
                if ch == nil || ch != " " {
                    if start + 1 == end && column > Self.bestWidth && split && start != 0 && end != text.count {
                        startLine(indent: indent)
                    } else {
                        write(text[start..<end])
                    }
                    start = end
                }
            } else if breaks {
                if ch == nil || !Self.isLineBreak(ch!) {
                    if text[start] == "\n" { lineBreak() }
                    for index in start..<end {
                        if text[index] == "\n" { lineBreak() } else { lineBreak(text[index]) }
                    }
                    padTo(indent)
                    start = end
                }
            } else if ch == nil || ch == " " || ch == "'" || Self.isLineBreak(ch!) {
                if start < end {
                    write(text[start..<end])
                    start = end
                }
            }
            if ch == "'" {
                write("''")
                start = end + 1
            }
            if let ch {
                spaces = ch == " "
                breaks = Self.isLineBreak(ch)
            }
            end += 1
        }
        writeIndicator("'", needWhitespace: false)
    }

    mutating func writeDoubleQuoted(_ text: [Unicode.Scalar], indent: Int, split: Bool) {
        writeIndicator("\"", needWhitespace: true)
        var start = 0
        var end = 0
        while end <= text.count {
            let ch: Unicode.Scalar? = end < text.count ? text[end] : nil
            if ch == nil || Self.needsEscape(ch!) {
                if start < end {
                    write(text[start..<end])
                    start = end
                }
                if let ch {
                    write(Self.escape(ch))
                    start = end + 1
                }
            }
            if end > 0 && end < text.count - 1 && (ch == " " || start >= end)
                && column + (end - start) > Self.bestWidth && split {
                let needBackslash = Self.foldNeedsBackslash(text, start: start, end: end)
                if start < end {
                    write(text[start..<end])
                    start = end
                }
                if needBackslash { write("\\") }
                startLine(indent: indent)
                whitespace = false
                if text[start] == " " {
                    if needBackslash { write("\\") } else { start += 1 }
                }
            }
            end += 1
        }
        writeIndicator("\"", needWhitespace: false)
    }

    /// Whether a fold in a double-quoted scalar must end with `\` (ruamel leaves it out when the next word
    /// reads back the same across a plain line break).
    static func foldNeedsBackslash(_ text: [Unicode.Scalar], start: Int, end: Int) -> Bool {
        guard var spacePosition = text[end...].firstIndex(of: " ") else { return true }
        if let newline = text[end..<spacePosition].firstIndex(of: "\n") { spacePosition = newline }
        guard spacePosition + 1 < text.count else { return true }
        if text[spacePosition] == "\n" && text[spacePosition + 1] != " " { return true }
        let word = text[end..<spacePosition]
        if word.contains("\"") || word.contains("'") { return true }
        if text[spacePosition + 1] == " " || text[spacePosition + 1] == "\n" { return true }
        if end >= 1 && text[end - 1] == " " && text[end] == " " { return true }
        if start == end { return true }
        return false
    }

    static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x22, 0x5C, 0x85, 0x2028, 0x2029, 0xFEFF: return true
        case 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return false
        default: return true
        }
    }

    static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x00: return "\\0"
        case 0x07: return "\\a"
        case 0x08: return "\\b"
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0B: return "\\v"
        case 0x0C: return "\\f"
        case 0x0D: return "\\r"
        case 0x1B: return "\\e"
        case 0x22: return "\\\""
        case 0x5C: return "\\\\"
        case 0x85: return "\\N"
        case 0xA0: return "\\_"
        case 0x2028: return "\\L"
        case 0x2029: return "\\P"
        case ...0xFF: return "\\x" + hex(scalar.value, digits: 2)
        case ...0xFFFF: return "\\u" + hex(scalar.value, digits: 4)
        default: return "\\U" + hex(scalar.value, digits: 8)
        }
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    // MARK: - Low-level output

    mutating func write(_ text: String) {
        for scalar in text.unicodeScalars { append(scalar) }
    }

    mutating func write(_ text: ArraySlice<Unicode.Scalar>) {
        for scalar in text { append(scalar) }
    }

    @inline(__always) mutating func append(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        if value < 0x80 {
            out.append(UInt8(value))
        } else {
            out.append(contentsOf: String(Character(scalar)).utf8)
        }
        column += 1
    }

    mutating func writeIndicator(_ indicator: String, needWhitespace: Bool) {
        if !whitespace && needWhitespace { write(" ") }
        write(indicator)
        whitespace = false
    }

    /// Ends the line (if anything is on it) and indents the next one.
    mutating func startLine(indent: Int) {
        if column > 0 || !out.isEmpty { lineBreak() }
        padTo(indent)
    }

    mutating func padTo(_ indent: Int) {
        if column < indent {
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent - column))
            column = indent
            whitespace = true
        }
    }

    mutating func lineBreak(_ scalar: Unicode.Scalar = "\n") {
        out.append(contentsOf: String(Character(scalar)).utf8)
        column = 0
        whitespace = true
    }

    mutating func newline() {
        lineBreak()
    }
}

/// What ruamel's emitter learns about a string before choosing its style.
struct ScalarAnalysis {
    var empty = false
    var multiline = false
    var allowBlockPlain = true
    var allowSingleQuoted = true

    init(_ scalars: [Unicode.Scalar]) {
        guard !scalars.isEmpty else {
            empty = true
            return
        }
        var blockIndicators = false
        var lineBreaks = false
        var specialCharacters = false
        var leadingSpace = false
        var leadingBreak = false
        var trailingSpace = false
        var trailingBreak = false
        var breakSpace = false
        var spaceBreak = false

        let count = scalars.count
        if count >= 3 {
            let head = (scalars[0], scalars[1], scalars[2])
            if head == ("-", "-", "-") || head == (".", ".", ".") { blockIndicators = true }
        }
        func isBlank(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "\0" || scalar == " " || scalar == "\t" || scalar == "\r" || YAMLEmitter.isLineBreak(scalar)
        }
        var precededByWhitespace = true
        var followedByWhitespace = count == 1 || isBlank(scalars[1])
        var previousSpace = false
        var previousBreak = false

        for index in 0..<count {
            let ch = scalars[index]
            if index == 0 {
                if "#,[]{}&*!|>'\"%@`".unicodeScalars.contains(ch) { blockIndicators = true }
                if (ch == "?" || ch == ":") && followedByWhitespace { blockIndicators = true }
                if ch == "-" && followedByWhitespace { blockIndicators = true }
            } else {
                if ch == ":" && followedByWhitespace { blockIndicators = true }
                if ch == "#" && precededByWhitespace { blockIndicators = true }
            }
            let isBreak = YAMLEmitter.isLineBreak(ch)
            if isBreak { lineBreaks = true }
            let value = ch.value
            if !(ch == "\n" || (0x20...0x7E).contains(value)) {
                let printable = value == 0x85 || (0xA0...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value)
                    || (0x10000...0x10FFFF).contains(value)
                if !printable || value == 0xFEFF { specialCharacters = true }
            }
            if ch == " " {
                if index == 0 { leadingSpace = true }
                if index == count - 1 { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if isBreak {
                if index == 0 { leadingBreak = true }
                if index == count - 1 { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = isBlank(ch)
            followedByWhitespace = index + 2 >= count || isBlank(scalars[index + 2])
        }

        if leadingSpace || leadingBreak || trailingSpace || trailingBreak { allowBlockPlain = false }
        if breakSpace { allowBlockPlain = false; allowSingleQuoted = false }
        if specialCharacters || spaceBreak { allowBlockPlain = false; allowSingleQuoted = false }
        if lineBreaks { allowBlockPlain = false }
        if blockIndicators { allowBlockPlain = false }
        multiline = lineBreaks
    }

    /// ruamel's choice for a string: plain when it reads back as the same string, else double quotes for
    /// text with `'` or a newline (or needing escapes), else single quotes.
    func style(for scalars: [Unicode.Scalar], implicitlyString: Bool, simpleKey: Bool) -> YAMLScalarStyle {
        if implicitlyString && !(simpleKey && (empty || multiline)) && allowBlockPlain { return .plain }
        if scalars.contains("'") || scalars.contains("\n") { return .doubleQuoted }
        if allowSingleQuoted && !(simpleKey && multiline) { return .singleQuoted }
        return .doubleQuoted
    }
}
