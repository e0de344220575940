#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One flattened metric or param value as DVC keeps it (params lists arrive here already as their repr string).
public enum MetricValue: Equatable, Sendable {
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)

    /// Python `str()` of the value: `True`, `3`, `0.85`, `1e-05`, strings as they are.
    public var pythonStr: String {
        switch self {
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .float(let number): return PythonJSON.floatRepr(number)
        case .string(let text): return text
        }
    }

    /// The value as JSON (raw, unrounded), as DVC's `--json` outputs carry it.
    public var jsonValue: JSONValue {
        switch self {
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .float(let number): return .double(number)
        case .string(let text): return .string(text)
        }
    }

    /// Whether the value is a number for arithmetic (bools count, as in Python).
    public var isNumeric: Bool {
        if case .string = self { return false }
        return true
    }

    /// Python `==` (`1 == 1.0 == True`), which decides whether a metric or param changed.
    public func pythonEquals(_ other: MetricValue) -> Bool {
        yamlValue.pythonEquals(other.yamlValue)
    }

    /// Python `new - old` for two numbers (bools as 0/1; int − int stays int), nil when either is a string.
    public static func difference(new: MetricValue, old: MetricValue) -> MetricValue? {
        switch (new.numeric, old.numeric) {
        case (.integer(let lhs)?, .integer(let rhs)?):
            let (result, overflow) = lhs.subtractingReportingOverflow(rhs)
            return overflow ? .float(Double(lhs) - Double(rhs)) : .int(result)
        case (let lhs?, let rhs?):
            return .float(lhs.double - rhs.double)
        default:
            return nil
        }
    }

    /// Text for a table cell: floats rounded with Python `round(x, digits)` then `str()`, everything else `str()`.
    public func formatted(precision digits: Int?) -> String {
        if case .float(let number) = self, let digits {
            // Most metrics already have few decimals: then rounding cannot change them and their repr is the answer.
            let repr = PythonJSON.floatRepr(number)
            if digits >= 0, let dot = repr.utf8.firstIndex(of: UInt8(ascii: ".")),
               !repr.utf8.contains(UInt8(ascii: "e")), repr.utf8.distance(from: dot, to: repr.utf8.endIndex) - 1 <= digits {
                return repr
            }
            return PythonJSON.floatRepr(Self.pythonRound(number, digits: digits))
        }
        return pythonStr
    }

    /// Python's `round(x, ndigits)` for floats: correctly rounded to `ndigits` decimals (ties to even on the exact
    /// binary value, so `round(2.675, 2) == 2.67`), then converted back to the nearest double.
    public static func pythonRound(_ value: Double, digits: Int) -> Double {
        guard value.isFinite, value != 0 else { return value }
        // Python's own cut-offs: beyond them the result is x itself, or a (signed) zero.
        if digits > 323 { return value }
        if digits < -308 { return 0.0 * value }
        if digits < 0 {
            let scale = pow(10.0, Double(-digits))
            let rounded = (value / scale).rounded(.toNearestOrEven) * scale
            return rounded.isFinite ? rounded : value
        }
        // glibc/Darwin printf produce the exactly rounded decimal, which is what Python's dtoa mode 3 does.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 720) { buffer -> Double in
            let written = withVaList([Int32(digits), value]) {
                vsnprintf(buffer.baseAddress, buffer.count, "%.*f", $0)
            }
            guard written > 0, Int(written) < buffer.count else { return value }
            return strtod(buffer.baseAddress!, nil)
        }
    }

    private enum Numeric {
        case integer(Int), real(Double)
        var double: Double {
            switch self {
            case .integer(let number): return Double(number)
            case .real(let number): return number
            }
        }
    }

    private var numeric: Numeric? {
        switch self {
        case .bool(let flag): return .integer(flag ? 1 : 0)
        case .int(let number): return .integer(number)
        case .float(let number): return .real(number)
        case .string: return nil
        }
    }

    private var yamlValue: YAMLValue {
        switch self {
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .float(let number): return .float(number)
        case .string(let text): return .string(text)
        }
    }
}

/// Python `repr()` of parsed values, which DVC uses for list-valued params (`['alpha', 'beta']`, `[1, {'x': 2}]`).
public enum PythonValueRepr {
    /// `repr(value)`: strings quoted as Python does, `None`/`True`, dicts `{'k': v}`, lists `[a, b]`.
    public static func repr(_ value: YAMLValue) -> String {
        var out = ""
        append(value, to: &out)
        return out
    }

    /// `repr(text)`: single quotes unless the text has `'` but no `"`; backslash escapes for controls.
    public static func reprString(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "'" where quote == "'": out += "\\'"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if !isPrintable(scalar) {
                    if scalar.value <= 0xFF {
                        out += "\\x" + hex(scalar.value, width: 2)
                    } else if scalar.value <= 0xFFFF {
                        out += "\\u" + hex(scalar.value, width: 4)
                    } else {
                        out += "\\U" + hex(scalar.value, width: 8)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }

    private static func append(_ value: YAMLValue, to out: inout String) {
        switch value {
        case .null: out += "None"
        case .bool(let flag): out += flag ? "True" : "False"
        case .int(let number): out += String(number)
        case .float(let number): out += PythonJSON.floatRepr(number)
        case .string(let text): out += reprString(text)
        case .sequence(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += ", " }
                append(item, to: &out)
            }
            out += "]"
        case .mapping(let mapping):
            out += "{"
            for (index, pair) in mapping.pairs.enumerated() {
                if index > 0 { out += ", " }
                append(pair.key, to: &out)
                out += ": "
                append(pair.value, to: &out)
            }
            out += "}"
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    // Python's str.isprintable: not in categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs (except the ASCII space).
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
             .spaceSeparator:
            return false
        default:
            return true
        }
    }
}
