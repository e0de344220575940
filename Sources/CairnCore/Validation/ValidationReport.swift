/// The result of `cairn validate`: every declared check per file, with its failures.
public struct ValidationReport: Sendable {
    /// Files in checks.yaml order.
    public var files: [FileReport]

    /// Creates a report.
    public init(files: [FileReport]) { self.files = files }

    /// Whether every check passed.
    public var passed: Bool { files.allSatisfy(\.passed) }

    /// One line per failed check (file, check, row:column, value, first examples, count of the rest), then a summary.
    public func text() -> String {
        var lines: [String] = []
        var total = 0, failed = 0
        for file in files {
            for check in file.checks {
                total += 1
                guard !check.passed else { continue }
                failed += 1
                var line = "\(file.path): \(check.label): "
                if let message = check.message { line += message }
                if !check.examples.isEmpty {
                    if check.message != nil { line += "; " }
                    line += "\(check.count) failure\(check.count == 1 ? "" : "s"): "
                    line += check.examples.map(\.text).joined(separator: ", ")
                    let rest = check.count - check.examples.count
                    if rest > 0 { line += " and \(rest) more" }
                }
                lines.append(line)
            }
        }
        let verdict = failed == 0 ? "passed" : "FAILED"
        lines.append("validate \(verdict): \(total) check\(total == 1 ? "" : "s") on \(files.count) file\(files.count == 1 ? "" : "s"), "
                     + "\(total - failed) passed, \(failed) failed")
        return lines.joined(separator: "\n")
    }

    /// The documented JSON shape: `{"passed", "files": [{"path", "passed", "checks": [{"check", "column"?,
    /// "rule", "status", "count", "message"?, "failures": [{"row", "column", "value"}]}]}]}`.
    public func json() -> String {
        let fileValues: [JSONValue] = files.map { file in
            .object(JSONObject([
                ("path", .string(file.path)),
                ("passed", .bool(file.passed)),
                ("checks", .array(file.checks.map(\.jsonValue))),
            ]))
        }
        return PythonJSON.dumps(.object(JSONObject([("passed", .bool(passed)), ("files", .array(fileValues))])))
    }
}

/// The checks run on one file.
public struct FileReport: Sendable {
    /// Repo-relative path.
    public var path: String
    /// Checks in declaration order.
    public var checks: [CheckOutcome]

    /// Creates a file report.
    public init(path: String, checks: [CheckOutcome]) {
        self.path = path
        self.checks = checks
    }

    /// Whether all its checks passed.
    public var passed: Bool { checks.allSatisfy(\.passed) }
}

/// One check's outcome: how many values failed, the first few of them, or a file-level message.
public struct CheckOutcome: Sendable {
    /// How many examples are kept per check.
    public static let exampleLimit = 5

    /// The check's name (`present`, `size`, `rows`, `columns`, `strict`, `fields`, `quoting`, `type`,
    /// `required`, `range`, `in`, `unique`, `metric`).
    public var check: String
    /// The column the check is on, if any.
    public var column: String?
    /// The rule as declared (`int`, `[0, 130]`, `acc >= 0.8`), if any.
    public var rule: String?
    /// A file-level failure description.
    public var message: String?
    /// Failing values seen.
    public var count = 0
    /// The first failing values.
    public var examples: [FailureExample] = []

    /// Creates a passing check.
    public init(check: String, column: String? = nil, rule: String? = nil) {
        self.check = check
        self.column = column
        self.rule = rule
    }

    /// Whether it passed.
    public var passed: Bool { count == 0 && message == nil }

    /// Records a failing value.
    public mutating func fail(row: Int?, column: Int?, value: String) {
        count += 1
        if examples.count < Self.exampleLimit { examples.append(FailureExample(row: row, column: column, value: value)) }
    }

    /// Records a failing value from raw bytes (shown as UTF-8, cut at 60 bytes).
    public mutating func fail(row: Int, column: Int, bytes: UnsafeRawBufferPointer) {
        count += 1
        if examples.count < Self.exampleLimit {
            let shown = String(decoding: bytes.prefix(60), as: UTF8.self) + (bytes.count > 60 ? "…" : "")
            examples.append(FailureExample(row: row, column: column, value: shown))
        }
    }

    /// `column 'age' range [0, 130]`-style label.
    var label: String {
        var text = column.map { "column '\($0)' " } ?? ""
        text += check
        if let rule { text += " " + rule }
        return text
    }

    var jsonValue: JSONValue {
        var pairs: [(String, JSONValue)] = [("check", .string(check))]
        if let column { pairs.append(("column", .string(column))) }
        if let rule { pairs.append(("rule", .string(rule))) }
        pairs.append(("status", .string(passed ? "passed" : "failed")))
        pairs.append(("count", .int(count)))
        if let message { pairs.append(("message", .string(message))) }
        pairs.append(("failures", .array(examples.map(\.jsonValue))))
        return .object(JSONObject(pairs))
    }
}

/// One failing value: where it is (1-based line of the record, 1-based field) and its text.
public struct FailureExample: Sendable, Equatable {
    /// The line the record starts on (the header is line 1), or the JSON-lines line.
    public var row: Int?
    /// 1-based field position.
    public var column: Int?
    /// The offending value as written.
    public var value: String

    /// Creates an example.
    public init(row: Int?, column: Int?, value: String) {
        self.row = row
        self.column = column
        self.value = value
    }

    var text: String {
        var location = ""
        if let row { location = "\(row)" + (column.map { ":\($0)" } ?? "") + " " }
        return location + PythonValueRepr.reprString(value)
    }

    var jsonValue: JSONValue {
        let rowValue: JSONValue = row.map { JSONValue.int($0) } ?? .null
        let columnValue: JSONValue = column.map { JSONValue.int($0) } ?? .null
        return .object(JSONObject([("row", rowValue), ("column", columnValue), ("value", .string(value))]))
    }
}
