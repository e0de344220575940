import CairnCore
import CairnRemote
import CairnStorage

/// What a fetch did.
public struct FetchOutcome: Sendable {
    /// Objects downloaded into the cache.
    public var fetched = 0
    /// Objects neither in the cache nor on the remote (hash text), for DVC's warning.
    public var missing: [String] = []
}

extension Project {
    /// `cairn fetch`: downloads into the cache the objects that the scope uses and the cache lacks. Directory
    /// manifests come first (they say which files a directory needs). Every object is verified against its name
    /// before it is renamed into the cache: a cut-off or corrupt download never lands there.
    public func fetch(_ options: TransferOptions, cwd: String, observer: (any TransferObserver)?) throws -> FetchOutcome {
        let outputs = try usedOutputs(options.scope, cwd: cwd)
        var outcome = FetchOutcome()
        for (remote, group) in try outputsByRemote(outputs, remote: options.remote, command: "fetch") {
            let connection = try RemoteConnection(remote, project: self, jobs: options.jobs)
            defer { connection.close() }
            var objects = group
            if options.runCache { objects += try fetchRunCache(from: connection, observer: observer, outcome: &outcome) }
            try fetch(objects, from: connection, observer: observer, outcome: &outcome)
        }
        return outcome
    }

    /// `cairn pull`: fetch, then checkout of the workspace's outputs (revisions are only fetched).
    public func pull(_ options: TransferOptions, checkout checkoutOptions: CheckoutOptions, cwd: String,
                     observer: (any TransferObserver)?) throws -> (fetch: FetchOutcome, checkout: CheckoutOutcome) {
        let fetched = try fetch(options, cwd: cwd, observer: observer)
        let checkedOut = try checkout(targets: options.scope.targets, options: checkoutOptions, relativeTo: cwd)
        return (fetched, checkedOut)
    }

    private func fetch(_ outputs: [UsedOutput], from connection: RemoteConnection, observer: (any TransferObserver)?,
                       outcome: inout FetchOutcome) throws {
        let manifests = outputs.filter { $0.hash.id.isDirectory }.map { RemoteObject(hash: $0.hash, path: $0.path) }
        try download(try missingFromCache(manifests), from: connection, observer: observer, outcome: &outcome)
        let objects = try ObjectSet(outputs, manifest: cachedManifest)
        try download(try missingFromCache(objects.files), from: connection, observer: observer, outcome: &outcome)
    }

    private func missingFromCache(_ objects: [RemoteObject]) throws -> [RemoteObject] {
        let missing = Set(try cache.missing(objects.map(\.hash)))
        var seen = Set<HashInfo>()
        return objects.filter { missing.contains($0.hash) && seen.insert($0.hash).inserted }
    }

    /// Downloads objects into the cache on the connection's workers.
    private func download(_ objects: [RemoteObject], from connection: RemoteConnection, observer: (any TransferObserver)?,
                          outcome: inout FetchOutcome) throws {
        if objects.isEmpty { return }
        observer?.transferStarted(label: "fetch", files: objects.count, bytes: 0)
        defer { observer?.transferEnded() }
        let store = connection.store
        let cache = self.cache
        let failures = TransferPool.run(objects, jobs: connection.jobs) { object throws(RemoteError) in
            defer { observer?.transferFinishedFile() }
            let incoming = IncomingObject(object.hash, cache: cache)
            try store.download(key: object.key, into: CacheSink(incoming)) { observer?.transferMoved(bytes: $0) }
            do throws(StorageError) {
                try incoming.commit()
            } catch {
                if case .corruptObject = error.reason {
                    throw .transfer(url: store.url, key: object.key,
                                    detail: "refused: its content hashes to \(Self.actualHash(error)), not to its name")
                }
                throw .local(path: error.path, detail: error.description)
            }
        }
        let missing = failures.filter { $0.error.isMissingObject }.map(\.item)
        let failed = failures.filter { !$0.error.isMissingObject }
        let failedKeys = Set(failures.map { $0.item.key })
        let done = objects.filter { !failedKeys.contains($0.key) }
        connection.index.insert(done.map(\.key))
        connection.index.remove(missing.map(\.key))
        outcome.fetched += done.count
        outcome.missing += missing.map(\.hash.id.description)
        if let first = failed.first {
            throw transferFailure(first.error, failed: failed.count, total: objects.count, verb: "download", command: "fetch")
        }
    }

    private static func actualHash(_ error: StorageError) -> String {
        if case .corruptObject(_, let actual) = error.reason { return actual }
        return "something else"
    }

    /// Downloads the remote's run-cache entries that the local cache lacks; returns the outputs they name.
    private func fetchRunCache(from connection: RemoteConnection, observer: (any TransferObserver)?,
                               outcome: inout FetchOutcome) throws -> [UsedOutput] {
        let local = Set(try localRunEntries())
        let remote = try connection.store.listKeys(prefix: RemoteLayout.runsPrefix).filter { RunCache.isEntryKey($0) }
        let wanted = remote.filter { !local.contains($0) }
        let store = connection.store
        let root = cache.root
        let failures = TransferPool.run(wanted, jobs: connection.jobs) { key throws(RemoteError) in
            let sink = FileSink(path: root + "/" + key)
            try store.download(key: key, into: sink) { _ in }
            // An entry is named by the sha256 of its content: check it like any object.
            let text = String(decoding: sink.bytes, as: UTF8.self)
            guard let entry = try? RunCache.parse(text, path: key), RunCache.entryPath(for: entry) == key else {
                throw .transfer(url: store.url, key: key, detail: "refused: not a run-cache entry matching its name")
            }
            try sink.commit()
        }
        if let first = failures.first {
            throw transferFailure(first.error, failed: failures.count, total: wanted.count, verb: "download", command: "fetch")
        }
        outcome.fetched += wanted.count
        var outputs: [UsedOutput] = []
        for key in wanted {
            let entry = try RunCache.parse(String(decoding: try FileSystem.readFile(root + "/" + key), as: UTF8.self), path: key)
            for out in entry.outs { if let hash = out.hash { outputs.append(UsedOutput(path: out.path, hash: hash, remote: nil, push: true)) } }
        }
        return outputs
    }
}

/// Receives a plain file (a run-cache entry) into a temp file, renamed into place when complete.
final class FileSink: DownloadSink {
    private let path: String
    /// What was received so far.
    private(set) var bytes: [UInt8] = []

    init(path: String) { self.path = path }

    func restart() throws(RemoteError) { bytes.removeAll() }

    func write(_ chunk: UnsafeRawBufferPointer) throws(RemoteError) { bytes.append(contentsOf: chunk) }

    /// Writes the received bytes whole.
    func commit() throws(RemoteError) {
        do {
            try FileSystem.makeDirectories(RepoPath.parent(path))
            try FileSystem.writeFileAtomically(bytes, to: path, mode: ObjectCache.objectMode)
        } catch {
            throw .local(path: error.path, detail: error.description)
        }
    }
}
