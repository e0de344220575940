import CairnTestSupport
import Foundation
import Testing

/// `cairn status` and `cairn data status`: DVC's text and JSON.
@Suite struct StatusTests {
    /// Fixture 01's workspace added (not committed to git).
    static func fixtureRepo() throws -> TestRepo {
        let repo = try initializedRepo()
        try repo.copyFixture("01-add/workspace")
        try repo.ok(repo.cairn("add", "data", "single.txt", "run.sh"))
        return repo
    }

    /// Fixture 01's modifications: a.txt changed, B.txt deleted, newone.txt added.
    static func modifyFixtureData(_ repo: TestRepo) throws {
        try repo.write("data/a.txt", "modified a\n")
        try repo.remove("data/B.txt")
        try repo.write("data/newone.txt", "new\n")
    }

    /// Replaces `cairn` by `dvc` in data status' hints, so cairn may name itself there.
    static func dvcNamed(_ text: String) -> String {
        text.replacingOccurrences(of: "\"cairn ", with: "\"dvc ")
    }

    @Test func cleanStatus() throws {
        let repo = try Self.fixtureRepo()
        try expectClean(repo)
        let json = try repo.cairn("status", "--json")
        expectSuccess(json)
        #expect(json.stdout == "{}\n")
        #expect(try repo.read("single.txt") == "single file\n")
        let quiet = try repo.cairn("status", "-q")
        expectExit(quiet, 0)
        #expect(quiet.stdout == "" && quiet.stderr == "", Comment(rawValue: quiet.description))
    }

    @Test func modifiedDirectoryIsReportedAsTheDirectory() throws {
        let repo = try Self.fixtureRepo()
        try Self.modifyFixtureData(repo)
        let text = try repo.cairn("status")
        expectSuccess(text)
        #expect(text.stdout == (try Fixtures.text("01-add/status-dir-modified.txt")))
        let json = try repo.cairn("status", "--json")
        expectSuccess(json)
        #expect(json.stdout == "{\"data.dvc\": [{\"changed outs\": {\"data\": \"modified\"}}]}\n")
        let quiet = try repo.cairn("status", "-q")
        expectExit(quiet, 1)
        #expect(quiet.stdout == "" && quiet.stderr == "", Comment(rawValue: quiet.description))
    }

    @Test func everyKindOfChangeInTextAndJSON() throws {
        let repo = try Self.fixtureRepo()
        try repo.write("data/a.txt", "x\n")
        try repo.remove("single.txt")
        try repo.write("run.sh", "#!/bin/sh\necho changed\n", mode: 0o755)
        let text = try repo.cairn("status")
        expectSuccess(text)
        // DVC lists the `.dvc` files in collection order; compare the per-file blocks as a set.
        #expect(Self.blocks(text.stdout) == [
            "data.dvc:\n\tchanged outs:\n\t\tmodified:           data",
            "single.txt.dvc:\n\tchanged outs:\n\t\tdeleted:            single.txt",
            "run.sh.dvc:\n\tchanged outs:\n\t\tmodified:           run.sh",
        ], Comment(rawValue: text.description))
        let json = try repo.cairn("status", "--json")
        expectSuccess(json)
        #expect(try JSONCanonical.equal(json.stdout, """
            {"data.dvc": [{"changed outs": {"data": "modified"}}], \
            "single.txt.dvc": [{"changed outs": {"single.txt": "deleted"}}], \
            "run.sh.dvc": [{"changed outs": {"run.sh": "modified"}}]}
            """), Comment(rawValue: json.description))
        #expect(!json.stdout.dropLast().contains("\n"), "--json is one line")
    }

    @Test func missingCacheObjectsAreNotInCache() throws {
        let repo = try Self.fixtureRepo()
        try repo.remove(".dvc/cache")
        let text = try repo.cairn("status", "single.txt.dvc", "data.dvc")
        expectSuccess(text)
        #expect(Self.blocks(text.stdout) == [
            "data.dvc:\n\tchanged outs:\n\t\tnot in cache:       data",
            "single.txt.dvc:\n\tchanged outs:\n\t\tnot in cache:       single.txt",
        ], Comment(rawValue: text.description))
        let json = try repo.cairn("status", "--json", "single.txt.dvc")
        #expect(json.stdout == "{\"single.txt.dvc\": [{\"changed outs\": {\"single.txt\": \"not in cache\"}}]}\n")
    }

    @Test func targetsLimitTheReport() throws {
        let repo = try Self.fixtureRepo()
        try repo.remove("single.txt")
        try repo.write("data/a.txt", "x\n")
        let byDVCFile = try repo.cairn("status", "single.txt.dvc")
        expectSuccess(byDVCFile)
        #expect(byDVCFile.stdout == "single.txt.dvc:\n\tchanged outs:\n\t\tdeleted:            single.txt\n")
        let byOutput = try repo.cairn("status", "data")
        expectSuccess(byOutput)
        #expect(byOutput.stdout == "data.dvc:\n\tchanged outs:\n\t\tmodified:           data\n")
        let clean = try repo.cairn("status", "run.sh.dvc")
        expectSuccess(clean)
        #expect(clean.stdout == Expected.upToDate)
        let quiet = try repo.cairn("status", "-q", "run.sh.dvc")
        expectExit(quiet, 0)
    }

    @Test func unknownTargetIsAnError() throws {
        let repo = try Self.fixtureRepo()
        let result = try repo.cairn("status", "nonexistent")
        expectFailure(result, mentioning: ["nonexistent"])
        #expect(result.stdout == "")
    }

    @Test func dataStatusMatchesTheFixture() throws {
        let repo = try Self.fixtureRepo()
        try Self.modifyFixtureData(repo)
        let text = try repo.cairn("data", "status")
        expectSuccess(text)
        #expect(Self.dvcNamed(text.stdout) == (try Fixtures.text("01-add/data-status.txt")),
                Comment(rawValue: text.description))
        let granular = try repo.cairn("data", "status", "--granular", "--json")
        expectSuccess(granular)
        #expect(try JSONCanonical.equal(granular.stdout, Fixtures.text("01-add/data-status-granular.json")),
                Comment(rawValue: granular.description))
        let json = try repo.cairn("data", "status", "--json")
        expectSuccess(json)
        #expect(try JSONCanonical.equal(json.stdout, """
            {"committed": {"added": ["data/", "run.sh", "single.txt"]}, "uncommitted": {"modified": ["data/"]}}
            """), Comment(rawValue: json.description))
    }

    @Test func dataStatusAfterCommittingToGit() throws {
        let repo = try Self.fixtureRepo()
        try repo.commitAll("track data")
        let clean = try repo.cairn("data", "status")
        expectSuccess(clean)
        #expect(clean.stdout == "No changes.\n")
        let unchanged = try repo.cairn("data", "status", "--unchanged", "--json")
        expectSuccess(unchanged)
        #expect(try JSONCanonical.equal(unchanged.stdout, #"{"unchanged": ["data/", "run.sh", "single.txt"]}"#),
                Comment(rawValue: unchanged.description))
        let unchangedText = try repo.cairn("data", "status", "--unchanged")
        #expect(unchangedText.stdout.hasPrefix("DVC unchanged files:\n"), Comment(rawValue: unchangedText.description))

        try repo.write("data/sub/b.txt", "changed b\n")
        try repo.remove("single.txt")
        let granular = try repo.cairn("data", "status", "--granular", "--json")
        expectSuccess(granular)
        #expect(try JSONCanonical.equal(granular.stdout,
            #"{"uncommitted": {"modified": ["data/", "data/sub/b.txt"], "deleted": ["single.txt"]}}"#),
                Comment(rawValue: granular.description))
        let text = try repo.cairn("data", "status")
        expectSuccess(text)
        #expect(Self.dvcNamed(text.stdout).hasPrefix("""
            DVC uncommitted changes:
              (use "dvc commit <file>..." to track changes)
              (use "dvc checkout <file>..." to discard changes)

            """), Comment(rawValue: text.description))
        #expect(text.stdout.contains("        modified: data/\n"))
        #expect(text.stdout.contains("        deleted: single.txt\n"))
        #expect(!text.stdout.contains("data/sub/b.txt"))
    }

    @Test func dataStatusMentionsOtherGitChanges() throws {
        let repo = try Self.fixtureRepo()
        try repo.write("code.py", "print(1)\n")
        try repo.commitAll("track data and code")
        // Untracked files count only with --untracked-files.
        try repo.write("untracked.txt", "u\n")
        try repo.write("newdir/deep.txt", "d\n")
        let plain = try repo.cairn("data", "status")
        expectSuccess(plain)
        #expect(plain.stdout == "No changes.\n", Comment(rawValue: plain.description))

        let untracked = try repo.cairn("data", "status", "--untracked-files")
        expectSuccess(untracked)
        #expect(Self.dvcNamed(untracked.stdout) == """
            Untracked files:
              (use "git add <file> ..." or "dvc add <file>..." to commit to git or to dvc)
                    newdir/deep.txt
                    untracked.txt
            (there are other changes not tracked by dvc, use "git status" to see)

            """ || Self.dvcNamed(untracked.stdout) == """
            Untracked files:
              (use "git add <file> ..." or "dvc add <file>..." to commit to git or to dvc)
                    untracked.txt
                    newdir/deep.txt
            (there are other changes not tracked by dvc, use "git status" to see)

            """, Comment(rawValue: untracked.description))
        let short = try repo.cairn("data", "status", "-u")
        expectSuccess(short)
        #expect(short.stdout == untracked.stdout, "-u is --untracked-files")
        let json = try repo.cairn("data", "status", "--untracked-files", "--json")
        expectSuccess(json)
        #expect(try JSONCanonical.equal(json.stdout, #"{"untracked": ["untracked.txt", "newdir/deep.txt"]}"#),
                Comment(rawValue: json.description))

        // A modified git-tracked file makes the repo dirty without -u.
        try repo.write("code.py", "print(2)\n")
        let dirty = try repo.cairn("data", "status")
        expectSuccess(dirty)
        #expect(dirty.stdout == "No changes.\n(there are changes not tracked by dvc, use \"git status\" to see)\n",
                Comment(rawValue: dirty.description))
        try repo.remove("single.txt")
        let both = try repo.cairn("data", "status")
        #expect(both.stdout.hasSuffix("(there are other changes not tracked by dvc, use \"git status\" to see)\n"),
                Comment(rawValue: both.description))
    }

    @Test func dataStatusInAnEmptyGitRepository() throws {
        let repo = try TestRepo()
        try repo.initCairn()
        let result = try repo.cairn("data", "status")
        expectSuccess(result)
        #expect(result.stdout.hasPrefix("No changes in an empty git repo.\n"), Comment(rawValue: result.description))
    }

    /// The blank-line-free blocks of status text that start at an unindented line.
    static func blocks(_ text: String) -> Set<String> {
        var result: Set<String> = []
        var current: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix("\t") && !current.isEmpty {
                result.insert(current.joined(separator: "\n"))
                current = []
            }
            if !line.isEmpty { current.append(String(line)) }
        }
        if !current.isEmpty { result.insert(current.joined(separator: "\n")) }
        return result
    }
}
