import ArgumentParser
import CairnCore
import CairnEngine

extension Cairn {
    /// `cairn metrics …`.
    struct MetricsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "metrics", abstract: "Commands to display and compare metrics.",
            subcommands: [Show.self, Diff.self])

        /// `cairn metrics show`.
        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print metrics, with optional formatting.",
                discussion: """
                    cairn's additions: `--rev R` (repeatable) shows the named revisions; `--csv` prints a header \
                    row `[Revision,]Path,<metric names sorted>` and one row per revision and file (RFC 4180 quoting, \
                    empty field when a metric is missing).
                    """)

            @OptionGroup var global: GlobalOptions
            @Flag(name: [.short, .customLong("all-branches")], help: "Show metrics for all branches.")
            var allBranches = false
            @Flag(name: [.customShort("T"), .customLong("all-tags")], help: "Show metrics for all tags.")
            var allTags = false
            @Flag(name: [.customShort("A"), .customLong("all-commits")], help: "Show metrics for all commits.")
            var allCommits = false
            @Option(name: .customLong("rev"), help: "Show metrics for this revision (repeatable).")
            var revisions: [String] = []
            @Flag(name: .customLong("json"), help: "Show output in JSON format.")
            var json = false
            @Flag(name: .customLong("md"), help: "Show tabular output in the Markdown format (GFM).")
            var markdown = false
            @Flag(name: .customLong("csv"), help: "Show output as CSV.")
            var csv = false
            @Option(name: .customLong("precision"), help: "Round metrics to N digits after the decimal point (default 5).")
            var precision: Int?
            @Flag(name: .customLong("strict"), help: "Exit non-zero when a metrics file cannot be read at some revision.")
            var strict = false
            @Argument(help: "Limit command scope to these metrics files.")
            var targets: [String] = []

            func validate() throws {
                if [json, markdown, csv].filter({ $0 }).count > 1 { throw ValidationError("--json, --md and --csv are mutually exclusive") }
                if let precision, precision < 0 { throw ValidationError("--precision must be 0 or more") }
            }

            func run() throws {
                let context = try CommandContext(global)
                let selection = RevisionSelection(allBranches: allBranches, allTags: allTags, allCommits: allCommits,
                                                  revisions: revisions)
                let revisions = try context.project().metricsShow(selection, targets: targets,
                                                                  relativeTo: context.workingDirectory)
                let format: MetricsOutputFormat = json ? .json : markdown ? .markdown : csv ? .csv : .plain
                Console.standardOutputRaw(MetricsShow.render(revisions, format: format, precision: precision,
                                                             showRevision: !selection.isWorkspaceOnly))
                try MetricsReport.finish(revisions, strict: strict)
            }
        }

        /// `cairn metrics diff`.
        struct Diff: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Show changes in metrics between commits in the DVC repository, or between a commit and the workspace.",
                discussion: "cairn's addition: `--relative` adds a `Change %` column ((new − old) / |old| × 100; JSON \"rel\").")

            @OptionGroup var global: GlobalOptions
            @Argument(help: "Old Git commit to compare (defaults to HEAD).")
            var a: String?
            @Argument(help: "New Git commit to compare (defaults to the current workspace).")
            var b: String?
            @Option(name: .customLong("targets"), parsing: .upToNextOption, help: "Specific metrics files to compare.")
            var targets: [String] = []
            @Flag(name: .customLong("all"), help: "Show unchanged metrics as well.")
            var all = false
            @Flag(name: .customLong("json"), help: "Show output in JSON format.")
            var json = false
            @Flag(name: .customLong("md"), help: "Show tabular output in the Markdown format (GFM).")
            var markdown = false
            @Flag(name: .customLong("no-path"), help: "Don't show metric path.")
            var noPath = false
            @Option(name: .customLong("precision"), help: "Round metrics to N digits after the decimal point (default 5).")
            var precision: Int?
            @Flag(name: .customLong("relative"), help: "Also show the relative change, in percent.")
            var relative = false
            @Flag(name: .customLong("strict"), help: "Exit non-zero when a metrics file cannot be read at a revision.")
            var strict = false

            func validate() throws {
                if json && markdown { throw ValidationError("--json and --md are mutually exclusive") }
                if let precision, precision < 0 { throw ValidationError("--precision must be 0 or more") }
            }

            func run() throws {
                let context = try CommandContext(global)
                let (old, new) = try context.project().metricsDiff(a, b, targets: targets,
                                                                   relativeTo: context.workingDirectory)
                let rows = MetricsDiff.compute(old: old, new: new, all: all)
                let format: DiffOutputFormat = json ? .json : markdown ? .markdown : .plain
                Console.standardOutputRaw(MetricsDiff.render(rows, oldLabel: old.revision, newLabel: new.revision,
                                                             format: format, precision: precision, showPath: !noPath,
                                                             relative: relative))
                try MetricsReport.finish([old, new], strict: strict)
            }
        }
    }

    /// `cairn params …`.
    struct ParamsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "params", abstract: "Commands to display params.", subcommands: [Diff.self])

        /// `cairn params diff`.
        struct Diff: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Show changes in params between commits in the DVC repository, or between a commit and the workspace.")

            @OptionGroup var global: GlobalOptions
            @Argument(help: "Old Git commit to compare (defaults to HEAD).")
            var a: String?
            @Argument(help: "New Git commit to compare (defaults to the current workspace).")
            var b: String?
            @Option(name: .customLong("targets"), parsing: .upToNextOption, help: "Specific params files to compare.")
            var targets: [String] = []
            @Flag(name: .customLong("all"), help: "Show unchanged params as well.")
            var all = false
            @Flag(name: .customLong("json"), help: "Show output in JSON format.")
            var json = false
            @Flag(name: .customLong("md"), help: "Show tabular output in the Markdown format (GFM).")
            var markdown = false
            @Flag(name: .customLong("no-path"), help: "Don't show params path.")
            var noPath = false
            @Flag(name: .customLong("strict"), help: "Exit non-zero when a params file cannot be read at a revision.")
            var strict = false

            func validate() throws {
                if json && markdown { throw ValidationError("--json and --md are mutually exclusive") }
            }

            func run() throws {
                let context = try CommandContext(global)
                let (old, new) = try context.project().paramsDiff(a, b, targets: targets,
                                                                  relativeTo: context.workingDirectory)
                let rows = ParamsDiff.compute(old: old, new: new, all: all)
                let format: DiffOutputFormat = json ? .json : markdown ? .markdown : .plain
                Console.standardOutputRaw(ParamsDiff.render(rows, oldLabel: old.revision, newLabel: new.revision,
                                                            format: format, showPath: !noPath))
                try MetricsReport.finish([old, new], strict: strict, kind: "params")
            }
        }
    }
}

/// The end of a metrics/params report: per-file errors as DVC words them on stderr, and `--strict`'s exit code.
enum MetricsReport {
    static func finish(_ revisions: [RevisionFiles], strict: Bool, kind: String = "metrics") throws {
        for revision in revisions {
            if let error = revision.error { Console.standardError("ERROR: \(error.message)") }
            for file in revision.files {
                if case .failure(let error) = file.result { Console.standardError("ERROR: \(error.message)") }
            }
        }
        let failed = revisions.filter(\.hasErrors).map { $0.revision.isEmpty ? "workspace" : $0.revision }
        guard !failed.isEmpty else { return }
        Console.warning("failed to load some \(kind) for following revisions: '\(failed.joined(separator: ", "))'.")
        if strict { throw ExitCode(ExitStatus.failure) }
    }
}
