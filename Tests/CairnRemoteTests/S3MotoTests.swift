import CairnTestSupport
import Crypto
import Foundation
import Testing
@testable import CairnRemote

/// The S3 store against a real (local) moto server.
@Suite struct S3MotoTests {
    static let quick = S3RetryPolicy(attempts: 2, initialDelay: 0.01)

    func store(_ moto: MotoServer, bucket: String, prefix: String = "dvc/store", _ extra: [String: String] = [:]) throws -> S3Store {
        try S3Store(url: "s3://\(bucket)/\(prefix)", options: moto.options(extra), environment: [:],
                    homeDirectory: "/nonexistent", retry: Self.quick)
    }

    static func md5(_ bytes: [UInt8]) -> String { Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

    @Test func putHeadListGetDelete() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        try moto.createBucket("objects")
        let s3 = try store(moto, bucket: "objects")
        let directory = try TemporaryDirectory()

        var keys: [String] = []
        for index in 0..<5 {
            let content = Array("object \(index)\n".utf8)
            let md5 = Self.md5(content)
            let file = try directory.write("f\(index)", content)
            let key = "files/md5/\(md5.prefix(2))/\(md5.dropFirst(2))"
            let sent = Locked<Int64>(0)
            try s3.upload(file: file, size: Int64(content.count), md5: md5, to: key) { delta in sent.update { $0 += delta } }
            #expect(sent.value == Int64(content.count))
            keys.append(key)
        }
        #expect(try s3.exists(key: keys[0]))
        #expect(try !s3.exists(key: "files/md5/00/missing"))
        #expect(Set(try s3.listKeys(prefix: "files/md5/")) == Set(keys))
        #expect(try s3.existingKeys(keys + ["files/md5/ff/nothere"], jobs: 4) == Set(keys))

        let sink = MemorySink()
        try s3.download(key: keys[2], into: sink) { _ in }
        #expect(String(decoding: sink.bytes, as: UTF8.self) == "object 2\n")

        // (moto does not check Content-MD5, AWS does; S3StoreTests checks that it is sent.)
        try s3.delete(keys: [keys[0], keys[1], "files/md5/00/never-there"], jobs: 2)
        #expect(Set(try s3.listKeys(prefix: "files/md5/")) == Set(keys.dropFirst(2)))

        #expect(throws: RemoteError.missingObject(url: s3.url, key: keys[0])) {
            try s3.download(key: keys[0], into: MemorySink()) { _ in }
        }
    }

    @Test func listingPaginatesPastAThousandKeys() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        try moto.createBucket("many")
        let s3 = try store(moto, bucket: "many", prefix: "")
        let directory = try TemporaryDirectory()
        let file = try directory.write("tiny", "x")
        let keys = (0..<1_205).map { String(format: "files/md5/%02x/%05d", $0 % 7, $0) }
        try S3Store.concurrently(keys.count, jobs: 16) { (index: Int) throws(RemoteError) in
            try s3.upload(file: file, size: 1, md5: nil, to: keys[index]) { _ in }
        }
        let listed = try s3.listKeys(prefix: "files/")
        #expect(listed.count == keys.count)
        #expect(Set(listed) == Set(keys))
        // Many keys per shard: existingKeys lists the shards instead of 1,200 HEADs.
        #expect(try s3.existingKeys(keys + ["files/md5/00/none"], jobs: 4).count == keys.count)
        try s3.delete(keys: keys, jobs: 4)
        #expect(try s3.listKeys(prefix: "").isEmpty)
    }

    @Test func multipartUploadOfALargeFile() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        try moto.createBucket("big")
        let s3 = try store(moto, bucket: "big")
        let directory = try TemporaryDirectory()
        let path = directory.path("large")
        // 150 MiB, mostly a hole, with marks at each part boundary so a misplaced part shows.
        let size: Int64 = 150 << 20
        let descriptor = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        try #require(descriptor >= 0)
        #expect(ftruncate(descriptor, off_t(size)) == 0)
        for (offset, mark) in [(Int64(0), "start"), (S3Store.partSize - 3, "p1|p2"), (size - 3, "end")] {
            _ = mark.withCString { pwrite(descriptor, $0, strlen($0), off_t(offset)) }
        }
        close(descriptor)

        let sent = Locked<Int64>(0)
        try s3.upload(file: path, size: size, md5: nil, to: "files/md5/ab/large") { delta in sent.update { $0 += delta } }
        #expect(sent.value >= size)

        final class CheckingSink: DownloadSink, @unchecked Sendable {
            var count: Int64 = 0
            var head: [UInt8] = []
            var boundary: [UInt8] = []
            var tail: [UInt8] = []
            func restart() throws(RemoteError) { count = 0; head = []; boundary = []; tail = [] }
            func write(_ bytes: UnsafeRawBufferPointer) throws(RemoteError) {
                for (index, byte) in bytes.enumerated() {
                    let position = count + Int64(index)
                    if position < 5 { head.append(byte) }
                    if position >= S3Store.partSize - 3 && position < S3Store.partSize + 2 { boundary.append(byte) }
                    if position >= (150 << 20) - 3 { tail.append(byte) }
                }
                count += Int64(bytes.count)
            }
        }
        let sink = CheckingSink()
        try s3.download(key: "files/md5/ab/large", into: sink) { _ in }
        #expect(sink.count == size)
        #expect(String(decoding: sink.head, as: UTF8.self) == "start")
        #expect(String(decoding: sink.boundary, as: UTF8.self) == "p1|p2")
        #expect(String(decoding: sink.tail, as: UTF8.self) == "end")
    }

    @Test func missingBucket() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let s3 = try store(moto, bucket: "does-not-exist")
        #expect(throws: RemoteError.noSuchBucket(url: s3.url)) { try s3.listKeys(prefix: "files/md5/") }
        let directory = try TemporaryDirectory()
        let file = try directory.write("f", "x")
        #expect(throws: RemoteError.noSuchBucket(url: s3.url)) {
            try s3.upload(file: file, size: 1, md5: nil, to: "files/md5/aa/b") { _ in }
        }
    }

    @Test func wrongCredentialsAreDenied() throws {
        let moto = try MotoServer(iam: true)
        defer { moto.stop() }
        let s3 = try store(moto, bucket: "any", ["access_key_id": "AKIAUNKNOWN", "secret_access_key": "wrong-secret"])
        do {
            _ = try s3.listKeys(prefix: "files/md5/")
            Issue.record("listing with unknown credentials succeeded")
        } catch {
            guard case .accessDenied(let url, let detail) = error else {
                Issue.record("expected accessDenied, got \(error)")
                return
            }
            #expect(url == s3.url)
            #expect(detail.contains("403"))
            #expect(!error.description.contains("wrong-secret"))
        }
    }

    @Test func unreachableEndpointFailsFast() throws {
        let port = try MotoServer.freePort()
        let s3 = try S3Store(url: "s3://b/p", options: MotoServer.options.merging(["endpointurl": "http://127.0.0.1:\(port)"]) { $1 },
                             environment: [:], homeDirectory: "/nonexistent", retry: S3RetryPolicy(attempts: 2, initialDelay: 0.01))
        let started = Date()
        #expect {
            _ = try s3.exists(key: "files/md5/aa/bb")
        } throws: { error in
            guard case RemoteError.unreachable(let url, _) = error else { return false }
            return url == "s3://b/p"
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
