import CairnCore
import CairnStorage
import Crypto

/// What this repository knows to be on a remote: the keys it pushed there or saw there. Only a hint, so that a
/// no-op push needs no request per object (DVC's issue #3753): `status -c`, `push --verify` and `gc -c` re-list the
/// remote and rewrite it, and a pull that finds a key missing drops it.
///
/// Stored as `<directory>/<sha256(url) prefix>.keys`: a header naming the URL, then one key per line, written whole
/// (temp + rename). A file for another URL, or one that does not parse, counts as empty.
public struct RemoteIndex: Sendable {
    /// The remote's URL the keys belong to.
    public let url: String
    /// The file holding the keys.
    public let path: String
    /// The known keys.
    public private(set) var keys: Set<String>
    private var dirty = false

    private static let magic = "cairn remote index 1 "

    /// Loads the index of `url` kept in `directory` (empty when there is none).
    public init(url: String, directory: String) {
        self.url = url
        let digits = Array("0123456789abcdef".utf8)
        var name: [UInt8] = []
        for byte in SHA256.hash(data: Array(url.utf8)).prefix(12) {
            name.append(digits[Int(byte >> 4)])
            name.append(digits[Int(byte & 0x0F)])
        }
        path = directory + "/" + String(decoding: name, as: UTF8.self) + ".keys"
        keys = []
        guard let bytes = try? FileSystem.readFile(path) else { return }
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)[...]
        guard let header = lines.popFirst(), String(decoding: header, as: UTF8.self) == Self.magic + url else { return }
        keys.reserveCapacity(lines.count)
        for line in lines { keys.insert(String(decoding: line, as: UTF8.self)) }
    }

    /// Whether the remote is known to hold `key`.
    public func contains(_ key: String) -> Bool { keys.contains(key) }

    /// Records keys seen on (or sent to) the remote.
    public mutating func insert<Keys: Sequence>(_ new: Keys) where Keys.Element == String {
        for key in new where keys.insert(key).inserted { dirty = true }
    }

    /// Forgets keys the remote turned out not to have.
    public mutating func remove<Keys: Sequence>(_ gone: Keys) where Keys.Element == String {
        for key in gone where keys.remove(key) != nil { dirty = true }
    }

    /// Replaces everything known under `prefix` by a fresh listing of it.
    public mutating func replace<Keys: Sequence>(prefix: String, with listed: Keys) where Keys.Element == String {
        keys = keys.filter { !$0.hasPrefix(prefix) }
        keys.formUnion(listed)
        dirty = true
    }

    /// Writes the index when it changed. A failure only costs a later push some requests, so it is not an error.
    public mutating func save() {
        guard dirty else { return }
        var text = Self.magic + url + "\n"
        text.reserveCapacity(text.utf8.count + keys.count * 46)
        for key in keys.sorted() {
            text += key
            text += "\n"
        }
        do {
            try FileSystem.makeDirectories(RepoPath.parent(path))
            try FileSystem.writeFileAtomically(Array(text.utf8), to: path)
            dirty = false
        } catch {
            return
        }
    }
}
