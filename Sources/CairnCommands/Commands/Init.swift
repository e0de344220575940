import ArgumentParser
import CairnEngine

extension Cairn {
    /// `cairn init`: create `.dvc/`, `.dvcignore`, and stage them in git.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Initialize a DVC-compatible repository in the current git repository.")

        @OptionGroup var global: GlobalOptions

        @Flag(name: .customLong("no-scm"), help: "Initiate DVC in a directory that is not tracked by any SCM tool (e.g. Git).")
        var noSCM = false

        @Flag(name: .shortAndLong, help: "Overwrite existing '.dvc/' directory. This operation removes local cache.")
        var force = false

        @Option(name: .customLong("template"), help: ArgumentHelp(
            "Also write the files of a project template (\(Templates.names.joined(separator: ", "))).", valueName: "name"))
        var template: String?

        func run() throws {
            let context = try CommandContext(global)
            let outcome = try Project.initialize(
                in: context.workingDirectory, options: InitOptions(noSCM: noSCM, force: force, template: template))
            Console.info("Initialized DVC repository.")
            for path in outcome.templateFiles { Console.info("  created \(path)") }
            if !noSCM { Console.info("\nYou can now commit the changes to git.") }
        }
    }
}
