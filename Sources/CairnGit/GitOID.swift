internal import CGit2

/// A git object id: the 20 raw bytes of a SHA-1.
public struct GitOID: Hashable, Sendable, Comparable, CustomStringConvertible {
    // Three words instead of a byte array: no allocation, cheap hashing and comparison.
    private let word0: UInt64
    private let word1: UInt64
    private let word2: UInt32

    /// Builds an id from exactly 20 raw bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 20 else { return nil }
        var raw = git_oid()
        withUnsafeMutableBytes(of: &raw) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        self.init(raw)
    }

    /// Parses 40 hex digits (either case).
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 40 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 20)
        for index in 0..<20 {
            guard let high = Self.nibble(utf8[2 * index]), let low = Self.nibble(utf8[2 * index + 1]) else {
                return nil
            }
            bytes[index] = high << 4 | low
        }
        self.init(bytes: bytes)
    }

    init(_ oid: git_oid) {
        var copy = oid
        (word0, word1, word2) = withUnsafeBytes(of: &copy) { raw in
            (
                raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
            )
        }
    }

    init(_ pointer: UnsafePointer<git_oid>) {
        self.init(pointer.pointee)
    }

    /// The libgit2 form, for passing to C.
    var raw: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid) { buffer in
            buffer.storeBytes(of: word0, toByteOffset: 0, as: UInt64.self)
            buffer.storeBytes(of: word1, toByteOffset: 8, as: UInt64.self)
            buffer.storeBytes(of: word2, toByteOffset: 16, as: UInt32.self)
        }
        return oid
    }

    /// The 20 raw bytes.
    public var bytes: [UInt8] {
        var oid = raw
        return withUnsafeBytes(of: &oid) { Array($0) }
    }

    /// The 40 lowercase hex digits.
    public var hex: String {
        let digits: StaticString = "0123456789abcdef"
        var oid = raw
        return withUnsafeBytes(of: &oid) { raw in
            String(unsafeUninitializedCapacity: 40) { out in
                digits.withUTF8Buffer { table in
                    for index in 0..<20 {
                        out[2 * index] = table[Int(raw[index] >> 4)]
                        out[2 * index + 1] = table[Int(raw[index] & 0x0f)]
                    }
                }
                return 40
            }
        }
    }

    /// The first seven hex digits, as `git log --oneline` shows them.
    public var shortHex: String { String(hex.prefix(7)) }

    /// The 40 lowercase hex digits.
    public var description: String { hex }

    /// Orders ids by their bytes, as git sorts hex ids.
    public static func < (lhs: GitOID, rhs: GitOID) -> Bool {
        let left = (UInt64(bigEndian: lhs.word0), UInt64(bigEndian: lhs.word1), UInt32(bigEndian: lhs.word2))
        let right = (UInt64(bigEndian: rhs.word0), UInt64(bigEndian: rhs.word1), UInt32(bigEndian: rhs.word2))
        return left < right
    }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return char &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return char &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return char &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}
