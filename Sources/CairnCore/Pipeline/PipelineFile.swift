/// Gives the `dvc.yaml` codec the bytes of the files it needs (params.yaml beside the dvc.yaml, `vars` files).
public protocol PipelineSources {
    /// The bytes of a repo-relative file, or nil when it does not exist.
    func read(_ repoRelativePath: String) throws -> [UInt8]?
}

/// The `parsing` section of the DVC config: how a dict spliced into `cmd` becomes CLI flags.
public struct InterpolationOptions: Sendable, Equatable {
    /// How booleans become flags.
    public enum BoolStyle: Sendable, Equatable {
        /// `true` → `--k`, `false` → omitted (`store_true`).
        case storeTrue
        /// `true` → `--k`, `false` → `--no-k` (`boolean_optional`).
        case booleanOptional
    }

    /// How lists become flags.
    public enum ListStyle: Sendable, Equatable {
        /// `--k a b` (`nargs`).
        case nargs
        /// `--k a --k b` (`append`).
        case append
    }

    /// `parsing.bool`.
    public var bool: BoolStyle
    /// `parsing.list`.
    public var list: ListStyle

    /// Creates options (DVC's defaults: `store_true`, `nargs`).
    public init(bool: BoolStyle = .storeTrue, list: ListStyle = .nargs) {
        self.bool = bool
        self.list = list
    }
}

/// A `foreach`/`matrix` group: its name and the generated stage names, in order.
public struct PipelineGroup: Sendable, Equatable {
    /// The group name (`gen`).
    public var name: String
    /// The generated stage names (`gen@alpha`, …) in generation order.
    public var members: [String]

    /// Creates a group.
    public init(name: String, members: [String]) {
        self.name = name
        self.members = members
    }
}

/// A top-level `plots` entry: `path`, `{path: props|null}` or `{plot-id: {x, y: {file: cols}, …}}`.
public struct PipelinePlot: Sendable, Equatable {
    /// The file path or plot id (interpolated).
    public var id: String
    /// The properties, nil when written as a bare path or with `null`.
    public var properties: YAMLMapping?

    /// Creates a plot entry.
    public init(id: String, properties: YAMLMapping? = nil) {
        self.id = id
        self.properties = properties
    }
}

/// A top-level `artifacts` entry.
public struct PipelineArtifact: Sendable, Equatable {
    /// The artifact name.
    public var name: String
    /// `path` (required), relative to the dvc.yaml's directory.
    public var path: String
    /// `type`.
    public var type: String?
    /// `desc`.
    public var desc: String?
    /// `labels`.
    public var labels: [String]
    /// `meta`, as written.
    public var meta: YAMLValue?

    /// Creates an artifact.
    public init(name: String, path: String, type: String? = nil, desc: String? = nil, labels: [String] = [],
                meta: YAMLValue? = nil) {
        self.name = name
        self.path = path
        self.type = type
        self.desc = desc
        self.labels = labels
        self.meta = meta
    }
}

/// A parsed `dvc.yaml`: expanded stages plus the top-level sections.
public struct PipelineFile: Sendable, Equatable {
    /// Repo-relative path of the `dvc.yaml`.
    public var path: String
    /// All stages, `foreach`/`matrix` groups expanded in place (generation order).
    public var stages: [PipelineStage]
    /// The `foreach`/`matrix` groups, in file order.
    public var groups: [PipelineGroup]
    /// Top-level `params` files (relative to the dvc.yaml's directory).
    public var params: [String]
    /// Top-level `metrics` files (relative to the dvc.yaml's directory).
    public var metrics: [String]
    /// Top-level `plots` entries.
    public var plots: [PipelinePlot]
    /// Top-level `artifacts`, in file order.
    public var artifacts: [PipelineArtifact]
    /// Top-level `datasets` entries, as written.
    public var datasets: [YAMLMapping]
    /// Repo-relative files that fed the templating context (params.yaml beside the file, `vars` files).
    public var contextFiles: [String]

    /// Creates a parsed file.
    public init(path: String, stages: [PipelineStage] = [], groups: [PipelineGroup] = [], params: [String] = [],
                metrics: [String] = [], plots: [PipelinePlot] = [], artifacts: [PipelineArtifact] = [],
                datasets: [YAMLMapping] = [], contextFiles: [String] = []) {
        self.path = path
        self.stages = stages
        self.groups = groups
        self.params = params
        self.metrics = metrics
        self.plots = plots
        self.artifacts = artifacts
        self.datasets = datasets
        self.contextFiles = contextFiles
    }

    /// The stage called `name` (a plain or generated `group@key` name).
    public func stage(named name: String) -> PipelineStage? {
        stages.first { $0.name == name }
    }

    /// The group called `name`.
    public func group(named name: String) -> PipelineGroup? {
        groups.first { $0.name == name }
    }

    /// Whether `name` is a valid user-written stage name: letters, digits, `_` and `-` only.
    public static func isValidStageName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            scalar == "_" || scalar == "-" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
        }
    }
}
