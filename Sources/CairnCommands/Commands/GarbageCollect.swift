import ArgumentParser
import CairnEngine

extension Cairn {
    /// `cairn gc`: remove cache objects that nothing kept references.
    struct GarbageCollect: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc", abstract: "Garbage collect unused objects from cache.")

        @OptionGroup var global: GlobalOptions

        @Flag(name: [.customShort("w"), .customLong("workspace")], help: "Keep data files used in the current workspace.")
        var workspace = false

        @Flag(name: [.customShort("a"), .customLong("all-branches")], help: "Keep data files for the tips of all git branches.")
        var allBranches = false

        @Flag(name: [.customShort("T"), .customLong("all-tags")], help: "Keep data files for all git tags.")
        var allTags = false

        @Flag(name: [.customShort("A"), .customLong("all-commits")], help: "Keep data files for all git commits.")
        var allCommits = false

        @Flag(name: .shortAndLong, help: "Force garbage collection - automatically agree to all prompts.")
        var force = false

        @Flag(name: .customLong("dry"), help: "Only print what would get removed without actually removing.")
        var dry = false

        @Flag(name: [.customShort("c"), .customLong("cloud")], help: "Collect garbage in remote storage in addition to local cache.")
        var cloud = false

        @Option(name: [.customShort("r"), .customLong("remote")], help: "Remote storage to collect garbage in.")
        var remote: String?

        @Option(name: [.customShort("j"), .customLong("jobs")], help: "Number of jobs to run simultaneously.")
        var jobs: Int?

        func validate() throws {
            if !(workspace || allBranches || allTags || allCommits) {
                throw ValidationError(
                    "Either of `-w|--workspace`, `-a|--all-branches`, `-T|--all-tags` or `--all-commits` needs to be set.")
            }
        }

        func run() throws {
            let context = try CommandContext(global)
            let scope = GCScope(allBranches: allBranches, allTags: allTags, allCommits: allCommits)
            Console.warning("This will remove all cache except items used in \(scope.description) of the current repo.")
            if cloud { Console.warning("Unused objects will also be removed from the remote: other repositories that share it lose them too.") }
            if !force && !dry {
                guard Console.confirm("Are you sure you want to proceed?") else {
                    Console.standardError("Nothing was removed (answer 'y', or pass -f to skip the question).")
                    throw ExitCode(ExitStatus.checkFailed)
                }
            }
            let (outcome, remoteOutcome) = try context.withLockedProject { project in
                let local = try project.collectGarbage(scope: scope, dryRun: dry)
                let remote = cloud ? try project.collectRemoteGarbage(scope: scope, remote: remote, jobs: jobs, dryRun: dry) : nil
                return (local, remote)
            }
            if dry {
                for path in outcome.removedPaths { Console.info("Removing \(path)") }
                for key in remoteOutcome?.removedKeys ?? [] { Console.info("Removing \(remoteOutcome!.url)/\(key)") }
                return
            }
            Console.info(outcome.removedCount == 0
                ? "No unused 'repo' cache to remove."
                : "Removed \(outcome.removedCount) objects from repo cache.")
            Console.info(outcome.removedLegacyCount == 0
                ? "No unused 'legacy' cache to remove."
                : "Removed \(outcome.removedLegacyCount) objects from legacy cache.")
            if let remoteOutcome {
                Console.info(remoteOutcome.removedKeys.isEmpty
                    ? "No unused cache to remove from remote."
                    : "Removed \(remoteOutcome.removedKeys.count) objects from remote.")
            }
        }
    }
}
