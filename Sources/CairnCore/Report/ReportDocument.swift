/// `cairn report`: what a change did, between two revisions — params, metrics (with relative change), the stages
/// whose `dvc.lock` records differ, and the plots drawn for both — as Markdown for a pull-request comment or as
/// plain text for a terminal.
public struct ReportDocument: Sendable {
    /// The old revision's name.
    public var base: String
    /// The new revision's name.
    public var head: String
    /// `params diff` rows (changed only).
    public var params: [DiffRow]
    /// `metrics diff` rows (changed only).
    public var metrics: [DiffRow]
    /// Stages whose records differ.
    public var stages: [StageChange]
    /// Plot ids with the path of their SVG, relative to where the report is read from.
    public var plots: [(id: String, file: String)]
    /// Files that could not be read at a revision (`rev:path: message`), listed so a reader sees the gap.
    public var problems: [String]

    /// Creates a report.
    public init(base: String, head: String, params: [DiffRow], metrics: [DiffRow], stages: [StageChange],
                plots: [(id: String, file: String)], problems: [String] = []) {
        self.base = base
        self.head = head
        self.params = params
        self.metrics = metrics
        self.stages = stages
        self.plots = plots
        self.problems = problems
    }

    /// GitHub-flavoured Markdown: a heading per section, tables as `metrics diff --md`, plots as images.
    public func markdown() -> String {
        var text = "## cairn report: `\(base)` → `\(head)`\n\n"
        text += "### Metrics\n\n"
        text += metrics.isEmpty ? "No metric changed.\n\n"
            : MetricsDiff.render(metrics, oldLabel: base, newLabel: head, format: .markdown, relative: true)
        text += "### Params\n\n"
        text += params.isEmpty ? "No param changed.\n\n"
            : ParamsDiff.render(params, oldLabel: base, newLabel: head, format: .markdown)
        text += "### Stages\n\n"
        if stages.isEmpty {
            text += "No stage record changed.\n\n"
        } else {
            text += TextTable(headers: ["Stage", "Change"], rows: stages.map { [Self.code($0.address), Self.describe($0)] }).markdown()
        }
        if !plots.isEmpty {
            text += "### Plots\n\n"
            for plot in plots { text += "#### \(plot.id)\n\n![\(plot.id)](\(Self.urlPath(plot.file)))\n\n" }
        }
        if !problems.isEmpty {
            text += "### Could not be read\n\n" + problems.map { "- \($0)\n" }.joined() + "\n"
        }
        return text
    }

    /// Plain text for a terminal: the same sections, tables as `metrics diff` prints them.
    public func plain() -> String {
        var text = "Metrics (\(base) → \(head)):\n"
        text += metrics.isEmpty ? "  no metric changed\n"
            : MetricsDiff.render(metrics, oldLabel: base, newLabel: head, format: .plain, relative: true)
        text += "\nParams:\n"
        text += params.isEmpty ? "  no param changed\n" : ParamsDiff.render(params, oldLabel: base, newLabel: head, format: .plain)
        text += "\nStages:\n"
        text += stages.isEmpty ? "  no stage record changed\n"
            : TextTable(headers: ["Stage", "Change"], rows: stages.map { [$0.address, Self.describe($0)] }).plain()
        if !plots.isEmpty {
            text += "\nPlots:\n" + plots.map { "  \($0.id): \($0.file)\n" }.joined()
        }
        if !problems.isEmpty {
            text += "\nCould not be read:\n" + problems.map { "  \($0)\n" }.joined()
        }
        return text
    }

    private static func describe(_ change: StageChange) -> String {
        switch change.kind {
        case .added: return "added"
        case .removed: return "removed"
        case .modified: return "modified: " + change.parts.joined(separator: ", ")
        }
    }

    private static func code(_ text: String) -> String { "`\(text)`" }

    /// A relative path as a Markdown link target (spaces and parentheses escaped).
    private static func urlPath(_ path: String) -> String {
        path.replacingCharacters([" ": "%20", "(": "%28", ")": "%29"])
    }
}
