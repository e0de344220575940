/// A `.dvc` file as a node of the pipeline graph: a data source whose outputs other stages may depend on.
public struct DataSource: Sendable, Equatable {
    /// The `.dvc` file's repo-relative path (its address, e.g. `data.dvc`).
    public var file: String
    /// The tracked outputs, repo-relative.
    public var outs: [String]
    /// `frozen: true` in the `.dvc` file.
    public var frozen: Bool

    /// Creates a data source.
    public init(file: String, outs: [String], frozen: Bool = false) {
        self.file = file
        self.outs = outs
        self.frozen = frozen
    }

    /// The data source of a parsed `.dvc` file.
    public init(_ dvcFile: DVCFile) {
        self.init(file: dvcFile.path, outs: dvcFile.outs.map(\.repoPath), frozen: dvcFile.frozen)
    }
}

/// The pipeline DAG over every stage of the repo: `dvc.yaml` stages and `.dvc` data sources (FORMATS.md §6.1).
/// Node *A* depends on node *B* when a dependency path of A equals, lies inside, or contains an output of B.
/// Built once, validated (duplicate or overlapping outputs, cycles), then asked for plans and renderings.
public struct StageGraph: Sendable {
    /// One node: a pipeline stage or a data source.
    public enum Node: Sendable, Equatable {
        case stage(PipelineStage)
        case data(DataSource)

        /// How DVC names it from the repo root: stage address, or the `.dvc` path.
        public var address: String {
            switch self {
            case .stage(let stage): return stage.address
            case .data(let source): return source.file
            }
        }

        /// The file that defines it (`dvc.yaml` path or `.dvc` path), repo-relative.
        public var file: String {
            switch self {
            case .stage(let stage): return stage.file
            case .data(let source): return source.file
            }
        }

        /// Frozen nodes never run and do not pull their upstream into plans.
        public var isFrozen: Bool {
            switch self {
            case .stage(let stage): return stage.frozen
            case .data(let source): return source.frozen
            }
        }

        /// The stage, when this is a pipeline stage.
        public var stage: PipelineStage? {
            if case .stage(let stage) = self { return stage }
            return nil
        }

        /// Output paths, repo-relative (as written when outside the repo), in declaration order.
        public var outputPaths: [String] {
            switch self {
            case .stage(let stage): return stage.outs.map { stage.resolvedPath($0.path) }
            case .data(let source): return source.outs
            }
        }

        /// Dependency paths, repo-relative (as written when outside the repo): path deps, then params files.
        public var dependencyPaths: [String] {
            switch self {
            case .stage(let stage):
                return stage.deps.map { stage.resolvedPath($0) } + stage.mergedParams.map { stage.resolvedPath($0.file) }
            case .data: return []
            }
        }
    }

    /// Nodes in insertion order (files and stages as defined); plans visit them in this order.
    public let nodes: [Node]
    /// `upstream[i]`: the nodes whose outputs node `i` depends on, in DVC's edge order. Includes frozen nodes' edges.
    public let upstream: [[Int]]
    /// `downstream[i]`: the nodes that depend on node `i`, in node order.
    public let downstream: [[Int]]
    /// `activeUpstream[i]`: like `upstream`, but empty for frozen nodes (DVC cuts a frozen stage off its upstream).
    public let activeUpstream: [[Int]]
    /// `activeDownstream[i]`: the reverse of `activeUpstream`.
    public let activeDownstream: [[Int]]

    let outputs: OutputTrie
    private let addressIndex: [String: Int]

    /// Builds and validates the graph. Throws for the same output in two places, outputs inside one another,
    /// a `dvc.yaml`/`.dvc` file inside another stage's output, and cycles.
    public init(_ nodes: [Node]) throws(StageGraphError) {
        self.nodes = nodes
        var trie = OutputTrie()
        for (index, node) in nodes.enumerated() {
            for (outIndex, path) in node.outputPaths.enumerated() {
                try trie.insert(OutputRef(node: index, output: outIndex, path: path), nodes: nodes)
            }
        }
        for node in nodes {
            if let covering = trie.shortestPrefix(of: GraphPath.key(node.file)) {
                throw .fileInsideOutput(file: node.file, output: covering.path,
                                        owner: nodes[covering.node].address)
            }
        }
        outputs = trie

        var upstream = Array(repeating: [Int](), count: nodes.count)
        for (index, node) in nodes.enumerated() {
            var seen = Set<Int>()
            for dep in node.dependencyPaths {
                for ref in trie.overlapping(GraphPath.key(dep)) where seen.insert(ref.node).inserted {
                    upstream[index].append(ref.node)
                }
            }
        }
        self.upstream = upstream
        downstream = Self.reversed(upstream)
        activeUpstream = upstream.indices.map { nodes[$0].isFrozen ? [] : upstream[$0] }
        activeDownstream = Self.reversed(activeUpstream)

        var addresses: [String: Int] = [:]
        for (index, node) in nodes.enumerated() where addresses[node.address] == nil { addresses[node.address] = index }
        addressIndex = addresses

        if let cycle = Self.findCycle(upstream) {
            throw .cycle(cycle.map { nodes[$0].address }, paths: Self.cyclePaths(cycle, nodes: nodes, trie: trie))
        }
    }

    /// The node with this root-relative address (`train`, `sub/dvc.yaml:s`, `data.dvc`).
    public func index(of address: String) -> Int? { addressIndex[address] }

    /// A node's address as DVC prints it from `cwd` (repo-relative; "" = root): `../dvc.yaml:train` from `sub`.
    public func address(of index: Int, cwd: String = "") -> String {
        switch nodes[index] {
        case .stage(let stage):
            let file = cwd.isEmpty ? stage.file : RepoPath.relative(stage.file, from: cwd)
            return file == "dvc.yaml" ? stage.name : "\(file):\(stage.name)"
        case .data(let source):
            return cwd.isEmpty ? source.file : RepoPath.relative(source.file, from: cwd)
        }
    }

    /// The node that produces `path` (repo-relative): an output equal to it or containing it.
    public func producer(of path: String) -> Int? {
        outputs.prefixes(of: GraphPath.key(path)).first?.node
    }

    /// Checks, before anything runs, that every dependency of the planned stages exists in the workspace or is
    /// produced by some stage; `exists` answers for repo-relative paths. Frozen stages are skipped (they never run),
    /// as are paths outside the repo.
    public func checkDependencies(of plan: [Int], exists: (String) -> Bool) throws(StageGraphError) {
        for index in plan {
            guard case .stage(let stage) = nodes[index], !stage.frozen else { continue }
            for dep in stage.deps {
                try checkDependency(stage.resolvedPath(dep), params: false, of: index, exists: exists)
            }
            for params in stage.mergedParams {
                try checkDependency(stage.resolvedPath(params.file), params: true, of: index, exists: exists)
            }
        }
    }

    private func checkDependency(_ path: String, params: Bool, of index: Int,
                                 exists: (String) -> Bool) throws(StageGraphError) {
        guard GraphPath.isInRepo(path) else { return }
        if !outputs.overlapping(GraphPath.key(path)).isEmpty || exists(path) { return }
        throw .missingDependency(path: path, stage: nodes[index].address, isParams: params)
    }

    static func reversed(_ edges: [[Int]]) -> [[Int]] {
        var result = Array(repeating: [Int](), count: edges.count)
        for (from, targets) in edges.enumerated() {
            for target in targets { result[target].append(from) }
        }
        return result
    }

    /// A cycle along `upstream` edges as node indexes, each depending on the next (and the last on the first),
    /// starting at its earliest node; nil when the graph is acyclic.
    static func findCycle(_ upstream: [[Int]]) -> [Int]? {
        var state = Array(repeating: UInt8(0), count: upstream.count)  // 0 new, 1 on the stack, 2 done
        var found: [Int]?
        for root in upstream.indices where state[root] == 0 {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            while let top = stack.last {
                if top.next < upstream[top.node].count {
                    stack[stack.count - 1].next += 1
                    let child = upstream[top.node][top.next]
                    if state[child] == 0 {
                        state[child] = 1
                        stack.append((child, 0))
                    } else if state[child] == 1 {
                        let start = stack.firstIndex { $0.node == child }!
                        found = stack[start...].map(\.node)
                        break
                    }
                } else {
                    state[top.node] = 2
                    stack.removeLast()
                }
            }
            if found != nil { break }
        }
        guard let cycle = found, let first = cycle.indices.min(by: { cycle[$0] < cycle[$1] }) else { return nil }
        return Array(cycle[first...] + cycle[..<first])
    }

    /// For each step of a cycle, the dependency path of a node that one of the next node's outputs covers.
    static func cyclePaths(_ cycle: [Int], nodes: [Node], trie: OutputTrie) -> [String] {
        cycle.indices.map { position in
            let next = cycle[(position + 1) % cycle.count]
            for dep in nodes[cycle[position]].dependencyPaths
            where trie.overlapping(GraphPath.key(dep)).contains(where: { $0.node == next }) {
                return dep
            }
            return ""
        }
    }
}

extension PipelineStage {
    /// A path of this stage (relative to its `wdir`) made repo-relative; paths outside the repo stay as written.
    public func resolvedPath(_ path: String) -> String {
        GraphPath.isExternal(path) ? path : (RepoPath.join(wdir, path) ?? GraphPath.joined(wdir, path))
    }

    /// The params dependencies merged per file as DVC does: first-seen file order; a file tracked whole anywhere
    /// is tracked whole (keys nil); otherwise its keys in order, without repeats.
    public var mergedParams: [ParamsDependency] {
        var merged: [ParamsDependency] = []
        var position: [String: Int] = [:]
        for dep in params {
            // `{file: []}` tracks the whole file, like `{file: null}`.
            let declared = dep.keys?.isEmpty == true ? nil : dep.keys
            if let index = position[dep.file] {
                guard let existing = merged[index].keys else { continue }
                guard let keys = declared else {
                    merged[index].keys = nil
                    continue
                }
                merged[index].keys = existing + keys.filter { !existing.contains($0) }
            } else {
                position[dep.file] = merged.count
                var unique: [String]? = nil
                if let keys = declared {
                    var seen = Set<String>()
                    unique = keys.filter { seen.insert($0).inserted }
                }
                merged.append(ParamsDependency(file: dep.file, keys: unique))
            }
        }
        return merged
    }

    /// A callback stage (a command without deps, params or outs) always counts as changed.
    public var isCallback: Bool { deps.isEmpty && params.isEmpty && outs.isEmpty }
}

/// Path keys for the output trie: normalised components, keeping what lies outside the repo distinct.
enum GraphPath {
    /// URLs (`s3://…`) and absolute paths are external.
    static func isExternal(_ path: String) -> Bool {
        path.hasPrefix("/") || path.contains("://")
    }

    /// Whether a resolved path lies inside the repo.
    static func isInRepo(_ path: String) -> Bool {
        !isExternal(path) && path != ".." && !path.hasPrefix("../")
    }

    /// `directory/path` normalised, keeping leading `..` components that climb out of the repo.
    static func joined(_ directory: String, _ path: String) -> String {
        var parts: [Substring] = []
        for component in (directory.isEmpty ? path : directory + "/" + path).split(separator: "/") {
            switch component {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." { parts.removeLast() } else { parts.append(component) }
            default: parts.append(component)
            }
        }
        return parts.joined(separator: "/")
    }

    /// The trie key of a resolved path.
    static func key(_ path: String) -> [Substring] {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if path.hasPrefix("/") { parts.insert("/", at: 0) }
        return parts
    }
}

/// Where an output sits: its node, its position in the node's outputs, and its resolved path.
struct OutputRef: Sendable, Equatable {
    var node: Int
    var output: Int
    var path: String
}

/// A prefix tree of output paths by component; children keep insertion order, as DVC's trie does, so edge order
/// and the `--outs` graph follow DVC's.
struct OutputTrie: Sendable {
    private struct Entry: Sendable {
        var value: OutputRef?
        var children: [Substring: Int] = [:]
        var order: [Int] = []
    }

    private var entries: [Entry] = [Entry()]

    private func find(_ key: [Substring]) -> Int? {
        var current = 0
        for part in key {
            guard let next = entries[current].children[part] else { return nil }
            current = next
        }
        return current
    }

    /// Adds an output; a path already present or nested with another output is an error naming both owners.
    mutating func insert(_ ref: OutputRef, nodes: [StageGraph.Node]) throws(StageGraphError) {
        let key = GraphPath.key(ref.path)
        if let existing = find(key), let other = entries[existing].value {
            let first = nodes[other.node], second = nodes[ref.node]
            if case .data(let source) = first, case .stage = second {
                throw .outputTrackedByDataFile(path: ref.path, stage: second.address, dataFile: source.file)
            }
            if case .stage = first, case .data(let source) = second {
                throw .outputTrackedByDataFile(path: ref.path, stage: first.address, dataFile: source.file)
            }
            throw .duplicateOutput(path: ref.path, owners: other.node == ref.node
                                   ? [first.address] : [first.address, second.address])
        }
        if let existing = find(key), let inside = values(under: existing).first {
            throw .overlappingOutputs(parent: ref.path, parentOwner: nodes[ref.node].address,
                                      child: inside.path, childOwner: nodes[inside.node].address)
        }
        if let parent = shortestPrefix(of: key) {
            throw .overlappingOutputs(parent: parent.path, parentOwner: nodes[parent.node].address,
                                      child: ref.path, childOwner: nodes[ref.node].address)
        }
        var current = 0
        for part in key {
            if let next = entries[current].children[part] {
                current = next
            } else {
                entries.append(Entry())
                let created = entries.count - 1
                entries[current].children[part] = created
                entries[current].order.append(created)
                current = created
            }
        }
        entries[current].value = ref
    }

    /// The outputs equal to or containing `key`, shortest first.
    func prefixes(of key: [Substring]) -> [OutputRef] {
        var result: [OutputRef] = []
        var current = 0
        if let value = entries[0].value { result.append(value) }
        for part in key {
            guard let next = entries[current].children[part] else { break }
            current = next
            if let value = entries[current].value { result.append(value) }
        }
        return result
    }

    /// The shortest output equal to or containing `key`.
    func shortestPrefix(of key: [Substring]) -> OutputRef? {
        var current = 0
        for part in key {
            guard let next = entries[current].children[part] else { return nil }
            current = next
            if let value = entries[current].value { return value }
        }
        return nil
    }

    /// Outputs a dependency at `key` overlaps: those containing it (shortest first), then those inside it.
    func overlapping(_ key: [Substring]) -> [OutputRef] {
        var result = prefixes(of: key)
        if let node = find(key) {
            for child in entries[node].order { result += values(under: child) }
        }
        return result
    }

    /// Every output at or below an entry, depth first, children in insertion order.
    private func values(under start: Int) -> [OutputRef] {
        var result: [OutputRef] = []
        var stack = [start]
        while let entry = stack.popLast() {
            if let value = entries[entry].value { result.append(value) }
            stack.append(contentsOf: entries[entry].order.reversed())
        }
        return result
    }

    /// Every output in trie order (DVC's order of the `--outs` graph's nodes).
    var allValues: [OutputRef] { values(under: 0) }
}
