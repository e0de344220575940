import CairnTestSupport
import Foundation
import Testing

/// A repo with one committed stage whose metric follows `lr` in params.yaml, plus an unrelated staged file.
private func trainingRepo() throws -> TestRepo {
    let repo = try TestRepo()
    try repo.initCairn()
    try repo.write("train.py", """
        import json
        lr = float(open('params.yaml').read().split(':')[1])
        json.dump({'acc': round(0.5 + lr / 10, 4)}, open('metrics.json', 'w'))
        open('model.bin', 'w').write('model %s' % lr)

        """)
    try repo.write("params.yaml", "lr: 1\n")
    try repo.write("dvc.yaml", """
        stages:
          train:
            cmd: python3 train.py
            deps: [train.py]
            params: [lr]
            outs: [model.bin]
            metrics:
            - metrics.json:
                cache: false

        """)
    try repo.commitAll("pipeline")
    return repo
}

private func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

@Suite struct ReproCommitTests {
    @Test func commitsTheLockAndMetricsWithAMessageNamingStagesAndDeltas() throws {
        let repo = try trainingRepo()
        try repo.write("unrelated.txt", "staged by the user\n")
        try repo.gitOK("add", "unrelated.txt")
        try repo.write("notes.txt", "untracked\n")

        let first = try repo.cairn("repro", "--commit")
        expectSuccess(first)
        #expect(first.stdout.contains("[main "), Comment(rawValue: first.description))
        #expect(try repo.gitOK("show", "--name-only", "--format=", "HEAD") == ".gitignore\ndvc.lock\nmetrics.json\n")
        #expect(try repo.gitOK("log", "-1", "--format=%s") == "Reproduce train\n")

        try repo.write("params.yaml", "lr: 2\n")
        let second = try repo.cairn("repro", "--commit")
        expectSuccess(second)
        let message = try repo.gitOK("log", "-1", "--format=%B")
        #expect(lines(message).first == "Reproduce train")
        #expect(message.contains("Stages run: train"))
        #expect(message.contains("metrics.json:acc  0.6 -> 0.7 (+0.1)"), Comment(rawValue: message))
        #expect(message.contains("Files: dvc.lock, metrics.json, params.yaml"), Comment(rawValue: message))
        #expect(try repo.gitOK("show", "--name-only", "--format=", "HEAD") == "dvc.lock\nmetrics.json\nparams.yaml\n")

        // Identity as git picks it (environment first), and the user's staged file is still staged, not committed.
        #expect(try repo.gitOK("log", "-1", "--format=%an <%ae>|%cn <%ce>|%at") == "Ada Author <ada@example.com>|Carl Committer <carl@example.com>|1704067200\n")
        #expect(try repo.gitOK("status", "--porcelain") == "A  unrelated.txt\n?? notes.txt\n")
        #expect(try repo.gitOK("diff", "HEAD", "--name-only") == "unrelated.txt\n")
    }

    @Test func customMessageAndNothingToCommit() throws {
        let repo = try trainingRepo()
        expectSuccess(try repo.cairn("repro", "--commit", "-m", "Train the first model"))
        #expect(try repo.gitOK("log", "-1", "--format=%s") == "Train the first model\n")
        let head = try repo.gitOK("rev-parse", "HEAD")
        let again = try repo.cairn("repro", "--commit")
        expectSuccess(again)
        #expect(again.stdout.contains("Nothing to commit"))
        #expect(try repo.gitOK("rev-parse", "HEAD") == head)
    }

    @Test func warnsAboutAChangedGitTrackedDependencyItDoesNotCommit() throws {
        let repo = try trainingRepo()
        expectSuccess(try repo.cairn("repro", "--commit"))
        try repo.write("train.py", try repo.read("train.py") + "# tuned\n")
        let result = try repo.cairn("repro", "--commit")
        expectSuccess(result)
        #expect(result.stderr.contains("'train.py' (a dependency of 'train') has changes that were not committed"))
        #expect(try repo.gitOK("show", "--name-only", "--format=", "HEAD") == "dvc.lock\n")
    }

    @Test func aFailedRunCommitsNothing() throws {
        let repo = try trainingRepo()
        let head = try repo.gitOK("rev-parse", "HEAD")
        try repo.write("params.yaml", "lr: oops\n")
        let result = try repo.cairn("repro", "--commit")
        expectExit(result, 255)
        #expect(try repo.gitOK("rev-parse", "HEAD") == head)
    }

    @Test func firstCommitOnAnUnbornBranch() throws {
        let repo = try TestRepo()
        try repo.initCairn()
        try repo.write("data.txt", "hello\n")
        expectSuccess(try repo.cairn("add", "data.txt"))
        let result = try repo.cairn("commit", "--git")
        expectSuccess(result)
        #expect(result.stdout.contains("[main (root-commit) "), Comment(rawValue: result.description))
        #expect(try repo.gitOK("show", "--name-only", "--format=", "HEAD") == ".gitignore\ndata.txt.dvc\n")
        #expect(try repo.gitOK("log", "--format=%s") == "Record tracked data and pipeline results\n")
        // cairn init staged .dvc/config and friends: they stay staged for the user's own commit.
        #expect(try repo.gitOK("diff", "--cached", "--name-only").contains(".dvc/config"))
    }

    @Test func commitGitRecordsChangedDataAndCommitsIt() throws {
        let repo = try TestRepo()
        try repo.initCairn()
        try repo.write("data.txt", "one\n")
        expectSuccess(try repo.cairn("add", "data.txt"))
        try repo.commitAll("data v1")
        try repo.overwriteInPlace("data.txt", "two\n")
        expectSuccess(try repo.cairn("commit", "-f", "--git", "-m", "data v2"))
        #expect(try repo.gitOK("log", "-1", "--format=%s") == "data v2\n")
        #expect(try repo.gitOK("show", "--name-only", "--format=", "HEAD") == "data.txt.dvc\n")
        #expect(try repo.gitOK("status", "--porcelain") == "")
    }

    @Test func detachedHeadCommitsOnTheDetachedHead() throws {
        let repo = try trainingRepo()
        try repo.gitOK("checkout", "-q", "--detach")
        let result = try repo.cairn("repro", "--commit")
        expectSuccess(result)
        #expect(result.stdout.contains("[detached HEAD "))
        #expect(try repo.gitOK("log", "-1", "--format=%s", "HEAD") == "Reproduce train\n")
        #expect(try repo.gitOK("log", "-1", "--format=%s", "main") == "pipeline\n")
    }

    @Test func refusedDuringAMergeBeforeAnythingRuns() throws {
        let repo = try trainingRepo()
        try repo.gitOK("checkout", "-q", "-b", "side")
        try repo.write("params.yaml", "lr: 3\n")
        try repo.commitAll("side")
        try repo.gitOK("checkout", "-q", "main")
        try repo.write("params.yaml", "lr: 4\n")
        try repo.commitAll("main")
        _ = try repo.git("merge", "side")  // conflicts: MERGE_HEAD stays
        let result = try repo.cairn("repro", "--commit")
        expectExit(result, 255)
        #expect(result.stderr.contains("a merge is in progress"), Comment(rawValue: result.description))
        #expect(!repo.exists("dvc.lock"))
    }

    @Test func noIdentityIsAClearErrorBeforeTheRun() throws {
        let repo = try trainingRepo()
        let blank = ["GIT_AUTHOR_NAME": "", "GIT_AUTHOR_EMAIL": "", "GIT_COMMITTER_NAME": "", "GIT_COMMITTER_EMAIL": ""]
        let result = try repo.run(Binaries.cairn(), ["repro", "--commit"], environment: blank)
        expectExit(result, 255)
        #expect(result.stderr.contains("author identity unknown"), Comment(rawValue: result.description))
        #expect(result.stderr.contains("git config --global user.name"))
        #expect(!repo.exists("dvc.lock"))
        // The repository's own config is enough.
        try repo.gitOK("config", "user.name", "Repo User")
        try repo.gitOK("config", "user.email", "repo@example.com")
        expectSuccess(try repo.run(Binaries.cairn(), ["repro", "--commit"], environment: blank))
        #expect(try repo.gitOK("log", "-1", "--format=%an <%ae>") == "Repo User <repo@example.com>\n")
    }

    @Test func usageErrors() throws {
        let repo = try trainingRepo()
        expectExit(try repo.cairn("repro", "-m", "x"), 254)
        expectExit(try repo.cairn("repro", "--commit", "--dry"), 254)
        expectExit(try repo.cairn("commit", "-m", "x"), 254)
        expectExit(try repo.cairn("repro", "--commit", "-m", "  "), 255)
    }
}
