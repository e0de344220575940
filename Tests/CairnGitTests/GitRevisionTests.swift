import CairnGit
import Foundation
import Testing

/// A history with every kind of ref: main c1-c2-c3, feature from c2 (f1), lightweight tag v1 at c1,
/// annotated tag v2 at c2, an annotated tag of a tree.
private struct History {
    let sandbox: GitSandbox
    let c1, c2, c3, f1: String

    init() throws {
        sandbox = try GitSandbox()
        try sandbox.write("file.txt", "one\n")
        c1 = try sandbox.commit("first")
        try sandbox.write("file.txt", "two\n")
        c2 = try sandbox.commit("second")
        try sandbox.git("tag", "v1", c1)
        sandbox.tick()
        try sandbox.git("tag", "-a", "v2", "-m", "release two", c2)
        try sandbox.git("tag", "-a", "treetag", "-m", "a tree", c2 + "^{tree}")
        try sandbox.git("branch", "feature", c2)
        try sandbox.write("file.txt", "three\n")
        c3 = try sandbox.commit("third")
        try sandbox.git("checkout", "-q", "feature")
        try sandbox.write("feature.txt", "f\n")
        f1 = try sandbox.commit("feature work")
        try sandbox.git("checkout", "-q", "main")
    }
}

@Suite struct GitRevisionTests {
    @Test func resolvesEveryRevisionFormLikeGitRevParse() throws {
        let history = try History()
        let repo = try GitRepository.open(history.sandbox.path)
        let revisions = [
            "main", "feature", "refs/heads/main", "v1", "v2", "refs/tags/v2", "v2^{commit}", "v2~1", "HEAD",
            "HEAD~1", "HEAD^", "HEAD~2", "HEAD^^", "main@{1}", "main@{0}", "feature~1", "main^{commit}",
            history.c1, String(history.c2.prefix(7)), String(history.c3.prefix(12)), history.f1.uppercased(),
        ]
        for revision in revisions {
            let expected = try history.sandbox.line("rev-parse", "--verify", "\(revision)^{commit}")
            #expect(try repo.resolveCommit(revision).hex == expected, "\(revision)")
        }
        #expect(try repo.resolveCommit("v2").hex == history.c2)  // annotated tag peeled to its commit
        #expect(try repo.resolveCommit("main@{1}").hex == history.c2)
        #expect(try repo.resolveCommit("HEAD~2").hex == history.c1)
    }

    @Test func unknownRevisionsSayWhatToCheck() throws {
        let history = try History()
        let repo = try GitRepository.open(history.sandbox.path)
        for revision in ["foo", "HEAD~10", "v9", "deadbeef"] {
            let error = try #require(throws: GitError.self) { try repo.resolveCommit(revision) }
            #expect(error.hint == "unknown revision '\(revision)': check the branch, tag or commit name")
            #expect(error.path == revision)
            #expect(error.operation == "resolve revision")
            #expect([.notFound, .invalidSpec].contains(error.code))
            #expect(error.description.contains("'\(revision)'"))
        }
    }

    @Test func revisionsOfTreesAreNotCommits() throws {
        let history = try History()
        let repo = try GitRepository.open(history.sandbox.path)
        let error = try #require(throws: GitError.self) { try repo.resolveCommit("treetag") }
        #expect(error.hint == "'treetag' names a tag, not a commit")
        let blobError = try #require(throws: GitError.self) { try repo.resolveCommit("HEAD:file.txt") }
        #expect(blobError.hint == "'HEAD:file.txt' names a blob, not a commit")
    }

    @Test func headCommitAndBranchName() throws {
        let history = try History()
        let repo = try GitRepository.open(history.sandbox.path)
        #expect(try repo.headCommit()?.hex == history.c3)
        #expect(repo.headBranchName() == "main")
        try history.sandbox.git("checkout", "-q", "--detach", history.c1)
        #expect(repo.headBranchName() == nil)
        #expect(try repo.headCommit()?.hex == history.c1)
    }

    @Test func branchesAndTagsArePeeledToCommits() throws {
        let history = try History()
        let repo = try GitRepository.open(history.sandbox.path)
        let branches = try repo.localBranches()
        #expect(branches.map(\.name) == ["feature", "main"])
        #expect(branches.map(\.commit.hex) == [history.f1, history.c3])
        let tags = try repo.tags()
        #expect(tags.map(\.name) == ["v1", "v2"])  // treetag points at a tree: skipped
        #expect(tags.map(\.commit.hex) == [history.c1, history.c2])
        try history.sandbox.git("branch", "nested/topic", history.c1)
        try history.sandbox.git("pack-refs", "--all")  // packed refs are listed too
        #expect(try repo.localBranches().map(\.name) == ["feature", "main", "nested/topic"])
        #expect(try repo.tags().map(\.name) == ["v1", "v2"])
    }

    @Test func allCommitsCoversEveryRefOnceNewestFirst() throws {
        let history = try History()
        let sandbox = history.sandbox
        sandbox.tick()
        try sandbox.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")
        try sandbox.git("checkout", "-q", "--orphan", "other")
        try sandbox.write("other.txt", "o\n")
        _ = try sandbox.commit("orphan root")
        try sandbox.git("checkout", "-q", "--detach", "main")
        try sandbox.write("detached.txt", "d\n")
        let detached = try sandbox.commit("only reachable from a tag")
        try sandbox.git("tag", "lost", detached)
        try sandbox.git("checkout", "-q", "main")
        try sandbox.write("head.txt", "h\n")
        let newest = try sandbox.commit("newest on main")

        let repo = try GitRepository.open(sandbox.path)
        let commits = try repo.allCommits()
        let expected = Set(try sandbox.run(["rev-list", "--all"]).split(separator: "\n").map(String.init))
        #expect(commits.count == expected.count)
        #expect(Set(commits.map(\.hex)) == expected)
        #expect(commits.first?.hex == newest)
        let times = try commits.map { try repo.commitInfo($0).committer.time }
        #expect(times == times.sorted(by: >))
    }

    @Test func detachedHeadCommitsAreIncluded() throws {
        let history = try History()
        try history.sandbox.git("checkout", "-q", "--detach", "main")
        try history.sandbox.write("x.txt", "x")
        let dangling = try history.sandbox.commit("detached")
        let repo = try GitRepository.open(history.sandbox.path)
        #expect(try repo.allCommits().contains(GitOID(hex: dangling)!))
    }
}
