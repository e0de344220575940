/// A templating problem before it is placed in a file (the caller adds the path and position).
struct TemplateError: Error {
    var message: String
    var mark: YAMLMark?
}

/// The data `${…}` expressions read: params.yaml beside the dvc.yaml, then `vars`, then stage vars and
/// `item`/`key` — merged without redefinitions, remembering where each value came from.
struct TemplateContext: Sendable {
    private(set) var data = YAMLMapping()
    // Dotted path of every merged value (at the depth it was inserted) → the source that defined it.
    private var sources: [String: String] = [:]
    // Files loaded so far → the keys loaded from them (nil = the whole file), as DVC tracks partial loads.
    private(set) var imports: [(path: String, keys: [String]?)] = []

    /// Merges `update` from `source`; a key already present (other than mapping into mapping) is an error
    /// naming both sources, as DVC words it.
    mutating func merge(_ update: YAMLMapping, source: String) throws(TemplateError) {
        try Self.merge(update, into: &data, prefix: "", source: source, sources: &sources)
    }

    private static func merge(_ update: YAMLMapping, into target: inout YAMLMapping, prefix: String, source: String,
                              sources: inout [String: String]) throws(TemplateError) {
        for pair in update.pairs {
            let keyText = TemplateContext.string(of: pair.key)
            let path = prefix.isEmpty ? keyText : prefix + "." + keyText
            if let existing = target[key: pair.key] {
                if case .mapping(var inner) = existing, case .mapping(let incoming) = pair.value {
                    try merge(incoming, into: &inner, prefix: path, source: source, sources: &sources)
                    target[key: pair.key] = .mapping(inner)
                    continue
                }
                throw TemplateError(message: "cannot redefine '\(path)' from '\(source)' as it already exists in '\(sourceOf(path, in: sources))'")
            }
            target[key: pair.key] = pair.value
            sources[path] = source
        }
    }

    private static func sourceOf(_ path: String, in sources: [String: String]) -> String {
        var candidate = Substring(path)
        while true {
            if let found = sources[String(candidate)] { return found }
            guard let dot = candidate.lastIndex(of: ".") else { return "?" }
            candidate = candidate[..<dot]
        }
    }

    /// Sets `item`/`key` for one generated stage (they shadow anything of the same name, as in DVC).
    mutating func setTemporarily(_ key: String, _ value: YAMLValue) {
        data[key] = value
        sources[key] = "\(key)"
    }

    /// Loads a vars/params file into the context: `file` or `file:k1,k2`, relative to `directory`.
    mutating func mergeFile(_ item: String, directory: String, sources reader: any PipelineSources,
                            silentIfMissing: Bool = false) throws(TemplateError) {
        let (file, keysText) = Self.splitItem(item)
        guard let path = RepoPath.join(directory, file) else {
            throw TemplateError(message: "'\(file)' is outside of the repository")
        }
        let keys = keysText.map { $0.split(separator: ",").map(String.init).filter { !$0.isEmpty } }
        let selected = (keys?.isEmpty ?? true) ? nil : keys
        if let index = imports.firstIndex(where: { $0.path == path }) {
            let loaded = imports[index].keys
            if selected == nil && loaded == nil { return }
            if selected == nil || loaded == nil {
                throw TemplateError(message: selected == nil
                    ? "cannot load '\(item)' as it's partially loaded already"
                    : "cannot partially load '\(item)' as it's already loaded.")
            }
            if let selected, let loaded, !Set(selected).isDisjoint(with: loaded) {
                throw TemplateError(message: "cannot load '\(item)' as it's partially loaded already")
            }
        }
        let bytes: [UInt8]?
        do {
            bytes = try reader.read(path)
        } catch {
            throw TemplateError(message: "cannot read '\(path)': \(error)")
        }
        guard let bytes else {
            if silentIfMissing { return }
            throw TemplateError(message: "'\(path)' does not exist")
        }
        let document: YAMLValue
        do {
            document = try ParamsDocument.parse(bytes, path: path)
        } catch {
            throw TemplateError(message: error.description)
        }
        guard case .mapping(var mapping) = document else {
            throw TemplateError(message: "expected a dictionary, got '\(document.pythonTypeName)' in file '\(path)'")
        }
        if let selected {
            var picked = YAMLMapping()
            for key in selected {
                guard let value = mapping[key] else {
                    throw TemplateError(message: "could not find '\(key)' in '\(path)'")
                }
                picked[key] = value
            }
            mapping = picked
        }
        try merge(mapping, source: path)
        if let index = imports.firstIndex(where: { $0.path == path }) {
            imports[index].keys = (imports[index].keys ?? []) + (selected ?? [])
        } else {
            imports.append((path, selected))
        }
    }

    /// `file:k1,k2` → (`file`, `k1,k2`); a plain `file` has no key part.
    static func splitItem(_ item: String) -> (file: String, keys: String?) {
        guard let colon = item.firstIndex(of: ":") else { return (item, nil) }
        return (String(item[..<colon]), String(item[item.index(after: colon)...]))
    }

    /// Python's `str()` of a mapping key.
    static func string(of key: YAMLValue) -> String {
        Interpolator.pythonStr(key)
    }
}

/// `${…}` resolution exactly as DVC does it.
struct Interpolator {
    var context: TemplateContext
    var options: InterpolationOptions

    /// A match of `${inner}` not preceded by a backslash, as UTF-8 offsets.
    struct Match {
        var start: Int
        var end: Int
        var inner: String
    }

    /// The `${…}` occurrences of `text` (DVC's regex: `(?<!\\)\$\{(.*?)\}`, no newline inside).
    static func matches(in bytes: [UInt8]) -> [Match] {
        var result: [Match] = []
        var index = 0
        let count = bytes.count
        while index + 1 < count {
            if bytes[index] == UInt8(ascii: "$"), bytes[index + 1] == UInt8(ascii: "{"),
               index == 0 || bytes[index - 1] != UInt8(ascii: "\\") {
                var close = index + 2
                while close < count, bytes[close] != UInt8(ascii: "}"), bytes[close] != UInt8(ascii: "\n") {
                    close += 1
                }
                if close < count, bytes[close] == UInt8(ascii: "}") {
                    result.append(Match(start: index, end: close + 1,
                                        inner: String(decoding: bytes[(index + 2)..<close], as: UTF8.self)))
                    index = close + 1
                    continue
                }
            }
            index += 1
        }
        return result
    }

    /// Whether `text` contains an interpolation.
    static func isInterpolated(_ text: String) -> Bool {
        text.utf8.contains(UInt8(ascii: "$")) && !matches(in: Array(text.utf8)).isEmpty
    }

    /// The key path of an expression (`a.b[0]` → `["a", "b", "0"]`); nil when it is not a valid expression.
    static func keyPath(_ expression: String) -> [String]? {
        var parts: [String] = []
        var current = ""
        var inBracket = false
        var expectWord = true
        for character in expression {
            switch character {
            case ".":
                if inBracket || expectWord { return nil }
                parts.append(current); current = ""; expectWord = true
            case "[":
                if inBracket || expectWord { return nil }
                parts.append(current); current = ""; expectWord = true; inBracket = true
            case "]":
                if !inBracket || current.isEmpty { return nil }
                parts.append(current); current = ""; inBracket = false; expectWord = false
                continue
            default:
                current.append(character)
                expectWord = false
                continue
            }
        }
        if inBracket { return nil }
        if expectWord {
            if !current.isEmpty { parts.append(current) } else { return nil }
        } else if !current.isEmpty {
            parts.append(current)
        }
        guard !parts.isEmpty else { return nil }
        return parts.map { $0.trimmingSpaces }
    }

    /// The value an expression selects.
    func select(_ expression: String) throws(TemplateError) -> YAMLValue {
        guard let path = Self.keyPath(expression) else {
            throw TemplateError(message: "'${\(expression)}' is not a valid expression: use names joined with '.' and list indexes as '[N]' or '.N'")
        }
        var current: YAMLValue = .mapping(context.data)
        for component in path {
            switch current {
            case .mapping(let mapping):
                guard let next = mapping[component] else {
                    throw TemplateError(message: "Could not find '\(expression)'")
                }
                current = next
            case .sequence(let items):
                guard let position = Int(component) else {
                    throw TemplateError(message: "Could not find '\(expression)'")
                }
                let resolved = position < 0 ? items.count + position : position
                guard resolved >= 0, resolved < items.count else {
                    throw TemplateError(message: "Could not find '\(expression)'")
                }
                current = items[resolved]
            default:
                throw TemplateError(message: "Could not find '\(expression)'")
            }
        }
        return current
    }

    /// Resolves a string: a lone `${x}` keeps its type; otherwise values are spliced in as text. `key` is the
    /// stage key being resolved (`cmd` allows dicts as flags; nil allows any type, as for `foreach` data).
    func resolve(_ text: String, key: String?) throws(TemplateError) -> YAMLValue {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return .string(text) }
        let bytes = Array(text.utf8)
        let found = Self.matches(in: bytes)
        if found.count == 1, found[0].start == 0, found[0].end == bytes.count {
            let value = try select(found[0].inner)
            try validate(value, key: key)
            if case .mapping = value, key == "cmd" { return .string(try flags(value)) }
            return value
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        for match in found {
            output.append(contentsOf: bytes[index..<match.start])
            let value = try select(match.inner)
            try validate(value, key: key)
            output.append(contentsOf: try splice(value).utf8)
            index = match.end
        }
        output.append(contentsOf: bytes[index...])
        return .string(Self.unescape(String(decoding: output, as: UTF8.self)))
    }

    private static func unescape(_ text: String) -> String {
        guard text.contains("\\${") else { return text }
        return text.replacingAll("\\${", with: "${")
    }

    private func validate(_ value: YAMLValue, key: String?) throws(TemplateError) {
        guard let key, !key.contains("foreach") else { return }
        switch value {
        case .sequence: throw TemplateError(message: "Cannot interpolate data of type 'list'")
        case .mapping where key != "cmd": throw TemplateError(message: "Cannot interpolate data of type 'dict'")
        default: return
        }
    }

    private func splice(_ value: YAMLValue) throws(TemplateError) -> String {
        switch value {
        case .mapping: return try flags(value)
        case .sequence: throw TemplateError(message: "Cannot interpolate data of type 'list'")
        default: return Self.toStr(value)
        }
    }

    /// DVC's `to_str`: booleans `true`/`false`, everything else Python `str()`.
    static func toStr(_ value: YAMLValue) -> String {
        if case .bool(let flag) = value { return flag ? "true" : "false" }
        return pythonStr(value)
    }

    /// Python `str()` of a scalar (`True`, `None`, `0.5`).
    static func pythonStr(_ value: YAMLValue) -> String {
        switch value {
        case .null: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .float(let number): return PythonJSON.floatRepr(number)
        case .string(let text): return text
        case .sequence, .mapping: return PythonJSON.dumps(value.jsonValue)
        }
    }

    /// A dict spliced into `cmd` as CLI flags (`--fast --n 3`).
    func flags(_ value: YAMLValue) throws(TemplateError) -> String {
        guard case .mapping(let mapping) = value else { return Self.toStr(value) }
        var flat: [(String, YAMLValue)] = []
        Self.flatten(mapping, prefix: "", into: &flat)
        var result = ""
        for (key, item) in flat {
            switch item {
            case .bool(let flag):
                if flag {
                    result += "--\(key) "
                } else if options.bool == .booleanOptional {
                    result += "--no-\(key) "
                }
            case .string(let text):
                result += "--\(key) \(Self.shellQuote(text)) "
            case .sequence(let items):
                for (position, element) in items.enumerated() {
                    let text: String
                    switch element {
                    case .string(let string): text = Self.shellQuote(string)
                    case .sequence, .mapping: throw TemplateError(message: "Cannot interpolate nested iterable in '\(key)'")
                    default: text = Self.pythonStr(element)
                    }
                    if options.list == .append || position == 0 {
                        result += "--\(key) \(text) "
                    } else {
                        result += "\(text) "
                    }
                }
            default:
                result += "--\(key) \(Self.pythonStr(item)) "
            }
        }
        while result.hasSuffix(" ") { result.removeLast() }
        return result
    }

    private static func flatten(_ mapping: YAMLMapping, prefix: String, into flat: inout [(String, YAMLValue)]) {
        for pair in mapping.pairs {
            let key = prefix.isEmpty ? pythonStr(pair.key) : prefix + "." + pythonStr(pair.key)
            if case .mapping(let inner) = pair.value, !inner.isEmpty {
                flatten(inner, prefix: key, into: &flat)
            } else if case .mapping = pair.value {
                continue
            } else {
                flat.append((key, pair.value))
            }
        }
    }

    /// Python's `shlex.quote`.
    static func shellQuote(_ text: String) -> String {
        if text.isEmpty { return "''" }
        let safe = text.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "@", "%", "+", "=", ":", ",", ".", "/", "-": return true
            default: return false
            }
        }
        if safe { return text }
        return "'" + text.replacingAll("'", with: "'\"'\"'") + "'"
    }

    /// Resolves every string in a node tree (mapping keys too), keeping positions.
    func resolve(_ node: YAMLNode, key: String?) throws(TemplateError) -> YAMLNode {
        switch node.kind {
        case .scalar(let text, let style):
            guard case .string = node.value, text.utf8.contains(UInt8(ascii: "$")) || text.contains("\\${") else {
                return node
            }
            let value: YAMLValue
            do {
                value = try resolve(text, key: key)
            } catch {
                throw TemplateError(message: error.message, mark: error.mark ?? node.mark)
            }
            if case .string(let resolved) = value {
                return YAMLNode(kind: .scalar(resolved, style), mark: node.mark, value: value)
            }
            return YAMLNode.synthesized(value, mark: node.mark)
        case .sequence(let items):
            var resolved: [YAMLNode] = []
            resolved.reserveCapacity(items.count)
            for item in items { resolved.append(try resolve(item, key: key)) }
            return YAMLNode(kind: .sequence(resolved), mark: node.mark, value: .sequence(resolved.map(\.value)),
                            isFlow: node.isFlow)
        case .mapping(let pairs):
            if pairs.contains(where: { $0.key.scalar?.text == "<<" && $0.key.scalar?.style == .plain }) {
                return try resolve(YAMLNode.synthesized(node.value, mark: node.mark), key: key)
            }
            var resolved: [(key: YAMLNode, value: YAMLNode)] = []
            var mapping = YAMLMapping()
            for pair in pairs {
                var keyNode = try resolve(pair.key, key: key)
                if keyNode.scalar == nil {
                    let text = Self.toStr(keyNode.value)
                    keyNode = YAMLNode(kind: .scalar(text, .plain), mark: keyNode.mark, value: .string(text))
                }
                let valueNode = try resolve(pair.value, key: key)
                resolved.append((keyNode, valueNode))
                mapping[key: keyNode.value] = valueNode.value
            }
            return YAMLNode(kind: .mapping(resolved), mark: node.mark, value: .mapping(mapping), isFlow: node.isFlow)
        }
    }
}

extension YAMLNode {
    /// A node for a value that came from templating, placed at `mark` (where the `${…}` was written).
    static func synthesized(_ value: YAMLValue, mark: YAMLMark) -> YAMLNode {
        switch value {
        case .sequence(let items):
            return YAMLNode(kind: .sequence(items.map { synthesized($0, mark: mark) }), mark: mark, value: value)
        case .mapping(let mapping):
            let pairs = mapping.pairs.map { (key: synthesized($0.key, mark: mark), value: synthesized($0.value, mark: mark)) }
            return YAMLNode(kind: .mapping(pairs), mark: mark, value: value)
        case .string(let text):
            return YAMLNode(kind: .scalar(text, .doubleQuoted), mark: mark, value: value)
        default:
            return YAMLNode(kind: .scalar(Interpolator.toStr(value), .plain), mark: mark, value: value)
        }
    }
}

extension String {
    /// Every occurrence of `target` replaced (without Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }

    /// Leading and trailing spaces and tabs removed.
    var trimmingSpaces: String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
