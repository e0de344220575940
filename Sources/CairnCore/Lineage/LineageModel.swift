/// One stage run as a revision's `dvc.lock` recorded it, with every path made repo-relative.
public struct LineageStageRecord: Sendable, Equatable {
    /// The stage's address (`train`, `sub/dvc.yaml:train`).
    public var address: String
    /// The repo-relative `dvc.lock` the record comes from.
    public var lockPath: String
    /// The command, one string per line of a list `cmd`.
    public var commands: [String]
    /// Dependencies: repo-relative path and recorded hash (`<md5>` or `<md5>.dir`; nil when not recorded).
    public var deps: [(path: String, hash: String?)]
    /// Parameter values: params file, dotted key, value rendered as YAML writes it inline.
    public var params: [(file: String, key: String, value: String)]
    /// Outputs: repo-relative path, recorded hash and size.
    public var outs: [(path: String, hash: String?, size: Int64?)]

    /// Creates a record.
    public init(address: String, lockPath: String, commands: [String], deps: [(path: String, hash: String?)] = [],
                params: [(file: String, key: String, value: String)] = [],
                outs: [(path: String, hash: String?, size: Int64?)] = []) {
        self.address = address
        self.lockPath = lockPath
        self.commands = commands
        self.deps = deps
        self.params = params
        self.outs = outs
    }

    /// Builds a record from a lock entry; `resolve` makes a path (relative to the stage's wdir) repo-relative.
    public init(address: String, lockPath: String, entry: LockedStage, resolve: (String) -> String) {
        var commands: [String] = []
        switch entry.cmd {
        case .sequence(let items):
            for item in items { commands.append(Self.text(item)) }
        default:
            commands.append(Self.text(entry.cmd))
        }
        var deps: [(path: String, hash: String?)] = []
        for dep in entry.deps { deps.append((path: resolve(dep.path), hash: dep.md5?.description)) }
        var params: [(file: String, key: String, value: String)] = []
        for file in entry.params {
            for pair in file.values.pairs {
                params.append((file: file.file, key: Self.text(pair.key), value: DVCYAMLWriter.inlineValue(pair.value)))
            }
        }
        var outs: [(path: String, hash: String?, size: Int64?)] = []
        for out in entry.outs { outs.append((path: resolve(out.path), hash: out.md5?.description, size: out.size)) }
        self.init(address: address, lockPath: lockPath, commands: commands, deps: deps, params: params, outs: outs)
    }

    private static func text(_ value: YAMLValue) -> String {
        if case .string(let text) = value { return text }
        return DVCYAMLWriter.inlineValue(value)
    }

    public static func == (lhs: LineageStageRecord, rhs: LineageStageRecord) -> Bool {
        lhs.address == rhs.address && lhs.lockPath == rhs.lockPath && lhs.commands == rhs.commands
            && lhs.deps.elementsEqual(rhs.deps) { $0.path == $1.path && $0.hash == $1.hash }
            && lhs.params.elementsEqual(rhs.params) { $0.file == $1.file && $0.key == $1.key && $0.value == $1.value }
            && lhs.outs.elementsEqual(rhs.outs) { $0.path == $1.path && $0.hash == $1.hash && $0.size == $1.size }
    }
}

/// An output a `.dvc` file tracks, with its repo-relative path.
public struct LineageTrackedRecord: Sendable, Equatable {
    /// The repo-relative `.dvc` file.
    public var dvcPath: String
    /// The output's repo-relative path.
    public var path: String
    /// The recorded hash (`<md5>` or `<md5>.dir`).
    public var hash: String?
    /// The recorded size.
    public var size: Int64?

    /// Creates a record.
    public init(dvcPath: String, path: String, hash: String?, size: Int64?) {
        self.dvcPath = dvcPath
        self.path = path
        self.hash = hash
        self.size = size
    }

    /// The records of every output of a parsed `.dvc` file.
    public static func records(of file: DVCFile) -> [LineageTrackedRecord] {
        file.outs.map { LineageTrackedRecord(dvcPath: file.path, path: $0.repoPath, hash: $0.md5?.description,
                                             size: $0.size) }
    }
}

/// One artifact in a lineage tree: where it came from and, for a stage output, the stage and its inputs.
public struct LineageNode: Sendable, Equatable {
    /// Where an artifact's content is recorded.
    public enum Origin: Sendable, Equatable {
        /// An output of a pipeline stage (its record is `stage`).
        case stage(String)
        /// An output tracked by a `.dvc` file (its repo-relative path).
        case dvcFile(String)
        /// A file kept in git (hash: the md5 the consuming stage's lock recorded).
        case git
        /// An output of a stage that stands higher up in this tree (a cycle, shown once).
        case repeated(String)
    }

    /// Repo-relative path.
    public var path: String
    /// The recorded hash, nil when not recorded.
    public var hash: String?
    /// The recorded size, when known.
    public var size: Int64?
    /// Where the content is recorded.
    public var origin: Origin
    /// The producing stage (for `.stage` origins).
    public var stage: LineageStageRecord?
    /// The producing stage's inputs, each a tree of its own (for `.stage` origins).
    public var inputs: [LineageNode]

    /// Creates a node.
    public init(path: String, hash: String?, size: Int64? = nil, origin: Origin, stage: LineageStageRecord? = nil,
                inputs: [LineageNode] = []) {
        self.path = path
        self.hash = hash
        self.size = size
        self.origin = origin
        self.stage = stage
        self.inputs = inputs
    }
}

/// Builds lineage trees from the stage and `.dvc` records of one revision.
public struct LineageBuilder: Sendable {
    private let stages: [LineageStageRecord]
    private let tracked: [LineageTrackedRecord]

    /// A builder over a revision's stage records and `.dvc` outputs.
    public init(stages: [LineageStageRecord], tracked: [LineageTrackedRecord]) {
        self.stages = stages
        self.tracked = tracked
    }

    /// Every tracked output path (stage outs and `.dvc` outs), sorted.
    public var trackedPaths: [String] {
        Array(Set(stages.flatMap { $0.outs.map { $0.path } } + tracked.map { $0.path })).sorted { DirManifest.utf8Less($0, $1) }
    }

    /// The lineage of the tracked output at `path`; nil when nothing records `path` as an output.
    public func tree(for path: String) -> LineageNode? {
        guard let producer = producer(of: path, exact: true) else { return nil }
        return node(path: path, hash: nil, producer: producer, ancestors: [])
    }

    /// The tracked outputs near `path` (same directory first, then its parents), for "did you mean" messages.
    public func nearby(_ path: String, limit: Int = 5) -> [String] {
        var directory = RepoPath.parent(path)
        while true {
            let found = trackedPaths.filter { directory.isEmpty || $0.hasPrefix(directory + "/") }
            if !found.isEmpty || directory.isEmpty { return Array(found.prefix(limit)) }
            directory = RepoPath.parent(directory)
        }
    }

    private enum Producer {
        case stage(LineageStageRecord, hash: String?, size: Int64?)
        case dvc(LineageTrackedRecord)
    }

    // `exact` false also accepts an output that is a parent directory of `path` (a file inside a directory output).
    private func producer(of path: String, exact: Bool) -> Producer? {
        func matches(_ out: String) -> Bool { out == path || (!exact && path.hasPrefix(out + "/")) }
        for stage in stages {
            if let out = stage.outs.first(where: { $0.path == path }) { return .stage(stage, hash: out.hash, size: out.size) }
        }
        if let record = tracked.first(where: { $0.path == path }) { return .dvc(record) }
        guard !exact else { return nil }
        for stage in stages {
            if stage.outs.contains(where: { matches($0.path) }) { return .stage(stage, hash: nil, size: nil) }
        }
        if let record = tracked.first(where: { matches($0.path) }) {
            return .dvc(LineageTrackedRecord(dvcPath: record.dvcPath, path: path, hash: nil, size: nil))
        }
        return nil
    }

    private func node(path: String, hash: String?, producer: Producer, ancestors: Set<String>) -> LineageNode {
        switch producer {
        case .dvc(let record):
            return LineageNode(path: path, hash: hash ?? record.hash, size: record.size, origin: .dvcFile(record.dvcPath))
        case .stage(let stage, let outHash, let size):
            if ancestors.contains(stage.address) {
                return LineageNode(path: path, hash: hash ?? outHash, size: size, origin: .repeated(stage.address))
            }
            let inner = ancestors.union([stage.address])
            let inputs = stage.deps.map { dep -> LineageNode in
                if let upstream = self.producer(of: dep.path, exact: false) {
                    return node(path: dep.path, hash: dep.hash, producer: upstream, ancestors: inner)
                }
                return LineageNode(path: dep.path, hash: dep.hash, origin: .git)
            }
            return LineageNode(path: path, hash: hash ?? outHash, size: size, origin: .stage(stage.address),
                               stage: stage, inputs: inputs)
        }
    }
}
