/// Turns a parsed metrics/params file into DVC's flat `a.b.c` keys (FORMATS.md §8.1, §8.5).
public enum MetricsFlattening {
    /// Flattened values in document order. Metrics keep numbers, strings and booleans; lists, `null` and empty
    /// mappings are dropped; with `listsAsRepr` (params) lists are kept as their Python-repr string. A file whose
    /// top level is a scalar (a CSV read as YAML) gives one value under the empty key `""`.
    public static func flatten(_ value: YAMLValue, listsAsRepr: Bool = false) -> [(key: String, value: MetricValue)] {
        var result: [(key: String, value: MetricValue)] = []
        switch value {
        case .mapping(let mapping):
            flatten(mapping, prefix: nil, listsAsRepr: listsAsRepr, into: &result)
        default:
            if let leaf = leaf(value, listsAsRepr: listsAsRepr) { result.append((key: "", value: leaf)) }
        }
        return result
    }

    /// The file's data as `metrics show --json` prints it: the nested tree with lists, `null` and (then) empty
    /// mappings removed; a top-level list or null becomes `{}`, a top-level scalar stays as it is.
    public static func filtered(_ value: YAMLValue) -> JSONValue {
        switch value {
        case .mapping(let mapping):
            return .object(filtered(mapping))
        case .sequence, .null:
            return .object(JSONObject())
        default:
            return value.jsonValue
        }
    }

    /// Python `str()` of a mapping key, as DVC joins nested keys.
    static func keyText(_ key: YAMLValue) -> String {
        switch key {
        case .string(let text): return text
        case .null: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .float(let number): return PythonJSON.floatRepr(number)
        case .sequence, .mapping: return PythonValueRepr.repr(key)
        }
    }

    private static func leaf(_ value: YAMLValue, listsAsRepr: Bool) -> MetricValue? {
        switch value {
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .float(let number): return .float(number)
        case .string(let text): return .string(text)
        case .sequence: return listsAsRepr ? .string(PythonValueRepr.repr(value)) : nil
        case .null, .mapping: return nil
        }
    }

    private static func flatten(_ mapping: YAMLMapping, prefix: String?, listsAsRepr: Bool,
                                into result: inout [(key: String, value: MetricValue)]) {
        for pair in mapping.pairs {
            let name = keyText(pair.key)
            let key = prefix.map { $0 + "." + name } ?? name
            if case .mapping(let inner) = pair.value {
                flatten(inner, prefix: key, listsAsRepr: listsAsRepr, into: &result)
            } else if let leaf = leaf(pair.value, listsAsRepr: listsAsRepr) {
                result.append((key: key, value: leaf))
            }
        }
    }

    private static func filtered(_ mapping: YAMLMapping) -> JSONObject {
        var object = JSONObject()
        for pair in mapping.pairs {
            switch pair.value {
            case .null, .sequence:
                continue
            case .mapping(let inner):
                let child = filtered(inner)
                if !child.isEmpty { object[keyJSON(pair.key)] = .object(child) }
            default:
                object[keyJSON(pair.key)] = pair.value.jsonValue
            }
        }
        return object
    }

    // json.dumps writes bool/None keys in their JSON spelling.
    private static func keyJSON(_ key: YAMLValue) -> String {
        switch key {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .float(let number): return PythonJSON.floatRepr(number, json: true)
        default: return keyText(key)
        }
    }
}

/// A metrics or params file that could not be read at one revision; the value shown in JSON as
/// `{"error": {"type": …, "msg": …}}` and, in text tables, as a row of `-`.
public struct MetricsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The revision label (`workspace`, `HEAD~1`, a SHA).
    public var revision: String
    /// Repo-relative path of the file ("" for a failure of the whole revision).
    public var path: String
    /// The error class in DVC's JSON (`FileNotFoundError`, `YAMLFileCorruptedError`, …).
    public var type: String
    /// What went wrong.
    public var message: String

    /// Creates an error for `revision:path`.
    public init(revision: String, path: String, type: String, message: String) {
        self.revision = revision
        self.path = path
        self.type = type
        self.message = message
    }

    /// `rev:path: message` plus what to do next.
    public var description: String {
        let location = path.isEmpty ? revision : "\(revision):\(path)"
        return "\(location): \(message)\nFix or restore the file at that revision (or leave it out with --targets)."
    }

    /// DVC's JSON error cell body: `{"type": …, "msg": …}`.
    public var jsonValue: JSONValue {
        .object(["type": .string(type), "msg": .string(message)])
    }
}

/// One metrics/params file at one revision: its parsed content or why it could not be read.
public struct MetricsFile: Sendable {
    /// Repo-relative path (the row's `Path`).
    public var path: String
    /// The parsed document, or the error.
    public var result: Result<YAMLValue, MetricsError>

    /// Creates a file entry.
    public init(path: String, result: Result<YAMLValue, MetricsError>) {
        self.path = path
        self.result = result
    }

    /// A file that parsed.
    public static func value(_ path: String, _ value: YAMLValue) -> MetricsFile {
        MetricsFile(path: path, result: .success(value))
    }

    /// A file that failed.
    public static func failure(_ path: String, _ error: MetricsError) -> MetricsFile {
        MetricsFile(path: path, result: .failure(error))
    }
}

/// All metrics (or params) files of one revision, in the order they are listed. A file missing at the revision is
/// simply absent; `error` marks a revision that could not be read at all (e.g. a broken `dvc.yaml`).
public struct RevisionFiles: Sendable {
    /// The label in headers, the `Revision` column and as JSON key (`""` for the bare workspace of `show`).
    public var revision: String
    /// The files, in order.
    public var files: [MetricsFile]
    /// Set when the whole revision failed.
    public var error: MetricsError?

    /// Creates a revision's file list.
    public init(revision: String, files: [MetricsFile], error: MetricsError? = nil) {
        self.revision = revision
        self.files = files
        self.error = error
    }

    /// Whether any file (or the revision itself) failed; DVC then warns
    /// `DVC failed to load some metrics for following revisions: '<revs>'.`
    public var hasErrors: Bool {
        error != nil || files.contains { if case .failure = $0.result { return true } else { return false } }
    }

    /// Every load error of the revision (the revision's own first), to report each `rev:path` to the user.
    public var errors: [MetricsError] {
        var result = error.map { [$0] } ?? []
        for file in files { if case .failure(let failure) = file.result { result.append(failure) } }
        return result
    }

    /// DVC's per-revision warnings (printed after `WARNING: `) for revisions that failed as a whole:
    /// `failed to load metrics in revision 'HEAD', <message>`.
    public static func revisionWarnings(_ revisions: [RevisionFiles], kind: String = "metrics") -> [String] {
        revisions.compactMap { revision in
            revision.error.map { "failed to load \(kind) in revision '\(revision.revision)', \($0.message)" }
        }
    }

    /// DVC's stderr warning for revisions with errors (`'HEAD, workspace'`), or nil when all loaded.
    public static func failureWarning(_ revisions: [RevisionFiles], kind: String = "metrics") -> String? {
        let failed = revisions.filter(\.hasErrors).map(\.revision)
        guard !failed.isEmpty else { return nil }
        return "DVC failed to load some \(kind) for following revisions: '\(failed.joined(separator: ", "))'."
    }
}
