/// What `stage add` was asked to write (the CLI options, unsorted, as given).
public struct StageAddition: Sendable, Equatable {
    /// `-n`.
    public var name: String
    /// The command.
    public var cmd: String
    /// `-d`.
    public var deps: [String]
    /// `-o`.
    public var outs: [String]
    /// `-O`.
    public var outsNoCache: [String]
    /// `--outs-persist`.
    public var outsPersist: [String]
    /// `--outs-persist-no-cache`.
    public var outsPersistNoCache: [String]
    /// `-p` arguments as given: `lr,epochs` or `other.yaml:a,b` or `other.yaml:` (whole file).
    public var params: [String]
    /// `-m`.
    public var metrics: [String]
    /// `-M`.
    public var metricsNoCache: [String]
    /// `--plots`.
    public var plots: [String]
    /// `--plots-no-cache`.
    public var plotsNoCache: [String]
    /// `-w`, relative to the dvc.yaml's directory.
    public var wdir: String?
    /// `--desc`.
    public var desc: String?
    /// `--always-changed`.
    public var alwaysChanged: Bool

    /// Creates an addition.
    public init(name: String, cmd: String, deps: [String] = [], outs: [String] = [], outsNoCache: [String] = [],
                outsPersist: [String] = [], outsPersistNoCache: [String] = [], params: [String] = [],
                metrics: [String] = [], metricsNoCache: [String] = [], plots: [String] = [],
                plotsNoCache: [String] = [], wdir: String? = nil, desc: String? = nil, alwaysChanged: Bool = false) {
        self.name = name
        self.cmd = cmd
        self.deps = deps
        self.outs = outs
        self.outsNoCache = outsNoCache
        self.outsPersist = outsPersist
        self.outsPersistNoCache = outsPersistNoCache
        self.params = params
        self.metrics = metrics
        self.metricsNoCache = metricsNoCache
        self.plots = plots
        self.plotsNoCache = plotsNoCache
        self.wdir = wdir
        self.desc = desc
        self.alwaysChanged = alwaysChanged
    }
}
