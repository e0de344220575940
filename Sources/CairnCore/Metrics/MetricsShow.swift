/// Output formats of `metrics show` (`--json`, `--md`, `--csv`, default plain).
public enum MetricsOutputFormat: Sendable {
    case plain, markdown, json, csv
}

/// `dvc metrics show` output (FORMATS.md §8.3).
public enum MetricsShow {
    /// DVC's default `--precision` for text tables.
    public static let defaultPrecision = 5

    /// Renders the revisions' metrics; the result includes the final newline(s).
    ///
    /// * plain/markdown: columns (`Revision` when `showRevision`) `Path`, then every flattened metric name sorted
    ///   by code point; one row per (revision, file) in the order given; `-` for a missing value or a file that
    ///   failed to load; floats rounded to `precision` (default 5) with Python `round()`.
    /// * json: `{rev: {"data": {path: {"data": <tree>}}}}` with the nested tree minus lists/nulls/empty mappings,
    ///   raw numbers, `{"error": {"type", "msg"}}` in place of `data` for a failed file or revision.
    /// * csv (cairn's own, modelled on `dvc exp show --csv`): a header row `[Revision,]Path,<metric names sorted>`
    ///   then one row per (revision, file); missing values are empty fields; values are Python `str()` of the raw
    ///   value, rounded only when `precision` is given; fields quoted per RFC 4180 when they contain `,` `"` CR or
    ///   LF (quotes doubled); rows end in CRLF like Python's `csv` module.
    public static func render(_ revisions: [RevisionFiles], format: MetricsOutputFormat, precision: Int? = nil,
                              showRevision: Bool) -> String {
        switch format {
        case .json:
            return PythonJSON.dumps(json(revisions)) + "\n"
        case .plain, .markdown:
            let table = self.table(revisions, precision: precision ?? defaultPrecision, missing: "-",
                                   showRevision: showRevision)
            return format == .plain ? table.plain() : table.markdown()
        case .csv:
            let table = self.table(revisions, precision: precision, missing: "", showRevision: showRevision)
            return CSVWriter.render([table.headers] + table.rows)
        }
    }

    /// The JSON document of `metrics show --json`.
    public static func json(_ revisions: [RevisionFiles]) -> JSONValue {
        var top = JSONObject()
        for revision in revisions {
            if let error = revision.error {
                top[revision.revision] = .object(["error": error.jsonValue])
                continue
            }
            var files = JSONObject()
            for file in revision.files {
                switch file.result {
                case .success(let value): files[file.path] = .object(["data": MetricsFlattening.filtered(value)])
                case .failure(let error): files[file.path] = .object(["error": error.jsonValue])
                }
            }
            top[revision.revision] = .object(["data": .object(files)])
        }
        return .object(top)
    }

    /// The table behind the text formats: header and cells, before layout.
    public static func table(_ revisions: [RevisionFiles], precision: Int?, missing: String = "-",
                             showRevision: Bool) -> TextTable {
        var names = Set<String>()
        var rows: [(revision: String, path: String, values: [String: MetricValue])] = []
        for revision in revisions where revision.error == nil {
            for file in revision.files {
                var values: [String: MetricValue] = [:]
                if case .success(let document) = file.result {
                    for (key, value) in MetricsFlattening.flatten(document) {
                        values[key] = value
                        names.insert(key)
                    }
                }
                rows.append((revision.revision, file.path, values))
            }
        }
        let columns = names.sorted(by: ParamsLookup.pythonLess)
        let headers = (showRevision ? ["Revision"] : []) + ["Path"] + columns
        let cells = rows.map { row in
            (showRevision ? [row.revision] : []) + [row.path]
                + columns.map { row.values[$0]?.formatted(precision: precision) ?? missing }
        }
        return TextTable(headers: headers, rows: cells)
    }
}

/// Writes rows as CSV the way Python's `csv.writer` does by default (minimal quoting, CRLF).
enum CSVWriter {
    static func render(_ rows: [[String]]) -> String {
        var out = ""
        for row in rows {
            if row.count == 1, row[0].isEmpty {
                out += "\"\"\r\n"
                continue
            }
            out += row.map(field).joined(separator: ",") + "\r\n"
        }
        return out
    }

    private static func field(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"")
            || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }) else { return text }
        var quoted = "\""
        for character in text {
            quoted.append(character)
            if character == "\"" { quoted.append("\"") }
        }
        return quoted + "\""
    }
}
