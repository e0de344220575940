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
            switch key {
            case "outs":
                outsNode = value
                if value.value.isNull { continue }
                for (index, item) in try schema.items(value, at: [key]).enumerated() {
                    file.outs.append(try parseOutput(item, at: [key, String(index)], dvcPath: path,
                                                     schema: schema))
                }
            case "deps":
                if value.value.isNull { continue }
                for (index, item) in try schema.items(value, at: [key]).enumerated() {
                    file.deps.append(try parseDependency(item, at: [key, String(index)], schema: schema))
                }
            case "md5": file.md5 = try schema.checksum(value, at: [key])
            case "cmd": file.cmd = try schema.optionalString(value, at: [key])
            case "wdir": file.wdir = try schema.optionalString(value, at: [key])
            case "frozen": frozen = try schema.bool(value, at: [key])
            case "locked": locked = try schema.bool(value, at: [key])
            case "always_changed": file.alwaysChanged = try schema.bool(value, at: [key])
            case "desc": file.desc = try schema.string(value, at: [key])
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

    static func parseOutput(_ node: YAMLNode, at location: @autoclosure () -> [String], dvcPath: String,
                            schema: YAMLSchemaReader) throws(FormatError) -> DVCOutput {
        let pairs = try schema.pairs(node, at: location())
        try schema.checkKeys(pairs, allowed: outputKeys, required: ["path"], in: node, at: location())
        var output = DVCOutput(path: "", baseDirectory: RepoPath.parent(dvcPath))
        var hashName: String?
        for (key, _, value) in pairs {
            switch key {
            case "md5": output.md5 = try schema.md5(value, at: location() + [key])
            case "size": output.size = try schema.optionalInt(value, at: location() + [key]).map(Int64.init)
            case "nfiles": output.nfiles = try schema.optionalInt(value, at: location() + [key])
            case "isexec": output.isexec = try schema.bool(value, at: location() + [key])
            case "version_id": output.versionID = try schema.string(value, at: location() + [key])
            case "etag": output.etag = try schema.checksum(value, at: location() + [key])
            case "checksum": output.checksum = try schema.checksum(value, at: location() + [key])
            case "hash":
                hashName = try schema.string(value, at: location() + [key])
                output.hashKind = try hashKind(hashName!, node: value, at: location() + [key], schema: schema)
            case "path":
                output.path = try schema.string(value, at: location() + [key])
                try checkOutputPath(output.path, node: value, at: location() + [key], dvcPath: dvcPath, schema: schema)
            case "fs_config": output.fsConfig = try schema.mapping(value, at: location() + [key])
            case "desc": output.desc = try schema.string(value, at: location() + [key])
            case "type": output.type = try schema.string(value, at: location() + [key])
            case "labels": output.labels = try schema.stringList(value, at: location() + [key])
            case "meta": output.meta = value.value
            case "cache": output.cache = try schema.bool(value, at: location() + [key])
            case "metric", "plot":
                switch value.value {
                case .bool, .mapping: break
                default: throw schema.error("expected bool or a dictionary", at: location() + [key], node: value)
                }
                if key == "metric" { output.metric = value.value } else { output.plot = value.value }
            case "persist": output.persist = try schema.bool(value, at: location() + [key])
            case "remote": output.remote = try schema.string(value, at: location() + [key])
            case "push": output.push = try schema.bool(value, at: location() + [key])
            case "files": output.files = try schema.items(value, at: location() + [key]).map(\.value)
            case "cloud": output.cloud = try schema.mapping(value, at: location() + [key])
            default: break
            }
        }
        if hashName == nil { output.hashKind = .md5Dos2Unix }
        return output
    }

    static func parseDependency(_ node: YAMLNode, at location: @autoclosure () -> [String],
                                schema: YAMLSchemaReader) throws(FormatError) -> DVCDependency {
        let pairs = try schema.pairs(node, at: location())
        try schema.checkKeys(pairs, allowed: dependencyKeys, required: ["path"], in: node, at: location())
        var dependency = DVCDependency(path: "")
        var hashName: String?
        for (key, _, value) in pairs {
            switch key {
            case "path": dependency.path = try schema.string(value, at: location() + [key])
            case "md5": dependency.md5 = try schema.md5(value, at: location() + [key])
            case "size": dependency.size = try schema.optionalInt(value, at: location() + [key]).map(Int64.init)
            case "nfiles": dependency.nfiles = try schema.optionalInt(value, at: location() + [key])
            case "isexec": dependency.isexec = try schema.bool(value, at: location() + [key])
            case "hash":
                hashName = try schema.string(value, at: location() + [key])
                dependency.hashKind = try hashKind(hashName!, node: value, at: location() + [key], schema: schema)
            default: dependency.extra[key] = value.value
            }
        }
        if hashName == nil { dependency.hashKind = .md5Dos2Unix }
        return dependency
    }

    static func hashKind(_ name: String, node: YAMLNode, at location: @autoclosure () -> [String],
                         schema: YAMLSchemaReader) throws(FormatError) -> HashKind {
        guard let kind = HashKind(rawValue: name) else {
            throw schema.error("unsupported hash '\(name)' (only 'md5' is supported)", at: location(), node: node)
        }
        return kind
    }

    /// Output paths are relative to the `.dvc` file and may not leave the repository.
    static func checkOutputPath(_ path: String, node: YAMLNode, at location: @autoclosure () -> [String], dvcPath: String,
                                schema: YAMLSchemaReader) throws(FormatError) {
        if path.hasPrefix("/") {
            throw FormatError(path: schema.path, line: node.mark.line, column: node.mark.column,
                              message: "output path '\(path)' is absolute, in \(location().joined(separator: " -> "))",
                              hint: "outputs must be inside the repository; write the path relative to '\(schema.path)'")
        }
        guard let resolved = RepoPath.join(RepoPath.parent(dvcPath), path), !resolved.isEmpty else {
            throw FormatError(path: schema.path, line: node.mark.line, column: node.mark.column,
                              message: "output path '\(path)' is outside the repository, in \(location().joined(separator: " -> "))",
                              hint: "outputs must be inside the repository; fix the path in '\(schema.path)'")
        }
        if RepoPath.isInsideControlDirectory(resolved) {
            throw FormatError(path: schema.path, line: node.mark.line, column: node.mark.column,
                              message: "output path '\(path)' is inside .dvc or .git, in \(location().joined(separator: " -> "))",
                              hint: "DVC's and git's own folders cannot be tracked; fix the path in '\(schema.path)'")
        }
    }
}
