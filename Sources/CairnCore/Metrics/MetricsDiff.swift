/// Output formats of `metrics diff` / `params diff` (`--json`, `--md`, default plain).
public enum DiffOutputFormat: Sendable {
    case plain, markdown, json
}

/// One compared value: a metric or param of one file in two revisions.
public struct DiffRow: Sendable, Equatable {
    /// Repo-relative file path.
    public var path: String
    /// Flattened key (`nested.f1`; `""` for a scalar file).
    public var key: String
    /// Value in the old revision (nil: missing there).
    public var old: MetricValue?
    /// Value in the new revision (nil: missing there).
    public var new: MetricValue?
    /// `new - old` when both are numbers (bools count), else nil.
    public var diff: MetricValue?

    /// Creates a row.
    public init(path: String, key: String, old: MetricValue?, new: MetricValue?, diff: MetricValue?) {
        self.path = path
        self.key = key
        self.old = old
        self.new = new
        self.diff = diff
    }

    /// cairn's `--relative` change in percent, `(new − old) / |old| × 100`; nil when either side is not a number
    /// or old is 0.
    public var relativeChange: Double? {
        guard let old, let new, old.isNumeric, new.isNumeric, let delta = MetricValue.difference(new: new, old: old)
        else { return nil }
        let base: Double
        switch old {
        case .bool(let flag): base = flag ? 1 : 0
        case .int(let number): base = Double(number)
        case .float(let number): base = number
        case .string: return nil
        }
        guard base != 0 else { return nil }
        let change: Double
        switch delta {
        case .int(let number): change = Double(number)
        case .float(let number): change = number
        default: return nil
        }
        return change / abs(base) * 100
    }
}

/// Compares flattened files of two revisions; shared by `metrics diff` and `params diff`.
enum RevisionComparison {
    static func compute(old: RevisionFiles, new: RevisionFiles, all: Bool, listsAsRepr: Bool) -> [DiffRow] {
        let oldValues = values(old, listsAsRepr: listsAsRepr)
        let newValues = values(new, listsAsRepr: listsAsRepr)
        var paths: [String] = []
        var seen = Set<String>()
        for file in old.files + new.files where seen.insert(file.path).inserted { paths.append(file.path) }
        var rows: [DiffRow] = []
        for path in paths {
            let before = oldValues[path] ?? [:]
            let after = newValues[path] ?? [:]
            let keys = Set(before.keys).union(after.keys).sorted(by: ParamsLookup.pythonLess)
            for key in keys {
                let previous = before[key]
                let current = after[key]
                if !all, let previous, let current, previous.pythonEquals(current) { continue }
                var diff: MetricValue?
                if let previous, let current { diff = MetricValue.difference(new: current, old: previous) }
                rows.append(DiffRow(path: path, key: key, old: previous, new: current, diff: diff))
            }
        }
        return rows
    }

    // A failed file or revision contributes no values: its metrics show as missing, as in DVC.
    private static func values(_ revision: RevisionFiles, listsAsRepr: Bool) -> [String: [String: MetricValue]] {
        guard revision.error == nil else { return [:] }
        var result: [String: [String: MetricValue]] = [:]
        for file in revision.files {
            guard case .success(let document) = file.result else { continue }
            var flat = result[file.path] ?? [:]
            for (key, value) in MetricsFlattening.flatten(document, listsAsRepr: listsAsRepr) { flat[key] = value }
            result[file.path] = flat
        }
        return result
    }

    static func json(_ rows: [DiffRow], relative: Bool) -> JSONValue {
        var top = JSONObject()
        for row in rows {
            var entry = JSONObject()
            entry["old"] = row.old?.jsonValue ?? .null
            entry["new"] = row.new?.jsonValue ?? .null
            if let diff = row.diff { entry["diff"] = diff.jsonValue }
            if relative, let rel = row.relativeChange { entry["rel"] = .double(rel) }
            var file: JSONObject
            if case .object(let existing)? = top[row.path] { file = existing } else { file = JSONObject() }
            file[row.key] = .object(entry)
            top[row.path] = .object(file)
        }
        return .object(top)
    }

    static func table(_ rows: [DiffRow], keyHeader: String, oldLabel: String, newLabel: String, precision: Int?,
                      change: Bool, relative: Bool, showPath: Bool) -> TextTable {
        var headers = (showPath ? ["Path"] : []) + [keyHeader, oldLabel, newLabel]
        if change { headers.append("Change") }
        if relative { headers.append("Change %") }
        let cells = rows.map { row -> [String] in
            var line = (showPath ? [row.path] : []) + [
                row.key,
                row.old?.formatted(precision: precision) ?? "-",
                row.new?.formatted(precision: precision) ?? "-",
            ]
            if change { line.append(row.diff?.formatted(precision: precision) ?? "-") }
            if relative {
                line.append(row.relativeChange.map { MetricValue.float($0).formatted(precision: precision) } ?? "-")
            }
            return line
        }
        return TextTable(headers: headers, rows: cells)
    }

    static func render(_ table: TextTable, json: @autoclosure () -> JSONValue, format: DiffOutputFormat) -> String {
        switch format {
        case .plain: return table.plain()
        case .markdown: return table.markdown()
        case .json: return PythonJSON.dumps(json()) + "\n"
        }
    }
}

/// `dvc metrics diff` (FORMATS.md §8.4) plus cairn's `--relative`.
public enum MetricsDiff {
    /// The compared metrics: files in the order given (old's files, then files only in new), metrics sorted by code
    /// point within a file; unchanged ones (Python `==`, so `1 == 1.0 == True`) only with `all`. A file that failed
    /// to load counts as missing.
    public static func compute(old: RevisionFiles, new: RevisionFiles, all: Bool) -> [DiffRow] {
        RevisionComparison.compute(old: old, new: new, all: all, listsAsRepr: false)
    }

    /// Renders rows with the result's final newline(s). Text: `Path Metric <old> <new> Change` (`Path` dropped by
    /// `showPath: false`; `Change %` appended with `relative`), floats rounded to `precision` (default 5) with
    /// Python `round()`, `-` for missing; plain prints nothing for no rows. JSON: `{path: {metric: {"old", "new",
    /// "diff"?, "rel"?}}}` with raw values, `null` for a missing side, `diff` only for numeric pairs, `rel` (percent)
    /// only with `relative` and a non-zero numeric old value.
    public static func render(_ rows: [DiffRow], oldLabel: String, newLabel: String, format: DiffOutputFormat,
                              precision: Int? = nil, showPath: Bool = true, relative: Bool = false) -> String {
        let table = RevisionComparison.table(rows, keyHeader: "Metric", oldLabel: oldLabel, newLabel: newLabel,
                                             precision: precision ?? MetricsShow.defaultPrecision, change: true,
                                             relative: relative, showPath: showPath)
        return RevisionComparison.render(table, json: RevisionComparison.json(rows, relative: relative),
                                         format: format)
    }
}

/// `dvc params diff` (FORMATS.md §8.5).
public enum ParamsDiff {
    /// The compared params: like `MetricsDiff.compute`, but lists are kept as their Python-repr string (compared as
    /// strings) and there is no rounding.
    public static func compute(old: RevisionFiles, new: RevisionFiles, all: Bool) -> [DiffRow] {
        RevisionComparison.compute(old: old, new: new, all: all, listsAsRepr: true)
    }

    /// Renders rows with the result's final newline(s): `Path Param <old> <new>` with Python `str()` values (no
    /// `Change` column, no rounding); JSON like `metrics diff` (`diff` for numeric pairs).
    public static func render(_ rows: [DiffRow], oldLabel: String, newLabel: String, format: DiffOutputFormat,
                              showPath: Bool = true) -> String {
        let table = RevisionComparison.table(rows, keyHeader: "Param", oldLabel: oldLabel, newLabel: newLabel,
                                             precision: nil, change: false, relative: false, showPath: showPath)
        return RevisionComparison.render(table, json: RevisionComparison.json(rows, relative: false), format: format)
    }
}
