import CairnCore
import CairnGit
import CairnStorage

/// Which records `push`, `fetch`, `pull`, `status -c` and `gc -c` act on: the workspace's (narrowed by targets),
/// plus those of branch tips, tags or every commit, read from git objects.
public struct RemoteScope: Sendable {
    /// Command-line targets (paths of outputs or `.dvc` files); empty means everything.
    public var targets: [String]
    /// Tips of all local branches.
    public var allBranches: Bool
    /// All tags.
    public var allTags: Bool
    /// Every commit.
    public var allCommits: Bool

    /// Creates a scope.
    public init(targets: [String] = [], allBranches: Bool = false, allTags: Bool = false, allCommits: Bool = false) {
        self.targets = targets
        self.allBranches = allBranches
        self.allTags = allTags
        self.allCommits = allCommits
    }

    var includesRevisions: Bool { allBranches || allTags || allCommits }
}

/// A recorded output whose data lives in the cache: what a remote command transfers or compares.
struct UsedOutput {
    /// Repo-relative path of the data (for revisions, as recorded there).
    var path: String
    /// Its recorded hash (a `.dir` id for directories).
    var hash: HashInfo
    /// The output's own `remote:`, which wins over `-r` and `core.remote`.
    var remote: String?
    /// `push: false` outputs are fetched but never pushed.
    var push: Bool
}

extension Project {
    /// Every cached output in `scope`, workspace first; the same output at several revisions appears once per hash.
    func usedOutputs(_ scope: RemoteScope, cwd: String) throws -> [UsedOutput] {
        let ignore = DvcIgnoreRules(project: self)
        let index = try WorkspaceIndex.scan(self, ignore: ignore)
        var seen = Set<HashInfo>()
        var used: [UsedOutput] = []
        func add(_ output: UsedOutput) {
            if seen.insert(output.hash).inserted { used.append(output) }
        }
        for output in try selectOutputs(scope.targets, workspace: index, cwd: cwd) {
            guard output.isCached, let hash = output.recorded else { continue }
            add(UsedOutput(path: output.path, hash: hash, remote: output.output.remote, push: output.output.push))
        }
        guard scope.includesRevisions else { return used }
        guard let git = try git else {
            throw EngineError.usage("-a, -T and --all-commits need git, but this project has core.no_scm set")
        }
        let wanted = try scope.targets.map { try repoRelative($0, cwd: cwd) }
        func selected(_ path: String, file: String) -> Bool {
            wanted.isEmpty || wanted.contains { $0 == path || $0 == file || RepoPath.isInside(path, $0) || RepoPath.isInside($0, path) }
        }
        for output in try revisionOutputs(commits(for: scope, git: git), git: git) where selected(output.used.path, file: output.file) {
            add(output.used)
        }
        return used
    }

    /// The commits a scope names: branch tips, tags, or every commit.
    func commits(for scope: RemoteScope, git: GitRepository) throws -> [GitOID] {
        if scope.allCommits { return try git.allCommits() }
        var commits: [GitOID] = []
        if scope.allBranches { commits += try git.localBranches().map(\.commit) }
        if scope.allTags { commits += try git.tags().map(\.commit) }
        return commits
    }

    /// The cached outputs recorded by `.dvc` files and `dvc.lock` files at these commits (each tree and blob read
    /// once). Lock outputs carry no `remote:`/`push:` (those live in `dvc.yaml`), so they use the default remote.
    func revisionOutputs(_ commits: [GitOID], git: GitRepository) throws -> [(used: UsedOutput, file: String)] {
        var seenTrees = Set<GitOID>()
        var seenBlobs = Set<GitOID>()
        var result: [(used: UsedOutput, file: String)] = []
        for commit in commits {
            let tree = try git.treeID(of: commit)
            guard seenTrees.insert(tree).inserted else { continue }
            let files = try git.files(inTree: tree) { $0.hasSuffix(".dvc") || $0 == "dvc.lock" || $0.hasSuffix("/dvc.lock") }
            for (path, blob) in files where seenBlobs.insert(blob).inserted {
                let text = String(decoding: try git.blob(blob), as: UTF8.self)
                let directory = RepoPath.parent(path)
                if path.hasSuffix(".dvc") {
                    let file = try DVCFile.parse(text, path: path, revision: commit.shortHex)
                    for output in file.outs where output.cache {
                        guard let hash = output.hash else { continue }
                        let outputPath = RepoPath.join(directory, output.path) ?? output.path
                        result.append((UsedOutput(path: outputPath, hash: hash, remote: output.remote, push: output.push), path))
                    }
                } else {
                    let lock = try PipelineLock.parse(text, path: "\(commit.shortHex):\(path)")
                    for (_, stage) in lock.stages {
                        for entry in stage.outs {
                            guard let hash = entry.hash else { continue }
                            let outputPath = RepoPath.join(directory, entry.path) ?? entry.path
                            result.append((UsedOutput(path: outputPath, hash: hash, remote: nil, push: true), path))
                        }
                    }
                }
            }
        }
        return result
    }
}
