import Testing
import CairnTestSupport
@testable import CairnCore

/// Fixture 05: every `metrics show`/`metrics diff` output of DVC 3.67.1, byte for byte.
struct MetricsFixtureTests {
    static let base = "05-metrics-params"
    static let declared = ["metrics.json", "scores.yaml", "m.toml"]

    static func revision(_ folder: String, label: String, files: [String] = declared) throws -> RevisionFiles {
        RevisionFiles(revision: label, files: try files.map { path in
            .value(path, try ParamsDocument.parse(Fixtures.bytes("\(base)/\(folder)/\(path)"), path: path))
        })
    }

    static func expected(_ name: String) throws -> String {
        try Fixtures.text("\(base)/\(name)")
    }

    @Test func showPlainMarkdownAndJSON() throws {
        let workspace = try Self.revision("rev2", label: "")
        #expect(MetricsShow.render([workspace], format: .plain, showRevision: false)
                == (try Self.expected("metrics-show.txt")))
        #expect(MetricsShow.render([workspace], format: .markdown, showRevision: false)
                == (try Self.expected("metrics-show.md")))
        // Show keeps the file and key order of the documents, so this one is byte-exact too.
        #expect(MetricsShow.render([workspace], format: .json, showRevision: false)
                == (try Self.expected("metrics-show.json")))
    }

    @Test func showAllCommits() throws {
        let revisions = [
            try Self.revision("rev2", label: "workspace"),
            try Self.revision("rev2", label: "13ab49ab8e3ffe73a512b266731396acebd25a8e"),
            try Self.revision("rev1", label: "815893e93c18b7eec13caed2ef7e56254ddb2688"),
        ]
        #expect(MetricsShow.render(revisions, format: .plain, showRevision: true)
                == (try Self.expected("metrics-show-all-commits.txt")))
    }

    @Test func showJSONDropsListsNullsAndEmptyMappings() throws {
        // Observed with DVC 3.67.1 on rev1 (its metrics.json has a list and a null).
        let old = try Self.revision("rev1", label: "")
        #expect(MetricsShow.render([old], format: .json, showRevision: false) == """
            {"": {"data": {"metrics.json": {"data": {"acc": 0.8, "loss": 0.4, "nested": {"f1": 0.7, "name": "x"}, \
            "flag": true}}, "scores.yaml": {"data": {"rmse": 1.5, "mae": 0.3}}, "m.toml": {"data": {"section": \
            {"val": 3, "flag": true}}}}}}

            """)
        let nested = RevisionFiles(revision: "", files: [
            .value("a.json", ["e": .mapping(YAMLMapping()), "n": ["l": [1]], "x": 1.0]),
            .value("l.json", [1, 2]),
            .value("m.csv", "a,b 1,2"),
            .value("s.json", 3.5),
        ])
        #expect(MetricsShow.render([nested], format: .json, showRevision: false) == """
            {"": {"data": {"a.json": {"data": {"x": 1.0}}, "l.json": {"data": {}}, "m.csv": {"data": "a,b 1,2"}, \
            "s.json": {"data": 3.5}}}}

            """)
        // A scalar file is one column with an empty name (header right-stripped away).
        #expect(MetricsShow.render([nested], format: .plain, showRevision: false) == """
            Path             x
            a.json  -        1.0
            l.json  -        -
            m.csv   a,b 1,2  -
            s.json  3.5      -

            """)
    }

    @Test func showErrorsAndPrecision() throws {
        // Observed: a corrupted and a missing file still get a row of `-`; default precision 5.
        let revision = RevisionFiles(revision: "", files: [
            .value("metrics.json", ["acc": 0.123456789, "big": 1e20, "half": 2.675, "neg": -0.000001,
                                    "small": 1e-05, "tiny": 1.23456789e-7, "u": "é中"]),
            .failure("scores.yaml", MetricsError(revision: "", path: "scores.yaml", type: "YAMLFileCorruptedError",
                                                 message: "unable to read: 'scores.yaml', YAML file structure is corrupted")),
            .failure("m.toml", MetricsError(revision: "", path: "m.toml", type: "FileNotFoundError",
                                            message: "[Errno 2] No such file or directory: 'm.toml'")),
        ])
        #expect(MetricsShow.render([revision], format: .plain, showRevision: false) == """
            Path          acc      big    half    neg    small    tiny    u
            metrics.json  0.12346  1e+20  2.675   -0.0   1e-05    0.0     é中
            scores.yaml   -        -      -       -      -        -       -
            m.toml        -        -      -       -      -        -       -

            """)
        #expect(MetricsShow.render([revision], format: .plain, precision: 2, showRevision: false) == """
            Path          acc    big    half    neg    small    tiny    u
            metrics.json  0.12   1e+20  2.67    -0.0   0.0      0.0     é中
            scores.yaml   -      -      -       -      -        -       -
            m.toml        -      -      -       -      -        -       -

            """)
        #expect(MetricsShow.render([revision], format: .json, showRevision: false) == """
            {"": {"data": {"metrics.json": {"data": {"acc": 0.123456789, "big": 1e+20, "half": 2.675, "neg": -1e-06, \
            "small": 1e-05, "tiny": 1.23456789e-07, "u": "\\u00e9\\u4e2d"}}, "scores.yaml": {"error": {"type": \
            "YAMLFileCorruptedError", "msg": "unable to read: 'scores.yaml', YAML file structure is corrupted"}}, \
            "m.toml": {"error": {"type": "FileNotFoundError", "msg": "[Errno 2] No such file or directory: 'm.toml'"}}}}}

            """)
        #expect(RevisionFiles.failureWarning([revision]) == "DVC failed to load some metrics for following revisions: ''.")
        let broken = RevisionFiles(revision: "HEAD", files: [], error: MetricsError(
            revision: "HEAD", path: "dvc.yaml", type: "YAMLSyntaxError", message: "bad"))
        #expect(MetricsShow.render([broken], format: .json, showRevision: true)
                == "{\"HEAD\": {\"error\": {\"type\": \"YAMLSyntaxError\", \"msg\": \"bad\"}}}\n")
        #expect(broken.error?.description.hasPrefix("HEAD:dvc.yaml: bad") == true)
    }

    @Test func revisionThatFailsAsAWhole() {
        // Observed (`metrics show -A` with a corrupted dvc.yaml in the middle commit).
        let revisions = [
            RevisionFiles(revision: "workspace", files: [
                .value("a.json", ["x": 2]),
                .failure("b.json", MetricsError(revision: "workspace", path: "b.json", type: "FileNotFoundError",
                                                message: "[Errno 2] No such file or directory: 'b.json'")),
            ]),
            RevisionFiles(revision: "01df11d2c9b169954202b859ae0ffb30cbe74749", files: [], error: MetricsError(
                revision: "01df11d2c9b169954202b859ae0ffb30cbe74749", path: "dvc.yaml", type: "YAMLSyntaxError",
                message: "unable to read: 'dvc.yaml', YAML file structure is corrupted")),
            RevisionFiles(revision: "5aca250f213950365efa3522fdc381a56fefd49f", files: [.value("a.json", ["x": 1])]),
        ]
        #expect(MetricsShow.render(revisions, format: .plain, showRevision: true) == """
            Revision                                  Path    x
            workspace                                 a.json  2
            workspace                                 b.json  -
            5aca250f213950365efa3522fdc381a56fefd49f  a.json  1

            """)
        #expect(MetricsShow.render(revisions, format: .json, showRevision: true) == """
            {"workspace": {"data": {"a.json": {"data": {"x": 2}}, "b.json": {"error": {"type": "FileNotFoundError", \
            "msg": "[Errno 2] No such file or directory: 'b.json'"}}}}, "01df11d2c9b169954202b859ae0ffb30cbe74749": \
            {"error": {"type": "YAMLSyntaxError", "msg": "unable to read: 'dvc.yaml', YAML file structure is \
            corrupted"}}, "5aca250f213950365efa3522fdc381a56fefd49f": {"data": {"a.json": {"data": {"x": 1}}}}}

            """)
        #expect(RevisionFiles.revisionWarnings(revisions) == [
            "failed to load metrics in revision '01df11d2c9b169954202b859ae0ffb30cbe74749', unable to read: "
                + "'dvc.yaml', YAML file structure is corrupted",
        ])
        #expect(RevisionFiles.failureWarning(revisions) == "DVC failed to load some metrics for following revisions: "
                + "'workspace, 01df11d2c9b169954202b859ae0ffb30cbe74749'.")
        #expect(revisions[0].errors.map(\.path) == ["b.json"])
    }

    @Test func showWithoutMetrics() {
        #expect(MetricsShow.render([RevisionFiles(revision: "", files: [])], format: .plain, showRevision: false) == "")
        #expect(MetricsShow.render([RevisionFiles(revision: "", files: [])], format: .markdown, showRevision: false)
                == "| Path   |\n|--------|\n\n")
        #expect(MetricsShow.render([RevisionFiles(revision: "", files: [])], format: .json, showRevision: false)
                == "{\"\": {\"data\": {}}}\n")
    }

    @Test func showCSV() throws {
        let revisions = [
            try Self.revision("rev2", label: "workspace"),
            RevisionFiles(revision: "HEAD~1", files: [
                .value("metrics.json", ["acc": 0.123456789, "note": "a, \"b\""]),
                .failure("scores.yaml", MetricsError(revision: "HEAD~1", path: "scores.yaml", type: "E", message: "m")),
            ]),
        ]
        #expect(MetricsShow.render(revisions, format: .csv, showRevision: true) == [
            "Revision,Path,acc,loss,mae,nested.f1,nested.name,new,note,rmse,section.flag,section.val",
            "workspace,metrics.json,0.85,0.4,,0.75,y,1,,,,",
            "workspace,scores.yaml,,,0.3,,,,,1.2,,",
            "workspace,m.toml,,,,,,,,,True,3",
            "HEAD~1,metrics.json,0.123456789,,,,,,\"a, \"\"b\"\"\",,,",
            "HEAD~1,scores.yaml,,,,,,,,,,",
        ].map { $0 + "\r\n" }.joined())
        #expect(MetricsShow.render([revisions[1]], format: .csv, precision: 3, showRevision: false)
                .hasPrefix("Path,acc,note\r\nmetrics.json,0.123,"))
    }

    // DVC's file order in diffs comes from a hash set; the files are fed in the order of each fixture.
    @Test func diffPlainAllAndPrecision() throws {
        let order1 = ["scores.yaml", "metrics.json", "m.toml"]
        var rows = MetricsDiff.compute(old: try Self.revision("rev1", label: "HEAD~1", files: order1),
                                       new: try Self.revision("rev2", label: "HEAD", files: order1), all: false)
        #expect(MetricsDiff.render(rows, oldLabel: "HEAD~1", newLabel: "HEAD", format: .plain)
                == (try Self.expected("metrics-diff.txt")))
        #expect(MetricsDiff.render(rows, oldLabel: "HEAD~1", newLabel: "HEAD", format: .plain, precision: 1,
                                   showPath: false) == (try Self.expected("metrics-diff-precision1.txt")))
        #expect(try JSONCanonical.equal(
            MetricsDiff.render(rows, oldLabel: "HEAD~1", newLabel: "HEAD", format: .json),
            try Self.expected("metrics-diff.json")))

        let order2 = ["m.toml", "scores.yaml", "metrics.json"]
        rows = MetricsDiff.compute(old: try Self.revision("rev1", label: "HEAD~1", files: order2),
                                   new: try Self.revision("rev2", label: "HEAD", files: order2), all: true)
        #expect(MetricsDiff.render(rows, oldLabel: "HEAD~1", newLabel: "HEAD", format: .plain)
                == (try Self.expected("metrics-diff-all.txt")))
        // Observed `--all --json`: unchanged numbers carry "diff" (0 for bools), strings never.
        #expect(try JSONCanonical.equal(
            MetricsDiff.render(rows, oldLabel: "HEAD~1", newLabel: "HEAD", format: .json), """
            {"metrics.json": {"new": {"old": null, "new": 1}, "acc": {"old": 0.8, "new": 0.85, "diff": \
            0.04999999999999993}, "nested.name": {"old": "x", "new": "y"}, "flag": {"old": true, "new": null}, \
            "loss": {"old": 0.4, "new": 0.4, "diff": 0.0}, "nested.f1": {"old": 0.7, "new": 0.75, "diff": \
            0.050000000000000044}}, "m.toml": {"section.val": {"old": 3, "new": 3, "diff": 0}, "section.flag": \
            {"old": true, "new": true, "diff": 0}}, "scores.yaml": {"mae": {"old": 0.3, "new": 0.3, "diff": 0.0}, \
            "rmse": {"old": 1.5, "new": 1.2, "diff": -0.30000000000000004}}}
            """))
    }

    @Test func diffMarkdown() throws {
        let order = ["metrics.json", "scores.yaml", "m.toml"]
        let rows = MetricsDiff.compute(old: try Self.revision("rev1", label: "HEAD~1", files: order),
                                       new: try Self.revision("rev2", label: "HEAD", files: order), all: false)
        #expect(MetricsDiff.render(rows, oldLabel: "HEAD~1", newLabel: "HEAD", format: .markdown)
                == (try Self.expected("metrics-diff.md")))
    }

    @Test func diffMixedTypesAndEquality() {
        // Observed with DVC 3.67.1 (`metrics diff --all`): 1 vs 1.0 and True vs 1 are unchanged.
        let old = RevisionFiles(revision: "HEAD", files: [
            .value("c.yaml", ["q": 1]),
            .value("a.json", ["x": 1, "y": true, "z": 2.5, "w": "s", "k": 1]),
        ])
        let new = RevisionFiles(revision: "workspace", files: [
            .value("c.yaml", .mapping(YAMLMapping())),
            .value("a.json", ["x": 1.0, "y": 1, "z": true, "w": "s", "k": 1.5]),
        ])
        let all = MetricsDiff.compute(old: old, new: new, all: true)
        #expect(MetricsDiff.render(all, oldLabel: "HEAD", newLabel: "workspace", format: .plain) == """
            Path    Metric    HEAD    workspace    Change
            c.yaml  q         1       -            -
            a.json  k         1       1.5          0.5
            a.json  w         s       s            -
            a.json  x         1       1.0          0.0
            a.json  y         True    1            0
            a.json  z         2.5     True         -1.5

            """)
        #expect(MetricsDiff.render(all, oldLabel: "HEAD", newLabel: "workspace", format: .markdown, showPath: false)
                == """
            | Metric   | HEAD   | workspace   | Change   |
            |----------|--------|-------------|----------|
            | q        | 1      | -           | -        |
            | k        | 1      | 1.5         | 0.5      |
            | w        | s      | s           | -        |
            | x        | 1      | 1.0         | 0.0      |
            | y        | True   | 1           | 0        |
            | z        | 2.5    | True        | -1.5     |


            """)
        let changed = MetricsDiff.compute(old: old, new: new, all: false)
        #expect(changed.map(\.key) == ["q", "k", "z"])
    }

    @Test func diffWithoutChanges() throws {
        let head = try Self.revision("rev2", label: "HEAD")
        let rows = MetricsDiff.compute(old: head, new: head, all: false)
        #expect(rows.isEmpty)
        #expect(MetricsDiff.render(rows, oldLabel: "HEAD", newLabel: "HEAD", format: .plain) == "")
        #expect(MetricsDiff.render(rows, oldLabel: "HEAD", newLabel: "HEAD", format: .json) == "{}\n")
        #expect(MetricsDiff.render(rows, oldLabel: "HEAD", newLabel: "HEAD", format: .markdown) == """
            | Path   | Metric   | HEAD   | HEAD   | Change   |
            |--------|----------|--------|--------|----------|


            """)
    }

    @Test func diffTreatsFailedFilesAsMissing() throws {
        let old = try Self.revision("rev2", label: "HEAD", files: ["scores.yaml"])
        let new = RevisionFiles(revision: "workspace", files: [
            .failure("scores.yaml", MetricsError(revision: "workspace", path: "scores.yaml", type: "E", message: "m")),
        ])
        let rows = MetricsDiff.compute(old: old, new: new, all: false)
        #expect(rows == [
            DiffRow(path: "scores.yaml", key: "mae", old: .float(0.3), new: nil, diff: nil),
            DiffRow(path: "scores.yaml", key: "rmse", old: .float(1.2), new: nil, diff: nil),
        ])
        #expect(RevisionFiles.failureWarning([old, new]) == "DVC failed to load some metrics for following revisions: 'workspace'.")
        // A scalar file diffs under the empty key (observed).
        let scalar = MetricsDiff.compute(old: RevisionFiles(revision: "a", files: [.value("s.json", 3.5)]),
                                         new: RevisionFiles(revision: "b", files: [.value("s.json", 4.5)]), all: true)
        #expect(MetricsDiff.render(scalar, oldLabel: "HEAD", newLabel: "workspace", format: .plain) == """
            Path    Metric    HEAD    workspace    Change
            s.json            3.5     4.5          1.0

            """)
    }

    @Test func relativeChange() throws {
        let old = RevisionFiles(revision: "a", files: [.value("m.json", ["a": 0.8, "b": 0, "c": "x", "d": 4, "e": true])])
        let new = RevisionFiles(revision: "b", files: [.value("m.json", ["a": 0.85, "b": 1, "c": "y", "d": 3, "e": false])])
        let rows = MetricsDiff.compute(old: old, new: new, all: false)
        #expect(MetricsDiff.render(rows, oldLabel: "a", newLabel: "b", format: .plain, relative: true) == """
            Path    Metric    a     b      Change    Change %
            m.json  a         0.8   0.85   0.05      6.25
            m.json  b         0     1      1         -
            m.json  c         x     y      -         -
            m.json  d         4     3      -1        -25.0
            m.json  e         True  False  -1        -100.0

            """)
        let json = MetricsDiff.render(rows, oldLabel: "a", newLabel: "b", format: .json, relative: true)
        #expect(json.contains("\"a\": {\"old\": 0.8, \"new\": 0.85, \"diff\": 0.04999999999999993, \"rel\": 6.24999"))
        #expect(json.contains("\"b\": {\"old\": 0, \"new\": 1, \"diff\": 1}"))
        #expect(!MetricsDiff.render(rows, oldLabel: "a", newLabel: "b", format: .json).contains("rel"))
    }
}
