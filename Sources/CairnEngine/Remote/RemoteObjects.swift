import CairnCore
import CairnRemote
import CairnStorage

/// One object a remote command moves or compares, with the workspace path it stands for.
struct RemoteObject: Sendable {
    /// The object.
    var hash: HashInfo
    /// The output path, or `output/relpath` for a file of a directory.
    var path: String
    /// The object's key on the remote.
    var key: String { RemoteLayout.key(for: hash) }
}

/// The objects behind some outputs: the files (those listed by directory manifests included) and the manifests
/// themselves, kept apart because a manifest goes to a remote only after every file it lists.
struct ObjectSet {
    /// Plain files, each once.
    var files: [RemoteObject] = []
    /// Directory manifests, each once.
    var directories: [RemoteObject] = []
    /// Directory manifests that could not be read, so their files are unknown.
    var unexpanded: [RemoteObject] = []
    private var seen = Set<HashInfo>()

    /// Collects the objects of `outputs`; `manifest` reads a directory's manifest, nil when it is not available.
    init(_ outputs: [UsedOutput], manifest: (HashInfo) throws -> DirManifest?) rethrows {
        for output in outputs {
            let object = RemoteObject(hash: output.hash, path: output.path)
            guard output.hash.id.isDirectory else {
                insert(object, into: \.files)
                continue
            }
            insert(object, into: \.directories)
            guard let listing = try manifest(output.hash) else {
                unexpanded.append(object)
                continue
            }
            for entry in listing.entries {
                insert(RemoteObject(hash: HashInfo(entry.id, kind: output.hash.kind), path: output.path + "/" + entry.relpath),
                       into: \.files)
            }
        }
    }

    private mutating func insert(_ object: RemoteObject, into list: WritableKeyPath<ObjectSet, [RemoteObject]>) {
        if seen.insert(object.hash).inserted { self[keyPath: list].append(object) }
    }

    /// Files, then manifests.
    var all: [RemoteObject] { files + directories }
}

extension Project {
    /// Outputs grouped by the remote that serves them: an output's own `remote:` first, then `-r`, then
    /// `core.remote`. Each remote is resolved once (an unknown name fails before anything moves).
    func outputsByRemote(_ outputs: [UsedOutput], remote: String?, command: String) throws -> [(remote: ResolvedRemote, outputs: [UsedOutput])] {
        var order: [String] = []
        var grouped: [String: (remote: ResolvedRemote, outputs: [UsedOutput])] = [:]
        for output in outputs {
            let resolved = try resolveRemote(output.remote ?? remote, command: command)
            if grouped[resolved.name] == nil {
                order.append(resolved.name)
                grouped[resolved.name] = (resolved, [])
            }
            grouped[resolved.name]!.outputs.append(output)
        }
        if order.isEmpty { return [(try resolveRemote(remote, command: command), [])] }
        return order.map { grouped[$0]! }
    }

    /// A directory's manifest from the cache, nil when the cache lacks it.
    func cachedManifest(_ hash: HashInfo) throws -> DirManifest? {
        guard cache.contains(hash) else { return nil }
        return try cache.readManifest(hash)
    }
}
