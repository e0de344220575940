/// A direct scanner for `.dir` manifests in the exact shape DVC writes
/// (`[{"md5": "<hex>", "relpath": "<json string>"}, …]`): no JSON tree for 100,000-entry directories.
/// Returns nil on any other shape, so the caller can fall back to the general JSON parser.
enum ManifestScanner {
    static func scan(_ bytes: [UInt8]) -> [DirManifest.Entry]? {
        let prefix = Array(#"{"md5": ""#.utf8)
        let middle = Array(#"", "relpath": "#.utf8)
        var entries: [DirManifest.Entry] = []
        var index = 0
        func expect(_ literal: [UInt8]) -> Bool {
            guard index + literal.count <= bytes.count else { return false }
            for offset in 0..<literal.count where bytes[index + offset] != literal[offset] { return false }
            index += literal.count
            return true
        }
        guard expect([UInt8(ascii: "[")]) else { return nil }
        if expect([UInt8(ascii: "]")]) { return index == bytes.count ? [] : nil }
        while true {
            guard expect(prefix), index + 32 <= bytes.count,
                  let id = ObjectID(String(decoding: bytes[index..<index + 32], as: UTF8.self)) else { return nil }
            index += 32
            guard expect(middle), let relpath = scanString(bytes, &index), expect([UInt8(ascii: "}")]) else { return nil }
            entries.append(DirManifest.Entry(relpath: relpath, id: id))
            if expect([UInt8(ascii: "]")]) { return index == bytes.count ? entries : nil }
            guard expect(Array(", ".utf8)) else { return nil }
        }
    }

    /// A JSON string starting at `index` (on its opening quote); plain runs are copied, escapes decoded.
    private static func scanString(_ bytes: [UInt8], _ index: inout Int) -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\") { end += 1 }
        guard end < bytes.count else { return nil }
        if bytes[end] == UInt8(ascii: "\"") {
            index = end + 1
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        // Escapes: let the JSON parser decode just this string.
        var close = end
        while close < bytes.count {
            if bytes[close] == UInt8(ascii: "\\") { close += 2; continue }
            if bytes[close] == UInt8(ascii: "\"") { break }
            close += 1
        }
        guard close < bytes.count, case .string(let text)? = try? JSONValue.parse(bytes[(start - 1)...close]) else {
            return nil
        }
        index = close + 1
        return text
    }
}
