import CairnCore
import Glibc

/// How `ObjectCache.insertFile` brings a workspace file into the cache.
public enum InsertMode: String, Sendable, Hashable, CaseIterable {
    /// Copy into a temp file while hashing, then rename to the hash name; the workspace file is untouched.
    case copy
    /// Hash (or trust a known hash), hard-link the file into the cache; the shared inode becomes 0444.
    case hardlink
    /// Hash (or trust a known hash), rename the file into the cache; the workspace path is gone afterwards.
    case move
    /// Clone (FICLONE) into a temp file, hash the clone, rename; falls back to `copy` where cloning is unsupported.
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
/// `.cairn-<hex>.tmp` names that enumeration skips.
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
        return systemStat(path(of: hash), &raw) == 0 && UInt32(raw.st_mode) & UInt32(S_IFMT) == UInt32(S_IFREG)
    }

    /// Whether a DVC 3 object exists.
    public func contains(_ id: ObjectID) -> Bool {
        contains(HashInfo(id))
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
        let (fd, temp) = try createTemporaryFile(in: shardDirectory(of: hash))
        do throws(StorageError) {
            try FileSystem.writeAll(fd, bytes, path: temp)
            if fchmod(fd, mode_t(ObjectCache.objectMode)) != 0 {
                throw StorageError(operation: "set the mode of", path: temp, errno: errno)
            }
            if close(fd) != 0 { throw StorageError(operation: "write", path: temp, errno: errno) }
        } catch {
            closeQuietly(fd)
            unlink(temp)
            throw error
        }
        try publish(temp, as: hash)
        return id
    }

    /// Stores a directory manifest; returns its `.dir` id.
    @discardableResult
    public func insert(manifest: DirManifest) throws(StorageError) -> ObjectID {
        try insert(bytes: manifest.serialized(), isDirectory: true)
    }

    /// Brings a workspace file into the cache. `known` is a hash from the state cache for the file's current stat:
    /// when that object is already present nothing is read; hardlink/move then trust it instead of re-reading.
    /// A copy always hashes the bytes it writes, so the stored object matches its name whatever `known` says.
    public func insertFile(at path: String, mode: InsertMode = .copy, kind: HashKind = .md5, known: ObjectID? = nil,
                           buffer: ChunkBuffer? = nil) throws(StorageError) -> InsertedFile {
        if let known, contains(HashInfo(known, kind: kind)) {
            guard let stat = try FileSystem.stat(path) else {
                throw StorageError(operation: "add", path: path, errno: ENOENT)
            }
            return InsertedFile(id: known, size: stat.size, stat: stat, mode: nil)
        }
        let buffer = buffer ?? ChunkBuffer()
        switch mode {
        case .copy:
            return try insertByCopy(path, kind: kind, buffer: buffer)
        case .reflink:
            if let cloned = try insertByClone(path, kind: kind, buffer: buffer) { return cloned }
            return try insertByCopy(path, kind: kind, buffer: buffer)
        case .hardlink, .move:
            let digest: FileDigest
            if let known, let stat = try FileSystem.stat(path) {
                digest = FileDigest(id: known, size: stat.size, stat: stat)
            } else {
                digest = try FileHasher.hash(path: path, kind: kind, buffer: buffer)
            }
            let hash = HashInfo(digest.id, kind: kind)
            if contains(hash) {
                return InsertedFile(id: digest.id, size: digest.size, stat: digest.stat, mode: nil)
            }
            if let linked = try insertByLinking(path, digest: digest, hash: hash, move: mode == .move) {
                return linked
            }
            // Another device (or no hard links here): fall back to a copy, then remove the source for a move.
            var copied = try insertByCopy(path, kind: kind, buffer: buffer)
            if mode == .move { try FileSystem.removeFile(path) }
            copied.mode = .copy
            return copied
        }
    }

    private func insertByCopy(_ path: String, kind: HashKind, buffer: ChunkBuffer) throws(StorageError) -> InsertedFile {
        let input = try FileHasher.openRegularFile(path)
        defer { closeQuietly(input) }
        let (fd, temp) = try createTemporaryFile(in: objectRoot(for: kind))
        let digest: FileDigest
        do throws(StorageError) {
            digest = try FileHasher.copy(input: input, source: path, output: fd, destination: temp, kind: kind,
                                         buffer: buffer)
            if fchmod(fd, mode_t(ObjectCache.objectMode)) != 0 {
                throw StorageError(operation: "set the mode of", path: temp, errno: errno)
            }
            if close(fd) != 0 { throw StorageError(operation: "write", path: temp, errno: errno) }
        } catch {
            closeQuietly(fd)
            unlink(temp)
            throw error
        }
        // Replacing an existing object with freshly verified bytes also repairs a damaged one.
        try publish(temp, as: HashInfo(digest.id, kind: kind))
        return InsertedFile(id: digest.id, size: digest.size, stat: digest.stat, mode: .copy)
    }

    /// Clones into a temp file and hashes the clone; nil when the file system cannot clone.
    private func insertByClone(_ path: String, kind: HashKind, buffer: ChunkBuffer) throws(StorageError) -> InsertedFile? {
        let input = try FileHasher.openRegularFile(path)
        defer { closeQuietly(input) }
        let sourceStat = try FileHasher.fileStat(input, path: path)
        let staging = objectRoot(for: kind)
        let (fd, temp) = try createTemporaryFile(in: staging)
        if !Reflink.clone(from: input, to: fd) {
            closeQuietly(fd)
            unlink(temp)
            return nil
        }
        closeQuietly(fd)
        let digest: FileDigest
        do throws(StorageError) {
            digest = try FileHasher.hash(path: temp, kind: kind, buffer: buffer)
            try FileSystem.setMode(temp, ObjectCache.objectMode)
        } catch {
            unlink(temp)
            throw error
        }
        try publish(temp, as: HashInfo(digest.id, kind: kind))
        return InsertedFile(id: digest.id, size: digest.size, stat: sourceStat, mode: .reflink)
    }

    /// Hard-links or renames the file to a temp name in its shard, checks it is still the file that was hashed,
    /// then publishes it. Nil when linking is impossible here (other device, no hard links).
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

    /// A new temp file in a cache directory (created with the cache's directory mode when missing).
    func createTemporaryFile(in directory: String) throws(StorageError) -> (fd: Int32, path: String) {
        do {
            return try FileSystem.createTemporaryFile(in: directory, permissions: 0o600)
        } catch where error.errno == ENOENT {
            try FileSystem.makeDirectories(directory, mode: directoryMode)
            return try FileSystem.createTemporaryFile(in: directory, permissions: 0o600)
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

    /// Whether a failed clone's errno means "not possible here", so the next link type should be tried.
    static func isUnsupported(_ code: Int32) -> Bool {
        code == EOPNOTSUPP || code == EXDEV || code == EINVAL || code == ENOTTY || code == ENOSYS || code == EBADF
            || code == EPERM
    }
}
