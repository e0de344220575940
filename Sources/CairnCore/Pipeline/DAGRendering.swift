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

/// Renders the pipeline graph (or a part of it) as `dvc dag` does. The text is what DVC writes before its final
/// newline (the command adds one; `--dot` text itself ends in a newline, so DVC shows an empty line after it).
public enum DAGRendering {
    /// The graph restricted to `nodes` (graph indexes), in `format`; `outputs` draws the outputs of those nodes
    /// instead of the nodes. Names are shown relative to `cwd` (repo-relative; "" = the root).
    public static func render(_ graph: StageGraph, nodes: [Int], format: DAGFormat, outputs: Bool,
                              cwd: String = "") -> String {
        let full = outputs ? outputsGraph(graph, cwd: cwd) : stagesGraph(graph, cwd: cwd)
        let keep = Set(nodes)
        let members = outputs
            ? full.labels.indices.filter { keep.contains(full.owners[$0]) }
            : full.labels.indices.filter { keep.contains($0) }
        return render(full, members: members, format: format)
    }

    /// `dvc dag [target…] [--full]`: with no targets the whole graph; otherwise the targets and what they depend
    /// on (`full`: everything connected to the targets), keeping only the parts connected to a target. With
    /// `outputs`, the targets stand for their outputs and the filtering happens on the outputs graph.
    public static func render(_ graph: StageGraph, targets: [Int], full: Bool, format: DAGFormat, outputs: Bool,
                              cwd: String = "") -> String {
        let plain = outputs ? outputsGraph(graph, cwd: cwd) : stagesGraph(graph, cwd: cwd)
        let targetSet = Set(targets)
        let starts = outputs
            ? plain.labels.indices.filter { targetSet.contains(plain.owners[$0]) }
            : targets
        let members = targets.isEmpty ? Array(plain.labels.indices) : plain.selection(from: starts, full: full)
        return render(plain, members: members, format: format)
    }

    /// The stage nodes `dvc dag` shows for targets: the targets and their upstream (`full`: the whole connected
    /// pipelines), restricted to what is connected to a target; in node order.
    public static func selection(_ graph: StageGraph, targets: [Int], full: Bool) -> [Int] {
        targets.isEmpty ? Array(graph.nodes.indices) : stagesGraph(graph, cwd: "").selection(from: targets, full: full)
    }

    // MARK: Graph model

    /// A labelled graph in DVC's node order; `dependencies[i]` are the nodes node `i` depends on.
    struct LabelledGraph {
        var labels: [String]
        var dependencies: [[Int]]
        /// For the outputs graph: the stage that owns each output; for the stage graph: the node itself.
        var owners: [Int]

        /// DVC's `_filter`: the starts and (unless `full`) what they depend on, then only what is connected to a
        /// start.
        func selection(from starts: [Int], full: Bool) -> [Int] {
            var allowed = Array(repeating: full, count: labels.count)
            if !full {
                var stack = starts
                for start in starts { allowed[start] = true }
                while let node = stack.popLast() {
                    for next in dependencies[node] where !allowed[next] {
                        allowed[next] = true
                        stack.append(next)
                    }
                }
            }
            let dependents = self.dependents
            var connected = Array(repeating: false, count: labels.count)
            var stack = starts.filter { allowed[$0] }
            for start in stack { connected[start] = true }
            while let node = stack.popLast() {
                for next in dependencies[node] + dependents[node] where allowed[next] && !connected[next] {
                    connected[next] = true
                    stack.append(next)
                }
            }
            return labels.indices.filter { connected[$0] }
        }

        /// The reverse edges, each list in node order.
        var dependents: [[Int]] {
            var result = Array(repeating: [Int](), count: labels.count)
            for (node, targets) in dependencies.enumerated() {
                for target in targets { result[target].append(node) }
            }
            return result
        }
    }

    static func stagesGraph(_ graph: StageGraph, cwd: String) -> LabelledGraph {
        LabelledGraph(labels: graph.nodes.indices.map { graph.address(of: $0, cwd: cwd) },
                      dependencies: graph.upstream, owners: Array(graph.nodes.indices))
    }

    /// DVC's outputs graph: one node per output in output-trie order; every output of a stage depends on the
    /// outputs its stage's dependencies overlap.
    static func outputsGraph(_ graph: StageGraph, cwd: String) -> LabelledGraph {
        let refs = graph.outputs.allValues
        var position: [Int: [Int: Int]] = [:]
        for (index, ref) in refs.enumerated() { position[ref.node, default: [:]][ref.output] = index }
        var dependencies = Array(repeating: [Int](), count: refs.count)
        for (nodeIndex, node) in graph.nodes.enumerated() {
            var overlapping: [Int] = []
            var seen = Set<Int>()
            for dep in node.dependencyPaths {
                for ref in graph.outputs.overlapping(GraphPath.key(dep)) {
                    if let target = position[ref.node]?[ref.output], seen.insert(target).inserted {
                        overlapping.append(target)
                    }
                }
            }
            for (_, out) in position[nodeIndex] ?? [:] { dependencies[out] = overlapping }
        }
        let labels = refs.map { ref in
            cwd.isEmpty || !GraphPath.isInRepo(ref.path) ? ref.path : RepoPath.relative(ref.path, from: cwd)
        }
        return LabelledGraph(labels: labels, dependencies: dependencies, owners: refs.map(\.node))
    }

    // MARK: Formats

    static func render(_ graph: LabelledGraph, members: [Int], format: DAGFormat) -> String {
        switch format {
        case .dot: return dot(graph, members: members)
        case .mermaid: return mermaid(graph, members: members)
        case .markdown: return "```mermaid\n" + mermaid(graph, members: members) + "\n```"
        case .ascii:
            return pipelines(graph, members: members).map { ascii(graph, component: $0) }.joined(separator: "\n")
        }
    }

    /// networkx + pydot's `strict digraph` of the reversed graph: nodes in order, then each node's edges to its
    /// dependents.
    static func dot(_ graph: LabelledGraph, members: [Int]) -> String {
        let included = Set(members)
        let dependents = graph.dependents
        var text = "strict digraph {\n"
        for node in members { text += quoted(graph.labels[node]) + ";\n" }
        for node in members {
            for dependent in dependents[node] where included.contains(dependent) {
                text += "\(quoted(graph.labels[node])) -> \(quoted(graph.labels[dependent]));\n"
            }
        }
        return text + "}\n"
    }

    /// DVC quotes a label unless it is already quoted.
    private static func quoted(_ label: String) -> String {
        label.count >= 2 && label.hasPrefix("\"") && label.hasSuffix("\"") ? label : "\"\(label)\""
    }

    /// `flowchart TD`; per pipeline: nodes sorted by label, numbered on, then edges sorted by (dependency,
    /// dependent) label.
    static func mermaid(_ graph: LabelledGraph, members: [Int]) -> String {
        var text = "flowchart TD"
        var total = 0
        for component in pipelines(graph, members: members) {
            var ids: [String: String] = [:]
            for label in component.map({ graph.labels[$0] }).sorted(by: pythonLess) where ids[label] == nil {
                total += 1
                ids[label] = "node\(total)"
                text += "\n\tnode\(total)[\"\(label)\"]"
            }
            let included = Set(component)
            var edges: [(String, String)] = []
            for node in component {
                for dependency in graph.dependencies[node] where included.contains(dependency) {
                    edges.append((graph.labels[dependency], graph.labels[node]))
                }
            }
            edges.sort { $0.0 != $1.0 ? pythonLess($0.0, $1.0) : pythonLess($0.1, $1.1) }
            for (from, to) in edges { text += "\n\t\(ids[from]!)-->\(ids[to]!)" }
        }
        return text
    }

    private static func pythonLess(_ lhs: String, _ rhs: String) -> Bool {
        lhs.unicodeScalars.lexicographicallyPrecedes(rhs.unicodeScalars)
    }

    /// Weakly connected components among `members`, ordered by their first node; members in node order.
    static func pipelines(_ graph: LabelledGraph, members: [Int]) -> [[Int]] {
        let included = Set(members)
        let dependents = graph.dependents
        var seen = Set<Int>()
        var result: [[Int]] = []
        for start in members where !seen.contains(start) {
            seen.insert(start)
            var component = [start]
            var head = 0
            while head < component.count {
                let node = component[head]
                head += 1
                for next in graph.dependencies[node] + dependents[node]
                where included.contains(next) && seen.insert(next).inserted {
                    component.append(next)
                }
            }
            result.append(component.sorted())
        }
        return result
    }

    // MARK: ASCII

    /// A layered drawing: dependencies above their dependents, boxed labels, edges as `*` lines.
    static func ascii(_ graph: LabelledGraph, component: [Int]) -> String {
        let included = Set(component)
        var layer: [Int: Int] = [:]
        func depth(_ node: Int, _ visiting: inout Set<Int>) -> Int {
            if let known = layer[node] { return known }
            visiting.insert(node)
            var result = 0
            for dependency in graph.dependencies[node]
            where included.contains(dependency) && !visiting.contains(dependency) {
                result = max(result, depth(dependency, &visiting) + 1)
            }
            visiting.remove(node)
            layer[node] = result
            return result
        }
        var visiting = Set<Int>()
        for node in component { _ = depth(node, &visiting) }
        let layerCount = (layer.values.max() ?? 0) + 1
        var layers = Array(repeating: [Int](), count: layerCount)
        for node in component { layers[layer[node]!].append(node) }

        let labels = component.reduce(into: [Int: [Character]]()) { $0[$1] = Array(graph.labels[$1]) }
        let gap = 3
        func width(_ node: Int) -> Int { labels[node]!.count + 4 }
        func rowWidth(_ row: [Int]) -> Int { row.map(width).reduce(0, +) + gap * max(0, row.count - 1) }

        // Order each layer by where its dependencies sit, to keep lines short and uncrossed.
        var x: [Int: Int] = [:]
        let canvasWidth = layers.map(rowWidth).max() ?? 0
        for index in layers.indices {
            if index > 0 {
                let center = { (node: Int) -> Double in
                    let parents = graph.dependencies[node].filter { x[$0] != nil }
                    guard !parents.isEmpty else { return .infinity }
                    return parents.map { Double(x[$0]! + width($0) / 2) }.reduce(0, +) / Double(parents.count)
                }
                let keys = Dictionary(uniqueKeysWithValues: layers[index].map { ($0, center($0)) })
                layers[index] = layers[index].enumerated()
                    .sorted { keys[$0.element]! != keys[$1.element]! ? keys[$0.element]! < keys[$1.element]!
                                                                    : $0.offset < $1.offset }
                    .map(\.element)
            }
            var cursor = (canvasWidth - rowWidth(layers[index])) / 2
            for node in layers[index] {
                x[node] = cursor
                cursor += width(node) + gap
            }
        }

        let rowHeight = 6
        let height = layerCount * rowHeight - 3
        var canvas = Array(repeating: Array(repeating: Character(" "), count: canvasWidth), count: height)
        for (index, row) in layers.enumerated() {
            let top = index * rowHeight
            for node in row {
                let left = x[node]!, label = labels[node]!
                let border = "+" + String(repeating: "-", count: label.count + 2) + "+"
                for (offset, character) in border.enumerated() {
                    canvas[top][left + offset] = character
                    canvas[top + 2][left + offset] = character
                }
                canvas[top + 1][left] = "|"
                canvas[top + 1][left + 1] = " "
                for (offset, character) in label.enumerated() { canvas[top + 1][left + 2 + offset] = character }
                canvas[top + 1][left + label.count + 3] = "|"
            }
        }
        for node in component {
            for dependency in graph.dependencies[node] where included.contains(dependency) {
                let x0 = x[dependency]! + (width(dependency) - 1) / 2, y0 = layer[dependency]! * rowHeight + 3
                let x1 = x[node]! + (width(node) - 1) / 2, y1 = layer[node]! * rowHeight - 1
                guard y1 >= y0 else { continue }
                let rows = y1 - y0 + 1
                for step in 0..<rows {
                    let from = x0 + (x1 - x0) * step / rows
                    let to = x0 + (x1 - x0) * (step + 1) / rows
                    for column in min(from, to)...max(from, to) where canvas[y0 + step][column] == " " {
                        canvas[y0 + step][column] = "*"
                    }
                }
            }
        }
        return canvas.map { line in
            var text = String(line)
            while text.last == " " { text.removeLast() }
            return text
        }.joined(separator: "\n")
    }
}
