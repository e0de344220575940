import ArgumentParser
import CairnCore
import CairnEngine

extension Cairn {
    /// `cairn remote …`: set up and manage data remotes in DVC's config files.
    struct RemoteCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remote", abstract: "Set up and manage data remotes.",
            subcommands: [Add.self, Default.self, Modify.self, List.self, Remove.self, Rename.self])

        /// `cairn remote` alone is a usage error (exit 254), as in DVC.
        func run() throws {
            throw ValidationError(
                "the following arguments are required: cmd (one of add, default, modify, list, remove, rename); see 'cairn remote --help'")
        }

        /// `cairn remote add [-d] [-f] NAME URL`.
        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a new data remote.")

            @OptionGroup var global: GlobalOptions
            @OptionGroup var level: ConfigLevelOptions

            @Flag(name: [.customShort("d"), .customLong("default")], help: "Set as default remote.")
            var makeDefault = false

            @Flag(name: [.customShort("f"), .customLong("force")], help: "Force overwriting existing configs")
            var force = false

            @Argument(help: "Name of the remote")
            var name: String

            @Argument(help: "Remote location: a directory (relative paths are resolved from the current directory and stored relative to the config file) or a URL such as s3://bucket/path.")
            var url: String

            func run() throws {
                let context = try CommandContext(global)
                // DVC announces it before editing, even when the edit then fails.
                if makeDefault { Console.info("Setting '\(name.lowercased())' as a default remote.") }
                var settings = try RemoteSettings(workingDirectory: context.workingDirectory)
                try settings.add(name, url: url, level: level.level, makeDefault: makeDefault, force: force)
            }
        }

        /// `cairn remote default [NAME] [-u]`.
        struct Default: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Set/unset the default data remote.")

            @OptionGroup var global: GlobalOptions
            @OptionGroup var level: ConfigLevelOptions

            @Flag(name: [.customShort("u"), .customLong("unset")], help: "Unset default remote.")
            var unset = false

            @Argument(help: "Name of the remote")
            var name: String?

            func run() throws {
                let context = try CommandContext(global)
                var settings = try RemoteSettings(workingDirectory: context.workingDirectory)
                if unset {
                    try settings.setDefault(nil, level: level.level)
                } else if let name {
                    try settings.setDefault(name, level: level.level)
                } else if let current = settings.defaultRemote(level: level.level) {
                    Console.standardOutput(current)
                } else {
                    Console.standardOutput("No default remote set")
                    throw ExitCode(ExitStatus.checkFailed)
                }
            }
        }

        /// `cairn remote modify [-u] NAME OPTION [VALUE]`.
        struct Modify: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Modify the configuration of a data remote.")

            @OptionGroup var global: GlobalOptions
            @OptionGroup var level: ConfigLevelOptions

            @Flag(name: [.customShort("u"), .customLong("unset")], help: "Unset option.")
            var unset = false

            // One array, so that a value such as `-1` (a negative timeout) is taken as a value, as DVC's
            // parser takes it, instead of as an unknown option.
            @Argument(
                parsing: .allUnrecognized,
                help: ArgumentHelp("Name of the remote, name of the option to modify, (optional) value of the option.",
                                   valueName: "name> <option> <value"))
            var arguments: [String] = []

            func validate() throws {
                if arguments.count < 2 {
                    throw ValidationError("the following arguments are required: \(arguments.isEmpty ? "name, option" : "option")")
                }
                if arguments.count > 3 { throw ValidationError("unrecognized arguments: \(arguments.dropFirst(3).joined(separator: " "))") }
                if arguments.count == 2 && !unset {
                    throw ValidationError("a value for '\(arguments[1])' is required (or use -u/--unset to remove the option)")
                }
            }

            func run() throws {
                let context = try CommandContext(global)
                var settings = try RemoteSettings(workingDirectory: context.workingDirectory)
                let value = unset || arguments.count < 3 ? nil : arguments[2]
                try settings.modify(arguments[0], option: arguments[1], value: value, level: level.level)
            }
        }

        /// `cairn remote list`: `name<TAB>url[<TAB>(default)]`, tabs expanded as DVC's terminal output does.
        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List all available data remotes.")

            @OptionGroup var global: GlobalOptions
            @OptionGroup var level: ConfigLevelOptions

            func run() throws {
                let context = try CommandContext(global)
                let settings = try RemoteSettings(workingDirectory: context.workingDirectory)
                for remote in settings.list(level: level.level) {
                    var line = remote.name + "\t" + (remote.url ?? "")
                    if remote.isDefault { line += "\t(default)" }
                    Console.standardOutput(Self.expandingTabs(line))
                }
            }

            /// Tabs as spaces up to the next multiple of 8 columns (DVC prints through rich, which does this).
            static func expandingTabs(_ line: String) -> String {
                var result = ""
                var column = 0
                for character in line {
                    if character == "\t" {
                        let spaces = 8 - column % 8
                        result += String(repeating: " ", count: spaces)
                        column += spaces
                    } else {
                        result.append(character)
                        column += 1
                    }
                }
                return result
            }
        }

        /// `cairn remote remove NAME`.
        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a data remote.")

            @OptionGroup var global: GlobalOptions
            @OptionGroup var level: ConfigLevelOptions

            @Argument(help: "Name of the remote to remove.")
            var name: String

            func run() throws {
                let context = try CommandContext(global)
                var settings = try RemoteSettings(workingDirectory: context.workingDirectory)
                try settings.remove(name, level: level.level)
            }
        }

        /// `cairn remote rename NAME NEW`.
        struct Rename: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Rename a DVC remote")

            @OptionGroup var global: GlobalOptions
            @OptionGroup var level: ConfigLevelOptions

            @Argument(help: "Remote to be renamed")
            var name: String

            @Argument(help: "New name of the remote")
            var new: String

            func run() throws {
                let context = try CommandContext(global)
                var settings = try RemoteSettings(workingDirectory: context.workingDirectory)
                try settings.rename(name, to: new, level: level.level)
            }
        }
    }
}
