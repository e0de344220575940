import ArgumentParser
import CairnCore
import CairnEngine

extension Cairn {
    /// `cairn validate`: the declarative data and metric checks of checks.yaml.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check data files and metrics against the rules in checks.yaml.",
            discussion: """
                Exit codes: 0 all checks passed, 1 a check failed, 254 usage error, 255 a bad checks.yaml or \
                an unreadable input (nothing is validated then).
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(name: .customLong("json"), help: "Show the report in JSON format.")
        var json = false

        @Argument(help: "Only run the checks of these files, or of files under these directories.")
        var targets: [String] = []

        func run() throws {
            let context = try CommandContext(global)
            let report = try context.project().validate(targets: targets, relativeTo: context.workingDirectory)
            if !global.quiet || json { Console.standardOutput(json ? report.json() : report.text()) }
            if !report.passed { throw ExitCode(ExitStatus.checkFailed) }
        }
    }
}
