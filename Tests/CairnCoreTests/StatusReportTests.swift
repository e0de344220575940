import CairnCore
import CairnTestSupport
import Testing

/// `status` and `data status` rendering against what DVC 3.67.1 printed (fixtures 01 and 03).
@Suite struct StatusReportTests {
    /// Fixture 03's changed pipeline, as the report model holds it.
    static let pipelineReport = StatusReport(entries: [
        .init(address: "prep", items: [.changedDeps([("raw.csv", .path(.modified))])]),
        .init(address: "train", items: [
            .changedDeps([("params.yaml", .params([("lr", .modified)]))]),
            .changedOuts([("model.bin", .modified), ("plots.csv", .deleted)]),
            .changedCommand,
        ]),
        .init(address: "evaluate", items: [.changedDeps([("model.bin", .path(.modified))])]),
        .init(address: "split@train", items: [.changedDeps([("raw.csv", .path(.modified))])]),
        .init(address: "split@test", items: [.changedDeps([("raw.csv", .path(.modified))])]),
    ])

    @Test func textMatchesDVC() throws {
        #expect(Self.pipelineReport.text() + "\n" == (try Fixtures.text("03-pipeline/status-changed.txt")))
    }

    @Test func jsonMatchesDVC() throws {
        #expect(Self.pipelineReport.json() + "\n" == (try Fixtures.text("03-pipeline/status-changed.json")))
    }

    @Test func directoryOutputModified() throws {
        let report = StatusReport(entries: [.init(address: "data.dvc", items: [.changedOuts([("data", .modified)])])])
        #expect(report.text() + "\n" == (try Fixtures.text("01-add/status-dir-modified.txt")))
    }

    @Test func cleanAndEmpty() throws {
        #expect(StatusReport().json() + "\n" == (try Fixtures.text("01-add/status-clean.json")))
        #expect(StatusReport().text() == "Data and pipelines are up to date.")
        var nothing = StatusReport()
        nothing.tracksNothing = true
        #expect(nothing.text() == "There are no data or pipelines tracked in this project yet.")
        #expect(StatusReport(entries: [.init(address: "s", items: [.changedOuts([("x", .notInCache)])])]).text()
            == "s:\n\tchanged outs:\n\t\tnot in cache:       x")
    }

    @Test func dataStatusMatchesDVC() throws {
        var report = DataStatusReport()
        report.committed.added = ["data/", "run.sh", "single.txt"]
        report.uncommitted.modified = ["data/"]
        #expect(report.text(tool: "dvc") + "\n" == (try Fixtures.text("01-add/data-status.txt")))

        var granular = DataStatusReport()
        granular.committed.added = DataStatusReport.treeOrder([
            "single.txt", "run.sh", "data/", "data/B.txt", "data/a.txt", "data/empty.txt", "data/sub/b.txt",
            "data/sub/deeper/c.csv", "data/sub.txt", "data/Ünï/é.txt",
        ])
        granular.uncommitted.modified = ["data/", "data/a.txt"]
        granular.uncommitted.added = ["data/newone.txt"]
        granular.uncommitted.deleted = ["data/B.txt"]
        #expect(granular.json() + "\n" == (try Fixtures.text("01-add/data-status-granular.json")))
    }

    @Test func dataStatusHints() {
        var clean = DataStatusReport()
        #expect(clean.text() == "No changes.")
        clean.gitHasOtherChanges = true
        #expect(clean.text() == "No changes.\n(there are changes not tracked by dvc, use \"git status\" to see)")
        var changed = DataStatusReport()
        changed.uncommitted.deleted = ["x"]
        changed.gitHasOtherChanges = true
        #expect(changed.text().hasSuffix("\n(there are other changes not tracked by dvc, use \"git status\" to see)"))
        var empty = DataStatusReport()
        empty.emptyGitRepository = true
        #expect(empty.text() == "No changes in an empty git repo.")
    }

    @Test func treeOrderComparesComponents() {
        #expect(DataStatusReport.treeOrder(["d.txt", "d/x", "d/", "D", "d/x/y"]) == ["D", "d/", "d/x", "d/x/y", "d.txt"])
    }
}
