extension StageGraph {
    /// A command-line target split as DVC splits it: the file (relative to the working directory; nil = the
    /// `dvc.yaml` there) and the stage or group name (nil = every stage of the file).
    public struct Target: Sendable, Equatable {
        /// `dvc.yaml`/`.dvc` path as given, nil for the default `dvc.yaml`.
        public var file: String?
        /// Stage name, generated name (`gen@a`) or group name; nil for the whole file.
        public var name: String?

        /// Creates a parsed target.
        public init(file: String?, name: String?) {
            self.file = file
            self.name = name
        }

        /// Parses `name`, `gen@key`, `path/dvc.yaml`, `path/dvc.yaml:name`, `file.dvc` the way DVC does: the name
        /// follows the last `:` that has no `/` after it; a path without a name is a file only when it ends in
        /// `.dvc` or is named `dvc.yaml`, otherwise it is a stage name. A `dvc.lock` path is refused.
        public static func parse(_ text: String) throws(StageGraphError) -> Target {
            // The part after the first `@` is a generated key and may itself contain `:`.
            let at = text.firstIndex(of: "@")
            let group = at.map { String(text[..<$0]) } ?? text
            let key = at.map { String(text[text.index(after: $0)...]) } ?? ""
            var path = group
            var name: String?
            if let colon = group.lastIndex(of: ":") {
                let rest = group[group.index(after: colon)...]
                if !rest.contains("/") && !rest.contains("\\") {
                    path = String(group[..<colon])
                    name = String(rest)
                }
            }
            if let stage = name, stage.isEmpty { name = nil }
            if let stage = name, !key.isEmpty { name = "\(stage)@\(key)" }
            if !path.isEmpty {
                if RepoPath.name(path) == "dvc.lock" {
                    throw .lockFileTarget(suggestion: Self.replacingFirst(".lock", with: ".yaml", in: text))
                }
                if name == nil {
                    return Self.isPipelineFileName(text) ? Target(file: text, name: nil) : Target(file: nil, name: text)
                }
            }
            return Target(file: path.isEmpty ? nil : path, name: name)
        }

        /// Whether DVC takes the path for a stage file: it ends in `.dvc` or is named `dvc.yaml`.
        public static func isPipelineFileName(_ path: String) -> Bool {
            path.hasSuffix(".dvc") || RepoPath.name(path) == "dvc.yaml"
        }

        private static func replacingFirst(_ old: String, with new: String, in text: String) -> String {
            guard let range = text.range(of: old) else { return text }
            return text.replacingCharacters(in: range, with: new)
        }
    }

    /// The nodes a target names, in node order: a stage, every stage of a group (`gen` = all `gen@…`), every stage
    /// of a `dvc.yaml`, or a `.dvc` data source. `cwd` is the repo-relative working directory; `isPipelineFile`
    /// says whether a `dvc.yaml` without stages exists (then the answer is empty rather than an error).
    public func resolve(_ target: String, cwd: String = "",
                        isPipelineFile: (String) -> Bool = { _ in false }) throws(StageGraphError) -> [Int] {
        let parsed = try Target.parse(target)
        let shownFile = parsed.file ?? "dvc.yaml"
        guard let file = RepoPath.join(cwd, shownFile) else { throw .unknownFile(shownFile) }
        if file.hasSuffix(".dvc") {
            guard let index = nodes.indices.first(where: { if case .data(let source) = nodes[$0] { return source.file == file }; return false }) else {
                throw .unknownFile(shownFile)
            }
            return [index]
        }
        let inFile = nodes.indices.filter { if case .stage(let stage) = nodes[$0] { return stage.file == file }; return false }
        if inFile.isEmpty && !isPipelineFile(file) { throw .unknownFile(shownFile) }
        guard let name = parsed.name else { return inFile }
        if let exact = inFile.first(where: { nodes[$0].stage?.name == name }) { return [exact] }
        let group = inFile.filter { nodes[$0].stage?.name.hasPrefix(name + "@") == true }
        if group.isEmpty { throw .unknownStage(name: name, file: shownFile) }
        return group
    }

    /// The nodes of several targets, without repeats, in the order the targets name them.
    public func resolve(_ targets: [String], cwd: String = "",
                        isPipelineFile: (String) -> Bool = { _ in false }) throws(StageGraphError) -> [Int] {
        var seen = Set<Int>()
        var result: [Int] = []
        for target in targets {
            for index in try resolve(target, cwd: cwd, isPipelineFile: isPipelineFile) where seen.insert(index).inserted {
                result.append(index)
            }
        }
        return result
    }

    /// Like `resolve`, but a target that names no stage may also be an output path (relative to `cwd`): the nodes
    /// whose outputs are, contain or lie inside it (`dvc dag model.bin`).
    public func resolveGranular(_ target: String, cwd: String = "",
                                isPipelineFile: (String) -> Bool = { _ in false }) throws(StageGraphError) -> [Int] {
        do {
            return try resolve(target, cwd: cwd, isPipelineFile: isPipelineFile)
        } catch {
            switch error {
            case .unknownStage, .unknownFile: break
            default: throw error
            }
            if let path = RepoPath.join(cwd, target) {
                let found = producers(overlapping: path)
                if !found.isEmpty { return found }
            }
            throw error
        }
    }

    /// Nodes with an output equal to, containing, or inside `path`, in node order.
    public func producers(overlapping path: String) -> [Int] {
        Array(Set(outputs.overlapping(GraphPath.key(path)).map(\.node))).sorted()
    }
}
