extension PipelineLock {
    /// The only lock schema DVC 3 reads and writes.
    public static let schemaVersion = "2.0"

    static let topLevelKeys: Set<String> = ["schema", "stages", "datasets"]
    static let stageKeys: Set<String> = ["cmd", "deps", "params", "outs"]

    /// Parses a `dvc.lock`. An empty file is an empty lock; DVC 1.x locks (no `schema`) are refused.
    /// Paths stay as written: they are relative to each stage's `wdir`, which lives in `dvc.yaml`.
    public static func parse(_ text: String, path: String) throws(FormatError) -> PipelineLock {
        let schema = YAMLSchemaReader(
            path: path,
            hint: "fix '\(path)' by hand, or delete it and run 'cairn repro' to record the pipeline again")
        guard let root = try YAMLReader.parse(text, path: path), !root.value.isNull else { return PipelineLock() }
        guard case .mapping(let rootPairs) = root.kind else {
            throw schema.error("expected a dictionary at the top of the file, found \(root.value.pythonTypeName)",
                               at: [], node: root)
        }
        if rootPairs.isEmpty { return PipelineLock() }
        guard let version = root.pair(forKey: "schema") else {
            throw FormatError(
                path: path, line: root.mark.line, column: root.mark.column,
                message: "this dvc.lock is in the DVC 1.x format (no \"schema: '2.0'\"), which is not supported",
                hint: "run 'dvc repro' once with DVC 2 or later to upgrade it, or delete dvc.lock and run 'cairn repro'")
        }
        guard version.value.value == .string(schemaVersion) else {
            let shown = version.value.scalar?.text ?? "\(version.value.value)"
            throw FormatError(
                path: path, line: version.value.mark.line, column: version.value.mark.column,
                message: "unsupported dvc.lock schema '\(shown)'; only '\(schemaVersion)' (a string) is supported",
                hint: "write \"schema: '2.0'\", or delete dvc.lock and run 'cairn repro'")
        }
        let pairs = try schema.pairs(root, at: [])
        try schema.checkKeys(pairs, allowed: topLevelKeys, in: root, at: [])

        var lock = PipelineLock()
        if let datasets = root["datasets"] { lock.datasets = datasets.value }
        guard let stagesNode = root["stages"], !stagesNode.value.isNull else { return lock }
        let stagePairs = try schema.pairs(stagesNode, at: ["stages"])
        lock.stages.reserveCapacity(stagePairs.count)
        for (name, _, stageNode) in stagePairs {
            lock.stages.append((name, try parseStage(stageNode, at: ["stages", name], schema: schema)))
        }
        return lock
    }

    static func parseStage(_ node: YAMLNode, at location: @autoclosure () -> [String],
                           schema: YAMLSchemaReader) throws(FormatError) -> LockedStage {
        let pairs = try schema.pairs(node, at: location())
        try schema.checkKeys(pairs, allowed: stageKeys, required: ["cmd"], in: node, at: location())
        var stage = LockedStage(cmd: .null)
        for (key, _, value) in pairs {
            switch key {
            case "cmd":
                switch value.value {
                case .string: stage.cmd = value.value
                case .sequence:
                    _ = try schema.stringList(value, at: location() + [key])
                    stage.cmd = value.value
                default: throw schema.error("expected str or a list of str", at: location() + [key], node: value)
                }
            case "deps", "outs":
                if value.value.isNull { continue }
                var entries: [LockedPath] = []
                for (index, item) in try schema.items(value, at: location() + [key]).enumerated() {
                    entries.append(try parsePath(item, at: location() + [key] + [String(index)], schema: schema))
                }
                if key == "deps" { stage.deps = entries } else { stage.outs = entries }
            case "params":
                if value.value.isNull { continue }
                for (file, _, valuesNode) in try schema.pairs(value, at: location() + [key]) {
                    let values = valuesNode.value.isNull ? YAMLMapping() : try schema.mapping(valuesNode, at: location() + [key] + [file])
                    stage.params.append((file, values))
                }
            default: break
            }
        }
        return stage
    }

    static func parsePath(_ node: YAMLNode, at location: @autoclosure () -> [String],
                          schema: YAMLSchemaReader) throws(FormatError) -> LockedPath {
        let pairs = try schema.pairs(node, at: location())
        if !pairs.contains(where: { $0.key == "path" }) {
            throw schema.error("required key not provided", at: location() + ["path"], node: node)
        }
        var entry = LockedPath(path: "")
        var hashName: String?
        for (key, _, value) in pairs {
            switch key {
            case "path": entry.path = try schema.string(value, at: location() + [key])
            case "hash":
                let name = try schema.string(value, at: location() + [key])
                hashName = name
                guard let kind = HashKind(rawValue: name) else {
                    throw schema.error("unsupported hash '\(name)' (only 'md5' is supported)", at: location() + [key], node: value)
                }
                entry.hashKind = kind
            case "md5": entry.md5 = try schema.md5(value, at: location() + [key])
            case "size": entry.size = try schema.optionalInt(value, at: location() + [key]).map(Int64.init)
            case "nfiles": entry.nfiles = try schema.optionalInt(value, at: location() + [key])
            case "isexec": entry.isexec = try schema.bool(value, at: location() + [key])
            default: entry.extra[key] = value.value
            }
        }
        if hashName == nil { entry.hashKind = .md5Dos2Unix }
        return entry
    }
}
