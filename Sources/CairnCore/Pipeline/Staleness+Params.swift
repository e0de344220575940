/// The params rules staleness needs, behind one seam: switch these bodies to `ParamsLookup` when the params
/// branch lands (same semantics: per-key changes; the empty key stands for the whole file).
enum ParamsBridge {
    /// How a params dependency differs from its lock record (FORMATS.md §6.2), in DVC's status order.
    static func changes(declared dep: ParamsDependency, current: YAMLValue?, locked: YAMLMapping?)
        -> [(key: String, change: OutputChange)] {
        guard let current else { return [("", .deleted)] }
        guard let locked else { return [("", .new)] }
        var keys: [String] = []
        var actual: [String: YAMLValue] = [:]
        if let declared = dep.keys {
            var seen = Set<String>()
            for key in declared where seen.insert(key).inserted {
                keys.append(key)
                if let value = value(at: key, in: current) { actual[key] = value }
            }
        } else {
            // Whole file: the file's top-level keys in file order, then keys only the lock still has.
            var seen = Set<String>()
            if case .mapping(let mapping) = current {
                for pair in mapping.pairs {
                    let text = keyText(pair.key)
                    if seen.insert(text).inserted { keys.append(text) }
                    actual[text] = pair.value
                }
            }
            for pair in locked.pairs where seen.insert(keyText(pair.key)).inserted { keys.append(keyText(pair.key)) }
        }
        var result: [(key: String, change: OutputChange)] = []
        for key in keys {
            guard let now = actual[key] else {
                result.append((key, .deleted))
                continue
            }
            guard let recorded = locked[key] ?? locked.pairs.first(where: { keyText($0.key) == key })?.value else {
                result.append((key, .new))
                continue
            }
            if !now.pythonEquals(recorded) { result.append((key, .modified)) }
        }
        return result
    }

    /// The value at a dotted key: mapping keys, or list indexes (negative from the end).
    static func value(at key: String, in document: YAMLValue) -> YAMLValue? {
        var current = document
        for part in key.split(separator: ".", omittingEmptySubsequences: false) {
            switch current {
            case .mapping(let mapping):
                guard let next = mapping[String(part)]
                    ?? mapping.pairs.first(where: { keyText($0.key) == part })?.value else { return nil }
                current = next
            case .sequence(let items):
                guard var index = Int(part) else { return nil }
                if index < 0 { index += items.count }
                guard items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// A key as Python's `str` of it.
    static func keyText(_ key: YAMLValue) -> String {
        switch key {
        case .string(let text): return text
        case .null: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .float(let number): return PythonJSON.floatRepr(number, json: false)
        default: return DVCYAMLWriter.inlineScalar(key)
        }
    }
}

extension ParamsBridge {
    /// The mapping locked for a params file: declared keys sorted with their values, or the whole file's
    /// top-level keys sorted. A declared key missing from the document is an error.
    static func lockValues(for dep: ParamsDependency, in document: YAMLValue, shownAs file: String)
        throws(FormatError) -> YAMLMapping {
        guard let keys = dep.keys else {
            guard case .mapping(let mapping) = document else { return YAMLMapping() }
            let sorted = mapping.pairs.sorted { keyText($0.key).utf8.lexicographicallyPrecedes(keyText($1.key).utf8) }
            return YAMLMapping(sorted.map { ($0.key, $0.value) })
        }
        var result: [(String, YAMLValue)] = []
        var missing: [String] = []
        var seen = Set<String>()
        for key in keys where seen.insert(key).inserted {
            if let value = value(at: key, in: document) { result.append((key, value)) } else { missing.append(key) }
        }
        if !missing.isEmpty {
            let names = missing.map { "'\($0)'" }.joined(separator: ", ")
            throw FormatError(path: file, message: "Parameters \(names) are missing from '\(file)'.",
                              hint: "add the missing parameters to '\(file)' or remove them from the stage's "
                                  + "params in dvc.yaml")
        }
        result.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        return YAMLMapping(stringPairs: result)
    }
}
