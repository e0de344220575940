import CairnTestSupport
import Foundation
import Testing

/// `metrics show`, `metrics diff` and `params diff` print the same JSON as DVC on the same repositories
/// (compared parsed: DVC's file order in diffs is not stable).
@Suite struct MetricsInteropTests {
    /// Fixture 05's two commits, plus a pipeline with a cached metric and TOML/JSON params that DVC ran twice.
    private func historyRepo() throws -> TestRepo {
        let repo = try dvcInitializedRepo()
        for (revision, message) in [("rev1", "v1"), ("rev2", "v2")] {
            for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.file("05-metrics-params/\(revision)").path) {
                try repo.write(name, bytes: try Fixtures.bytes("05-metrics-params/\(revision)/\(name)"))
            }
            try repo.commitAll(message)
        }
        try repo.makeDirectory("eval")
        try repo.write("eval/dvc.yaml", """
            stages:
              score:
                cmd: cp scores.src scores.json
                deps:
                - scores.src
                params:
                - cfg.toml:
                  - model.depth
                - cfg.json:
                metrics:
                - scores.json

            """)
        try repo.write("eval/cfg.toml", "[model]\ndepth = 3\nwidth = 8\n")
        try repo.write("eval/cfg.json", "{\"batch\": 32, \"opt\": {\"name\": \"sgd\", \"lr\": 0.1}}\n")
        try repo.write("eval/scores.src", "{\"auc\": {\"train\": 0.9, \"test\": 0.8}, \"n\": 3}\n")
        try repo.ok(repo.dvc("repro", "-q", "eval/dvc.yaml"))
        try repo.commitAll("eval")
        try repo.write("eval/cfg.toml", "[model]\ndepth = 4\nwidth = 8\n")
        try repo.write("eval/cfg.json", "{\"batch\": 64, \"opt\": {\"name\": \"sgd\", \"lr\": 0.1}}\n")
        try repo.write("eval/scores.src", "{\"auc\": {\"train\": 0.95, \"test\": 0.7}, \"n\": 3, \"tag\": \"b\"}\n")
        try repo.ok(repo.dvc("repro", "-q", "eval/dvc.yaml"))
        try repo.commitAll("eval 2")
        try repo.write("scores.yaml", "rmse: 1.0\nmae: 0.25\n")
        return repo
    }

    @Test func jsonOutputsEqualDVCs() throws {
        let repo = try historyRepo()
        let commands: [[String]] = [
            ["metrics", "show", "--json"],
            ["metrics", "show", "-A", "--json"],
            ["metrics", "diff", "--json"],
            ["metrics", "diff", "HEAD~3", "HEAD", "--json"],
            ["metrics", "diff", "HEAD~3", "--all", "--json"],
            ["params", "diff", "--json"],
            ["params", "diff", "HEAD~3", "HEAD", "--json"],
            ["params", "diff", "HEAD~2", "--all", "--json"],
        ]
        for command in commands {
            let ours = try repo.cairn(arguments: command)
            let theirs = try repo.dvc(arguments: command)
            expectSuccess(ours)
            expectSuccess(theirs)
            #expect(try JSONCanonical.equal(ours.stdout, theirs.stdout),
                    "\(command.joined(separator: " ")):\ncairn: \(ours.stdout)\ndvc:   \(theirs.stdout)")
        }
    }
}
