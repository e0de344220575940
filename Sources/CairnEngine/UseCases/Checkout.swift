import CairnCore
import CairnStorage

extension Project {
    /// `cairn checkout`: makes the workspace match the recorded hashes, from the cache.
    /// Plans everything first: if a workspace file would be overwritten or removed while its content is not in
    /// the cache, nothing is changed unless `force`. Outputs whose objects are missing are reported, the rest done.
    public func checkout(targets: [String], options: CheckoutOptions, relativeTo cwd: String) throws -> CheckoutOutcome {
        let ignore = DvcIgnoreRules(project: self)
        let index = try WorkspaceIndex.scan(self, ignore: ignore)
        let outputs = try selectOutputs(targets, workspace: index, cwd: cwd)
        let scanner = WorkspaceScanner(project: self, ignore: ignore)
        let linkTypes = config.linkTypes
        defer { saveState() }

        var outcome = CheckoutOutcome()
        var plans: [CheckoutPlan] = []
        var unsaved: [String] = []
        for output in outputs {
            guard let recorded = output.recorded, output.isCached else { continue }
            let observation = try scanner.observe(output.path, kind: recorded.kind)
            guard try scanner.objectsPresent(recorded) else {
                // Without the objects, a workspace that already holds the recorded content is still fine (DVC's rule).
                if observation.content.id != recorded.id { outcome.failed.append(display(output.path, cwd: cwd)) }
                continue
            }
            let plan = try CheckoutPlan.make(output: output, recorded: recorded, observation: observation,
                                             relink: options.relink, scanner: scanner)
            unsaved += plan.unsaved.map { absolute($0) }
            if !plan.isEmpty { plans.append(plan) }
        }
        if !unsaved.isEmpty && !options.force {
            throw EngineError(
                "Can't remove the following unsaved files without confirmation. Use `--force` to force.\n"
                    + unsaved.joined(separator: "\n"))
        }
        for plan in plans {
            try apply(plan, scanner: scanner, linkTypes: linkTypes)
            let shown = display(plan.output.path, cwd: cwd) + (plan.isDirectory ? "/" : "")
            outcome.changes.append(.init(kind: plan.existed ? .modified : .added, path: shown))
            outcome.filesAdded += plan.place.count - plan.replacedCount
            outcome.filesModified += plan.replacedCount
            outcome.filesDeleted += plan.remove.count
        }
        return outcome
    }

    /// Carries out one output's plan: removals first, then the files to place.
    func apply(_ plan: CheckoutPlan, scanner: WorkspaceScanner, linkTypes: [LinkType]) throws {
        if plan.replaceWholePath {
            try FileSystem.removeTree(absolute(plan.output.path))
        }
        for relpath in plan.remove {
            _ = try FileSystem.removeFile(absolute(relpath))
        }
        if plan.createDirectory {
            try FileSystem.makeDirectories(absolute(plan.output.path))
        }
        try scanner.place(plan.place, linkTypes: linkTypes)
        if !plan.remove.isEmpty {
            try removeEmptyDirectories(below: plan.output.path, candidates: plan.remove)
        }
    }

    /// Removes directories emptied by deleting `candidates`, up to (not including) `root`.
    private func removeEmptyDirectories(below root: String, candidates: [String]) throws {
        var directories = Set(candidates.map { RepoPath.parent($0) })
        while !directories.isEmpty {
            var parents = Set<String>()
            for directory in directories where directory != root && RepoPath.isInside(directory, root) {
                if try FileSystem.removeEmptyDirectory(absolute(directory)) {
                    parents.insert(RepoPath.parent(directory))
                }
            }
            directories = parents
        }
    }
}

/// What checkout must do for one output, decided before anything is touched.
struct CheckoutPlan {
    /// The output.
    let output: TrackedOutput
    /// Whether it is a directory.
    let isDirectory: Bool
    /// Whether anything was at its path before.
    let existed: Bool
    /// Something of the wrong kind is there (a file where a directory belongs, or the reverse): remove it first.
    var replaceWholePath = false
    /// Repo-relative files to delete.
    var remove: [String] = []
    /// Objects to place at repo-relative paths.
    var place: [Placement] = []
    /// Repo-relative files whose current content would be lost (not in the cache).
    var unsaved: [String] = []
    /// How many of `place` replace an existing file (the rest are new).
    var replacedCount = 0

    /// The output's directory itself must be created (it is missing or replaces a file).
    var createDirectory = false

    /// Nothing to do.
    var isEmpty: Bool { !replaceWholePath && !createDirectory && remove.isEmpty && place.isEmpty }

    /// Compares the record with the workspace.
    static func make(output: TrackedOutput, recorded: HashInfo, observation: Observation, relink: Bool,
                     scanner: WorkspaceScanner) throws -> CheckoutPlan {
        let path = output.path
        var plan = CheckoutPlan(output: output, isDirectory: recorded.id.isDirectory, existed: observation.exists)
        func keepSafe(_ relpath: String, content: ObjectID?) {
            if let content, scanner.contains(HashInfo(content, kind: recorded.kind)) { return }
            // A temp file of a killed cairn run is ours, not the user's: checkout may remove it.
            if TemporaryName.isCairnTemporary(RepoPath.name(relpath)) { return }
            plan.unsaved.append(relpath)
        }
        guard recorded.id.isDirectory else {
            if case .file(let id, _, let isExecutable) = observation.content, id == recorded.id,
               !relink, isExecutable == output.output.isexec {
                return plan
            }
            if let current = try scanner.workspaceManifest(observation) {
                plan.replaceWholePath = true
                for entry in current.entries { keepSafe(path + "/" + entry.relpath, content: entry.id) }
            } else if observation.exists {
                keepSafe(path, content: observation.content.id)
            }
            plan.place = [Placement(hash: recorded, path: path, executable: output.output.isexec)]
            plan.replacedCount = observation.exists && !plan.replaceWholePath ? 1 : 0
            return plan
        }
        let target = try scanner.manifest(recorded)
        var current: DirManifest?
        switch observation.content {
        case .directory: current = try scanner.workspaceManifest(observation)
        case .file(let id, _, _):
            plan.replaceWholePath = true
            keepSafe(path, content: id)
        case .missing: break
        }
        let diff = ManifestDiff.compare(old: current, new: target)
        let currentIDs = Dictionary(
            (current?.entries ?? []).map { ($0.relpath, $0.id) }, uniquingKeysWith: { first, _ in first })
        for relpath in diff.deleted {
            plan.remove.append(path + "/" + relpath)
            keepSafe(path + "/" + relpath, content: currentIDs[relpath])
        }
        for relpath in diff.modified {
            keepSafe(path + "/" + relpath, content: currentIDs[relpath])
        }
        let wanted = relink ? Set(target.entries.map(\.relpath)) : Set(diff.added + diff.modified)
        plan.replacedCount = relink ? diff.modified.count + diff.unchanged.count : diff.modified.count
        for entry in target.entries where wanted.contains(entry.relpath) {
            plan.place.append(Placement(hash: HashInfo(entry.id, kind: recorded.kind), path: path + "/" + entry.relpath,
                                        executable: false))
        }
        // An empty tracked directory is still created.
        plan.createDirectory = !observation.exists || plan.replaceWholePath
        return plan
    }
}

/// One object to put at a workspace path.
struct Placement: Sendable {
    /// The object.
    let hash: HashInfo
    /// Repo-relative destination.
    let path: String
    /// Whether to make it executable (copies only; links share the object's read-only mode).
    let executable: Bool
}
