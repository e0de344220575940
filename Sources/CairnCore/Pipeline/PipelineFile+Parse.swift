extension PipelineFile {
    /// Parses a `dvc.yaml`: validates it, builds the templating context (params.yaml beside it, `vars`),
    /// interpolates and expands `foreach`/`matrix` groups.
    public static func parse(_ text: String, path: String, sources: any PipelineSources,
                             options: InterpolationOptions = .init()) throws(FormatError) -> PipelineFile {
        var parser = PipelineParser(path: path, sources: sources, options: options)
        return try parser.parse(text)
    }
}

private let schemaHint = "Fix the dvc.yaml so it matches DVC's schema (see https://dvc.org/doc/user-guide/project-structure/dvcyaml-files)."
private let templateHint = "Check the ${…} expressions and the vars/params files they read."

private let stageKeys: Set<String> = ["cmd", "wdir", "deps", "params", "outs", "metrics", "plots", "frozen",
                                      "always_changed", "desc", "meta", "vars"]
private let outOptionKeys: Set<String> = ["cache", "persist", "checkpoint", "remote", "push", "desc", "type",
                                          "labels", "meta"]
private let plotOptionKeys: Set<String> = outOptionKeys.union(["x", "y", "x_label", "y_label", "title",
                                                               "template", "header"])

/// One `dvc.yaml` being read.
private struct PipelineParser {
    let path: String
    let sources: any PipelineSources
    let options: InterpolationOptions
    let schema: YAMLSchemaReader
    /// The dvc.yaml's directory, repo-relative.
    let directory: String

    init(path: String, sources: any PipelineSources, options: InterpolationOptions) {
        self.path = path
        self.sources = sources
        self.options = options
        schema = YAMLSchemaReader(path: path, hint: schemaHint)
        directory = RepoPath.parent(path)
    }

    func templateError(_ error: TemplateError, _ what: String, at node: YAMLNode) -> FormatError {
        let mark = error.mark ?? node.mark
        return FormatError(path: path, line: mark.line, column: mark.column,
                           message: "failed to parse \(what) in '\(path)': \(error.message)", hint: templateHint)
    }

    mutating func parse(_ text: String) throws(FormatError) -> PipelineFile {
        var file = PipelineFile(path: path)
        guard let root = try YAMLReader.parse(text, path: path) else { return file }
        if root.value.isNull { return file }
        let top = try schema.pairs(root, at: [])
        try schema.checkKeys(top, allowed: ["stages", "vars", "params", "metrics", "plots", "artifacts", "datasets"],
                             in: root, at: [])

        // Context: params.yaml beside the file (when present), then the top-level vars in order.
        var context = TemplateContext()
        do {
            try context.mergeFile("params.yaml", directory: directory, sources: sources, silentIfMissing: true)
        } catch {
            throw templateError(error, "'vars'", at: root)
        }
        if let varsNode = root["vars"] {
            try loadVars(varsNode, into: &context, directory: directory, stageName: nil, location: ["vars"])
        }

        if let stagesNode = root["stages"], !stagesNode.value.isNull {
            for pair in try schema.pairs(stagesNode, at: ["stages"]) {
                try expand(name: pair.key, keyNode: pair.keyNode, definition: pair.value, context: context,
                           into: &file)
            }
        }
        var seen = Set<String>()
        for stage in file.stages where !seen.insert(stage.name).inserted {
            throw FormatError(path: path, message: "duplicate stage name '\(stage.name)'",
                              hint: "give every stage (and every foreach/matrix key) a distinct name")
        }

        let interpolator = Interpolator(context: context, options: options)
        if let node = root["params"] {
            file.params = try topLevelPaths(node, name: "params", interpolator: interpolator)
            for (index, item) in file.params.enumerated() where item.hasSuffix(".py") {
                throw pyParamsError(item, at: node.items?[index] ?? node)
            }
        }
        if let node = root["metrics"] {
            file.metrics = try topLevelPaths(node, name: "metrics", interpolator: interpolator)
        }
        if let node = root["plots"] { file.plots = try topLevelPlots(node, interpolator: interpolator) }
        if let node = root["artifacts"] { file.artifacts = try artifacts(node, interpolator: interpolator) }
        if let node = root["datasets"] { file.datasets = try datasets(node, interpolator: interpolator) }
        file.contextFiles = context.imports.map(\.path)
        return file
    }

    // MARK: vars

    func loadVars(_ node: YAMLNode, into context: inout TemplateContext, directory: String, stageName: String?,
                  location: [String]) throws(FormatError) {
        if node.value.isNull { return }
        let what = stageName.map { "'stages.\($0).vars'" } ?? "'vars'"
        for (index, item) in try schema.items(node, at: location).enumerated() {
            if Interpolator.containsInterpolation(item) {
                throw FormatError(path: path, line: item.mark.line, column: item.mark.column,
                                  message: "failed to parse \(what) in '\(path)': interpolating is not allowed",
                                  hint: "vars entries are read literally; write the file name or values without ${…}")
            }
            do throws(TemplateError) {
                switch item.value {
                case .string(let text):
                    try context.mergeFile(text, directory: directory, sources: sources)
                case .mapping(let mapping):
                    let source = stageName.map { "\($0).vars[\(index)]" } ?? "vars[\(index)]"
                    try context.merge(mapping, source: source)
                default:
                    throw TemplateError(message: "expected str or dict, in \((location + [String(index)]).joined(separator: " -> "))")
                }
            } catch {
                throw templateError(error, what, at: item)
            }
        }
    }

    // MARK: stages

    mutating func expand(name: String, keyNode: YAMLNode, definition: YAMLNode, context: TemplateContext,
                         into file: inout PipelineFile) throws(FormatError) {
        let location = ["stages", name]
        guard PipelineFile.isValidStageName(name) else {
            throw FormatError(path: path, line: keyNode.mark.line, column: keyNode.mark.column,
                              message: "invalid stage name '\(name)': use only letters, digits, '_' and '-'",
                              hint: "rename the stage ('@' is reserved for stages generated by foreach/matrix)")
        }
        let pairs = try schema.pairs(definition, at: location)
        if pairs.contains(where: { $0.key == "foreach" || $0.key == "do" }) {
            try schema.checkKeys(pairs, allowed: ["foreach", "do"], required: ["foreach", "do"], in: definition,
                                 at: location)
            let foreachNode = definition["foreach"]!
            let doNode = definition["do"]!
            try checkStageSchema(doNode, location: location + ["do"], allowMatrix: false)
            switch foreachNode.value {
            case .string, .sequence, .mapping: break
            default: throw schema.error("expected dict, list or str", at: location + ["foreach"], node: foreachNode)
            }
            let data: YAMLValue
            do {
                data = try Interpolator(context: context, options: options).resolve(foreachNode, key: nil).value
            } catch {
                throw templateError(error, "'stages.\(name).foreach'", at: foreachNode)
            }
            let members: [(key: String, item: YAMLValue, isMapping: Bool)]
            switch data {
            case .mapping(let mapping):
                members = mapping.pairs.map { (Interpolator.toStr($0.key), $0.value, true) }
            case .sequence(let items):
                if items.contains(where: { $0.isCollection }) {
                    members = items.enumerated().map { (String($0.offset), $0.element, false) }
                } else {
                    members = items.map { (Interpolator.toStr($0), $0, false) }
                }
            default:
                throw FormatError(path: path, line: foreachNode.mark.line, column: foreachNode.mark.column,
                                  message: "failed to resolve 'stages.\(name).foreach' in '\(path)': expected list/dictionary, got \(data.pythonTypeName)",
                                  hint: "foreach takes a list, a mapping, or ${var} naming one")
            }
            var group = PipelineGroup(name: name, members: [])
            for member in members {
                var local = context
                local.setTemporarily("item", member.item)
                if member.isMapping { local.setTemporarily("key", .string(member.key)) }
                let generated = name + "@" + member.key
                group.members.append(generated)
                file.stages.append(try stage(generated, definition: doNode, context: local,
                                             location: location + ["do"]))
            }
            file.groups.append(group)
            return
        }
        try checkStageSchema(definition, location: location, allowMatrix: true)
        guard let matrixNode = definition["matrix"] else {
            file.stages.append(try stage(name, definition: definition, context: context, location: location))
            return
        }
        let data: YAMLValue
        do {
            data = try Interpolator(context: context, options: options).resolve(matrixNode, key: nil).value
        } catch {
            throw templateError(error, "'stages.\(name).matrix'", at: matrixNode)
        }
        guard case .mapping(let matrix) = data else {
            throw schema.error("expected a dictionary", at: location + ["matrix"], node: matrixNode)
        }
        var dimensions: [(name: String, values: [YAMLValue])] = []
        for pair in matrix.pairs {
            guard case .sequence(let values) = pair.value else {
                throw FormatError(path: path, line: matrixNode.mark.line, column: matrixNode.mark.column,
                                  message: "failed to resolve 'stages.\(name).matrix' in '\(path)': expected list for '\(Interpolator.toStr(pair.key))', got \(pair.value.pythonTypeName)",
                                  hint: "each matrix entry takes a list of values (or ${var} naming one)")
            }
            dimensions.append((Interpolator.toStr(pair.key), values))
        }
        // Without the matrix key, the rest of the definition is the template of every generated stage.
        let template = definition.removingKey("matrix")
        var group = PipelineGroup(name: name, members: [])
        var combination = [Int](repeating: 0, count: dimensions.count)
        let total = dimensions.reduce(1) { $0 * $1.values.count }
        for _ in 0..<total {
            var item = YAMLMapping()
            var fragments: [String] = []
            for (axis, dimension) in dimensions.enumerated() {
                let value = dimension.values[combination[axis]]
                item[dimension.name] = value
                fragments.append(value.isCollection ? "\(dimension.name)\(combination[axis])" : Interpolator.toStr(value))
            }
            let key = fragments.joined(separator: "-")
            var local = context
            local.setTemporarily("item", .mapping(item))
            local.setTemporarily("key", .string(key))
            let generated = name + "@" + key
            group.members.append(generated)
            file.stages.append(try stage(generated, definition: template, context: local, location: location))
            // Odometer: the last dimension varies fastest, as itertools.product does.
            var axis = dimensions.count - 1
            while axis >= 0 {
                combination[axis] += 1
                if combination[axis] < dimensions[axis].values.count { break }
                combination[axis] = 0
                axis -= 1
            }
        }
        file.groups.append(group)
    }

    /// The raw (pre-templating) schema of a stage definition, as DVC checks it.
    func checkStageSchema(_ node: YAMLNode, location: [String], allowMatrix: Bool) throws(FormatError) {
        let pairs = try schema.pairs(node, at: location)
        try schema.checkKeys(pairs, allowed: allowMatrix ? stageKeys.union(["matrix"]) : stageKeys,
                             required: ["cmd"], in: node, at: location)
        for pair in pairs {
            let here = location + [pair.key]
            let value = pair.value
            switch pair.key {
            case "cmd":
                switch value.value {
                case .string: break
                case .sequence(let items):
                    for (index, item) in items.enumerated() where item.isCollection || item.isNull {
                        throw schema.error("expected str", at: here + [String(index)], node: value.items?[index])
                    }
                default: throw schema.error("expected str or list", at: here, node: value)
                }
            case "wdir", "desc":
                _ = try schema.string(value, at: here)
            case "frozen", "always_changed":
                _ = try schema.bool(value, at: here)
            case "deps":
                _ = try schema.stringList(value, at: here)
            case "params":
                for (index, item) in try schema.items(value, at: here).enumerated() {
                    switch item.value {
                    case .string: break
                    case .mapping:
                        for entry in try schema.pairs(item, at: here + [String(index)]) {
                            if entry.value.value.isNull { continue }
                            _ = try schema.stringList(entry.value, at: here + [String(index), entry.key])
                        }
                    default: throw schema.error("expected str or dict", at: here + [String(index)], node: item)
                    }
                }
            case "outs", "metrics", "plots":
                let allowed = pair.key == "plots" ? plotOptionKeys : outOptionKeys
                for (index, item) in try schema.items(value, at: here).enumerated() {
                    if case .string = item.value { continue }
                    for entry in try schema.pairs(item, at: here + [String(index)]) {
                        let entryHere = here + [String(index), entry.key]
                        let optionNodes: [YAMLNode]
                        if pair.key == "plots", let list = entry.value.items {
                            optionNodes = list
                        } else {
                            optionNodes = [entry.value]
                        }
                        for options in optionNodes {
                            let optionPairs = try schema.pairs(options, at: entryHere)
                            try schema.checkKeys(optionPairs, allowed: allowed, in: options, at: entryHere)
                            for option in optionPairs {
                                switch option.key {
                                case "cache", "persist", "checkpoint", "push", "header":
                                    _ = try schema.bool(option.value, at: entryHere + [option.key])
                                case "remote", "desc", "type", "x", "y", "x_label", "y_label", "title", "template":
                                    _ = try schema.string(option.value, at: entryHere + [option.key])
                                case "labels":
                                    _ = try schema.stringList(option.value, at: entryHere + [option.key])
                                default: break
                                }
                            }
                        }
                    }
                }
            case "vars":
                for (index, item) in try schema.items(value, at: here).enumerated() {
                    switch item.value {
                    case .string, .mapping: break
                    default: throw schema.error("expected str or dict", at: here + [String(index)], node: item)
                    }
                }
            case "matrix":
                for entry in try schema.pairs(value, at: here) {
                    switch entry.value.value {
                    case .string, .sequence: break
                    default: throw schema.error("expected str or list", at: here + [entry.key], node: entry.value)
                    }
                }
            default: break
            }
        }
    }

    /// One concrete stage from its (raw) definition and context.
    func stage(_ name: String, definition: YAMLNode, context: TemplateContext,
               location: [String]) throws(FormatError) -> PipelineStage {
        var context = context
        let baseInterpolator = Interpolator(context: context, options: options)
        // wdir first (with the outer context): stage vars are read relative to it.
        var wdir = directory
        if let wdirNode = definition["wdir"] {
            let resolved: YAMLNode
            do {
                resolved = try baseInterpolator.resolve(wdirNode, key: "wdir")
            } catch {
                throw templateError(error, "'stages.\(name).wdir'", at: wdirNode)
            }
            let text = Interpolator.toStr(resolved.value)
            guard let joined = RepoPath.join(directory, text) else {
                throw outside("wdir", text, name: name, at: wdirNode)
            }
            wdir = joined
        }
        if let varsNode = definition["vars"] {
            try loadVars(varsNode, into: &context, directory: wdir, stageName: name, location: location + ["vars"])
        }
        let interpolator = Interpolator(context: context, options: options)
        var stage = PipelineStage(name: name, file: path, cmd: .string(""), wdir: wdir)
        for pair in definition.pairs ?? [] {
            guard case .string(let key) = pair.key.value, key != "vars", key != "wdir" else { continue }
            let node: YAMLNode
            do {
                node = try interpolator.resolve(pair.value, key: key)
            } catch {
                throw templateError(error, "'stages.\(name).\(key)'", at: pair.value)
            }
            let here = location + [key]
            switch key {
            case "cmd":
                switch node.value {
                case .sequence(let items): stage.cmd = .list(items.map { Interpolator.toStr($0) })
                case .string(let text): stage.cmd = .string(text)
                default: throw schema.error("expected str or list", at: here, node: node)
                }
            case "deps":
                for item in node.items ?? [] {
                    let dep = try pathText(item, at: here)
                    try checkInside(dep, kind: "dependency", stage: name, wdir: wdir, at: item)
                    stage.deps.append(dep)
                }
            case "params":
                stage.params = try params(node, at: here, stage: name, wdir: wdir)
            case "outs", "metrics", "plots":
                let kind: StageOutput.Kind = key == "outs" ? .out : key == "metrics" ? .metric : .plot
                stage.outs += try outputs(node, kind: kind, at: here, stage: name, wdir: wdir)
            case "frozen": stage.frozen = node.value.boolValue ?? false
            case "always_changed": stage.alwaysChanged = node.value.boolValue ?? false
            case "desc": stage.desc = Interpolator.toStr(node.value)
            case "meta": stage.meta = node.value
            default: break
            }
        }
        return stage
    }

    func pathText(_ node: YAMLNode, at location: [String]) throws(FormatError) -> String {
        switch node.value {
        case .string(let text): return text
        case .int, .float, .bool: return Interpolator.toStr(node.value)
        default: throw schema.error("expected str", at: location, node: node)
        }
    }

    func outside(_ what: String, _ value: String, name: String, at node: YAMLNode) -> FormatError {
        FormatError(path: path, line: node.mark.line, column: node.mark.column,
                    message: "\(what) '\(value)' of stage '\(name)' is outside of the repository",
                    hint: "use a path inside the repository, relative to the dvc.yaml's directory (and the stage's wdir)")
    }

    func checkInside(_ value: String, kind: String, stage name: String, wdir: String,
                     at node: YAMLNode) throws(FormatError) {
        guard RepoPath.join(wdir, value) != nil else { throw outside(kind, value, name: name, at: node) }
    }

    func pyParamsError(_ file: String, at node: YAMLNode) -> FormatError {
        var error: FormatError
        do {
            _ = try ParamsDocument.parse([], path: file)
            error = FormatError(path: file, message: "Python params files are not supported")
        } catch let caught {
            error = caught
        }
        return FormatError(path: path, line: node.mark.line, column: node.mark.column,
                           message: "'\(file)': \(error.message)", hint: error.hint)
    }

    func params(_ node: YAMLNode, at location: [String], stage name: String,
                wdir: String) throws(FormatError) -> [ParamsDependency] {
        let defaultFile = "params.yaml"
        let items = node.items ?? []
        var wholeFiles = Set<String>()
        for item in items {
            for pair in item.pairs ?? [] where pair.value.value.isNull || pair.value.value == .sequence([]) {
                wholeFiles.insert(Interpolator.toStr(pair.key.value))
            }
        }
        var order: [String] = []
        var keys: [String: [String]] = [:]
        var marks: [String: YAMLNode] = [:]
        func add(_ file: String, _ more: [String], _ at: YAMLNode) {
            if keys[file] == nil { order.append(file); keys[file] = []; marks[file] = at }
            for key in more where !keys[file]!.contains(key) { keys[file]!.append(key) }
        }
        for (index, item) in items.enumerated() {
            switch item.value {
            case .string(let key):
                if !wholeFiles.contains(defaultFile) { add(defaultFile, [key], item) }
            case .mapping:
                for pair in item.pairs ?? [] {
                    let file = Interpolator.toStr(pair.key.value)
                    if wholeFiles.contains(file) {
                        add(file, [], pair.key)
                        continue
                    }
                    guard case .sequence(let values) = pair.value.value else {
                        throw schema.error("expected a list", at: location + [String(index), file], node: pair.value)
                    }
                    add(file, values.map { Interpolator.toStr($0) }, pair.key)
                }
            default:
                throw schema.error("expected str or dict", at: location + [String(index)], node: item)
            }
        }
        var result: [ParamsDependency] = []
        for file in order {
            let at = marks[file]!
            if file.hasSuffix(".py") { throw pyParamsError(file, at: at) }
            try checkInside(file, kind: "params file", stage: name, wdir: wdir, at: at)
            result.append(ParamsDependency(file: file, keys: wholeFiles.contains(file) ? nil : keys[file]))
        }
        return result
    }

    func outputs(_ node: YAMLNode, kind: StageOutput.Kind, at location: [String], stage name: String,
                 wdir: String) throws(FormatError) -> [StageOutput] {
        var result: [StageOutput] = []
        let what = kind == .out ? "output" : kind == .metric ? "metric" : "plot"
        for (index, item) in (node.items ?? []).enumerated() {
            if item.pairs == nil {
                let path = try pathText(item, at: location + [String(index)])
                try checkInside(path, kind: what, stage: name, wdir: wdir, at: item)
                result.append(StageOutput(path: path, kind: kind))
                continue
            }
            for pair in item.pairs ?? [] {
                let path = Interpolator.toStr(pair.key.value)
                try checkInside(path, kind: what, stage: name, wdir: wdir, at: pair.key)
                var output = StageOutput(path: path, kind: kind)
                var settings: [YAMLMapping] = []
                switch pair.value.value {
                case .mapping(let mapping): settings = [mapping]
                case .sequence(let list): settings = list.compactMap(\.mappingValue)
                default: break
                }
                for mapping in settings {
                    for option in mapping.pairs {
                        let key = Interpolator.toStr(option.key)
                        switch key {
                        case "cache": output.cache = option.value.boolValue ?? true
                        case "persist": output.persist = option.value.boolValue ?? false
                        case "push": output.push = option.value.boolValue ?? true
                        case "remote": output.remote = option.value.stringValue
                        case "checkpoint": break
                        default: output.options[key] = option.value
                        }
                    }
                }
                result.append(output)
            }
        }
        return result
    }

    // MARK: top-level sections

    func topLevelPaths(_ node: YAMLNode, name: String, interpolator: Interpolator) throws(FormatError) -> [String] {
        if node.value.isNull { return [] }
        let items = try schema.items(node, at: [name])
        var result: [String] = []
        for (index, item) in items.enumerated() {
            _ = try schema.string(item, at: [name, String(index)])
            let resolved: YAMLNode
            do {
                resolved = try interpolator.resolve(item, key: nil)
            } catch {
                throw templateError(error, "'\(name)'", at: item)
            }
            let text = try pathText(resolved, at: [name, String(index)])
            guard RepoPath.join(directory, text) != nil else {
                throw FormatError(path: path, line: item.mark.line, column: item.mark.column,
                                  message: "\(name) file '\(text)' is outside of the repository",
                                  hint: "use a path inside the repository, relative to the dvc.yaml's directory")
            }
            result.append(text)
        }
        return result
    }

    func topLevelPlots(_ node: YAMLNode, interpolator: Interpolator) throws(FormatError) -> [PipelinePlot] {
        if node.value.isNull { return [] }
        var result: [PipelinePlot] = []
        for (index, raw) in try schema.items(node, at: ["plots"]).enumerated() {
            let here = ["plots", String(index)]
            switch raw.value {
            case .string: break
            case .mapping:
                let entries = try schema.pairs(raw, at: here)
                for entry in entries where !entry.value.value.isNull {
                    let props = try schema.pairs(entry.value, at: here + [entry.key])
                    try schema.checkKeys(props, allowed: ["x", "y", "x_label", "y_label", "title", "template"],
                                         in: entry.value, at: here + [entry.key])
                }
            default: throw schema.error("expected str or dict", at: here, node: raw)
            }
            let item: YAMLNode
            do {
                item = try interpolator.resolve(raw, key: nil)
            } catch {
                throw templateError(error, "'plots'", at: raw)
            }
            if item.pairs == nil {
                result.append(PipelinePlot(id: Interpolator.toStr(item.value)))
                continue
            }
            for pair in item.pairs ?? [] {
                result.append(PipelinePlot(id: Interpolator.toStr(pair.key.value), properties: pair.value.value.mappingValue))
            }
        }
        return result
    }

    func artifacts(_ node: YAMLNode, interpolator: Interpolator) throws(FormatError) -> [PipelineArtifact] {
        if node.value.isNull { return [] }
        var result: [PipelineArtifact] = []
        for entry in try schema.pairs(node, at: ["artifacts"]) {
            let here = ["artifacts", entry.key]
            let fields = try schema.pairs(entry.value, at: here)
            try schema.checkKeys(fields, allowed: ["path", "type", "desc", "labels", "meta"], required: ["path"],
                                 in: entry.value, at: here)
            let resolved: YAMLNode
            let nameValue: YAMLValue
            do {
                resolved = try interpolator.resolve(entry.value, key: nil)
                nameValue = try interpolator.resolve(entry.keyNode, key: nil).value
            } catch {
                throw templateError(error, "'artifacts.\(entry.key)'", at: entry.value)
            }
            guard case .string(let name) = nameValue else {
                throw FormatError(path: path, line: entry.keyNode.mark.line, column: entry.keyNode.mark.column,
                                  message: "failed to resolve 'artifacts.\(entry.key)' in '\(path)': expected str, got \(nameValue.pythonTypeName)",
                                  hint: schemaHint)
            }
            var artifact = PipelineArtifact(name: name, path: "")
            for field in try schema.pairs(resolved, at: here) {
                switch field.key {
                case "path": artifact.path = try schema.string(field.value, at: here + ["path"])
                case "type": artifact.type = try schema.string(field.value, at: here + ["type"])
                case "desc": artifact.desc = try schema.string(field.value, at: here + ["desc"])
                case "labels": artifact.labels = try schema.stringList(field.value, at: here + ["labels"])
                case "meta": artifact.meta = field.value.value
                default: break
                }
            }
            result.append(artifact)
        }
        return result
    }

    func datasets(_ node: YAMLNode, interpolator: Interpolator) throws(FormatError) -> [YAMLMapping] {
        if node.value.isNull { return [] }
        var result: [YAMLMapping] = []
        for (index, item) in try schema.items(node, at: ["datasets"]).enumerated() {
            let here = ["datasets", String(index)]
            let fields = try schema.pairs(item, at: here)
            for key in ["name", "type"] where !fields.contains(where: { $0.key == key }) {
                throw schema.error("required key not provided", at: here + [key], node: item)
            }
            let resolved: YAMLNode
            do {
                resolved = try interpolator.resolve(item, key: nil)
            } catch {
                throw templateError(error, "'datasets'", at: item)
            }
            result.append(try schema.mapping(resolved, at: here))
        }
        return result
    }
}

extension Interpolator {
    /// Whether any string in the tree holds a `${…}`.
    static func containsInterpolation(_ node: YAMLNode) -> Bool {
        switch node.kind {
        case .scalar(let text, _): return node.value.stringValue != nil && isInterpolated(text)
        case .sequence(let items): return items.contains(where: containsInterpolation)
        case .mapping(let pairs):
            return pairs.contains { containsInterpolation($0.key) || containsInterpolation($0.value) }
        }
    }
}


extension YAMLValue {
    /// Whether this is a list or a dict.
    var isCollection: Bool {
        switch self {
        case .sequence, .mapping: return true
        default: return false
        }
    }
}

extension YAMLNode {
    /// The mapping without `key` (value and pairs).
    func removingKey(_ key: String) -> YAMLNode {
        guard case .mapping(let pairs) = kind, case .mapping(var mapping) = value else { return self }
        mapping[key] = nil
        return YAMLNode(kind: .mapping(pairs.filter { $0.key.value != .string(key) }), mark: mark,
                        value: .mapping(mapping), isFlow: isFlow, tag: tag)
    }
}
