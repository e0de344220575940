/// `stage list` output as DVC prints it.
public enum StageListing {
    /// One line of the listing: how the stage is addressed and what it does.
    public struct Row: Sendable, Equatable {
        /// `name`, `path/dvc.yaml:name` or `data.dvc`, relative to the directory the command runs in.
        public var address: String
        /// The first line of `desc`, or DVC's generated summary.
        public var description: String

        /// Creates a row.
        public init(address: String, description: String) {
            self.address = address
            self.description = description
        }
    }

    /// The listing of `stages` (the caller picks them; `--all` is its choice), addressed from the repo root.
    public static func render(_ stages: [PipelineStage], nameOnly: Bool) -> String {
        render(stages, nameOnly: nameOnly, from: "")
    }

    /// The listing with stage addresses relative to `directory` (repo-relative; "" = root), as DVC run from there.
    public static func render(_ stages: [PipelineStage], nameOnly: Bool, from directory: String) -> String {
        render(rows: stages.map { row(for: $0, from: directory) }, nameOnly: nameOnly)
    }

    /// The listing of prepared rows (e.g. pipeline stages plus `.dvc` files for `--all`), in the given order.
    public static func render(rows: [Row], nameOnly: Bool) -> String {
        // DVC keys its table by address, so an address listed twice appears once (first position, last text).
        var order: [String] = []
        var texts: [String: String] = [:]
        for row in rows {
            if texts[row.address] == nil { order.append(row.address) }
            texts[row.address] = nameOnly ? "" : truncated(row.description)
        }
        let width = order.reduce(0) { max($0, $1.count) }
        var output = ""
        for address in order {
            var line = address
            if let text = texts[address], !text.isEmpty {
                line += String(repeating: " ", count: width - address.count + 2) + text
            }
            output += line + "\n"
        }
        return output
    }

    /// The row of a pipeline stage seen from `directory`.
    public static func row(for stage: PipelineStage, from directory: String) -> Row {
        Row(address: address(of: stage, from: directory), description: description(of: stage))
    }

    /// The row of a `.dvc` file (`--all` lists them too): its path from `directory`, "Outputs <out>".
    public static func dvcFileRow(path dvcFile: String, outs: [String], deps: [String] = [], desc: String? = nil,
                                  from directory: String) -> Row {
        Row(address: RepoPath.relative(dvcFile, from: directory),
            description: description(desc: desc, deps: deps, outs: outs.map { ($0, false) }))
    }

    /// How DVC names the stage from `directory`: the bare name for the dvc.yaml there, else `relpath:name`.
    public static func address(of stage: PipelineStage, from directory: String) -> String {
        let relative = RepoPath.relative(stage.file, from: directory)
        return relative == "dvc.yaml" ? stage.name : "\(relative):\(stage.name)"
    }

    /// The first non-empty line of `desc`, or DVC's generated summary ("Outputs a; Reports m.json").
    public static func description(of stage: PipelineStage) -> String {
        description(desc: stage.desc, deps: stage.deps + stage.params.map(\.file),
                    outs: stage.outs.map { ($0.path, $0.kind != .out) })
    }

    private static func description(desc: String?, deps: [String], outs: [(path: String, isReport: Bool)]) -> String {
        if let desc,
           let line = desc.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map({ String($0).trimmingWhitespace }).first(where: { !$0.isEmpty }) {
            return line
        }
        if deps.isEmpty && outs.isEmpty { return "No outputs or dependencies" }
        if outs.isEmpty { return "Depends on " + deps.joined(separator: ", ") }
        var parts: [String] = []
        let plain = outs.filter { !$0.isReport }.map(\.path)
        if !plain.isEmpty { parts.append("Outputs " + plain.joined(separator: ", ")) }
        let reports = outs.filter(\.isReport).map(\.path)
        if !reports.isEmpty { parts.append("Reports " + reports.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }

    private static func truncated(_ text: String) -> String {
        guard text.count > 80 else { return text }
        return String(text.prefix(79)) + "…"
    }
}

extension String {
    /// Python's `str.strip()` for the common whitespace characters.
    var trimmingWhitespace: String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
