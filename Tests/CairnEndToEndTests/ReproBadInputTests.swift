import CairnTestSupport
import Foundation
import Testing

/// Bad pipelines: a clear error (exit 255), nothing run, `dvc.lock` and outputs untouched. Where DVC itself runs
/// part of the pipeline first (a missing dep, a path outside the repo) or accepts the input (a stage name with a
/// dot), cairn refuses before anything runs, as the issue asks.
@Suite struct ReproBadInputTests {
    /// The basic project reproduced and committed; then `in.txt` changed so that a run would be visible.
    static func repo() throws -> TestRepo {
        let repo = try reproducedRepo(PipelineProjects.writeBasic)
        try repo.write("in.txt", "changed\n")
        return repo
    }

    /// `basicYAML` with `extra` appended under `stages:`.
    static func basicPlus(_ extra: String) -> String {
        PipelineProjects.basicYAML + extra
    }

    /// Runs `cairn repro ARGS`, expects an error mentioning `mentions`, and that nothing ran or changed.
    static func expectRefused(
        _ repo: TestRepo, _ arguments: [String] = [], mentioning mentions: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let lock = try repo.bytes("dvc.lock")
        let outputs = try ["a.txt", "b.txt"].map { try repo.bytes($0) }
        let gitignore = try repo.bytes(".gitignore")
        let result = try repo.cairn(arguments: ["repro"] + arguments)
        expectFailure(result, mentioning: mentions, sourceLocation: sourceLocation)
        #expect(!result.stdout.contains("Running stage"), Comment(rawValue: result.description),
                sourceLocation: sourceLocation)
        #expect(try repo.stageLog() == [], "nothing runs", sourceLocation: sourceLocation)
        #expect(try repo.bytes("dvc.lock") == lock, "dvc.lock untouched", sourceLocation: sourceLocation)
        #expect(try ["a.txt", "b.txt"].map { try repo.bytes($0) } == outputs, "outputs untouched",
                sourceLocation: sourceLocation)
        #expect(try repo.bytes(".gitignore") == gitignore, sourceLocation: sourceLocation)
    }

    @Test func cycleNamesItsStages() throws {
        let repo = try Self.repo()
        try repo.write("dvc.yaml", Self.basicPlus("""
              c:
                cmd: echo c >> log.txt && cp b.txt in.txt
                deps:
                - b.txt
                outs:
                - in.txt

            """))
        try Self.expectRefused(repo, mentioning: ["ERROR"])
        // DVC's words: "Same item(s) are defined as both a dependency and an output in stages: c, b, a."
        for arguments in [["repro"], ["dag"]] {
            let result = try repo.cairn(arguments: arguments)
            expectFailure(result)
            let line = result.stderr.split(separator: "\n").first { $0.contains("ERROR") } ?? ""
            let words = Set(line.split { !$0.isLetter && !$0.isNumber }.map(String.init))
            #expect(words.isSuperset(of: ["a", "b", "c"]), "the cycle's stages are named: \(result)")
        }
    }

    @Test func twoStagesWithTheSameOutput() throws {
        let repo = try Self.repo()
        try repo.write("dvc.yaml", Self.basicPlus("""
              c:
                cmd: echo c >> log.txt && cp in.txt b.txt
                outs:
                - b.txt

            """))
        // DVC: "output 'b.txt' is specified in:\n\t- b\n\t- c\nUse `dvc remove` with any of the above targets…"
        try Self.expectRefused(repo, mentioning: ["output 'b.txt' is specified in:", "\t- b\n", "\t- c\n"])
    }

    @Test func overlappingOutputs() throws {
        let repo = try Self.repo()
        try repo.write("dvc.yaml", Self.basicPlus("""
              d:
                cmd: echo d >> log.txt && mkdir -p dir && cp in.txt dir/x.txt
                deps:
                - in.txt
                outs:
                - dir
              e:
                cmd: echo e >> log.txt && cp in.txt dir/y.txt
                outs:
                - dir/y.txt

            """))
        // DVC: "The output paths:\n'dir'('d')\n'dir/y.txt'('e')\noverlap and are thus in the same tracked directory."
        try Self.expectRefused(repo, mentioning: ["'dir'('d')", "'dir/y.txt'('e')", "overlap"])
    }

    @Test func outputAlsoTrackedByADvcFile() throws {
        let repo = try Self.repo()
        try repo.write("data.txt", "d\n")
        try repo.ok(repo.cairn("add", "-q", "data.txt"))
        try repo.write("dvc.yaml", Self.basicPlus("""
              c:
                cmd: echo c >> log.txt && cp in.txt data.txt
                deps:
                - in.txt
                outs:
                - data.txt

            """))
        // DVC: "output 'data.txt' is specified in:\n\t- c\n\t- data.txt.dvc\nUse `dvc remove` with any of the above…"
        try Self.expectRefused(repo, mentioning: ["'data.txt'", "data.txt.dvc", "c"])
        #expect(try repo.read("data.txt") == "d\n")
    }

    @Test func missingDepThatNoStageProducesStopsBeforeAnythingRuns() throws {
        let repo = try Self.repo()
        try repo.write("dvc.yaml", Self.basicPlus("""
              c:
                cmd: echo c >> log.txt && cp nowhere.txt c.txt
                deps:
                - nowhere.txt
                outs:
                - c.txt

            """))
        try Self.expectRefused(repo, mentioning: ["nowhere.txt"])
    }

    @Test func undefinedVariableNamesFileAndLine() throws {
        let repo = try Self.repo()
        try repo.write("dvc.yaml", Self.basicPlus("""
              c:
                cmd: echo ${nope} >> log.txt
                outs:
                - c.txt

            """))
        // Line 17 of dvc.yaml holds the `${nope}` (DVC: "failed to parse 'stages.c.cmd' in 'dvc.yaml': Could not find 'nope'").
        try Self.expectRefused(repo, mentioning: ["dvc.yaml", "nope", "17"])
    }

    @Test func malformedYAMLNamesFileLineAndColumn() throws {
        let repo = try Self.repo()
        try repo.write("dvc.yaml", """
            stages:
              a:
                cmd: echo [ > a.txt
                outs: [a.txt

            """)
        // DVC: "While parsing a flow sequence, in line 4, column 11 … Expected ',' or ']', but got '<stream end>'".
        try Self.expectRefused(repo, mentioning: ["dvc.yaml", "4", "11"])
    }

    @Test func missingParamsKey() throws {
        let repo = try Self.repo()
        try repo.write("dvc.yaml", PipelineProjects.basicYAML.replacingOccurrences(of: "    - lr\n", with: "    - lr\n    - nokey\n"))
        // DVC: "failed to reproduce 'b': Parameters 'nokey' are missing from 'params.yaml'."
        try Self.expectRefused(repo, mentioning: ["Parameters 'nokey' are missing from 'params.yaml'."])
    }

    @Test func missingParamsFile() throws {
        let repo = try Self.repo()
        try repo.write("dvc.yaml", PipelineProjects.basicYAML.replacingOccurrences(
            of: "    - lr\n", with: "    - lr\n    - other.yaml:\n      - k\n"))
        try Self.expectRefused(repo, mentioning: ["other.yaml"])
    }

    @Test func invalidStageName() throws {
        let repo = try Self.repo()
        try repo.write("dvc.yaml", Self.basicPlus("""
              c.d:
                cmd: echo c >> log.txt && cp in.txt c.txt
                outs:
                - c.txt

            """))
        try Self.expectRefused(repo, mentioning: ["c.d"])
    }

    @Test func wdirEscapingTheRepo() throws {
        let repo = try Self.repo()
        try repo.write("dvc.yaml", Self.basicPlus("""
              c:
                cmd: echo c >> log.txt && cp in.txt c.txt
                wdir: ../..
                outs:
                - c.txt

            """))
        try Self.expectRefused(repo, mentioning: ["../.."])
    }

    @Test func outputPathEscapingTheRepo() throws {
        let repo = try Self.repo()
        try repo.write("dvc.yaml", Self.basicPlus("""
              c:
                cmd: echo c >> log.txt && cp in.txt ../outside.txt
                deps:
                - in.txt
                outs:
                - ../outside.txt

            """))
        try Self.expectRefused(repo, mentioning: ["../outside.txt"])
        #expect(!FileManager.default.fileExists(atPath: repo.sandbox + "/outside.txt"))
    }

    @Test func depPathEscapingTheRepo() throws {
        let repo = try Self.repo()
        try repo.write(repo.sandbox + "/outside.txt", "outside\n")
        try repo.write("dvc.yaml", Self.basicPlus("""
              c:
                cmd: echo c >> log.txt && cp ../outside.txt c.txt
                deps:
                - ../outside.txt
                outs:
                - c.txt

            """))
        try Self.expectRefused(repo, mentioning: ["../outside.txt"])
    }

    @Test func foreachOverANonCollection() throws {
        let repo = try Self.repo()
        try repo.write("dvc.yaml", Self.basicPlus("""
              c:
                foreach: ${lr}
                do:
                  cmd: echo ${item} >> log.txt

            """))
        // DVC: "failed to resolve 'stages.c.foreach' in 'dvc.yaml': expected list/dictionary, got float".
        try Self.expectRefused(repo, mentioning: ["stages.c.foreach", "dvc.yaml", "expected list/dictionary, got float"])
    }

    @Test func schemaErrorNamesTheKey() throws {
        let repo = try Self.repo()
        try repo.write("dvc.yaml", Self.basicPlus("""
              c:
                cmd: echo c >> log.txt
                outz:
                - c.txt

            """))
        // DVC: "extra keys not allowed, in stages -> c -> outz, line 18, column 5".
        try Self.expectRefused(repo, mentioning: ["dvc.yaml", "outz"])
    }
}
