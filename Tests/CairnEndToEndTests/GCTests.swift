import CairnTestSupport
import Foundation
import Testing

/// `cairn gc`: FORMATS.md §9's table, dry runs, prompts, pipeline outputs, parse failures.
@Suite struct GCTests {
    /// Versions of `f.txt` and of `d/` (changing.txt differs per version, same.txt never changes).
    static func objects(ofVersion version: Int) -> Set<String> {
        let changing = md5("dir \(version)\n")
        let dir = md5(manifest([("changing.txt", changing), ("same.txt", md5("same\n"))])) + ".dir"
        return [md5("version \(version)\n"), changing, dir, md5("same\n")]
    }

    /// v1..v4 committed on main, branch `side` at v3, tag `t2` at v2, v5 added but not committed.
    static func historyRepo() throws -> TestRepo {
        let repo = try initializedRepo()
        for version in 1...5 {
            try repo.write("f.txt", "version \(version)\n")
            try repo.write("d/changing.txt", "dir \(version)\n")
            try repo.write("d/same.txt", "same\n")
            try repo.ok(repo.cairn("add", "f.txt", "d"))
            guard version < 5 else { break }
            try repo.commitAll("v\(version)")
            if version == 2 { try repo.gitOK("tag", "t2") }
            if version == 3 { try repo.gitOK("branch", "side") }
        }
        #expect(Set(try repo.cacheObjects()) == (1...5).reduce(into: Set()) { $0.formUnion(objects(ofVersion: $1)) })
        return repo
    }

    @Test(arguments: [
        (["-w"], [5]),
        (["-a"], [3, 4, 5]),
        (["-T"], [2, 5]),
        (["-A"], [1, 2, 3, 4, 5]),
        (["--all-commits"], [1, 2, 3, 4, 5]),
        (["-a", "-T"], [2, 3, 4, 5]),
        (["-w", "-T"], [2, 5]),
    ])
    func keepsExactlyTheObjectsOfTheChosenRevisions(_ flags: [String], _ kept: [Int]) throws {
        let repo = try Self.historyRepo()
        let result = try repo.cairn(arguments: ["gc", "-f"] + flags)
        expectSuccess(result)
        let expected = kept.reduce(into: Set<String>()) { $0.formUnion(Self.objects(ofVersion: $1)) }
        #expect(Set(try repo.cacheObjects()) == expected, Comment(rawValue: result.description))
        #expect(try repo.corruptCacheObjects() == [])
        // The workspace is intact.
        try expectClean(repo)
        #expect(try repo.read("f.txt") == "version 5\n")
    }

    @Test func reportsWhatItRemoved() throws {
        let repo = try Self.historyRepo()
        let result = try repo.cairn("gc", "-w", "-f")
        expectSuccess(result)
        #expect(result.stdout.contains("Removed 12 objects from repo cache."), Comment(rawValue: result.description))
        let again = try repo.cairn("gc", "-w", "-f")
        expectSuccess(again)
        #expect(again.stdout.contains("No unused 'repo' cache to remove."), Comment(rawValue: again.description))
    }

    @Test func dryRunListsButRemovesNothing() throws {
        let repo = try Self.historyRepo()
        let before = try repo.snapshot(".dvc/cache")
        let result = try repo.cairn("gc", "-w", "-f", "--dry")
        expectSuccess(result)
        #expect(TestRepo.differences(before, try repo.snapshot(".dvc/cache")) == [])
        let doomed = (1...4).reduce(into: Set<String>()) { $0.formUnion(Self.objects(ofVersion: $1)) }
            .subtracting(Self.objects(ofVersion: 5))
        for id in doomed {
            #expect(result.stdout.contains(id.dropFirst(2)), "\(id) should be listed\n\(result)")
        }
        #expect(!result.stdout.contains(md5("version 5\n").dropFirst(2)))
    }

    @Test(arguments: [nil, "n\n", "no\n"] as [String?])
    func declinedOrUnansweredPromptExits1AndRemovesNothing(_ answer: String?) throws {
        let repo = try Self.historyRepo()
        let before = try repo.cacheObjects()
        let result = try repo.cairn(arguments: ["gc", "-w"], stdin: answer)
        expectExit(result, 1)
        #expect(try repo.cacheObjects() == before)
    }

    @Test func pipelineOutputsInDvcLockAreKept() throws {
        let repo = try initializedRepo()
        let out = "pipeline output\n"
        let stale = "stale output\n"
        for content in [out, stale] {
            try repo.write(repo.cacheObjectRelativePath(md5(content)), content, mode: 0o444)
        }
        try repo.write("dvc.yaml", "stages:\n  prep:\n    cmd: cp in.txt out.txt\n    outs:\n    - out.txt\n")
        try repo.write("dvc.lock", """
            schema: '2.0'
            stages:
              prep:
                cmd: cp in.txt out.txt
                outs:
                - path: out.txt
                  hash: md5
                  md5: \(md5(out))
                  size: \(out.utf8.count)

            """)
        try repo.write("out.txt", out)
        expectSuccess(try repo.cairn("gc", "-w", "-f"))
        #expect(try repo.cacheObjects() == [md5(out)])
    }

    @Test func otherBranchesDvcLockOutputsAreKeptWithAllBranches() throws {
        let repo = try initializedRepo()
        let out = "side output\n"
        try repo.write(repo.cacheObjectRelativePath(md5(out)), out, mode: 0o444)
        try repo.gitOK("checkout", "-q", "-b", "side")
        try repo.write("dvc.yaml", "stages:\n  prep:\n    cmd: echo\n    outs:\n    - out.txt\n")
        try repo.write("dvc.lock", """
            schema: '2.0'
            stages:
              prep:
                cmd: echo
                outs:
                - path: out.txt
                  hash: md5
                  md5: \(md5(out))
                  size: \(out.utf8.count)

            """)
        try repo.commitAll("pipeline on side")
        try repo.gitOK("checkout", "-q", "main")
        expectSuccess(try repo.cairn("gc", "-a", "-f"))
        #expect(try repo.cacheObjects() == [md5(out)])
        expectSuccess(try repo.cairn("gc", "-w", "-f"))
        #expect(try repo.cacheObjects() == [])
    }

    @Test func runCacheIsNeverTouched() throws {
        let repo = try Self.historyRepo()
        let entry = ".dvc/cache/runs/ab/" + String(repeating: "ab", count: 32) + "/" + String(repeating: "cd", count: 32)
        try repo.write(entry, "outs: []\n")
        expectSuccess(try repo.cairn("gc", "-w", "-f"))
        #expect(try repo.read(entry) == "outs: []\n")
    }

    @Test func refusesToDeleteAnythingWhenAWorkspaceDVCFileDoesNotParse() throws {
        let repo = try Self.historyRepo()
        try repo.write("broken.dvc", "outs:\n- md5: [unclosed\n  path: x\n")
        let before = try repo.snapshot(".dvc/cache")
        let result = try repo.cairn("gc", "-w", "-f")
        expectFailure(result, mentioning: ["broken.dvc"])
        #expect(TestRepo.differences(before, try repo.snapshot(".dvc/cache")) == [])
    }

    @Test(arguments: [("f.txt.dvc", "outs:\n- md5: [bad\n"), ("dvc.lock", "schema: '2.0'\nstages: [\n")])
    func refusesToDeleteAnythingWhenABranchsFileDoesNotParse(_ name: String, _ broken: String) throws {
        let repo = try Self.historyRepo()
        try repo.gitOK("checkout", "-q", "-f", "side")
        // A lock is read where its dvc.yaml exists (as DVC does).
        try repo.write("dvc.yaml", "stages:\n  prep:\n    cmd: echo\n    outs:\n    - out.txt\n")
        try repo.write(name, broken)
        try repo.commitAll("break \(name)")
        try repo.gitOK("checkout", "-q", "-f", "main")
        try repo.ok(repo.cairn("add", "f.txt", "d"))  // v5 again: the forced checkout restored v4's .dvc files
        let before = try repo.snapshot(".dvc/cache")
        let result = try repo.cairn("gc", "-a", "-f")
        expectFailure(result, mentioning: [name])
        #expect(TestRepo.differences(before, try repo.snapshot(".dvc/cache")) == [])
        // The workspace alone parses: -w still works.
        expectSuccess(try repo.cairn("gc", "-w", "-f"))
        #expect(Set(try repo.cacheObjects()) == Self.objects(ofVersion: 5))
    }
}
