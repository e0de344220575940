extension PipelineLock {
    /// The lock's data as DVC writes it: `schema: '2.0'`, then `stages` (FORMATS.md §5.2).
    public var yamlValue: YAMLValue {
        var top = YAMLMapping()
        top["schema"] = .string(Self.schemaVersion)
        var stageMapping = YAMLMapping()
        for (name, stage) in stages { stageMapping[name] = stage.yamlValue }
        top["stages"] = .mapping(stageMapping)
        if let datasets { top["datasets"] = datasets }
        return .mapping(top)
    }

    /// The whole `dvc.lock`, byte for byte as DVC writes it.
    public func rendered() -> String {
        DVCYAMLWriter.render(yamlValue)
    }
}

extension LockedStage {
    /// The entry's data in DVC's order `cmd, deps, params, outs`; empty sections are left out.
    public var yamlValue: YAMLValue {
        var entry = YAMLMapping()
        entry["cmd"] = cmd
        if !deps.isEmpty { entry["deps"] = .sequence(deps.map(\.yamlValue)) }
        if !params.isEmpty {
            var files = YAMLMapping()
            for (file, values) in params { files[file] = .mapping(values) }
            entry["params"] = .mapping(files)
        }
        if !outs.isEmpty { entry["outs"] = .sequence(outs.map(\.yamlValue)) }
        return .mapping(entry)
    }
}

extension LockedPath {
    /// The entry's data in DVC's order `path, hash, md5, size, nfiles, isexec`, then other keys as read.
    public var yamlValue: YAMLValue {
        var entry = YAMLMapping()
        entry["path"] = .string(path)
        if hashKind == .md5 { entry["hash"] = .string(HashKind.md5.rawValue) }
        if let md5 { entry["md5"] = .string(md5.description) }
        if let size { entry["size"] = .int(Int(size)) }
        if let nfiles { entry["nfiles"] = .int(nfiles) }
        if isexec { entry["isexec"] = .bool(true) }
        for pair in extra.pairs where entry[key: pair.key] == nil { entry[key: pair.key] = pair.value }
        return .mapping(entry)
    }
}
