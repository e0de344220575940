import CairnCore
import CairnGit
import CairnStorage

/// A commit cairn will make after its run (`repro --commit`, `commit --git`): checked before anything runs, so
/// a missing identity or a merge in progress does not surface after minutes of work.
public struct ResultsCommitPlan {
    let git: GitRepository
    let author: GitSignature
    let committer: GitSignature
    let message: String?
    let origin: ResultsCommitMessage.Origin
}

/// What a results commit did.
public struct ResultsCommitOutcome: Sendable {
    /// The new commit's full id; nil when nothing differed from HEAD (no commit was made).
    public var commit: String?
    /// The branch it went on; nil for a detached HEAD.
    public var branch: String?
    /// Whether it is the repository's first commit.
    public var isRoot: Bool
    /// The message's first line.
    public var subject: String
    /// Repo-relative files the commit changed.
    public var files: [String]
    /// Notes for the user (git-tracked dependencies left uncommitted, …).
    public var warnings: [String]
}

extension Project {
    /// Checks that a results commit can be made here — git, an identity, no merge or rebase in progress —
    /// and fixes author and committer (from `environment` first, as git does).
    public func prepareResultsCommit(
        origin: ResultsCommitMessage.Origin, message: String?, environment: [String: String]
    ) throws -> ResultsCommitPlan {
        let flag = origin == .repro ? "repro --commit" : "commit --git"
        guard let git = try git else {
            throw EngineError("cannot use `\(flag)`: this project does not use git (core.no_scm)",
                              hint: "Commit the results with your own version control instead.")
        }
        guard git.workdir != nil else { throw EngineError("cannot use `\(flag)` in a bare git repository") }
        if let operation = git.operationInProgress() {
            throw EngineError("cannot use `\(flag)`: \(operation) is in progress in git",
                              hint: "Finish or abort it first (`git status` says how), then run cairn again.")
        }
        if let message, message.allSatisfy(\.isWhitespace) {
            throw EngineError("the commit message is empty", hint: "Give a message with -m, or leave -m out for the default one.")
        }
        do {
            let author = try git.signature(.author, environment: environment)
            let committer = try git.signature(.committer, environment: environment)
            return ResultsCommitPlan(git: git, author: author, committer: committer, message: message, origin: origin)
        } catch let error as GitError {
            throw EngineError("cannot commit: \(error.message) (\(error.path ?? ""))", hint: error.hint)
        }
    }

    /// Commits, through libgit2, the files a run produced or recorded — `dvc.yaml` and `dvc.lock` files, `.dvc`
    /// files, `.gitignore`s the run changed or that guard outputs, git-tracked metrics/params/plots files — as
    /// they are in the workspace, and nothing else: other staged changes stay staged.
    public func commitResults(_ plan: ResultsCommitPlan, stages: [String], changed: [String]) throws -> ResultsCommitOutcome {
        let git = plan.git
        let candidates = try resultFiles(changed: changed, git: git)
        let head = try git.headCommit()
        let prefix = try gitPrefix(git)
        let message: String
        let subject: String
        if let custom = plan.message {
            message = custom
            subject = custom.split(separator: "\n").first.map(String.init) ?? custom
        } else {
            let files = try pendingFiles(candidates, git: git, head: head, prefix: prefix)
            let composed = ResultsCommitMessage(
                origin: plan.origin, stages: stages, metricChanges: metricChanges(since: head),
                parent: head.map { String($0.hex.prefix(7)) }, files: files)
            message = composed.text
            subject = composed.subject
        }
        let branch = git.headBranchName()
        var outcome = ResultsCommitOutcome(commit: nil, branch: branch, isRoot: head == nil, subject: subject,
                                           files: [], warnings: [])
        let made: GitPathCommit?
        do {
            made = try git.commitWorkTreeFiles(candidates.map { prefix + $0 }, message: message,
                                               author: plan.author, committer: plan.committer)
        } catch let error as GitError {
            throw EngineError("failed to commit: \(error)")
        }
        guard let made else { return outcome }
        outcome.commit = made.id.hex
        outcome.files = made.paths.map { String($0.dropFirst(prefix.count)) }
        outcome.warnings = try uncommittedDependencies(git: git, committed: Set(candidates), prefix: prefix)
        return outcome
    }

    /// The candidate files, repo-relative and sorted; git-ignored ones only when git tracks them already.
    private func resultFiles(changed: [String], git: GitRepository) throws -> [String] {
        var files = Set(changed)
        let view = RevisionView.workspace(self)
        var guarded: [String] = []
        for pipeline in try view.pipelines() {
            files.insert(pipeline.path)
            files.insert(RepoPath.join(RepoPath.parent(pipeline.path), "dvc.lock") ?? "dvc.lock")
            for stage in pipeline.stages {
                for output in stage.outs {
                    let path = stage.resolvedPath(output.path)
                    if output.cache { guarded.append(path) } else { files.insert(path) }
                }
            }
            let directory = RepoPath.parent(pipeline.path)
            for plot in pipeline.plots { files.insert(RepoPath.join(directory, plot.id) ?? plot.id) }
        }
        for path in try MetricsSources.metricsFiles(view, targets: []) { files.insert(path) }
        for (path, _) in try MetricsSources.paramsFiles(view, targets: []) { files.insert(path) }
        let workspace = try WorkspaceIndex.scan(self, ignore: DvcIgnoreRules(project: self))
        for tracked in workspace.trackedFiles {
            files.insert(tracked.path)
            guarded.append(contentsOf: tracked.outputs.map(\.path))
        }
        for output in guarded {
            files.insert(RepoPath.join(RepoPath.parent(output), ".gitignore") ?? ".gitignore")
        }
        let prefix = try gitPrefix(git)
        return try files.sorted().filter { path in
            let info = try FileSystem.lstat(absolute(path))
            if info?.isDirectory == true { return false }
            let tracked = try git.isTracked(prefix + path)
            if info == nil { return tracked }
            return try tracked || !git.isIgnored(prefix + path)
        }
    }

    /// Which candidates differ from HEAD (for the message; the commit itself decides again).
    private func pendingFiles(_ candidates: [String], git: GitRepository, head: GitOID?, prefix: String) throws -> [String] {
        try candidates.filter { path in
            let committed = try head.flatMap { try git.blob(at: $0, path: prefix + path) }
            let current = try FileSystem.lstat(absolute(path))?.isFile == true ? try FileSystem.readFile(absolute(path)) : nil
            return committed != current
        }
    }

    /// Metrics that changed from `head` to the workspace; none for a first commit or when HEAD's pipeline
    /// cannot be read (the message then just leaves the metrics out).
    private func metricChanges(since head: GitOID?) -> [DiffRow] {
        guard let head, let (old, new) = try? metricsDiff(head.hex, nil, targets: [], relativeTo: root) else { return [] }
        return MetricsDiff.compute(old: old, new: new, all: false)
    }

    /// Git-tracked dependencies whose workspace or staged content differs from the new HEAD: dvc.lock records
    /// their current content, so the commit does not reproduce without them.
    private func uncommittedDependencies(git: GitRepository, committed: Set<String>, prefix: String) throws -> [String] {
        let dirty = try git.status(includeUntracked: true).filter { !$0.flags.isEmpty }.map(\.path)
        guard !dirty.isEmpty else { return [] }
        var warnings: [String] = []
        for pipeline in try RevisionView.workspace(self).pipelines() {
            for stage in pipeline.stages {
                for dep in stage.deps {
                    let path = prefix + stage.resolvedPath(dep)
                    let changed = dirty.filter { $0 == path || $0.hasPrefix(path + "/") }
                    for file in changed where !committed.contains(String(file.dropFirst(prefix.count))) {
                        let shown = String(file.dropFirst(prefix.count))
                        let warning = "'\(shown)' (a dependency of '\(stage.address)') has changes that were not committed; dvc.lock records them — commit it too: git add \(shown) && git commit"
                        if !warnings.contains(warning) { warnings.append(warning) }
                    }
                }
            }
        }
        return warnings
    }

    /// The project's place inside the git work tree (`""` at its top, else `sub/dir/`).
    private func gitPrefix(_ git: GitRepository) throws -> String {
        guard let workdir = git.workdir else { return "" }
        let top = Self.normalized(workdir)
        return root == top ? "" : String(root.dropFirst(top.count + 1)) + "/"
    }
}
