/// A parsed `checks.yaml`: the declared checks per repo-relative path, in source order.
public struct ChecksFile: Sendable {
    /// The file name checks are read from, at the repository root.
    public static let fileName = "checks.yaml"
    /// One entry per listed path.
    public var entries: [FileChecks]

    /// Creates a checks file.
    public init(entries: [FileChecks]) { self.entries = entries }
}

/// The checks declared for one path.
public struct FileChecks: Sendable {
    /// Repo-relative path of the checked file.
    public var path: String
    /// Where the entry starts in checks.yaml.
    public var mark: YAMLMark
    /// Whether the file may be absent (then no other check runs).
    public var optional = false
    /// Size bounds in bytes.
    public var size: Bounds?
    /// How the data file is read; nil when only size / metrics are checked.
    public var format: DataFormat?
    /// Data-row bounds (header not counted).
    public var rows: Bounds?
    /// Per-column constraints, in source order.
    public var columns: [ColumnSpec] = []
    /// Whether columns other than the listed ones are refused.
    public var strict = false
    /// Metric thresholds and no-regression checks.
    public var metrics: [MetricCheck] = []

    /// Creates an entry with no checks but presence.
    public init(path: String, mark: YAMLMark) {
        self.path = path
        self.mark = mark
    }
}

/// Inclusive numeric bounds; either side may be open.
public struct Bounds: Sendable, Equatable {
    /// Lower bound.
    public var min: Double?
    /// Upper bound.
    public var max: Double?

    /// Creates bounds.
    public init(min: Double? = nil, max: Double? = nil) {
        self.min = min
        self.max = max
    }

    /// Whether `value` lies within the bounds.
    public func contains(_ value: Double) -> Bool {
        if value.isNaN { return false }
        if let min, value < min { return false }
        if let max, value > max { return false }
        return true
    }

    /// `[min, max]` with open sides shown as `..`.
    public var text: String {
        "[\(min.map(Self.number) ?? ""), \(max.map(Self.number) ?? "")]"
    }

    /// A bound as written: integers without a fraction.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// A tabular data format.
public enum DataFormat: String, Sendable, CaseIterable {
    case csv, tsv, jsonl

    /// The format implied by a path's extension.
    public static func from(path: String) -> DataFormat? {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return .tsv }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        return nil
    }
}

/// A column's value type.
public enum ColumnType: String, Sendable, CaseIterable {
    case int, float, bool, string, date
}

/// The constraints on one column.
public struct ColumnSpec: Sendable {
    /// Column name as in the header row / JSON key.
    public var name: String
    /// Expected type; nil accepts anything.
    public var type: ColumnType?
    /// No nulls allowed.
    public var required = false
    /// No value may repeat (nulls are not compared).
    public var unique = false
    /// Numeric bounds (int/float columns).
    public var range: Bounds?
    /// Inclusive ISO-8601 bounds compared as text (date columns).
    public var dateMin: String?
    /// Upper ISO-8601 bound.
    public var dateMax: String?
    /// Allowed values, compared with the field's text.
    public var allowed: [String]?

    /// Creates an unconstrained column.
    public init(name: String) { self.name = name }
}

/// A comparison in a metric threshold.
public enum ComparisonOperator: String, Sendable, CaseIterable {
    case greaterOrEqual = ">=", lessOrEqual = "<=", greater = ">", less = "<", equal = "==", notEqual = "!="

    /// Applies the comparison.
    public func holds(_ lhs: Double, _ rhs: Double) -> Bool {
        switch self {
        case .greaterOrEqual: return lhs >= rhs
        case .lessOrEqual: return lhs <= rhs
        case .greater: return lhs > rhs
        case .less: return lhs < rhs
        case .equal: return lhs == rhs
        case .notEqual: return lhs != rhs
        }
    }
}

/// A check on one flattened metric.
public enum MetricCheck: Sendable, Equatable {
    /// `key OP value`.
    case threshold(key: String, op: ComparisonOperator, value: Double)
    /// The value must not be more than `tolerance` below (`higherIsBetter`) or above the value at `revision`.
    case noRegression(key: String, tolerance: Double, revision: String, higherIsBetter: Bool)

    /// The flattened key checked.
    public var key: String {
        switch self {
        case .threshold(let key, _, _), .noRegression(let key, _, _, _): return key
        }
    }

    /// The check as written, for reports.
    public var text: String {
        switch self {
        case .threshold(let key, let op, let value): return "\(key) \(op.rawValue) \(Bounds.number(value))"
        case .noRegression(let key, let tolerance, let revision, let higher):
            return "\(key) \(higher ? "no_drop" : "no_rise") \(Bounds.number(tolerance)) against \(revision)"
        }
    }
}
