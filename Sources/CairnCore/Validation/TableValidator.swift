/// Checks a CSV/TSV file fed in chunks: header, schema, field counts, row bounds and per-column checks,
/// in one pass with memory bounded by the chunk size (plus the distinct values of `unique` columns).
public struct TableValidator: DelimitedSink {
    private let checks: FileChecks
    private var scanner: DelimitedScanner
    private var headerFields: [String] = []
    private var headerDone = false
    /// For each header position, the index of its checker, or -1 when the column has no checks.
    private var checkerIndex: [Int] = []
    private var checkers: [ColumnChecker] = []
    private var dataRows = 0
    private var columnsOutcome = CheckOutcome(check: "columns")
    private var strictOutcome = CheckOutcome(check: "strict")
    private var fieldsOutcome = CheckOutcome(check: "fields")
    private var quotingOutcome = CheckOutcome(check: "quoting")

    /// Creates a validator for a CSV (`,`) or TSV (tab) file's checks.
    public init(checks: FileChecks) {
        self.checks = checks
        scanner = DelimitedScanner(delimiter: checks.format == .tsv ? 0x09 : 0x2C)
    }

    /// Validates one chunk of the file.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer) {
        var copy = scanner
        scanner = DelimitedScanner(delimiter: 0)
        copy.feed(chunk, into: &self)
        scanner = copy
    }

    /// Ends the file and returns the outcomes of its data checks.
    public mutating func finish() -> [CheckOutcome] {
        var copy = scanner
        scanner = DelimitedScanner(delimiter: 0)
        copy.finish(into: &self)
        scanner = copy
        if !headerDone && !checks.columns.isEmpty { columnsOutcome.message = "the file has no header row" }
        var outcomes = [quotingOutcome, fieldsOutcome]
        if !checks.columns.isEmpty { outcomes.append(columnsOutcome) }
        if checks.strict { outcomes.append(strictOutcome) }
        if let rows = checks.rows {
            var outcome = CheckOutcome(check: "rows", rule: rows.text)
            if !rows.contains(Double(dataRows)) { outcome.message = "\(dataRows) data rows" }
            outcomes.append(outcome)
        }
        var byName: [String: ColumnChecker] = [:]
        for checker in checkers { byName[checker.spec.name] = checker }
        for spec in checks.columns {
            // A missing column's checks are reported by `columns`; the rest list their outcomes.
            if let checker = byName[spec.name] { outcomes += checker.outcomes }
        }
        return outcomes
    }

    /// Number of data rows seen so far.
    public var rowCount: Int { dataRows }

    public mutating func field(_ bytes: UnsafeRawBufferPointer, column: Int, line: Int) {
        guard headerDone else {
            headerFields.append(String(decoding: bytes, as: UTF8.self))
            return
        }
        if column < checkerIndex.count {
            let index = checkerIndex[column]
            if index >= 0 { checkers[index].check(bytes, row: line) }
        }
    }

    public mutating func endRecord(fieldCount: Int, line: Int) {
        guard headerDone else { return setUpHeader(line: line) }
        dataRows += 1
        if fieldCount != headerFields.count {
            fieldsOutcome.fail(row: line, column: nil, value: "\(fieldCount) fields, header has \(headerFields.count)")
        }
    }

    public mutating func malformed(_ message: String, column: Int, line: Int) {
        quotingOutcome.fail(row: line, column: column + 1, value: message)
    }

    private mutating func setUpHeader(line: Int) {
        headerDone = true
        if headerFields.first?.hasPrefix("\u{FEFF}") == true { headerFields[0].removeFirst() }
        checkerIndex = Array(repeating: -1, count: headerFields.count)
        var missing: [String] = []
        for spec in checks.columns {
            guard let position = headerFields.firstIndex(of: spec.name) else {
                missing.append(spec.name)
                continue
            }
            checkerIndex[position] = checkers.count
            checkers.append(ColumnChecker(spec: spec, position: position + 1))
        }
        for name in missing { columnsOutcome.fail(row: line, column: nil, value: name) }
        if !missing.isEmpty { columnsOutcome.rule = "missing from the header" }
        if checks.strict {
            let listed = Set(checks.columns.map(\.name))
            for (position, name) in headerFields.enumerated() where !listed.contains(name) {
                strictOutcome.fail(row: line, column: position + 1, value: name)
            }
            strictOutcome.rule = "no unlisted columns"
        }
    }
}

/// Checks a JSON-lines file fed in chunks: one JSON object per line; a missing key or `null` is a null.
public struct JSONLinesValidator {
    private let checks: FileChecks
    private var pending: [UInt8] = []
    private var line = 0
    private var dataRows = 0
    private var checkers: [ColumnChecker]
    private var parseOutcome = CheckOutcome(check: "parse", rule: "one JSON object per line")
    private var strictOutcome = CheckOutcome(check: "strict", rule: "no unlisted keys")

    /// Creates a validator for a JSON-lines file's checks.
    public init(checks: FileChecks) {
        self.checks = checks
        checkers = checks.columns.map { ColumnChecker(spec: $0, position: nil) }
    }

    /// Validates one chunk of the file.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer) {
        var start = 0
        for i in 0..<chunk.count where chunk[i] == 0x0A {
            pending.append(contentsOf: chunk[start..<i])
            process()
            start = i + 1
        }
        pending.append(contentsOf: chunk[start...])
    }

    /// Ends the file and returns the outcomes of its data checks.
    public mutating func finish() -> [CheckOutcome] {
        if !pending.isEmpty { process() }
        var outcomes = [parseOutcome]
        if checks.strict { outcomes.append(strictOutcome) }
        if let rows = checks.rows {
            var outcome = CheckOutcome(check: "rows", rule: rows.text)
            if !rows.contains(Double(dataRows)) { outcome.message = "\(dataRows) data rows" }
            outcomes.append(outcome)
        }
        for checker in checkers { outcomes += checker.outcomes }
        return outcomes
    }

    private mutating func process() {
        line += 1
        defer { pending.removeAll(keepingCapacity: true) }
        if pending.last == 0x0D { pending.removeLast() }
        guard pending.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
        dataRows += 1
        guard case .object(let object)? = try? JSONValue.parse(pending) else {
            parseOutcome.fail(row: line, column: nil, value: String(decoding: pending.prefix(60), as: UTF8.self))
            return
        }
        for index in checkers.indices { checkers[index].check(json: object[checkers[index].spec.name], row: line) }
        if checks.strict {
            let listed = Set(checks.columns.map(\.name))
            for key in object.keys where !listed.contains(key) { strictOutcome.fail(row: line, column: nil, value: key) }
        }
    }
}
