/// `stage list` output as DVC prints it.
public enum StageListing {
    /// The listing of `stages` (the caller picks them; `--all` is its choice), addressed from the repo root.
    public static func render(_ stages: [PipelineStage], nameOnly: Bool) -> String {
        render(stages, nameOnly: nameOnly, from: "")
    }

    /// The listing with stage addresses relative to `directory` (repo-relative; "" = root), as DVC run from there.
    public static func render(_ stages: [PipelineStage], nameOnly: Bool, from directory: String) -> String {
        // DVC keys its table by address, so a stage listed twice appears once (first position).
        var rows: [(address: String, text: String)] = []
        var seen = Set<String>()
        for stage in stages {
            let address = self.address(of: stage, from: directory)
            guard seen.insert(address).inserted else { continue }
            rows.append((address, nameOnly ? "" : truncated(description(of: stage))))
        }
        let width = rows.reduce(0) { max($0, $1.address.count) }
        var output = ""
        for row in rows {
            var line = row.address
            if !row.text.isEmpty {
                line += String(repeating: " ", count: width - row.address.count + 2) + row.text
            }
            output += line + "\n"
        }
        return output
    }

    /// How DVC names the stage from `directory`: the bare name for the dvc.yaml there, else `relpath:name`.
    public static func address(of stage: PipelineStage, from directory: String) -> String {
        let relative = RepoPath.relative(stage.file, from: directory)
        return relative == "dvc.yaml" ? stage.name : "\(relative):\(stage.name)"
    }

    /// The first non-empty line of `desc`, or DVC's generated summary ("Outputs a; Reports m.json").
    public static func description(of stage: PipelineStage) -> String {
        if let desc = stage.desc,
           let line = desc.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map({ String($0).trimmingWhitespace }).first(where: { !$0.isEmpty }) {
            return line
        }
        var deps = stage.deps
        for params in stage.params {
            deps.append(params.file)
        }
        if deps.isEmpty && stage.outs.isEmpty { return "No outputs or dependencies" }
        if stage.outs.isEmpty { return "Depends on " + deps.joined(separator: ", ") }
        var parts: [String] = []
        let plain = stage.outs.filter { $0.kind == .out }.map(\.path)
        if !plain.isEmpty { parts.append("Outputs " + plain.joined(separator: ", ")) }
        let reports = stage.outs.filter { $0.kind != .out }.map(\.path)
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
