extension INIFile {
    /// Parses a config file's text; errors name `path` and the line.
    public static func parse(_ text: String, path: String) throws(FormatError) -> INIFile {
        var parser = INIParser(text: text, path: path)
        return try parser.parse()
    }
}

/// A reader for the configobj dialect, line by line on Unicode scalars.
struct INIParser {
    typealias Scalars = [Unicode.Scalar]

    let lines: [Scalars]
    let path: String
    var index = 0

    init(text: String, path: String) {
        var lines: [Scalars] = []
        var current: Scalars = []
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if current.last == "\r" { current.removeLast() }
                lines.append(current)
                current = []
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty {
            if current.last == "\r" { current.removeLast() }
            lines.append(current)
        }
        // A byte order mark at the start is not part of the first line.
        if let first = lines.first, first.first == "\u{FEFF}" { lines[0] = Array(first.dropFirst()) }
        self.lines = lines
        self.path = path
    }

    func error(_ message: String, line: Int) -> FormatError {
        FormatError(
            path: path, line: line, message: message,
            hint: "Fix the line in \(path) (format: [section] then `    key = value` lines); see 'cairn config --help'.")
    }

    mutating func parse() throws(FormatError) -> INIFile {
        var file = INIFile(path: path)
        var current: Int?
        while index < lines.count {
            let line = lines[index]
            let lineNumber = index + 1
            index += 1
            var start = 0
            while start < line.count && isSpace(line[start]) { start += 1 }
            if start == line.count || line[start] == "#" || line[start] == ";" { continue }
            if line[start] == "[" {
                let (name, depth) = try parseSectionMarker(line, from: start, lineNumber: lineNumber)
                if depth != 1 { throw error("nested sections are not supported in DVC config files", line: lineNumber) }
                if file.sections.contains(where: { $0.name == name }) {
                    throw error("duplicate section '\(name)'", line: lineNumber)
                }
                file.sections.append(INISection(name: name, entries: [], line: lineNumber))
                current = file.sections.count - 1
                continue
            }
            let (key, rawValue) = try splitKeyword(line, from: start, lineNumber: lineNumber)
            guard let section = current else {
                throw error("'\(key)' is outside any [section]", line: lineNumber)
            }
            let value = try parseValue(rawValue, lineNumber: lineNumber)
            if file.sections[section].entries.contains(where: { $0.key == key }) {
                throw error("duplicate key '\(key)' in section '\(file.sections[section].name)'", line: lineNumber)
            }
            file.sections[section].entries.append(INIEntry(key: key, value: value, line: lineNumber))
        }
        return file
    }

    // MARK: Section headers

    /// `[ name ]`, `['quoted']`, `["quoted"]`, with an optional trailing `# comment`. Returns name and depth.
    func parseSectionMarker(_ line: Scalars, from start: Int, lineNumber: Int) throws(FormatError) -> (String, Int) {
        var i = start
        var opens = 0
        while i < line.count && line[i] == "[" {
            opens += 1
            i += 1
            while i < line.count && isSpace(line[i]) { i += 1 }
        }
        guard i < line.count else { throw invalidLine(line, lineNumber) }
        let first = line[i]
        if first == "\"" || first == "'" {
            var end = i + 1
            while end < line.count {
                if line[end] == first, line[(i + 1)..<end].contains(where: { !isSpace($0) }),
                    let closes = closingBrackets(line, from: end + 1)
                {
                    if closes != opens { throw error("cannot compute the section depth", line: lineNumber) }
                    return (String(String.UnicodeScalarView(line[(i + 1)..<end])), opens)
                }
                end += 1
            }
            throw invalidLine(line, lineNumber)
        }
        if isSpace(first) { throw invalidLine(line, lineNumber) }
        // Unquoted: the shortest name after which only closing brackets (and a comment) follow.
        var end = i + 1
        while end <= line.count {
            if let closes = closingBrackets(line, from: end) {
                if closes != opens { throw error("cannot compute the section depth", line: lineNumber) }
                return (String(String.UnicodeScalarView(line[i..<end])), opens)
            }
            end += 1
        }
        throw invalidLine(line, lineNumber)
    }

    /// Counts `(\s*])+` at `from` when only spaces and an optional comment follow; nil otherwise.
    func closingBrackets(_ line: Scalars, from: Int) -> Int? {
        var i = from
        var count = 0
        while true {
            var j = i
            while j < line.count && isSpace(line[j]) { j += 1 }
            if j < line.count && line[j] == "]" {
                count += 1
                i = j + 1
            } else {
                break
            }
        }
        if count == 0 { return nil }
        while i < line.count && isSpace(line[i]) { i += 1 }
        return i == line.count || line[i] == "#" ? count : nil
    }

    // MARK: Keys and values

    /// Splits `key = value` (key possibly quoted); the value keeps its trailing spaces.
    func splitKeyword(_ line: Scalars, from start: Int, lineNumber: Int) throws(FormatError) -> (String, Scalars) {
        let first = line[start]
        if first == "=" { throw invalidLine(line, lineNumber) }
        if first == "\"" || first == "'" {
            var end = start + 1
            while end < line.count {
                if line[end] == first {
                    var j = end + 1
                    while j < line.count && isSpace(line[j]) { j += 1 }
                    if j < line.count && line[j] == "=" {
                        j += 1
                        while j < line.count && isSpace(line[j]) { j += 1 }
                        return (String(String.UnicodeScalarView(line[(start + 1)..<end])), Array(line[j...]))
                    }
                }
                end += 1
            }
            throw invalidLine(line, lineNumber)
        }
        guard let equals = line[start...].firstIndex(of: "=") else { throw invalidLine(line, lineNumber) }
        var keyEnd = equals
        while keyEnd > start && isSpace(line[keyEnd - 1]) { keyEnd -= 1 }
        var j = equals + 1
        while j < line.count && isSpace(line[j]) { j += 1 }
        return (String(String.UnicodeScalarView(line[start..<keyEnd])), Array(line[j...]))
    }

    func invalidLine(_ line: Scalars, _ lineNumber: Int) -> FormatError {
        error(
            "invalid line '\(String(String.UnicodeScalarView(line)))' (neither a [section] nor a key = value line)",
            line: lineNumber)
    }

    /// A value: triple-quoted (maybe spanning lines), a quoted or unquoted string, or a comma list.
    mutating func parseValue(_ value: Scalars, lineNumber: Int) throws(FormatError) -> INIValue {
        if value.count >= 3, value[0] == value[1], value[1] == value[2], value[0] == "'" || value[0] == "\"" {
            return .string(try parseTripleQuoted(value, quote: value[0], lineNumber: lineNumber))
        }
        guard let parsed = parseListOrString(value, from: 0) else {
            throw error("cannot parse the value '\(String(String.UnicodeScalarView(value)))'", line: lineNumber)
        }
        return parsed
    }

    /// configobj's value grammar: `item, item, last # comment`, where items are quoted or unquoted.
    func parseListOrString(_ v: Scalars, from start: Int) -> INIValue? {
        var items: [String] = []
        var i = start
        if restIsBlankOrComment(v, from: i) && v[i...].first != "," { return .string("") }
        // A lone comma is the empty list.
        var k = i
        while k < v.count && isSpace(v[k]) { k += 1 }
        if k < v.count && v[k] == "," && restIsBlankOrComment(v, from: k + 1) && items.isEmpty {
            return .list([])
        }
        while true {
            if i >= v.count || v[i] == "#" {
                // Nothing after the last comma.
                return items.isEmpty ? .string("") : .list(items)
            }
            let c = v[i]
            if c == "\"" || c == "'" {
                // Prefer reading it as a list item (followed by a comma), then as the last value.
                var j = i + 1
                var next: Int?
                while j < v.count {
                    if v[j] == c, let after = commaAfter(v, from: j + 1) {
                        items.append(String(String.UnicodeScalarView(v[(i + 1)..<j])))
                        next = after
                        break
                    }
                    j += 1
                }
                if let next {
                    i = next
                    continue
                }
                j = i + 1
                while j < v.count {
                    if v[j] == c && restIsBlankOrComment(v, from: j + 1) {
                        let text = String(String.UnicodeScalarView(v[(i + 1)..<j]))
                        return items.isEmpty ? .string(text) : .list(items + [text])
                    }
                    j += 1
                }
                return nil
            }
            // Unquoted: up to a comma or a comment.
            var j = i
            while j < v.count && v[j] != "," && v[j] != "#" { j += 1 }
            var end = j
            while end > i && isSpace(v[end - 1]) { end -= 1 }
            let text = String(String.UnicodeScalarView(v[i..<end]))
            if j < v.count && v[j] == "," {
                if text.isEmpty { return nil }
                items.append(text)
                i = j + 1
                while i < v.count && isSpace(v[i]) { i += 1 }
                continue
            }
            return items.isEmpty ? .string(text) : .list(items + [text])
        }
    }

    /// Index after `\s*,\s*` at `from`, or nil.
    func commaAfter(_ v: Scalars, from: Int) -> Int? {
        var i = from
        while i < v.count && isSpace(v[i]) { i += 1 }
        guard i < v.count && v[i] == "," else { return nil }
        i += 1
        while i < v.count && isSpace(v[i]) { i += 1 }
        return i
    }

    func restIsBlankOrComment(_ v: Scalars, from: Int) -> Bool {
        var i = from
        while i < v.count && isSpace(v[i]) { i += 1 }
        return i == v.count || v[i] == "#"
    }

    /// `'''text'''` on one line, or opened here and closed on a later line (joined with newlines).
    mutating func parseTripleQuoted(_ value: Scalars, quote: Unicode.Scalar, lineNumber: Int) throws(FormatError) -> String {
        let triple: Scalars = [quote, quote, quote]
        let body = Array(value[3...])
        if let close = firstRange(of: triple, in: body, from: 0) {
            var search = close
            var end: Int? = nil
            while let candidate = firstRange(of: triple, in: body, from: search) {
                if restIsBlankOrComment(body, from: candidate + 3) {
                    end = candidate
                    break
                }
                search = candidate + 1
            }
            guard let end else { throw error("cannot parse the triple-quoted value", line: lineNumber) }
            return String(String.UnicodeScalarView(body[0..<end]))
        }
        var text = String(String.UnicodeScalarView(body))
        while index < lines.count {
            let line = lines[index]
            index += 1
            text += "\n"
            guard let close = firstRange(of: triple, in: line, from: 0) else {
                text += String(String.UnicodeScalarView(line))
                continue
            }
            guard restIsBlankOrComment(line, from: close + 3) else {
                throw error("cannot parse the end of the triple-quoted value", line: index)
            }
            return text + String(String.UnicodeScalarView(line[0..<close]))
        }
        throw error("the triple-quoted value is never closed", line: lineNumber)
    }

    func firstRange(of needle: Scalars, in haystack: Scalars, from: Int) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    @inline(__always)
    func isSpace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\u{0B}" || s == "\u{0C}" || s == "\r"
    }
}
