import CairnCore
import CairnStorage

extension Project {
    /// `cairn metrics show`: the metrics files of each selected revision, parsed (errors per file, not fatal).
    public func metricsShow(_ selection: RevisionSelection, targets: [String], relativeTo cwd: String) throws -> [RevisionFiles] {
        let wanted = try targets.map { try repoRelative($0, cwd: cwd) }
        return try views(for: selection).map { view in
            try revisionFiles(view, paths: MetricsSources.metricsFiles(view, targets: wanted).map { ($0, nil) },
                              keysFilter: false, cwd: cwd)
        }
    }

    /// `cairn metrics diff A B`: the metrics of two revisions (defaults `HEAD` and the workspace).
    public func metricsDiff(_ a: String?, _ b: String?, targets: [String], relativeTo cwd: String) throws -> (old: RevisionFiles, new: RevisionFiles) {
        let wanted = try targets.map { try repoRelative($0, cwd: cwd) }
        let (old, new) = try diffViews(a, b)
        return (
            try revisionFiles(old, paths: MetricsSources.metricsFiles(old, targets: wanted).map { ($0, nil) }, keysFilter: false, cwd: cwd),
            try revisionFiles(new, paths: MetricsSources.metricsFiles(new, targets: wanted).map { ($0, nil) }, keysFilter: false, cwd: cwd))
    }

    /// `cairn params diff A B`: the params in use at two revisions (defaults `HEAD` and the workspace).
    public func paramsDiff(_ a: String?, _ b: String?, targets: [String], relativeTo cwd: String) throws -> (old: RevisionFiles, new: RevisionFiles) {
        let wanted = try targets.map { try repoRelative($0, cwd: cwd) }
        let (old, new) = try diffViews(a, b)
        return (
            try revisionFiles(old, paths: MetricsSources.paramsFiles(old, targets: wanted), keysFilter: true, cwd: cwd),
            try revisionFiles(new, paths: MetricsSources.paramsFiles(new, targets: wanted), keysFilter: true, cwd: cwd))
    }

    /// The two sides of a diff, labelled as the user named them.
    private func diffViews(_ a: String?, _ b: String?) throws -> (RevisionView, RevisionView) {
        let old = try RevisionView.resolve(a ?? "HEAD", project: self)
        let new = try RevisionView.resolve(b ?? "workspace", project: self)
        return (old, new)
    }

    /// Loads files at a revision into the report model; `keysFilter` keeps only declared params keys.
    private func revisionFiles(_ view: RevisionView, paths: [(path: String, keys: [String]?)], keysFilter: Bool,
                               cwd: String) throws -> RevisionFiles {
        var files: [MetricsFile] = []
        do {
            let keys = Dictionary(paths.map { ($0.path, $0.keys) }, uniquingKeysWith: { first, _ in first })
            for loaded in try MetricsSources.load(paths.map(\.path), in: view) {
                let shown = display(loaded.path, cwd: cwd)
                switch loaded.value {
                case .success(let document):
                    let used = keysFilter ? MetricsSources.usedParams(document, keys: keys[loaded.path] ?? nil) : document
                    files.append(.value(shown, used))
                case .failure(let failure):
                    files.append(.failure(shown, MetricsError(revision: view.label, path: shown, type: failure.type,
                                                              message: failure.message)))
                }
            }
        } catch {
            // The revision itself could not be read (a malformed dvc.yaml there): that revision shows the error.
            let message = (error as? EngineError)?.message ?? String(describing: error)
            return RevisionFiles(revision: view.label, files: files,
                                 error: MetricsError(revision: view.label, path: "", type: "Error", message: message))
        }
        return RevisionFiles(revision: view.label, files: files)
    }
}
