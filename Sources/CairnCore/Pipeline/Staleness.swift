/// What the workspace holds at a dependency path right now.
public enum ObservedDependency: Sendable, Equatable {
    /// Nothing there.
    case missing
    /// Present, with its current hash (computed in the recorded hash's kind when one is recorded).
    case present(HashInfo)
}

/// The workspace as the staleness rules see it; the engine implements this (hashing with its state cache).
/// Paths are repo-relative (`RepoPath`-normalised), or as written when outside the repo.
public protocol StageObserving {
    /// The current hash of a dependency; `recorded` is its `dvc.lock` record, if any (a hint for the hash kind).
    func dependency(_ repoPath: String, recorded: LockedPath?) -> ObservedDependency
    /// The parsed params file, nil when it is missing.
    func paramsDocument(_ repoPath: String) -> YAMLValue?
    /// How an output differs from its record (nil = unchanged), per `OutputStatusRule.change`: `recorded` nil means
    /// nothing is recorded (present ⇒ `modified`, missing ⇒ `deleted`); `cache` is the output's `cache` flag.
    func output(_ repoPath: String, recorded: LockedPath?, cache: Bool) -> OutputChange?
}

/// DVC's "changed?" rules for a pipeline stage (FORMATS.md §6.2, §7.1).
public enum Staleness {
    /// The stage's status items in DVC's order (`changed deps`, `changed outs`, `always changed`,
    /// `changed command`); empty = up to date. Paths are shown relative to `cwd` (repo-relative; "" = root).
    public static func items(for stage: PipelineStage, lock: LockedStage?, observer: some StageObserving,
                             cwd: String = "") -> [StatusReport.Item] {
        var items: [StatusReport.Item] = []
        if !stage.frozen {
            let deps = dependencyChanges(stage, lock: lock, observer: observer, cwd: cwd, firstOnly: false)
            if !deps.isEmpty { items.append(.changedDeps(deps)) }
        }
        let outs = outputChanges(stage, lock: lock, observer: observer, cwd: cwd, firstOnly: false)
        if !outs.isEmpty { items.append(.changedOuts(outs)) }
        if stage.alwaysChanged || stage.isCallback { items.append(.alwaysChanged) }
        if commandChanged(stage, lock: lock) { items.append(.changedCommand) }
        return items
    }

    /// Whether `repro` must (re)run the stage: command, then deps (always-changed/callback included), then outs,
    /// stopping at the first hit so later paths are not hashed.
    public static func isChanged(_ stage: PipelineStage, lock: LockedStage?, observer: some StageObserving) -> Bool {
        if commandChanged(stage, lock: lock) { return true }
        if !stage.frozen {
            if stage.alwaysChanged || stage.isCallback { return true }
            if !dependencyChanges(stage, lock: lock, observer: observer, cwd: "", firstOnly: true).isEmpty {
                return true
            }
        }
        return !outputChanges(stage, lock: lock, observer: observer, cwd: "", firstOnly: true).isEmpty
    }

    /// The lock entry's `cmd` differs from the current command (a string vs a list counts); no entry = no change.
    public static func commandChanged(_ stage: PipelineStage, lock: LockedStage?) -> Bool {
        guard let lock else { return false }
        return lock.cmd != stage.cmd.yamlValue
    }

    /// The recorded entry for a path of the stage: by the path as written, else by the same resolved path.
    public static func record(for path: String, in records: [LockedPath], of stage: PipelineStage) -> LockedPath? {
        if let exact = records.first(where: { $0.path == path }) { return exact }
        let resolved = stage.resolvedPath(path)
        return records.first { stage.resolvedPath($0.path) == resolved }
    }

    /// Restore from lock (§6.5, first paragraph; DVC checks it before the run-cache, even with `--no-run-cache`):
    /// the stage is run-cacheable, its command is unchanged, every dependency matches the lock, and every out has
    /// a recorded hash whose objects are in the cache (`objectsInCache`; asked for `cache: false` outs too, as DVC
    /// checks out every out of the restored entry from the cache). Then the outs are checked out, nothing runs.
    public static func isRestorable(_ stage: PipelineStage, lock: LockedStage?, observer: some StageObserving,
                                    objectsInCache: (LockedPath) -> Bool) -> Bool {
        guard let lock, RunCache.isCacheable(stage), !commandChanged(stage, lock: lock) else { return false }
        if !dependencyChanges(stage, lock: lock, observer: observer, cwd: "", firstOnly: true).isEmpty {
            return false
        }
        for out in stage.outs {
            guard let recorded = record(for: out.path, in: lock.outs, of: stage), recorded.md5 != nil,
                  objectsInCache(recorded) else { return false }
        }
        return true
    }

    // MARK: Parts

    static func dependencyChanges(_ stage: PipelineStage, lock: LockedStage?, observer: some StageObserving,
                                  cwd: String, firstOnly: Bool) -> [(path: String, change: StatusReport.DepChange)] {
        var result: [(path: String, change: StatusReport.DepChange)] = []
        let records = lock?.deps ?? []
        for dep in stage.deps {
            let resolved = stage.resolvedPath(dep)
            let recorded = record(for: dep, in: records, of: stage)
            let change: OutputChange?
            switch observer.dependency(resolved, recorded: recorded) {
            case .missing: change = .deleted
            case .present(let hash):
                change = recorded?.md5 == hash.id ? nil : .modified
            }
            if let change {
                result.append((display(resolved, cwd: cwd), .path(change)))
                if firstOnly { return result }
            }
        }
        for params in stage.mergedParams {
            let resolved = stage.resolvedPath(params.file)
            let locked = lock.flatMap { entry in
                entry.params.first { $0.file == params.file }?.values
                    ?? entry.params.first { stage.resolvedPath($0.file) == resolved }?.values
            }
            let changes = ParamsBridge.changes(declared: params, current: observer.paramsDocument(resolved),
                                               locked: locked)
            guard !changes.isEmpty else { continue }
            let shown = display(resolved, cwd: cwd)
            if changes.count == 1, changes[0].key.isEmpty {
                result.append((shown, .path(changes[0].change)))
            } else {
                result.append((shown, .params(changes)))
            }
            if firstOnly { return result }
        }
        return result
    }

    static func outputChanges(_ stage: PipelineStage, lock: LockedStage?, observer: some StageObserving,
                              cwd: String, firstOnly: Bool) -> [(path: String, change: OutputChange)] {
        var result: [(path: String, change: OutputChange)] = []
        let records = lock?.outs ?? []
        for out in stage.outs {
            let resolved = stage.resolvedPath(out.path)
            let recorded = record(for: out.path, in: records, of: stage)
            if let change = observer.output(resolved, recorded: recorded, cache: out.cache) {
                result.append((display(resolved, cwd: cwd), change))
                if firstOnly { return result }
            }
        }
        return result
    }

    /// How DVC prints a path: relative to the working directory when inside the repo, else as written.
    static func display(_ resolved: String, cwd: String) -> String {
        guard !cwd.isEmpty, GraphPath.isInRepo(resolved) else { return resolved }
        return RepoPath.relative(resolved, from: cwd)
    }
}
