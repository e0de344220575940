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

        @Argument(help: "Limit command scope to these tracked files/directories or .dvc files.")
        var targets: [String] = []

        func run() throws {
            let context = try CommandContext(global)
            let report = try context.project().status(targets: targets, relativeTo: context.workingDirectory)
            for warning in report.warnings { Console.warning(warning) }
            // -q answers through the exit code only, as DVC does.
            if global.quiet { throw ExitCode(report.isClean ? ExitStatus.success : ExitStatus.checkFailed) }
            Console.standardOutput(json ? report.json() : report.text())
        }
    }

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
