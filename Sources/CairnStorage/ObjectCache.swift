import CairnCore
import Glibc
import Synchronization

/// How `ObjectCache.insertFile` brings a workspace file into the cache.
public enum InsertMode: String, Sendable, Hashable, CaseIterable {
    /// Copy while hashing (read once) into an unnamed file that gets the hash name; the workspace file is untouched.
    case copy
    /// Hash (or trust a known hash), hard-link the file into the cache; the shared inode becomes 0444.
    case hardlink
    /// Hash (or trust a known hash), rename the file into the cache; the workspace path is gone afterwards.
    case move
    /// Clone (FICLONE), hash the clone, name it; falls back to `copy` where cloning is unsupported (remembered).
    case reflink
}

/// What `ObjectCache.insertFile` did.
public struct InsertedFile: Sendable, Hashable {
    /// The object id (the file's hash).
    public var id: ObjectID
    /// The file's size.
    public var size: Int
    /// The stat of the source file that the id belongs to (before it was moved or linked).
    public var stat: FileStat
    /// The mode actually used (a fallback may differ from the one asked for); nil when the object was
    /// already present and nothing was written.
    public var mode: InsertMode?
}

/// How `ObjectCache.materialize` placed an object.
public struct PlacedObject: Sendable, Hashable {
    /// The link type that worked.
    public var linkType: LinkType
    /// Stat of the placed workspace path, following a symlink (the stat a state cache entry is keyed on).
    public var stat: FileStat
}

/// The content-addressed cache (`.dvc/cache`): layout, atomic inserts, link types, verification, enumeration.
/// Invariant: a file under an object name always has bytes hashing to that name; writes go to
/// unnamed `O_TMPFILE` files or `.cairn-…tmp` names that enumeration skips.
public final class ObjectCache: Sendable {
    /// Mode of every object file.
    public static let objectMode: UInt32 = 0o444
    /// Mode of cache directories with `cache.shared = group`.
    public static let sharedDirectoryMode: UInt32 = 0o2775

    /// The cache root, absolute (e.g. `<repo>/.dvc/cache`).
    public let root: String
    /// `cache.shared = group`: directories 02775.
    public let sharedGroup: Bool
    /// `<root>/files/md5`, the DVC 3 object root.
    public let md5Root: String

    /// A cache at `root` (made absolute against the working directory). Nothing is created until written.
    public init(root: String, sharedGroup: Bool = false) {
        var absolute = (try? FileSystem.absolutePath(root)) ?? root
        while absolute.count > 1 && absolute.hasSuffix("/") { absolute.removeLast() }
        self.root = absolute
        self.sharedGroup = sharedGroup
        md5Root = joinPath(joinPath(absolute, "files"), "md5")
    }

    deinit {
        let fd = md5RootDescriptor.load(ordering: .acquiring)
        if fd >= 0 { closeQuietly(fd) }
    }

    /// The md5 object root, opened on first use (once it exists). Object names resolved against it walk two
    /// path components instead of the whole cache path: at 100,000 links per `add`, the kernel's path walk
    /// of the absolute name was a measurable share of the time.
    private let md5RootDescriptor = Atomic<Int32>(-1)

    /// A descriptor of `md5Root`, or nil while that directory does not exist (or cannot be opened).
    func md5RootDirectory() -> Int32? {
        let current = md5RootDescriptor.load(ordering: .acquiring)
        if current >= 0 { return current }
        let fd = open(md5Root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { return nil }
        let (exchanged, winner) = md5RootDescriptor.compareExchange(expected: -1, desired: fd,
                                                                     ordering: .acquiringAndReleasing)
        if exchanged { return fd }
        closeQuietly(fd)
        return winner
    }

    /// Runs `relative` on the object's name under the md5 root's descriptor, or `absolute` on its full path.
    /// A relative ENOENT is a real miss unless the directory the descriptor names was removed (the cache was
    /// replaced since it was opened): then the descriptor is dropped and the full path used.
    private func resolvingObject(_ hash: HashInfo, relative: (Int32, String) -> Int32,
                                 absolute: () -> Int32) -> Int32 {
        guard hash.kind == .md5, let root = md5RootDirectory() else { return absolute() }
        let result = relative(root, hash.id.shardedPath)
        if result >= 0 || errno != ENOENT { return result }
        var own = Glibc.stat()
        guard fstat(root, &own) == 0, own.st_nlink == 0 else {
            errno = ENOENT
            return result
        }
        // Not closed: another thread may be using it. One descriptor per replaced cache is left open.
        _ = md5RootDescriptor.compareExchange(expected: root, desired: -1, ordering: .acquiringAndReleasing)
        return absolute()
    }

    /// Opens the object of `hash` (at `path`) read-only; a descriptor, or -1 with `errno` set.
    func openObject(_ hash: HashInfo, path: String) -> Int32 {
        resolvingObject(hash, relative: { openat($0, $1, O_RDONLY | O_CLOEXEC) },
                        absolute: { open(path, O_RDONLY | O_CLOEXEC) })
    }

    /// Hard-links the object of `hash` (at `path`) to `destination` (never replacing); 0 or -1 with `errno` set.
    func linkFromObject(_ hash: HashInfo, path: String, to destination: String) -> Int32 {
        resolvingObject(hash, relative: { linkat($0, $1, AT_FDCWD, destination, 0) },
                        absolute: { link(path, destination) })
    }

    /// Hard-links the open file `fd` to the object name of `hash` (never replacing); 0 or -1 with `errno` set.
    func linkObject(descriptor fd: Int32, as hash: HashInfo) -> Int32 {
        resolvingObject(hash, relative: { StagedFile.link(descriptor: fd, to: $1, in: $0) },
                        absolute: { StagedFile.link(descriptor: fd, to: path(of: hash)) })
    }

    /// Set after the first clone that failed because these file systems cannot clone at all: later files (and
    /// checkouts) copy at once instead of staging a file for a clone that is bound to fail.
    let reflinkUnsupported = Atomic<Bool>(false)
    /// Set when the cache's file system has no `O_TMPFILE`: objects are then staged under temp names.
    let unnamedUnsupported = Atomic<Bool>(false)
    /// The same for the workspace side of `materialize` (possibly another file system).
    let workspaceUnnamedUnsupported = Atomic<Bool>(false)

    var directoryMode: UInt32? { sharedGroup ? ObjectCache.sharedDirectoryMode : nil }

    // MARK: - Layout

    /// The object's path: md5 → `<root>/files/md5/ab/cdef…[.dir]`; legacy md5-dos2unix → `<root>/ab/cdef…[.dir]`.
    public func path(of hash: HashInfo) -> String {
        joinPath(objectRoot(for: hash.kind), hash.id.shardedPath)
    }

    /// The path of a DVC 3 (md5) object.
    public func path(of id: ObjectID) -> String {
        path(of: HashInfo(id))
    }

    func objectRoot(for kind: HashKind) -> String {
        kind == .md5 ? md5Root : root
    }

    func shardDirectory(of hash: HashInfo) -> String {
        let hex = hash.id.hex
        return joinPath(objectRoot(for: hash.kind), String(hex.prefix(2)))
    }

    /// Whether the object exists as a regular file.
    public func contains(_ hash: HashInfo) -> Bool {
        var raw = Glibc.stat()
        let found = resolvingObject(hash, relative: { fstatat($0, $1, &raw, 0) },
                                    absolute: { systemStat(path(of: hash), &raw) })
        return found == 0 && UInt32(raw.st_mode) & UInt32(S_IFMT) == UInt32(S_IFREG)
    }

    /// Whether a DVC 3 object exists.
    public func contains(_ id: ObjectID) -> Bool {
        contains(HashInfo(id))
    }

    /// The hashes among `hashes` whose objects are not in the cache as regular files, in input order. Many
    /// hashes are checked by listing their shard directories (a few getdents calls per shard) instead of one
    /// stat per object.
    public func missing(_ hashes: [HashInfo]) throws(StorageError) -> [HashInfo] {
        if hashes.count < 2_048 { return hashes.filter { !contains($0) } }
        var shards: [String: (kind: HashKind, name: String)] = [:]
        for hash in hashes {
            let directory = shardDirectory(of: hash)
            if shards[directory] == nil { shards[directory] = (hash.kind, String(hash.id.hex.prefix(2))) }
        }
        var present = Set<HashInfo>()
        present.reserveCapacity(hashes.count)
        for (directory, shard) in shards {
            let entries: [DirectoryEntry]
            do {
                entries = try FileSystem.listDirectory(directory)
            } catch where error.isNotFound || error.errno == ENOTDIR {
                continue
            }
            for entry in entries {
                guard let id = ObjectCache.objectID(shard: shard.name, name: entry.name) else { continue }
                let hash = HashInfo(id, kind: shard.kind)
                // A symlinked object counts when it leads to a regular file, as with `contains`.
                if entry.kind == .file || (entry.kind == .symlink && contains(hash)) { present.insert(hash) }
            }
        }
        return hashes.filter { !present.contains($0) }
    }

    /// Whether DVC trusts the file without re-hashing: a regular file with mode exactly 0444.
    public static func isTrusted(path: String) -> Bool {
        guard let stat = try? FileSystem.lstat(path) else { return false }
        return stat.kind == .file && stat.mode == objectMode
    }

    /// Whether the object exists and is trusted (mode 0444).
    public func isTrusted(_ hash: HashInfo) -> Bool {
        ObjectCache.isTrusted(path: path(of: hash))
    }

    // MARK: - Inserting

    /// Stores bytes (a `.dir` manifest when `isDirectory`) under their md5; returns the id. Present objects are kept.
    @discardableResult
    public func insert(bytes: [UInt8], isDirectory: Bool, kind: HashKind = .md5) throws(StorageError) -> ObjectID {
        let id = FileHasher.hash(bytes: bytes, kind: kind, isDirectory: isDirectory)
        let hash = HashInfo(id, kind: kind)
        if contains(hash) { return id }
        var failure: StorageError?
        bytes.withUnsafeBytes { raw in
            do throws(StorageError) {
                try storeObject(raw, as: hash)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return id
    }

    /// Stores a directory manifest; returns its `.dir` id.
    @discardableResult
    public func insert(manifest: DirManifest) throws(StorageError) -> ObjectID {
        try insert(bytes: manifest.serialized(), isDirectory: true)
    }

    /// Brings a workspace file into the cache. `known` is a hash from the state cache for the file's current stat:
    /// when that object is already present nothing is read; hardlink/move then trust it instead of re-reading.
    /// `stat` is the file's stat taken before (by the walk), which saves an `fstat`. A copy always hashes the
    /// bytes it writes, so the stored object matches its name whatever `known` says. Each file is read once;
    /// one of at most 1 MiB is hashed first and written only when its object is missing.
    public func insertFile(at path: String, mode: InsertMode = .copy, kind: HashKind = .md5, known: ObjectID? = nil,
                           stat: FileStat? = nil, buffer: ChunkBuffer? = nil) throws(StorageError) -> InsertedFile {
        if let known, contains(HashInfo(known, kind: kind)) {
            guard let current = try ObjectCache.given(stat, orStatOf: path) else {
                throw StorageError(operation: "add", path: path, errno: ENOENT)
            }
            return InsertedFile(id: known, size: current.size, stat: current, mode: nil)
        }
        let buffer = buffer ?? .forCurrentThread()
        let stat = stat?.kind == .file ? stat : nil
        switch mode {
        case .copy, .reflink:
            return try insertByCopy(path, kind: kind, stat: stat, buffer: buffer, clone: mode == .reflink)
        case .hardlink where StagedFile.canNameUnnamedFiles:
            if let linked = try insertByHardLink(path, kind: kind, known: known, stat: stat, buffer: buffer) {
                return linked
            }
        case .hardlink, .move:
            let digest: FileDigest
            if let known, let current = try ObjectCache.given(stat, orStatOf: path) {
                digest = FileDigest(id: known, size: current.size, stat: current)
            } else {
                digest = try FileHasher.hash(path: path, kind: kind, buffer: buffer, stat: stat)
            }
            let hash = HashInfo(digest.id, kind: kind)
            if contains(hash) {
                return InsertedFile(id: digest.id, size: digest.size, stat: digest.stat, mode: nil)
            }
            if let linked = try insertByLinking(path, digest: digest, hash: hash, move: mode == .move) {
                return linked
            }
        }
        // Another device (or no hard links here): fall back to a copy, then remove the source for a move.
        var copied = try insertByCopy(path, kind: kind, stat: stat, buffer: buffer, clone: false)
        if mode == .move { try FileSystem.removeFile(path) }
        if copied.mode != nil { copied.mode = .copy }
        return copied
    }

    /// Copies (or clones) a file into the cache, reading it once.
    private func insertByCopy(_ path: String, kind: HashKind, stat known: FileStat?, buffer: ChunkBuffer,
                              clone: Bool) throws(StorageError) -> InsertedFile {
        let input = try FileHasher.openRegularFile(path)
        defer { closeQuietly(input) }
        let stat = try ObjectCache.given(known, or: input, path: path)
        if clone, !reflinkUnsupported.load(ordering: .relaxed),
           let cloned = try insertByClone(input, path: path, stat: stat, kind: kind, buffer: buffer) {
            return cloned
        }
        let base = buffer.storage.baseAddress!
        var (filled, atEnd) = try FileHasher.readChunk(fd: input, path: path, buffer: buffer, remaining: stat.size)
        if atEnd && kind == .md5 {
            // The whole file is in the buffer: hash it, and write only a missing object, straight into its shard.
            let bytes = UnsafeMutableRawBufferPointer(start: base, count: filled)
            var digest = StreamDigest(kind: kind)
            digest.consume(bytes)
            let hash = HashInfo(digest.finish(isDirectory: false), kind: kind)
            if contains(hash) { return InsertedFile(id: hash.id, size: filled, stat: stat, mode: nil) }
            try storeObject(UnsafeRawBufferPointer(bytes), as: hash)
            return InsertedFile(id: hash.id, size: filled, stat: stat, mode: .copy)
        }
        // Larger than a chunk (or legacy dos2unix, whose hashing rewrites the chunk): stream into a file staged in
        // the object root, hashing as it goes, and name it once the hash is known.
        let staged = try stage(in: objectRoot(for: kind))
        if kind == .md5 && stat.size >= PipelinedCopy.threshold {
            let copied: (id: ObjectID, size: Int)
            do throws(StorageError) {
                copied = try PipelinedCopy.run(
                    input: input, inputPath: path, output: staged.fd,
                    outputPath: staged.temporaryPath ?? staged.directory, expectedSize: stat.size,
                    first: UnsafeRawBufferPointer(start: base, count: filled))
            } catch {
                staged.discard()
                throw error
            }
            try finishObject(staged, as: HashInfo(copied.id, kind: kind))
            return InsertedFile(id: copied.id, size: copied.size, stat: stat, mode: .copy)
        }
        var digest = StreamDigest(kind: kind)
        var total = 0
        do throws(StorageError) {
            while true {
                if filled > 0 {
                    let chunk = UnsafeMutableRawBufferPointer(start: base, count: filled)
                    let code = FileSystem.writeAll(staged.fd, UnsafeRawBufferPointer(chunk))
                    if code != 0 {
                        throw StorageError(operation: "write", path: staged.temporaryPath ?? staged.directory,
                                           errno: code)
                    }
                    // After the write: dos2unix may rewrite the chunk in place.
                    digest.consume(chunk)
                    total += filled
                }
                if atEnd { break }
                (filled, atEnd) = try FileHasher.readChunk(fd: input, path: path, buffer: buffer,
                                                           remaining: stat.size - total)
            }
        } catch {
            staged.discard()
            throw error
        }
        let id = digest.finish(isDirectory: false)
        try finishObject(staged, as: HashInfo(id, kind: kind))
        return InsertedFile(id: id, size: total, stat: stat, mode: .copy)
    }

    /// Clones into a staged file and hashes the clone (a snapshot, so a concurrent writer cannot make the object
    /// differ from its name); nil when the file systems cannot clone, remembered when that holds for every file.
    private func insertByClone(_ input: Int32, path: String, stat: FileStat, kind: HashKind,
                               buffer: ChunkBuffer) throws(StorageError) -> InsertedFile? {
        let staged = try stage(in: objectRoot(for: kind), readable: true)
        if !Reflink.clone(from: input, to: staged.fd) {
            let code = errno
            staged.discard()
            if Reflink.isUnsupportedHere(code) { reflinkUnsupported.store(true, ordering: .relaxed) }
            return nil
        }
        let digest: FileDigest
        do throws(StorageError) {
            digest = try FileHasher.hash(fd: staged.fd, path: path, kind: kind, buffer: buffer, stat: stat)
        } catch {
            staged.discard()
            throw error
        }
        try finishObject(staged, as: HashInfo(digest.id, kind: kind))
        return InsertedFile(id: digest.id, size: digest.size, stat: stat, mode: .reflink)
    }

    /// Hard-links the very inode that was hashed (through its descriptor) to the object name, after making it
    /// read-only and checking it did not change since its stat. Nil when hard links are impossible here.
    private func insertByHardLink(_ path: String, kind: HashKind, known: ObjectID?, stat: FileStat?,
                                  buffer: ChunkBuffer) throws(StorageError) -> InsertedFile? {
        let fd = try FileHasher.openRegularFile(path)
        defer { closeQuietly(fd) }
        let before = try ObjectCache.given(stat, or: fd, path: path)
        let digest: FileDigest
        if let known {
            digest = FileDigest(id: known, size: before.size, stat: before)
        } else {
            digest = try FileHasher.hash(fd: fd, path: path, kind: kind, buffer: buffer, stat: before)
        }
        let hash = HashInfo(digest.id, kind: kind)
        // No presence check first: linking onto an existing object fails with EEXIST, handled below, which saves
        // a stat per file when (as usual) the object is new.
        // Read-only before it gets the object name, so the object never appears writable.
        if fchmod(fd, mode_t(ObjectCache.objectMode)) != 0 {
            throw StorageError(operation: "set the mode of", path: path, errno: errno)
        }
        let restore = { _ = fchmod(fd, mode_t(before.mode)) }
        var now = try FileHasher.fileStat(fd, path: path)
        guard now.inode == before.inode, now.device == before.device, now.size == digest.size,
              now.mtimeNanoseconds == before.mtimeNanoseconds
        else {
            restore()
            throw StorageError(operation: "add", path: path, reason: .invalidData,
                               message: "the file changed while it was being added",
                               hint: "wait until nothing writes to the file, then add it again")
        }
        var createdShard = false
        while linkObject(descriptor: fd, as: hash) != 0 {
            let code = errno
            switch code {
            case ENOENT where !createdShard:
                do throws(StorageError) {
                    try FileSystem.makeDirectories(shardDirectory(of: hash), mode: directoryMode)
                } catch {
                    restore()
                    throw error
                }
                createdShard = true
            case EEXIST:
                // The same object was stored meanwhile; this file stays a separate copy, as when it was present.
                restore()
                return InsertedFile(id: digest.id, size: digest.size, stat: before, mode: nil)
            case EXDEV, EPERM, EMLINK, EOPNOTSUPP, ENOSYS:
                restore()
                return nil
            default:
                restore()
                throw StorageError(operation: "hard-link into the cache", path: path, errno: code)
            }
        }
        now.linkCount += 1
        return InsertedFile(id: digest.id, size: digest.size, stat: now, mode: .hardlink)
    }

    /// Hard-links or renames the file to a temp name in its shard, checks it is still the file that was hashed,
    /// then publishes it. Nil when linking is impossible here (other device, no hard links). Used for moves, and
    /// for hard links where `/proc` cannot name a descriptor.
    private func insertByLinking(_ path: String, digest: FileDigest, hash: HashInfo,
                                 move: Bool) throws(StorageError) -> InsertedFile? {
        let shard = shardDirectory(of: hash)
        let temp = joinPath(shard, TemporaryName.make())
        var attempt = 0
        while true {
            let result = move ? Glibc.rename(path, temp) : link(path, temp)
            if result == 0 { break }
            let code = errno
            if code == ENOENT, attempt == 0, FileSystem.exists(path) {
                try FileSystem.makeDirectories(shard, mode: directoryMode)
                attempt += 1
                continue
            }
            if code == EXDEV || code == EPERM || code == EMLINK || code == EOPNOTSUPP || code == ENOSYS { return nil }
            throw StorageError(operation: move ? "move into the cache" : "hard-link into the cache", path: path,
                               errno: code)
        }
        guard let now = try? FileSystem.lstat(temp), now.inode == digest.stat.inode, now.size == digest.stat.size,
              now.mtimeNanoseconds == digest.stat.mtimeNanoseconds
        else {
            if move { _ = Glibc.rename(temp, path) } else { unlink(temp) }
            throw StorageError(operation: "add", path: path, reason: .invalidData,
                               message: "the file changed while it was being added",
                               hint: "wait until nothing writes to the file, then add it again")
        }
        do throws(StorageError) {
            try FileSystem.setMode(temp, ObjectCache.objectMode)
            try publish(temp, as: hash)
        } catch {
            if move { _ = Glibc.rename(temp, path) } else { unlink(temp) }
            throw error
        }
        // If the object appeared meanwhile as another link of this inode, rename(2) left the temp link in place.
        if !move { unlink(temp) }
        return InsertedFile(id: digest.id, size: digest.size, stat: digest.stat, mode: move ? .move : .hardlink)
    }

    /// Renames a finished temp file to its object name, creating the shard directory when needed.
    private func publish(_ temp: String, as hash: HashInfo) throws(StorageError) {
        let destination = path(of: hash)
        if Glibc.rename(temp, destination) == 0 { return }
        var code = errno
        if code == ENOENT {
            do throws(StorageError) {
                try FileSystem.makeDirectories(shardDirectory(of: hash), mode: directoryMode)
            } catch {
                unlink(temp)
                throw error
            }
            if Glibc.rename(temp, destination) == 0 { return }
            code = errno
        }
        unlink(temp)
        throw StorageError(operation: "store object", path: destination, errno: code)
    }

    /// `known`, else the stat of the path (nil when it is gone).
    private static func given(_ known: FileStat?, orStatOf path: String) throws(StorageError) -> FileStat? {
        if let known { return known }
        return try FileSystem.stat(path)
    }

    /// `known`, else the `fstat` of the open file (which must be a regular file).
    private static func given(_ known: FileStat?, or fd: Int32, path: String) throws(StorageError) -> FileStat {
        if let known { return known }
        return try FileHasher.fileStat(fd, path: path)
    }

    /// Writes `bytes` (whose hash is `hash`) as the object: staged in its shard directory, then named once
    /// complete. An object that appeared meanwhile is kept.
    func storeObject(_ bytes: UnsafeRawBufferPointer, as hash: HashInfo) throws(StorageError) {
        let staged = try stage(in: shardDirectory(of: hash))
        let code = FileSystem.writeAll(staged.fd, bytes)
        if code != 0 {
            staged.discard()
            throw StorageError(operation: "write", path: staged.temporaryPath ?? staged.directory, errno: code)
        }
        try finishObject(staged, as: hash)
    }

    /// A new object file (mode 0444) staged in a cache directory, which is created when missing.
    private func stage(in directory: String, readable: Bool = false) throws(StorageError) -> StagedFile {
        for attempt in 0..<2 {
            if let staged = try StagedFile.create(in: directory, mode: ObjectCache.objectMode, readable: readable,
                                                  unnamedUnsupported: unnamedUnsupported) {
                return staged
            }
            if attempt == 0 { try FileSystem.makeDirectories(directory, mode: directoryMode) }
        }
        throw StorageError(operation: "create a file in", path: directory, errno: ENOENT)
    }

    /// Gives a complete staged file its object name (creating the shard directory when needed) and closes it.
    /// Where the umask took bits of 0444 the mode is set first, so an object never appears with another mode.
    private func finishObject(_ staged: StagedFile, as hash: HashInfo) throws(StorageError) {
        let destination = path(of: hash)
        var outcome: StagedFile.Outcome
        do throws(StorageError) {
            if !ProcessUmask.keeps(ObjectCache.objectMode), fchmod(staged.fd, mode_t(ObjectCache.objectMode)) != 0 {
                throw StorageError(operation: "set the mode of", path: destination, errno: errno)
            }
            outcome = try staged.publish(as: destination)
            if case .noDirectory = outcome {
                try FileSystem.makeDirectories(shardDirectory(of: hash), mode: directoryMode)
                outcome = try staged.publish(as: destination)
            }
        } catch {
            staged.discard()
            throw error
        }
        switch outcome {
        case .published:
            let code = staged.close()
            if code != 0 {
                // A late write error: the named file may be incomplete, so it must not keep the object name.
                unlink(destination)
                throw StorageError(operation: "write", path: destination, errno: code)
            }
        case .exists:
            // The same object was stored meanwhile (another thread or process): keep it.
            staged.discard()
        case .noDirectory:
            staged.discard()
            throw StorageError(operation: "store object", path: destination, errno: ENOENT)
        }
    }

    // MARK: - Reading and checking

    /// Reads and parses a `.dir` manifest, checking that its bytes match its name.
    public func readManifest(_ hash: HashInfo) throws(StorageError) -> DirManifest {
        let location = path(of: hash)
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readFile(location)
        } catch where error.isNotFound {
            throw StorageError(operation: "read directory manifest", path: location, reason: .missingObject,
                               message: "\(hash.id) is not in the cache",
                               hint: "fetch it from a remote with 'cairn fetch' or 'cairn pull'")
        }
        let actual = FileHasher.hash(bytes: bytes, kind: hash.kind, isDirectory: true)
        guard actual.hex == hash.id.hex else {
            throw StorageError(operation: "read directory manifest", path: location,
                               reason: .corruptObject(expected: hash.id.description, actual: actual.description),
                               message: "the object is corrupt (its content hashes to \(actual))",
                               hint: "remove it and fetch it again ('cairn fetch'), or re-add the directory")
        }
        do {
            return try DirManifest.parse(bytes, source: location)
        } catch {
            throw StorageError(operation: "read directory manifest", path: location, reason: .invalidData,
                               message: error.message, hint: error.hint)
        }
    }

    /// Reads a DVC 3 `.dir` manifest.
    public func readManifest(_ id: ObjectID) throws(StorageError) -> DirManifest {
        try readManifest(HashInfo(id))
    }

    /// Re-hashes an object; false when it is missing or its bytes do not match its name.
    public func verify(_ hash: HashInfo, buffer: ChunkBuffer? = nil) -> Bool {
        guard let digest = try? FileHasher.hash(path: path(of: hash), kind: hash.kind, buffer: buffer) else {
            return false
        }
        return digest.id.hex == hash.id.hex
    }

    /// Removes an object; false when it was not there.
    @discardableResult
    public func remove(_ hash: HashInfo) throws(StorageError) -> Bool {
        try FileSystem.removeFile(path(of: hash))
    }

    /// Every object: `files/md5/XX/*` as md5 and legacy `XX/*` under the root as md5-dos2unix. Temp files and
    /// anything not named like an object are skipped. Unordered.
    public func allObjects() throws(StorageError) -> [HashInfo] {
        var found: [HashInfo] = []
        try collect(in: md5Root, kind: .md5, into: &found)
        try collect(in: root, kind: .md5Dos2Unix, into: &found)
        return found
    }

    private func collect(in base: String, kind: HashKind, into found: inout [HashInfo]) throws(StorageError) {
        let shards: [DirectoryEntry]
        do {
            shards = try FileSystem.listDirectory(base)
        } catch where error.isNotFound {
            return
        }
        for shard in shards where shard.kind == .directory && ObjectCache.isShardName(shard.name) {
            let directory = joinPath(base, shard.name)
            for entry in try FileSystem.listDirectory(directory) where entry.kind == .file {
                if let id = ObjectCache.objectID(shard: shard.name, name: entry.name) {
                    found.append(HashInfo(id, kind: kind))
                }
            }
        }
    }

    /// Removes temp files left by killed writers, when older than `seconds`; returns how many were removed.
    @discardableResult
    public func removeStaleTemporaryFiles(olderThan seconds: Int64 = 3600) throws(StorageError) -> Int {
        let cutoff = StateCache.now() - seconds * 1_000_000_000
        var removed = 0
        func sweep(_ directory: String) throws(StorageError) -> [DirectoryEntry] {
            let entries: [DirectoryEntry]
            do {
                entries = try FileSystem.listDirectory(directory)
            } catch where error.isNotFound {
                return []
            }
            for entry in entries where entry.kind == .file && TemporaryName.isTemporary(entry.name) {
                let path = joinPath(directory, entry.name)
                if let stat = try? FileSystem.lstat(path), stat.mtimeNanoseconds < cutoff,
                   (try? FileSystem.removeFile(path)) == true {
                    removed += 1
                }
            }
            return entries
        }
        for base in [md5Root, root] {
            for entry in try sweep(base) where entry.kind == .directory && ObjectCache.isShardName(entry.name) {
                _ = try sweep(joinPath(base, entry.name))
            }
        }
        return removed
    }

    static func isShardName(_ name: String) -> Bool {
        let utf8 = name.utf8
        return utf8.count == 2 && utf8.allSatisfy(isLowerHex)
    }

    static func objectID(shard: String, name: String) -> ObjectID? {
        var rest = Substring(name)
        var isDirectory = false
        if rest.hasSuffix(".dir") {
            isDirectory = true
            rest = rest.dropLast(4)
        }
        guard rest.utf8.count == 30, rest.utf8.allSatisfy(isLowerHex) else { return nil }
        guard let id = ObjectID(shard + rest) else { return nil }
        return ObjectID(high: id.high, low: id.low, isDirectory: isDirectory)
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }
}

/// Copy-on-write cloning via the Linux FICLONE ioctl.
enum Reflink {
    /// `FICLONE` = `_IOW(0x94, 9, int)`.
    static let ficlone: UInt = 0x4004_9409

    /// Clones all of `source` into `destination`; false when the file systems cannot (any error).
    static func clone(from source: Int32, to destination: Int32) -> Bool {
        ioctl(destination, ficlone, source) == 0
    }

    /// Whether a failed clone's errno means these file systems can never clone, so no later file should try.
    static func isUnsupportedHere(_ code: Int32) -> Bool {
        code == EOPNOTSUPP || code == EXDEV || code == EINVAL || code == ENOTTY || code == ENOSYS
    }

    /// Whether a failed clone's errno means "not possible here", so the next link type should be tried.
    static func isUnsupported(_ code: Int32) -> Bool {
        code == EOPNOTSUPP || code == EXDEV || code == EINVAL || code == ENOTTY || code == ENOSYS || code == EBADF
            || code == EPERM
    }
}
