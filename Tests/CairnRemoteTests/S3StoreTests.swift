import Foundation
import Testing
@testable import CairnRemote

/// A scripted transport: answers each request with the next reply and records what was sent.
final class FakeTransport: HTTPTransport, @unchecked Sendable {
    enum Reply {
        case response(Int, [String: String], String)
        case failure(HTTPTransportError)
        /// Streams the body, then breaks the connection.
        case partial(String, HTTPTransportError)
    }

    private let lock = NSLock()
    private var replies: [Reply]
    private let fallback: Reply
    private(set) var requests: [HTTPRequest] = []

    init(_ replies: [Reply], otherwise fallback: Reply = .response(200, [:], "")) {
        self.replies = replies
        self.fallback = fallback
    }

    var sent: [HTTPRequest] {
        lock.lock()
        defer { lock.unlock() }
        return requests
    }

    func send(_ request: HTTPRequest, stream: ((UnsafeRawBufferPointer) throws(RemoteError) -> Void)?,
              sent: (@Sendable (Int64) -> Void)?) throws(HTTPTransportError) -> HTTPResponse {
        lock.lock()
        requests.append(request)
        let reply = replies.isEmpty ? fallback : replies.removeFirst()
        lock.unlock()
        switch reply {
        case .failure(let error):
            throw error
        case .partial(let body, let error):
            if let stream {
                let failure: RemoteError? = Array(body.utf8).withUnsafeBytes { buffer -> RemoteError? in
                    do throws(RemoteError) {
                        try stream(buffer)
                        return nil
                    } catch {
                        return error
                    }
                }
                if let failure { throw .sink(failure) }
            }
            throw error
        case .response(let status, let headers, let body):
            let bytes = Array(body.utf8)
            if let stream, (200..<300).contains(status) {
                let failure: RemoteError? = bytes.withUnsafeBytes { buffer -> RemoteError? in
                    do throws(RemoteError) {
                        try stream(buffer)
                        return nil
                    } catch {
                        return error
                    }
                }
                if let failure { throw .sink(failure) }
                return HTTPResponse(status: status, headers: headers, streamedBytes: Int64(bytes.count))
            }
            return HTTPResponse(status: status, headers: headers, body: bytes)
        }
    }
}

/// Collects downloaded bytes and counts restarts.
final class MemorySink: DownloadSink, @unchecked Sendable {
    var bytes: [UInt8] = []
    var restarts = 0
    func restart() throws(RemoteError) {
        bytes = []
        restarts += 1
    }
    func write(_ buffer: UnsafeRawBufferPointer) throws(RemoteError) { bytes.append(contentsOf: buffer) }
}

@Suite struct S3StoreTests {
    static let fixedDate = Date(timeIntervalSince1970: 1_369_353_600)
    static let secret = "super-secret-value/XYZ"
    static let fast = S3RetryPolicy(attempts: 3, initialDelay: 0)
    static let credentials = ["access_key_id": "AKIATEST", "secret_access_key": secret, "session_token": "token-secret"]

    func store(_ url: String = "s3://bucket/pre/fix", options: [String: String] = [:],
               transport: FakeTransport) throws -> S3Store {
        try S3Store(url: url, options: Self.credentials.merging(options) { $1 }, environment: [:],
                    homeDirectory: "/nonexistent", retry: Self.fast, transport: transport, clock: { Self.fixedDate })
    }

    @Test func virtualHostedOnAWS() throws {
        let transport = FakeTransport([])
        let s3 = try store(options: ["region": "eu-west-1"], transport: transport)
        #expect(s3.endpoint == S3Endpoint(scheme: "https", host: "bucket.s3.eu-west-1.amazonaws.com", basePath: "", pathStyle: false))
        _ = try s3.exists(key: "files/md5/ab/cd ef")
        let request = try #require(transport.sent.first)
        #expect(request.method == "HEAD")
        #expect(request.url == "https://bucket.s3.eu-west-1.amazonaws.com/pre/fix/files/md5/ab/cd%20ef")
        let expected = SigV4Signer(credentials: S3Credentials(accessKeyID: "AKIATEST", secretAccessKey: Self.secret,
                                                              sessionToken: "token-secret"), region: "eu-west-1")
            .sign(SignableRequest(method: "HEAD", host: "bucket.s3.eu-west-1.amazonaws.com", path: "/pre/fix/files/md5/ab/cd ef",
                                  headers: [("x-amz-content-sha256", SigV4Signer.emptyPayloadHash)],
                                  payloadHash: SigV4Signer.emptyPayloadHash), at: Self.fixedDate)
        #expect(request.headers.first { $0.0 == "Authorization" }?.1 == expected.authorization)
        #expect(expected.authorization.contains("/20130524/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
        #expect(request.headers.contains { $0 == ("x-amz-security-token", "token-secret") })
    }

    @Test func pathStyleOnACustomEndpointAndForDottedBuckets() throws {
        let transport = FakeTransport([.response(200, [:], "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>")])
        let s3 = try store("s3://my-bucket", options: ["endpointurl": "http://127.0.0.1:9000/"], transport: transport)
        #expect(s3.endpoint == S3Endpoint(scheme: "http", host: "127.0.0.1:9000", basePath: "", pathStyle: true))
        _ = try s3.listKeys(prefix: "files/md5/")
        #expect(transport.sent.first?.url == "http://127.0.0.1:9000/my-bucket?list-type=2&prefix=files%2Fmd5%2F")
        let auth = transport.sent.first?.headers.first { $0.0 == "Authorization" }?.1 ?? ""
        #expect(auth.contains("/us-east-1/s3/aws4_request"))

        #expect(try S3Endpoint.resolve(bucket: "a.b", endpointURL: nil, region: "us-east-1", useSSL: true, style: .auto)
            == S3Endpoint(scheme: "https", host: "s3.us-east-1.amazonaws.com", basePath: "", pathStyle: true))
        #expect(try S3Endpoint.resolve(bucket: "ab", endpointURL: nil, region: "us-east-1", useSSL: false, style: .path)
            == S3Endpoint(scheme: "http", host: "s3.us-east-1.amazonaws.com", basePath: "", pathStyle: true))
        #expect(try S3Endpoint.resolve(bucket: "ab", endpointURL: "https://minio.local:443/base", region: "r", useSSL: true,
                                       style: .virtual)
            == S3Endpoint(scheme: "https", host: "ab.minio.local", basePath: "/base", pathStyle: false))
        #expect(throws: RemoteError.self) {
            try S3Endpoint.resolve(bucket: "ab", endpointURL: "minio.local", region: "r", useSSL: true, style: .auto)
        }
    }

    @Test func anonymousRequestsAreUnsigned() throws {
        let transport = FakeTransport([])
        let s3 = try S3Store(url: "s3://public", options: ["allow_anonymous_login": "true"], environment: [:],
                             homeDirectory: "/nonexistent", transport: transport)
        _ = try s3.exists(key: "k")
        #expect(transport.sent.first?.headers.isEmpty == true)
    }

    @Test func listingFollowsContinuationTokensAndStripsThePrefix() throws {
        let transport = FakeTransport([
            .response(200, [:], "<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>t/1=</NextContinuationToken>"
                + "<Contents><Key>pre/fix/files/md5/00/a</Key></Contents></ListBucketResult>"),
            .response(200, [:], "<ListBucketResult><IsTruncated>false</IsTruncated>"
                + "<Contents><Key>pre/fix/files/md5/00/b</Key></Contents></ListBucketResult>"),
        ])
        let s3 = try store(transport: transport)
        #expect(try s3.listKeys(prefix: "files/md5/00/") == ["files/md5/00/a", "files/md5/00/b"])
        #expect(transport.sent.count == 2)
        #expect(transport.sent[1].url.contains("continuation-token=t%2F1%3D&list-type=2&prefix=pre%2Ffix%2Ffiles%2Fmd5%2F00%2F"))
    }

    @Test func transientFailuresAreRetriedAndDownloadsRestart() throws {
        let transport = FakeTransport([
            .response(503, [:], "<Error><Code>SlowDown</Code></Error>"),
            .failure(.cutOff("connection reset")),
            .response(200, [:], "hello"),
        ])
        let s3 = try store(transport: transport)
        let sink = MemorySink()
        let total = Locked<Int64>(0)
        try s3.download(key: "files/md5/aa/bb", into: sink) { delta in total.update { $0 += delta } }
        #expect(String(decoding: sink.bytes, as: UTF8.self) == "hello")
        #expect(sink.restarts == 2)
        #expect(total.value == 5)
        #expect(transport.sent.count == 3)
    }

    @Test func progressCountsRetriedBytesOnce() throws {
        let transport = FakeTransport([.partial("hel", .cutOff("reset")), .response(200, [:], "hello")])
        let s3 = try store(transport: transport)
        let sink = MemorySink()
        let total = Locked<Int64>(0)
        try s3.download(key: "k", into: sink) { delta in total.update { $0 += delta } }
        #expect(String(decoding: sink.bytes, as: UTF8.self) == "hello")
        #expect(sink.restarts == 1)
        #expect(total.value == 5)
    }

    @Test func encryptionAndACLOptionsGoOnNewObjects() throws {
        let file = NSTemporaryDirectory() + "cairn-s3-sse-\(UUID().uuidString)"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let transport = FakeTransport([])
        let s3 = try store(options: ["sse": "aws:kms", "sse_kms_key_id": "key-1", "acl": "bucket-owner-full-control"],
                           transport: transport)
        try s3.upload(file: file, size: 1, md5: nil, to: "files/md5/aa/x") { _ in }
        let headers = try #require(transport.sent.first).headers
        #expect(headers.contains { $0 == ("x-amz-server-side-encryption", "aws:kms") })
        #expect(headers.contains { $0 == ("x-amz-server-side-encryption-aws-kms-key-id", "key-1") })
        #expect(headers.contains { $0 == ("x-amz-acl", "bucket-owner-full-control") })
        #expect(headers.first { $0.0 == "Authorization" }?.1.contains("x-amz-acl;") == true)
    }

    @Test func errorsMapToRemoteErrorsWithoutSecrets() throws {
        func error(_ reply: FakeTransport.Reply, _ operation: (S3Store) throws -> Void) throws -> RemoteError? {
            let transport = FakeTransport([reply], otherwise: reply)
            let s3 = try store(transport: transport)
            do {
                try operation(s3)
                return nil
            } catch {
                return error as? RemoteError
            }
        }
        let denied = try error(.response(403, [:], "<Error><Code>SignatureDoesNotMatch</Code><Message>no</Message></Error>")) {
            _ = try $0.listKeys(prefix: "")
        }
        #expect(denied == .accessDenied(url: "s3://bucket/pre/fix", detail: "HTTP 403 SignatureDoesNotMatch: no"))
        let noBucket = try error(.response(404, [:], "<Error><Code>NoSuchBucket</Code></Error>")) { _ = try $0.listKeys(prefix: "") }
        #expect(noBucket == .noSuchBucket(url: "s3://bucket/pre/fix"))
        let missing = try error(.response(404, [:], "<Error><Code>NoSuchKey</Code></Error>")) {
            try $0.download(key: "files/md5/aa/bb", into: MemorySink()) { _ in }
        }
        #expect(missing == .missingObject(url: "s3://bucket/pre/fix", key: "files/md5/aa/bb"))
        let unreachable = try error(.failure(.connection("Could not connect to server"))) { _ = try $0.exists(key: "k") }
        #expect(unreachable == .unreachable(url: "s3://bucket/pre/fix", detail: "Could not connect to server"))
        let failing = try error(.response(500, [:], "")) { _ = try $0.exists(key: "k") }
        guard case .transfer(_, "k", let detail) = failing else {
            Issue.record("expected a transfer error, got \(String(describing: failing))")
            return
        }
        #expect(detail.contains("HTTP 500") && detail.contains("3 attempts"))
        for failure in [denied, noBucket, missing, unreachable, failing] as [RemoteError?] {
            let text = failure.map { String(describing: $0) } ?? ""
            #expect(!text.contains(Self.secret) && !text.contains("token-secret"))
            #expect(!text.contains("\n"))
        }
    }

    @Test func accessDeniedIsNotRetried() throws {
        let transport = FakeTransport([], otherwise: .response(403, [:], "<Error><Code>InvalidAccessKeyId</Code></Error>"))
        let s3 = try store(transport: transport)
        #expect(throws: RemoteError.self) { try s3.exists(key: "k") }
        #expect(transport.sent.count == 1)
    }

    @Test func uploadSendsContentMD5AndUnsignedPayload() throws {
        let file = NSTemporaryDirectory() + "cairn-s3-upload-\(UUID().uuidString)"
        try Data("hello".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let transport = FakeTransport([])
        let s3 = try store(transport: transport)
        try s3.upload(file: file, size: 5, md5: "5d41402abc4b2a76b9719d911017c592", to: "files/md5/5d/41402abc4b2a76b9719d911017c592") { _ in }
        let request = try #require(transport.sent.first)
        #expect(request.method == "PUT")
        #expect(request.headers.contains { $0 == ("Content-MD5", "XUFAKrxLKna5cZ2REBfFkg==") })
        #expect(request.headers.contains { $0 == ("x-amz-content-sha256", "UNSIGNED-PAYLOAD") })
        guard case .file(file, 0, 5) = request.body else {
            Issue.record("the body should stream the file, got \(request.body)")
            return
        }
    }

    @Test func existingKeysHeadsFewAndListsMany() throws {
        // Two keys in two shards: HEAD each, no listing.
        let few = FakeTransport([.response(200, [:], ""), .response(404, [:], "")])
        let s3 = try store(transport: few)
        let found = try s3.existingKeys(["files/md5/aa/1", "files/md5/bb/2"], jobs: 1)
        #expect(found.count == 1)
        #expect(few.sent.allSatisfy { $0.method == "HEAD" })

        // 50 keys in one shard: one sample listing of shard 00 (empty remote), then one listing of the shard.
        let listing = "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>pre/fix/files/md5/aa/3</Key></Contents></ListBucketResult>"
        let many = FakeTransport([.response(200, [:], "<ListBucketResult/>"), .response(200, [:], listing)])
        let keys = (0..<50).map { "files/md5/aa/\($0)" }
        #expect(try self.store(transport: many).existingKeys(keys, jobs: 4) == ["files/md5/aa/3"])
        #expect(many.sent.count == 2)
        #expect(many.sent.allSatisfy { $0.method == "GET" })
    }

    @Test func deleteBatchesAThousandKeys() throws {
        let transport = FakeTransport([])
        let s3 = try store(transport: transport)
        try s3.delete(keys: (0..<2_500).map { "files/md5/00/\($0)" }, jobs: 2)
        #expect(transport.sent.count == 3)
        #expect(transport.sent.allSatisfy { $0.method == "POST" && $0.url.hasSuffix("/?delete=") })
        #expect(transport.sent.allSatisfy { request in request.headers.contains { $0.0 == "Content-MD5" } })
    }
}

@Suite struct S3MultipartFakeTests {
    @Test func aFailedPartAbortsTheUpload() throws {
        let file = NSTemporaryDirectory() + "cairn-s3-multipart-\(UUID().uuidString)"
        let size = S3Store.partSize + 10
        #expect(FileManager.default.createFile(atPath: file, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(truncate(file, off_t(size)) == 0)
        let transport = FakeTransport([
            .response(200, [:], "<InitiateMultipartUploadResult><UploadId>up-1</UploadId></InitiateMultipartUploadResult>"),
        ], otherwise: .response(403, [:], "<Error><Code>AccessDenied</Code><Message>no</Message></Error>"))
        let s3 = try S3Store(url: "s3://bucket", options: S3StoreTests.credentials, environment: [:],
                             homeDirectory: "/nonexistent", retry: S3StoreTests.fast, transport: transport)
        #expect(throws: RemoteError.accessDenied(url: "s3://bucket", detail: "HTTP 403 AccessDenied: no")) {
            try s3.upload(file: file, size: size, md5: nil, to: "files/md5/aa/big") { _ in }
        }
        let sent = transport.sent
        #expect(sent.first?.method == "POST" && sent.first?.url.hasSuffix("/files/md5/aa/big?uploads=") == true)
        #expect(sent.contains { $0.method == "PUT" && $0.url.contains("partNumber=") && $0.url.contains("uploadId=up-1") })
        #expect(sent.last?.method == "DELETE" && sent.last?.url.hasSuffix("?uploadId=up-1") == true)
    }
}
