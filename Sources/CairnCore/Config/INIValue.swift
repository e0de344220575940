/// A configobj value: a string, or a list (an unquoted comma-separated value such as `copy, hardlink`).
public enum INIValue: Sendable, Hashable, CustomStringConvertible {
    /// A single string (quotes removed).
    case string(String)
    /// A list of strings.
    case list([String])

    /// The string, or the list elements joined with `,` (the form `cache.type` parsers accept).
    public var text: String {
        switch self {
        case let .string(value): return value
        case let .list(values): return values.joined(separator: ",")
        }
    }

    /// The elements: a string is one element.
    public var elements: [String] {
        switch self {
        case let .string(value): return [value]
        case let .list(values): return values
        }
    }

    /// How DVC prints the value in `dvc config`: strings as they are, lists as Python lists (`['a', 'b']`).
    public var description: String {
        switch self {
        case let .string(value): return value
        case let .list(values): return "[" + values.map(PythonRepr.string).joined(separator: ", ") + "]"
        }
    }
}

/// Python's `repr` for the few value shapes `dvc config` prints.
enum PythonRepr {
    /// `repr(str)`: single quotes unless the text has a single quote and no double quote.
    static func string(_ value: String) -> String {
        let quote: Character = value.contains("'") && !value.contains("\"") ? "\"" : "'"
        var result = String(quote)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if Character(scalar) == quote {
                    result += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        result.append(quote)
        return result
    }

    /// `repr(dict)` of string keys and values.
    static func dict(_ entries: [(String, INIValue)]) -> String {
        "{" + entries.map { key, value in
            let rendered: String
            switch value {
            case let .string(text): rendered = string(text)
            case .list: rendered = value.description
            }
            return string(key) + ": " + rendered
        }.joined(separator: ", ") + "}"
    }
}
