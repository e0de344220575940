import Foundation

/// Decides which repo paths `.dvcignore` files exclude, with git's gitignore semantics.
///
/// Deeper ignore files take precedence over shallower ones, later lines over earlier ones; a path inside an
/// excluded directory stays excluded whatever negations say. `.git` (any entry) and `.hg`/`.dvc`
/// directories are always ignored. All matching runs on UTF-8 bytes without allocation in the common cases.
public struct IgnoreMatcher: Sendable {
    /// The ignore files, shallowest first (stable for equal depths).
    public let files: [IgnoreFile]
    let bases: [[UInt8]]

    /// A matcher with no ignore files (only the built-in names are ignored).
    public static let builtInOnly = IgnoreMatcher(files: [])

    /// Builds a matcher from ignore files anywhere in the repo.
    public init(files: [IgnoreFile]) {
        let sorted = files.enumerated().sorted { lhs, rhs in
            let l = IgnoreMatcher.depth(lhs.element.baseDirectory)
            let r = IgnoreMatcher.depth(rhs.element.baseDirectory)
            return l != r ? l < r : lhs.offset < rhs.offset
        }.map(\.element)
        self.files = sorted
        self.bases = sorted.map { Array($0.baseDirectory.utf8) }
    }

    /// A matcher that also honours `file` (e.g. a `.dvcignore` found during a walk).
    public func adding(_ file: IgnoreFile) -> IgnoreMatcher {
        IgnoreMatcher(files: files + [file])
    }

    /// Whether there are no patterns at all (only the built-in names apply).
    public var isEmpty: Bool { files.allSatisfy { $0.patterns.isEmpty } }

    private static func depth(_ directory: String) -> Int {
        directory.isEmpty ? 0 : directory.utf8.reduce(1) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) }
    }

    // MARK: Queries on whole paths

    /// Whether the repo-relative path is ignored, its parent directories included.
    public func isIgnored(_ relpath: String, isDirectory: Bool) -> Bool {
        if let hit = decidingHit(relpath, isDirectory: isDirectory) { return !isNegated(hit) }
        return false
    }

    /// The rule that decides `relpath` (an excluded parent's rule if a parent is excluded), negations included;
    /// nil when no rule applies. What `check-ignore --details` prints.
    public func explain(_ relpath: String, isDirectory: Bool) -> IgnoreMatch? {
        decidingHit(relpath, isDirectory: isDirectory).map(match(for:))
    }

    /// Whether the entry `name` of `directory` (repo-relative, "" for the root) is ignored, assuming the directory
    /// itself is not: the check a walker makes per entry.
    public func isIgnored(name: String, inDirectory directory: String, isDirectory: Bool) -> Bool {
        let path = directory.isEmpty ? name : directory + "/" + name
        let nameStart = directory.isEmpty ? 0 : directory.utf8.count + 1
        return withBytes(path) { bytes in
            guard let hit = entryHit(bytes, nameStart: nameStart, isDirectory: isDirectory) else { return false }
            return !isNegated(hit)
        }
    }

    /// The precompiled rules for the entries of `directory`, for walkers (see ``DirectoryIgnoreRules``).
    public func rules(forDirectory directory: String) -> DirectoryIgnoreRules {
        let applicable = files.filter { RepoPath.isInside(directory, $0.baseDirectory) }
        return DirectoryIgnoreRules(directory: directory, files: applicable)
    }

    // MARK: Evaluation

    /// Identifies the deciding rule without building strings.
    enum Hit: Equatable {
        case pattern(file: Int, index: Int)
        case builtIn(BuiltIn)
    }

    /// The names that are ignored whatever the ignore files say.
    enum BuiltIn: Equatable {
        case git, hg, dvc

        var pattern: String {
            switch self {
            case .git: return ".git"
            case .hg: return ".hg/"
            case .dvc: return ".dvc/"
            }
        }

        /// The built-in rule for an entry name, if any.
        @inline(__always)
        static func matching(_ name: UnsafeBufferPointer<UInt8>, isDirectory: Bool) -> BuiltIn? {
            guard (name.count == 3 || name.count == 4), name[0] == UInt8(ascii: ".") else { return nil }
            if name.count == 4 {
                if name[1] == UInt8(ascii: "g") && name[2] == UInt8(ascii: "i") && name[3] == UInt8(ascii: "t") {
                    return .git
                }
                if isDirectory && name[1] == UInt8(ascii: "d") && name[2] == UInt8(ascii: "v")
                    && name[3] == UInt8(ascii: "c")
                {
                    return .dvc
                }
                return nil
            }
            if isDirectory && name[1] == UInt8(ascii: "h") && name[2] == UInt8(ascii: "g") { return .hg }
            return nil
        }
    }

    func isNegated(_ hit: Hit) -> Bool {
        switch hit {
        case .builtIn: return false
        case let .pattern(file, index): return files[file].patterns[index].isNegated
        }
    }

    func match(for hit: Hit) -> IgnoreMatch {
        switch hit {
        case let .builtIn(builtIn):
            return IgnoreMatch(source: "", line: nil, pattern: builtIn.pattern, isNegated: false)
        case let .pattern(file, index):
            let pattern = files[file].patterns[index]
            return IgnoreMatch(
                source: files[file].path, line: pattern.line, pattern: pattern.text, isNegated: pattern.isNegated)
        }
    }

    private func decidingHit(_ relpath: String, isDirectory: Bool) -> Hit? {
        var path = relpath
        var isDirectory = isDirectory
        while path.utf8.count > 1 && path.utf8.last == UInt8(ascii: "/") {
            path.removeLast()
            isDirectory = true
        }
        if path.isEmpty { return nil }
        return withBytes(path) { bytes in
            var componentStart = 0
            var i = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "/") {
                    // A parent directory: excluded parents hide everything below them.
                    if i > componentStart {
                        let parent = UnsafeBufferPointer(rebasing: bytes[0..<i])
                        if let hit = entryHit(parent, nameStart: componentStart, isDirectory: true),
                            !isNegated(hit)
                        {
                            return hit
                        }
                    }
                    componentStart = i + 1
                }
                i += 1
            }
            if componentStart >= bytes.count { return nil }
            return entryHit(bytes, nameStart: componentStart, isDirectory: isDirectory)
        }
    }

    /// The deciding rule for the last component of `path` (which starts at `nameStart`), ignoring parents.
    func entryHit(_ path: UnsafeBufferPointer<UInt8>, nameStart: Int, isDirectory: Bool) -> Hit? {
        let name = UnsafeBufferPointer(rebasing: path[nameStart...])
        if let builtIn = BuiltIn.matching(name, isDirectory: isDirectory) { return .builtIn(builtIn) }
        let parentLength = nameStart == 0 ? 0 : nameStart - 1
        var fileIndex = files.count - 1
        while fileIndex >= 0 {
            let base = bases[fileIndex]
            if IgnoreMatcher.directory(path, length: parentLength, isAtOrBelow: base) {
                let patterns = files[fileIndex].patterns
                var index = patterns.count - 1
                while index >= 0 {
                    let pattern = patterns[index]
                    if (!pattern.isDirectoryOnly || isDirectory)
                        && IgnoreMatcher.matches(pattern, path: path, nameStart: nameStart, base: base)
                    {
                        return .pattern(file: fileIndex, index: index)
                    }
                    index -= 1
                }
            }
            fileIndex -= 1
        }
        return nil
    }

    /// Whether `path[0..<length]` is `base` or below it ("" is the root).
    @inline(__always)
    static func directory(_ path: UnsafeBufferPointer<UInt8>, length: Int, isAtOrBelow base: [UInt8]) -> Bool {
        if base.isEmpty { return true }
        if length < base.count { return false }
        if length > base.count && path[base.count] != UInt8(ascii: "/") { return false }
        return base.withUnsafeBufferPointer { b in
            memcmpEqual(UnsafeBufferPointer(rebasing: path[0..<b.count]), b)
        }
    }

    /// git's per-pattern test: names for unanchored patterns, paths relative to the base for anchored ones.
    static func matches(
        _ pattern: IgnorePattern, path: UnsafeBufferPointer<UInt8>, nameStart: Int, base: [UInt8]
    ) -> Bool {
        pattern.glob.withUnsafeBufferPointer { glob in
            if !pattern.isAnchored {
                let name = UnsafeBufferPointer(rebasing: path[nameStart...])
                return matchesName(pattern, glob: glob, name: name)
            }
            let relativeStart = base.isEmpty ? 0 : base.count + 1
            let relative = UnsafeBufferPointer(rebasing: path[relativeStart...])
            return matchesRelativePath(pattern, glob: glob, relative)
        }
    }

    @inline(__always)
    static func matchesName(
        _ pattern: IgnorePattern, glob: UnsafeBufferPointer<UInt8>, name: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        if pattern.isLiteral { return memcmpEqual(glob, name) }
        if pattern.isSuffix {
            let suffixLength = glob.count - 1
            if suffixLength > name.count { return false }
            return memcmpEqual(
                UnsafeBufferPointer(rebasing: glob[1...]),
                UnsafeBufferPointer(rebasing: name[(name.count - suffixLength)...]))
        }
        return Wildmatch.matches(glob, name, pathname: false)
    }

    /// Anchored pattern against the path relative to its ignore file's directory (git's `match_pathname`).
    static func matchesRelativePath(
        _ pattern: IgnorePattern, glob: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        let prefix = pattern.literalPrefixLength
        if prefix > 0 {
            if prefix > text.count { return false }
            if !memcmpEqual(UnsafeBufferPointer(rebasing: glob[0..<prefix]), UnsafeBufferPointer(rebasing: text[0..<prefix])) {
                return false
            }
            if prefix == glob.count { return prefix == text.count }
        }
        return Wildmatch.matches(glob, from: prefix, text, from: prefix, pathname: true)
    }
}

/// Byte equality of two buffers.
@inline(__always)
func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    if a.count != b.count { return false }
    if a.count == 0 { return true }
    return memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
}

/// Runs `body` on the UTF-8 bytes of `string` without copying when the string is native.
@inline(__always)
func withBytes<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    var string = string
    return string.withUTF8 { body($0) }
}
