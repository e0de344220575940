import CairnCore
import CairnStorage

extension Project {
    /// `cairn add`: hash files and directories into the cache, write `PATH.dvc` beside each, git-ignore the data.
    /// Every target is validated before anything is written; objects are stored before the `.dvc` file that
    /// names them, so a killed run leaves at most unreferenced objects, and re-running completes the work.
    public func add(_ targets: [String], options: AddOptions, relativeTo cwd: String) throws -> TrackingOutcome {
        let ignore = DvcIgnoreRules(project: self)
        let index = try WorkspaceIndex.scan(self, ignore: ignore)
        if let out = options.out {
            return try addCopy(of: targets[0], to: out, options: options, cwd: cwd, index: index, ignore: ignore)
        }
        var paths: [String] = []
        for target in targets {
            let path = try resolveAddTarget(target, cwd: cwd, index: index, ignore: ignore)
            if !paths.contains(path) { paths.append(path) }
        }
        return try addResolved(paths, options: options, cwd: cwd, index: index, ignore: ignore)
    }

    /// Checks one command-line target and returns the repo-relative output path it adds.
    private func resolveAddTarget(_ target: String, cwd: String, index: WorkspaceIndex,
                                  ignore: DvcIgnoreRules) throws -> String {
        let path = try repoRelative(target, cwd: cwd)
        if path.isEmpty { throw EngineError("cannot add the repository root itself", hint: "Add the data folders inside it.") }
        guard let stat = try FileSystem.lstat(absolute(path)) else {
            throw EngineError("output '\(target)' does not exist", hint: "Check the path; it is taken relative to the current directory.")
        }
        if stat.kind == .file, path.hasSuffix(".dvc") {
            throw EngineError("DVC file '\(target)' cannot be an output.")
        }
        if let git = try git, try git.isTracked(path) {
            throw EngineError(
                "output '\(target)' is already tracked by SCM (e.g. Git).",
                hint: "You can remove it from Git, then add it to cairn:\n    git rm -r --cached '\(target)'\n    git commit -m \"stop tracking \(target)\"")
        }
        if try ignore.isIgnored(path, isDirectory: stat.kind == .directory) {
            throw EngineError("Path '\(target)' is ignored by .dvcignore", hint: "Remove the matching pattern from .dvcignore to track it.")
        }
        for output in index.outputs {
            // Adding a file inside a tracked directory updates that directory, as DVC does.
            if RepoPath.isInside(path, output.path) && path != output.path {
                if output.dvcFile == output.path + ".dvc" { return output.path }
                throw EngineError("Cannot add '\(target)', because it is overlapping with other DVC tracked output: '\(display(output.path, cwd: cwd))'.")
            }
            if RepoPath.isInside(output.path, path) && output.path != path {
                throw EngineError(
                    "Cannot add '\(target)', because it is overlapping with other DVC tracked output: '\(display(output.path, cwd: cwd))'.",
                    hint: "To include '\(display(output.path, cwd: cwd))' in '\(target)', run 'cairn remove \(display(output.dvcFile, cwd: cwd))' and then 'cairn add \(target)'")
            }
            if output.path == path && output.dvcFile != path + ".dvc" {
                throw EngineError("output '\(target)' is already tracked by '\(display(output.dvcFile, cwd: cwd))'")
            }
        }
        return path
    }

    /// `add -o OUT SOURCE`: copies SOURCE (which may lie outside the repo) to OUT and tracks OUT.
    private func addCopy(of source: String, to out: String, options: AddOptions, cwd: String,
                         index: WorkspaceIndex, ignore: DvcIgnoreRules) throws -> TrackingOutcome {
        let sourcePath = source.hasPrefix("/") ? source : cwd + "/" + source
        guard let sourceStat = try FileSystem.stat(sourcePath) else {
            throw EngineError("output '\(source)' does not exist")
        }
        let destination = try repoRelative(out, cwd: cwd)
        if destination.isEmpty { throw EngineError.usage("--out cannot be the repository root") }
        if FileSystem.exists(absolute(destination)) {
            throw EngineError("'\(out)' exists already", hint: "Choose a new path for --out, or remove it first.")
        }
        for output in index.outputs where RepoPath.isInside(destination, output.path) || RepoPath.isInside(output.path, destination) {
            throw EngineError("Cannot add '\(out)', because it is overlapping with other DVC tracked output: '\(display(output.path, cwd: cwd))'.")
        }
        try FileSystem.makeDirectories(absolute(RepoPath.parent(destination)))
        try LocalCopy.copyTree(from: sourcePath, isDirectory: sourceStat.kind == .directory, to: absolute(destination))
        return try addResolved([destination], options: options, cwd: cwd, index: index, ignore: ignore)
    }

    /// Hashes, stores and records already validated outputs.
    private func addResolved(_ paths: [String], options: AddOptions, cwd: String, index: WorkspaceIndex,
                             ignore: DvcIgnoreRules) throws -> TrackingOutcome {
        let scanner = WorkspaceScanner(project: self, ignore: ignore)
        defer { saveState() }
        var dvcFiles: [String] = []
        var gitignores: [String] = []
        let linkTypes = config.linkTypes
        for path in paths {
            let isSymlink = (try FileSystem.lstat(absolute(path)))?.kind == .symlink
            let observation = options.noCommit
                ? try scanner.observe(path)
                : try scanner.ingest(path, linkTypes: linkTypes)
            if isSymlink && !options.noCommit {
                // DVC tracks a symlink's target content and replaces the link with that content.
                try scanner.materialize(observation, at: path, linkTypes: linkTypes)
            }
            let dvcPath = path + ".dvc"
            try writeDvcFile(at: dvcPath, outputPath: path, observation: observation)
            dvcFiles.append(dvcPath)
            if let gitignore = try GitignoreWriter(project: self).ignore(path) {
                if !gitignores.contains(gitignore) { gitignores.append(gitignore) }
            }
        }
        return try tracking(changed: dvcFiles + gitignores, cwd: cwd)
    }

    /// Writes (or updates in place, keeping comments) the `.dvc` file for one output; writes nothing when
    /// the recorded values are already right.
    func writeDvcFile(at dvcPath: String, outputPath: String, observation: Observation) throws {
        let meta = try OutputMeta(observation)
        let absoluteDvc = absolute(dvcPath)
        if FileSystem.exists(absoluteDvc) {
            let existing = try TrackedFile.load(dvcPath, project: self)
            if let position = existing.outputs.firstIndex(where: { $0.path == outputPath }) {
                let recorded = existing.file.outs[position]
                if recorded.hash == meta.hash && recorded.size == meta.size && recorded.nfiles == meta.nfiles
                    && recorded.isexec == meta.isexec {
                    return
                }
                let updated = try DVCFile.updatingText(existing.text, path: dvcPath, outputs: [position: meta])
                try FileSystem.writeFileAtomically(Array(updated.utf8), to: absoluteDvc)
                return
            }
        }
        let output = DVCOutput(path: RepoPath.name(outputPath), baseDirectory: RepoPath.parent(outputPath),
                               hash: meta.hash, size: meta.size, nfiles: meta.nfiles, isexec: meta.isexec)
        let file = DVCFile(path: dvcPath, outs: [output])
        try FileSystem.writeFileAtomically(Array(file.rendered().utf8), to: absoluteDvc)
    }

    /// DVC's "git add …" advice, or the files staged when `core.autostage` is on.
    func tracking(changed paths: [String], cwd: String) throws -> TrackingOutcome {
        var outcome = TrackingOutcome()
        outcome.changedPaths = paths
        guard let git = try git, !paths.isEmpty else { return outcome }
        if config.autostage {
            try git.addToIndex(paths)
            outcome.staged = true
        }
        outcome.filesToStage = paths.map { display($0, cwd: cwd) }
        return outcome
    }
}

extension OutputMeta {
    /// The values to record for what was observed.
    init(_ observation: Observation) throws {
        switch observation.content {
        case .missing:
            throw EngineError("nothing to record: the output is missing")
        case .file(let id, let size, let isExecutable):
            self.init(hash: HashInfo(id), size: Int64(size), nfiles: nil, isexec: isExecutable)
        case .directory(let id, let size, let fileCount):
            self.init(hash: HashInfo(id), size: Int64(size), nfiles: fileCount, isexec: false)
        }
    }
}
