/// Runs one column's declared checks on its values and keeps the failures.
struct ColumnChecker {
    let spec: ColumnSpec
    /// 1-based position in the header (CSV/TSV); nil for JSON lines.
    var position: Int?
    private var typeOutcome: CheckOutcome?
    private var requiredOutcome: CheckOutcome?
    private var rangeOutcome: CheckOutcome?
    private var allowedOutcome: CheckOutcome?
    private var uniqueOutcome: CheckOutcome?
    private let allowed: [[UInt8]]
    private let dateMin: [UInt8]?
    private let dateMax: [UInt8]?
    /// Distinct values seen, exact (no hash collisions): int columns by value, values of up to 16 bytes
    /// packed into two words, longer ones as byte arrays — the packed forms need no allocation per value.
    private var seenIntegers: Set<Int> = []
    private var seenShort: Set<PackedValue> = []
    private var seenLong: Set<[UInt8]> = []

    init(spec: ColumnSpec, position: Int?) {
        self.spec = spec
        self.position = position
        let name = spec.name
        if let type = spec.type { typeOutcome = CheckOutcome(check: "type", column: name, rule: type.rawValue) }
        if spec.required { requiredOutcome = CheckOutcome(check: "required", column: name) }
        if let range = spec.range { rangeOutcome = CheckOutcome(check: "range", column: name, rule: range.text) }
        if spec.dateMin != nil || spec.dateMax != nil {
            rangeOutcome = CheckOutcome(check: "range", column: name, rule: "[\(spec.dateMin ?? ""), \(spec.dateMax ?? "")]")
        }
        if let allowed = spec.allowed {
            allowedOutcome = CheckOutcome(check: "in", column: name, rule: "[" + allowed.joined(separator: ", ") + "]")
        }
        if spec.unique { uniqueOutcome = CheckOutcome(check: "unique", column: name) }
        allowed = (spec.allowed ?? []).map { Array($0.utf8) }
        dateMin = spec.dateMin.map { Array($0.utf8) }
        dateMax = spec.dateMax.map { Array($0.utf8) }
    }

    /// The outcomes in a fixed order: type, required, range, in, unique.
    var outcomes: [CheckOutcome] {
        [typeOutcome, requiredOutcome, rangeOutcome, allowedOutcome, uniqueOutcome].compactMap { $0 }
    }

    /// Checks a CSV/TSV field.
    @inline(__always)
    mutating func check(_ bytes: UnsafeRawBufferPointer, row: Int) {
        let column = position ?? 0
        if FieldValue.isNull(bytes) {
            if requiredOutcome != nil { requiredOutcome!.fail(row: row, column: column, bytes: bytes) }
            return
        }
        var numeric: Double?
        var integer: Int?
        if let type = spec.type {
            let ok: Bool
            switch type {
            case .int:
                let value = FieldValue.int(bytes)
                numeric = value.map(Double.init)
                integer = value
                ok = value != nil
            case .float:
                numeric = FieldValue.double(bytes)
                ok = numeric != nil
            case .bool: ok = FieldValue.isBool(bytes)
            case .date: ok = ISODate.isValid(bytes)
            case .string: ok = true
            }
            if !ok {
                typeOutcome!.fail(row: row, column: column, bytes: bytes)
                return
            }
        }
        checkValue(bytes, numeric: numeric, integer: integer, row: row, column: column)
    }

    /// Checks a JSON-lines value (`nil` when the key is missing).
    mutating func check(json value: JSONValue?, row: Int) {
        guard let value, value != .null else {
            if requiredOutcome != nil { requiredOutcome!.fail(row: row, column: nil, value: value == nil ? "<missing>" : "null") }
            return
        }
        let text: String
        var numeric: Double?
        var integer: Int?
        switch value {
        case .string(let s): text = s
        case .int(let i): text = String(i); numeric = Double(i); integer = i
        case .double(let d): text = PythonJSON.floatRepr(d, json: true); numeric = d
        case .bool(let flag): text = flag ? "true" : "false"
        default: text = PythonJSON.dumps(value)
        }
        if let type = spec.type {
            let ok: Bool
            switch (type, value) {
            case (.int, .int), (.float, .int), (.float, .double), (.bool, .bool), (.string, .string): ok = true
            case (.date, .string(let s)): ok = ISODate.isValid(Array(s.utf8))
            default: ok = false
            }
            if !ok {
                typeOutcome!.fail(row: row, column: nil, value: text)
                return
            }
        }
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { checkValue($0, numeric: numeric, integer: spec.type == .int ? integer : nil, row: row, column: nil) }
    }

    @inline(__always)
    private mutating func checkValue(_ bytes: UnsafeRawBufferPointer, numeric: Double?, integer: Int?, row: Int, column: Int?) {
        if rangeOutcome != nil {
            var ok = true
            if let range = spec.range, let numeric { ok = range.contains(numeric) }
            if let dateMin, Self.compare(bytes, dateMin) < 0 { ok = false }
            if let dateMax, Self.compare(bytes, dateMax) > 0 { ok = false }
            if !ok { Self.fail(&rangeOutcome, bytes, row, column) }
        }
        if allowedOutcome != nil && !allowed.contains(where: { Self.equal(bytes, $0) }) {
            Self.fail(&allowedOutcome, bytes, row, column)
        }
        if uniqueOutcome != nil {
            let isNew: Bool
            if let integer {
                isNew = seenIntegers.insert(integer).inserted
            } else if let packed = PackedValue(bytes) {
                isNew = seenShort.insert(packed).inserted
            } else {
                isNew = seenLong.insert(Array(bytes)).inserted
            }
            if !isNew { Self.fail(&uniqueOutcome, bytes, row, column) }
        }
    }

    private static func fail(_ outcome: inout CheckOutcome?, _ bytes: UnsafeRawBufferPointer, _ row: Int, _ column: Int?) {
        if let column { outcome!.fail(row: row, column: column, bytes: bytes) } else {
            outcome!.fail(row: row, column: nil, value: String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Compares a value with a date bound on the bound's length (so `2024-01-31T10:00` equals `2024-01-31`).
    private static func compare(_ bytes: UnsafeRawBufferPointer, _ bound: [UInt8]) -> Int {
        for k in 0..<bound.count {
            guard k < bytes.count else { return -1 }
            if bytes[k] != bound[k] { return bytes[k] < bound[k] ? -1 : 1 }
        }
        return 0
    }

    @inline(__always)
    private static func equal(_ bytes: UnsafeRawBufferPointer, _ other: [UInt8]) -> Bool {
        guard bytes.count == other.count else { return false }
        return other.withUnsafeBytes { $0.elementsEqual(bytes) }
    }
}

/// A value of at most 16 bytes held exactly in two words plus its length (for `unique`).
private struct PackedValue: Hashable {
    var low: UInt64 = 0
    var high: UInt64 = 0
    var count: UInt8

    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= 16 else { return nil }
        count = UInt8(bytes.count)
        for (index, byte) in bytes.enumerated() {
            if index < 8 { low |= UInt64(byte) << (8 * UInt64(index)) } else { high |= UInt64(byte) << (8 * UInt64(index - 8)) }
        }
    }
}
