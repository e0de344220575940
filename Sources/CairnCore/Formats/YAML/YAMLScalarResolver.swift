/// Resolves plain (unquoted) scalars the way DVC's YAML library does in YAML 1.2 mode.
///
/// Unlike YAML 1.1 (libyaml, Yams' default), `yes`/`no`/`on`/`off` are strings, `017` is decimal 17 and
/// sexagesimal `1:30` is a string. Matching is hand-written over UTF-8 bytes: these run for every scalar.
public enum YAMLScalarResolver {
    /// The type a plain scalar's text implies.
    public enum ImplicitType: Sendable, Equatable {
        case null, bool, int, float, string
        /// `2024-01-01`, `2024-1-1 10:00:00`: loaded as a date by DVC, kept as a string here.
        case timestamp
        /// `<<`: the merge key.
        case merge
        /// `=`: YAML's value key.
        case value
    }

    /// The implicit type of a plain scalar's text.
    public static func implicitType(of text: String) -> ImplicitType {
        if let type = text.utf8.withContiguousStorageIfAvailable({ implicitType(bytes: $0) }) { return type }
        return Array(text.utf8).withUnsafeBufferPointer { implicitType(bytes: $0) }
    }

    /// Whether the text, written plain, would be read back as a string.
    public static func readsAsString(_ text: String) -> Bool {
        implicitType(of: text) == .string
    }

    /// The value of a plain scalar: null, bool, int, float or string. Timestamps and ints too large for
    /// `Int` are handled as DVC would show them where possible (strings; floats for huge ints).
    public static func resolvePlain(_ text: String) -> YAMLValue {
        switch implicitType(of: text) {
        case .null: return .null
        case .bool: return .bool(text.utf8.first == UInt8(ascii: "t") || text.utf8.first == UInt8(ascii: "T"))
        case .int: return integerValue(text) ?? .string(text)
        case .float: return floatValue(text).map(YAMLValue.float) ?? .string(text)
        case .string, .timestamp, .merge, .value: return .string(text)
        }
    }

    /// Parses an int the way YAML 1.2 does (`0x`, `0o`, `0b`, underscores, leading zeros are decimal);
    /// values beyond `Int` become floats, as the closest representable number.
    public static func integerValue(_ text: String) -> YAMLValue? {
        var digits = Array(text.utf8.filter { $0 != UInt8(ascii: "_") })
        var negative = false
        if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            digits.removeFirst()
        }
        guard !digits.isEmpty else { return nil }
        var radix = 10
        if digits.count > 2, digits[0] == UInt8(ascii: "0") {
            switch digits[1] {
            case UInt8(ascii: "b"): radix = 2
            case UInt8(ascii: "o"): radix = 8
            case UInt8(ascii: "x"): radix = 16
            default: break
            }
            if radix != 10 { digits.removeFirst(2) }
        }
        let body = String(decoding: digits, as: UTF8.self)
        if let magnitude = UInt64(body, radix: radix) {
            if negative {
                if magnitude <= UInt64(Int.max) + 1 { return .int(magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude)) }
            } else if magnitude <= UInt64(Int.max) {
                return .int(Int(magnitude))
            }
        }
        // Python ints are unbounded; the nearest Double keeps the magnitude.
        var result = 0.0
        for digit in digits {
            guard let value = hexDigit(digit), value < radix else { return nil }
            result = result * Double(radix) + Double(value)
        }
        return .float(negative ? -result : result)
    }

    /// Parses a YAML 1.2 float (`1.5`, `1e3`, `.5`, `-.inf`, `.nan`; underscores ignored).
    public static func floatValue(_ text: String) -> Double? {
        let lowered = String(decoding: text.utf8.filter { $0 != UInt8(ascii: "_") }.map { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
        }, as: UTF8.self)
        switch lowered {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default: return Double(lowered)
        }
    }

    private static func hexDigit(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    // MARK: - Matching

    private static func implicitType(bytes s: UnsafeBufferPointer<UInt8>) -> ImplicitType {
        guard let first = s.first else { return .null }
        switch first {
        case UInt8(ascii: "~"):
            return s.count == 1 ? .null : .string
        case UInt8(ascii: "n"), UInt8(ascii: "N"):
            return equalsAny(s, ["null", "Null", "NULL"]) ? .null : .string
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
            return equalsAny(s, ["true", "True", "TRUE", "false", "False", "FALSE"]) ? .bool : .string
        case UInt8(ascii: "<"):
            return s.count == 2 && s[1] == UInt8(ascii: "<") ? .merge : .string
        case UInt8(ascii: "="):
            return s.count == 1 ? .value : .string
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if isFloat(s) { return .float }
            if isInt(s) { return .int }
            if isTimestamp(s) { return .timestamp }
            return .string
        default:
            return .string
        }
    }

    private static func equalsAny(_ s: UnsafeBufferPointer<UInt8>, _ words: [StaticString]) -> Bool {
        for word in words where word.utf8CodeUnitCount == s.count {
            let pointer = word.utf8Start
            var same = true
            for index in 0..<s.count where pointer[index] != s[index] {
                same = false
                break
            }
            if same { return true }
        }
        return false
    }

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// `[-+]?0b[0-1_]+ | [-+]?0o?[0-7_]+ | [-+]?[0-9_]+ | [-+]?0x[0-9a-fA-F_]+`
    private static func isInt(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        if s[0] == UInt8(ascii: "-") || s[0] == UInt8(ascii: "+") { index = 1 }
        guard index < s.count else { return false }
        if s.count - index > 2, s[index] == UInt8(ascii: "0") {
            let rest = s[(index + 2)...]
            switch s[index + 1] {
            case UInt8(ascii: "b"):
                return rest.allSatisfy { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") || $0 == UInt8(ascii: "_") }
            case UInt8(ascii: "o"):
                return rest.allSatisfy { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7")) || $0 == UInt8(ascii: "_") }
            case UInt8(ascii: "x"):
                return rest.allSatisfy { hexDigit($0) != nil || $0 == UInt8(ascii: "_") }
            default: break
            }
        }
        return s[index...].allSatisfy { isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// ```
    /// [-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+]?[0-9]+)?
    /// [-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
    /// [-+]?\.[0-9_]+([eE][-+][0-9]+)?
    /// [-+]?\.(inf|Inf|INF)
    /// \.(nan|NaN|NAN)
    /// ```
    private static func isFloat(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = s.count
        var index = 0
        let signed = s[0] == UInt8(ascii: "-") || s[0] == UInt8(ascii: "+")
        if signed { index = 1 }
        guard index < count else { return false }

        // An exponent `[eE]` + sign (required or optional) + digits, running to the end.
        func exponent(from start: Int, signRequired: Bool) -> Bool {
            var position = start
            guard position < count, s[position] == UInt8(ascii: "e") || s[position] == UInt8(ascii: "E") else { return false }
            position += 1
            if position < count, s[position] == UInt8(ascii: "-") || s[position] == UInt8(ascii: "+") {
                position += 1
            } else if signRequired {
                return false
            }
            guard position < count else { return false }
            return s[position...].allSatisfy(isDigit)
        }

        if s[index] == UInt8(ascii: ".") {
            let rest = s[(index + 1)...]
            if rest.elementsEqual("inf".utf8) || rest.elementsEqual("Inf".utf8) || rest.elementsEqual("INF".utf8) {
                return true
            }
            if !signed, rest.elementsEqual("nan".utf8) || rest.elementsEqual("NaN".utf8) || rest.elementsEqual("NAN".utf8) {
                return true
            }
            var position = index + 1
            let digitsStart = position
            while position < count, isDigit(s[position]) || s[position] == UInt8(ascii: "_") { position += 1 }
            guard position > digitsStart else { return false }
            return position == count || exponent(from: position, signRequired: true)
        }

        guard isDigit(s[index]) else { return false }
        var position = index + 1
        while position < count, isDigit(s[position]) || s[position] == UInt8(ascii: "_") { position += 1 }
        if position == count { return false }
        if s[position] == UInt8(ascii: ".") {
            position += 1
            while position < count, isDigit(s[position]) || s[position] == UInt8(ascii: "_") { position += 1 }
            return position == count || exponent(from: position, signRequired: false)
        }
        return exponent(from: position, signRequired: false)
    }

    /// ```
    /// [0-9]{4}-[0-9]{2}-[0-9]{2}
    /// [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?
    /// ```
    private static func isTimestamp(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = s.count
        var position = 0
        func digits(min: Int, max: Int) -> Bool {
            var taken = 0
            while taken < max, position < count, isDigit(s[position]) { position += 1; taken += 1 }
            return taken >= min
        }
        func expect(_ byte: UInt8) -> Bool {
            guard position < count, s[position] == byte else { return false }
            position += 1
            return true
        }
        guard digits(min: 4, max: 4), expect(UInt8(ascii: "-")) else { return false }
        let monthStart = position
        guard digits(min: 1, max: 2) else { return false }
        let monthDigits = position - monthStart
        guard expect(UInt8(ascii: "-")) else { return false }
        let dayStart = position
        guard digits(min: 1, max: 2) else { return false }
        if position == count { return monthDigits == 2 && position - dayStart == 2 }

        if s[position] == UInt8(ascii: "T") || s[position] == UInt8(ascii: "t") {
            position += 1
        } else {
            let spacesStart = position
            while position < count, s[position] == UInt8(ascii: " ") || s[position] == UInt8(ascii: "\t") { position += 1 }
            guard position > spacesStart else { return false }
        }
        guard digits(min: 1, max: 2), expect(UInt8(ascii: ":")), digits(min: 2, max: 2),
              expect(UInt8(ascii: ":")), digits(min: 2, max: 2) else { return false }
        if position < count, s[position] == UInt8(ascii: ".") {
            position += 1
            while position < count, isDigit(s[position]) { position += 1 }
        }
        if position == count { return true }
        while position < count, s[position] == UInt8(ascii: " ") || s[position] == UInt8(ascii: "\t") { position += 1 }
        guard position < count else { return false }
        if s[position] == UInt8(ascii: "Z") { return position + 1 == count }
        guard s[position] == UInt8(ascii: "-") || s[position] == UInt8(ascii: "+") else { return false }
        position += 1
        guard digits(min: 1, max: 2) else { return false }
        if position == count { return true }
        guard expect(UInt8(ascii: ":")), digits(min: 2, max: 2) else { return false }
        return position == count
    }
}
