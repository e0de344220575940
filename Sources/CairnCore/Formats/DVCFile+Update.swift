extension DVCFile {
    /// Rewrites an existing `.dvc` file's text with new hashes for some outputs (keyed by their index in
    /// `outs`), the way DVC's re-`add`/`commit` does: values change in place, missing keys (`hash: md5`,
    /// `nfiles`, `isexec`) are appended at the end of their entry, keys that no longer apply are removed, and
    /// comments, blank lines and every other key stay as they are (FORMATS.md §2.2, §3.3).
    /// Unlike DVC, which re-emits the whole file, the rest of the text is kept byte for byte (quoting,
    /// indentation), and comments that followed a removed key stay. A file in another shape (flow style,
    /// multi-line values, a comment between a removed dash-line key and the next key) is written afresh only
    /// if it has no comments to lose; otherwise this throws.
    public static func updatingText(_ original: String, path: String,
                                    outputs: [Int: OutputMeta]) throws(FormatError) -> String {
        let root = try YAMLReader.parse(original, path: path)
        var expected = try parse(root: root, path: path)
        for (index, meta) in outputs.sorted(by: { $0.key < $1.key }) {
            guard expected.outs.indices.contains(index) else {
                throw FormatError(path: path, message: "the .dvc file has no output #\(index) to update",
                                  hint: "this is a bug in cairn; please report it")
            }
            expected.outs[index].apply(meta)
        }
        if outputs.isEmpty { return original }

        let problem: OutputEditor.Unsupported
        do {
            var editor = OutputEditor(text: original)
            let edited = try editor.apply(outputs, root: root)
            // Only keep the edit if it reads back as exactly the intended file.
            if let reparsed = try? parse(edited, path: path), reparsed == expected { return edited }
            problem = OutputEditor.Unsupported(message: "the edited file did not read back as expected", line: nil)
        } catch {
            problem = error
        }
        if let comment = OutputEditor.firstCommentLine(in: original) {
            throw FormatError(
                path: path, line: problem.line ?? comment, column: nil,
                message: "cannot update this .dvc file in place (\(problem.message)); writing it afresh would lose its comments",
                hint: "write its 'outs' entries in block style, one key per line as 'cairn add' does, or remove the comments, then run the command again")
        }
        return expected.rendered()
    }
}

extension DVCOutput {
    /// Records new hash metadata the way DVC 3 writes it: `hash: md5` for 3.x hashes, `nfiles` only for
    /// directories, `isexec` only when true.
    public mutating func apply(_ meta: OutputMeta) {
        hash = meta.hash
        size = meta.size
        nfiles = meta.nfiles
        isexec = meta.isexec
    }

    /// The keys DVC writes for this metadata, in its order; nil values are keys to remove.
    static func metaEntries(_ meta: OutputMeta) -> [(key: String, value: YAMLValue?)] {
        [
            ("md5", .string(meta.hash.id.description)),
            ("size", .int(Int(meta.size))),
            ("nfiles", meta.nfiles.map(YAMLValue.int)),
            ("isexec", meta.isexec ? .bool(true) : nil),
            ("hash", meta.hash.kind == .md5 ? .string(HashKind.md5.rawValue) : nil),
        ]
    }
}

/// Edits the text of block-style `outs` entries line by line.
struct OutputEditor {
    /// Why a file cannot be edited in place.
    struct Unsupported: Error {
        var message: String
        var line: Int?
    }

    var lines: [[Unicode.Scalar]]
    var terminators: [String]
    var replacements: [Int: [Unicode.Scalar]] = [:]
    var deletions: Set<Int> = []
    /// A dash line whose key was removed takes the rest of a later key line: dash line → that line.
    var pullUps: [Int: (source: Int, column: Int)] = [:]
    var insertions: [Int: [[Unicode.Scalar]]] = [:]
    let newline: String

    init(text: String) {
        var lines: [[Unicode.Scalar]] = []
        var terminators: [String] = []
        var current: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if current.last == "\r" {
                    current.removeLast()
                    terminators.append("\r\n")
                } else {
                    terminators.append("\n")
                }
                lines.append(current)
                current = []
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty {
            lines.append(current)
            terminators.append("")
        }
        self.lines = lines
        self.terminators = terminators
        newline = terminators.first == "\r\n" ? "\r\n" : "\n"
    }

    mutating func apply(_ outputs: [Int: OutputMeta], root: YAMLNode?) throws(Unsupported) -> String {
        guard let root, case .mapping = root.kind, !root.isFlow else {
            throw Unsupported(message: "the top level is not a block mapping", line: root?.mark.line)
        }
        guard let outs = root["outs"], case .sequence(let items) = outs.kind, !outs.isFlow else {
            throw Unsupported(message: "'outs' is not a block list", line: root["outs"]?.mark.line)
        }
        for (index, meta) in outputs.sorted(by: { $0.key < $1.key }) {
            try edit(items[index], with: meta)
        }
        return rendered()
    }

    mutating func edit(_ entry: YAMLNode, with meta: OutputMeta) throws(Unsupported) {
        guard case .mapping(let pairs) = entry.kind, !entry.isFlow, let first = pairs.first else {
            throw Unsupported(message: "an 'outs' entry is not a block mapping", line: entry.mark.line)
        }
        let indent = first.key.mark.column - 1
        var lastLine = first.key.mark.line - 1
        for pair in pairs {
            guard pair.key.mark.column - 1 == indent else {
                throw Unsupported(message: "keys of an 'outs' entry are not aligned", line: pair.key.mark.line)
            }
            lastLine = max(lastLine, pair.key.mark.line - 1)
        }
        var appended: [[Unicode.Scalar]] = []
        var removed: [(key: YAMLNode, value: YAMLNode)] = []
        for (key, value) in DVCOutput.metaEntries(meta) {
            let existing = pairs.last { $0.key.value == .string(key) }
            switch (existing, value) {
            case (nil, nil):
                continue
            case (nil, let value?):
                let text = Array(DVCYAMLWriter.inlineScalar(.string(key)).unicodeScalars) + [":", " "]
                    + Array(DVCYAMLWriter.inlineScalar(value).unicodeScalars)
                appended.append(Array(repeating: " ", count: indent) + text)
            case (let pair?, let value?):
                if pair.value.value.pythonEquals(value) { continue }
                try replaceValue(of: pair, with: value)
            case (let pair?, nil):
                removed.append(pair)
            }
        }
        try remove(removed, from: pairs)
        if appended.isEmpty { return }
        let position = endOfEntry(after: lastLine, indent: indent)
        insertions[position, default: []].append(contentsOf: appended)
    }

    /// The line before which keys appended to an entry go: the next line that is neither blank, nor a
    /// comment, nor more indented than the entry's keys (ruamel places new keys after the comments that
    /// follow an entry's last value, so this matches DVC).
    func endOfEntry(after line: Int, indent: Int) -> Int {
        var index = line + 1
        while index < lines.count {
            let content = lines[index]
            let leading = content.prefix { $0 == " " || $0 == "\t" }.count
            if leading < content.count && content[leading] != "#" && leading < indent { return index }
            index += 1
        }
        return lines.count
    }

    /// The scalar's span on its key's line (0-based, end exclusive), or nil if it is not a one-line scalar.
    func valueSpan(_ pair: (key: YAMLNode, value: YAMLNode)) throws(Unsupported) -> (start: Int, end: Int) {
        let lineIndex = pair.key.mark.line - 1
        let line = lines[lineIndex]
        guard let keyScalar = pair.key.scalar, keyScalar.style == .plain else {
            throw Unsupported(message: "a key is quoted", line: pair.key.mark.line)
        }
        let keyText = keyScalar.text
        let keyStart = pair.key.mark.column - 1
        let keyScalars = Array(keyText.unicodeScalars)
        guard keyStart + keyScalars.count <= line.count,
              Array(line[keyStart..<keyStart + keyScalars.count]) == keyScalars else {
            throw Unsupported(message: "a key spans several lines", line: pair.key.mark.line)
        }
        guard let valueScalar = pair.value.scalar else {
            throw Unsupported(message: "'\(keyText)' does not hold a single value", line: pair.key.mark.line)
        }
        let (text, style) = (valueScalar.text, valueScalar.style)
        if style == .plain && text.isEmpty {
            // An empty value: its span is right after the colon.
            var position = keyStart + keyScalars.count
            while position < line.count && (line[position] == " " || line[position] == "\t") { position += 1 }
            guard position < line.count, line[position] == ":" else {
                throw Unsupported(message: "'\(keyText)' is not followed by ':' on its line", line: pair.key.mark.line)
            }
            return (position + 1, position + 1)
        }
        guard pair.value.mark.line == pair.key.mark.line else {
            throw Unsupported(message: "the value of '\(keyText)' is not on its key's line", line: pair.value.mark.line)
        }
        let start = pair.value.mark.column - 1
        var end: Int?
        switch style {
        case .plain:
            let scalars = Array(text.unicodeScalars)
            if start + scalars.count <= line.count, Array(line[start..<start + scalars.count]) == scalars {
                end = start + scalars.count
            }
        case .singleQuoted:
            var position = start + 1
            while position < line.count {
                if line[position] == "'" {
                    if position + 1 < line.count && line[position + 1] == "'" { position += 2; continue }
                    end = position + 1
                    break
                }
                position += 1
            }
        case .doubleQuoted:
            var position = start + 1
            while position < line.count {
                if line[position] == "\\" { position += 2; continue }
                if line[position] == "\"" { end = position + 1; break }
                position += 1
            }
        case .literal, .folded:
            end = nil
        }
        guard let end, restIsBlankOrComment(line, from: end) else {
            throw Unsupported(message: "the value of '\(keyText)' spans several lines", line: pair.key.mark.line)
        }
        return (start, end)
    }

    func restIsBlankOrComment(_ line: [Unicode.Scalar], from position: Int) -> Bool {
        var index = position
        while index < line.count && (line[index] == " " || line[index] == "\t") { index += 1 }
        return index == line.count || (line[index] == "#" && index > position)
    }

    mutating func replaceValue(of pair: (key: YAMLNode, value: YAMLNode), with value: YAMLValue) throws(Unsupported) {
        let span = try valueSpan(pair)
        let lineIndex = pair.key.mark.line - 1
        let line = lines[lineIndex]
        var newValue = Array(DVCYAMLWriter.inlineScalar(value).unicodeScalars)
        if span.start == span.end { newValue.insert(" ", at: 0) }
        var rest = Array(line[span.end...])
        // Like DVC, keep a trailing comment at its column when the new value leaves room.
        let spaces = rest.prefix { $0 == " " || $0 == "\t" }.count
        if spaces < rest.count && rest[spaces] == "#" {
            let commentColumn = span.end + spaces
            let newEnd = span.start + newValue.count
            rest = Array(repeating: " ", count: max(1, commentColumn - newEnd)) + rest[spaces...]
        }
        replacements[lineIndex] = Array(line[..<span.start]) + newValue + rest
    }

    /// Deletes the lines of removed keys. A removed key on the list dash line hands the dash to the next
    /// remaining key, provided only removed key lines stand between them.
    mutating func remove(_ removed: [(key: YAMLNode, value: YAMLNode)],
                         from pairs: [(key: YAMLNode, value: YAMLNode)]) throws(Unsupported) {
        let removedLines = Set(removed.map { $0.key.mark.line - 1 })
        for pair in removed {
            _ = try valueSpan(pair)
            let lineIndex = pair.key.mark.line - 1
            let keyStart = pair.key.mark.column - 1
            deletions.insert(lineIndex)
            if lines[lineIndex][..<keyStart].allSatisfy({ $0 == " " }) { continue }
            let name = pair.key.scalar?.text ?? ""
            guard let next = pairs.first(where: { $0.key.mark.line - 1 > lineIndex && !removedLines.contains($0.key.mark.line - 1) }),
                  next.key.mark.column - 1 == keyStart,
                  ((lineIndex + 1)..<(next.key.mark.line - 1)).allSatisfy({ removedLines.contains($0) }) else {
                throw Unsupported(message: "'\(name)' shares its line with the list dash", line: pair.key.mark.line)
            }
            deletions.remove(lineIndex)
            pullUps[lineIndex] = (next.key.mark.line - 1, keyStart)
            deletions.insert(next.key.mark.line - 1)
        }
    }

    func rendered() -> String {
        var out = String.UnicodeScalarView()
        func appendLine(_ line: [Unicode.Scalar], _ terminator: String) {
            out.append(contentsOf: line)
            out.append(contentsOf: terminator.unicodeScalars)
        }
        for index in lines.indices {
            for inserted in insertions[index] ?? [] { appendLine(inserted, newline) }
            if deletions.contains(index) { continue }
            var line = replacements[index] ?? lines[index]
            var terminator = terminators[index]
            if let (source, column) = pullUps[index] {
                line = Array(line[..<column]) + Array((replacements[source] ?? lines[source]).dropFirst(column))
                terminator = terminators[source]
            }
            if index == lines.count - 1, terminator.isEmpty, insertions[lines.count] != nil { terminator = newline }
            appendLine(line, terminator)
        }
        for inserted in insertions[lines.count] ?? [] { appendLine(inserted, newline) }
        return String(out)
    }

    /// The first line that may hold a comment (a `#` at the start or after a blank, outside quotes), if any.
    static func firstCommentLine(in text: String) -> Int? {
        var lineNumber = 1
        var previous: Unicode.Scalar = " "
        var quote: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                lineNumber += 1
                previous = " "
                quote = nil
                continue
            }
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "#" && (previous == " " || previous == "\t") {
                return lineNumber
            } else if (scalar == "'" || scalar == "\"") && (previous == " " || previous == "\t" || previous == ":"
                        || previous == "-" || previous == "[" || previous == "{" || previous == ",") {
                quote = scalar
            }
            previous = scalar
        }
        return nil
    }
}
