/// Builds a stage's `dvc.lock` entry from what the engine observed after running it (FORMATS.md §5.2).
public enum LockEntryBuilder {
    /// The entry: `cmd` as in `dvc.yaml` (string or list), deps and outs sorted by path, params files
    /// `params.yaml` first then sorted by name; empty sections are left out when rendered.
    /// - Parameters:
    ///   - deps: one record per path dependency, `path` exactly as written in `dvc.yaml` (relative to the
    ///     stage's `wdir`), with hash, `size`, `nfiles` (directories) and `isexec`.
    ///   - params: per params file (name as written, relative to `wdir`), the values from `params(for:documents:)`
    ///     or `ParamsLookup.lockValues`.
    ///   - outs: one record per out (outs, metrics and plots alike), `path` as written in `dvc.yaml`.
    public static func entry(for stage: PipelineStage, deps: [LockedPath],
                             params: [(file: String, values: YAMLMapping)], outs: [LockedPath]) -> LockedStage {
        LockedStage(cmd: stage.cmd.yamlValue, deps: sortedByPath(deps), params: sortedParams(params),
                    outs: sortedByPath(outs))
    }

    /// The params values to lock for each of the stage's params files (merged per file, in declaration order);
    /// `documents` gives the parsed file for a repo-relative path (nil = missing, which is an error naming it).
    public static func params(for stage: PipelineStage, documents: (String) -> YAMLValue?)
        throws(FormatError) -> [(file: String, values: YAMLMapping)] {
        var result: [(file: String, values: YAMLMapping)] = []
        for dep in stage.mergedParams {
            let resolved = stage.resolvedPath(dep.file)
            guard let document = documents(resolved) else {
                throw FormatError(path: resolved, message: "Parameters file '\(resolved)' does not exist",
                                  hint: "create '\(resolved)' or remove it from the stage's params in dvc.yaml")
            }
            result.append((dep.file, try ParamsBridge.lockValues(for: dep, in: document)))
        }
        return result
    }

    /// Records sorted by path in Python's string order (code points), as DVC writes them.
    public static func sortedByPath(_ paths: [LockedPath]) -> [LockedPath] {
        paths.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// Params files in lock order: `params.yaml` first, then by name.
    public static func sortedParams(_ params: [(file: String, values: YAMLMapping)])
        -> [(file: String, values: YAMLMapping)] {
        params.sorted { lhs, rhs in
            let lhsDefault = lhs.file == "params.yaml", rhsDefault = rhs.file == "params.yaml"
            if lhsDefault != rhsDefault { return lhsDefault }
            return lhs.file.utf8.lexicographicallyPrecedes(rhs.file.utf8)
        }
    }
}
