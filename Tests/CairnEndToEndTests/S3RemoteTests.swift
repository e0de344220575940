import CairnTestSupport
import Foundation
import Testing

/// `push`/`pull`/`status -c`/`gc -c` against a real S3 server (moto on 127.0.0.1), with faults injected by a TCP
/// proxy between cairn and moto.
@Suite struct S3RemoteTests {
    static let secret = "testing-secret"

    /// Points remote `s3` (the default) at `bucket` on `endpoint`, credentials in `.dvc/config.local`.
    static func configure(_ repo: TestRepo, endpoint: String, bucket: String, secret: String = secret) throws {
        try repo.ok(repo.cairn("remote", "add", "-d", "-f", "s3", "s3://\(bucket)/project"))
        try repo.ok(repo.cairn("remote", "modify", "s3", "endpointurl", endpoint))
        try repo.ok(repo.cairn("remote", "modify", "--local", "s3", "access_key_id", "testing"))
        try repo.ok(repo.cairn("remote", "modify", "--local", "s3", "secret_access_key", secret))
    }

    /// A committed repo with a directory of `count` files of `size` bytes each, plus `top.txt`.
    static func repoWithData(count: Int = 3, size: Int = 16) throws -> TestRepo {
        let repo = try initializedRepo()
        for index in 0..<count {
            var bytes = [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: size)
            bytes[0] = UInt8(truncatingIfNeeded: index >> 8)
            bytes.append(contentsOf: Array("file \(index)\n".utf8))
            try repo.write("d/f\(index).bin", bytes: bytes)
        }
        try repo.write("top.txt", "top\n")
        try repo.ok(repo.cairn("add", "d", "top.txt"))
        try repo.commitAll("data")
        return repo
    }

    /// An empty-cache clone of `repo` using the same bucket through `endpoint`.
    static func clone(_ repo: TestRepo, endpoint: String, bucket: String) throws -> TestRepo {
        let clone = try TestRepo(git: false, prefix: "cairn-s3-clone")
        try clone.ok(clone.git("clone", "-q", repo.root, "."))
        try configure(clone, endpoint: endpoint, bucket: bucket)
        return clone
    }

    /// Expects no secret in anything a command printed.
    static func expectNoSecret(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), Comment(rawValue: result.description),
                sourceLocation: sourceLocation)
    }

    @Test func pushThenPullIntoAFreshClone() throws {
        let moto = try MotoServer()
        try moto.createBucket("data")
        let repo = try Self.repoWithData()
        try Self.configure(repo, endpoint: moto.endpoint, bucket: "data")
        let push = try repo.cairn("push", "-v")
        expectSuccess(push)
        Self.expectNoSecret(push)
        #expect(push.stdout == "5 files pushed\n", Comment(rawValue: push.description))
        #expect(try repo.cairn("push").stdout == "Everything is up to date.\n")
        let status = try repo.cairn("status", "-c")
        #expect(status.stdout == "Cache and remote 's3' are in sync.\n", Comment(rawValue: status.description))

        let clone = try Self.clone(repo, endpoint: moto.endpoint, bucket: "data")
        let pull = try clone.cairn("pull")
        expectSuccess(pull)
        #expect(pull.stdout.hasSuffix("5 files fetched and 4 files added\n"), Comment(rawValue: pull.description))
        #expect(try clone.tree("d") == repo.tree("d"))
        try expectClean(clone)
        #expect(try clone.corruptCacheObjects() == [])
    }

    @Test func credentialsFromAnAWSProfile() throws {
        let moto = try MotoServer()
        try moto.createBucket("profiled")
        let repo = try Self.repoWithData()
        try repo.ok(repo.cairn("remote", "add", "-d", "s3", "s3://profiled"))
        try repo.ok(repo.cairn("remote", "modify", "s3", "endpointurl", moto.endpoint))
        try repo.ok(repo.cairn("remote", "modify", "s3", "profile", "team"))
        try FileManager.default.createDirectory(atPath: repo.home + "/.aws", withIntermediateDirectories: true)
        try Data("[team]\naws_access_key_id = testing\naws_secret_access_key = \(Self.secret)\n".utf8)
            .write(to: URL(fileURLWithPath: repo.home + "/.aws/credentials"))
        let push = try repo.cairn("push")
        expectSuccess(push)
        #expect(push.stdout == "5 files pushed\n", Comment(rawValue: push.description))
    }

    @Test func wrongCredentialsAreOneClearLineWithoutTheSecret() throws {
        let moto = try MotoServer(iam: true)
        let repo = try Self.repoWithData(count: 1)
        try Self.configure(repo, endpoint: moto.endpoint, bucket: "locked")
        let push = try repo.cairn("push")
        expectFailure(push, mentioning: ["denied"])
        Self.expectNoSecret(push)
        #expect(push.stderr.split(separator: "\n").filter { $0.hasPrefix("ERROR") }.count == 1, Comment(rawValue: push.description))
    }

    @Test func aMissingBucketIsOneClearLine() throws {
        let moto = try MotoServer()
        let repo = try Self.repoWithData(count: 1)
        try Self.configure(repo, endpoint: moto.endpoint, bucket: "nosuchbucket")
        let push = try repo.cairn("push")
        expectFailure(push, mentioning: ["s3://nosuchbucket/project", "does not exist"])
        Self.expectNoSecret(push)
    }

    @Test func anUnreachableEndpointIsOneClearLine() throws {
        let repo = try Self.repoWithData(count: 1)
        try Self.configure(repo, endpoint: "http://127.0.0.1:\(try MotoServer.freePort())", bucket: "data")
        let started = Date()
        let push = try repo.cairn("push")
        expectFailure(push, mentioning: ["cannot reach"])
        Self.expectNoSecret(push)
        #expect(Date().timeIntervalSince(started) < 60)
    }

    @Test func aPushCutOffMidwayFailsClearlyAndARerunFinishesIt() throws {
        let moto = try MotoServer()
        try moto.createBucket("cut")
        let proxy = try FaultProxy(upstreamPort: moto.port)
        let repo = try Self.repoWithData(count: 12, size: 200_000)
        try Self.configure(repo, endpoint: "http://127.0.0.1:\(proxy.port)", bucket: "cut")
        // Every connection dies after 100 kB: no 200 kB object can make it, however often it is retried.
        proxy.plan = .cutEveryConnection(afterBytes: 100_000)
        let broken = try repo.cairn("push", "-j", "4")
        expectFailure(broken, mentioning: ["push"])
        #expect(proxy.counters.cut > 1, "cairn retried: \(proxy.counters)")
        // Short outages are ridden out by the retries within one run...
        proxy.plan = .cutAfter(bytes: 100_000, connections: 3)
        let rerun = try repo.cairn("push", "-j", "4")
        expectSuccess(rerun)
        #expect(rerun.stdout.hasSuffix("files pushed\n"), Comment(rawValue: rerun.description))
        // ...and every object on the remote has the content its name says: a clone pulls and verifies each one.
        proxy.plan = .passThrough
        let clone = try Self.clone(repo, endpoint: moto.endpoint, bucket: "cut")
        let pull = try clone.cairn("pull")
        expectSuccess(pull)
        #expect(try clone.tree("d") == repo.tree("d"))
        #expect(try clone.corruptCacheObjects() == [])
    }

    @Test func aDownloadCutOffHalfWayNeverLandsInTheCache() throws {
        let moto = try MotoServer()
        try moto.createBucket("half")
        let repo = try Self.repoWithData(count: 2, size: 300_000)
        try Self.configure(repo, endpoint: moto.endpoint, bucket: "half")
        try repo.ok(repo.cairn("push"))
        let proxy = try FaultProxy(upstreamPort: moto.port)
        let clone = try Self.clone(repo, endpoint: "http://127.0.0.1:\(proxy.port)", bucket: "half")
        proxy.plan = .cutEveryConnection(afterBytes: 150_000, direction: .serverToClient)
        let pull = try clone.cairn("pull")
        expectFailure(pull)
        for index in 0..<2 {
            let id = try repo.md5("d/f\(index).bin")
            #expect(!FileManager.default.fileExists(atPath: clone.cacheObjectPath(id)), "f\(index) must not be in the cache")
        }
        #expect(try clone.cacheFiles().allSatisfy { !$0.hasSuffix(".tmp") }, "no temp file is left behind")
        proxy.plan = .passThrough
        let again = try clone.cairn("pull")
        expectSuccess(again)
        #expect(try clone.tree("d") == repo.tree("d"))
    }

    @Test func aRemoteObjectWhoseContentDoesNotMatchItsNameIsRefused() throws {
        let moto = try MotoServer()
        try moto.createBucket("tampered")
        let repo = try Self.repoWithData(count: 1)
        try Self.configure(repo, endpoint: moto.endpoint, bucket: "tampered")
        try repo.ok(repo.cairn("push"))
        // Someone overwrites top.txt's object with other bytes (boto3 from the test venv, beside dvc).
        let top = md5("top\n")
        let python = (try Binaries.dvc() as NSString).deletingLastPathComponent + "/python"
        let key = "project/files/md5/\(top.prefix(2))/\(top.dropFirst(2))"
        try repo.ok(repo.run(python, ["-c", """
            import boto3
            s3 = boto3.client("s3", endpoint_url="\(moto.endpoint)", aws_access_key_id="testing",
                              aws_secret_access_key="x", region_name="us-east-1")
            s3.put_object(Bucket="tampered", Key="\(key)", Body=b"tampered\\n")
            """], timeout: 60))
        let clone = try Self.clone(repo, endpoint: moto.endpoint, bucket: "tampered")
        let pull = try clone.cairn("pull")
        expectFailure(pull, mentioning: ["refused", "files/md5/\(top.prefix(2))/\(top.dropFirst(2))"])
        #expect(!FileManager.default.fileExists(atPath: clone.cacheObjectPath(top)))
        #expect(!clone.exists("top.txt"))
        // The directory's objects were fine and arrived in the cache.
        for index in 0..<1 { #expect(FileManager.default.fileExists(atPath: clone.cacheObjectPath(try repo.md5("d/f\(index).bin")))) }
    }

    @Test func credentialsFromTheEnvironment() throws {
        let moto = try MotoServer()
        try moto.createBucket("env")
        let repo = try Self.repoWithData(count: 1)
        try repo.ok(repo.cairn("remote", "add", "-d", "s3", "s3://env"))
        try repo.ok(repo.cairn("remote", "modify", "s3", "endpointurl", moto.endpoint))
        let push = try repo.run(try Binaries.cairn(), ["push"], environment: [
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": Self.secret,
        ])
        expectSuccess(push)
        #expect(push.stdout == "3 files pushed\n", Comment(rawValue: push.description))
    }

    @Test func gcCloudAndStatusCloudOnS3() throws {
        let moto = try MotoServer()
        try moto.createBucket("gcbucket")
        let repo = try Self.repoWithData(count: 1)
        try Self.configure(repo, endpoint: moto.endpoint, bucket: "gcbucket")
        try repo.ok(repo.cairn("push"))
        try repo.write("top.txt", "top v2\n")
        try repo.ok(repo.cairn("add", "top.txt"))
        let status = try repo.cairn("status", "-c")
        #expect(status.stdout == "\tnew:                top.txt\n", Comment(rawValue: status.description))
        try repo.ok(repo.cairn("push"))
        let gc = try repo.cairn("gc", "-w", "-c", "-f")
        expectSuccess(gc)
        #expect(gc.stdout.contains("Removed 1 objects from remote."), Comment(rawValue: gc.description))
        let after = try repo.cairn("status", "-c")
        #expect(after.stdout == "Cache and remote 's3' are in sync.\n", Comment(rawValue: after.description))
        // The committed (first) version is gone from the remote: a clone cannot get it.
        let old = try Self.clone(repo, endpoint: moto.endpoint, bucket: "gcbucket")
        let fetch = try old.cairn("fetch", "top.txt")
        #expect(fetch.stderr.contains("md5: \(md5("top\n"))"), Comment(rawValue: fetch.description))
    }
}
