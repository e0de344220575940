import CairnCore
import CairnGit

/// Which revisions a `metrics show` covers: the workspace alone, or with branches (`-a`), tags (`-T`), every
/// commit (`-A`) and named revisions (`--rev`), as DVC lists them.
public struct RevisionSelection: Sendable {
    /// `-a`.
    public var allBranches: Bool
    /// `-T`.
    public var allTags: Bool
    /// `-A`.
    public var allCommits: Bool
    /// `--rev R` (cairn's addition), in the order given.
    public var revisions: [String]

    /// Creates a selection.
    public init(allBranches: Bool = false, allTags: Bool = false, allCommits: Bool = false, revisions: [String] = []) {
        self.allBranches = allBranches
        self.allTags = allTags
        self.allCommits = allCommits
        self.revisions = revisions
    }

    /// Whether only the workspace is shown (then DVC keys it `""` and prints no Revision column).
    public var isWorkspaceOnly: Bool { !allBranches && !allTags && !allCommits && revisions.isEmpty }
}

extension Project {
    /// The views a selection names: the workspace first (unless only `--rev` is given), then branches, tags or
    /// commits, each commit once (the first name found wins).
    func views(for selection: RevisionSelection) throws -> [RevisionView] {
        if selection.isWorkspaceOnly { return [.workspace(self, label: "")] }
        var views: [RevisionView] = []
        if selection.allBranches || selection.allTags || selection.allCommits {
            views.append(.workspace(self))
        }
        guard let git = try git else {
            if !selection.revisions.isEmpty || selection.allCommits || selection.allBranches || selection.allTags {
                throw EngineError("cannot read other revisions: this project does not use git (core.no_scm)")
            }
            return views
        }
        var seen = Set<GitOID>()
        func add(_ commit: GitOID, label: String) {
            if seen.insert(commit).inserted { views.append(.commit(commit, git: git, project: self, label: label)) }
        }
        if selection.allCommits {
            for commit in try git.allCommits() { add(commit, label: commit.hex) }
        }
        if selection.allBranches {
            for branch in try git.localBranches() { add(branch.commit, label: branch.name) }
        }
        if selection.allTags {
            for tag in try git.tags() { add(tag.commit, label: tag.name) }
        }
        for revision in selection.revisions {
            if revision == "workspace" {
                views.append(.workspace(self))
                continue
            }
            let view = try RevisionView.resolve(revision, project: self)
            views.append(view)
        }
        return views
    }
}
