/// The output formats of `cairn dag`.
public enum DAGFormat: String, Sendable, Equatable {
    /// A text drawing for the terminal.
    case ascii
    /// Graphviz, as `dvc dag --dot`.
    case dot
    /// Mermaid flowchart, as `dvc dag --mermaid`.
    case mermaid
    /// Mermaid in a fenced Markdown block, as `dvc dag --md`.
    case markdown
}

/// Renders the pipeline graph (or a part of it) as `dvc dag` does.
public enum DAGRendering {
    /// The graph restricted to `nodes` (graph indexes), in `format`; `outputs` draws outputs instead of stages.
    public static func render(_ graph: StageGraph, nodes: [Int], format: DAGFormat, outputs: Bool) -> String {
        ""
    }
}
