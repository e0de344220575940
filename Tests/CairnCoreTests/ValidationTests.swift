import Foundation
import Testing
@testable import CairnCore

/// Parses checks and runs a CSV/TSV text through the table validator, in chunks of `chunk` bytes.
private func validate(_ yaml: String, _ data: String, chunk: Int = 1 << 20) throws -> [CheckOutcome] {
    let checks = try #require(try ChecksFile.parse(yaml).entries.first)
    let bytes = Array(data.utf8)
    if checks.format == .jsonl {
        var validator = JSONLinesValidator(checks: checks)
        bytes.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                validator.feed(UnsafeRawBufferPointer(rebasing: all[start..<min(all.count, start + chunk)]))
                start += chunk
            }
        }
        return validator.finish()
    }
    var validator = TableValidator(checks: checks)
    bytes.withUnsafeBytes { all in
        var start = 0
        while start < all.count {
            validator.feed(UnsafeRawBufferPointer(rebasing: all[start..<min(all.count, start + chunk)]))
            start += chunk
        }
    }
    return validator.finish()
}

private func failed(_ outcomes: [CheckOutcome]) -> [String] {
    outcomes.filter { !$0.passed }.map { ($0.column.map { $0 + "." } ?? "") + $0.check }
}

/// Records every field and record end, for scanner tests.
struct ValidationFieldRecorder: DelimitedSink {
    var records: [[String]] = []
    var current: [String] = []
    var lines: [Int] = []
    var errors: [String] = []
    mutating func field(_ bytes: UnsafeRawBufferPointer, column: Int, line: Int) {
        current.append(String(decoding: bytes, as: UTF8.self))
    }
    mutating func endRecord(fieldCount: Int, line: Int) {
        records.append(current)
        lines.append(line)
        current = []
    }
    mutating func malformed(_ message: String, column: Int, line: Int) { errors.append("\(line):\(column) \(message)") }
}

@Suite struct ValidationScannerTests {
    func scan(_ text: String, chunk: Int) -> ValidationFieldRecorder {
        var scanner = DelimitedScanner(delimiter: 0x2C)
        var recorder = ValidationFieldRecorder()
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                scanner.feed(UnsafeRawBufferPointer(rebasing: all[start..<min(all.count, start + chunk)]), into: &recorder)
                start += chunk
            }
        }
        scanner.finish(into: &recorder)
        return recorder
    }

    @Test func quotesCRLFAndBlankLinesAtEveryChunkSize() {
        let text = "a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\r\n\n\"multi\nline\",2,3\r\nlast,,\"\""
        for chunk in 1...text.utf8.count {
            let recorder = scan(text, chunk: chunk)
            #expect(recorder.records == [["a", "b", "c"], ["x,1", "say \"hi\"", ""], ["multi\nline", "2", "3"], ["last", "", ""]],
                    "chunk \(chunk)")
            #expect(recorder.lines == [1, 2, 4, 6], "chunk \(chunk)")
            #expect(recorder.errors.isEmpty)
        }
    }

    @Test func quotingErrorsAreReported() {
        #expect(scan("a\n\"x\"y\n", chunk: 100).errors == ["2:0 text after a closing quote"])
        let open = scan("a\n\"never closed\n", chunk: 3)
        #expect(open.errors == ["2:0 unterminated quoted field"])
        #expect(open.records.count == 2)
    }
}

@Suite struct ValidationParserTests {
    func error(_ yaml: String) -> FormatError? {
        do { _ = try ChecksFile.parse(yaml); return nil } catch { return error }
    }

    @Test func readsTheFullSyntax() throws {
        let yaml = """
            data/train.csv:
              size: {min: 1 KB, max: 2 GiB}
              rows: {min: 10}
              strict: true
              columns:
                id: {type: int, unique: true, required: true}
                score: {type: float, min: 0.0, max: 1}
                label: {type: string, in: [cat, dog]}
                day: {type: date, min: 2024-01-01}
            metrics.json:
              metrics:
                - train.acc >= 0.8
                - acc: {no_drop: 0.01, against: main}
            """
        let file = try ChecksFile.parse(yaml)
        #expect(file.entries.map(\.path) == ["data/train.csv", "metrics.json"])
        let data = file.entries[0]
        #expect(data.format == .csv && data.strict && data.size == Bounds(min: 1000, max: 1_073_741_824 * 2))
        #expect(data.columns.map(\.name) == ["id", "score", "label", "day"])
        #expect(data.columns[1].range == Bounds(min: 0, max: 1))
        #expect(data.columns[2].allowed == ["cat", "dog"])
        #expect(data.columns[3].dateMin == "2024-01-01")
        #expect(file.entries[1].metrics == [.threshold(key: "train.acc", op: .greaterOrEqual, value: 0.8),
                                            .noRegression(key: "acc", tolerance: 0.01, revision: "main", higherIsBetter: true)])
    }

    @Test func errorsNameLineAndColumn() {
        let cases: [(String, String)] = [
            ("a.csv:\n  colums: {}\n", "checks.yaml:2:3: unknown check 'colums'"),
            ("a.csv:\n  columns:\n    x: {type: integer}\n", "checks.yaml:3:15: unknown type 'integer'"),
            ("a.csv:\n  columns:\n    x: {type: int, uniq: true}\n", "checks.yaml:3:20: unknown column check 'uniq'"),
            ("a.csv:\n  rows: {min: many}\n", "checks.yaml:2:15: expected a number"),
            ("a.csv:\n  columns:\n    x: {type: string, min: 1}\n", "checks.yaml:3:28: `min`/`max` need"),
            ("m.json:\n  metrics:\n    - acc >> 1\n", "checks.yaml:3:7: cannot read metric check"),
            ("m.json:\n  metrics: [{acc: {no_drop: 0.1}}]\n", "checks.yaml:2:19: give `against: REVISION`"),
            ("data.bin:\n  rows: {min: 1}\n", "checks.yaml:1:1: cannot tell the format"),
            ("../x.csv: {}\n", "checks.yaml:1:1: '../x.csv' must be a path relative"),
            ("a.csv:\n  optional: yes\n", "checks.yaml:2:13: expected true or false"),
            ("a.csv:\n  size: {max: 3 parsecs}\n", "checks.yaml:2:15: cannot read size"),
        ]
        for (yaml, expected) in cases {
            let message = error(yaml)?.description ?? "no error"
            #expect(message.hasPrefix(expected), "\(yaml) -> \(message)")
        }
    }
}

@Suite struct ValidationCheckTests {
    let schema = """
        d.csv:
          rows: {min: 1, max: 4}
          columns:
            id: {type: int, unique: true, required: true}
            age: {type: int, min: 0, max: 130}
            label: {type: string, in: [cat, dog]}
            score: {type: float, min: 0.0, max: 1.0}
            ok: {type: bool}
            day: {type: date}
        """

    @Test func aCleanFilePassesEveryCheck() throws {
        let data = "label,id,age,score,ok,day,extra\ncat,1,3,0.5,true,2024-02-29,x\ndog,2,NA,1e-3,0,2024-01-01T10:00:00Z,y\n"
        let outcomes = try validate(schema, data)
        #expect(failed(outcomes) == [])
        #expect(outcomes.contains { $0.check == "unique" && $0.column == "id" })
    }

    @Test func uniqueIsExactForShortLongAndIntegerValues() throws {
        let checks = "u.csv:\n  columns:\n    s: {unique: true}\n    n: {type: int, unique: true}\n"
        let long = String(repeating: "x", count: 40)
        let data = "s,n\nabcdefgh12345678,7\nabcdefgh12345679,8\n\(long),9\n\(long)y,10\nabcdefgh12345678,007\n\(long),11\n"
        let outcomes = try validate(checks, data)
        let s = try #require(outcomes.first { $0.column == "s" && $0.check == "unique" })
        #expect(s.examples.map(\.row) == [6, 7])
        let n = try #require(outcomes.first { $0.column == "n" && $0.check == "unique" })
        #expect(n.examples == [FailureExample(row: 6, column: 2, value: "007")])
    }

    @Test func plantedFaultsAreFoundWithRowColumnAndValue() throws {
        let data = """
            id,age,label,score,ok,day
            1,200,cat,0.5,true,2024-01-01
            1,x,cow,1.5,maybe,2023-02-30
            ,5,dog,"0.25",false,2024-01-01
            4,-1,cat,.75,1,2024-13-01
            5,1,cat,0.1,0,2024-01-01

            """
        let outcomes = try validate(schema, data, chunk: 7)
        #expect(failed(outcomes) == ["rows", "id.required", "id.unique", "age.type", "age.range", "label.in",
                                     "score.range", "ok.type", "day.type"])
        let age = try #require(outcomes.first { $0.column == "age" && $0.check == "range" })
        #expect(age.examples == [FailureExample(row: 2, column: 2, value: "200"), FailureExample(row: 5, column: 2, value: "-1")])
        let unique = try #require(outcomes.first { $0.column == "id" && $0.check == "unique" })
        #expect(unique.examples == [FailureExample(row: 3, column: 1, value: "1")])
    }

    @Test func missingColumnsStrictAndFieldCounts() throws {
        let yaml = "t.tsv:\n  strict: true\n  columns:\n    a: {type: int}\n    b: {}\n"
        let outcomes = try validate(yaml, "a\tc\n1\t2\n3\n")
        #expect(failed(outcomes) == ["fields", "columns", "strict"])
        #expect(outcomes.first { $0.check == "columns" }?.examples.map(\.value) == ["b"])
        #expect(outcomes.first { $0.check == "strict" }?.examples.map(\.value) == ["c"])
    }

    @Test func onlyTheFirstFiveExamplesAreKept() throws {
        let data = "x\n" + (1...12).map { "v\($0)\n" }.joined()
        let outcomes = try validate("d.csv:\n  columns:\n    x: {type: int}\n", data)
        let type = try #require(outcomes.first { $0.check == "type" })
        #expect(type.count == 12 && type.examples.count == 5)
        let report = ValidationReport(files: [FileReport(path: "d.csv", checks: outcomes)])
        #expect(report.text().contains("d.csv: column 'x' type int: 12 failures: 2:1 'v1', 3:1 'v2', 4:1 'v3', 5:1 'v4', 6:1 'v5' and 7 more"))
        #expect(report.text().hasSuffix("validate FAILED: 4 checks on 1 file, 3 passed, 1 failed"))
        #expect(!report.passed)
        #expect(report.json().hasPrefix("{\"passed\": false, \"files\": [{\"path\": \"d.csv\", \"passed\": false, \"checks\": ["))
    }

    @Test func jsonLines() throws {
        let yaml = "e.jsonl:\n  strict: true\n  columns:\n    id: {type: int, required: true}\n    tag: {in: [a, b]}\n"
        let data = "{\"id\": 1, \"tag\": \"a\"}\n{\"id\": \"2\", \"tag\": \"c\"}\nnot json\n{\"tag\": \"b\", \"more\": 1}\n"
        let outcomes = try validate(yaml, data, chunk: 5)
        #expect(failed(outcomes) == ["parse", "strict", "id.type", "id.required", "tag.in"])
        #expect(outcomes.first { $0.check == "in" }?.examples == [FailureExample(row: 2, column: nil, value: "c")])
    }

    @Test func numberParsing() {
        func double(_ text: String) -> Double? { Array(text.utf8).withUnsafeBytes { FieldValue.double($0) } }
        func int(_ text: String) -> Int? { Array(text.utf8).withUnsafeBytes { FieldValue.int($0) } }
        #expect(double("0.1") == 0.1 && double("-2.5") == -2.5 && double("1e-5") == 1e-5 && double("3") == 3)
        #expect(double("12345678901234567890.5") == 12345678901234567890.5)
        #expect(double("nan") == nil && double("1.2.3") == nil && double("") == nil && double("-") == nil && double("e5") == nil)
        #expect(int("-42") == -42 && int("9223372036854775807") == Int.max && int("9223372036854775808") == nil && int("1.0") == nil)
        #expect(ISODate.isValid(Array("2024-02-29".utf8)) && !ISODate.isValid(Array("2023-02-29".utf8)))
        #expect(ISODate.isValid(Array("2024-01-01 10:00:00.5+02:00".utf8)) && !ISODate.isValid(Array("2024-1-01".utf8)))
    }
}
