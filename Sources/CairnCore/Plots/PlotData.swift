/// One cell of plot data: CSV/TSV cells stay strings (as in DVC), JSON/YAML keep their types.
public enum PlotValue: Sendable, Equatable {
    /// A missing cell or JSON `null`.
    case null
    /// A JSON/YAML boolean.
    case bool(Bool)
    /// A JSON/YAML integer.
    case int(Int)
    /// A JSON/YAML float.
    case float(Double)
    /// A string (every CSV/TSV cell).
    case string(String)
    /// A list or mapping inside a record, kept as is (DVC does not flatten records).
    case nested(JSONValue)

    /// The value as a number when it is one or is a string that parses as a finite number; nil otherwise.
    public var number: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .float(let value): return value.isFinite ? value : nil
        case .string(let text):
            let trimmed = text.trimmingASCIISpaces()
            // Swift also reads hex floats ("0x1p3"); data files mean decimal numbers only.
            guard !trimmed.isEmpty, !trimmed.contains(where: { $0 == "x" || $0 == "X" }),
                  let value = Double(trimmed), value.isFinite else { return nil }
            return value
        case .bool, .null, .nested: return nil
        }
    }

    /// The value as shown in axes, labels and tables (Python's `str` for numbers and booleans).
    public var text: String {
        switch self {
        case .null: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let value): return String(value)
        case .float(let value):
            let json = PythonJSON.dumps(.double(value))
            return json == "NaN" ? "nan" : json == "Infinity" ? "inf" : json == "-Infinity" ? "-inf" : json
        case .string(let text): return text
        case .nested(let value): return PythonJSON.dumps(value)
        }
    }

    /// The value as DVC writes it into `plots show --json` data values.
    public var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let value): return .int(value)
        case .float(let value): return .double(value)
        case .string(let text): return .string(text)
        case .nested(let value): return value
        }
    }
}

/// The records of one plot data file, with the field order DVC sees (the first record's keys first).
public struct PlotTable: Sendable, Equatable {
    /// Field names: the first record's in order, then fields first seen in later records.
    public var fields: [String]
    /// The records.
    public var rows: [[String: PlotValue]]

    /// Creates a table.
    public init(fields: [String], rows: [[String: PlotValue]]) {
        self.fields = fields
        self.rows = rows
    }
}

/// The data of one plot file at one revision.
public struct PlotSeries: Sendable, Equatable {
    /// The revision name shown in the legend (`workspace`, `HEAD`, a branch, a short sha).
    public var revision: String
    /// Repo-relative path of the data file (one of the definition's sources).
    public var path: String
    /// The parsed records.
    public var table: PlotTable

    /// Creates a series.
    public init(revision: String, path: String, table: PlotTable) {
        self.revision = revision
        self.path = path
        self.table = table
    }
}

/// One drawn line/point set: a revision's values of one y field of one file.
public struct PlotLine: Sendable, Equatable {
    /// The revision.
    public var revision: String
    /// The data file.
    public var path: String
    /// The y field.
    public var field: String
    /// `(x, y)` pairs in file order; x is the row index (`step`) when the plot names no x field.
    public var points: [PlotPoint]

    /// DVC's `filename::field` label that tells several y fields apart.
    public var label: String { "\(path)::\(field)" }

    /// Creates a line.
    public init(revision: String, path: String, field: String, points: [PlotPoint]) {
        self.revision = revision
        self.path = path
        self.field = field
        self.points = points
    }
}

/// One data point of a line.
public struct PlotPoint: Sendable, Equatable {
    /// The x value.
    public var x: PlotValue
    /// The y value.
    public var y: PlotValue

    /// Creates a point.
    public init(x: PlotValue, y: PlotValue) {
        self.x = x
        self.y = y
    }
}

/// Reads plot data files (`.csv .tsv .json .yaml .yml`) and picks the plotted fields.
public enum PlotData {
    /// The records of a data file; `path` picks the format by extension and names the file in errors.
    public static func parse(_ bytes: [UInt8], path: String, header: Bool = true) throws(FormatError)
        -> [[String: PlotValue]] {
        try table(bytes, path: path, header: header).rows
    }

    /// The records of a data file with their field order (needed for DVC's default y, the last field).
    public static func table(_ bytes: [UInt8], path: String, header: Bool = true) throws(FormatError) -> PlotTable {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".csv") { return delimited(bytes, separator: UInt8(ascii: ","), header: header) }
        if lowered.hasSuffix(".tsv") { return delimited(bytes, separator: UInt8(ascii: "\t"), header: header) }
        let tree: YAMLValue
        if lowered.hasSuffix(".json") {
            do {
                tree = YAMLValue(try JSONValue.parse(bytes))
            } catch {
                throw FormatError(path: path, line: error.line, column: error.column, message: error.message,
                                  hint: "Fix the JSON syntax of the plot file and try again.")
            }
        } else if lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") {
            tree = try YAMLReader.parse(String(decoding: bytes, as: UTF8.self), path: path)?.value ?? .null
        } else {
            throw FormatError(path: path, message: "unsupported plot file format",
                              hint: "Plots are read from .csv, .tsv, .json, .yaml or .yml files, or shown as "
                                  + ".png, .jpg, .jpeg, .gif or .svg images.")
        }
        guard let records = firstRecordList(tree) else {
            throw FormatError(path: path, message: "no list of records found in the plot file",
                              hint: "A JSON/YAML plot file must be a list of records or a mapping holding one, "
                                  + "e.g. {\"train\": [{\"step\": 0, \"loss\": 0.5}, …]}.")
        }
        var fields: [String] = []
        var seen: Set<String> = []
        var rows: [[String: PlotValue]] = []
        rows.reserveCapacity(records.count)
        for record in records {
            var row: [String: PlotValue] = [:]
            for pair in record.pairs {
                let key = keyText(pair.key)
                row[key] = plotValue(pair.value)
                if seen.insert(key).inserted { fields.append(key) }
            }
            rows.append(row)
        }
        return PlotTable(fields: fields, rows: rows)
    }

    /// The lines a definition draws from the revisions' data, revision by revision, then per source and y field;
    /// `x`/`y` missing from the data → an error naming the file and field (DVC's "Could not find provided field").
    public static func lines(for plot: PlotDefinition, series: [PlotSeries]) throws(FormatError) -> [PlotLine] {
        var result: [PlotLine] = []
        for selection in try select(plot, series) {
            let table = selection.series.table
            for field in selection.yFields {
                var points: [PlotPoint] = []
                points.reserveCapacity(table.rows.count)
                for (index, row) in table.rows.enumerated() {
                    let x = selection.source.x.map { row[$0] ?? .null } ?? .int(index)
                    points.append(PlotPoint(x: x, y: row[field] ?? .null))
                }
                result.append(PlotLine(revision: selection.series.revision, path: selection.source.path, field: field,
                                       points: points))
            }
        }
        return result
    }

    /// The records of `plots show --json` (`content.data.values`) as DVC 3.67.1 writes them: each record's fields,
    /// then `dvc_inferred_y_value` (several y), `step` (no x), `rev`, and `field` (several y of one file) or
    /// `filename::field` (several files).
    public static func values(for plot: PlotDefinition, series: [PlotSeries]) throws(FormatError) -> [JSONObject] {
        let selections = try select(plot, series)
        var paths: Set<String> = []
        var fieldCount = 0
        var labels: Set<String> = []
        for selection in selections {
            paths.insert(selection.source.path)
            for field in selection.yFields where labels.insert(selection.source.path + "::" + field).inserted {
                fieldCount += 1
            }
        }
        let several = fieldCount > 1
        let labelKey = paths.count > 1 ? "filename::field" : "field"
        var result: [JSONObject] = []
        for selection in selections {
            let table = selection.series.table
            for field in selection.yFields {
                for (index, row) in table.rows.enumerated() {
                    var pairs: [(String, JSONValue)] = []
                    pairs.reserveCapacity(table.fields.count + 4)
                    for name in table.fields { if let value = row[name] { pairs.append((name, value.jsonValue)) } }
                    if several { pairs.append(("dvc_inferred_y_value", (row[field] ?? .null).jsonValue)) }
                    if selection.source.x == nil { pairs.append(("step", .int(index))) }
                    pairs.append(("rev", .string(selection.series.revision)))
                    if several {
                        let label = paths.count > 1 ? selection.source.path + "::" + field : field
                        pairs.append((labelKey, .string(label)))
                    }
                    result.append(JSONObject(pairs))
                }
            }
        }
        return result
    }

    private struct Selection {
        var series: PlotSeries
        var source: PlotSource
        var yFields: [String]
    }

    // Pairs each revision's data with the definition's sources and checks the named fields exist.
    private static func select(_ plot: PlotDefinition, _ series: [PlotSeries]) throws(FormatError) -> [Selection] {
        var revisions: [String] = []
        for item in series where !revisions.contains(item.revision) { revisions.append(item.revision) }
        var result: [Selection] = []
        for revision in revisions {
            for source in plot.sources {
                for item in series where item.revision == revision && item.path == source.path {
                    let table = item.table
                    let yFields: [String]
                    if source.y.isEmpty {
                        // DVC's default y: the last field of the first record.
                        guard let last = table.rows.first.flatMap({ first in table.fields.last { first[$0] != nil } })
                        else { continue }
                        yFields = [last]
                    } else {
                        yFields = source.y
                    }
                    for field in [source.x].compactMap({ $0 }) + yFields where !table.rows.isEmpty {
                        if !table.fields.contains(field) {
                            throw FormatError(
                                path: source.path,
                                message: "In '\(revision)', could not find provided field ('\(field)') in data "
                                    + "fields ('\(table.fields.joined(separator: ", "))').",
                                hint: "Fix the x/y field names of plot '\(plot.id)' in \(plot.configPath).")
                        }
                    }
                    result.append(Selection(series: item, source: source, yFields: yFields))
                }
            }
        }
        return result
    }

    // MARK: - JSON/YAML

    private static func firstRecordList(_ value: YAMLValue) -> [YAMLMapping]? {
        switch value {
        case .sequence(let items):
            let records = items.compactMap(\.mappingValue)
            return !records.isEmpty && records.count == items.count ? records : nil
        case .mapping(let mapping):
            for pair in mapping.pairs {
                if let found = firstRecordList(pair.value) { return found }
            }
            return nil
        default:
            return nil
        }
    }

    private static func plotValue(_ value: YAMLValue) -> PlotValue {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .float(let number): return .float(number)
        case .string(let text): return .string(text)
        case .sequence, .mapping: return .nested(value.jsonValue)
        }
    }

    private static func keyText(_ key: YAMLValue) -> String {
        switch key {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .float(let number): return PlotValue.float(number).text
        case .bool(let flag): return flag ? "True" : "False"
        default: return PythonJSON.dumps(key.jsonValue)
        }
    }

    // MARK: - CSV/TSV

    // Python's csv module with its defaults: `"` quoting with doubled quotes, CR/LF/CRLF line ends, quoted
    // newlines kept, blank lines skipped; short rows leave the missing fields null.
    private static func delimited(_ bytes: [UInt8], separator: UInt8, header: Bool) -> PlotTable {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var fieldStarted = false
        var index = start
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        func endRecord() {
            if fieldStarted || !record.isEmpty {
                record.append(String(decoding: field, as: UTF8.self))
                records.append(record)
            }
            record = []
            field = []
            fieldStarted = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < bytes.count, bytes[index + 1] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == quote && field.isEmpty {
                inQuotes = true
                fieldStarted = true
            } else if byte == separator {
                record.append(String(decoding: field, as: UTF8.self))
                field = []
                fieldStarted = true
            } else if byte == cr || byte == lf {
                if byte == cr, index + 1 < bytes.count, bytes[index + 1] == lf { index += 1 }
                endRecord()
            } else {
                field.append(byte)
                fieldStarted = true
            }
            index += 1
        }
        endRecord()
        guard let first = records.first else { return PlotTable(fields: [], rows: []) }
        let fields = header ? first : (0..<first.count).map { String($0) }
        let body = header ? records.dropFirst() : records[...]
        var rows: [[String: PlotValue]] = []
        rows.reserveCapacity(body.count)
        for cells in body {
            var row: [String: PlotValue] = [:]
            row.reserveCapacity(fields.count)
            for (position, name) in fields.enumerated() {
                row[name] = position < cells.count ? .string(cells[position]) : .null
            }
            rows.append(row)
        }
        return PlotTable(fields: fields, rows: rows)
    }
}

extension String {
    fileprivate func trimmingASCIISpaces() -> Substring {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return slice
    }
}
