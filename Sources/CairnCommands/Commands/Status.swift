import ArgumentParser
import CairnCore
import CairnEngine

extension Cairn {
    /// `cairn status`: what changed between the workspace, the `.dvc` files and the cache.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show changed stages, compared to the last recorded data in .dvc files and the cache.")

        @OptionGroup var global: GlobalOptions

        @Flag(name: .customLong("json"), help: "Show status in JSON format.")
        var json = false

        @Flag(name: [.customShort("c"), .customLong("cloud")], help: "Show status of a local cache compared to a remote repository.")
        var cloud = false

        @Option(name: [.customShort("r"), .customLong("remote")], help: "Remote storage to compare local cache to.")
        var remote: String?

        @Option(name: [.customShort("j"), .customLong("jobs")], help: "Number of jobs to run simultaneously.")
        var jobs: Int?

        @Argument(help: "Limit command scope to these tracked files/directories or .dvc files.")
        var targets: [String] = []

        func run() throws {
            let context = try CommandContext(global)
            if cloud || remote != nil { return try runCloud(context) }
            let report = try context.project().status(targets: targets, relativeTo: context.workingDirectory)
            for warning in report.warnings { Console.warning(warning) }
            // -q answers through the exit code only, as DVC does.
            if global.quiet { throw ExitCode(report.isClean ? ExitStatus.success : ExitStatus.checkFailed) }
            Console.standardOutput(json ? report.json() : report.text())
        }
    }
}

extension Cairn.Status {
    /// `status -c`: cache against remote, one line per file that is not in both places.
    func runCloud(_ context: CommandContext) throws {
        let options = TransferOptions(remote: remote, jobs: jobs, scope: RemoteScope(targets: targets))
        let report = try context.withLockedProject { try $0.cloudStatus(options, cwd: context.workingDirectory) }
        if global.quiet { throw ExitCode(report.entries.isEmpty ? ExitStatus.success : ExitStatus.checkFailed) }
        if json {
            Console.standardOutput(PythonJSON.dumps(.object(JSONObject(report.entries.map { ($0.path, .string($0.status)) }))))
        } else if report.entries.isEmpty {
            Console.standardOutput("Cache and remote \(report.remotes.map { "'\($0)'" }.joined(separator: ", ")) are in sync.")
        } else {
            for entry in report.entries {
                let label = entry.status + ":"
                Console.standardOutput("\t" + label + String(repeating: " ", count: max(1, 20 - label.count)) + entry.path)
            }
        }
    }
}

extension Cairn {
    /// `cairn data …` (DVC's `dvc data status`).
    struct DataCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "data", abstract: "Commands related to data management.", subcommands: [DataStatus.self])
    }

    /// `cairn data status`: a git-status-like, per-file view of tracked data.
    struct DataStatus: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Show changes between the last git commit, the dvc files and the workspace.")

        @OptionGroup var global: GlobalOptions

        @Flag(name: .customLong("json"), help: "Show output in JSON format.")
        var json = false

        @Flag(name: .customLong("granular"), help: "Show granular file-level info for DVC-tracked directories.")
        var granular = false

        @Flag(name: .customLong("unchanged"), help: "Show unmodified DVC-tracked files.")
        var unchanged = false

        @Flag(name: [.customShort("u"), .customLong("untracked-files")], help: "Show untracked files.")
        var untrackedFiles = false

        @Flag(name: .customLong("not-in-remote"), help: ArgumentHelp(visibility: .hidden))
        var notInRemote = false

        func run() throws {
            let context = try CommandContext(global)
            let report = try context.project().dataStatus(
                options: DataStatusOptions(granular: granular, unchanged: unchanged, untracked: untrackedFiles))
            if json {
                Console.standardOutput(report.json())
            } else {
                Console.info(report.text())
            }
        }
    }
}
