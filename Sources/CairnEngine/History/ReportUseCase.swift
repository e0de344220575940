import CairnCore
import CairnStorage

extension Project {
    /// `cairn report BASE HEAD`: params and metrics diffs, the stages whose `dvc.lock` records differ, and every
    /// plot drawn for both revisions into `output` (default `cairn_report`), whose SVG files the Markdown links by
    /// path relative to the working directory. The Markdown is also written to `output/report.md` (links relative
    /// to it), so the folder can be uploaded as a build artifact on its own.
    public func report(base: String?, head: String?, output: String?, relativeTo cwd: String) throws -> ReportDocument {
        let baseName = base ?? "HEAD"
        let headName = head ?? "workspace"
        let (oldParams, newParams) = try paramsDiff(baseName, headName, targets: [], relativeTo: cwd)
        let (oldMetrics, newMetrics) = try metricsDiff(baseName, headName, targets: [], relativeTo: cwd)
        let oldView = try RevisionView.resolve(baseName, project: self)
        let newView = try RevisionView.resolve(headName, project: self)
        let stages = StageChange.between(old: try locks(of: oldView), new: try locks(of: newView))
        let folder = output ?? "cairn_report"
        let plots = try self.plots(revisions: [baseName, headName], targets: [], output: folder, relativeTo: cwd)
        var problems: [String] = []
        for revision in [oldParams, newParams, oldMetrics, newMetrics] {
            if let error = revision.error { problems.append(error.message) }
            for file in revision.files {
                if case .failure(let error) = file.result, !problems.contains(error.message) { problems.append(error.message) }
            }
        }
        let document = ReportDocument(
            base: baseName, head: headName,
            params: ParamsDiff.compute(old: oldParams, new: newParams, all: false),
            metrics: MetricsDiff.compute(old: oldMetrics, new: newMetrics, all: false),
            stages: stages,
            plots: plots.plots.filter { $0.type == "svg" }.map { ($0.id, $0.file) },
            problems: problems)
        let absoluteFolder = folder.hasPrefix("/") ? folder : cwd + "/" + folder
        let local = ReportDocument(
            base: document.base, head: document.head, params: document.params, metrics: document.metrics,
            stages: document.stages, plots: document.plots.map { ($0.id, RepoPath.name($0.file)) }, problems: problems)
        try FileSystem.writeFileAtomically(Array(local.markdown().utf8), to: absoluteFolder + "/report.md")
        return document
    }

    /// The parsed `dvc.lock` files of a revision, by path (a malformed one is reported, not skipped).
    private func locks(of view: RevisionView) throws -> [(path: String, lock: PipelineLock)] {
        var locks: [(path: String, lock: PipelineLock)] = []
        for pipeline in try view.pipelines() {
            let lockPath = RepoPath.join(RepoPath.parent(pipeline.path), "dvc.lock") ?? "dvc.lock"
            guard let bytes = try view.read(lockPath) else { continue }
            do {
                locks.append((lockPath, try PipelineLock.parse(String(decoding: bytes, as: UTF8.self), path: lockPath)))
            } catch {
                var labelled = error
                labelled.path = "\(view.displayName):\(error.path)"
                throw labelled
            }
        }
        return locks
    }
}
