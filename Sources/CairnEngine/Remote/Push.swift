import CairnCore
import CairnRemote
import CairnStorage

/// What `push`, `fetch` and `pull` act on and how.
public struct TransferOptions: Sendable {
    /// `-r NAME`; nil uses `core.remote` (an output's own `remote:` wins over both).
    public var remote: String?
    /// `-j N`; nil uses the remote's `jobs` option, else 4 × cores.
    public var jobs: Int?
    /// Targets and revisions.
    public var scope: RemoteScope
    /// `--run-cache`: also transfer the run-cache (`runs/`) and the objects its entries name.
    public var runCache: Bool
    /// `push --verify`: ask the remote about every object instead of trusting the local record of what it holds.
    public var verify: Bool

    /// Creates options.
    public init(remote: String? = nil, jobs: Int? = nil, scope: RemoteScope = RemoteScope(), runCache: Bool = false,
                verify: Bool = false) {
        self.remote = remote
        self.jobs = jobs
        self.scope = scope
        self.runCache = runCache
        self.verify = verify
    }
}

/// What a push did.
public struct PushOutcome: Sendable {
    /// Objects uploaded.
    public var pushed = 0
    /// Objects neither in the cache nor on the remote: nothing could push them.
    public var missing: [String] = []
}

extension Project {
    /// `cairn push`: uploads the cache objects that the scope uses and the remote lacks. Files go before the
    /// directory manifests that list them, so a manifest on a remote always means its files are there too.
    /// What was uploaded is recorded even when some transfers failed; a rerun sends only the rest.
    public func push(_ options: TransferOptions, cwd: String, observer: (any TransferObserver)?) throws -> PushOutcome {
        let outputs = try usedOutputs(options.scope, cwd: cwd).filter(\.push)
        var outcome = PushOutcome()
        for (remote, group) in try outputsByRemote(outputs, remote: options.remote, command: "push") {
            let connection = try RemoteConnection(remote, project: self, jobs: options.jobs)
            defer { connection.close() }
            var objects = try ObjectSet(group, manifest: cachedManifest)
            if options.runCache { try addRunCache(to: &objects) }
            try push(objects, runEntries: options.runCache ? try localRunEntries() : [], to: connection,
                     verify: options.verify, observer: observer, outcome: &outcome)
        }
        return outcome
    }

    private func push(_ objects: ObjectSet, runEntries: [String], to connection: RemoteConnection, verify: Bool,
                      observer: (any TransferObserver)?, outcome: inout PushOutcome) throws {
        let wanted = objects.all
        let unknown = verify ? wanted : wanted.filter { !connection.index.contains($0.key) }
        let unknownRuns = verify ? runEntries : runEntries.filter { !connection.index.contains($0) }
        if unknown.isEmpty && unknownRuns.isEmpty { return }

        let present = try connection.store.existingKeys(unknown.map(\.key) + unknownRuns, jobs: connection.jobs)
        connection.index.insert(present)
        if verify { connection.index.remove(wanted.map(\.key).filter { !present.contains($0) }) }
        let absent = unknown.filter { !present.contains($0.key) }
        let missingLocally = Set(try cache.missing(absent.map(\.hash)))
        outcome.missing += absent.filter { missingLocally.contains($0.hash) }.map(\.hash.id.description)
        var sendable = absent.filter { !missingLocally.contains($0.hash) }
        if !missingLocally.isEmpty {
            // A manifest on the remote promises all its files: hold it back while any of them is nowhere to send.
            let incomplete = try Set(objects.directories.filter { directory in
                guard let listing = try cachedManifest(directory.hash) else { return false }
                return listing.entries.contains { missingLocally.contains(HashInfo($0.id, kind: directory.hash.kind)) }
            }.map(\.hash))
            sendable.removeAll { incomplete.contains($0.hash) }
        }
        let runs = unknownRuns.filter { !present.contains($0) }

        let uploads = sendable.map { Upload(key: $0.key, path: cache.path(of: $0.hash), md5: $0.hash.kind == .md5 ? $0.hash.id.hex : nil) }
            + runs.map { Upload(key: $0, path: cache.root + "/" + $0, md5: nil) }
        if uploads.isEmpty { return }
        // Sizes only for a progress bar: a stat per object is not free on 100,000 objects.
        let totalBytes = observer == nil ? 0 : uploads.reduce(Int64(0)) { $0 + fileSize($1.path) }
        observer?.transferStarted(label: "push", files: uploads.count, bytes: totalBytes)
        defer { observer?.transferEnded() }

        // Files before manifests, manifests before run-cache entries (which name outputs by those hashes).
        let phases = [uploads.filter { !$0.key.hasSuffix(".dir") && !$0.key.hasPrefix(RemoteLayout.runsPrefix) },
                      uploads.filter { $0.key.hasSuffix(".dir") },
                      uploads.filter { $0.key.hasPrefix(RemoteLayout.runsPrefix) }]
        let store = connection.store
        var failures: [(item: Upload, error: RemoteError)] = []
        for phase in phases where failures.isEmpty {
            failures = TransferPool.run(phase, jobs: connection.jobs) { upload throws(RemoteError) in
                defer { observer?.transferFinishedFile() }
                // A directory remote copies whatever the file holds; only a network store needs the size up front
                // (Content-Length, multipart), so 100,000 local uploads save a stat each.
                let size = store is LocalStore ? 0 : fileSize(upload.path)
                try store.upload(file: upload.path, size: size, md5: upload.md5, to: upload.key) {
                    observer?.transferMoved(bytes: $0)
                }
            }
            let failed = Set(failures.map(\.item.key))
            let done = phase.map(\.key).filter { !failed.contains($0) }
            connection.index.insert(done)
            outcome.pushed += done.count
        }
        if let first = failures.first {
            throw transferFailure(first.error, failed: failures.count, total: uploads.count, verb: "upload", command: "push")
        }
    }

    /// The run-cache entries in the local cache, as keys (`runs/kk/key/value`).
    func localRunEntries() throws -> [String] {
        try LocalStore(root: cache.root).listKeys(prefix: RemoteLayout.runsPrefix).sorted()
    }

    /// Adds the objects that the local run-cache entries name.
    private func addRunCache(to objects: inout ObjectSet) throws {
        var outputs: [UsedOutput] = []
        for key in try localRunEntries() {
            let text = String(decoding: try FileSystem.readFile(cache.root + "/" + key), as: UTF8.self)
            let entry = try RunCache.parse(text, path: key)
            for out in entry.outs { if let hash = out.hash { outputs.append(UsedOutput(path: out.path, hash: hash, remote: nil, push: true)) } }
        }
        let extra = try ObjectSet(outputs, manifest: cachedManifest)
        let known = Set(objects.all.map(\.hash))
        objects.files += extra.files.filter { !known.contains($0.hash) }
        objects.directories += extra.directories.filter { !known.contains($0.hash) }
    }

    /// One error line for a transfer that did not complete, naming how much failed and what to do.
    func transferFailure(_ error: RemoteError, failed: Int, total: Int, verb: String, command: String) -> EngineError {
        if error.stopsEverything { return EngineError(error.description) }
        let count = failed == 1 ? "1 file" : "\(failed) files"
        return EngineError("failed to \(command) data \(command == "push" ? "to" : "from") the cloud - \(count) of \(total) failed to \(verb): \(error)",
                           hint: "What was transferred is kept; run `cairn \(command)` again to finish.")
    }
}

/// A file's size, 0 when it cannot be read (the transfer itself then reports why).
func fileSize(_ path: String) -> Int64 {
    guard let stat = try? FileSystem.stat(path) else { return 0 }
    return Int64(stat.size)
}

/// One object to upload.
struct Upload: Sendable {
    var key: String
    var path: String
    var md5: String?
}
