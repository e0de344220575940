import CairnCore
import Crypto
import Glibc

/// An object arriving from elsewhere (a remote) into the cache: bytes go to a temp file in the object's shard
/// directory while being hashed, and only bytes that hash to the expected name are renamed into place. A cut-off or
/// corrupt transfer therefore never shows up in the cache under a final name.
public final class IncomingObject {
    /// The object expected.
    public let hash: HashInfo
    private let cache: ObjectCache
    private var fd: Int32 = -1
    private var temporary: String?
    private var md5 = Insecure.MD5()
    /// The hash of a whole-file copy made by `receive(copyOf:)`.
    private var copied: ObjectID?
    /// Bytes received so far.
    public private(set) var size: Int64 = 0

    /// Prepares to receive `hash` into `cache` (nothing is created before the first byte or `restart`).
    public init(_ hash: HashInfo, cache: ObjectCache) {
        self.hash = hash
        self.cache = cache
    }

    deinit { discard() }

    /// Starts (or starts over) with an empty temp file.
    public func restart() throws(StorageError) {
        discard()
        let directory = cache.shardDirectory(of: hash)
        try FileSystem.makeDirectories(directory, mode: cache.directoryMode)
        let created = try FileSystem.createTemporaryFile(in: directory, permissions: 0o600)
        fd = created.fd
        temporary = created.path
        md5 = Insecure.MD5()
        size = 0
    }

    /// Takes the whole object from a local file: a copy that hashes on another thread while it writes (no chunk
    /// hand-over through the caller). `commit` then checks the copy's hash as it would check received bytes.
    public func receive(copyOf source: String) throws(StorageError) {
        discard()
        let directory = cache.shardDirectory(of: hash)
        let destination = directory + "/" + TemporaryName.make()
        // Created read-only under its temp name: nothing needs changing once verified but the name. The shard
        // directory is made only when the copy finds it missing.
        let digest: FileDigest
        do {
            digest = try FileHasher.copy(from: source, to: destination, kind: hash.kind, mode: ObjectCache.objectMode)
        } catch where error.isNotFound && error.path == destination {
            try FileSystem.makeDirectories(directory, mode: cache.directoryMode)
            digest = try FileHasher.copy(from: source, to: destination, kind: hash.kind, mode: ObjectCache.objectMode)
        }
        temporary = destination
        copied = ObjectID(high: digest.id.high, low: digest.id.low, isDirectory: hash.id.isDirectory)
        size = Int64(digest.size)
    }

    /// Appends bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(StorageError) {
        if fd < 0 { try restart() }
        let code = FileSystem.writeAll(fd, bytes)
        if code != 0 { throw StorageError(operation: "write", path: temporary ?? cache.path(of: hash), errno: code) }
        md5.update(bufferPointer: bytes)
        size += Int64(bytes.count)
    }

    /// Verifies the bytes against the expected name and moves them into place, read-only. Throws
    /// `.corruptObject` (and keeps nothing) when they hash to something else.
    public func commit() throws(StorageError) {
        if let copied, let temporary {
            guard copied == hash.id else { throw mismatch(copied) }
            try FileSystem.rename(temporary, to: cache.path(of: hash))
            self.temporary = nil
            self.copied = nil
            return
        }
        if fd < 0 { try restart() }
        guard let temporary else { return }
        let actual: ObjectID
        if hash.kind == .md5 {
            actual = ObjectID(digest: md5.finalize(), isDirectory: hash.id.isDirectory)
        } else {
            // The legacy hash depends on DVC's chunking, not on how the bytes arrived: hash the file again.
            let id = try FileHasher.hash(path: temporary, kind: hash.kind).id
            actual = ObjectID(high: id.high, low: id.low, isDirectory: hash.id.isDirectory)
        }
        guard actual == hash.id else { throw mismatch(actual) }
        if fchmod(fd, mode_t(ObjectCache.objectMode)) != 0 {
            throw StorageError(operation: "set the mode of", path: temporary, errno: errno)
        }
        if close(fd) != 0 {
            fd = -1
            throw StorageError(operation: "write", path: temporary, errno: errno)
        }
        fd = -1
        try FileSystem.rename(temporary, to: cache.path(of: hash))
        self.temporary = nil
    }

    /// Drops what was received and describes why: its bytes hash to `actual`, not to the expected name.
    private func mismatch(_ actual: ObjectID) -> StorageError {
        discard()
        return StorageError(operation: "verify", path: cache.path(of: hash),
                            reason: .corruptObject(expected: hash.id.description, actual: actual.description),
                            message: "the remote's object hashes to \(actual), not \(hash.id)",
                            hint: "The remote copy is corrupt; push a good copy from a cache that has one.")
    }

    /// Drops whatever was received.
    public func discard() {
        copied = nil
        if fd >= 0 { close(fd) }
        fd = -1
        if let temporary { unlink(temporary) }
        temporary = nil
    }
}
