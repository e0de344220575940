/// Which stages a run covers, given its targets (DVC's `repro` options).
public enum PlanScope: Sendable, Equatable {
    /// The targets and everything upstream of them (the default).
    case upstream
    /// The targets and everything that depends on them (`--downstream`).
    case downstream
    /// Only the targets (`-s/--single-item`).
    case singleItem
    /// The whole pipelines (connected components) the targets belong to (`-p/--pipeline`).
    case pipeline
}

/// An ordered list of nodes to process, with what each must wait for when stages run in parallel.
public struct StagePlan: Sendable, Equatable {
    /// Graph node indexes in DVC's order (upstream first).
    public var nodes: [Int]
    /// `waits[i]`: positions in `nodes` that must finish before `nodes[i]` starts (all earlier in the plan).
    public var waits: [[Int]]

    /// Creates a plan.
    public init(nodes: [Int], waits: [[Int]]) {
        self.nodes = nodes
        self.waits = waits
    }
}

extension StageGraph {
    /// The plan for targets: depth-first post-order (upstream first), nodes visited in insertion order, over the
    /// graph with frozen nodes cut off from their upstream. No targets = every node of the repo (`-P`).
    public func plan(targets: [Int], scope: PlanScope = .upstream) -> StagePlan {
        let order: [Int]
        if targets.isEmpty {
            order = postOrder(of: nil)
        } else {
            switch scope {
            case .singleItem:
                var seen = Set<Int>()
                order = targets.filter { seen.insert($0).inserted }
            case .upstream, .downstream:
                let edges = scope == .downstream ? activeDownstream : activeUpstream
                var members = Set<Int>()
                for target in targets { Self.reach(from: target, along: edges, into: &members) }
                order = postOrder(of: members)
            case .pipeline:
                var members = Set<Int>()
                for target in targets where !members.contains(target) {
                    members.formUnion(component(of: target, upstream: activeUpstream, downstream: activeDownstream))
                }
                order = postOrder(of: members)
            }
        }
        return StagePlan(nodes: order, waits: waits(for: order))
    }

    /// For each planned node, the planned nodes it must wait for: the nearest planned ones upstream of it
    /// (following edges through nodes left out of the plan), as positions in `order`.
    public func waits(for order: [Int]) -> [[Int]] {
        var position: [Int: Int] = [:]
        for (index, node) in order.enumerated() { position[node] = index }
        return order.map { node in
            var result: [Int] = []
            var seen: Set<Int> = [node]
            var stack = activeUpstream[node].reversed() as [Int]
            while let next = stack.popLast() {
                guard seen.insert(next).inserted else { continue }
                if let planned = position[next] {
                    result.append(planned)
                } else {
                    stack.append(contentsOf: activeUpstream[next].reversed())
                }
            }
            return result.sorted()
        }
    }

    /// The nodes connected to `node` when edge directions are ignored, in insertion order.
    func component(of node: Int, upstream: [[Int]], downstream: [[Int]]) -> [Int] {
        var seen: Set<Int> = [node]
        var queue = [node]
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            for next in upstream[current] + downstream[current] where seen.insert(next).inserted {
                queue.append(next)
            }
        }
        return queue.sorted()
    }

    /// Connected components (edge directions ignored), ordered by their first node; members in insertion order.
    func components(upstream: [[Int]], downstream: [[Int]], among members: [Int]) -> [[Int]] {
        let allowed = Set(members)
        var seen = Set<Int>()
        var result: [[Int]] = []
        for start in members where !seen.contains(start) {
            var queue = [start]
            seen.insert(start)
            var head = 0
            while head < queue.count {
                let current = queue[head]
                head += 1
                for next in upstream[current] + downstream[current] where allowed.contains(next) && seen.insert(next).inserted {
                    queue.append(next)
                }
            }
            result.append(queue.sorted())
        }
        return result
    }

    static func reach(from start: Int, along edges: [[Int]], into members: inout Set<Int>) {
        guard members.insert(start).inserted else { return }
        var stack = [start]
        while let current = stack.popLast() {
            for next in edges[current] where members.insert(next).inserted { stack.append(next) }
        }
    }

    /// Depth-first post-order over the active graph restricted to `members` (nil = all), roots and successors in
    /// DVC's order: networkx's `dfs_postorder_nodes` on the induced subgraph.
    func postOrder(of members: Set<Int>?) -> [Int] {
        var visited = Array(repeating: false, count: nodes.count)
        var order: [Int] = []
        order.reserveCapacity(members?.count ?? nodes.count)
        for root in nodes.indices where !visited[root] && (members?.contains(root) ?? true) {
            visited[root] = true
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            while let top = stack.last {
                let edges = activeUpstream[top.node]
                if top.next < edges.count {
                    stack[stack.count - 1].next += 1
                    let child = edges[top.next]
                    if !visited[child] && (members?.contains(child) ?? true) {
                        visited[child] = true
                        stack.append((child, 0))
                    }
                } else {
                    order.append(top.node)
                    stack.removeLast()
                }
            }
        }
        return order
    }
}
