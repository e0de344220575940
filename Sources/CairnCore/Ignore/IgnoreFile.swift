/// The parsed patterns of one gitignore-syntax file (a `.dvcignore`), with where they came from.
public struct IgnoreFile: Sendable, Equatable {
    /// The ignore file's path as DVC prints it in `check-ignore` (repo-relative, e.g. `sub/.dvcignore`).
    public let path: String
    /// The repo-relative directory the patterns are relative to ("" for the repo root).
    public let baseDirectory: String
    /// The patterns in file order (comments and blank lines dropped).
    public let patterns: [IgnorePattern]

    /// Parses `contents` of the ignore file at repo-relative `path`; its directory is the base.
    public init(path: String, contents: String) {
        self.init(path: path, baseDirectory: RepoPath.parent(path), contents: Array(contents.utf8))
    }

    /// Parses raw bytes of an ignore file whose patterns apply below `baseDirectory` (repo-relative).
    public init(path: String, baseDirectory: String, contents: [UInt8]) {
        self.path = path
        self.baseDirectory = baseDirectory
        self.patterns = IgnoreFile.parse(contents)
    }

    /// Creates an ignore file from already parsed patterns.
    public init(path: String, baseDirectory: String, patterns: [IgnorePattern]) {
        self.path = path
        self.baseDirectory = baseDirectory
        self.patterns = patterns
    }

    /// Splits the text into patterns the way git reads an ignore file.
    static func parse(_ bytes: [UInt8]) -> [IgnorePattern] {
        var start = 0
        // A UTF-8 byte order mark is skipped, as git does.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        var patterns: [IgnorePattern] = []
        var lineNumber = 1
        var lineStart = start
        var index = start
        while lineStart < bytes.count {
            while index < bytes.count && bytes[index] != 0x0A { index += 1 }
            var lineEnd = index
            // Empty lines and comments are skipped before the CR and trailing spaces go.
            if lineEnd > lineStart && bytes[lineStart] != UInt8(ascii: "#") {
                if bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                lineEnd = trimmedEnd(bytes, lineStart, lineEnd)
                if lineEnd > lineStart {
                    patterns.append(IgnorePattern(line: lineNumber, bytes: Array(bytes[lineStart..<lineEnd])))
                }
            }
            lineNumber += 1
            index += 1
            lineStart = index
        }
        return patterns
    }

    /// End of the line without its trailing spaces; a backslash protects the byte after it.
    private static func trimmedEnd(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int {
        var lastSpace: Int?
        var i = start
        while i < end {
            let byte = bytes[i]
            if byte == 0x20 {
                if lastSpace == nil { lastSpace = i }
            } else if byte == UInt8(ascii: "\\") {
                i += 1
                if i == end { return end }
                lastSpace = nil
            } else {
                lastSpace = nil
            }
            i += 1
        }
        return lastSpace ?? end
    }
}

/// One pattern line of an ignore file, pre-analysed the way git classifies it.
public struct IgnorePattern: Sendable, Equatable {
    /// 1-based line number in the ignore file.
    public let line: Int
    /// The pattern as written, without trailing spaces (what `check-ignore` prints).
    public let text: String
    /// `!pattern`: re-includes what an earlier pattern excluded.
    public let isNegated: Bool
    /// `pattern/`: matches directories only.
    public let isDirectoryOnly: Bool
    /// Contains a `/` before its end: matched against the path relative to the ignore file's directory;
    /// otherwise matched against the name at any depth.
    public let isAnchored: Bool

    /// The glob bytes without `!`, trailing `/` and (for anchored patterns) leading `/`.
    let glob: [UInt8]
    /// Length of the literal start of `glob` (up to the first glob special).
    let literalPrefixLength: Int
    /// `*literal` (no other specials): a suffix test on the name.
    let isSuffix: Bool

    /// Parses one non-comment pattern line (already stripped of its line end and trailing spaces).
    public init(line: Int, text: String) {
        self.init(line: line, bytes: Array(text.utf8))
    }

    init(line: Int, bytes: [UInt8]) {
        self.line = line
        self.text = String(decoding: bytes, as: UTF8.self)
        var body = bytes[...]
        isNegated = body.first == UInt8(ascii: "!")
        if isNegated { body = body.dropFirst() }
        isDirectoryOnly = body.last == UInt8(ascii: "/")
        if isDirectoryOnly { body = body.dropLast() }
        isAnchored = body.contains(UInt8(ascii: "/"))
        var prefix = min(Wildmatch.literalPrefixLength(body), body.count)
        isSuffix = !isAnchored && body.first == UInt8(ascii: "*")
            && !body.dropFirst().contains(where: Wildmatch.isSpecial)
        if isAnchored && body.first == UInt8(ascii: "/") {
            body = body.dropFirst()
            prefix -= 1
        }
        glob = Array(body)
        literalPrefixLength = max(prefix, 0)
    }

    /// Whether the pattern is literal (no glob specials at all).
    var isLiteral: Bool { literalPrefixLength == glob.count }
}
