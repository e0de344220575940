import CairnCore
import Glibc

/// An order-independent fingerprint of a directory's files (paths and stats), the key for a cached manifest id.
public struct DirectoryDigest: Sendable, Hashable {
    /// First 64 bits.
    public var high: UInt64
    /// Second 64 bits.
    public var low: UInt64
    /// Number of files.
    public var fileCount: Int
    /// The newest file mtime (ns): a directory entry is as racy as its newest file.
    public var newestMtime: Int64

    /// Creates an empty digest, then `add` each file.
    public init() {
        high = 0x6A09_E667_F3BC_C908
        low = 0xBB67_AE85_84CA_A73B
        fileCount = 0
        newestMtime = 0
    }

    /// Digest of walked files, keyed by their path relative to the walked directory.
    public init(files: [WalkedFile]) {
        self.init()
        for file in files { add(relativePath: file.relativePath, stat: file.stat) }
    }

    /// Adds one file; the order of calls does not matter.
    public mutating func add(relativePath: some StringProtocol, stat: FileStat) {
        var first: UInt64 = 0x243F_6A88_85A3_08D3
        var second: UInt64 = 0x1319_8A2E_0370_7344
        var path = String(relativePath)
        path.withUTF8 { bytes in
            StableHash.absorb(bytes, into: &first)
            StableHash.absorb(bytes, into: &second)
        }
        for value in [stat.inode, UInt64(bitPattern: Int64(stat.size)), UInt64(bitPattern: stat.mtimeNanoseconds)] {
            StableHash.mix(&first, value)
            StableHash.mix(&second, value ^ 0xA5A5_A5A5_A5A5_A5A5)
        }
        // Wrapping sums make the result independent of walk order.
        high = high &+ first
        low = low &+ second
        fileCount += 1
        newestMtime = max(newestMtime, stat.mtimeNanoseconds)
    }
}

/// A cached directory result.
public struct DirectoryState: Sendable, Hashable {
    /// The manifest id (`.dir`).
    public var id: ObjectID
    /// Sum of file sizes.
    public var size: Int
    /// Number of files.
    public var fileCount: Int

    /// Creates a directory result.
    public init(id: ObjectID, size: Int, fileCount: Int) {
        self.id = id
        self.size = size
        self.fileCount = fileCount
    }
}

/// Remembers file hashes by (inode, size, mtime ns) so unchanged files are never read again; persisted in one
/// binary file (see `StateCache.fileFormatVersion`). A hint only: a corrupt or unknown file loads as empty,
/// concurrent readers see whole files, the last writer wins. Thread-safe.
public final class StateCache: @unchecked Sendable {
    /// Current on-disk format version; other versions load as empty.
    public static let fileFormatVersion: UInt32 = 1
    /// Entries whose mtime is this close to (or after) the moment the file was saved are dropped on load: a file
    /// changed again within the same timestamp tick would otherwise look unchanged ("racily clean", as git calls it).
    public static let racyWindowNanoseconds: Int64 = 100_000_000

    static let magic: [UInt8] = Array("CAIRNST\0".utf8)
    static let headerSize = 8 + 4 + 4 + 8 + 4 + 4

    struct FileEntry {
        var inode: UInt64
        var size: Int
        var mtime: Int64
        var id: ObjectID
        var kind: HashKind
    }

    struct DirectoryEntry {
        var digestHigh: UInt64
        var digestLow: UInt64
        var fileCount: Int
        var newestMtime: Int64
        var size: Int
        var id: ObjectID
    }

    /// The file this cache loads from and saves to.
    public let location: String

    private let lock = PosixMutex()
    private var files: [String: FileEntry] = [:]
    private var directories: [String: DirectoryEntry] = [:]
    private var dirty = false

    /// An empty cache that will save to `location`.
    public init(location: String) {
        self.location = location
    }

    /// Where cairn keeps its state for a repository: `<.dvc>/tmp/cairn-state` (git-ignored by `.dvc/.gitignore`).
    public static func defaultLocation(dvcDirectory: String) -> String {
        joinPath(joinPath(dvcDirectory, "tmp"), "cairn-state")
    }

    /// Loads a cache file; a missing, unreadable, corrupt or other-version file gives an empty cache.
    public static func load(from location: String) -> StateCache {
        let cache = StateCache(location: location)
        guard let bytes = try? FileSystem.readFile(location) else { return cache }
        if let (files, directories) = decode(bytes) {
            cache.files = files
            cache.directories = directories
        }
        return cache
    }

    /// Number of file entries.
    public var count: Int { lock.withLock { files.count } }

    /// Number of directory entries.
    public var directoryCount: Int { lock.withLock { directories.count } }

    /// Whether there are changes not yet saved.
    public var hasUnsavedChanges: Bool { lock.withLock { dirty } }

    /// The recorded id when the file's inode, size and mtime are unchanged and it was hashed with `kind`.
    public func lookup(_ key: String, stat: FileStat, kind: HashKind = .md5) -> ObjectID? {
        lock.withLock {
            guard let entry = files[key], entry.inode == stat.inode, entry.size == stat.size,
                  entry.mtime == stat.mtimeNanoseconds, entry.kind == kind
            else { return nil }
            return entry.id
        }
    }

    /// Records a file's hash; `stat` must be the one taken before the bytes were read.
    public func record(_ key: String, stat: FileStat, id: ObjectID, kind: HashKind = .md5) {
        let entry = FileEntry(inode: stat.inode, size: stat.size, mtime: stat.mtimeNanoseconds, id: id, kind: kind)
        lock.withLock {
            if let old = files[key], old.inode == entry.inode, old.size == entry.size, old.mtime == entry.mtime,
               old.id == entry.id, old.kind == entry.kind {
                return
            }
            files[key] = entry
            dirty = true
        }
    }

    /// Makes room for at least `count` file entries at once, so that workers recording in parallel do not rehash
    /// the table while holding the lock (a no-op when the table is already that large).
    public func reserveFiles(atLeast count: Int) {
        lock.withLock { files.reserveCapacity(count) }
    }

    /// Forgets a file.
    public func forget(_ key: String) {
        lock.withLock {
            if files.removeValue(forKey: key) != nil { dirty = true }
            if directories.removeValue(forKey: key) != nil { dirty = true }
        }
    }

    /// Keeps only the file and directory entries whose key satisfies `keep`.
    public func prune(keeping keep: (String) -> Bool) {
        lock.withLock {
            let fileCount = files.count
            let directoryCount = directories.count
            files = files.filter { keep($0.key) }
            directories = directories.filter { keep($0.key) }
            if files.count != fileCount || directories.count != directoryCount { dirty = true }
        }
    }

    /// The recorded manifest of a directory whose files have exactly this digest.
    public func lookupDirectory(_ key: String, digest: DirectoryDigest) -> DirectoryState? {
        lock.withLock {
            guard let entry = directories[key], entry.digestHigh == digest.high, entry.digestLow == digest.low,
                  entry.fileCount == digest.fileCount
            else { return nil }
            return DirectoryState(id: entry.id, size: entry.size, fileCount: entry.fileCount)
        }
    }

    /// Records a directory's manifest id for the digest of the file stats it was built from.
    public func recordDirectory(_ key: String, digest: DirectoryDigest, state: DirectoryState) {
        let entry = DirectoryEntry(digestHigh: digest.high, digestLow: digest.low, fileCount: digest.fileCount,
                                   newestMtime: digest.newestMtime, size: state.size, id: state.id)
        lock.withLock {
            if let old = directories[key], old.digestHigh == entry.digestHigh, old.digestLow == entry.digestLow,
               old.id == entry.id, old.fileCount == entry.fileCount, old.size == entry.size {
                return
            }
            directories[key] = entry
            dirty = true
        }
    }

    /// Writes the cache (temp file + rename) when something changed, or always with `force`.
    /// Creates the parent directory when missing.
    public func save(force: Bool = false) throws(StorageError) {
        let bytes: [UInt8]? = lock.withLock {
            guard dirty || force else { return nil }
            return encode(savedAt: StateCache.now())
        }
        guard let bytes else { return }
        let directory = parentDirectory(location)
        if !FileSystem.isDirectory(directory) { try FileSystem.makeDirectories(directory) }
        try FileSystem.writeFileAtomically(bytes, to: location, mode: 0o644)
        lock.withLock { dirty = false }
    }

    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    // MARK: - Format
    //
    // Little-endian. Header: magic "CAIRNST\0", version u32, reserved u32, savedAt i64 (ns), file count u32,
    // directory count u32. File record: inode u64, size i64, mtime i64, id high u64, id low u64, kind u8
    // (0 md5, 1 md5-dos2unix), key length u16, key UTF-8. Directory record: digest high u64, digest low u64,
    // file count i64, newest mtime i64, size i64, id high u64, id low u64, key length u16, key.
    // Trailer: checksum u64 over everything before it.

    private func encode(savedAt: Int64) -> [UInt8] {
        var out = ByteWriter(capacity: StateCache.headerSize + files.count * 80 + directories.count * 80 + 8)
        out.append(StateCache.magic)
        out.append(UInt32(StateCache.fileFormatVersion))
        out.append(UInt32(0))
        out.append(UInt64(bitPattern: savedAt))
        out.append(UInt32(files.count))
        out.append(UInt32(directories.count))
        for (key, entry) in files {
            out.append(entry.inode)
            out.append(UInt64(bitPattern: Int64(entry.size)))
            out.append(UInt64(bitPattern: entry.mtime))
            out.append(entry.id.high)
            out.append(entry.id.low)
            out.append(UInt8(entry.kind == .md5 ? 0 : 1))
            out.appendKey(key)
        }
        for (key, entry) in directories {
            out.append(entry.digestHigh)
            out.append(entry.digestLow)
            out.append(UInt64(bitPattern: Int64(entry.fileCount)))
            out.append(UInt64(bitPattern: entry.newestMtime))
            out.append(UInt64(bitPattern: Int64(entry.size)))
            out.append(entry.id.high)
            out.append(entry.id.low)
            out.appendKey(key)
        }
        let checksum = out.bytes.withUnsafeBytes { StableHash.checksum($0) }
        out.append(checksum)
        return out.bytes
    }

    static func decode(_ bytes: [UInt8]) -> ([String: FileEntry], [String: DirectoryEntry])? {
        bytes.withUnsafeBytes { raw -> ([String: FileEntry], [String: DirectoryEntry])? in
            guard raw.count >= headerSize + 8 else { return nil }
            let body = UnsafeRawBufferPointer(rebasing: raw[0..<raw.count - 8])
            var reader = ByteReader(raw)
            reader.offset = raw.count - 8
            guard let stored = reader.u64(), stored == StableHash.checksum(body) else { return nil }
            reader = ByteReader(body)
            guard let magic = reader.bytes(8), magic.elementsEqual(StateCache.magic),
                  reader.u32() == fileFormatVersion, reader.u32() != nil,
                  let savedAt = reader.u64().map({ Int64(bitPattern: $0) }),
                  let fileCount = reader.u32(), let directoryCount = reader.u32()
            else { return nil }
            let racyAfter = savedAt &- racyWindowNanoseconds
            var files = [String: FileEntry](minimumCapacity: Int(fileCount))
            for _ in 0..<fileCount {
                guard let inode = reader.u64(), let size = reader.u64(), let mtime = reader.u64(),
                      let high = reader.u64(), let low = reader.u64(), let kindByte = reader.u8(), kindByte <= 1,
                      let key = reader.key()
                else { return nil }
                let entry = FileEntry(inode: inode, size: Int(Int64(bitPattern: size)), mtime: Int64(bitPattern: mtime),
                                      id: ObjectID(high: high, low: low, isDirectory: false),
                                      kind: kindByte == 0 ? .md5 : .md5Dos2Unix)
                if entry.mtime >= racyAfter { continue }
                files[key] = entry
            }
            var directories = [String: DirectoryEntry](minimumCapacity: Int(directoryCount))
            for _ in 0..<directoryCount {
                guard let digestHigh = reader.u64(), let digestLow = reader.u64(), let count = reader.u64(),
                      let newest = reader.u64(), let size = reader.u64(), let high = reader.u64(),
                      let low = reader.u64(), let key = reader.key()
                else { return nil }
                let entry = DirectoryEntry(digestHigh: digestHigh, digestLow: digestLow,
                                           fileCount: Int(Int64(bitPattern: count)),
                                           newestMtime: Int64(bitPattern: newest), size: Int(Int64(bitPattern: size)),
                                           id: ObjectID(high: high, low: low, isDirectory: true))
                if entry.newestMtime >= racyAfter { continue }
                directories[key] = entry
            }
            guard reader.offset == body.count else { return nil }
            return (files, directories)
        }
    }
}

/// Appends little-endian integers to a byte array.
struct ByteWriter {
    var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func append(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }
    mutating func append(_ value: UInt8) { bytes.append(value) }
    mutating func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func append(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }

    mutating func appendKey(_ key: String) {
        var key = key
        key.withUTF8 { utf8 in
            let length = min(utf8.count, Int(UInt16.max))
            withUnsafeBytes(of: UInt16(length).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[0..<length]))
        }
    }
}

/// Reads little-endian integers with bounds checks; nil past the end.
struct ByteReader {
    let raw: UnsafeRawBufferPointer
    var offset = 0

    init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

    mutating func u8() -> UInt8? {
        guard offset + 1 <= raw.count else { return nil }
        defer { offset += 1 }
        return raw[offset]
    }

    mutating func u32() -> UInt32? {
        guard offset + 4 <= raw.count else { return nil }
        defer { offset += 4 }
        return UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func u64() -> UInt64? {
        guard offset + 8 <= raw.count else { return nil }
        defer { offset += 8 }
        return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func bytes(_ count: Int) -> UnsafeRawBufferPointer? {
        guard offset + count <= raw.count else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: raw[offset..<offset + count])
    }

    mutating func key() -> String? {
        guard offset + 2 <= raw.count else { return nil }
        let length = Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
        offset += 2
        guard let bytes = bytes(length) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Deterministic 64-bit mixing (Swift's `Hasher` is seeded per process, so it cannot be persisted).
enum StableHash {
    @inline(__always)
    static func mix(_ state: inout UInt64, _ value: UInt64) {
        var h = state ^ value
        h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        h = (h ^ (h >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        state = h ^ (h >> 33)
    }

    /// Mixes a byte string, 8 bytes at a time, plus its length.
    static func absorb(_ bytes: UnsafeBufferPointer<UInt8>, into state: inout UInt64) {
        let raw = UnsafeRawBufferPointer(bytes)
        var offset = 0
        while offset + 8 <= raw.count {
            mix(&state, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < raw.count {
            tail |= UInt64(raw[offset]) << shift
            shift += 8
            offset += 1
        }
        mix(&state, tail)
        mix(&state, UInt64(raw.count))
    }

    /// A fast checksum of a whole buffer for corruption detection (not cryptographic).
    static func checksum(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F,
                                                       0x1656_67B1_9E37_79F9, 0x85EB_CA77_C2B2_AE63)
        var offset = 0
        // Four independent lanes keep the multiplier pipeline busy.
        while offset + 32 <= raw.count {
            lanes.0 = (lanes.0 ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            lanes.1 = (lanes.1 ^ raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)) &* 0xC2B2_AE3D_27D4_EB4F
            lanes.2 = (lanes.2 ^ raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)) &* 0x1656_67B1_9E37_79F9
            lanes.3 = (lanes.3 ^ raw.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self)) &* 0x85EB_CA77_C2B2_AE63
            lanes.0 ^= lanes.0 >> 29
            lanes.1 ^= lanes.1 >> 29
            lanes.2 ^= lanes.2 >> 29
            lanes.3 ^= lanes.3 >> 29
            offset += 32
        }
        var state = lanes.0
        mix(&state, lanes.1)
        mix(&state, lanes.2)
        mix(&state, lanes.3)
        absorb(UnsafeBufferPointer(rebasing: raw.assumingMemoryBound(to: UInt8.self)[offset...]), into: &state)
        mix(&state, UInt64(raw.count))
        return state
    }
}
