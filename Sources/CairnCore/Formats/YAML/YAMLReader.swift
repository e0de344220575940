import Yams

/// Reads YAML the way DVC does: YAML 1.2 scalar types, aliases and merge keys resolved, duplicate keys refused.
public enum YAMLReader {
    /// Parses one YAML document; nil for an empty document (nothing but comments and blank lines).
    public static func parse(_ text: String, path: String) throws(FormatError) -> YAMLNode? {
        do {
            guard let root = try compose(text) else { return nil }
            var converter = Converter(path: path, text: text)
            return try converter.convert(root, isKey: false)
        } catch let error as FormatError {
            throw error
        } catch let error as YamlError {
            throw formatError(error, text: text, path: path)
        } catch {
            throw FormatError(path: path, message: "cannot read YAML: \(error)", hint: syntaxHint)
        }
    }

    /// Yams' tree of the document. Its duplicate-key check sees only text and tag, so with the fast untyped
    /// resolver `1:` and `'1':` clash; only then is the document read again with a resolver that tells plain
    /// scalars from quoted ones (real duplicates are then caught with Python's key equality in `Converter`).
    private static func compose(_ text: String) throws -> Yams.Node? {
        do {
            return try Yams.Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8).singleRoot()
        } catch YamlError.duplicatedKeysInMapping {
            return try Yams.Parser(yaml: text, resolver: plainResolver, constructor: .default, encoding: .utf8)
                .singleRoot()
        }
    }

    /// Parses a document and returns just its value (`.null` for an empty document).
    public static func value(of text: String, path: String) throws(FormatError) -> YAMLValue {
        try parse(text, path: path)?.value ?? .null
    }

    static let syntaxHint = "fix the YAML syntax at this position and try again"

    private static func formatError(_ error: YamlError, text: String, path: String) -> FormatError {
        func located(_ mark: Yams.Mark, _ problem: String, _ context: YamlError.Context?) -> FormatError {
            var message = "invalid YAML: \(problem)"
            if let context, !context.text.isEmpty {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            return FormatError(path: path, line: mark.line, column: mark.column, message: message, hint: syntaxHint)
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            return located(mark, problem, context)
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return FormatError(path: path, line: context.mark.line, column: context.mark.column,
                               message: "duplicate key \(names) in a mapping",
                               hint: "a key may appear only once in a mapping; remove or rename the repeated one")
        case let .reader(problem, offset, value, _):
            var line = 1
            var column = 1
            if let offset {
                for character in text.unicodeScalars.prefix(offset) {
                    if character == "\n" { line += 1; column = 1 } else { column += 1 }
                }
            }
            return FormatError(path: path, line: line, column: column,
                               message: "invalid YAML text: \(problem) (character \(value))",
                               hint: "the file must be UTF-8 text without control characters")
        default:
            return FormatError(path: path, message: "invalid YAML: \(error)", hint: syntaxHint)
        }
    }
}

private let strTag = Yams.Tag.Name.str.rawValue
private let plainTag = "tag:cairn.invalid,2024:plain"
// Tags every plain scalar apart from quoted ones (the pattern is constant and always compiles).
// swiftlint:disable:next force_try
private let plainResolver = try! Yams.Resolver.basic.appending(Yams.Tag.Name(rawValue: plainTag), "^")
private let yamlTagPrefix = "tag:yaml.org,2002:"

/// Turns Yams' node tree into `YAMLNode`s with DVC's typing.
private struct Converter {
    let path: String
    // Aliased nodes are converted once (keeps "billion laughs" documents linear).
    var anchored: [ObjectIdentifier: YAMLNode] = [:]
    // The source, to tell flow collections from block ones (Yams reports the style of the end event).
    let utf8: [UInt8]
    let lineStarts: [Int]

    init(path: String, text: String) {
        self.path = path
        utf8 = Array(text.utf8)
        var starts = [0]
        for (offset, byte) in utf8.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// Whether the collection starting at `mark` is written in flow style (`[` or `{` there).
    func startsFlow(at mark: YAMLMark) -> Bool {
        guard mark.line >= 1, mark.line <= lineStarts.count else { return false }
        var offset = lineStarts[mark.line - 1]
        var column = 1
        while column < mark.column, offset < utf8.count {
            offset += 1
            while offset < utf8.count, utf8[offset] & 0xC0 == 0x80 { offset += 1 }
            column += 1
        }
        guard offset < utf8.count else { return false }
        return utf8[offset] == UInt8(ascii: "[") || utf8[offset] == UInt8(ascii: "{")
    }

    func error(_ mark: YAMLMark, _ message: String, hint: String = YAMLReader.syntaxHint) -> FormatError {
        FormatError(path: path, line: mark.line, column: mark.column, message: message, hint: hint)
    }

    static func mark(_ mark: Yams.Mark?) -> YAMLMark {
        YAMLMark(line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func convert(_ node: Yams.Node, isKey: Bool) throws(FormatError) -> YAMLNode {
        let anchor: Anchor?
        switch node {
        case .scalar(let scalar): anchor = scalar.anchor
        case .sequence(let sequence): anchor = sequence.anchor
        case .mapping(let mapping): anchor = mapping.anchor
        case .alias: anchor = nil
        }
        if let anchor, let done = anchored[ObjectIdentifier(anchor)] { return done }
        let converted: YAMLNode
        switch node {
        case .scalar(let scalar): converted = try convertScalar(scalar, isKey: isKey)
        case .sequence(let sequence): converted = try convertSequence(sequence)
        case .mapping(let mapping): converted = try convertMapping(mapping)
        case .alias(let alias):
            throw error(Self.mark(alias.mark), "unresolved alias '*\(alias.anchor.rawValue)'",
                        hint: "define the anchor '&\(alias.anchor.rawValue)' before using it")
        }
        if let anchor { anchored[ObjectIdentifier(anchor)] = converted }
        return converted
    }

    func convertScalar(_ scalar: Yams.Node.Scalar, isKey: Bool) throws(FormatError) -> YAMLNode {
        let mark = Self.mark(scalar.mark)
        let style: YAMLScalarStyle
        switch scalar.style {
        case .singleQuoted: style = .singleQuoted
        case .doubleQuoted: style = .doubleQuoted
        case .literal: style = .literal
        case .folded: style = .folded
        case .any, .plain: style = .plain
        }
        let text = scalar.string
        let rawTag = scalar.tag.rawValue
        let value: YAMLValue
        var explicitTag: String?
        // Yams marks quoted scalars `!!str`; untagged plain scalars are implicit, except mapping keys, whose
        // tags Yams resolves in place (to `!!str` or `plainTag`) while checking for duplicates. So a plain key
        // written with an explicit `!!str` is typed like an untagged one.
        if style == .plain && (rawTag.isEmpty || rawTag == plainTag || (isKey && rawTag == strTag)) {
            value = YAMLScalarResolver.resolvePlain(text)
        } else if rawTag.isEmpty || rawTag == "!" || (rawTag == strTag && style != .plain) {
            value = .string(text)
        } else {
            explicitTag = rawTag
            value = try typed(text, tag: rawTag, mark: mark)
        }
        return YAMLNode(kind: .scalar(text, style), mark: mark, value: value, tag: explicitTag)
    }

    func typed(_ text: String, tag: String, mark: YAMLMark) throws(FormatError) -> YAMLValue {
        let shortTag = tag.hasPrefix(yamlTagPrefix) ? "!!" + tag.dropFirst(yamlTagPrefix.count) : tag
        switch tag {
        case strTag, yamlTagPrefix + "timestamp":
            return .string(text)
        case yamlTagPrefix + "null":
            return .null
        case yamlTagPrefix + "bool":
            switch text.lowercased() {
            case "true", "yes", "on": return .bool(true)
            case "false", "no", "off": return .bool(false)
            default: throw error(mark, "'\(text)' is not a valid \(shortTag)")
            }
        case yamlTagPrefix + "int":
            guard YAMLScalarResolver.implicitType(of: text) == .int,
                  let value = YAMLScalarResolver.integerValue(text) else {
                throw error(mark, "'\(text)' is not a valid \(shortTag)")
            }
            return value
        case yamlTagPrefix + "float":
            let type = YAMLScalarResolver.implicitType(of: text)
            if type == .int, let value = YAMLScalarResolver.integerValue(text) {
                switch value {
                case .int(let number): return .float(Double(number))
                default: return value
                }
            }
            guard type == .float, let value = YAMLScalarResolver.floatValue(text) else {
                throw error(mark, "'\(text)' is not a valid \(shortTag)")
            }
            return .float(value)
        default:
            throw error(mark, "unsupported YAML tag '\(shortTag)'",
                        hint: "remove the tag; DVC files hold plain strings, numbers, booleans, lists and mappings")
        }
    }

    mutating func convertSequence(_ sequence: Yams.Node.Sequence) throws(FormatError) -> YAMLNode {
        let mark = Self.mark(sequence.mark)
        try checkCollectionTag(sequence.tag.rawValue, allowed: ["seq", "omap", "pairs"], mark: mark)
        var items: [YAMLNode] = []
        items.reserveCapacity(sequence.count)
        var values: [YAMLValue] = []
        values.reserveCapacity(sequence.count)
        for item in sequence {
            let converted = try convert(item, isKey: false)
            items.append(converted)
            values.append(converted.value)
        }
        return YAMLNode(kind: .sequence(items), mark: mark, value: .sequence(values), isFlow: startsFlow(at: mark))
    }

    func checkCollectionTag(_ rawTag: String, allowed: [String], mark: YAMLMark) throws(FormatError) {
        if rawTag.isEmpty || rawTag == "!" { return }
        if rawTag.hasPrefix(yamlTagPrefix), allowed.contains(String(rawTag.dropFirst(yamlTagPrefix.count))) { return }
        throw error(mark, "unsupported YAML tag '\(rawTag)'",
                    hint: "remove the tag; DVC files hold plain strings, numbers, booleans, lists and mappings")
    }

    mutating func convertMapping(_ mapping: Yams.Node.Mapping) throws(FormatError) -> YAMLNode {
        let mark = Self.mark(mapping.mark)
        try checkCollectionTag(mapping.tag.rawValue, allowed: ["map", "set"], mark: mark)
        var pairs: [(key: YAMLNode, value: YAMLNode)] = []
        pairs.reserveCapacity(mapping.count)
        var own = YAMLMapping()
        // Mappings merged in with `<<`, in the order their keys are inserted (last merged first).
        var merged: [YAMLMapping] = []
        for (keyNode, valueNode) in mapping {
            let key = try convert(keyNode, isKey: true)
            guard case .scalar(let keyText, let keyStyle) = key.kind else {
                throw error(key.mark, "mapping keys must be plain values, not lists or mappings",
                            hint: "write the key as a string")
            }
            let value = try convert(valueNode, isKey: false)
            pairs.append((key, value))
            if keyStyle == .plain, key.tag == nil, YAMLScalarResolver.implicitType(of: keyText) == .merge {
                merged.append(contentsOf: try mergeSources(value).reversed())
                continue
            }
            if own.index(of: key.value) != nil {
                throw error(key.mark, "duplicate key '\(keyText)' in a mapping",
                            hint: "a key may appear only once in a mapping; remove or rename the repeated one")
            }
            own.appendUnchecked(key.value, value.value)
        }
        var result: YAMLMapping
        if merged.isEmpty {
            result = own
        } else {
            // Python's loader builds the dict from the merged pairs first, then the mapping's own pairs:
            // own values win, but a key keeps the position where it first appeared.
            result = YAMLMapping()
            for source in merged {
                for pair in source.pairs { result[key: pair.key] = pair.value }
            }
            for pair in own.pairs { result[key: pair.key] = pair.value }
        }
        return YAMLNode(kind: .mapping(pairs), mark: mark, value: .mapping(result), isFlow: startsFlow(at: mark))
    }

    func mergeSources(_ node: YAMLNode) throws(FormatError) -> [YAMLMapping] {
        switch node.value {
        case .mapping(let mapping):
            return [mapping]
        case .sequence(let items):
            var sources: [YAMLMapping] = []
            for (index, item) in items.enumerated() {
                guard case .mapping(let mapping) = item else {
                    let itemMark = node.items?[index].mark ?? node.mark
                    throw error(itemMark, "a merge key '<<' takes a mapping or a list of mappings",
                                hint: "merge only anchored mappings, e.g. '<<: *defaults'")
                }
                sources.append(mapping)
            }
            return sources
        default:
            throw error(node.mark, "a merge key '<<' takes a mapping or a list of mappings",
                        hint: "merge only anchored mappings, e.g. '<<: *defaults'")
        }
    }
}
