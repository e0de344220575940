import CairnTestSupport
import Foundation
import Testing

/// `cairn status` for pipeline stages: DVC's text and JSON (recorded from DVC 3.67.1).
@Suite struct PipelineStatusTests {
    /// Expects `cairn status ARGS` to print `text` and `cairn status --json ARGS` to print `json`, both exiting 0.
    func expectStatus(
        _ repo: TestRepo, _ arguments: [String] = [], text: String, json: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let plain = try repo.cairn(arguments: ["status"] + arguments)
        expectSuccess(plain, sourceLocation: sourceLocation)
        #expect(plain.stdout == text, Comment(rawValue: plain.description), sourceLocation: sourceLocation)
        let structured = try repo.cairn(arguments: ["status", "--json"] + arguments)
        expectSuccess(structured, sourceLocation: sourceLocation)
        #expect(structured.stdout == json + "\n", Comment(rawValue: structured.description),
                sourceLocation: sourceLocation)
    }

    @Test func neverReproducedPipeline() throws {
        let repo = try pipelineRepo(PipelineProjects.writeBasic)
        try expectStatus(repo, text: """
            a:
            \tchanged deps:
            \t\tmodified:           in.txt
            \tchanged outs:
            \t\tdeleted:            a.txt
            b:
            \tchanged deps:
            \t\tdeleted:            a.txt
            \t\tnew:                params.yaml
            \tchanged outs:
            \t\tdeleted:            b.txt

            """, json: #"{"a": [{"changed deps": {"in.txt": "modified"}}, {"changed outs": {"a.txt": "deleted"}}], "b": [{"changed deps": {"a.txt": "deleted", "params.yaml": "new"}}, {"changed outs": {"b.txt": "deleted"}}]}"#)
    }

    @Test func reproducedPipelineIsUpToDate() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        try expectStatus(repo, text: Expected.upToDate, json: "{}")
        let quiet = try repo.cairn("status", "-q")
        expectSuccess(quiet)
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty)
    }

    @Test func changedParamAndTargets() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        try repo.write("in.txt", "x\n")
        try repo.write("params.yaml", "lr: 0.3\nunused: 1\n")
        try expectStatus(repo, ["b"], text: """
            b:
            \tchanged deps:
            \t\tparams.yaml:
            \t\t\tmodified:           lr

            """, json: #"{"b": [{"changed deps": {"params.yaml": {"lr": "modified"}}}]}"#)
        try expectStatus(repo, ["a"], text: "a:\n\tchanged deps:\n\t\tmodified:           in.txt\n",
                         json: #"{"a": [{"changed deps": {"in.txt": "modified"}}]}"#)
        let quiet = try repo.cairn("status", "-q")
        expectExit(quiet, 1)
        #expect(quiet.stdout.isEmpty)
    }

    @Test func newAndDeletedParamKeysAndADeletedParamsFile() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        try repo.write("params.yaml", "lr: 0.01\nunused: 1\nseed: 3\n")
        try repo.write("dvc.yaml", PipelineProjects.basicYAML.replacingOccurrences(of: "    - lr\n", with: "    - lr\n    - seed\n"))
        try expectStatus(repo, text: "b:\n\tchanged deps:\n\t\tparams.yaml:\n\t\t\tnew:                seed\n",
                         json: #"{"b": [{"changed deps": {"params.yaml": {"seed": "new"}}}]}"#)
        try repo.write("params.yaml", "lr: 0.3\n")
        try repo.write("dvc.yaml", PipelineProjects.basicYAML.replacingOccurrences(of: "    - lr\n", with: "    - lr\n    - newkey\n"))
        try expectStatus(repo, text: """
            b:
            \tchanged deps:
            \t\tparams.yaml:
            \t\t\tmodified:           lr
            \t\t\tdeleted:            newkey

            """, json: #"{"b": [{"changed deps": {"params.yaml": {"lr": "modified", "newkey": "deleted"}}}]}"#)
        try repo.remove("params.yaml")
        let json = try repo.cairn("status", "--json")
        #expect(json.stdout == #"{"b": [{"changed deps": {"params.yaml": "deleted"}}]}"# + "\n", Comment(rawValue: json.description))
    }

    @Test func changedCommandAndOutputs() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        try repo.write("dvc.yaml", PipelineProjects.basicYAML.replacingOccurrences(
            of: "cat a.txt a.txt > b.txt", with: "cat a.txt a.txt a.txt > b.txt"))
        try expectStatus(repo, text: "b:\n\tchanged command\n", json: #"{"b": ["changed command"]}"#)
        try repo.write("dvc.yaml", PipelineProjects.basicYAML)
        try repo.write("b.txt", "tampered\n")
        try expectStatus(repo, text: "b:\n\tchanged outs:\n\t\tmodified:           b.txt\n",
                         json: #"{"b": [{"changed outs": {"b.txt": "modified"}}]}"#)
        try repo.remove("a.txt")
        try expectStatus(repo, text: """
            a:
            \tchanged outs:
            \t\tdeleted:            a.txt
            b:
            \tchanged deps:
            \t\tdeleted:            a.txt
            \tchanged outs:
            \t\tmodified:           b.txt

            """, json: #"{"a": [{"changed outs": {"a.txt": "deleted"}}], "b": [{"changed deps": {"a.txt": "deleted"}}, {"changed outs": {"b.txt": "modified"}}]}"#)
    }

    @Test func unusedParamChangeIsNotAChange() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        try repo.write("params.yaml", "lr: 0.01\nunused: 99\n")
        try expectStatus(repo, text: Expected.upToDate, json: "{}")
    }

    @Test func alwaysChangedAndFrozenStages() throws {
        let repo = try ReproStageFlagsTests.frozenRepo()
        try expectStatus(repo, text: "always:\n\talways changed\n", json: #"{"always": ["always changed"]}"#)
        let warned = try repo.cairn("status")
        #expect(warned.stderr == "WARNING: stage: 'frozen' is frozen. Its dependencies are not going to be shown in the status output.\n",
                Comment(rawValue: warned.description))
        try repo.write("in.txt", "input2\n")
        try expectStatus(repo, text: """
            always:
            \tchanged deps:
            \t\tmodified:           in.txt
            \talways changed
            keep:
            \tchanged deps:
            \t\tmodified:           in.txt
            fresh:
            \tchanged deps:
            \t\tmodified:           in.txt

            """, json: #"{"always": [{"changed deps": {"in.txt": "modified"}}, "always changed"], "keep": [{"changed deps": {"in.txt": "modified"}}], "fresh": [{"changed deps": {"in.txt": "modified"}}]}"#)
    }

    @Test func fixture03StatusAfterChanges() throws {
        let repo = try reproducedRepo(PipelineProjects.writeFixture03)
        try Fixture03Changes.apply(repo)
        let text = try repo.cairn("status")
        expectSuccess(text)
        #expect(text.stdout == (try Fixtures.text("03-pipeline/status-changed.txt")), Comment(rawValue: text.description))
        let json = try repo.cairn("status", "--json")
        expectSuccess(json)
        #expect(json.stdout == (try Fixtures.text("03-pipeline/status-changed.json")), Comment(rawValue: json.description))
    }

    @Test func stagesAndDvcFilesTogether() throws {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        try repo.write("data.txt", "d\n")
        try repo.ok(repo.cairn("add", "-q", "data.txt"))
        try repo.commitAll("data")
        try repo.write("data.txt", "e\n")
        try expectStatus(repo, text: "data.txt.dvc:\n\tchanged outs:\n\t\tmodified:           data.txt\n",
                         json: #"{"data.txt.dvc": [{"changed outs": {"data.txt": "modified"}}]}"#)
    }
}
