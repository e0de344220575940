import CairnCore
import CairnTestSupport
import Foundation
@testable import CairnStorage

/// Deterministic pseudo-random bytes (xorshift), so large test files need no stored data.
func pseudoRandomBytes(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed | 1
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { raw in
        var offset = 0
        while offset < count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            withUnsafeBytes(of: state) { word in
                let length = min(8, count - offset)
                for index in 0..<length { raw[offset + index] = word[index] }
            }
            offset += 8
        }
    }
    return bytes
}

/// A fixed old mtime (2020-01-01) so state entries are never within the racy window.
let oldMtime: Int64 = 1_577_836_800_000_000_000

/// Writes a file and backdates it.
@discardableResult
func writeOld(_ dir: TemporaryDirectory, _ relative: String, _ contents: String, offset: Int64 = 0) throws -> String {
    let path = try dir.write(relative, contents)
    try FileSystem.setModificationTime(path, nanoseconds: oldMtime + offset)
    return path
}

/// File names in a directory (including hidden ones).
func names(in path: String) throws -> [String] {
    try FileSystem.listDirectory(path).map(\.name).sorted()
}

/// Every temp file below a directory.
func temporaryFiles(under root: String) throws -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
    var found: [String] = []
    for case let relative as String in enumerator where TemporaryName.isTemporary(lastComponent(relative)) {
        found.append(relative)
    }
    return found
}

/// Collects values from several threads.
final class Collector<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Value] = []

    func append(_ value: Value) {
        lock.lock()
        stored.append(value)
        lock.unlock()
    }

    var values: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// The mode DVC gives a workspace copy: 0666 minus the umask, plus u+x for an executable (0644 / 0744 with 022).
func copyMode(executable: Bool) -> UInt32 {
    let umask = ProcessUmask.current() ?? 0o022
    return 0o666 & ~umask | (executable ? 0o100 : 0)
}
