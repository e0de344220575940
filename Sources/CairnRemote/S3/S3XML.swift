/// A tiny scanner for S3's XML responses (flat, known elements, no CDATA), so cairn needs no XML library.
public struct S3XML: Sendable {
    private let bytes: [UInt8]

    /// Wraps a response body.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Wraps a response body given as text.
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    /// The decoded text of every `<tag>…</tag>` (also `<tag attr="…">`), in document order.
    public func values(_ tag: String) -> [String] {
        elementRanges(tag).map { Self.decodeEntities(bytes[$0]) }
    }

    /// The first `<tag>` text, if any.
    public func value(_ tag: String) -> String? { values(tag).first }

    /// Every `<tag>…</tag>` element's inner XML as its own scanner (e.g. each `<Contents>`).
    public func elements(_ tag: String) -> [S3XML] {
        elementRanges(tag).map { S3XML(Array(bytes[$0])) }
    }

    /// Whether the document's root element is `tag`.
    public func hasRoot(_ tag: String) -> Bool {
        var index = 0
        while let open = find(UInt8(ascii: "<"), from: index) {
            let next = open + 1 < bytes.count ? bytes[open + 1] : 0
            if next == UInt8(ascii: "?") || next == UInt8(ascii: "!") { index = open + 1; continue }
            return matchesName(Array(tag.utf8), at: open + 1)
        }
        return false
    }

    private func find(_ byte: UInt8, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    private func matchesName(_ name: [UInt8], at index: Int) -> Bool {
        guard index + name.count <= bytes.count else { return false }
        for offset in 0..<name.count where bytes[index + offset] != name[offset] { return false }
        let after = index + name.count
        guard after < bytes.count else { return false }
        let terminator = bytes[after]
        return terminator == UInt8(ascii: ">") || terminator == UInt8(ascii: " ") || terminator == UInt8(ascii: "/")
            || terminator == UInt8(ascii: "\n") || terminator == UInt8(ascii: "\t") || terminator == UInt8(ascii: "\r")
    }

    /// Ranges of the inner content of each outermost `<tag>` element (nested same-name elements are counted).
    private func elementRanges(_ tag: String) -> [Range<Int>] {
        let name = Array(tag.utf8)
        var ranges: [Range<Int>] = []
        var index = 0
        var depth = 0
        var contentStart = 0
        while let open = find(UInt8(ascii: "<"), from: index) {
            guard let close = find(UInt8(ascii: ">"), from: open) else { break }
            index = close + 1
            if open + 1 < bytes.count, bytes[open + 1] == UInt8(ascii: "/") {
                if matchesName(name, at: open + 2), depth > 0 {
                    depth -= 1
                    if depth == 0 { ranges.append(contentStart..<open) }
                }
            } else if matchesName(name, at: open + 1) {
                if bytes[close - 1] == UInt8(ascii: "/") {
                    if depth == 0 { ranges.append(close + 1..<close + 1) }  // `<tag/>`: empty content
                } else {
                    if depth == 0 { contentStart = close + 1 }
                    depth += 1
                }
            }
        }
        return ranges
    }

    /// Replaces XML's entity and character references.
    static func decodeEntities(_ slice: ArraySlice<UInt8>) -> String {
        guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var index = slice.startIndex
        while index < slice.endIndex {
            let byte = slice[index]
            guard byte == UInt8(ascii: "&"), let semicolon = slice[index...].firstIndex(of: UInt8(ascii: ";")),
                  semicolon - index <= 10
            else {
                out.append(byte)
                index += 1
                continue
            }
            let entity = String(decoding: slice[(index + 1)..<semicolon], as: UTF8.self)
            var replacement: [UInt8]?
            switch entity {
            case "amp": replacement = [UInt8(ascii: "&")]
            case "lt": replacement = [UInt8(ascii: "<")]
            case "gt": replacement = [UInt8(ascii: ">")]
            case "quot": replacement = [UInt8(ascii: "\"")]
            case "apos": replacement = [UInt8(ascii: "'")]
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X"), let code = UInt32(entity.dropFirst(2), radix: 16),
                   let scalar = Unicode.Scalar(code) {
                    replacement = Array(String(Character(scalar)).utf8)
                } else if entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()), let scalar = Unicode.Scalar(code) {
                    replacement = Array(String(Character(scalar)).utf8)
                }
            }
            if let replacement {
                out.append(contentsOf: replacement)
                index = semicolon + 1
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Escapes text for an XML element body.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}

/// One page of a ListObjectsV2 answer.
public struct S3ListPage: Sendable, Equatable {
    /// Object keys (full, including the store prefix).
    public var keys: [String]
    /// The token for the next page when the listing is truncated.
    public var nextContinuationToken: String?

    /// Parses a `ListBucketResult` document.
    public init(parsing xml: S3XML) {
        keys = xml.elements("Contents").compactMap { $0.value("Key") }
        let truncated = xml.value("IsTruncated")?.lowercased() == "true"
        nextContinuationToken = truncated ? xml.value("NextContinuationToken") : nil
    }
}

/// An S3 `<Error>` document's code and message.
public struct S3ErrorBody: Sendable, Equatable {
    /// `NoSuchKey`, `AccessDenied`, `SlowDown`, …
    public var code: String?
    /// The server's human-readable message.
    public var message: String?

    /// Parses an `Error` document; both fields are nil for bodies that are not one.
    public init(parsing xml: S3XML) {
        guard xml.hasRoot("Error") else { return }
        code = xml.value("Code")
        message = xml.value("Message")
    }
}

/// Failed entries of a `DeleteResult` (quiet mode lists only the failures).
public struct S3DeleteResult: Sendable, Equatable {
    /// (key, code, message) of each object that could not be deleted.
    public var errors: [(key: String, code: String, message: String)]

    /// Parses a `DeleteResult` document.
    public init(parsing xml: S3XML) {
        errors = xml.elements("Error").map { ($0.value("Key") ?? "", $0.value("Code") ?? "", $0.value("Message") ?? "") }
    }

    public static func == (lhs: S3DeleteResult, rhs: S3DeleteResult) -> Bool {
        lhs.errors.elementsEqual(rhs.errors) { $0.key == $1.key && $0.code == $1.code && $0.message == $1.message }
    }
}
