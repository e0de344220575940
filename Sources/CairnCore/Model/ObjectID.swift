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
        var utf8 = Array(text.utf8)
        var isDirectory = false
        if utf8.count == 36, utf8.suffix(4).elementsEqual(".dir".utf8) {
            isDirectory = true
            utf8.removeLast(4)
        }
        guard utf8.count == 32 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, char) in utf8.enumerated() {
            guard let nibble = Self.nibble(char) else { return nil }
            if index < 16 { high = high << 4 | nibble } else { low = low << 4 | nibble }
        }
        self.init(high: high, low: low, isDirectory: isDirectory)
    }

    /// MD5 of an in-memory byte buffer (file bytes, or manifest bytes when `isDirectory`).
    public static func md5<Bytes: DataProtocol>(of bytes: Bytes, isDirectory: Bool = false) -> ObjectID {
        ObjectID(digest: Insecure.MD5.hash(data: bytes), isDirectory: isDirectory)
    }

    /// The 32 lowercase hex digits, without the `.dir` suffix.
    public var hex: String {
        var chars = [UInt8](repeating: 0, count: 32)
        Self.writeHex(high, into: &chars, at: 0)
        Self.writeHex(low, into: &chars, at: 16)
        return String(decoding: chars, as: UTF8.self)
    }

    /// DVC's textual form: hex, plus `.dir` for a directory manifest.
    public var description: String { isDirectory ? hex + ".dir" : hex }

    /// Cache-relative object path: `<2 hex>/<30 hex>[.dir]`.
    public var shardedPath: String {
        let hex = self.hex
        let split = hex.index(hex.startIndex, offsetBy: 2)
        return "\(hex[..<split])/\(hex[split...])" + (isDirectory ? ".dir" : "")
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

    private static func writeHex(_ value: UInt64, into chars: inout [UInt8], at offset: Int) {
        let digits = Array("0123456789abcdef".utf8)
        for index in 0..<16 {
            chars[offset + index] = digits[Int((value >> UInt64(60 - 4 * index)) & 0xF)]
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
