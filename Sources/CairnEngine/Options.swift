import CairnCore

/// `cairn init` settings.
public struct InitOptions: Sendable {
    /// Initialise outside git (`core.no_scm`).
    public var noSCM: Bool
    /// Re-initialise over an existing `.dvc/`.
    public var force: Bool
    /// A project template to write (`Templates.names`).
    public var template: String?

    /// Creates the settings.
    public init(noSCM: Bool = false, force: Bool = false, template: String? = nil) {
        self.noSCM = noSCM
        self.force = force
        self.template = template
    }
}

/// What `init` did.
public struct InitOutcome: Sendable {
    /// Files written from the template, repo-relative.
    public var templateFiles: [String] = []
}

/// `cairn add` settings.
public struct AddOptions: Sendable {
    /// Hash and write the `.dvc` file without storing objects in the cache.
    public var noCommit: Bool
    /// Copy the (single) target to this path and track the copy.
    public var out: String?

    /// Creates the settings.
    public init(noCommit: Bool = false, out: String? = nil) {
        self.noCommit = noCommit
        self.out = out
    }
}

/// What a command that writes git-tracked files did, for DVC's "git add …" advice.
public struct TrackingOutcome: Sendable {
    /// Files the user should `git add` (cwd-relative, in DVC's order), empty when nothing changed.
    public var filesToStage: [String] = []
    /// Whether they were staged already (`core.autostage`).
    public var staged = false
    /// The same files, repo-relative (what `repro --commit` / `commit --git` commit).
    public var changedPaths: [String] = []
}

/// `cairn checkout` settings.
public struct CheckoutOptions: Sendable {
    /// Overwrite workspace files whose content is not in the cache.
    public var force: Bool
    /// Re-create links even where the content is right.
    public var relink: Bool

    /// Creates the settings.
    public init(force: Bool = false, relink: Bool = false) {
        self.force = force
        self.relink = relink
    }
}

/// What `checkout` changed.
public struct CheckoutOutcome: Sendable {
    /// One changed output.
    public struct Change: Sendable, Equatable {
        /// DVC's change letters.
        public enum Kind: Sendable, Equatable {
            case added, modified, deleted

            /// `A`, `M` or `D`.
            public var letter: String {
                switch self {
                case .added: return "A"
                case .modified: return "M"
                case .deleted: return "D"
                }
            }
        }

        /// What happened.
        public var kind: Kind
        /// The output (cwd-relative; directories end in `/`).
        public var path: String
    }

    /// Outputs that were changed.
    public var changes: [Change] = []
    /// Outputs whose objects are missing from the cache (cwd-relative).
    public var failed: [String] = []
    /// Individual files added, modified and deleted (for `--summary`).
    public var filesAdded = 0
    public var filesModified = 0
    public var filesDeleted = 0
}

/// `data status` settings.
public struct DataStatusOptions: Sendable {
    /// List files inside tracked directories too.
    public var granular: Bool
    /// List unchanged tracked paths.
    public var unchanged: Bool
    /// List files git does not track.
    public var untracked: Bool

    /// Creates the settings.
    public init(granular: Bool = false, unchanged: Bool = false, untracked: Bool = false) {
        self.granular = granular
        self.unchanged = unchanged
        self.untracked = untracked
    }
}

/// Which revisions' data `gc` keeps besides the workspace.
public struct GCScope: Sendable, CustomStringConvertible {
    /// Tips of all local branches.
    public var allBranches: Bool
    /// All tags.
    public var allTags: Bool
    /// Every commit.
    public var allCommits: Bool

    /// Creates a scope.
    public init(allBranches: Bool = false, allTags: Bool = false, allCommits: Bool = false) {
        self.allBranches = allBranches
        self.allTags = allTags
        self.allCommits = allCommits
    }

    /// DVC's wording: "the workspace and all git branches and tags".
    public var description: String {
        var kinds: [String] = []
        if allCommits {
            kinds.append("commits")
        } else {
            if allBranches { kinds.append("branches") }
            if allTags { kinds.append("tags") }
        }
        return kinds.isEmpty ? "the workspace" : "the workspace and all git " + kinds.joined(separator: " and ")
    }
}

/// What `gc` removed.
public struct GCOutcome: Sendable {
    /// Objects removed from the DVC 3 cache (`files/md5`).
    public var removedCount = 0
    /// Objects removed from the legacy DVC 2 cache.
    public var removedLegacyCount = 0
    /// Paths removed (or that would be, with `--dry`).
    public var removedPaths: [String] = []
}

/// What `cache verify` found.
public struct CacheVerifyOutcome: Sendable {
    /// An object whose bytes do not hash to its name.
    public struct Corrupt: Sendable {
        /// The object's path.
        public var path: String
        /// The id its name promises.
        public var expected: String
        /// What its bytes hash to.
        public var actual: String
    }

    /// Objects checked.
    public var checked = 0
    /// The corrupt ones.
    public var corrupt: [Corrupt] = []

    /// `{"checked": N, "corrupt": [{"path": …, "expected": …, "actual": …}]}`.
    public func json() -> String {
        PythonJSON.dumps(.object([
            "checked": .int(checked),
            "corrupt": .array(corrupt.map {
                .object(["path": .string($0.path), "expected": .string($0.expected), "actual": .string($0.actual)])
            }),
        ]))
    }
}

/// One `check-ignore` answer.
public struct CheckIgnoreResult: Sendable {
    /// The path as given.
    public var target: String
    /// Whether the deciding pattern excludes the path (false for a `!` pattern or no match).
    public var isIgnored: Bool
    /// DVC's `-d` line (`.dvcignore:4:*.tmp\tpath`), nil when no pattern matches.
    public var detail: String?
}

/// `cairn repro` settings.
public struct ReproOptions: Sendable {
    public var targets: [String]
    public var force: Bool
    public var singleItem: Bool
    public var downstream: Bool
    public var dry: Bool
    public var allPipelines: Bool
    /// Stages run at once (1 = DVC's serial run).
    public var jobs: Int
    public var keepGoing: Bool
    public var noRunCache: Bool

    /// Creates the settings.
    public init(targets: [String] = [], force: Bool = false, singleItem: Bool = false, downstream: Bool = false,
                dry: Bool = false, allPipelines: Bool = false, jobs: Int = 1, keepGoing: Bool = false,
                noRunCache: Bool = false) {
        self.targets = targets
        self.force = force
        self.singleItem = singleItem
        self.downstream = downstream
        self.dry = dry
        self.allPipelines = allPipelines
        self.jobs = jobs
        self.keepGoing = keepGoing
        self.noRunCache = noRunCache
    }
}

/// How `cairn dag` draws the graph.
public enum DagFormat: Sendable {
    case ascii, dot, mermaid, markdown
}
