import ArgumentParser
import CairnEngine

extension Cairn {
    /// `cairn cache …`: the cache's location and integrity.
    struct CacheCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cache", abstract: "Manage cache settings.", subcommands: [Dir.self, Verify.self])

        /// `cairn cache dir [VALUE]`: print or set the cache directory.
        struct Dir: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Configure cache directory location.")

            @OptionGroup var global: GlobalOptions
            @OptionGroup var level: ConfigLevelOptions

            @Flag(name: [.customShort("u"), .customLong("unset")], help: "Unset option.")
            var unset = false

            @Argument(help: "Path to cache directory. Relative paths are resolved relative to the current directory and saved to config relative to the config file location.")
            var value: String?

            func run() throws {
                let context = try CommandContext(global)
                let project = try context.project()
                if unset {
                    try project.withLock(wait: global.waitForLock) {
                        try project.setCacheDirectory(nil, level: level.level, relativeTo: context.workingDirectory)
                    }
                } else if let value {
                    try project.withLock(wait: global.waitForLock) {
                        try project.setCacheDirectory(value, level: level.level, relativeTo: context.workingDirectory)
                    }
                } else {
                    Console.standardOutput(project.cacheDirectory)
                }
            }
        }

        /// `cairn cache verify`: re-hash every object and report mismatches (cairn's own command).
        struct Verify: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Re-hash every cache object and report each one whose content does not match its name.")

            @OptionGroup var global: GlobalOptions

            @Flag(name: .customLong("json"), help: "Report in JSON format.")
            var json = false

            func run() throws {
                let context = try CommandContext(global)
                let outcome = try context.project().verifyCache()
                if json {
                    Console.standardOutput(outcome.json())
                } else {
                    for corrupt in outcome.corrupt {
                        Console.standardOutput("corrupt: \(corrupt.path) (expected \(corrupt.expected), content hashes to \(corrupt.actual))")
                    }
                    Console.info("\(outcome.checked) objects checked, \(outcome.corrupt.count) corrupt.")
                    if !outcome.corrupt.isEmpty {
                        Console.standardError("Remove the corrupt objects and restore them with `cairn add`/`cairn commit` of the original data or `cairn fetch`.")
                    }
                }
                if !outcome.corrupt.isEmpty { throw ExitCode(ExitStatus.checkFailed) }
            }
        }
    }
}
