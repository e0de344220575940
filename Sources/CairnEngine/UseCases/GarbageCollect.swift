import CairnCore
import CairnGit
import CairnStorage

extension Project {
    /// `cairn gc`: removes every cache object that no kept `.dvc` file or `dvc.lock` references.
    /// The workspace is always kept; `scope` adds branch tips, tags or every commit, read from git objects.
    /// Every file that must be read is parsed before the first deletion: a parse error deletes nothing.
    public func collectGarbage(scope: GCScope, dryRun: Bool) throws -> GCOutcome {
        let ignore = DvcIgnoreRules(project: self)
        let index = try WorkspaceIndex.scan(self, ignore: ignore)
        var used = UsedObjects()
        for output in index.outputs {
            if let recorded = output.recorded { used.insert(recorded) }
        }
        for lockPath in index.lockFiles {
            let text = String(decoding: try FileSystem.readFile(absolute(lockPath)), as: UTF8.self)
            used.insert(lock: try PipelineLock.parse(text, path: lockPath))
        }
        if scope.allBranches || scope.allTags || scope.allCommits {
            guard let git = try git else {
                throw EngineError.usage("-a, -T and --all-commits need git, but this project has core.no_scm set")
            }
            let commits = try commits(for: RemoteScope(allBranches: scope.allBranches, allTags: scope.allTags,
                                                       allCommits: scope.allCommits), git: git)
            for output in try revisionOutputs(commits, git: git) { used.insert(output.used.hash) }
        }
        try used.expandDirectories(cache: cache)

        var outcome = GCOutcome()
        for object in try cache.allObjects() where !used.contains(object) {
            let path = cache.path(of: object)
            outcome.removedPaths.append(path)
            if object.kind == .md5Dos2Unix { outcome.removedLegacyCount += 1 } else { outcome.removedCount += 1 }
            if !dryRun { try cache.remove(object) }
        }
        return outcome
    }
}

/// The set of cache objects referenced by kept records.
struct UsedObjects {
    private var objects = Set<HashInfo>()

    mutating func insert(_ hash: HashInfo) { objects.insert(hash) }

    /// Adds every out (and dep: it is some stage's out) hash of a lock file.
    mutating func insert(lock: PipelineLock) {
        for (_, stage) in lock.stages {
            for entry in stage.outs + stage.deps {
                if let hash = entry.hash { objects.insert(hash) }
            }
        }
    }

    /// Adds the files listed by every used directory manifest that is in the cache.
    mutating func expandDirectories(cache: ObjectCache) throws {
        for hash in objects where hash.id.isDirectory {
            guard cache.contains(hash) else { continue }
            for entry in try cache.readManifest(hash).entries {
                objects.insert(HashInfo(entry.id, kind: hash.kind))
            }
        }
    }

    func contains(_ hash: HashInfo) -> Bool { objects.contains(hash) }
}
