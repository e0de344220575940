import ArgumentParser
import CairnCore
import CairnEngine
import Foundation

/// `--commit` / `-m`: commit a run's results to git through libgit2 (`repro --commit`; `commit --git` reuses
/// the checks and the report).
struct GitCommitOptions: ParsableArguments {
    @Flag(name: .customLong("commit"), help: "After a successful run, commit dvc.lock, dvc.yaml, .dvc files, their .gitignores and git-tracked metrics/params/plots to git (nothing else).")
    var enabled = false

    @Option(name: [.short, .customLong("message")], help: "Git commit message for --commit (default: names the stages that ran and the metric changes).")
    var message: String?

    init() {}

    init(enabled: Bool, message: String?) {
        self.enabled = enabled
        self.message = message
    }

    /// -m only makes sense with the flag that commits.
    func validate(flag: String) throws {
        if message != nil && !enabled { throw ValidationError("-m/--message needs \(flag)") }
    }

    /// The checked commit plan, before anything runs; nil without the flag.
    func plan(_ project: Project, origin: ResultsCommitMessage.Origin) throws -> ResultsCommitPlan? {
        guard enabled else { return nil }
        return try project.prepareResultsCommit(
            origin: origin, message: message, environment: ProcessInfo.processInfo.environment)
    }

    /// git's one-line summary (`[main 1a2b3c4] subject`), the files, and any warnings.
    static func report(_ outcome: ResultsCommitOutcome) {
        guard let commit = outcome.commit else {
            Console.info("Nothing to commit: the pipeline's files match HEAD.")
            return
        }
        let place = (outcome.branch ?? "detached HEAD") + (outcome.isRoot ? " (root-commit)" : "")
        Console.info("[\(place) \(commit.prefix(7))] \(outcome.subject)")
        for file in outcome.files { Console.info(" " + file) }
        for warning in outcome.warnings { Console.warning(warning) }
    }
}
