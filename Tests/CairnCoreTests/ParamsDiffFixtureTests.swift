import Testing
import CairnTestSupport
@testable import CairnCore

/// Fixture 05 `params diff` outputs, byte for byte, plus behaviour observed with DVC 3.67.1.
struct ParamsDiffFixtureTests {
    static func params(_ folder: String, label: String) throws -> RevisionFiles {
        RevisionFiles(revision: label, files: [.value("params.yaml", try ParamsDocument.parse(
            Fixtures.bytes("05-metrics-params/\(folder)/params.yaml"), path: "params.yaml"))])
    }

    @Test func fixtureOutputs() throws {
        let old = try Self.params("rev1", label: "HEAD~1")
        let new = try Self.params("rev2", label: "HEAD")
        let changed = ParamsDiff.compute(old: old, new: new, all: false)
        #expect(ParamsDiff.render(changed, oldLabel: "HEAD~1", newLabel: "HEAD", format: .plain)
                == (try Fixtures.text("05-metrics-params/params-diff.txt")))
        #expect(try JSONCanonical.equal(
            ParamsDiff.render(changed, oldLabel: "HEAD~1", newLabel: "HEAD", format: .json),
            try Fixtures.text("05-metrics-params/params-diff.json")))
        let all = ParamsDiff.compute(old: old, new: new, all: true)
        #expect(ParamsDiff.render(all, oldLabel: "HEAD~1", newLabel: "HEAD", format: .plain)
                == (try Fixtures.text("05-metrics-params/params-diff-all.txt")))
        // Observed `--all --json`: lists compared and printed as repr strings, without "diff".
        #expect(try JSONCanonical.equal(ParamsDiff.render(all, oldLabel: "HEAD~1", newLabel: "HEAD", format: .json), """
            {"params.yaml": {"model.depth": {"old": 4, "new": 4, "diff": 0}, "model.opts.n": {"old": 3, "new": 4, \
            "diff": 1}, "extra.k": {"old": null, "new": "[1, 2]"}, "seed": {"old": 7, "new": 8, "diff": 1}, \
            "model.opts.fast": {"old": true, "new": true, "diff": 0}, "datasets": {"old": "['alpha', 'beta']", \
            "new": "['alpha', 'beta']"}}}
            """))
        #expect(ParamsDiff.render(changed, oldLabel: "HEAD~1", newLabel: "HEAD", format: .markdown, showPath: false)
                == """
            | Param        | HEAD~1   | HEAD   |
            |--------------|----------|--------|
            | extra.k      | -        | [1, 2] |
            | model.opts.n | 3        | 4      |
            | seed         | 7        | 8      |


            """)
    }

    @Test func nullsAndEmptyMappingsAreMissingListsAreRepr() throws {
        // Observed with DVC 3.67.1 (`params diff --all` and `--json`).
        let old = RevisionFiles(revision: "HEAD", files: [.value("params.yaml", [
            "a": nil, "b": .mapping(YAMLMapping()), "c": 1e-05, "d": 1,
            "e": [1, ["x": 2], "it's", nil, true, 1.5], "f": "it's", "g": ["a", "b\"c"], "h": "x",
        ])])
        let new = RevisionFiles(revision: "workspace", files: [.value("params.yaml", [
            "a": 1, "b": 2, "c": 1e-05, "d": 1.0,
            "e": [1, ["x": 2], "it's", nil, true, 1.5], "f": nil, "g": [], "h": .mapping(YAMLMapping()),
        ])])
        let all = ParamsDiff.compute(old: old, new: new, all: true)
        #expect(ParamsDiff.render(all, oldLabel: "HEAD", newLabel: "workspace", format: .plain) == """
            Path         Param    HEAD                                    workspace
            params.yaml  a        -                                       1
            params.yaml  b        -                                       2
            params.yaml  c        1e-05                                   1e-05
            params.yaml  d        1                                       1.0
            params.yaml  e        [1, {'x': 2}, "it's", None, True, 1.5]  [1, {'x': 2}, "it's", None, True, 1.5]
            params.yaml  f        it's                                    -
            params.yaml  g        ['a', 'b"c']                            []
            params.yaml  h        x                                       -

            """)
        #expect(try JSONCanonical.equal(ParamsDiff.render(all, oldLabel: "HEAD", newLabel: "workspace", format: .json), """
            {"params.yaml": {"f": {"old": "it's", "new": null}, "a": {"old": null, "new": 1}, "g": {"old": \
            "['a', 'b\\"c']", "new": "[]"}, "h": {"old": "x", "new": null}, "c": {"old": 1e-05, "new": 1e-05, \
            "diff": 0.0}, "b": {"old": null, "new": 2}, "e": {"old": "[1, {'x': 2}, \\"it's\\", None, True, 1.5]", \
            "new": "[1, {'x': 2}, \\"it's\\", None, True, 1.5]"}, "d": {"old": 1, "new": 1.0, "diff": 0.0}}}
            """))
        let changed = ParamsDiff.compute(old: old, new: new, all: false)
        #expect(changed.map(\.key) == ["a", "b", "f", "g", "h"])
    }

    @Test func pythonRepr() {
        #expect(PythonValueRepr.repr(["alpha", "beta"]) == "['alpha', 'beta']")
        #expect(PythonValueRepr.repr([1, 2.5, 1e-05, 1e20, nil, false]) == "[1, 2.5, 1e-05, 1e+20, None, False]")
        #expect(PythonValueRepr.repr(["a'b\"c", "tab\there", "é中", "\u{7}"]) == #"['a\'b"c', 'tab\there', 'é中', '\x07']"#)
        #expect(PythonValueRepr.repr([["k": [1]]]) == "[{'k': [1]}]")
        #expect(PythonValueRepr.repr(.mapping(YAMLMapping([(.int(1), "x"), (.float(2.5), nil), (.bool(true), "y")])))
                == "{1: 'y', 2.5: None}")
        #expect(PythonValueRepr.reprString("\u{200B}x\u{A0}") == "'\\u200bx\\xa0'")
    }
}
