/// A `.dvc` file: the outputs `dvc add` tracks (and, for imports, their source). FORMATS.md §3.
public struct DVCFile: Sendable, Equatable {
    /// The `.dvc` file's own repo-relative path (e.g. `deep/er/f.bin.dvc`).
    public var path: String
    /// Tracked outputs; paths are relative to the `.dvc` file's directory.
    public var outs: [DVCOutput]
    /// Import sources (`dvc import`, `dvc import-url`); empty for plain `dvc add`.
    public var deps: [DVCDependency]
    /// Stage checksum (imports and DVC 1.x run files only).
    public var md5: String?
    /// Command (DVC 1.x single-stage run files).
    public var cmd: String?
    /// Working directory of the command, relative to the `.dvc` file.
    public var wdir: String?
    /// Whether the stage is frozen (`frozen: true`, or the legacy `locked: true`).
    public var frozen: Bool
    /// Whether the stage always counts as changed.
    public var alwaysChanged: Bool
    /// Free-text description.
    public var desc: String?
    /// User metadata, kept as written.
    public var meta: YAMLValue?

    /// Creates a `.dvc` file model.
    public init(path: String, outs: [DVCOutput], deps: [DVCDependency] = [], md5: String? = nil, cmd: String? = nil,
                wdir: String? = nil, frozen: Bool = false, alwaysChanged: Bool = false, desc: String? = nil,
                meta: YAMLValue? = nil) {
        self.path = path
        self.outs = outs
        self.deps = deps
        self.md5 = md5
        self.cmd = cmd
        self.wdir = wdir
        self.frozen = frozen
        self.alwaysChanged = alwaysChanged
        self.desc = desc
        self.meta = meta
    }

    /// The repo-relative directory holding the `.dvc` file ("" at the root).
    public var directory: String { RepoPath.parent(path) }
}

/// One entry of a `.dvc` file's `outs`.
public struct DVCOutput: Sendable, Equatable {
    /// Path as written: relative to the `.dvc` file's directory, `/`-separated.
    public var path: String
    /// The repo-relative directory of the `.dvc` file the output belongs to ("" at the root).
    public var baseDirectory: String
    /// The recorded md5 (`<hex>` or `<hex>.dir`); nil when not yet committed.
    public var md5: ObjectID?
    /// Which hash function `md5` came from: `hash: md5` is DVC 3, no `hash:` key is legacy md5-dos2unix.
    public var hashKind: HashKind
    /// Bytes (sum of the files for a directory).
    public var size: Int64?
    /// Number of files (directories only).
    public var nfiles: Int?
    /// Whether the single file is executable (written only when true).
    public var isexec: Bool
    /// Cloud-versioning metadata.
    public var versionID: String?
    /// Cloud-versioning metadata.
    public var etag: String?
    /// Cloud-versioning metadata.
    public var checksum: String?
    /// File-system options of an external output.
    public var fsConfig: YAMLMapping?
    /// Annotation.
    public var desc: String?
    /// Annotation.
    public var type: String?
    /// Annotation.
    public var labels: [String]?
    /// Annotation, kept as written.
    public var meta: YAMLValue?
    /// Whether the output is stored in the cache (`cache: false` outputs are committed to git).
    public var cache: Bool
    /// Legacy (DVC 1.x) metric flag or options.
    public var metric: YAMLValue?
    /// Legacy (DVC 1.x) plot flag or options.
    public var plot: YAMLValue?
    /// Whether the output survives a re-run.
    public var persist: Bool
    /// Remote to push/pull this output to/from instead of the default.
    public var remote: String?
    /// Whether `push` uploads this output.
    public var push: Bool
    /// Expanded manifest of a cloud-versioned directory.
    public var files: [YAMLValue]?
    /// Versioned-remote metadata per remote.
    public var cloud: YAMLMapping?

    /// Creates an output; defaults match a fresh `dvc add`.
    public init(path: String, baseDirectory: String = "", hash: HashInfo? = nil, size: Int64? = nil,
                nfiles: Int? = nil, isexec: Bool = false) {
        self.path = path
        self.baseDirectory = baseDirectory
        self.md5 = hash?.id
        self.hashKind = hash?.kind ?? .md5
        self.size = size
        self.nfiles = nfiles
        self.isexec = isexec
        self.cache = true
        self.persist = false
        self.push = true
    }

    /// The recorded hash with its kind; setting it also sets `hashKind`.
    public var hash: HashInfo? {
        get { md5.map { HashInfo($0, kind: hashKind) } }
        set {
            md5 = newValue?.id
            if let kind = newValue?.kind { hashKind = kind }
        }
    }

    /// The output's repo-relative path (`baseDirectory` joined with `path`, normalised).
    public var repoPath: String {
        RepoPath.join(baseDirectory, path) ?? path
    }
}

/// One entry of a `.dvc` file's `deps` (the source of an import): the same record as a `dvc.lock` path — a path,
/// its recorded hash and meta, and other keys kept as written.
public typealias DVCDependency = LockedPath

/// The values `add`/`commit` record for an output, used to update a `.dvc` file in place.
public struct OutputMeta: Sendable, Equatable {
    /// The new hash.
    public var hash: HashInfo
    /// Bytes.
    public var size: Int64
    /// Number of files, for a directory; nil for a file.
    public var nfiles: Int?
    /// Whether the (single) file is executable.
    public var isexec: Bool

    /// Creates output metadata.
    public init(hash: HashInfo, size: Int64, nfiles: Int? = nil, isexec: Bool = false) {
        self.hash = hash
        self.size = size
        self.nfiles = nfiles
        self.isexec = isexec
    }
}
