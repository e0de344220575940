/// Git's wildmatch over raw bytes: the glob dialect of gitignore files, with the same results as git's own matcher.
///
/// Works on UTF-8 bytes, so `?` and bracket classes match single bytes exactly as git does (not characters).
enum Wildmatch {
    /// The outcome of one match attempt; the two abort kinds let outer `*`/`**` stop trying further positions.
    enum Result: Equatable {
        case match
        case noMatch
        case abortAll
        case abortToStarStar
    }

    private static let star = UInt8(ascii: "*")
    private static let question = UInt8(ascii: "?")
    private static let openBracket = UInt8(ascii: "[")
    private static let closeBracket = UInt8(ascii: "]")
    private static let backslash = UInt8(ascii: "\\")
    private static let slash = UInt8(ascii: "/")
    private static let bang = UInt8(ascii: "!")
    private static let caret = UInt8(ascii: "^")
    private static let dash = UInt8(ascii: "-")
    private static let colon = UInt8(ascii: ":")

    /// Whether the bytes contain any of git's glob specials (`*`, `?`, `[`, `\`).
    @inline(__always)
    static func isSpecial(_ byte: UInt8) -> Bool {
        byte == star || byte == question || byte == openBracket || byte == backslash
    }

    /// Number of leading bytes before the first glob special (git's "simple length").
    static func literalPrefixLength<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
        var count = 0
        for byte in bytes {
            if isSpecial(byte) { break }
            count += 1
        }
        return count
    }

    /// Matches `text` against `pattern[patternStart...]`; `pathname` makes `*`, `?` and classes stop at `/`.
    @inline(__always)
    static func matches(
        _ pattern: UnsafeBufferPointer<UInt8>, from patternStart: Int = 0,
        _ text: UnsafeBufferPointer<UInt8>, from textStart: Int = 0, pathname: Bool
    ) -> Bool {
        match(pattern, patternStart, text, textStart, pathname) == .match
    }

    /// The recursive core. `patternStart` is where this (sub-)pattern begins: a `**` right there counts as
    /// preceded by a slash, as in git.
    static func match(
        _ pat: UnsafeBufferPointer<UInt8>, _ patternStart: Int,
        _ text: UnsafeBufferPointer<UInt8>, _ textStart: Int, _ pathname: Bool
    ) -> Result {
        let pEnd = pat.count
        let tEnd = text.count
        var p = patternStart
        var t = textStart
        while p < pEnd {
            let pCh = pat[p]
            if t == tEnd && pCh != star { return .abortAll }
            let tCh: UInt8 = t < tEnd ? text[t] : 0
            switch pCh {
            case backslash:
                p += 1
                // A trailing lone backslash matches nothing.
                if p == pEnd || tCh != pat[p] { return .noMatch }
            case question:
                if pathname && tCh == slash { return .noMatch }
            case star:
                let firstStar = p
                p += 1
                var matchSlash: Bool
                if p < pEnd && pat[p] == star {
                    while p < pEnd && pat[p] == star { p += 1 }
                    if !pathname {
                        matchSlash = true
                    } else if (firstStar == patternStart || pat[firstStar - 1] == slash)
                        && (p == pEnd || pat[p] == slash
                            || (pat[p] == backslash && p + 1 < pEnd && pat[p + 1] == slash))
                    {
                        // `**/` may also match no directory at all.
                        if p < pEnd && pat[p] == slash && match(pat, p + 1, text, t, pathname) == .match {
                            return .match
                        }
                        matchSlash = true
                    } else {
                        matchSlash = false
                    }
                } else {
                    matchSlash = !pathname
                }
                if p == pEnd {
                    if !matchSlash {
                        var i = t
                        while i < tEnd {
                            if text[i] == slash { return .noMatch }
                            i += 1
                        }
                    }
                    return .match
                } else if !matchSlash && pat[p] == slash {
                    // One `*` before a slash: skip to the next slash in the text.
                    var i = t
                    while i < tEnd && text[i] != slash { i += 1 }
                    if i == tEnd { return .noMatch }
                    t = i + 1
                    p += 1
                    continue
                }
                while t < tEnd {
                    let next = pat[p]
                    if !isSpecial(next) {
                        // A literal follows: jump to its next occurrence.
                        while t < tEnd && (matchSlash || text[t] != slash) {
                            if text[t] == next { break }
                            t += 1
                        }
                        if t == tEnd || text[t] != next { return .noMatch }
                    }
                    let result = match(pat, p, text, t, pathname)
                    if result != .noMatch {
                        if !matchSlash || result != .abortToStarStar { return result }
                    } else if !matchSlash && text[t] == slash {
                        return .abortToStarStar
                    }
                    t += 1
                }
                return .abortAll
            case openBracket:
                p += 1
                var pc: UInt8 = p < pEnd ? pat[p] : 0
                if pc == caret { pc = bang }
                let negated = pc == bang
                if negated {
                    p += 1
                    pc = p < pEnd ? pat[p] : 0
                }
                var prev: UInt8 = 0
                var matched = false
                repeat {
                    if p >= pEnd { return .abortAll }
                    if pc == backslash {
                        p += 1
                        if p >= pEnd { return .abortAll }
                        pc = pat[p]
                        if tCh == pc { matched = true }
                    } else if pc == dash && prev != 0 && p + 1 < pEnd && pat[p + 1] != closeBracket {
                        p += 1
                        pc = pat[p]
                        if pc == backslash {
                            p += 1
                            if p >= pEnd { return .abortAll }
                            pc = pat[p]
                        }
                        if tCh <= pc && tCh >= prev { matched = true }
                        pc = 0
                    } else if pc == openBracket && p + 1 < pEnd && pat[p + 1] == colon {
                        let nameStart = p + 2
                        var q = nameStart
                        while q < pEnd && pat[q] != closeBracket { q += 1 }
                        if q >= pEnd { return .abortAll }
                        let nameLength = q - nameStart - 1
                        if nameLength < 0 || pat[q - 1] != colon {
                            // Not a `[:class:]`: the `[` is an ordinary member.
                            p = nameStart - 2
                            pc = openBracket
                            if tCh == pc { matched = true }
                        } else {
                            p = q
                            switch characterClass(pat, nameStart, nameLength, tCh) {
                            case .some(true): matched = true
                            case .some(false): break
                            case .none: return .abortAll
                            }
                            pc = 0
                        }
                    } else if tCh == pc {
                        matched = true
                    }
                    prev = pc
                    p += 1
                    pc = p < pEnd ? pat[p] : 0
                } while pc != closeBracket || p >= pEnd
                if matched == negated || (pathname && tCh == slash) { return .noMatch }
            default:
                if tCh != pCh { return .noMatch }
            }
            p += 1
            t += 1
        }
        return t == tEnd ? .match : .noMatch
    }

    /// Whether `byte` is in the POSIX class named `pattern[start..<start+length]` (ASCII only, as git);
    /// nil for an unknown class name, which makes the whole pattern fail.
    private static func characterClass(
        _ pattern: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int, _ byte: UInt8
    ) -> Bool? {
        let name = String(decoding: UnsafeBufferPointer(rebasing: pattern[start..<(start + length)]), as: UTF8.self)
        let c = byte
        let isUpper = c >= 0x41 && c <= 0x5A
        let isLower = c >= 0x61 && c <= 0x7A
        let isDigit = c >= 0x30 && c <= 0x39
        let isSpace = c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
        let isPrint = c >= 0x20 && c <= 0x7E
        switch name {
        case "alnum": return isUpper || isLower || isDigit
        case "alpha": return isUpper || isLower
        case "blank": return c == 0x20 || c == 0x09
        case "cntrl": return c < 0x20 || c == 0x7F
        case "digit": return isDigit
        case "graph": return isPrint && c != 0x20
        case "lower": return isLower
        case "print": return isPrint
        case "punct": return isPrint && !(isUpper || isLower || isDigit) && c != 0x20
        case "space": return isSpace
        case "upper": return isUpper
        case "xdigit": return isDigit || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
        default: return nil
        }
    }
}
