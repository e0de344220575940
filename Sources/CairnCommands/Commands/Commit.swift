import ArgumentParser
import CairnEngine

extension Cairn {
    /// `cairn commit`: record the workspace's current data in the `.dvc` files and the cache.
    struct Commit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record changes to files or directories tracked by DVC by storing the current versions in the cache.")

        @OptionGroup var global: GlobalOptions

        @Flag(name: .shortAndLong, help: "Commit data even if hash values for dependencies or outputs did not change.")
        var force = false

        @Flag(name: .customLong("git"), help: "Then commit dvc.lock, dvc.yaml, .dvc files, their .gitignores and git-tracked metrics/params/plots to git (nothing else).")
        var git = false

        @Option(name: [.short, .customLong("message")], help: "Git commit message for --git (default: names what was recorded and the metric changes).")
        var message: String?

        @Argument(help: "Limit command scope to these tracked files/directories or .dvc files.")
        var targets: [String] = []

        func validate() throws {
            try GitCommitOptions(enabled: git, message: message).validate(flag: "--git")
        }

        func run() throws {
            let context = try CommandContext(global)
            // DVC prints no "git add" advice after commit (with core.autostage the files are staged).
            let committed = try context.withLockedProject { project in
                let plan = try GitCommitOptions(enabled: git, message: message).plan(project, origin: .commit)
                let outcome = try project.commit(targets: targets, force: force, relativeTo: context.workingDirectory)
                return try plan.map { try project.commitResults($0, stages: [], changed: outcome.changedPaths) }
            }
            if let committed { GitCommitOptions.report(committed) }
        }
    }
}
