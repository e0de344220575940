import Foundation

extension ChecksFile {
    /// Parses checks.yaml text; any unknown key, wrong type or bad value is a FormatError at its line:column.
    public static func parse(_ text: String, path: String = ChecksFile.fileName) throws(FormatError) -> ChecksFile {
        guard let root = try YAMLReader.parse(text, path: path) else { return ChecksFile(entries: []) }
        let reader = ChecksReader(path: path)
        guard let pairs = root.pairs else { throw reader.error(root, "the top level must map file paths to their checks") }
        var entries: [FileChecks] = []
        var seen = Set<String>()
        for (key, value) in pairs {
            guard let raw = key.scalar?.text, !raw.isEmpty else { throw reader.error(key, "a file path must be a non-empty string") }
            guard !raw.hasPrefix("/"), let normalized = RepoPath.normalize(raw), !normalized.isEmpty,
                  normalized != "..", !normalized.hasPrefix("../") else {
                throw reader.error(key, "'\(raw)' must be a path relative to the repository root, inside it")
            }
            guard seen.insert(normalized).inserted else { throw reader.error(key, "'\(raw)' is listed twice") }
            entries.append(try reader.entry(normalized, key: key, value: value))
        }
        return ChecksFile(entries: entries)
    }
}

/// Reads checks.yaml nodes, throwing at the offending node's mark.
private struct ChecksReader {
    let path: String

    func error(_ node: YAMLNode, _ message: String) -> FormatError {
        FormatError(path: path, line: node.mark.line, column: node.mark.column, message: message,
                    hint: "See the `checks.yaml` reference in the README; nothing was validated.")
    }

    func entry(_ filePath: String, key: YAMLNode, value: YAMLNode) throws(FormatError) -> FileChecks {
        var checks = FileChecks(path: filePath, mark: key.mark)
        if value.value.isNull { return checks }
        guard let pairs = value.pairs else { throw error(value, "the checks of '\(filePath)' must be a mapping") }
        var hasData = false
        var formatNode: YAMLNode?
        for (k, v) in pairs {
            let name = try string(k)
            switch name {
            case "optional": checks.optional = try bool(v)
            case "size": checks.size = try bounds(v, sizes: true)
            case "rows": checks.rows = try bounds(v, sizes: false); hasData = true
            case "strict": checks.strict = try bool(v); hasData = true
            case "format":
                let text = try string(v)
                guard let format = DataFormat(rawValue: text) else {
                    throw error(v, "unknown format '\(text)'; use one of: \(DataFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                checks.format = format
                formatNode = v
            case "columns": checks.columns = try columns(v); hasData = true
            case "metrics": checks.metrics = try metrics(v)
            default:
                throw error(k, "unknown check '\(name)'; use one of: optional, size, format, rows, columns, strict, metrics")
            }
        }
        if hasData || formatNode != nil {
            if !checks.metrics.isEmpty { throw error(key, "'\(filePath)': `metrics` cannot be combined with rows/columns checks") }
            if checks.format == nil { checks.format = DataFormat.from(path: filePath) }
            if checks.format == nil {
                throw error(key, "cannot tell the format of '\(filePath)' from its extension; add `format: csv`, `tsv` or `jsonl`")
            }
        }
        return checks
    }

    func columns(_ node: YAMLNode) throws(FormatError) -> [ColumnSpec] {
        guard let pairs = node.pairs else { throw error(node, "`columns` must map column names to their checks") }
        var specs: [ColumnSpec] = []
        for (k, v) in pairs {
            let name = try string(k)
            guard !specs.contains(where: { $0.name == name }) else { throw error(k, "column '\(name)' is listed twice") }
            var spec = ColumnSpec(name: name)
            if v.value.isNull { specs.append(spec); continue }
            guard let checks = v.pairs else { throw error(v, "the checks of column '\(name)' must be a mapping") }
            var minNode: YAMLNode?, maxNode: YAMLNode?
            for (ck, cv) in checks {
                let check = try string(ck)
                switch check {
                case "type":
                    let text = try string(cv)
                    guard let type = ColumnType(rawValue: text) else {
                        throw error(cv, "unknown type '\(text)'; use one of: \(ColumnType.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    spec.type = type
                case "required": spec.required = try bool(cv)
                case "unique": spec.unique = try bool(cv)
                case "min": minNode = cv
                case "max": maxNode = cv
                case "in":
                    guard let items = cv.items, !items.isEmpty else { throw error(cv, "`in` must be a non-empty list of allowed values") }
                    var allowed: [String] = []
                    for item in items {
                        guard let text = item.scalar?.text, !item.value.isNull else {
                            throw error(item, "allowed values must be scalars (strings or numbers)")
                        }
                        allowed.append(text)
                    }
                    spec.allowed = allowed
                default:
                    throw error(ck, "unknown column check '\(check)'; use one of: type, required, unique, min, max, in")
                }
            }
            if minNode != nil || maxNode != nil {
                switch spec.type {
                case .int?, .float?:
                    var range = Bounds()
                    if let minNode { range.min = try number(minNode) }
                    if let maxNode { range.max = try number(maxNode) }
                    spec.range = range
                case .date?:
                    if let minNode { spec.dateMin = try date(minNode) }
                    if let maxNode { spec.dateMax = try date(maxNode) }
                default:
                    throw error(minNode ?? maxNode!, "`min`/`max` need `type: int`, `float` or `date` on column '\(name)'")
                }
            }
            specs.append(spec)
        }
        return specs
    }

    func metrics(_ node: YAMLNode) throws(FormatError) -> [MetricCheck] {
        guard let items = node.items else { throw error(node, "`metrics` must be a list like `- acc >= 0.8`") }
        var checks: [MetricCheck] = []
        for item in items {
            if let text = item.scalar?.text, !item.value.isNull {
                checks.append(try threshold(text, item))
            } else if let pairs = item.pairs, pairs.count == 1, let rule = pairs[0].value.pairs {
                let key = try string(pairs[0].key)
                var tolerance: Double?, revision: String?, higher = true
                for (rk, rv) in rule {
                    let ruleName = try string(rk)
                    switch ruleName {
                    case "no_drop": tolerance = try number(rv); higher = true
                    case "no_rise": tolerance = try number(rv); higher = false
                    case "against": revision = try string(rv)
                    default: throw error(rk, "unknown metric rule '\(ruleName)'; use `no_drop` or `no_rise` with `against`")
                    }
                }
                guard let tolerance, tolerance >= 0 else { throw error(pairs[0].value, "give `no_drop: TOLERANCE` or `no_rise: TOLERANCE` (>= 0)") }
                guard let revision, !revision.isEmpty else { throw error(pairs[0].value, "give `against: REVISION` (a branch, tag or commit)") }
                checks.append(.noRegression(key: key, tolerance: tolerance, revision: revision, higherIsBetter: higher))
            } else {
                throw error(item, "a metric check is `KEY OP NUMBER` (e.g. `acc >= 0.8`) or `KEY: {no_drop: 0.01, against: main}`")
            }
        }
        return checks
    }

    func threshold(_ text: String, _ node: YAMLNode) throws(FormatError) -> MetricCheck {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 3, let op = ComparisonOperator(rawValue: String(parts[parts.count - 2])),
              let value = Double(parts[parts.count - 1]) else {
            throw error(node, "cannot read metric check '\(text)'; write `KEY OP NUMBER` with spaces around OP (>=, <=, >, <, ==, !=)")
        }
        return .threshold(key: parts[0..<(parts.count - 2)].joined(separator: " "), op: op, value: value)
    }

    func bounds(_ node: YAMLNode, sizes: Bool) throws(FormatError) -> Bounds {
        guard let pairs = node.pairs else { throw error(node, "bounds must be a mapping like `{min: 1, max: 10}`") }
        var bounds = Bounds()
        for (k, v) in pairs {
            let value = sizes ? try size(v) : try number(v)
            let name = try string(k)
            switch name {
            case "min": bounds.min = value
            case "max": bounds.max = value
            default: throw error(k, "unknown bound '\(name)'; use `min` and/or `max`")
            }
        }
        if let min = bounds.min, let max = bounds.max, min > max { throw error(node, "`min` is greater than `max`") }
        return bounds
    }

    /// A byte count: a number or `N UNIT` with B, KB/MB/GB/TB (powers of 1000) or KiB/MiB/GiB/TiB (of 1024).
    func size(_ node: YAMLNode) throws(FormatError) -> Double {
        switch node.value {
        case .int(let n) where n >= 0: return Double(n)
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let digits = trimmed.prefix { $0.isNumber || $0 == "." }
            let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
            let units: [String: Double] = ["": 1, "B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
                                           "KiB": 1024, "MiB": 1_048_576, "GiB": 1_073_741_824, "TiB": 1_099_511_627_776]
            if let number = Double(digits), let factor = units[unit] { return (number * factor).rounded() }
            throw error(node, "cannot read size '\(text)'; write e.g. `500`, `10 KB`, `2 GiB`")
        default:
            throw error(node, "a size must be a byte count or a string like `10 MB`")
        }
    }

    func number(_ node: YAMLNode) throws(FormatError) -> Double {
        switch node.value {
        case .int(let n): return Double(n)
        case .float(let x): return x
        default: throw error(node, "expected a number, found \(describe(node))")
        }
    }

    func date(_ node: YAMLNode) throws(FormatError) -> String {
        guard case .string(let text) = node.value, ISODate.isValid(Array(text.utf8)[...]) else {
            throw error(node, "expected an ISO 8601 date like 2024-01-31, found \(describe(node))")
        }
        return text
    }

    func string(_ node: YAMLNode) throws(FormatError) -> String {
        guard case .string(let text) = node.value else { throw error(node, "expected a string, found \(describe(node))") }
        return text
    }

    func bool(_ node: YAMLNode) throws(FormatError) -> Bool {
        guard case .bool(let flag) = node.value else { throw error(node, "expected true or false, found \(describe(node))") }
        return flag
    }

    func describe(_ node: YAMLNode) -> String {
        switch node.kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let text, _): return node.value.isNull ? "nothing" : "'\(text)'"
        }
    }
}
