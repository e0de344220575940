import CairnCore
import CairnStorage

/// Looks at tracked paths in the workspace: walks directories (honouring `.dvcignore`), hashes files on all
/// cores through the state cache (unchanged files are never read again), stores objects, places them back.
final class WorkspaceScanner {
    let project: Project
    private let ignore: DvcIgnoreRules
    private var manifests: [HashInfo: DirManifest] = [:]
    // Computed once per run: objects stored during the run change shard mtimes, which only costs a re-check.
    private var shardDigests: [HashKind: DirectoryDigest] = [:]

    init(project: Project, ignore: DvcIgnoreRules) {
        self.project = project
        self.ignore = ignore
    }

    private var hasher: ParallelHasher { ParallelHasher(threads: ActiveCores.count, state: project.state) }
    private var cache: ObjectCache { project.cache }

    /// The current content at a repo-relative path, hashed with `kind` (legacy outputs use md5-dos2unix).
    func observe(_ path: String, kind: HashKind = .md5) throws -> Observation {
        try look(at: path, kind: kind, store: nil)
    }

    /// Observes a stage dependency: only its hash matters, so an unchanged directory is known from the state
    /// cache even though its manifest is not in the object cache (dependencies are not cached).
    func observeDependency(_ path: String, kind: HashKind = .md5) throws -> Observation {
        try look(at: path, kind: kind, store: nil, hashOnly: true)
    }

    /// Observes a path and stores every file (and a directory's manifest) in the cache in the same read,
    /// bringing files in per the preferred link type (hardlink and symlink leave the workspace linked).
    func ingest(_ path: String, linkTypes: [LinkType]) throws -> Observation {
        let mode: InsertMode
        switch linkTypes.first ?? .copy {
        case .reflink: mode = .reflink
        case .hardlink: mode = .hardlink
        case .symlink, .copy: mode = .copy
        }
        let observation = try look(at: path, kind: .md5, store: mode)
        if linkTypes.first == .symlink {
            try materialize(observation, at: path, linkTypes: linkTypes)
        }
        return observation
    }

    private func look(at path: String, kind: HashKind, store: InsertMode?, hashOnly: Bool = false) throws -> Observation {
        let absolute = project.absolute(path)
        guard let linkStat = try FileSystem.lstat(absolute) else { return .missing }
        guard let stat = linkStat.kind == .symlink ? try FileSystem.stat(absolute) : linkStat else {
            return .missing  // a dangling symlink holds no data
        }
        switch stat.kind {
        case .file:
            let request = HashRequest(path: absolute, key: path, stat: stat, kind: kind)
            let hashed = try store.map { try hasher.hashAndStore([request], into: cache, mode: $0) }
                ?? hasher.hash([request])
            return Observation(content: .file(hashed[0].id, size: hashed[0].size, isExecutable: stat.isExecutable),
                               manifest: nil, kind: kind)
        case .directory:
            return try lookAtDirectory(path, kind: kind, store: store, hashOnly: hashOnly)
        default:
            throw EngineError("'\(path)' is neither a file nor a directory", hint: "cairn tracks regular files and directories only.")
        }
    }

    private func lookAtDirectory(_ path: String, kind: HashKind, store: InsertMode?, hashOnly: Bool) throws -> Observation {
        let matcher = try ignore.matcher(covering: path)
        let walked = try WorkspaceWalker.walk(project.absolute(path), prefix: path, ignore: Self.predicate(matcher))
        if let nested = walked.files.first(where: { RepoPath.name($0.path) == ".dvcignore" }) {
            throw EngineError(".dvcignore file should not be in collected dir path: '\(project.absolute(path))'",
                              hint: "Move the patterns of '\(nested.path)' into a .dvcignore above '\(path)'.")
        }
        let digest = DirectoryDigest(files: walked.files)
        // Unchanged directory whose manifest is cached: nothing needs hashing (nor storing, once every
        // object is confirmed present — objects may have been deleted from the cache since). The manifest
        // itself is only parsed if a caller needs the file list.
        if let known = project.state.lookupDirectory(path, digest: digest),
           hashOnly || cache.contains(HashInfo(known.id, kind: kind)),
           try store == nil || objectsPresent(HashInfo(known.id, kind: kind)) {
            return Observation(content: .directory(known.id, size: known.size, fileCount: known.fileCount),
                               manifest: nil, kind: kind)
        }
        let requests = walked.files.map { HashRequest($0, repoRoot: project.root, kind: kind) }
        let hashed = try store.map { try hasher.hashAndStore(requests, into: cache, mode: $0) } ?? hasher.hash(requests)
        var entries: [DirManifest.Entry] = []
        entries.reserveCapacity(hashed.count)
        var size = 0
        for (file, result) in zip(walked.files, hashed) {
            entries.append(.init(relpath: String(file.relativePath), id: result.id))
            size += result.size
        }
        let manifest = DirManifest(entries: entries)
        // Storing names the manifest by its hash: serialising and hashing 100,000 entries once, not twice.
        let stored = store != nil ? try cache.insert(manifest: manifest) : nil
        let id = kind == .md5 ? stored ?? manifest.id : manifest.id
        if store != nil || hashOnly || cache.contains(HashInfo(id, kind: kind)) {
            if store != nil {
                // Every object was just stored: remember that, so the next status need not check them one by one.
                shardDigests[kind] = nil
                try rememberObjectsPresent(HashInfo(id, kind: kind), fileCount: entries.count)
            }
            project.state.recordDirectory(path, digest: digest,
                                          state: DirectoryState(id: id, size: size, fileCount: entries.count))
        }
        manifests[HashInfo(id, kind: kind)] = manifest
        return Observation(content: .directory(id, size: size, fileCount: entries.count), manifest: manifest,
                           kind: kind)
    }

    /// A directory observation's manifest (read from the cache when the observation came from the state cache);
    /// nil when the observation is not a directory.
    func workspaceManifest(_ observation: Observation) throws -> DirManifest? {
        if let manifest = observation.manifest { return manifest }
        guard case .directory(let id, _, _) = observation.content else { return nil }
        return try manifest(HashInfo(id, kind: observation.kind))
    }

    /// The walker's per-entry ignore check: the walker never enters an ignored directory, so each entry is
    /// matched by name in its directory; without any `.dvcignore` patterns only DVC's built-in names count.
    static func predicate(_ matcher: IgnoreMatcher) -> WorkspaceWalker.IgnorePredicate {
        if matcher.isEmpty {
            return { _, name, isDirectory in
                name == ".git" || (isDirectory && (name == ".dvc" || name == ".hg"))
            }
        }
        return { path, name, isDirectory in
            matcher.isIgnored(name: name, inDirectory: RepoPath.parent(path), isDirectory: isDirectory)
        }
    }

    /// Whether the recorded object (for a directory: its manifest and every listed file) is in the cache.
    /// A full check of a directory is remembered against the modification times of the cache's shard
    /// directories (removing an object changes its shard's mtime), so an unchanged cache costs 256 stats,
    /// not one per file.
    func objectsPresent(_ recorded: HashInfo) throws -> Bool {
        guard cache.contains(recorded) else { return false }
        guard recorded.id.isDirectory else { return true }
        let shards = try shardDigest(kind: recorded.kind)
        if let known = project.state.lookupDirectory(Self.presenceKey(recorded), digest: shards),
           known.id == recorded.id {
            return true
        }
        let manifest = try self.manifest(recorded)
        let present = try cache.missing(manifest.entries.map { HashInfo($0.id, kind: recorded.kind) }).isEmpty
        if present { try rememberObjectsPresent(recorded, fileCount: manifest.entries.count) }
        return present
    }

    /// Records that every object of a directory is in the cache, against the current shard mtimes.
    private func rememberObjectsPresent(_ directory: HashInfo, fileCount: Int) throws {
        project.state.recordDirectory(Self.presenceKey(directory), digest: try shardDigest(kind: directory.kind),
                                      state: DirectoryState(id: directory.id, size: 0, fileCount: fileCount))
    }

    /// The state-cache key under which a directory's object presence is remembered (cannot clash with a path).
    private static func presenceKey(_ directory: HashInfo) -> String {
        "\u{0}objects-present:" + directory.description
    }

    /// A digest of the cache shard directories' stats (`files/md5/00` … `ff`, or the legacy root's).
    private func shardDigest(kind: HashKind) throws -> DirectoryDigest {
        if let known = shardDigests[kind] { return known }
        let root = kind == .md5 ? cache.md5Root : cache.root
        var shards: [WalkedFile] = []
        shards.reserveCapacity(256)
        for value in 0..<256 {
            let name = value < 16 ? "0" + String(value, radix: 16) : String(value, radix: 16)
            if let stat = try FileSystem.stat(root + "/" + name) { shards.append(WalkedFile(path: name, stat: stat)) }
        }
        var digest = DirectoryDigest(files: shards)
        // Not subject to the state cache's racy window (which would drop the memo `add` records right after writing
        // into the shards): objects are only written under the repo lock, so the risk is another tool deleting an
        // object within the same timestamp tick as cairn's last write — the next change to that shard reveals it.
        digest.newestMtime = 0
        shardDigests[kind] = digest
        return digest
    }

    /// Whether one object is in the cache.
    func contains(_ hash: HashInfo) -> Bool { cache.contains(hash) }

    /// A directory manifest from the cache (parsed once per run).
    func manifest(_ hash: HashInfo) throws -> DirManifest {
        if let known = manifests[hash] { return known }
        let manifest = try cache.readManifest(hash)
        manifests[hash] = manifest
        return manifest
    }

    /// A directory manifest if its object is in the cache, else nil.
    func manifestIfCached(_ hash: HashInfo) throws -> DirManifest? {
        guard hash.id.isDirectory else { return nil }
        if let known = manifests[hash] { return known }
        guard cache.contains(hash) else { return nil }
        return try manifest(hash)
    }

    /// Places objects at workspace paths on all cores, recording the results in the state cache.
    func place(_ placements: [Placement], linkTypes: [LinkType]) throws {
        guard !placements.isEmpty else { return }
        var directories = Set<String>()
        for placement in placements { directories.insert(RepoPath.parent(placement.path)) }
        for directory in directories.sorted(by: { $0.utf8.count < $1.utf8.count }) where !directory.isEmpty {
            if !FileSystem.isDirectory(project.absolute(directory)) {
                try FileSystem.makeDirectories(project.absolute(directory))
            }
        }
        let results = ConcurrentResults<PlacedObject>(count: placements.count)
        let cache = self.cache
        let root = project.root
        // Links expose the object itself, so they trust only read-only (0444) objects, as DVC does; one whose mode
        // changed (say, through a hard link) is re-hashed first and made read-only again if its bytes still match.
        let links = linkTypes.first == .hardlink || linkTypes.first == .symlink
        try results.fill(workers: ActiveCores.count) { index in
            let placement = placements[index]
            if links && !cache.isTrusted(placement.hash) {
                try Self.reprotect(placement.hash, cache: cache)
            }
            return try cache.materialize(placement.hash, at: root + "/" + placement.path, linkTypes: linkTypes,
                                         executable: placement.executable)
        }
        let state = project.state
        for (placement, placed) in zip(placements, results.values) {
            state.record(placement.path, stat: placed.stat, id: placement.hash.id, kind: placement.hash.kind)
        }
    }

    /// Re-hashes an object that lost its read-only mode; restores 0444 when intact, else reports the corruption.
    private static func reprotect(_ hash: HashInfo, cache: ObjectCache) throws {
        let path = cache.path(of: hash)
        guard try FileSystem.lstat(path) != nil else { return }  // missing: materialize reports it
        let actual = try FileHasher.hash(path: path, kind: hash.kind).id
        guard actual.hex == hash.id.hex else {
            throw EngineError("cache object \(path) is corrupt: its content hashes to \(actual), not \(hash.id)",
                              hint: "Remove it and restore it from the original data (`cairn add`/`cairn commit`) or a remote (`cairn fetch`).")
        }
        try FileSystem.setMode(path, ObjectCache.objectMode)
    }

    /// Replaces what was observed at `path` with objects from the cache (a symlinked target after `add`, or a
    /// workspace re-linked per `cache.type`).
    func materialize(_ observation: Observation, at path: String, linkTypes: [LinkType]) throws {
        switch observation.content {
        case .missing:
            return
        case .file(let id, _, let isExecutable):
            if (try FileSystem.lstat(project.absolute(path)))?.kind == .symlink {
                _ = try FileSystem.removeFile(project.absolute(path))
            }
            try place([Placement(hash: HashInfo(id), path: path, executable: isExecutable)], linkTypes: linkTypes)
        case .directory:
            let entries = try workspaceManifest(observation)?.entries ?? []
            if (try FileSystem.lstat(project.absolute(path)))?.kind == .symlink {
                _ = try FileSystem.removeFile(project.absolute(path))
            }
            try place(entries.map { Placement(hash: HashInfo($0.id), path: path + "/" + $0.relpath, executable: false) },
                      linkTypes: linkTypes)
        }
    }
}
