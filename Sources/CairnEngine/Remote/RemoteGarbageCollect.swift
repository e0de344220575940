import CairnCore
import CairnRemote
import CairnStorage

/// What `gc -c` removed from a remote.
public struct RemoteGCOutcome: Sendable {
    /// Keys removed (or, in a dry run, that would be).
    public var removedKeys: [String] = []
    /// The remote's URL.
    public var url = ""
}

extension Project {
    /// `gc -c`: removes from the remote every object that no kept record uses (the same records the local `gc`
    /// keeps). Directory manifests the cache lacks are fetched first; if a kept directory's manifest is on neither
    /// side, its files cannot be told apart from garbage, so nothing is removed.
    public func collectRemoteGarbage(scope: GCScope, remote: String?, jobs: Int?, dryRun: Bool) throws -> RemoteGCOutcome {
        let kept = try usedOutputs(RemoteScope(allBranches: scope.allBranches, allTags: scope.allTags,
                                               allCommits: scope.allCommits), cwd: root)
        let connection = try RemoteConnection(try resolveRemote(remote, command: "gc"), project: self, jobs: jobs)
        defer { connection.close() }
        try fetchManifests(of: kept, from: connection)
        let objects = try ObjectSet(kept, manifest: cachedManifest)
        if let lost = objects.unexpanded.first {
            throw EngineError(
                "cannot tell which files '\(lost.path)' needs: its manifest \(lost.hash.id) is neither in the cache nor on remote '\(connection.remote.name)'; nothing was removed",
                hint: "Restore the manifest (`cairn push` from a cache that has it), or narrow what gc keeps.")
        }
        let keep = Set(objects.all.map(\.key))
        let listed = try connection.store.listKeys(prefix: RemoteLayout.md5Prefix)
        let garbage = listed.filter { RemoteLayout.hash(forKey: $0) != nil && !keep.contains($0) }.sorted()
        var outcome = RemoteGCOutcome(removedKeys: garbage, url: connection.store.url)
        if dryRun { return outcome }
        try connection.store.delete(keys: garbage, jobs: connection.jobs)
        let removed = Set(garbage)
        connection.index.replace(prefix: RemoteLayout.md5Prefix, with: listed.filter { !removed.contains($0) })
        outcome.removedKeys = garbage
        return outcome
    }
}
