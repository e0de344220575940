import CairnTestSupport
import Foundation
import Testing

/// A two-stage pipeline over a `.dvc`-tracked input, reproduced and committed three times:
/// "v1" (lr 0.1), "docs" (an unrelated change), "lr 0.2" (params changed, repro'd), plus a side branch.
private func lineageRepo() throws -> TestRepo {
    let repo = try initializedRepo()
    try repo.write("raw.txt", "raw data\n")
    try repo.ok(repo.cairn("add", "raw.txt"))
    try repo.write("params.yaml", "lr: 0.1\n")
    try repo.write("dvc.yaml", """
        stages:
          prepare:
            cmd: cat raw.txt > prepared.txt
            deps:
            - raw.txt
            outs:
            - prepared.txt
          train:
            cmd: cat prepared.txt params.yaml > model.txt && mkdir -p outdir && echo entry > outdir/data.txt
            deps:
            - prepared.txt
            params:
            - lr
            outs:
            - model.txt
            - outdir

        """)
    try repo.ok(repo.cairn("repro"))
    try repo.commitAll("v1")
    try repo.write("README.md", "docs\n")
    try repo.commitAll("docs")
    try repo.write("params.yaml", "lr: 0.2\n")
    try repo.ok(repo.cairn("repro"))
    try repo.commitAll("lr 0.2")
    return repo
}

private func jsonObject(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}

@Suite struct LineageTests {
    @Test func lineageShowsTheStagesParamsAndLeavesAtTheWorkspaceAndAtARevision() throws {
        let repo = try lineageRepo()
        let now = try repo.ok(repo.cairn("lineage", "model.txt")).stdout
        #expect(now.hasPrefix("model.txt  md5 "))
        #expect(now.contains("[stage train]"))
        #expect(now.contains("param: params.yaml lr=0.2"))
        #expect(now.contains("prepared.txt  md5 "))
        #expect(now.contains("[stage prepare]"))
        #expect(now.contains("raw.txt  md5 "))
        #expect(now.contains("[tracked by raw.txt.dvc]"))
        let old = try repo.ok(repo.cairn("lineage", "model.txt", "--rev", "HEAD~2")).stdout
        #expect(old.contains("param: params.yaml lr=0.1"))

        let json = try #require(try jsonObject(repo.ok(repo.cairn("lineage", "model.txt", "--json")).stdout)
            as? [String: Any])
        #expect(json["origin"] as? String == "stage")
        #expect(json["stage"] as? String == "train")
        let inputs = try #require(json["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["path"] as? String } == ["prepared.txt"])
        let leaves = try #require(inputs[0]["inputs"] as? [[String: Any]])
        #expect(leaves.first?["dvc_file"] as? String == "raw.txt.dvc")

        let dot = try repo.ok(repo.cairn("lineage", "model.txt", "--dot")).stdout
        #expect(dot.hasPrefix("digraph lineage {"))
        #expect(dot.contains("\"s:prepare\" -> \"a:prepared.txt\";"))
        let mermaid = try repo.ok(repo.cairn("lineage", "model.txt", "--mermaid")).stdout
        #expect(mermaid.hasPrefix("flowchart BT"))
        #expect(mermaid.contains("(\"train\")"))
    }

    @Test func lineageOfAnUntrackedPathNamesWhatIsTrackedNearby() throws {
        let repo = try lineageRepo()
        let result = try repo.cairn("lineage", "params.yaml")
        expectExit(result, 255)
        #expect(result.stderr.contains("'params.yaml' is not a tracked output"))
        #expect(result.stderr.contains("model.txt"))
        expectExit(try repo.cairn("lineage", "model.txt", "--json", "--dot"), 254)
    }

    @Test func logListsOneEntryPerChangeOfTheHashSkippingUnrelatedCommits() throws {
        let repo = try lineageRepo()
        let text = try repo.ok(repo.cairn("log", "model.txt")).stdout
        #expect(text.contains("    lr 0.2\n"))
        #expect(text.contains("    v1\n"))
        #expect(!text.contains("    docs\n"))
        #expect(text.range(of: "lr 0.2")!.lowerBound < text.range(of: "    v1")!.lowerBound)
        #expect(text.contains("param: params.yaml lr=0.1"))

        let versions = try #require(try jsonObject(repo.ok(repo.cairn("log", "model.txt", "--json")).stdout)
            as? [[String: Any]])
        #expect(versions.map { $0["message"] as? String } == ["lr 0.2", "v1"])
        let stage = try #require(versions[0]["stage"] as? [String: Any])
        #expect(stage["name"] as? String == "train")
        #expect((stage["params"] as? [[String: Any]])?.first?["value"] as? String == "0.2")

        let one = try #require(try jsonObject(repo.ok(repo.cairn("log", "model.txt", "-n", "1", "--json")).stdout)
            as? [[String: Any]])
        #expect(one.count == 1)
        // prepared.txt never changed: one version, from the first commit that recorded it.
        let prepared = try #require(try jsonObject(repo.ok(repo.cairn("log", "prepared.txt", "--json")).stdout)
            as? [[String: Any]])
        #expect(prepared.map { $0["message"] as? String } == ["v1"])
        let tracked = try #require(try jsonObject(repo.ok(repo.cairn("log", "raw.txt", "--json")).stdout)
            as? [[String: Any]])
        #expect(tracked.first?["dvc_file"] as? String == "raw.txt.dvc")
        expectExit(try repo.cairn("log", "nothing.txt"), 255)
    }

    @Test func whichFindsCommitsByContentAlsoInsideDirectoriesAndOnBranches() throws {
        let repo = try lineageRepo()
        try repo.gitOK("checkout", "-q", "-b", "side", "HEAD~1")
        try repo.write("raw.txt", "other raw\n")
        try repo.ok(repo.cairn("add", "raw.txt"))
        try repo.commitAll("side raw")
        try repo.gitOK("checkout", "-q", "main")
        try repo.ok(repo.cairn("checkout"))

        try repo.write("../probe-model.txt", "raw data\nlr: 0.1\n")
        let old = try #require(try jsonObject(repo.ok(repo.cairn("which", "../probe-model.txt", "--json")).stdout)
            as? [String: Any])
        let oldMatches = try #require(old["matches"] as? [[String: Any]])
        #expect(oldMatches.map { $0["message"] as? String } == ["side raw", "docs", "v1"])
        #expect(oldMatches.allSatisfy { $0["recorded_by"] as? String == "train" && $0["path"] as? String == "model.txt" })

        try repo.write("../probe-side.txt", "other raw\n")
        let side = try repo.ok(repo.cairn("which", "../probe-side.txt")).stdout
        #expect(side.contains("raw.txt  [raw.txt.dvc]"))
        #expect(side.contains("side raw"))

        let inside = try #require(try jsonObject(repo.ok(repo.cairn("which", "outdir/data.txt", "--json")).stdout)
            as? [String: Any])
        let entries = try #require(inside["matches"] as? [[String: Any]])
        #expect(!entries.isEmpty)
        #expect(entries.allSatisfy { $0["path"] as? String == "outdir/data.txt" && $0["directory"] as? String == "outdir" })

        try repo.write("../nowhere.txt", "never tracked\n")
        let missing = try repo.cairn("which", "../nowhere.txt")
        expectExit(missing, 1)
        #expect(missing.stderr.contains("was not recorded as an output in any commit"))
    }
}
