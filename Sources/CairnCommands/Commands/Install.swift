import ArgumentParser
import CairnEngine
import Foundation

extension Cairn {
    /// `cairn install`: git hooks that keep dvc.lock fresh in commits, check data out on branch switches and push
    /// data with `git push`.
    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install cairn's git hooks (pre-commit, post-checkout, pre-push) into the repository.",
            discussion: """
                Existing hooks are kept as NAME.pre-cairn and run first; installing again changes nothing; \
                --uninstall puts the previous hooks back.
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(name: .customLong("use-pre-commit-tool"),
              help: "Add cairn's hooks to .pre-commit-config.yaml (the pre-commit framework) instead of .git/hooks.")
        var usePreCommitTool = false

        @Flag(name: .customLong("uninstall"), help: "Remove cairn's hooks and restore the hooks that were there before.")
        var uninstall = false

        func run() throws {
            if uninstall && usePreCommitTool {
                throw EngineError.usage("--uninstall cannot be combined with --use-pre-commit-tool; remove the cairn entries from .pre-commit-config.yaml by hand")
            }
            let context = try CommandContext(global)
            let project = try context.project()
            let outcome: HookInstallOutcome
            if uninstall {
                outcome = try project.uninstallHooks()
            } else if usePreCommitTool {
                outcome = try project.installPreCommitToolConfig()
            } else {
                outcome = try project.installHooks(fallbackBinary: Self.runningBinary())
            }
            for line in outcome.lines { Console.info(line) }
        }

        /// The absolute path of this cairn executable, recorded in the hooks for when `cairn` is not on PATH.
        static func runningBinary() -> String? {
            if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), path.hasPrefix("/") {
                return path
            }
            let first = CommandLine.arguments.first ?? ""
            return first.hasPrefix("/") ? first : nil
        }
    }
}
