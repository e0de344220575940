/// The formats `cairn lineage` prints.
public enum LineageFormat: Sendable {
    /// An indented tree for people.
    case text
    /// Nested JSON objects.
    case json
    /// A Graphviz `digraph`.
    case dot
    /// A Mermaid `flowchart`.
    case mermaid
}

/// Renders lineage trees.
public enum LineageRendering {
    /// The tree in `format`, ending with a newline.
    public static func render(_ node: LineageNode, format: LineageFormat) -> String {
        switch format {
        case .text: text(node)
        case .json: PythonJSON.dumps(json(node)) + "\n"
        case .dot: dot(node)
        case .mermaid: mermaid(node)
        }
    }

    // MARK: text

    /// The indented tree: each artifact with its hash and origin; under a stage output its command, params and inputs.
    public static func text(_ node: LineageNode) -> String {
        var lines: [String] = []
        appendText(node, head: "", rest: "", into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func appendText(_ node: LineageNode, head: String, rest: String, into lines: inout [String]) {
        var line = head + node.path + "  " + (node.hash.map { "md5 " + $0 } ?? "(no hash recorded)")
        if let size = node.size { line += "  \(size) bytes" }
        lines.append(line + "  [" + originLabel(node.origin) + "]")
        guard let stage = node.stage else { return }
        let hasInputs = !node.inputs.isEmpty
        let detail = rest + (hasInputs ? "│ " : "  ")
        for command in stage.commands { lines.append(detail + "cmd: " + command) }
        for param in stage.params { lines.append(detail + "param: \(param.file) \(param.key)=\(param.value)") }
        for (index, input) in node.inputs.enumerated() {
            let last = index == node.inputs.count - 1
            appendText(input, head: rest + (last ? "└─ " : "├─ "), rest: rest + (last ? "   " : "│  "), into: &lines)
        }
    }

    private static func originLabel(_ origin: LineageNode.Origin) -> String {
        switch origin {
        case .stage(let address): "stage \(address)"
        case .dvcFile(let path): "tracked by \(path)"
        case .git: "git"
        case .repeated(let address): "stage \(address), shown above"
        }
    }

    // MARK: JSON

    /// The tree as nested JSON objects (`path`, `hash`, `size`, `origin`, and for stage outputs `stage`, `lock`,
    /// `cmd`, `params`, `inputs`).
    public static func json(_ node: LineageNode) -> JSONValue {
        var object = JSONObject()
        object["path"] = .string(node.path)
        object["hash"] = node.hash.map(JSONValue.string) ?? .null
        if let size = node.size { object["size"] = .int(Int(size)) }
        switch node.origin {
        case .stage(let address):
            object["origin"] = .string("stage")
            object["stage"] = .string(address)
        case .dvcFile(let path):
            object["origin"] = .string("dvc")
            object["dvc_file"] = .string(path)
        case .git:
            object["origin"] = .string("git")
        case .repeated(let address):
            object["origin"] = .string("repeated")
            object["stage"] = .string(address)
        }
        if let stage = node.stage {
            object["lock"] = .string(stage.lockPath)
            object["cmd"] = .array(stage.commands.map(JSONValue.string))
            object["params"] = .array(stage.params.map {
                .object(["file": .string($0.file), "key": .string($0.key), "value": .string($0.value)])
            })
            object["inputs"] = .array(node.inputs.map(json))
        }
        return .object(object)
    }

    // MARK: graphs

    private struct Graph {
        var artifacts: [(id: String, label: String)] = []
        var stages: [(id: String, label: String)] = []
        var edges: [(from: String, to: String)] = []
        private var seen: Set<String> = []

        mutating func add(_ node: LineageNode) {
            let artifact = "a:" + node.path
            if seen.insert(artifact).inserted {
                artifacts.append((artifact, node.path + (node.hash.map { "\n" + String($0.prefix(8)) } ?? "")))
            }
            guard let stage = node.stage else { return }
            let stageID = "s:" + stage.address
            if seen.insert(stageID).inserted { stages.append((stageID, stage.address)) }
            addEdge(stageID, artifact)
            for input in node.inputs {
                add(input)
                addEdge("a:" + input.path, stageID)
            }
        }

        private mutating func addEdge(_ from: String, _ to: String) {
            if seen.insert("e:" + from + "\u{0}" + to).inserted { edges.append((from, to)) }
        }
    }

    /// A Graphviz digraph: artifacts as notes, stages as boxes, edges from inputs to stages to outputs.
    public static func dot(_ node: LineageNode) -> String {
        var graph = Graph()
        graph.add(node)
        var lines = ["digraph lineage {", "  rankdir=BT;"]
        for artifact in graph.artifacts {
            lines.append("  \(dotQuote(artifact.id)) [shape=note, label=\(dotQuote(artifact.label))];")
        }
        for stage in graph.stages {
            lines.append("  \(dotQuote(stage.id)) [shape=box, style=rounded, label=\(dotQuote(stage.label))];")
        }
        for edge in graph.edges { lines.append("  \(dotQuote(edge.from)) -> \(dotQuote(edge.to));") }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Mermaid flowchart: artifacts as rectangles, stages as rounded boxes, edges from inputs to outputs.
    public static func mermaid(_ node: LineageNode) -> String {
        var graph = Graph()
        graph.add(node)
        var ids: [String: String] = [:]
        // Mermaid ids must be plain words: number the nodes in order of appearance.
        for (index, item) in (graph.artifacts + graph.stages).enumerated() { ids[item.id] = "n\(index)" }
        var lines = ["flowchart BT"]
        for artifact in graph.artifacts {
            lines.append("  \(ids[artifact.id]!)[\"\(mermaidText(artifact.label))\"]")
        }
        for stage in graph.stages { lines.append("  \(ids[stage.id]!)(\"\(mermaidText(stage.label))\")") }
        for edge in graph.edges { lines.append("  \(ids[edge.from]!) --> \(ids[edge.to]!)") }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func dotQuote(_ text: String) -> String {
        "\"" + text.replacingCharacters(["\"": "\\\"", "\\": "\\\\", "\n": "\\n"]) + "\""
    }

    private static func mermaidText(_ text: String) -> String {
        text.replacingCharacters(["\"": "#quot;", "\n": "<br/>"])
    }
}
