import Crypto

/// DVC's run-cache (`.dvc/cache/runs`): entries keyed by what a stage ran with (FORMATS.md §6.5).
public enum RunCache {
    /// Whether DVC can use the run-cache for the stage at all (also required for restore-from-lock): not a
    /// callback or `always_changed` stage, has a command, ≥1 dependency (paths or params) and ≥1 out, all deps and
    /// outs local paths inside the repo, and no `persist` out. Whether every dep can be hashed is the caller's.
    public static func isCacheable(_ stage: PipelineStage) -> Bool {
        if stage.isCallback || stage.alwaysChanged || stage.cmd.commands.isEmpty { return false }
        if stage.deps.isEmpty && stage.params.isEmpty { return false }
        if stage.outs.isEmpty { return false }
        for dep in stage.deps where !GraphPath.isInRepo(stage.resolvedPath(dep)) { return false }
        for params in stage.params where !GraphPath.isInRepo(stage.resolvedPath(params.file)) { return false }
        for out in stage.outs where out.persist || !GraphPath.isInRepo(stage.resolvedPath(out.path)) { return false }
        return true
    }

    /// Whether a run of the stage may be saved to the run-cache: cacheable, and every `cache: false` out is a
    /// metric or plot (those are then copied into the cache so the entry can be restored).
    public static func isSaveAllowed(_ stage: PipelineStage) -> Bool {
        isCacheable(stage) && !stage.outs.contains { !$0.cache && $0.kind == .out }
    }

    /// The entry key: sha256 of the canonical JSON of the entry with `outs` replaced by the list of out paths.
    /// Only cmd, deps, params and out paths matter, so an entry with unhashed outs gives the lookup key.
    public static func key(for entry: LockedStage) -> String {
        var object = canonicalObject(entry)
        object["outs"] = .array(entry.outs.map { .string($0.path) })
        return sha256Hex(canonicalJSON(.object(object)))
    }

    /// The key to look up before running: from the current deps and params and the declared out paths (deps and
    /// params as for `LockEntryBuilder.entry`).
    public static func lookupKey(for stage: PipelineStage, deps: [LockedPath],
                                 params: [(file: String, values: YAMLMapping)]) -> String {
        key(for: LockEntryBuilder.entry(for: stage, deps: deps, params: params,
                                        outs: stage.outs.map { LockedPath(path: $0.path) }))
    }

    /// The entry value: sha256 of the canonical JSON of the whole entry.
    public static func value(for entry: LockedStage) -> String {
        sha256Hex(canonicalJSON(.object(canonicalObject(entry))))
    }

    /// The entry's file, relative to the cache directory: `runs/<key[0:2]>/<key>/<value>`.
    public static func entryPath(key: String, value: String) -> String {
        "runs/\(key.prefix(2))/\(key)/\(value)"
    }

    /// The entry's file for a lock entry, relative to the cache directory.
    public static func entryPath(for entry: LockedStage) -> String {
        entryPath(key: key(for: entry), value: value(for: entry))
    }

    /// Whether a cache-relative path has an entry's shape, `runs/<kk>/<64 hex key>/<64 hex value>` (anything else
    /// found on a remote is not fetched: a name like `runs/../x` must never become a local path).
    public static func isEntryKey(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        func isHex64(_ part: Substring) -> Bool {
            part.utf8.count == 64 && part.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
        }
        return parts.count == 4 && parts[0] == "runs" && isHex64(parts[2]) && isHex64(parts[3])
            && parts[1] == parts[2].prefix(2)
    }

    /// The directory holding every entry of a key, relative to the cache directory (pick the newest by mtime).
    public static func entryDirectory(key: String) -> String {
        "runs/\(key.prefix(2))/\(key)"
    }

    /// The entry file's text: the lock entry as YAML, without stage name or schema.
    public static func render(_ entry: LockedStage) -> String {
        DVCYAMLWriter.render(entry.yamlValue)
    }

    /// Reads an entry file back; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws(FormatError) -> LockedStage {
        let schema = YAMLSchemaReader(path: path, hint: "delete '\(path)'; the stage will simply run again")
        guard let root = try YAMLReader.parse(text, path: path), !root.value.isNull else {
            throw FormatError(path: path, message: "empty run-cache entry",
                              hint: "delete '\(path)'; the stage will simply run again")
        }
        return try PipelineLock.parseStage(root, at: [], schema: schema)
    }

    // MARK: Canonical JSON

    /// The canonical JSON text of a value: keys sorted at every level, every `size`/`nfiles` key dropped.
    static func canonicalJSON(_ value: JSONValue) -> String {
        PythonJSON.dumps(canonical(value))
    }

    static func canonicalObject(_ entry: LockedStage) -> JSONObject {
        guard case .object(let object) = json(entry.yamlValue) else { return JSONObject() }
        return object
    }

    private static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(canonical))
        case .object(let object):
            let kept = object.pairs.filter { $0.key != "size" && $0.key != "nfiles" }
                .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            return .object(JSONObject(kept.map { ($0.key, canonical($0.value)) }))
        default: return value
        }
    }

    /// YAML data as JSON, keys as Python's `str` of them.
    static func json(_ value: YAMLValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .float(let number): return .double(number)
        case .string(let text): return .string(text)
        case .sequence(let items): return .array(items.map(json))
        case .mapping(let mapping):
            return .object(JSONObject(mapping.pairs.map { (ParamsBridge.keyText($0.key), json($0.value)) }))
        }
    }

    static func sha256Hex(_ text: String) -> String {
        let digest = SHA256.hash(data: Array(text.utf8))
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
