import CairnCore
import Crypto
import Glibc

/// A reusable 1 MiB read buffer; one per thread (it is not thread-safe), so hashing allocates nothing per file.
public final class ChunkBuffer {
    /// DVC's chunk size: 1 MiB (it also decides the legacy dos2unix text test per chunk).
    public static let chunkSize = 1 << 20

    let storage: UnsafeMutableRawBufferPointer

    /// Allocates a buffer of `chunkSize` bytes.
    public init() {
        storage = .allocate(byteCount: ChunkBuffer.chunkSize, alignment: 64)
    }

    deinit {
        storage.deallocate()
    }

    private static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            if let pointer { Unmanaged<ChunkBuffer>.fromOpaque(pointer).release() }
        }
        return key
    }()

    /// This thread's own buffer, made on first use and kept until the thread ends: callers that pass no
    /// buffer (one file at a time from a pool thread) then allocate nothing per file.
    static func forCurrentThread() -> ChunkBuffer {
        if let pointer = pthread_getspecific(threadKey) {
            return Unmanaged<ChunkBuffer>.fromOpaque(pointer).takeUnretainedValue()
        }
        let buffer = ChunkBuffer()
        pthread_setspecific(threadKey, Unmanaged.passRetained(buffer).toOpaque())
        return buffer
    }
}

/// The result of hashing one file.
public struct FileDigest: Sendable, Hashable {
    /// The file's id.
    public var id: ObjectID
    /// Bytes read (the file's size when read).
    public var size: Int
    /// `fstat` of the opened file taken before reading: the stat a state cache entry must be keyed on.
    public var stat: FileStat
}

/// Streaming MD5 of files in 1 MiB chunks: DVC 3's plain md5 and DVC 2's legacy md5-dos2unix.
public enum FileHasher {
    /// md5 of the exact bytes of a file.
    public static func md5(path: String, buffer: ChunkBuffer? = nil) throws(StorageError) -> (id: ObjectID, size: Int) {
        let digest = try hash(path: path, kind: .md5, buffer: buffer)
        return (digest.id, digest.size)
    }

    /// DVC 2's md5-dos2unix: each 1 MiB chunk whose first 512 bytes look like text has CRLF turned into LF first.
    public static func md5Dos2Unix(path: String, buffer: ChunkBuffer? = nil) throws(StorageError) -> (id: ObjectID, size: Int) {
        let digest = try hash(path: path, kind: .md5Dos2Unix, buffer: buffer)
        return (digest.id, digest.size)
    }

    /// Hashes a file with the given function; also returns the stat the hash belongs to. A `stat` taken before
    /// (e.g. by the walk) saves an `fstat`: a hash recorded under an earlier stat can only be too pessimistic,
    /// since any later change gives the file a newer mtime.
    public static func hash(path: String, kind: HashKind, buffer: ChunkBuffer? = nil,
                            stat: FileStat? = nil) throws(StorageError) -> FileDigest {
        let fd = try openRegularFile(path)
        defer { closeQuietly(fd) }
        return try hash(fd: fd, path: path, kind: kind, buffer: buffer ?? .forCurrentThread(), stat: stat)
    }

    /// Hashes in-memory bytes exactly as a file with that content would be hashed.
    public static func hash(bytes: [UInt8], kind: HashKind, isDirectory: Bool = false) -> ObjectID {
        var digest = StreamDigest(kind: kind)
        var copy = bytes
        copy.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let length = min(ChunkBuffer.chunkSize, raw.count - offset)
                digest.consume(UnsafeMutableRawBufferPointer(rebasing: raw[offset..<offset + length]))
                offset += length
            }
        }
        return digest.finish(isDirectory: isDirectory)
    }

    /// Copies `source` to a new file `destination` (which must not exist) while hashing the bytes in the same read
    /// pass. The copy gets `mode` exactly. On failure the partial destination is removed.
    public static func copy(from source: String, to destination: String, kind: HashKind = .md5, mode: UInt32 = 0o644,
                            buffer: ChunkBuffer? = nil) throws(StorageError) -> FileDigest {
        let input = try openRegularFile(source)
        defer { closeQuietly(input) }
        // Created with its final mode (the descriptor stays writable even for 0444): an fchmod is only needed
        // when the umask would strip bits of it. One system call less per file counts at 100,000 files.
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        if output < 0 { throw StorageError(operation: "create", path: destination, errno: errno) }
        do throws(StorageError) {
            let digest = try copy(input: input, source: source, output: output, destination: destination,
                                  kind: kind, buffer: buffer ?? .forCurrentThread())
            if !ProcessUmask.keeps(mode), fchmod(output, mode_t(mode)) != 0 {
                throw StorageError(operation: "set the mode of", path: destination, errno: errno)
            }
            if close(output) != 0 { throw StorageError(operation: "write", path: destination, errno: errno) }
            return digest
        } catch {
            closeQuietly(output)
            unlink(destination)
            throw error
        }
    }

    /// Hashes an open descriptor from its current offset.
    static func hash(fd: Int32, path: String, kind: HashKind, buffer: ChunkBuffer,
                     stat known: FileStat? = nil) throws(StorageError) -> FileDigest {
        let stat: FileStat
        if let known { stat = known } else { stat = try fileStat(fd, path: path) }
        var digest = StreamDigest(kind: kind)
        let size = try readChunks(fd: fd, path: path, expectedSize: stat.size, buffer: buffer) { chunk in
            digest.consume(chunk)
            return 0
        }
        return FileDigest(id: digest.finish(isDirectory: false), size: size, stat: stat)
    }

    /// Copies `input` to `output` while hashing; returns the digest of what was written.
    static func copy(input: Int32, source: String, output: Int32, destination: String, kind: HashKind,
                     buffer: ChunkBuffer) throws(StorageError) -> FileDigest {
        let stat = try fileStat(input, path: source)
        if kind == .md5 && stat.size >= PipelinedCopy.threshold {
            let copied = try PipelinedCopy.run(input: input, inputPath: source, output: output, outputPath: destination,
                                               expectedSize: stat.size, first: UnsafeRawBufferPointer(start: nil, count: 0))
            return FileDigest(id: copied.id, size: copied.size, stat: stat)
        }
        var digest = StreamDigest(kind: kind)
        let size = try readChunks(fd: input, path: source, expectedSize: stat.size, buffer: buffer,
                                  outputPath: destination) { chunk in
            let code = FileSystem.writeAll(output, UnsafeRawBufferPointer(chunk))
            if code != 0 { return code }
            // After the write: dos2unix may rewrite the chunk in place.
            digest.consume(chunk)
            return 0
        }
        return FileDigest(id: digest.finish(isDirectory: false), size: size, stat: stat)
    }

    /// Opens for reading without blocking on a FIFO (which then fails the regular-file check instead of hanging).
    static func openRegularFile(_ path: String) throws(StorageError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { throw StorageError(operation: "open", path: path, errno: errno) }
        return fd
    }

    /// `fstat` of an open file, which must be a regular file.
    static func fileStat(_ fd: Int32, path: String) throws(StorageError) -> FileStat {
        var raw = Glibc.stat()
        if fstat(fd, &raw) != 0 { throw StorageError(operation: "stat", path: path, errno: errno) }
        let stat = FileStat(raw)
        switch stat.kind {
        case .file:
            return stat
        case .directory:
            throw StorageError(operation: "read", path: path, errno: EISDIR)
        default:
            throw StorageError(operation: "read", path: path, reason: .invalidData,
                               message: "not a regular file (a device, socket or FIFO)",
                               hint: "only regular files (or symlinks to them) can be tracked")
        }
    }

    /// Feeds the file to `body` in full 1 MiB chunks (only the last may be shorter), as DVC's reader does; returns the
    /// byte count. `body` returns 0 or an errno that aborts the loop (reported as a write to `outputPath`).
    static func readChunks(fd: Int32, path: String, expectedSize: Int, buffer: ChunkBuffer, outputPath: String? = nil,
                           _ body: (UnsafeMutableRawBufferPointer) -> Int32) throws(StorageError) -> Int {
        var total = 0
        while true {
            let (filled, atEnd) = try readChunk(fd: fd, path: path, buffer: buffer, remaining: expectedSize - total)
            if filled > 0 {
                let code = body(UnsafeMutableRawBufferPointer(start: buffer.storage.baseAddress!, count: filled))
                if code != 0 { throw StorageError(operation: "write", path: outputPath ?? path, errno: code) }
                total += filled
            }
            if atEnd { return total }
        }
    }

    /// Fills the buffer with up to one chunk; returns the byte count and whether the end of the file was seen.
    /// A short read that reaches `remaining` (the bytes `fstat` said were left) is taken as the end, which saves
    /// a second read(2) per small file.
    @inline(__always)
    static func readChunk(fd: Int32, path: String, buffer: ChunkBuffer,
                          remaining: Int) throws(StorageError) -> (count: Int, atEnd: Bool) {
        let storage = buffer.storage
        let base = storage.baseAddress!
        var filled = 0
        while filled < storage.count {
            let requested = storage.count - filled
            let got = read(fd, base + filled, requested)
            if got > 0 {
                filled += got
                if got < requested && filled >= remaining { return (filled, true) }
                continue
            }
            if got == 0 { return (filled, true) }
            if errno == EINTR { continue }
            throw StorageError(operation: "read", path: path, errno: errno)
        }
        return (filled, false)
    }
}

/// MD5 over a stream of DVC-sized chunks, optionally with the legacy dos2unix transform.
struct StreamDigest {
    private var md5 = Insecure.MD5()
    private let dos2unix: Bool

    init(kind: HashKind) {
        dos2unix = kind == .md5Dos2Unix
    }

    /// Hashes one chunk; in dos2unix mode the chunk may be rewritten in place.
    mutating func consume(_ chunk: UnsafeMutableRawBufferPointer) {
        if dos2unix {
            let count = Dos2Unix.transform(chunk)
            md5.update(bufferPointer: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        } else {
            md5.update(bufferPointer: UnsafeRawBufferPointer(chunk))
        }
    }

    /// The final id.
    func finish(isDirectory: Bool) -> ObjectID {
        ObjectID(digest: md5.finalize(), isDirectory: isDirectory)
    }
}

/// DVC 2's text detection and CRLF→LF conversion, applied per chunk.
enum Dos2Unix {
    /// How many leading bytes of a chunk decide whether it is text.
    static let probeLength = 512

    /// Converts CRLF to LF in place when the chunk is text; returns the new length.
    static func transform(_ chunk: UnsafeMutableRawBufferPointer) -> Int {
        let count = chunk.count
        guard count > 0 else { return 0 }
        let bytes = chunk.baseAddress!.assumingMemoryBound(to: UInt8.self)
        guard isText(UnsafeBufferPointer(start: bytes, count: min(count, probeLength))) else { return count }
        guard let firstCR = memchr(bytes, 0x0D, count) else { return count }
        var read = UnsafeMutableRawPointer(firstCR).assumingMemoryBound(to: UInt8.self) - bytes
        var write = read
        // Left to right without overlap, like Python's bytes.replace(b"\r\n", b"\n").
        while read < count {
            let byte = bytes[read]
            if byte == 0x0D, read + 1 < count, bytes[read + 1] == 0x0A {
                read += 1
                continue
            }
            bytes[write] = byte
            write += 1
            read += 1
        }
        return write
    }

    /// Empty, or no NUL and at most 30 % of bytes outside printable ASCII and `\n \r \t \f \b`.
    static func isText(_ block: UnsafeBufferPointer<UInt8>) -> Bool {
        if block.isEmpty { return true }
        var nonText = 0
        for byte in block {
            if byte == 0 { return false }
            switch byte {
            case 0x20...0x7E, 0x0A, 0x0D, 0x09, 0x0C, 0x08: continue
            default: nonText += 1
            }
        }
        return Double(nonText) / Double(block.count) <= 0.30
    }
}
