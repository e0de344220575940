/// A YAML document's data as DVC (Python, YAML 1.2) sees it: plain scalars are already resolved to their types.
public indirect enum YAMLValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case sequence([YAMLValue])
    case mapping(YAMLMapping)
}

/// An insertion-ordered YAML mapping; keys are scalars (usually strings, but `1:` is an int key as in Python).
public struct YAMLMapping: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    /// Key/value pairs in document order; keys are unique.
    public private(set) var pairs: [(key: YAMLValue, value: YAMLValue)] = []
    // Position of each string key, so lookups in big mappings (params, lock stages) stay O(1).
    private var stringIndex: [String: Int] = [:]

    /// Creates an empty mapping.
    public init() {}

    /// Creates a mapping of string keys (later duplicates replace earlier values in place).
    public init(dictionaryLiteral elements: (String, YAMLValue)...) {
        for (key, value) in elements { self[key] = value }
    }

    /// Creates a mapping from pairs (later duplicates replace earlier values in place).
    public init(_ elements: [(YAMLValue, YAMLValue)]) {
        pairs.reserveCapacity(elements.count)
        for (key, value) in elements { self[key: key] = value }
    }

    /// Creates a mapping from pairs with string keys (later duplicates replace earlier values in place).
    public init(stringPairs elements: [(String, YAMLValue)]) {
        pairs.reserveCapacity(elements.count)
        for (key, value) in elements { self[key] = value }
    }

    /// Looks a string key up; assigning replaces in place or appends; assigning nil removes.
    public subscript(key: String) -> YAMLValue? {
        get { stringIndex[key].map { pairs[$0].value } }
        set { self[key: .string(key)] = newValue }
    }

    /// Looks any scalar key up with Python's dict semantics (`1`, `1.0` and `true` are the same key).
    public subscript(key key: YAMLValue) -> YAMLValue? {
        get { index(of: key).map { pairs[$0].value } }
        set {
            if let position = index(of: key) {
                if let newValue {
                    pairs[position].value = newValue
                } else {
                    pairs.remove(at: position)
                    rebuildIndex()
                }
            } else if let newValue {
                if case .string(let text) = key { stringIndex[text] = pairs.count }
                pairs.append((key, newValue))
            }
        }
    }

    /// The position of a key in `pairs`, with Python's dict equality for numeric keys.
    public func index(of key: YAMLValue) -> Int? {
        if case .string(let text) = key { return stringIndex[text] }
        return pairs.firstIndex { $0.key.pythonEquals(key) }
    }

    /// The keys in order.
    public var keys: [YAMLValue] { pairs.map(\.key) }
    /// Number of pairs.
    public var count: Int { pairs.count }
    /// Whether the mapping has no keys.
    public var isEmpty: Bool { pairs.isEmpty }

    /// Appends a pair without checking for an existing key; the caller guarantees uniqueness.
    mutating func appendUnchecked(_ key: YAMLValue, _ value: YAMLValue) {
        if case .string(let text) = key { stringIndex[text] = pairs.count }
        pairs.append((key, value))
    }

    private mutating func rebuildIndex() {
        stringIndex.removeAll(keepingCapacity: true)
        for (position, pair) in pairs.enumerated() {
            if case .string(let text) = pair.key { stringIndex[text] = position }
        }
    }

    public static func == (lhs: YAMLMapping, rhs: YAMLMapping) -> Bool {
        lhs.pairs.count == rhs.pairs.count
            && zip(lhs.pairs, rhs.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

extension YAMLValue {
    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The integer, when this is an int (not a bool).
    public var intValue: Int? {
        if case .int(let number) = self { return number }
        return nil
    }

    /// The flag, when this is a bool.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The number as a Double for ints and floats (not bools).
    public var doubleValue: Double? {
        switch self {
        case .int(let number): return Double(number)
        case .float(let number): return number
        default: return nil
        }
    }

    /// The items, when this is a sequence.
    public var sequenceValue: [YAMLValue]? {
        if case .sequence(let items) = self { return items }
        return nil
    }

    /// The mapping, when this is a mapping.
    public var mappingValue: YAMLMapping? {
        if case .mapping(let mapping) = self { return mapping }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Python's type name of the value, for messages ("expected str, got int").
    public var pythonTypeName: String {
        switch self {
        case .null: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .sequence: return "list"
        case .mapping: return "dict"
        }
    }

    /// Python `==`: `1 == 1.0 == True`, dicts compare regardless of key order, NaN never equals itself.
    public func pythonEquals(_ other: YAMLValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.string(let lhs), .string(let rhs)): return lhs == rhs
        case (.sequence(let lhs), .sequence(let rhs)):
            return lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.pythonEquals($1) }
        case (.mapping(let lhs), .mapping(let rhs)):
            guard lhs.count == rhs.count else { return false }
            return lhs.pairs.allSatisfy { pair in rhs[key: pair.key].map { pair.value.pythonEquals($0) } ?? false }
        default:
            guard let lhs = numericValue, let rhs = other.numericValue else { return false }
            switch (lhs, rhs) {
            case (.integer(let a), .integer(let b)): return a == b
            case (.integer(let a), .real(let b)): return Self.exactlyEquals(a, b)
            case (.real(let a), .integer(let b)): return Self.exactlyEquals(b, a)
            case (.real(let a), .real(let b)): return a == b
            }
        }
    }

    private enum Numeric { case integer(Int), real(Double) }

    private var numericValue: Numeric? {
        switch self {
        case .bool(let flag): return .integer(flag ? 1 : 0)
        case .int(let number): return .integer(number)
        case .float(let number): return .real(number)
        default: return nil
        }
    }

    // Python compares int and float exactly (2**53 + 1 != float(2**53 + 1)).
    private static func exactlyEquals(_ integer: Int, _ real: Double) -> Bool {
        guard real.isFinite, real.rounded(.towardZero) == real,
              let converted = Int(exactly: real) else { return false }
        return converted == integer
    }

    /// The value as JSON, with non-string keys converted the way Python's `json.dumps` does (`1` → `"1"`,
    /// `true` → `"true"`, `null` → `"null"`).
    public var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .float(let number): return .double(number)
        case .string(let text): return .string(text)
        case .sequence(let items): return .array(items.map(\.jsonValue))
        case .mapping(let mapping):
            var object = JSONObject()
            for pair in mapping.pairs { object[pair.key.jsonKey] = pair.value.jsonValue }
            return .object(object)
        }
    }

    private var jsonKey: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .float(let number): return PythonJSON.floatRepr(number, json: true)
        case .string(let text): return text
        case .sequence, .mapping: return PythonJSON.dumps(jsonValue)
        }
    }

    /// Converts JSON (a params or metrics file) into a YAML value.
    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(number)
        case .double(let number): self = .float(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .sequence(items.map(YAMLValue.init))
        case .object(let object):
            self = .mapping(YAMLMapping(stringPairs: object.pairs.map { ($0.key, YAMLValue($0.value)) }))
        }
    }
}

extension YAMLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    /// A string value.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An int value.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A bool value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A float value.
    public init(floatLiteral value: Double) { self = .float(value) }
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
    /// A sequence.
    public init(arrayLiteral elements: YAMLValue...) { self = .sequence(elements) }
    /// A mapping with string keys.
    public init(dictionaryLiteral elements: (String, YAMLValue)...) {
        self = .mapping(YAMLMapping(stringPairs: elements))
    }
}
