/// A `dvc.lock` file (schema 2.0): what each pipeline stage last ran with and produced. FORMATS.md §5.
public struct PipelineLock: Sendable, Equatable {
    /// Stage entries in file order (DVC keeps positions when it rewrites an entry).
    public var stages: [(name: String, stage: LockedStage)]
    /// Top-level `datasets` entries, kept as written.
    public var datasets: YAMLValue?

    /// Creates a lock.
    public init(stages: [(name: String, stage: LockedStage)] = [], datasets: YAMLValue? = nil) {
        self.stages = stages
        self.datasets = datasets
    }

    /// The entry of a stage, by its full name (`train`, `split@train`); setting replaces in place or appends.
    public subscript(stage name: String) -> LockedStage? {
        get { stages.first { $0.name == name }?.stage }
        set {
            if let index = stages.firstIndex(where: { $0.name == name }) {
                if let newValue { stages[index].stage = newValue } else { stages.remove(at: index) }
            } else if let newValue {
                stages.append((name, newValue))
            }
        }
    }

    /// The stage names in order.
    public var stageNames: [String] { stages.map(\.name) }

    public static func == (lhs: PipelineLock, rhs: PipelineLock) -> Bool {
        lhs.datasets == rhs.datasets && lhs.stages.count == rhs.stages.count
            && zip(lhs.stages, rhs.stages).allSatisfy { $0.name == $1.name && $0.stage == $1.stage }
    }
}

/// One stage's entry in `dvc.lock`.
public struct LockedStage: Sendable, Equatable {
    /// The fully interpolated command: a string, or a list of strings when `cmd` is a list in `dvc.yaml`.
    public var cmd: YAMLValue
    /// Dependencies, relative to the stage's `wdir` (sorted by path when DVC writes them).
    public var deps: [LockedPath]
    /// Parameter values per params file: `params.yaml` first, then by file name; keys are dotted paths.
    public var params: [(file: String, values: YAMLMapping)]
    /// Outputs, relative to the stage's `wdir` (sorted by path when DVC writes them).
    public var outs: [LockedPath]

    /// Creates a stage entry.
    public init(cmd: YAMLValue, deps: [LockedPath] = [], params: [(file: String, values: YAMLMapping)] = [],
                outs: [LockedPath] = []) {
        self.cmd = cmd
        self.deps = deps
        self.params = params
        self.outs = outs
    }

    /// The recorded values of one params file.
    public func params(of file: String) -> YAMLMapping? {
        params.first { $0.file == file }?.values
    }

    public static func == (lhs: LockedStage, rhs: LockedStage) -> Bool {
        lhs.cmd == rhs.cmd && lhs.deps == rhs.deps && lhs.outs == rhs.outs && lhs.params.count == rhs.params.count
            && zip(lhs.params, rhs.params).allSatisfy { $0.file == $1.file && $0.values == $1.values }
    }
}

/// A dependency or output recorded in `dvc.lock`.
public struct LockedPath: Sendable, Equatable {
    /// Path relative to the stage's `wdir`, as written (may climb with `..`).
    public var path: String
    /// The recorded md5 (`<hex>` or `<hex>.dir`); nil when the path did not exist.
    public var md5: ObjectID?
    /// `hash: md5` is DVC 3; an entry without `hash:` is legacy md5-dos2unix.
    public var hashKind: HashKind
    /// Bytes (sum for a directory).
    public var size: Int64?
    /// Number of files (directories only).
    public var nfiles: Int?
    /// Whether the file is executable (written only when true).
    public var isexec: Bool
    /// Other keys (`version_id`, `etag`, `cloud`, `files`, …) in file order, kept as written.
    public var extra: YAMLMapping

    /// Creates an entry; `hash` decides both the md5 and the hash kind.
    public init(path: String, hash: HashInfo? = nil, size: Int64? = nil, nfiles: Int? = nil, isexec: Bool = false,
                extra: YAMLMapping = YAMLMapping()) {
        self.path = path
        self.md5 = hash?.id
        self.hashKind = hash?.kind ?? .md5
        self.size = size
        self.nfiles = nfiles
        self.isexec = isexec
        self.extra = extra
    }

    /// The recorded hash with its kind; setting it also sets `hashKind`.
    public var hash: HashInfo? {
        get { md5.map { HashInfo($0, kind: hashKind) } }
        set {
            md5 = newValue?.id
            if let kind = newValue?.kind { hashKind = kind }
        }
    }
}
