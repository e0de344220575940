import ArgumentParser
import CairnCore
import CairnEngine

extension Cairn {
    /// `cairn lineage PATH`.
    struct Lineage: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the stages and inputs (with hashes and params) that produced a tracked output.",
            discussion: """
                cairn's addition (DVC has no such command). Reads dvc.yaml/dvc.lock as they are in the workspace, \
                or at `--rev R` from git objects. Inputs that are outputs of other stages are followed; .dvc-tracked \
                inputs and git files are leaves, shown with the hash the consuming stage's dvc.lock recorded.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("rev"), help: "Read the pipeline at this git revision instead of the workspace.")
        var revision: String?
        @Flag(name: .customLong("json"), help: "Show the tree as JSON.")
        var json = false
        @Flag(name: .customLong("dot"), help: "Show the graph in Graphviz dot format.")
        var dot = false
        @Flag(name: .customLong("mermaid"), help: "Show the graph as a Mermaid flowchart.")
        var mermaid = false
        @Argument(help: "A tracked output (a stage out or a .dvc file's out).")
        var path: String

        func validate() throws {
            if [json, dot, mermaid].filter({ $0 }).count > 1 {
                throw ValidationError("--json, --dot and --mermaid are mutually exclusive")
            }
        }

        func run() throws {
            let context = try CommandContext(global)
            let tree = try context.project().lineage(of: path, revision: revision, relativeTo: context.workingDirectory)
            let format: LineageFormat = json ? .json : dot ? .dot : mermaid ? .mermaid : .text
            Console.standardOutputRaw(LineageRendering.render(tree, format: format))
        }
    }
}
