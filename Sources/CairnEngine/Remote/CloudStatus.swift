import CairnCore
import CairnRemote
import CairnStorage

/// `status -c`: how the cache and a remote differ for the objects the workspace uses.
public struct CloudStatusReport: Sendable {
    /// A file whose object is not in both places.
    public struct Entry: Sendable, Equatable {
        /// `new` (cache only), `deleted` (remote only) or `missing` (neither).
        public var status: String
        /// The file's path (`dir/file` for a file of a tracked directory).
        public var path: String
    }

    /// The remotes compared (names), for the in-sync message.
    public var remotes: [String] = []
    /// The differences, by path.
    public var entries: [Entry] = []
}

extension Project {
    /// Compares the cache with the remote(s) for every file the scope uses, asking the remote (not the local record
    /// of what it holds, which this repairs). A directory whose manifest is only on the remote is expanded by
    /// fetching the manifest.
    public func cloudStatus(_ options: TransferOptions, cwd: String) throws -> CloudStatusReport {
        let outputs = try usedOutputs(options.scope, cwd: cwd)
        var report = CloudStatusReport()
        for (remote, group) in try outputsByRemote(outputs, remote: options.remote, command: "status") {
            report.remotes.append(remote.name)
            let connection = try RemoteConnection(remote, project: self, jobs: options.jobs)
            defer { connection.close() }
            try fetchManifests(of: group, from: connection)
            let objects = try ObjectSet(group, manifest: cachedManifest)
            let queried = objects.files + objects.unexpanded
            let present = try connection.store.existingKeys(queried.map(\.key), jobs: connection.jobs)
            connection.index.insert(present)
            connection.index.remove(queried.map(\.key).filter { !present.contains($0) })
            let absentLocally = Set(try cache.missing(queried.map(\.hash)))
            for object in queried {
                let inCache = !absentLocally.contains(object.hash)
                let onRemote = present.contains(object.key)
                if inCache && onRemote { continue }
                report.entries.append(.init(status: inCache ? "new" : (onRemote ? "deleted" : "missing"), path: object.path))
            }
        }
        report.entries.sort { DirManifest.utf8Less($0.path, $1.path) }
        return report
    }

    /// Downloads (verified) the directory manifests of `outputs` that the cache lacks and the remote has.
    func fetchManifests(of outputs: [UsedOutput], from connection: RemoteConnection) throws {
        let wanted = outputs.filter { $0.hash.id.isDirectory }.map(\.hash)
        for hash in try cache.missing(wanted) {
            let incoming = IncomingObject(hash, cache: cache)
            do {
                try connection.store.download(key: RemoteLayout.key(for: hash), into: CacheSink(incoming)) { _ in }
                try incoming.commit()
            } catch RemoteError.missingObject {
                continue
            }
        }
    }
}
