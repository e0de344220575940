import ArgumentParser
import CairnCore
import CairnEngine

extension Cairn {
    /// `cairn stage …`: add and list pipeline stages.
    struct StageCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stage", abstract: "Commands to list and create stages.", subcommands: [Add.self, List.self])

        /// `cairn stage add`: write a stage into dvc.yaml, keeping the file's comments and order.
        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create stage")

            @OptionGroup var global: GlobalOptions

            @Option(name: [.short, .customLong("name")], help: "Name of the stage to add")
            var name: String

            @Option(name: [.short, .customLong("deps")], help: "Declare dependencies for reproducible cmd.")
            var deps: [String] = []

            @Option(name: [.short, .customLong("outs")], help: "Declare output file or directory.")
            var outs: [String] = []

            @Option(name: [.customShort("O"), .customLong("outs-no-cache")], help: "Declare output file or directory (do not put into DVC cache).")
            var outsNoCache: [String] = []

            @Option(name: [.short, .customLong("params")], help: "Declare parameter to use as additional dependency.")
            var params: [String] = []

            @Option(name: [.short, .customLong("metrics")], help: "Declare output metrics file.")
            var metrics: [String] = []

            @Option(name: [.customShort("M"), .customLong("metrics-no-cache")], help: "Declare output metrics file (do not put into DVC cache).")
            var metricsNoCache: [String] = []

            @Option(name: .customLong("plots"), help: "Declare output plot file.")
            var plots: [String] = []

            @Option(name: .customLong("plots-no-cache"), help: "Declare output plot file (do not put into DVC cache).")
            var plotsNoCache: [String] = []

            @Option(name: .customLong("outs-persist"), help: "Declare output file or directory that will not be removed upon repro.")
            var outsPersist: [String] = []

            @Option(name: .customLong("outs-persist-no-cache"), help: "Declare output file or directory that will not be removed upon repro (do not put into DVC cache).")
            var outsPersistNoCache: [String] = []

            @Option(name: [.short, .customLong("wdir")], help: "Directory within your repo to run your command in.")
            var wdir: String?

            @Option(name: .customLong("desc"), help: "User description of the stage (optional).")
            var desc: String?

            @Flag(name: [.short, .customLong("force")], help: "Overwrite existing stage")
            var force = false

            @Flag(name: .customLong("always-changed"), help: "Always consider this stage as changed.")
            var alwaysChanged = false

            @Argument(parsing: .captureForPassthrough, help: "Command to execute.")
            var command: [String] = []

            /// DVC's joining of a command given as several words: words with a space (and no `"`) are quoted.
            static func joined(_ words: [String]) -> String {
                guard words.count > 1 else { return words.joined() }
                return words.map { $0.contains(" ") && !$0.contains("\"") ? "\"\($0)\"" : $0 }.joined(separator: " ")
            }

            func validate() throws {
                if command.isEmpty { throw ValidationError("the command to run is required") }
            }

            func run() throws {
                let context = try CommandContext(global)
                let addition = StageAddition(
                    name: name, cmd: Self.joined(command), deps: deps, outs: outs, outsNoCache: outsNoCache,
                    outsPersist: outsPersist, outsPersistNoCache: outsPersistNoCache, params: params, metrics: metrics,
                    metricsNoCache: metricsNoCache, plots: plots, plotsNoCache: plotsNoCache, wdir: wdir, desc: desc,
                    alwaysChanged: alwaysChanged)
                let outcome = try context.withLockedProject { project in
                    try project.addStage(addition, force: force, relativeTo: context.workingDirectory)
                }
                Console.info("Added stage '\(name)' in 'dvc.yaml'")
                GitHint.printTrackingHint(for: outcome.filesToStage, staged: outcome.staged)
            }
        }

        /// `cairn stage list`: the stages with their outputs.
        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List stages.")

            @OptionGroup var global: GlobalOptions

            @Flag(name: .customLong("all"), help: "List all of the stages in the repo.")
            var all = false

            @Flag(name: .customLong("name-only"), help: "List only stage names.")
            var nameOnly = false

            @Argument(help: "Show stages from a dvc.yaml/.dvc file or a directory.")
            var targets: [String] = []

            func run() throws {
                let context = try CommandContext(global)
                let lines = try context.project().listStages(targets: targets, all: all, nameOnly: nameOnly,
                                                             relativeTo: context.workingDirectory)
                for line in lines { Console.standardOutput(line) }
            }
        }
    }

    /// `cairn dag`: draw the pipeline's graph.
    struct Dag: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Visualize DVC project DAG.")

        @OptionGroup var global: GlobalOptions

        @Flag(name: .customLong("dot"), help: "Print DAG with .dot format.")
        var dot = false

        @Flag(name: .customLong("mermaid"), help: "Print DAG with mermaid format.")
        var mermaid = false

        @Flag(name: .customLong("md"), help: "Print DAG with mermaid format wrapped in Markdown block.")
        var markdown = false

        @Flag(name: [.short, .customLong("outs")], help: "Print output files instead of stages.")
        var outs = false

        @Argument(help: "Stage name or output to show pipeline for.")
        var target: String?

        func validate() throws {
            if [dot, mermaid, markdown].filter({ $0 }).count > 1 {
                throw ValidationError("--dot, --mermaid and --md are mutually exclusive")
            }
        }

        func run() throws {
            let context = try CommandContext(global)
            let format: DagFormat = dot ? .dot : mermaid ? .mermaid : markdown ? .markdown : .ascii
            let text = try context.project().dag(target: target, format: format, outputs: outs,
                                                 relativeTo: context.workingDirectory)
            Console.standardOutput(text)
        }
    }
}
