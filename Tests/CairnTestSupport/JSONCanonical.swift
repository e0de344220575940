import CairnCore

/// Canonical text of JSON documents, for comparing cairn's `--json` output with DVC's regardless of key order
/// and (when asked) of list order, which DVC does not keep stable.
public enum JSONCanonical {
    /// The document with object keys sorted and, with `sortLists`, every list sorted by its elements' canonical
    /// text; throws (naming the text) when it is not JSON.
    public static func text(_ json: String, sortLists: Bool = true) throws -> String {
        do {
            return render(try JSONValue.parse(json), sortLists: sortLists)
        } catch {
            throw TestSupportError(
                "not JSON (line \(error.line), column \(error.column): \(error.message)):\n\(json)")
        }
    }

    /// True when the two documents are equal up to key order (and list order with `sortLists`).
    public static func equal(_ lhs: String, _ rhs: String, sortLists: Bool = true) throws -> Bool {
        try text(lhs, sortLists: sortLists) == text(rhs, sortLists: sortLists)
    }

    private static func render(_ value: JSONValue, sortLists: Bool) -> String {
        switch value {
        case .null, .bool, .int, .double, .string:
            return PythonJSON.dumps(value)
        case .array(let items):
            var parts = items.map { render($0, sortLists: sortLists) }
            if sortLists { parts.sort() }
            return "[" + parts.joined(separator: ",") + "]"
        case .object(let object):
            let parts = object.pairs.sorted { $0.key < $1.key }.map {
                PythonJSON.dumps(.string($0.key)) + ":" + render($0.value, sortLists: sortLists)
            }
            return "{" + parts.joined(separator: ",") + "}"
        }
    }
}
