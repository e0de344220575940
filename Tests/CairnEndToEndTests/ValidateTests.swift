import CairnTestSupport
import Foundation
import Testing

/// A repo on `main` with checks.yaml, a clean generated CSV and metrics.json (acc 0.9), all committed.
private func validateRepo(rows: Int = 500) throws -> TestRepo {
    let repo = try initializedRepo()
    var csv = "id,age,label,score\n"
    for i in 1...rows { csv += "\(i),\(i % 90),\(i % 3 == 0 ? "dog" : "cat"),0.\(i % 10)\n" }
    try repo.write("data/train.csv", csv)
    try repo.write("metrics.json", "{\"acc\": 0.9, \"train\": {\"loss\": 0.2}}")
    try repo.write("checks.yaml", """
        data/train.csv:
          size: {min: 1 KB}
          rows: {min: 100}
          columns:
            id:    {type: int, unique: true, required: true}
            age:   {type: int, min: 0, max: 130}
            label: {type: string, in: [cat, dog]}
            score: {type: float, min: 0.0, max: 1.0}
        metrics.json:
          metrics:
            - acc >= 0.8
            - train.loss < 0.5
            - acc: {no_drop: 0.01, against: main}

        """)
    _ = try repo.commitAll("data, metrics and checks")
    return repo
}

@Suite struct ValidateTests {
    @Test func aCleanRepoPasses() throws {
        let repo = try validateRepo()
        let result = try repo.cairn("validate")
        expectSuccess(result)
        #expect(result.stdout == "validate passed: 19 checks on 2 files, 19 passed, 0 failed\n", Comment(rawValue: result.description))
    }

    @Test func plantedFaultsFailWithFileCheckRowColumnAndValue() throws {
        let repo = try validateRepo()
        var text = try repo.read("data/train.csv")
        text = text.replacingOccurrences(of: "\n7,7,cat,", with: "\n7,700,cat,")
            .replacingOccurrences(of: "\n12,12,dog,", with: "\n11,12,bird,")
        try repo.write("data/train.csv", text)
        let result = try repo.cairn("validate")
        expectExit(result, 1)
        #expect(result.stdout.contains("data/train.csv: column 'age' range [0, 130]: 1 failure: 8:2 '700'"), Comment(rawValue: result.description))
        #expect(result.stdout.contains("data/train.csv: column 'label' in [cat, dog]: 1 failure: 13:3 'bird'"), Comment(rawValue: result.description))
        #expect(result.stdout.contains("data/train.csv: column 'id' unique: 1 failure: 13:1 '11'"), Comment(rawValue: result.description))
        #expect(result.stdout.hasSuffix("validate FAILED: 19 checks on 2 files, 16 passed, 3 failed\n"), Comment(rawValue: result.description))

        let json = try repo.cairn("validate", "--json", "data")
        expectExit(json, 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["passed"] as? Bool == false)
        let files = try #require(object["files"] as? [[String: Any]])
        #expect(files.map { $0["path"] as? String } == ["data/train.csv"])
        let checks = try #require(files[0]["checks"] as? [[String: Any]])
        let age = try #require(checks.first { $0["column"] as? String == "age" && $0["check"] as? String == "range" })
        #expect(age["status"] as? String == "failed" && age["count"] as? Int == 1)
        let failure = try #require((age["failures"] as? [[String: Any]])?.first)
        #expect(failure["row"] as? Int == 8 && failure["column"] as? Int == 2 && failure["value"] as? String == "700")
    }

    @Test func targetsLimitTheChecksAndNoRegressionReadsMain() throws {
        let repo = try validateRepo()
        try repo.gitOK("checkout", "-q", "-b", "feature")
        try repo.write("metrics.json", "{\"acc\": 0.895, \"train\": {\"loss\": 0.2}}")
        expectSuccess(try repo.cairn("validate", "metrics.json"))
        try repo.write("metrics.json", "{\"acc\": 0.85, \"train\": {\"loss\": 0.2}}")
        let dropped = try repo.cairn("validate", "metrics.json")
        expectExit(dropped, 1)
        #expect(dropped.stdout.contains("metrics.json: metric acc no_drop 0.01 against main: 0.85 against 0.9 at 'main'"),
                Comment(rawValue: dropped.description))
        #expect(dropped.stdout.hasSuffix("validate FAILED: 4 checks on 1 file, 3 passed, 1 failed\n"), Comment(rawValue: dropped.description))
        // The data checks alone still pass, run from a subdirectory.
        expectSuccess(try repo.cairn("validate", "train.csv", cwd: "data"))
        expectExit(try repo.cairn("validate", "nothing-here"), 254)
    }

    @Test func aBadChecksFileIsAnErrorWithItsLineAndNothingChanges() throws {
        let repo = try validateRepo()
        try repo.write("checks.yaml", "data/train.csv:\n  columns:\n    id: {type: integer}\n")
        let before = try repo.gitOK("status", "--porcelain")
        let result = try repo.cairn("validate")
        expectExit(result, 255)
        #expect(result.stderr.contains("checks.yaml:3:16: unknown type 'integer'"), Comment(rawValue: result.description))
        #expect(result.stdout.isEmpty)
        #expect(try repo.gitOK("status", "--porcelain") == before)
    }

    @Test func aMissingFileFailsUnlessOptional() throws {
        let repo = try validateRepo()
        try repo.write("checks.yaml", "gone.csv: {}\nmaybe.csv: {optional: true}\n")
        let result = try repo.cairn("validate")
        expectExit(result, 1)
        #expect(result.stdout == "gone.csv: present: the file does not exist\nvalidate FAILED: 1 check on 2 files, 0 passed, 1 failed\n",
                Comment(rawValue: result.description))
    }
}
