import ArgumentParser
import CairnCore
import CairnEngine

extension Cairn {
    /// `cairn report`: the CI view of a change in one command.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report what changed between two revisions: params, metrics, stages and plots.",
            discussion: """
                Prints the params diff, the metrics diff (with relative change), the stages whose dvc.lock records \
                differ, and draws every plot for both revisions into DIR (default cairn_report/), linked from the \
                Markdown by relative path; DIR/report.md holds the same Markdown with links relative to DIR. \
                In CI: `cairn report main HEAD --md > comment.md`, then post the comment and upload DIR.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Base revision (defaults to HEAD).")
        var base: String?
        @Argument(help: "Revision to report on (defaults to the workspace).")
        var head: String?
        @Flag(name: .customLong("md"), help: "Print Markdown (for a pull-request comment).")
        var markdown = false
        @Option(name: [.short, .customLong("out")], help: "Directory for the plots and report.md (default cairn_report).")
        var out: String?

        func run() throws {
            let context = try CommandContext(global)
            let document = try context.project().report(base: base, head: head, output: out,
                                                        relativeTo: context.workingDirectory)
            Console.standardOutputRaw(markdown ? document.markdown() : document.plain())
        }
    }
}
