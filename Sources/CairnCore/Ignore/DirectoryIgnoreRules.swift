/// The ignore rules for the entries of one directory, compiled for that directory: what a walker keeps per
/// directory so that each entry is decided by its name alone, without re-checking its parents.
///
/// Anchored patterns are specialised to the directory (patterns that cannot match there are dropped, literal
/// ones become name comparisons), so most entries cost a few byte comparisons.
public struct DirectoryIgnoreRules: Sendable {
    /// The repo-relative directory whose entries these rules decide ("" for the root).
    public let directory: String
    /// The ignore files that apply here, shallowest first.
    public let files: [IgnoreFile]
    let rules: [Rule]

    /// A specialised pattern, in evaluation order (deepest file's last line first).
    struct Rule: Sendable {
        enum Kind: Sendable {
            /// The name equals these bytes.
            case exact([UInt8])
            /// The name ends with these bytes.
            case suffix([UInt8])
            /// The name starts with `head` and the rest matches `pattern[start...]`.
            case glob(pattern: [UInt8], start: Int, head: [UInt8], pathname: Bool)
            /// `textPrefix + name` matches `pattern[start...]` (patterns whose wildcards reach above the name).
            case prefixed(textPrefix: [UInt8], pattern: [UInt8], start: Int)
        }

        let kind: Kind
        let isNegated: Bool
        let isDirectoryOnly: Bool
        let file: Int
        let index: Int
    }

    /// Compiles the rules of `files` (each applying at `directory` or above) for the entries of `directory`.
    public init(directory: String, files: [IgnoreFile]) {
        self.directory = directory
        self.files = files
        var rules: [Rule] = []
        let dir = Array(directory.utf8)
        for fileIndex in files.indices.reversed() {
            let file = files[fileIndex]
            guard RepoPath.isInside(directory, file.baseDirectory) else { continue }
            let baseLength = file.baseDirectory.utf8.count
            // The directory relative to the ignore file's base, with a trailing slash ("" at the base itself).
            var dirPrefix: [UInt8] = []
            if dir.count > baseLength {
                dirPrefix = Array(dir[(baseLength == 0 ? 0 : baseLength + 1)...])
                dirPrefix.append(UInt8(ascii: "/"))
            }
            for index in file.patterns.indices.reversed() {
                let pattern = file.patterns[index]
                guard let kind = DirectoryIgnoreRules.specialise(pattern, dirPrefix: dirPrefix) else { continue }
                rules.append(
                    Rule(
                        kind: kind, isNegated: pattern.isNegated, isDirectoryOnly: pattern.isDirectoryOnly,
                        file: fileIndex, index: index))
            }
        }
        self.rules = rules
    }

    /// The rules for the sub-directory `name`, adding the ignore file found in it (if any).
    public func child(_ name: String, ignoreFile: IgnoreFile? = nil) -> DirectoryIgnoreRules {
        let path = directory.isEmpty ? name : directory + "/" + name
        var childFiles = files
        if let ignoreFile, RepoPath.isInside(path, ignoreFile.baseDirectory) { childFiles.append(ignoreFile) }
        return DirectoryIgnoreRules(directory: path, files: childFiles)
    }

    /// Whether there is nothing but the built-in names to check.
    public var isEmpty: Bool { rules.isEmpty }

    /// Whether the entry `name` of this directory is ignored (the directory itself is assumed not ignored).
    public func isIgnored(name: String, isDirectory: Bool) -> Bool {
        withBytes(name) { bytes in
            switch hit(bytes, isDirectory: isDirectory) {
            case .none: return false
            case .builtIn: return true
            case let .rule(rule): return !rules[rule].isNegated
            }
        }
    }

    /// Whether the entry whose name is given as UTF-8 bytes is ignored (for walkers reading raw names).
    public func isIgnored(nameBytes: UnsafeBufferPointer<UInt8>, isDirectory: Bool) -> Bool {
        switch hit(nameBytes, isDirectory: isDirectory) {
        case .none: return false
        case .builtIn: return true
        case let .rule(rule): return !rules[rule].isNegated
        }
    }

    /// The rule that decides the entry `name`, negations included; nil when none applies.
    public func explain(name: String, isDirectory: Bool) -> IgnoreMatch? {
        withBytes(name) { bytes in
            switch hit(bytes, isDirectory: isDirectory) {
            case .none: return nil
            case let .builtIn(builtIn):
                return IgnoreMatch(source: "", line: nil, pattern: builtIn.pattern, isNegated: false)
            case let .rule(index):
                let rule = rules[index]
                let pattern = files[rule.file].patterns[rule.index]
                return IgnoreMatch(
                    source: files[rule.file].path, line: pattern.line, pattern: pattern.text,
                    isNegated: pattern.isNegated)
            }
        }
    }

    private enum Hit {
        case builtIn(IgnoreMatcher.BuiltIn)
        case rule(Int)
    }

    @inline(__always)
    private func hit(_ name: UnsafeBufferPointer<UInt8>, isDirectory: Bool) -> Hit? {
        if let builtIn = IgnoreMatcher.BuiltIn.matching(name, isDirectory: isDirectory) { return .builtIn(builtIn) }
        for index in rules.indices {
            let rule = rules[index]
            if rule.isDirectoryOnly && !isDirectory { continue }
            if DirectoryIgnoreRules.matches(rule.kind, name) { return .rule(index) }
        }
        return nil
    }

    @inline(__always)
    private static func matches(_ kind: Rule.Kind, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        switch kind {
        case let .exact(bytes):
            return bytes.withUnsafeBufferPointer { memcmpEqual($0, name) }
        case let .suffix(bytes):
            if bytes.count > name.count { return false }
            return bytes.withUnsafeBufferPointer {
                memcmpEqual($0, UnsafeBufferPointer(rebasing: name[(name.count - bytes.count)...]))
            }
        case let .glob(pattern, start, head, pathname):
            if head.count > name.count { return false }
            if !head.isEmpty {
                let same = head.withUnsafeBufferPointer {
                    memcmpEqual($0, UnsafeBufferPointer(rebasing: name[0..<head.count]))
                }
                if !same { return false }
            }
            return pattern.withUnsafeBufferPointer {
                Wildmatch.matches($0, from: start, name, from: head.count, pathname: pathname)
            }
        case let .prefixed(textPrefix, pattern, start):
            let total = textPrefix.count + name.count
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: total) { buffer in
                _ = buffer.initialize(from: textPrefix)
                _ = UnsafeMutableBufferPointer(rebasing: buffer[textPrefix.count...]).initialize(from: name)
                let matched = pattern.withUnsafeBufferPointer {
                    Wildmatch.matches($0, from: start, UnsafeBufferPointer(buffer), pathname: true)
                }
                buffer.deinitialize()
                return matched
            }
        }
    }

    /// Specialises `pattern` for entries whose path relative to the pattern's base is `dirPrefix + name`;
    /// nil when it can never match there.
    static func specialise(_ pattern: IgnorePattern, dirPrefix: [UInt8]) -> Rule.Kind? {
        let glob = pattern.glob
        let slash = UInt8(ascii: "/")
        if !pattern.isAnchored {
            if pattern.isLiteral { return glob.isEmpty ? nil : .exact(glob) }
            if pattern.isSuffix { return .suffix(Array(glob.dropFirst())) }
            return .glob(pattern: glob, start: 0, head: [], pathname: false)
        }
        let prefix = pattern.literalPrefixLength
        let known = min(prefix, dirPrefix.count)
        if glob[0..<known] != dirPrefix[0..<known] { return nil }
        if prefix > dirPrefix.count {
            let head = Array(glob[dirPrefix.count..<prefix])
            if head.contains(slash) { return nil }
            if prefix == glob.count { return .exact(head) }
            return .glob(pattern: glob, start: prefix, head: head, pathname: true)
        }
        // The whole literal part lies within the directory part of the text.
        if prefix == glob.count { return nil }
        return .prefixed(textPrefix: Array(dirPrefix[prefix...]), pattern: glob, start: prefix)
    }
}
