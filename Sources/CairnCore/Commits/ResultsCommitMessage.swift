/// The default message of a commit cairn makes itself (`repro --commit`, `commit --git`): a subject naming
/// what ran, then the metric changes against the parent commit and the files committed.
public struct ResultsCommitMessage: Sendable, Equatable {
    /// Which command made the commit.
    public enum Origin: Sendable, Equatable {
        /// `cairn repro --commit`.
        case repro
        /// `cairn commit --git`.
        case commit
    }

    /// Which command made the commit.
    public var origin: Origin
    /// Stage addresses (and `.dvc` files) that ran, were restored or were recorded, in order.
    public var stages: [String]
    /// Metrics that changed against the parent commit (`MetricsDiff.compute` rows).
    public var metricChanges: [DiffRow]
    /// The parent commit's short id; nil for a first commit.
    public var parent: String?
    /// Repo-relative paths the commit changes.
    public var files: [String]

    /// At most this many metric lines; the rest are counted.
    public static let metricLimit = 20

    /// Collects what the message says.
    public init(origin: Origin, stages: [String], metricChanges: [DiffRow], parent: String?, files: [String]) {
        self.origin = origin
        self.stages = stages
        self.metricChanges = metricChanges
        self.parent = parent
        self.files = files
    }

    /// The first line.
    public var subject: String {
        let verb = origin == .repro ? "Reproduce" : "Record"
        guard !stages.isEmpty else {
            return origin == .repro ? "Record pipeline results" : "Record tracked data and pipeline results"
        }
        let shown = stages.prefix(4).joined(separator: ", ")
        return stages.count > 4 ? "\(verb) \(shown) and \(stages.count - 4) more" : "\(verb) \(shown)"
    }

    /// The whole message: subject, blank line, body.
    public var text: String {
        var lines = [subject, ""]
        if !stages.isEmpty {
            lines.append((origin == .repro ? "Stages run: " : "Recorded: ") + stages.joined(separator: ", "))
        }
        if !metricChanges.isEmpty {
            lines.append(parent.map { "Metrics against \($0):" } ?? "Metrics:")
            let labels = metricChanges.map { $0.key.isEmpty ? $0.path : "\($0.path):\($0.key)" }
            let width = labels.prefix(Self.metricLimit).map(\.count).max() ?? 0
            for (row, label) in zip(metricChanges, labels).prefix(Self.metricLimit) {
                lines.append("  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + Self.change(row))
            }
            if metricChanges.count > Self.metricLimit {
                lines.append("  … and \(metricChanges.count - Self.metricLimit) more")
            }
        }
        lines.append("Files: " + files.joined(separator: ", "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `0.81 -> 0.85 (+0.04)`, `new 0.85`, `removed (was 0.81)`.
    static func change(_ row: DiffRow) -> String {
        switch (row.old, row.new) {
        case (nil, let new?): return "new " + new.pythonStr
        case (let old?, nil): return "removed (was \(old.pythonStr))"
        case (let old?, let new?):
            guard let diff = row.diff else { return "\(old.pythonStr) -> \(new.pythonStr)" }
            let delta = diff.formatted(precision: 5)
            return "\(old.pythonStr) -> \(new.pythonStr) (\(delta.hasPrefix("-") ? "" : "+")\(delta))"
        case (nil, nil): return "unchanged"
        }
    }
}
