import CairnCore
import CairnStorage

/// Which metrics and params files a revision declares, and their parsed contents (FORMATS.md §8.1, §8.5).
enum MetricsSources {
    /// One file's parsed content at a revision, or why it could not be read (the message names `rev:path`).
    struct Loaded {
        let path: String
        let value: Result<YAMLValue, LoadFailure>
    }

    /// A file that exists at the revision but could not be read or parsed.
    struct LoadFailure: Error {
        let type: String
        let message: String
    }

    /// Metrics files: every stage's `metrics:` outputs and every top-level `metrics:` entry, in declaration order;
    /// `targets` (repo-relative) replace them when given.
    static func metricsFiles(_ view: RevisionView, targets: [String]) throws -> [String] {
        if !targets.isEmpty { return targets }
        var paths: [String] = []
        for pipeline in try view.pipelines() {
            for stage in pipeline.stages {
                for output in stage.outs where output.kind == .metric {
                    append(stage.resolvedPath(output.path), to: &paths)
                }
            }
            let directory = RepoPath.parent(pipeline.path)
            for entry in pipeline.metrics {
                append(RepoPath.join(directory, entry) ?? entry, to: &paths)
            }
        }
        return paths
    }

    /// Params files with the keys in use (nil = the whole file): every stage's params (keys merged per file),
    /// top-level `params:` files and `params.yaml` at the root when it exists. `targets` limit the files.
    static func paramsFiles(_ view: RevisionView, targets: [String]) throws -> [(path: String, keys: [String]?)] {
        var order: [String] = []
        var keys: [String: [String]?] = [:]
        func use(_ path: String, _ declared: [String]?) {
            if keys[path] == nil {
                order.append(path)
                keys[path] = .some(declared)
                return
            }
            guard let existing = keys[path]!, let declared else {
                keys[path] = .some(nil)
                return
            }
            keys[path] = .some(existing + declared.filter { !existing.contains($0) })
        }
        for pipeline in try view.pipelines() {
            for stage in pipeline.stages {
                for dep in stage.mergedParams { use(stage.resolvedPath(dep.file), dep.keys) }
            }
            let directory = RepoPath.parent(pipeline.path)
            for entry in pipeline.params { use(RepoPath.join(directory, entry) ?? entry, nil) }
        }
        if try view.read("params.yaml") != nil { use("params.yaml", nil) }
        let wanted = Set(targets)
        return order.filter { wanted.isEmpty || wanted.contains($0) }.map { ($0, keys[$0]!) }
    }

    /// Reads and parses each file at the revision; files absent there are left out, unreadable ones carry an error.
    static func load(_ paths: [String], in view: RevisionView) throws -> [Loaded] {
        var loaded: [Loaded] = []
        for path in paths {
            switch try view.content(of: path) {
            case .missing:
                continue
            case .notInCache(let hash):
                let message = "'\(view.displayName):\(path)': object \(hash.id) is not in the local cache; run `cairn pull` or `cairn fetch` to get it"
                loaded.append(Loaded(path: path, value: .failure(LoadFailure(type: "FileNotFoundError", message: message))))
            case .bytes(let bytes):
                do {
                    loaded.append(Loaded(path: path, value: .success(try ParamsDocument.parse(bytes, path: path))))
                } catch {
                    let message = "'\(view.displayName):\(path)': \(error.description)"
                    loaded.append(Loaded(path: path, value: .failure(LoadFailure(type: "YAMLFileCorruptedError", message: message))))
                }
            }
        }
        return loaded
    }

    /// The used part of a params document: the declared keys (as flat dotted keys) or the whole document.
    static func usedParams(_ document: YAMLValue, keys: [String]?) -> YAMLValue {
        guard let keys else { return document }
        var pairs: [(String, YAMLValue)] = []
        for key in keys {
            if let value = ParamsLookup.value(at: key, in: document) { pairs.append((key, value)) }
        }
        return .mapping(YAMLMapping(stringPairs: pairs))
    }

    private static func append(_ path: String, to paths: inout [String]) {
        if !paths.contains(path) { paths.append(path) }
    }
}
