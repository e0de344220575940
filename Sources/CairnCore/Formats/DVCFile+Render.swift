extension DVCFile {
    /// The file's data in DVC's key order (FORMATS.md §3.3); defaults and empty values are left out.
    public var yamlValue: YAMLValue {
        var top = YAMLMapping()
        if let desc { top["desc"] = .string(desc) }
        if let md5 { top["md5"] = .string(md5) }
        if let cmd { top["cmd"] = .string(cmd) }
        if let wdir { top["wdir"] = .string(wdir) }
        if frozen { top["frozen"] = .bool(true) }
        if !deps.isEmpty { top["deps"] = .sequence(deps.map(\.importEntryValue)) }
        top["outs"] = .sequence(outs.map(\.yamlValue))
        if alwaysChanged { top["always_changed"] = .bool(true) }
        if let meta { top["meta"] = meta }
        return .mapping(top)
    }

    /// A freshly written `.dvc` file, byte for byte as `dvc add` writes it.
    public func rendered() -> String {
        DVCYAMLWriter.render(yamlValue)
    }
}

extension DVCOutput {
    /// The entry's data in DVC's key order; `cache`, `persist`, `push` and `isexec` only when not default.
    public var yamlValue: YAMLValue {
        var entry = YAMLMapping()
        if let md5 { entry["md5"] = .string(md5.description) }
        if let size { entry["size"] = .int(Int(size)) }
        if let nfiles { entry["nfiles"] = .int(nfiles) }
        if isexec { entry["isexec"] = .bool(true) }
        if let versionID { entry["version_id"] = .string(versionID) }
        if let etag { entry["etag"] = .string(etag) }
        if let checksum { entry["checksum"] = .string(checksum) }
        if hashKind == .md5 { entry["hash"] = .string(HashKind.md5.rawValue) }
        entry["path"] = .string(path)
        if let fsConfig { entry["fs_config"] = .mapping(fsConfig) }
        if let desc { entry["desc"] = .string(desc) }
        if let type { entry["type"] = .string(type) }
        if let labels { entry["labels"] = .sequence(labels.map(YAMLValue.string)) }
        if let meta { entry["meta"] = meta }
        if !cache { entry["cache"] = .bool(false) }
        if let metric { entry["metric"] = metric }
        if let plot { entry["plot"] = plot }
        if persist { entry["persist"] = .bool(true) }
        if let remote { entry["remote"] = .string(remote) }
        if !push { entry["push"] = .bool(false) }
        if let files { entry["files"] = .sequence(files) }
        if let cloud { entry["cloud"] = .mapping(cloud) }
        return .mapping(entry)
    }
}

extension DVCDependency {
    /// The entry as a `.dvc` file's import dependency: repository imports as `path`, `repo`; others in the output
    /// key order (a `dvc.lock` entry is `yamlValue`, in the lock's order).
    public var importEntryValue: YAMLValue {
        var entry = YAMLMapping()
        if extra["repo"] != nil {
            entry["path"] = .string(path)
            for pair in extra.pairs { entry[key: pair.key] = pair.value }
            return .mapping(entry)
        }
        if let md5 { entry["md5"] = .string(md5.description) }
        if let size { entry["size"] = .int(Int(size)) }
        if let nfiles { entry["nfiles"] = .int(nfiles) }
        if isexec { entry["isexec"] = .bool(true) }
        for key in ["version_id", "etag", "checksum"] {
            if let value = extra[key] { entry[key] = value }
        }
        if hashKind == .md5 && md5 != nil { entry["hash"] = .string(HashKind.md5.rawValue) }
        entry["path"] = .string(path)
        for pair in extra.pairs where entry[key: pair.key] == nil { entry[key: pair.key] = pair.value }
        return .mapping(entry)
    }
}
