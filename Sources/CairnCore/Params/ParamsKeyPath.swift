/// A dotted params key resolved the way DVC resolves it (`dpath.get` with `.` as separator): each part is a glob
/// (`fnmatch` rules) matched against mapping keys and list indexes; exactly one match is a value.
enum ParamsKeyPath {
    /// What a key finds in a document.
    enum Match: Equatable {
        case none
        case one(YAMLValue)
        /// Several values match a glob; DVC refuses ("dpath.get() globs must match only one leaf").
        case many
    }

    /// Resolves `key` in `document`.
    static func resolve(_ key: String, in document: YAMLValue) -> Match {
        // dpath strips leading separators; an empty key addresses the whole document.
        let trimmed = key.drop { $0 == "." }
        if key.isEmpty { return .one(document) }
        let globs = trimmed.split(separator: ".", omittingEmptySubsequences: false).map(Segment.init)
        var found: [YAMLValue] = []
        if let starStar = globs.firstIndex(where: \.isStarStar) {
            walkAll(document, depth: 0) { path, value in
                guard matches(path, globs, starStar: starStar) else { return true }
                found.append(value)
                return found.count < 2
            }
        } else {
            descend(document, globs[...], found: &found)
        }
        switch found.count {
        case 0: return .none
        case 1: return .one(found[0])
        default: return .many
        }
    }

    /// One part of a key: its text, and how it matches a path step.
    struct Segment {
        let text: Substring
        let scalars: [Unicode.Scalar]
        let hasGlob: Bool
        /// The part as Python's `int()` reads it, for list indexes and integer keys.
        let integer: Int?
        var isStarStar: Bool { text == "**" }

        init(_ text: Substring) {
            self.text = text
            scalars = Array(text.unicodeScalars)
            hasGlob = text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
            integer = pythonInt(text)
        }

        /// dpath's segment match: integer steps compare numerically when the part is an integer, otherwise as
        /// text; string keys by `fnmatchcase`; other keys (floats, null) never match.
        func matches(_ step: Step) -> Bool {
            switch step {
            case .index(let index, let count):
                if let integer { return integer == index || count + integer == index }
                return fnmatch(Array(String(index).unicodeScalars))
            case .key(let key):
                switch key {
                case .string(let name):
                    return hasGlob ? fnmatch(Array(name.unicodeScalars)) : name == text
                case .int(let number):
                    if let integer { return integer == number }
                    return fnmatch(Array(String(number).unicodeScalars))
                case .bool(let flag):
                    if let integer { return integer == (flag ? 1 : 0) }
                    return fnmatch(Array((flag ? "True" : "False").unicodeScalars))
                default:
                    return false
                }
            }
        }

        func fnmatch(_ name: [Unicode.Scalar]) -> Bool {
            hasGlob ? FNMatch.matches(name[...], scalars[...]) : name == scalars
        }
    }

    /// A step of a path through the document.
    enum Step {
        case index(Int, count: Int)
        case key(YAMLValue)
    }

    private static func children(_ value: YAMLValue) -> [(Step, YAMLValue)] {
        switch value {
        case .mapping(let mapping): return mapping.pairs.map { (.key($0.key), $0.value) }
        case .sequence(let items): return items.enumerated().map { (.index($0.offset, count: items.count), $0.element) }
        default: return []
        }
    }

    /// Without `**` only paths as long as the key can match, so the walk follows matching parts only.
    private static func descend(_ value: YAMLValue, _ globs: ArraySlice<Segment>, found: inout [YAMLValue]) {
        guard let glob = globs.first, found.count < 2 else { return }
        switch value {
        case .mapping(let mapping):
            for pair in mapping.pairs where glob.matches(.key(pair.key)) {
                if globs.count == 1 { found.append(pair.value) } else { descend(pair.value, globs.dropFirst(), found: &found) }
                if found.count >= 2 { return }
            }
        case .sequence(let items):
            for (offset, item) in items.enumerated() where glob.matches(.index(offset, count: items.count)) {
                if globs.count == 1 { found.append(item) } else { descend(item, globs.dropFirst(), found: &found) }
                if found.count >= 2 { return }
            }
        default:
            return
        }
    }

    /// Every (path, value) in dpath's order (children of a node, then each child's subtree); `visit` returns false
    /// to stop.
    @discardableResult
    private static func walkAll(_ value: YAMLValue, depth: Int, prefix: [Step] = [],
                                _ visit: (_ path: [Step], _ value: YAMLValue) -> Bool) -> Bool {
        let nodes = children(value)
        for (step, child) in nodes where !visit(prefix + [step], child) { return false }
        for (step, child) in nodes where !walkAll(child, depth: depth + 1, prefix: prefix + [step], visit) {
            return false
        }
        return true
    }

    /// dpath's `match` with one `**`: it stands for as many `*` parts as make the lengths equal (or for none).
    private static func matches(_ path: [Step], _ globs: [Segment], starStar: Int) -> Bool {
        let star = Segment("*")
        var expanded = globs
        if path.count >= globs.count {
            expanded.replaceSubrange(starStar...starStar, with: repeatElement(star, count: path.count - globs.count + 1))
        } else if path.count == globs.count - 1 {
            expanded.remove(at: starStar)
        } else {
            return false
        }
        // A second `**` is an error in dpath; here it simply matches only itself as a pattern of stars.
        return zip(path, expanded).allSatisfy { $1.matches($0) }
    }
}

/// Python's `int()` of a string: surrounding whitespace, a sign, digits with single underscores between them.
func pythonInt(_ text: Substring) -> Int? {
    var body = text.drop { $0.isWhitespace }
    while let last = body.last, last.isWhitespace { body = body.dropLast() }
    var digits = ""
    var negative = false
    if let first = body.first, first == "+" || first == "-" {
        negative = first == "-"
        body = body.dropFirst()
    }
    var previousUnderscore = true
    for character in body {
        if character == "_" {
            if previousUnderscore { return nil }
            previousUnderscore = true
        } else if character.isASCII, character.isNumber {
            digits.append(character)
            previousUnderscore = false
        } else {
            return nil
        }
    }
    guard !digits.isEmpty, !previousUnderscore else { return nil }
    return Int((negative ? "-" : "") + digits)
}

/// Python's `fnmatch.fnmatchcase` over Unicode scalars: `*`, `?`, `[seq]`, `[!seq]`; an unclosed `[` is literal.
enum FNMatch {
    static func matches(_ name: ArraySlice<Unicode.Scalar>, _ pattern: ArraySlice<Unicode.Scalar>) -> Bool {
        var name = name
        var pattern = pattern
        while let token = pattern.first {
            switch token {
            case "*":
                let rest = pattern.drop { $0 == "*" }
                if rest.isEmpty { return true }
                var tail = name
                while true {
                    if matches(tail, rest) { return true }
                    guard !tail.isEmpty else { return false }
                    tail = tail.dropFirst()
                }
            case "?":
                guard !name.isEmpty else { return false }
                name = name.dropFirst()
                pattern = pattern.dropFirst()
            case "[":
                if let (matched, after) = matchClass(name.first, pattern) {
                    guard matched else { return false }
                    name = name.dropFirst()
                    pattern = pattern[after...]
                } else {
                    guard name.first == "[" else { return false }
                    name = name.dropFirst()
                    pattern = pattern.dropFirst()
                }
            default:
                guard name.first == token else { return false }
                name = name.dropFirst()
                pattern = pattern.dropFirst()
            }
        }
        return name.isEmpty
    }

    /// A `[...]` class at the start of `pattern`: whether `character` is in it and where the pattern continues;
    /// nil when the bracket is not closed (then it is a literal `[`).
    private static func matchClass(_ character: Unicode.Scalar?, _ pattern: ArraySlice<Unicode.Scalar>)
        -> (Bool, ArraySlice<Unicode.Scalar>.Index)? {
        var position = pattern.index(after: pattern.startIndex)
        var negated = false
        if position < pattern.endIndex, pattern[position] == "!" {
            negated = true
            position += 1
        }
        let contentStart = position
        // A `]` right after `[` or `[!` is part of the class.
        if position < pattern.endIndex, pattern[position] == "]" { position += 1 }
        while position < pattern.endIndex, pattern[position] != "]" { position += 1 }
        guard position < pattern.endIndex else { return nil }
        let content = Array(pattern[contentStart..<position])
        let after = position + 1
        if content.isEmpty { return (negated && character != nil, after) }
        guard let character else { return (false, after) }
        var found = false
        var index = 0
        while index < content.count {
            if index + 2 < content.count, content[index + 1] == "-" {
                if content[index].value <= content[index + 2].value,
                   (content[index].value...content[index + 2].value).contains(character.value) { found = true }
                index += 3
            } else {
                if content[index] == character { found = true }
                index += 1
            }
        }
        return (found != negated, after)
    }
}
