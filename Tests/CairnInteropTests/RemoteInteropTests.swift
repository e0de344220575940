import CairnTestSupport
import Foundation
import Testing

/// cairn and DVC share one local-directory remote: what either pushes, the other pulls.
@Suite struct RemoteInteropTests {
    /// Files under a directory with their bytes and modes.
    static func remoteTree(_ directory: String) throws -> [String: String] {
        var result: [String: String] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return result }
        while let next = enumerator.nextObject() as? String {
            var info = stat()
            guard lstat(directory + "/" + next, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + next))
            result[next] = String(info.st_mode & 0o777, radix: 8) + " " + bytes.base64EncodedString()
        }
        return result
    }

    /// A repo holding the interop tree, added by `tool`, with a default remote in the sandbox, committed.
    static func source(addingWith tool: String) throws -> (repo: TestRepo, remote: String) {
        let repo = tool == "dvc" ? try dvcInitializedRepo() : try cairnInitializedRepo()
        try InteropTree.write(repo)
        let remote = repo.sandbox + "/shared-remote"
        if tool == "dvc" {
            expectSuccess(try repo.dvc(arguments: ["add", "-q", "--"] + InteropTree.targets))
            expectSuccess(try repo.dvc("remote", "add", "-d", "shared", remote))
        } else {
            expectSuccess(try repo.cairn(arguments: ["add", "-q", "--"] + InteropTree.targets))
            expectSuccess(try repo.cairn("config", "remote.shared.url", remote))
            expectSuccess(try repo.cairn("config", "core.remote", "shared"))
        }
        try repo.commitAll("data")
        return (repo, remote)
    }

    /// An empty-cache clone of `repo`.
    static func clone(_ repo: TestRepo) throws -> TestRepo {
        let clone = try TestRepo(git: false, prefix: "cairn-interop-clone")
        _ = try clone.ok(clone.git("clone", "-q", repo.root, "."))
        return clone
    }

    @Test func dvcPushCairnPull() throws {
        let (repo, remote) = try Self.source(addingWith: "dvc")
        expectSuccess(try repo.dvc("push", "-q"))
        let clone = try Self.clone(repo)
        let pull = try clone.cairn("pull")
        expectSuccess(pull)
        #expect(try InteropTree.contents(clone) == InteropTree.contents(repo))
        // cairn agrees the remote holds everything and pushes nothing more.
        let status = try clone.cairn("status", "-c")
        #expect(status.stdout == "Cache and remote 'shared' are in sync.\n", Comment(rawValue: status.description))
        let before = try Self.remoteTree(remote)
        #expect(try clone.cairn("push").stdout == "Everything is up to date.\n")
        #expect(try Self.remoteTree(remote) == before)
    }

    @Test func cairnPushDvcPull() throws {
        let (repo, remote) = try Self.source(addingWith: "cairn")
        expectSuccess(try repo.cairn("push"))
        let clone = try Self.clone(repo)
        let pull = try clone.dvc("pull")
        expectSuccess(pull)
        #expect(try InteropTree.contents(clone) == InteropTree.contents(repo))
        let status = try clone.dvc("status", "-c", "--json")
        #expect(status.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "{}", Comment(rawValue: status.description))
        _ = remote
    }

    @Test func bothToolsWriteTheSameRemote() throws {
        let (dvcRepo, dvcRemote) = try Self.source(addingWith: "dvc")
        expectSuccess(try dvcRepo.dvc("push", "-q"))
        let (cairnRepo, cairnRemote) = try Self.source(addingWith: "cairn")
        expectSuccess(try cairnRepo.cairn("push", "-q"))
        // Same keys, same bytes, same read-only modes.
        #expect(try Self.remoteTree(cairnRemote) == Self.remoteTree(dvcRemote))
    }

    @Test func statusCloudAgreesWithDVC() throws {
        let (repo, _) = try Self.source(addingWith: "dvc")
        expectSuccess(try repo.dvc("push", "-q", "data"))
        try repo.write("late.txt", "late\n")
        expectSuccess(try repo.dvc("add", "-q", "late.txt"))
        let dvc = try repo.dvc("status", "-c", "--json")
        let cairn = try repo.cairn("status", "-c", "--json")
        #expect(try JSONCanonical.equal(cairn.stdout, dvc.stdout),
                Comment(rawValue: cairn.description + "\n" + dvc.description))
    }
}
