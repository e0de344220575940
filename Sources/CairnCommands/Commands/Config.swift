import ArgumentParser
import CairnCore
import CairnEngine

/// `--system | --global | --project | --local`, as DVC's config commands take them.
struct ConfigLevelOptions: ParsableArguments {
    @Flag(name: .customLong("system"), help: "Use system config.")
    var system = false
    @Flag(name: .customLong("global"), help: "Use global config.")
    var global = false
    @Flag(name: .customLong("project"), help: "Use project config (.dvc/config).")
    var project = false
    @Flag(name: .customLong("local"), help: "Use local config (.dvc/config.local).")
    var local = false

    func validate() throws {
        if [system, global, project, local].filter({ $0 }).count > 1 {
            throw ValidationError("--system, --global, --project and --local are mutually exclusive")
        }
    }

    /// The chosen level, nil when none was given.
    var level: ConfigLevel? {
        if system { return .system }
        if global { return .global }
        if project { return .repo }
        if local { return .local }
        return nil
    }
}

extension Cairn {
    /// `cairn config`: get, set, unset and list options in DVC's config files.
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Get or set config options.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var level: ConfigLevelOptions

        @Flag(name: [.customShort("u"), .customLong("unset")], help: "Unset option.")
        var unset = false

        @Flag(name: [.customShort("l"), .customLong("list")], help: "List all defined config values.")
        var list = false

        @Flag(name: .customLong("show-origin"), help: "Show the source file containing each config value.")
        var showOrigin = false

        @Argument(help: "Option name (section.option or remote.name.option).")
        var name: String?

        @Argument(help: "Option value.")
        var value: String?

        func validate() throws {
            if list {
                if name != nil || value != nil || unset { throw ValidationError("-l/--list can't be used together with any of these options: -u/--unset, name, value") }
                return
            }
            guard name != nil else { throw ValidationError("name argument is required") }
            if unset && value != nil { throw ValidationError("-u/--unset can't be used together with value") }
        }

        func run() throws {
            let context = try CommandContext(global)
            var editor = try ConfigEditor(workingDirectory: context.workingDirectory, needsProject: level.level == .repo || level.level == .local || (level.level == nil && !list))
            if list {
                for line in try editor.list(level: level.level, showOrigin: showOrigin) { Console.standardOutput(line) }
                return
            }
            guard let name else { return }
            if unset {
                try editor.unset(name, level: level.level ?? .repo)
            } else if let value {
                try editor.set(name, value, level: level.level ?? .repo)
            } else {
                let (found, origin) = try editor.get(name, level: level.level)
                Console.standardOutput(showOrigin ? "\(origin)\t\(found)" : found)
            }
        }
    }

    /// `cairn check-ignore`: which `.dvcignore` pattern, if any, ignores each path.
    struct CheckIgnore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-ignore", abstract: "Check whether files or directories are excluded due to `.dvcignore`.")

        @OptionGroup var global: GlobalOptions

        @Flag(name: [.customShort("d"), .customLong("details")], help: "Show the exclude patterns along with each target path.")
        var details = false

        @Flag(name: [.customShort("n"), .customLong("non-matching")], help: "Show the target paths which don't match any pattern. Only usable when `--details` is also employed")
        var nonMatching = false

        @Argument(help: "File or directory paths to check ignoring.")
        var targets: [String]

        func validate() throws {
            if nonMatching && !details { throw ValidationError("--non-matching is only usable with --details") }
        }

        func run() throws {
            let context = try CommandContext(global)
            let results = try context.project().checkIgnore(targets, relativeTo: context.workingDirectory)
            var anyIgnored = false
            for result in results {
                anyIgnored = anyIgnored || result.isIgnored
                if let detail = result.detail {
                    if details {
                        Console.standardOutput(detail)
                    } else if result.isIgnored {
                        Console.standardOutput(result.target)
                    }
                } else if details && nonMatching {
                    Console.standardOutput("::\t\(result.target)")
                }
            }
            if !anyIgnored { throw ExitCode(ExitStatus.checkFailed) }
        }
    }

    /// `cairn version`.
    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Display the cairn version and system information.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            _ = try CommandContext(global)
            Console.standardOutput("cairn \(CairnVersion.string)")
        }
    }
}
