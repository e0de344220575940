import Crypto
import Foundation

/// An MD5 content id as DVC names cache objects: 32 lowercase hex digits, plus `.dir` for directory manifests.
public struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The first 8 bytes of the digest, big-endian.
    public let high: UInt64
    /// The last 8 bytes of the digest, big-endian.
    public let low: UInt64
    /// True when the object is a `.dir` manifest rather than file bytes.
    public let isDirectory: Bool

    /// Builds an id from the 16 raw digest bytes.
    public init<Bytes: Sequence>(digest: Bytes, isDirectory: Bool = false) where Bytes.Element == UInt8 {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var count = 0
        for byte in digest {
            if count < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
            count += 1
        }
        precondition(count == 16, "an MD5 digest has 16 bytes, got \(count)")
        self.init(high: high, low: low, isDirectory: isDirectory)
    }

    /// Builds an id from its two 64-bit halves.
    public init(high: UInt64, low: UInt64, isDirectory: Bool) {
        self.high = high
        self.low = low
        self.isDirectory = isDirectory
    }

    /// Parses DVC's textual form: 32 hex digits (either case), optionally followed by `.dir`.
    public init?(_ text: some StringProtocol) {
        let utf8 = text.utf8
        let count = utf8.count
        guard count == 32 || count == 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var index = 0
        var suffix = ".dir".utf8.makeIterator()
        // One pass, no copy: manifests of 100,000 entries parse one id per entry.
        for char in utf8 {
            if index >= 32 {
                guard char == suffix.next() else { return nil }
            } else {
                guard let nibble = Self.nibble(char) else { return nil }
                if index < 16 { high = high << 4 | nibble } else { low = low << 4 | nibble }
            }
            index += 1
        }
        self.init(high: high, low: low, isDirectory: count == 36)
    }

    /// MD5 of an in-memory byte buffer (file bytes, or manifest bytes when `isDirectory`).
    public static func md5<Bytes: DataProtocol>(of bytes: Bytes, isDirectory: Bool = false) -> ObjectID {
        ObjectID(digest: Insecure.MD5.hash(data: bytes), isDirectory: isDirectory)
    }

    /// The 32 lowercase hex digits, without the `.dir` suffix.
    public var hex: String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            Self.writeHex(high, into: buffer, at: 0)
            Self.writeHex(low, into: buffer, at: 16)
            return 32
        }
    }

    /// DVC's textual form: hex, plus `.dir` for a directory manifest.
    public var description: String { isDirectory ? hex + ".dir" : hex }

    /// Cache-relative object path: `<2 hex>/<30 hex>[.dir]`.
    public var shardedPath: String {
        // Built in place: this runs once per file stored or checked out.
        let length = isDirectory ? 37 : 33
        return String(unsafeUninitializedCapacity: length) { buffer in
            Self.writeHex(high, into: UnsafeMutableBufferPointer(rebasing: buffer[1...]), at: 0)
            Self.writeHex(low, into: UnsafeMutableBufferPointer(rebasing: buffer[1...]), at: 16)
            buffer[0] = buffer[1]
            buffer[1] = buffer[2]
            buffer[2] = UInt8(ascii: "/")
            if isDirectory {
                for (offset, char) in ".dir".utf8.enumerated() { buffer[33 + offset] = char }
            }
            return length
        }
    }

    /// Appends the 32 hex digits to `bytes`.
    public func appendHex(to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            Self.writeHex(high, into: buffer, at: 0)
            Self.writeHex(low, into: buffer, at: 16)
            bytes.append(contentsOf: buffer)
        }
    }

    /// The same digest without the directory flag (the manifest file's own md5).
    public var asFile: ObjectID { ObjectID(high: high, low: low, isDirectory: false) }

    /// md5 of zero bytes.
    public static let emptyFile = ObjectID("d41d8cd98f00b204e9800998ecf8427e")!
    /// The manifest of an empty directory (`[]`).
    public static let emptyDirectory = ObjectID("d751713988987e9331980363e24189ce.dir")!

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        (lhs.high, lhs.low, lhs.isDirectory ? 1 : 0) < (rhs.high, rhs.low, rhs.isDirectory ? 1 : 0)
    }

    private static func nibble(_ char: UInt8) -> UInt64? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt64(char - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt64(char - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt64(char - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private static func writeHex(_ value: UInt64, into chars: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        for index in 0..<16 {
            let digit = UInt8(truncatingIfNeeded: value >> UInt64(60 - 4 * index)) & 0xF
            chars[offset + index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") - 10 + digit
        }
    }
}

/// Which hash function produced an output's recorded id.
public enum HashKind: String, Sendable, Hashable {
    /// DVC 3: md5 of the exact bytes; objects under `files/md5/`.
    case md5
    /// DVC 2.x: md5 after CRLF→LF on text chunks; objects directly under the cache root. Written as no `hash:` key.
    case md5Dos2Unix = "md5-dos2unix"
}

/// A recorded hash: the id plus the function that made it (decides the cache sub-root).
public struct HashInfo: Hashable, Sendable, CustomStringConvertible {
    /// The object id.
    public var id: ObjectID
    /// The hash function.
    public var kind: HashKind

    /// Creates a hash record.
    public init(_ id: ObjectID, kind: HashKind = .md5) {
        self.id = id
        self.kind = kind
    }

    public var description: String { id.description }
}
