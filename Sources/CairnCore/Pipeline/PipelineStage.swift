/// One stage of a `dvc.yaml`, after `vars`/`${}` interpolation and `foreach`/`matrix` expansion: what `repro`,
/// `status` and the DAG work with. Paths are as written, relative to the stage's working directory.
public struct PipelineStage: Sendable, Equatable {
    /// The stage name; generated stages are `group@key`.
    public var name: String
    /// Repo-relative path of the `dvc.yaml` that defines it.
    public var file: String
    /// The fully interpolated command.
    public var cmd: StageCommand
    /// Repo-relative working directory ("" = the repo root): the `dvc.yaml`'s directory joined with `wdir`.
    public var wdir: String
    /// Dependency paths relative to `wdir`, in declaration order.
    public var deps: [String]
    /// Params dependencies, in declaration order.
    public var params: [ParamsDependency]
    /// `outs`, `metrics` and `plots` entries, in declaration order (outs, then metrics, then plots).
    public var outs: [StageOutput]
    /// Never run; only verified.
    public var frozen: Bool
    /// Always considered changed.
    public var alwaysChanged: Bool
    /// `desc`.
    public var desc: String?
    /// `meta`, kept as written.
    public var meta: YAMLValue?

    /// Creates a stage.
    public init(name: String, file: String, cmd: StageCommand, wdir: String = "", deps: [String] = [],
                params: [ParamsDependency] = [], outs: [StageOutput] = [], frozen: Bool = false,
                alwaysChanged: Bool = false, desc: String? = nil, meta: YAMLValue? = nil) {
        self.name = name
        self.file = file
        self.cmd = cmd
        self.wdir = wdir
        self.deps = deps
        self.params = params
        self.outs = outs
        self.frozen = frozen
        self.alwaysChanged = alwaysChanged
        self.desc = desc
        self.meta = meta
    }

    /// How DVC addresses the stage: the name for the root `dvc.yaml`, else `path/dvc.yaml:name`.
    public var address: String { file == "dvc.yaml" ? name : "\(file):\(name)" }
}

/// A stage's `cmd`: one string (run line by line) or a list (each element in order).
public enum StageCommand: Sendable, Equatable {
    case string(String)
    case list([String])

    /// As recorded in `dvc.lock`.
    public var yamlValue: YAMLValue {
        switch self {
        case .string(let text): return .string(text)
        case .list(let items): return .sequence(items.map { .string($0) })
        }
    }

    /// The commands to run one after another: a string's non-empty lines, or the list's elements.
    public var commands: [String] {
        switch self {
        case .string(let text):
            return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        case .list(let items): return items
        }
    }
}

/// A `params` entry: a file (relative to the stage's `wdir`) and the dotted keys used; nil keys = the whole file.
public struct ParamsDependency: Sendable, Equatable {
    /// The params file, relative to `wdir` (`params.yaml` by default).
    public var file: String
    /// Dotted keys (`train.layers`) in declaration order, or nil when the whole file is tracked.
    public var keys: [String]?

    /// Creates a params dependency.
    public init(file: String, keys: [String]?) {
        self.file = file
        self.keys = keys
    }
}

/// An `outs`/`metrics`/`plots` entry with its options.
public struct StageOutput: Sendable, Equatable {
    /// Which section declared it.
    public enum Kind: String, Sendable, Equatable {
        case out = "outs"
        case metric = "metrics"
        case plot = "plots"
    }

    /// Path relative to the stage's `wdir`.
    public var path: String
    /// The section it came from.
    public var kind: Kind
    /// `cache` (default true).
    public var cache: Bool
    /// `persist` (default false): kept (unprotected) instead of removed before the command runs.
    public var persist: Bool
    /// `push` (default true).
    public var push: Bool
    /// `remote`.
    public var remote: String?
    /// `desc`, `type`, `labels`, `meta` and plot properties (`x`, `y`, `template`, …), as written.
    public var options: YAMLMapping

    /// Creates an output.
    public init(path: String, kind: Kind = .out, cache: Bool = true, persist: Bool = false, push: Bool = true,
                remote: String? = nil, options: YAMLMapping = YAMLMapping()) {
        self.path = path
        self.kind = kind
        self.cache = cache
        self.persist = persist
        self.push = push
        self.remote = remote
        self.options = options
    }
}
