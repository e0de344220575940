/// Writes JSON exactly as Python's `json.dumps` does with its defaults (DVC's `--json` outputs and manifests):
/// `", "` and `": "` separators, ASCII only with lowercase `\uXXXX` escapes, `/` unescaped, floats as `repr`.
public enum PythonJSON {
    /// Serialises a value on one line.
    public static func dumps(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends a value's serialisation.
    public static func append(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let int): out.append(contentsOf: String(int).utf8)
        case .double(let double): out.append(contentsOf: floatRepr(double, json: true).utf8)
        case .string(let string): appendString(string, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(contentsOf: ", ".utf8) }
                append(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (index, pair) in object.pairs.enumerated() {
                if index > 0 { out.append(contentsOf: ", ".utf8) }
                appendString(pair.key, to: &out)
                out.append(contentsOf: ": ".utf8)
                append(pair.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends a quoted, ASCII-escaped string as `json.dumps(ensure_ascii=True)` writes it.
    public static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings (paths, keys) are printable ASCII without quotes or backslashes: copied as they are.
        let plain = string.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E && $0 != 0x22 && $0 != 0x5C }) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain == true {
            out.append(UInt8(ascii: "\""))
            return
        }
        func appendU(_ unit: UInt32) {
            out.append(contentsOf: "\\u".utf8)
            for shift in stride(from: 12 as UInt32, through: 0, by: -4) {
                let digit = UInt8(unit >> shift & 0xF)
                out.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
            }
        }
        for scalar in string.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x22: out.append(contentsOf: "\\\"".utf8)
            case 0x5C: out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x08: out.append(contentsOf: "\\b".utf8)
            case 0x0C: out.append(contentsOf: "\\f".utf8)
            case 0x20...0x7E: out.append(UInt8(value))
            case 0x10000...:
                let offset = value - 0x10000
                appendU(0xD800 | offset >> 10)
                appendU(0xDC00 | offset & 0x3FF)
            default: appendU(value)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Python's `repr(float)`; with `json`, infinities and NaN as `json.dumps` writes them.
    public static func floatRepr(_ value: Double, json: Bool = false) -> String {
        if value.isNaN { return json ? "NaN" : "nan" }
        if value.isInfinite { return value < 0 ? (json ? "-Infinity" : "-inf") : (json ? "Infinity" : "inf") }
        // Swift's description is the shortest round-tripping form with the same exponent thresholds as Python's repr.
        return value.description
    }
}
