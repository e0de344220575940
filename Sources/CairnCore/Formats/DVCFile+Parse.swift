extension DVCFile {
    /// Keys DVC accepts at the top of a `.dvc` file.
    static let topLevelKeys: Set<String> = [
        "outs", "deps", "md5", "cmd", "wdir", "frozen", "locked", "always_changed", "desc", "meta",
    ]
    /// Keys DVC accepts in an `outs` entry.
    static let outputKeys: Set<String> = [
        "md5", "size", "nfiles", "isexec", "version_id", "etag", "checksum", "hash", "path", "fs_config", "desc",
        "type", "labels", "meta", "cache", "metric", "plot", "persist", "remote", "push", "files", "cloud",
    ]
    /// Keys DVC accepts in a `deps` entry of an import.
    static let dependencyKeys: Set<String> = [
        "md5", "size", "nfiles", "isexec", "version_id", "etag", "checksum", "hash", "path", "repo", "db",
        "fs_config", "files", "cloud",
    ]

    /// Parses a `.dvc` file, validating it as strictly as DVC. `path` is the file's repo-relative path; output
    /// paths must stay inside the repository.
    public static func parse(_ text: String, path: String) throws(FormatError) -> DVCFile {
        try parse(root: try YAMLReader.parse(text, path: path), path: path)
    }

    /// Validates an already parsed `.dvc` document (nil for an empty one).
    public static func parse(root: YAMLNode?, path: String) throws(FormatError) -> DVCFile {
        let schema = YAMLSchemaReader(
            path: path,
            hint: "fix '\(path)' by hand, or delete it and track the data again with 'cairn add'")
        guard let root, !root.value.isNull else {
            throw FormatError(path: path, message: "the .dvc file is empty",
                              hint: "delete it, or track the data again with 'cairn add'")
        }
        guard case .mapping = root.kind else {
            throw schema.error("expected a dictionary at the top of the file, found \(root.value.pythonTypeName)",
                               at: [], node: root)
        }
        let pairs = try schema.pairs(root, at: [])
        try schema.checkKeys(pairs, allowed: topLevelKeys, in: root, at: [])

        var file = DVCFile(path: path, outs: [])
        var locked: Bool?
        var frozen: Bool?
        var outsNode: YAMLNode?
        for (key, _, value) in pairs {
            let location = [key]
            switch key {
            case "outs":
                outsNode = value
                if value.value.isNull { continue }
                for (index, item) in try schema.items(value, at: location).enumerated() {
                    file.outs.append(try parseOutput(item, at: location + [String(index)], dvcPath: path,
                                                     schema: schema))
                }
            case "deps":
                if value.value.isNull { continue }
                for (index, item) in try schema.items(value, at: location).enumerated() {
                    file.deps.append(try parseDependency(item, at: location + [String(index)], schema: schema))
                }
            case "md5": file.md5 = try schema.checksum(value, at: location)
            case "cmd": file.cmd = try schema.optionalString(value, at: location)
            case "wdir": file.wdir = try schema.optionalString(value, at: location)
            case "frozen": frozen = try schema.bool(value, at: location)
            case "locked": locked = try schema.bool(value, at: location)
            case "always_changed": file.alwaysChanged = try schema.bool(value, at: location)
            case "desc": file.desc = try schema.string(value, at: location)
            case "meta": file.meta = value.value
            default: break
            }
        }
        file.frozen = frozen ?? locked ?? false
        if file.outs.isEmpty {
            throw FormatError(path: path, line: (outsNode ?? root).mark.line, column: (outsNode ?? root).mark.column,
                              message: "the .dvc file has no outputs ('outs' is missing or empty)",
                              hint: "a .dvc file must track at least one output; delete it, or track the data again with 'cairn add'")
        }
        return file
    }

    static func parseOutput(_ node: YAMLNode, at location: [String], dvcPath: String,
                            schema: YAMLSchemaReader) throws(FormatError) -> DVCOutput {
        let pairs = try schema.pairs(node, at: location)
        try schema.checkKeys(pairs, allowed: outputKeys, required: ["path"], in: node, at: location)
        var output = DVCOutput(path: "", baseDirectory: RepoPath.parent(dvcPath))
        var hashName: String?
        for (key, _, value) in pairs {
            let here = location + [key]
            switch key {
            case "md5": output.md5 = try schema.md5(value, at: here)
            case "size": output.size = try schema.optionalInt(value, at: here).map(Int64.init)
            case "nfiles": output.nfiles = try schema.optionalInt(value, at: here)
            case "isexec": output.isexec = try schema.bool(value, at: here)
            case "version_id": output.versionID = try schema.string(value, at: here)
            case "etag": output.etag = try schema.checksum(value, at: here)
            case "checksum": output.checksum = try schema.checksum(value, at: here)
            case "hash":
                hashName = try schema.string(value, at: here)
                output.hashKind = try hashKind(hashName!, node: value, at: here, schema: schema)
            case "path":
                output.path = try schema.string(value, at: here)
                try checkOutputPath(output.path, node: value, at: here, dvcPath: dvcPath, schema: schema)
            case "fs_config": output.fsConfig = try schema.mapping(value, at: here)
            case "desc": output.desc = try schema.string(value, at: here)
            case "type": output.type = try schema.string(value, at: here)
            case "labels": output.labels = try schema.stringList(value, at: here)
            case "meta": output.meta = value.value
            case "cache": output.cache = try schema.bool(value, at: here)
            case "metric", "plot":
                switch value.value {
                case .bool, .mapping: break
                default: throw schema.error("expected bool or a dictionary", at: here, node: value)
                }
                if key == "metric" { output.metric = value.value } else { output.plot = value.value }
            case "persist": output.persist = try schema.bool(value, at: here)
            case "remote": output.remote = try schema.string(value, at: here)
            case "push": output.push = try schema.bool(value, at: here)
            case "files": output.files = try schema.items(value, at: here).map(\.value)
            case "cloud": output.cloud = try schema.mapping(value, at: here)
            default: break
            }
        }
        if hashName == nil { output.hashKind = .md5Dos2Unix }
        return output
    }

    static func parseDependency(_ node: YAMLNode, at location: [String],
                                schema: YAMLSchemaReader) throws(FormatError) -> DVCDependency {
        let pairs = try schema.pairs(node, at: location)
        try schema.checkKeys(pairs, allowed: dependencyKeys, required: ["path"], in: node, at: location)
        var dependency = DVCDependency(path: "")
        var hashName: String?
        for (key, _, value) in pairs {
            let here = location + [key]
            switch key {
            case "path": dependency.path = try schema.string(value, at: here)
            case "md5": dependency.md5 = try schema.md5(value, at: here)
            case "size": dependency.size = try schema.optionalInt(value, at: here).map(Int64.init)
            case "nfiles": dependency.nfiles = try schema.optionalInt(value, at: here)
            case "isexec": dependency.isexec = try schema.bool(value, at: here)
            case "hash":
                hashName = try schema.string(value, at: here)
                dependency.hashKind = try hashKind(hashName!, node: value, at: here, schema: schema)
            default: dependency.extra[key] = value.value
            }
        }
        if hashName == nil { dependency.hashKind = .md5Dos2Unix }
        return dependency
    }

    static func hashKind(_ name: String, node: YAMLNode, at location: [String],
                         schema: YAMLSchemaReader) throws(FormatError) -> HashKind {
        guard let kind = HashKind(rawValue: name) else {
            throw schema.error("unsupported hash '\(name)' (only 'md5' is supported)", at: location, node: node)
        }
        return kind
    }

    /// Output paths are relative to the `.dvc` file and may not leave the repository.
    static func checkOutputPath(_ path: String, node: YAMLNode, at location: [String], dvcPath: String,
                                schema: YAMLSchemaReader) throws(FormatError) {
        if path.hasPrefix("/") {
            throw FormatError(path: schema.path, line: node.mark.line, column: node.mark.column,
                              message: "output path '\(path)' is absolute, in \(location.joined(separator: " -> "))",
                              hint: "outputs must be inside the repository; write the path relative to '\(schema.path)'")
        }
        guard let resolved = RepoPath.join(RepoPath.parent(dvcPath), path), !resolved.isEmpty,
              !RepoPath.isInsideControlDirectory(resolved) else {
            throw FormatError(path: schema.path, line: node.mark.line, column: node.mark.column,
                              message: "output path '\(path)' is outside the repository, in \(location.joined(separator: " -> "))",
                              hint: "outputs must be inside the repository (and not in .dvc or .git); fix the path in '\(schema.path)'")
        }
    }
}
