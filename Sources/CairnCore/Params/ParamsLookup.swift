/// DVC's params-dependency rules: key lookup, the values written to `dvc.lock` and change detection
/// (FORMATS.md §5.2, §6.2).
public enum ParamsLookup {
    /// The value at a dotted key (`train.layers`, `grid.0`): each part names a mapping key, or an index into a
    /// list (negative counts from the end, as in Python). Nil when the path does not exist. As in DVC, a dot always
    /// separates parts (a literal `x.y` key cannot be addressed) and leading dots are ignored.
    public static func value(at key: String, in document: YAMLValue) -> YAMLValue? {
        var current = document
        let path = key.drop { $0 == "." }
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            switch current {
            case .mapping(let mapping):
                guard let next = mapping[String(part)] else { return nil }
                current = next
            case .sequence(let items):
                guard let index = listIndex(part, count: items.count) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The mapping written under `dep.file` in a stage's `dvc.lock` `params`: the declared keys sorted (Python
    /// string order), each with its value (subtrees keep the file's key order); for a whole-file dependency the
    /// top-level keys, sorted, with their values. A declared key missing from the document (or a whole-file
    /// dependency on a document that is not a mapping) is an error naming `dep.file` (as given) and the key.
    public static func lockValues(for dep: ParamsDependency, in document: YAMLValue) throws(FormatError)
        -> YAMLMapping {
        guard let keys = dep.keys else {
            guard case .mapping(let mapping) = document else {
                // DVC fails here too ("'list' object has no attribute 'keys'").
                throw FormatError(path: dep.file,
                                  message: "'\(dep.file)' holds a \(document.pythonTypeName), not a mapping of parameters",
                                  hint: "make the file's top level a mapping of names to values")
            }
            let sorted = mapping.pairs.sorted { keyLess($0.key, $1.key) }
            return YAMLMapping(sorted.map { ($0.key, $0.value) })
        }
        var result: [(String, YAMLValue)] = []
        var missing: [String] = []
        for key in distinct(keys) {
            if let value = value(at: key, in: document) {
                result.append((key, value))
            } else {
                missing.append(key)
            }
        }
        if !missing.isEmpty {
            // DVC's own wording; it lists the keys in set order, sorted here so the message is stable.
            let names = missing.sorted(by: pythonLess).joined(separator: ", ")
            throw FormatError(path: dep.file,
                              message: "Parameters '\(names)' are missing from '\(dep.file)'.",
                              hint: "add the missing parameters to '\(dep.file)' or remove them from the stage's "
                                  + "params in dvc.yaml")
        }
        result.sort { pythonLess($0.0, $1.0) }
        return YAMLMapping(stringPairs: result)
    }

    /// How a params dependency differs from its lock record (FORMATS.md §6.2), in DVC's status order.
    /// - Parameters:
    ///   - declared: the stage's dependency (declared keys, or nil keys for the whole file).
    ///   - current: the parsed params file, nil when the file is missing.
    ///   - locked: the mapping recorded under this file in `dvc.lock`, nil when there is none.
    /// - Returns: per-key changes. When the whole file is missing (`deleted`) or has no lock record (`new`), a
    ///   single entry with the empty key `""` stands for the file itself (DVC reports `params.yaml: deleted`).
    ///   Empty when nothing changed.
    public static func changes(declared dep: ParamsDependency, current: YAMLValue?, locked: YAMLMapping?)
        -> [(key: String, change: OutputChange)] {
        guard let current else { return [("", .deleted)] }
        guard let locked else { return [("", .new)] }
        let keys: [String]
        var actual: [String: YAMLValue] = [:]
        if let declared = dep.keys {
            keys = distinct(declared)
            for key in keys {
                if let value = value(at: key, in: current) { actual[key] = value }
            }
        } else {
            // Whole file: the file's top-level keys in file order, then keys only the lock still has.
            var ordered: [String] = []
            if case .mapping(let mapping) = current {
                for pair in mapping.pairs {
                    let text = keyText(pair.key)
                    if actual[text] == nil { ordered.append(text) }
                    actual[text] = pair.value
                }
            }
            for pair in locked.pairs { ordered.append(keyText(pair.key)) }
            keys = distinct(ordered)
        }
        var result: [(key: String, change: OutputChange)] = []
        for key in keys {
            guard let now = actual[key] else {
                result.append((key, .deleted))
                continue
            }
            guard let recorded = lockedValue(key, in: locked) else {
                result.append((key, .new))
                continue
            }
            if !now.pythonEquals(recorded) { result.append((key, .modified)) }
        }
        return result
    }

    /// The order of a stage's params files in `dvc.lock`: `params.yaml` first, then the others sorted by name.
    public static func sortedFiles(_ files: [String]) -> [String] {
        files.sorted { lhs, rhs in
            let lhsDefault = lhs == "params.yaml", rhsDefault = rhs == "params.yaml"
            if lhsDefault != rhsDefault { return lhsDefault }
            return pythonLess(lhs, rhs)
        }
    }

    // MARK: Helpers

    /// Python's `str` ordering: by code point, which UTF-8 byte order preserves.
    static func pythonLess(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// Python's order of two mapping keys: numbers (and bools) numerically, strings by code point. Python cannot
    /// order a number against a string (DVC fails); they are compared as text here.
    static func keyLess(_ lhs: YAMLValue, _ rhs: YAMLValue) -> Bool {
        if let left = numeric(lhs), let right = numeric(rhs) { return left < right }
        return pythonLess(keyText(lhs), keyText(rhs))
    }

    private static func numeric(_ value: YAMLValue) -> Double? {
        switch value {
        case .bool(let flag): return flag ? 1 : 0
        case .int(let number): return Double(number)
        case .float(let number): return number
        default: return nil
        }
    }

    static func distinct(_ keys: [String]) -> [String] {
        var seen = Set<String>()
        return keys.filter { seen.insert($0).inserted }
    }

    /// A key as the string DVC's lock and status use for it (`1:` in YAML is the key `1`).
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

    private static func lockedValue(_ key: String, in locked: YAMLMapping) -> YAMLValue? {
        if let value = locked[key] { return value }
        return locked.pairs.first { keyText($0.key) == key }?.value
    }

    private static func listIndex(_ part: Substring, count: Int) -> Int? {
        // Python's int() accepts surrounding whitespace, a sign and leading zeros.
        let trimmed = part.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()
        guard let index = Int(String(trimmed)) else { return nil }
        let resolved = index < 0 ? count + index : index
        return (0..<count).contains(resolved) ? resolved : nil
    }
}
