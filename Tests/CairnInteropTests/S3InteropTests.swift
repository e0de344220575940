import CairnTestSupport
import Foundation
import Testing

/// cairn and DVC (with dvc[s3]) share one bucket on a real S3 server (moto): same keys, either tool pulls what the
/// other pushed.
@Suite struct S3InteropTests {
    /// Runs the remote set-up commands with `tool` (`cairn` or `dvc`).
    static func configure(_ repo: TestRepo, tool: String, endpoint: String, bucket: String) throws {
        let steps = [
            ["remote", "add", "-d", "-f", "s3", "s3://\(bucket)/team"],
            ["remote", "modify", "s3", "endpointurl", endpoint],
            ["remote", "modify", "--local", "s3", "access_key_id", "testing"],
            ["remote", "modify", "--local", "s3", "secret_access_key", "testing-secret"],
        ]
        for step in steps {
            try repo.ok(tool == "dvc" ? repo.dvc(arguments: step) : repo.cairn(arguments: step))
        }
    }

    /// The interop tree added by `tool`, committed.
    static func source(_ tool: String) throws -> TestRepo {
        let repo = tool == "dvc" ? try dvcInitializedRepo() : try cairnInitializedRepo()
        try InteropTree.write(repo)
        let add = ["add", "-q", "--"] + InteropTree.targets
        try repo.ok(tool == "dvc" ? repo.dvc(arguments: add) : repo.cairn(arguments: add))
        try repo.commitAll("data")
        return repo
    }

    /// An empty-cache clone configured by `tool`.
    static func clone(_ repo: TestRepo, tool: String, endpoint: String, bucket: String) throws -> TestRepo {
        let clone = try TestRepo(git: false, prefix: "cairn-s3-interop")
        try clone.ok(clone.git("clone", "-q", repo.root, "."))
        try configure(clone, tool: tool, endpoint: endpoint, bucket: bucket)
        return clone
    }

    @Test func dvcPushesCairnPulls() throws {
        let moto = try MotoServer()
        try moto.createBucket("shared")
        let repo = try Self.source("dvc")
        try Self.configure(repo, tool: "dvc", endpoint: moto.endpoint, bucket: "shared")
        expectSuccess(try repo.dvc("push", "-q"))
        let clone = try Self.clone(repo, tool: "cairn", endpoint: moto.endpoint, bucket: "shared")
        let pull = try clone.cairn("pull")
        expectSuccess(pull)
        #expect(try InteropTree.contents(clone) == InteropTree.contents(repo))
        let status = try clone.cairn("status", "-c")
        #expect(status.stdout == "Cache and remote 's3' are in sync.\n", Comment(rawValue: status.description))
    }

    @Test func cairnPushesDvcPulls() throws {
        let moto = try MotoServer()
        try moto.createBucket("shared")
        let repo = try Self.source("cairn")
        try Self.configure(repo, tool: "cairn", endpoint: moto.endpoint, bucket: "shared")
        expectSuccess(try repo.cairn("push"))
        let clone = try Self.clone(repo, tool: "dvc", endpoint: moto.endpoint, bucket: "shared")
        let pull = try clone.dvc("pull")
        expectSuccess(pull)
        #expect(try InteropTree.contents(clone) == InteropTree.contents(repo))
        let status = try clone.dvc("status", "-c", "--json")
        #expect(status.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "{}", Comment(rawValue: status.description))
    }
}
