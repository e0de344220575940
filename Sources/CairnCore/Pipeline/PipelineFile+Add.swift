extension PipelineFile {
    /// `stage add` as a text edit: appends (or with `force` replaces in place) the stage in `text`, keeping the
    /// rest of the file as written; nil text makes a new file.
    public static func addingStage(_ addition: StageAddition, to text: String?, path: String,
                                   force: Bool) throws(FormatError) -> String {
        guard isValidStageName(addition.name) else {
            throw FormatError(path: path, message: "Invalid stage name '\(addition.name)': use only letters, digits, '_' and '-'",
                              hint: "choose a name like 'train' or 'prepare-data'")
        }
        if let bad = (addition.params.compactMap { TemplateContext.splitParamsArgument($0).file })
            .first(where: { $0.hasSuffix(".py") }) {
            throw FormatError(path: path, message: "'\(bad)': Python params files are not supported by cairn",
                              hint: "Move the values into params.yaml (or a .json/.toml file) and reference that.")
        }
        // Rendered under `stages:` so long scalars fold at the same columns as DVC's dump.
        let rendered = DVCYAMLWriter.render(.mapping(["stages": .mapping(YAMLMapping(stringPairs: [
            (addition.name, .mapping(stageMapping(addition))),
        ]))]))
        var blockLines = rendered.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().map(String.init)
        if blockLines.last == "" { blockLines.removeLast() }

        guard let text, let root = try YAMLReader.parse(text, path: path), !root.value.isNull else {
            var result = text.map { $0.isEmpty || $0.hasSuffix("\n") ? $0 : $0 + "\n" } ?? ""
            result += "stages:\n" + blockLines.joined(separator: "\n") + "\n"
            return result
        }
        guard let rootPairs = root.pairs, !root.isFlow else {
            throw FormatError(path: path, line: root.mark.line, column: root.mark.column,
                              message: "expected a dictionary at the top of the file",
                              hint: "a dvc.yaml is a mapping with a 'stages' key")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let endsWithNewline = text.hasSuffix("\n")
        if endsWithNewline { lines.removeLast() }

        guard let stagesIndex = rootPairs.firstIndex(where: { $0.key.value == .string("stages") }) else {
            lines.append("stages:")
            lines += blockLines
            return lines.joined(separator: "\n") + "\n"
        }
        let stagesNode = rootPairs[stagesIndex].value
        let stagesKeyLine = rootPairs[stagesIndex].key.mark.line - 1
        // Lines of the stages block: up to the next top-level key (or the end).
        let blockEnd = stagesIndex + 1 < rootPairs.count ? rootPairs[stagesIndex + 1].key.mark.line - 1 : lines.count
        if stagesNode.isFlow {
            throw FormatError(path: path, line: stagesNode.mark.line, column: stagesNode.mark.column,
                              message: "cannot add a stage to 'stages' written in flow style ({…})",
                              hint: "write 'stages:' as a block mapping (one stage per indented key) and try again")
        }
        let stagePairs = stagesNode.pairs ?? []
        let indent = stagePairs.first.map { $0.key.mark.column - 1 } ?? 2
        if indent != 2 {
            let extra = String(repeating: " ", count: max(0, indent - 2))
            blockLines = blockLines.map { $0.isEmpty ? $0 : extra + $0.dropFirst(max(0, 2 - indent)) }
        }

        if let existing = stagePairs.firstIndex(where: { $0.key.value == .string(addition.name) }) {
            guard force else {
                throw FormatError(path: path, message: "Stage '\(addition.name)' already exists in '\(path)'. Use '--force' to overwrite.",
                                  hint: "pass -f/--force to replace it, or choose another name")
            }
            let start = stagePairs[existing].key.mark.line - 1
            let nextStart = existing + 1 < stagePairs.count ? stagePairs[existing + 1].key.mark.line - 1 : blockEnd
            let end = lastContentLine(lines, from: start, before: nextStart)
            lines.replaceSubrange(start...end, with: blockLines)
        } else if stagePairs.isEmpty {
            // `stages:` with nothing (or null) after it: the block goes right below the key.
            let keyLine = lines[stagesKeyLine]
            if let colon = keyLine.firstIndex(of: ":") {
                let after = String(keyLine[keyLine.index(after: colon)...]).trimmingWhitespace
                if !after.isEmpty && !after.hasPrefix("#") {
                    lines[stagesKeyLine] = String(keyLine[...colon])
                }
            }
            lines.insert(contentsOf: blockLines, at: stagesKeyLine + 1)
        } else {
            let end = lastContentLine(lines, from: stagesKeyLine, before: blockEnd)
            lines.insert(contentsOf: blockLines, at: end + 1)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The last line in `from..<before` that is neither blank nor only a comment (trailing comments stay put).
    private static func lastContentLine(_ lines: [String], from start: Int, before end: Int) -> Int {
        var index = min(end, lines.count) - 1
        while index > start {
            let trimmed = lines[index].trimmingWhitespace
            if !trimmed.isEmpty && !trimmed.hasPrefix("#") { break }
            index -= 1
        }
        return index
    }

    /// The stage as `stage add` writes it: DVC's key order, sorted paths, params grouped by file.
    static func stageMapping(_ addition: StageAddition) -> YAMLMapping {
        var stage = YAMLMapping()
        if let desc = addition.desc { stage["desc"] = .string(desc) }
        stage["cmd"] = .string(addition.cmd)
        if let wdir = addition.wdir, !wdir.isEmpty, wdir != "." { stage["wdir"] = .string(wdir) }
        if !addition.deps.isEmpty {
            stage["deps"] = .sequence(unique(addition.deps).sorted(by: pathOrder).map { .string($0) })
        }
        let params = paramsEntries(addition.params)
        if !params.isEmpty { stage["params"] = .sequence(params) }
        func outputs(_ groups: [([String], cache: Bool, persist: Bool)]) -> YAMLValue? {
            var entries: [(String, YAMLValue)] = []
            for group in groups {
                for path in group.0 {
                    var options = YAMLMapping()
                    if !group.cache { options["cache"] = false }
                    if group.persist { options["persist"] = true }
                    entries.append((path, options.isEmpty ? .string(path)
                                        : .mapping(YAMLMapping(stringPairs: [(path, .mapping(options))]))))
                }
            }
            guard !entries.isEmpty else { return nil }
            return .sequence(entries.sorted { pathOrder($0.0, $1.0) }.map(\.1))
        }
        stage["outs"] = outputs([(addition.outs, true, false), (addition.outsNoCache, false, false),
                                 (addition.outsPersist, true, true), (addition.outsPersistNoCache, false, true)])
        stage["metrics"] = outputs([(addition.metrics, true, false), (addition.metricsNoCache, false, false)])
        stage["plots"] = outputs([(addition.plots, true, false), (addition.plotsNoCache, false, false)])
        if addition.alwaysChanged { stage["always_changed"] = true }
        return stage
    }

    /// `-p` arguments as DVC writes them: params.yaml keys first (sorted), then `{file: [sorted keys]}` by file,
    /// a file given with no keys as `file:` (the whole file).
    static func paramsEntries(_ arguments: [String]) -> [YAMLValue] {
        var order: [String] = []
        var keys: [String: [String]] = [:]
        for argument in arguments {
            let (file, list) = TemplateContext.splitParamsArgument(argument)
            let name = file ?? "params.yaml"
            if keys[name] == nil { order.append(name); keys[name] = [] }
            for key in list where !keys[name]!.contains(key) { keys[name]!.append(key) }
        }
        var result: [YAMLValue] = []
        if let defaults = keys["params.yaml"], !defaults.isEmpty {
            result += defaults.sorted(by: pythonOrder).map { .string($0) }
        }
        for file in order.sorted(by: pathOrder) {
            let list = keys[file]!
            if file == "params.yaml" && !list.isEmpty { continue }
            let value: YAMLValue = list.isEmpty ? .null : .sequence(list.sorted(by: pythonOrder).map { .string($0) })
            result.append(.mapping(YAMLMapping(stringPairs: [(file, value)])))
        }
        return result
    }

    private static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    /// Python's `sorted()` on strings: by code point.
    private static func pythonOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.unicodeScalars.lexicographicallyPrecedes(rhs.unicodeScalars)
    }

    /// DVC sorts paths as plain strings (`b-b`, `b.b`, `b/b`).
    private static func pathOrder(_ lhs: String, _ rhs: String) -> Bool {
        pythonOrder(lhs, rhs)
    }
}

extension TemplateContext {
    /// A `-p` argument: `a,b` (params.yaml keys), `file:a,b`, or `file:` (whole file), split at the last colon.
    static func splitParamsArgument(_ argument: String) -> (file: String?, keys: [String]) {
        guard let colon = argument.lastIndex(of: ":") else {
            return (nil, argument.split(separator: ",").map(String.init).filter { !$0.isEmpty })
        }
        let file = String(argument[..<colon])
        let keys = argument[argument.index(after: colon)...].split(separator: ",").map(String.init).filter { !$0.isEmpty }
        return (file.isEmpty ? nil : file, keys)
    }
}
