import Crypto
import Foundation

/// How often and how patiently transient S3 failures are retried.
public struct S3RetryPolicy: Sendable, Equatable {
    /// Attempts per request, the first included.
    public var attempts: Int
    /// Delay before the first retry, in seconds; it doubles each retry (with jitter).
    public var initialDelay: Double

    /// A policy from its parts.
    public init(attempts: Int, initialDelay: Double) {
        self.attempts = max(1, attempts)
        self.initialDelay = initialDelay
    }

    /// Five attempts, 0.2 s doubling: about 3 s of patience in all.
    public static let standard = S3RetryPolicy(attempts: 5, initialDelay: 0.2)
}

/// Where requests go and how the bucket is addressed.
public struct S3Endpoint: Sendable, Equatable {
    /// `https` or `http`.
    public var scheme: String
    /// Host (with `:port` when not the default) that requests are sent to and signed for.
    public var host: String
    /// Path prefix of a custom endpoint (`""` or `/base`).
    public var basePath: String
    /// Path-style (`/bucket/key`) when true, virtual-hosted (`bucket.host/key`) when false.
    public var pathStyle: Bool

    /// Chooses the endpoint for `bucket`: path-style for a custom `endpointurl` (unless `addressing_style` says
    /// virtual), virtual-hosted on AWS (unless it says path, or the bucket name has dots, which TLS cannot cover).
    public static func resolve(bucket: String, endpointURL: String?, region: String, useSSL: Bool,
                               style: S3AddressingStyle) throws(RemoteError) -> S3Endpoint {
        if let endpointURL {
            guard let components = URLComponents(string: endpointURL), let scheme = components.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
            else {
                throw .configuration(
                    "invalid endpointurl '\(endpointURL)': use a URL like https://s3.example.com or http://127.0.0.1:9000 "
                        + "(`cairn remote modify <name> endpointurl …`)")
            }
            var hostPort = host
            if let port = components.port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) {
                hostPort += ":\(port)"
            }
            var base = components.percentEncodedPath
            while base.hasSuffix("/") { base.removeLast() }
            if style == .virtual {
                return S3Endpoint(scheme: scheme, host: bucket + "." + hostPort, basePath: base, pathStyle: false)
            }
            return S3Endpoint(scheme: scheme, host: hostPort, basePath: base, pathStyle: true)
        }
        let scheme = useSSL ? "https" : "http"
        let awsHost = "s3.\(region).amazonaws.com"
        if style == .path || (style == .auto && bucket.contains(".")) {
            return S3Endpoint(scheme: scheme, host: awsHost, basePath: "", pathStyle: true)
        }
        return S3Endpoint(scheme: scheme, host: bucket + "." + awsHost, basePath: "", pathStyle: false)
    }
}

/// A DVC remote on S3 (or an S3-compatible server): HEAD/GET/PUT/ListObjectsV2/DeleteObjects/multipart uploads,
/// signed with SigV4, with retries. Safe to call from many threads at once.
public final class S3Store: RemoteStore, @unchecked Sendable {
    /// Objects larger than this are uploaded in parts of this size.
    public static let partSize: Int64 = 64 << 20
    /// Keys per DeleteObjects request (S3's maximum).
    static let deleteBatch = 1_000

    /// The remote URL as configured (`s3://bucket/prefix`).
    public let url: String
    /// The bucket name.
    public let bucket: String
    /// Key prefix inside the bucket (no leading or trailing `/`), `""` for the bucket root.
    public let prefix: String
    /// Resolved credentials, region and addressing.
    public let settings: S3Settings
    /// Where requests go.
    public let endpoint: S3Endpoint
    private let transport: any HTTPTransport
    private let retry: S3RetryPolicy
    private let signer: SigV4Signer?
    private let useListV1: Bool
    /// `x-amz-server-side-encryption`, `…-aws-kms-key-id` and `x-amz-acl` from the `sse`, `sse_kms_key_id` and
    /// `acl` options, sent when an object is created.
    private let objectHeaders: [(String, String)]
    private let clock: @Sendable () -> Date

    /// An S3 store for `url` (`s3://bucket/prefix`) with the remote's DVC options, reading ~/.aws files under
    /// `homeDirectory` (or the paths the options and environment name). Throws `.configuration` for a bad URL,
    /// missing credentials or a missing libcurl.
    public convenience init(url: String, options: [String: String], environment: [String: String],
                            homeDirectory: String, retry: S3RetryPolicy = .standard) throws(RemoteError) {
        let readTimeout = options["read_timeout"].flatMap(Double.init) ?? 60
        let connectTimeout = options["connect_timeout"].flatMap(Double.init) ?? 30
        let verify = options["ssl_verify"].map { !["false", "0", "no", "off"].contains($0.lowercased()) } ?? true
        let transport = try CurlTransport(connectTimeout: connectTimeout, stallTimeout: readTimeout, verifyTLS: verify)
        try self.init(url: url, options: options, environment: environment, homeDirectory: homeDirectory,
                      retry: retry, transport: transport)
    }

    /// An S3 store over a given transport (tests use a fake one), with the clock that dates signatures.
    public init(url: String, options: [String: String], environment: [String: String], homeDirectory: String,
                retry: S3RetryPolicy = .standard, transport: any HTTPTransport,
                clock: @escaping @Sendable () -> Date = { Date() }) throws(RemoteError) {
        let (bucket, prefix) = try Self.parse(url: url)
        func expand(_ path: String) -> String {
            path == "~" ? homeDirectory : path.hasPrefix("~/") ? homeDirectory + path.dropFirst() : path
        }
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        let credentialsPath = expand(nonEmpty(options["credentialpath"]) ?? nonEmpty(environment["AWS_SHARED_CREDENTIALS_FILE"])
            ?? homeDirectory + "/.aws/credentials")
        let configPath = expand(nonEmpty(options["configpath"]) ?? nonEmpty(environment["AWS_CONFIG_FILE"])
            ?? homeDirectory + "/.aws/config")
        let settings = try S3SettingsResolver.resolve(
            url: url, options: options, environment: environment,
            credentialsFile: try? String(contentsOfFile: credentialsPath, encoding: .utf8),
            configFile: try? String(contentsOfFile: configPath, encoding: .utf8))
        let useSSL = options["use_ssl"].map { S3SettingsResolver.isTrue($0) } ?? true
        self.url = url
        self.bucket = bucket
        self.prefix = prefix
        self.settings = settings
        self.endpoint = try S3Endpoint.resolve(
            bucket: bucket, endpointURL: nonEmpty(options["endpointurl"]), region: settings.region, useSSL: useSSL,
            style: settings.addressingStyle)
        self.transport = transport
        self.retry = retry
        self.signer = settings.credentials.map { SigV4Signer(credentials: $0, region: settings.region) }
        self.useListV1 = S3SettingsResolver.isTrue(options["listobjects"])
        var objectHeaders: [(String, String)] = []
        if let sse = nonEmpty(options["sse"]) { objectHeaders.append(("x-amz-server-side-encryption", sse)) }
        if let kms = nonEmpty(options["sse_kms_key_id"]) {
            objectHeaders.append(("x-amz-server-side-encryption-aws-kms-key-id", kms))
        }
        if let acl = nonEmpty(options["acl"]) { objectHeaders.append(("x-amz-acl", acl)) }
        self.objectHeaders = objectHeaders
        self.clock = clock
    }

    /// Splits `s3://bucket/some/prefix/` into the bucket and `some/prefix`.
    public static func parse(url: String) throws(RemoteError) -> (bucket: String, prefix: String) {
        guard url.hasPrefix("s3://") else {
            throw .configuration("'\(url)' is not an S3 URL: use s3://bucket/path")
        }
        let rest = url.dropFirst(5)
        let bucket = String(rest.prefix { $0 != "/" })
        guard !bucket.isEmpty else { throw .configuration("'\(url)' names no bucket: use s3://bucket/path") }
        let path = rest.dropFirst(bucket.count).split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
        return (bucket, path)
    }

    // MARK: Requests

    /// The object key in the bucket for a store-relative key.
    func objectKey(_ key: String) -> String { prefix.isEmpty ? key : prefix + "/" + key }

    /// Builds (and signs, unless anonymous) a request for `objectKey` (nil: the bucket itself).
    public func makeRequest(method: String, objectKey: String?, query: [(String, String)] = [],
                            headers: [(String, String)] = [], payloadHash: String = SigV4Signer.emptyPayloadHash,
                            body: HTTPBody = .none) -> HTTPRequest {
        var path = endpoint.basePath
        if endpoint.pathStyle {
            path += "/" + bucket
            if let objectKey { path += "/" + objectKey }
        } else {
            path += "/" + (objectKey ?? "")
        }
        var signable = SignableRequest(method: method, host: endpoint.host, path: path, query: query,
                                       headers: headers, payloadHash: payloadHash)
        var sendHeaders = headers
        if let signer {
            signable.headers.append(("x-amz-content-sha256", payloadHash))
            sendHeaders = signer.sign(signable, at: clock()).headers
        }
        let queryText = signable.encodedQuery
        let wireURL = "\(endpoint.scheme)://\(endpoint.host)\(signable.encodedPath)" + (queryText.isEmpty ? "" : "?" + queryText)
        return HTTPRequest(method: method, url: wireURL, headers: sendHeaders, body: body)
    }

    /// Sends a request (rebuilt per attempt so each is freshly dated), retrying transient failures.
    private func perform(key: String, sink: (any DownloadSink)? = nil, progress: ProgressClamp? = nil,
                         stream: ((UnsafeRawBufferPointer) throws(RemoteError) -> Void)? = nil,
                         sent: (@Sendable (Int64) -> Void)? = nil,
                         _ build: () -> HTTPRequest) throws(RemoteError) -> HTTPResponse {
        var connected = false
        var detail = ""
        for attempt in 0..<retry.attempts {
            if attempt > 0 {
                let delay = retry.initialDelay * Double(1 << min(attempt - 1, 16)) * Double.random(in: 0.5...1.0)
                if delay > 0 { usleep(UInt32(min(delay, 30) * 1_000_000)) }
                if let sink { try sink.restart() }
                progress?.restart()
            }
            do {
                let response = try transport.send(build(), stream: stream, sent: sent)
                connected = true
                if Self.isTransient(response) {
                    detail = Self.describe(response)
                    continue
                }
                return response
            } catch {
                switch error {
                case .connection(let why):
                    detail = why
                case .timeout(let why):
                    detail = why
                case .cutOff(let why):
                    connected = true
                    detail = why
                case .other(let why):
                    detail = why
                case .sink(let failure):
                    throw failure
                case .localFile(let path, let why):
                    throw .local(path: path, detail: why)
                }
            }
        }
        if !connected { throw .unreachable(url: url, detail: detail) }
        throw .transfer(url: url, key: key, detail: detail + " (after \(retry.attempts) attempts)")
    }

    private static func isTransient(_ response: HTTPResponse) -> Bool {
        if [500, 502, 503, 504].contains(response.status) { return true }
        guard response.status >= 400 else { return false }
        let code = S3ErrorBody(parsing: S3XML(response.body)).code
        return code == "SlowDown" || code == "InternalError" || code == "RequestTimeout" || code == "ServiceUnavailable"
    }

    private static func describe(_ response: HTTPResponse) -> String {
        let error = S3ErrorBody(parsing: S3XML(response.body))
        var text = "HTTP \(response.status)"
        if let code = error.code { text += " \(code)" }
        if let message = error.message, !message.isEmpty { text += ": \(message)" }
        return text
    }

    /// Maps a final non-2xx answer to the error the engine can act on.
    private func failure(_ response: HTTPResponse, key: String?) -> RemoteError {
        let error = S3ErrorBody(parsing: S3XML(response.body))
        switch (response.status, error.code) {
        case (_, "NoSuchBucket"):
            return .noSuchBucket(url: url)
        case (401, _), (403, _):
            return .accessDenied(url: url, detail: Self.describe(response))
        case (404, _):
            if let key { return .missingObject(url: url, key: key) }
            return .noSuchBucket(url: url)
        case (301, _), (307, _), (400, "AuthorizationHeaderMalformed"), (400, "IllegalLocationConstraintException"):
            let region = response.headers["x-amz-bucket-region"].map { " '\($0)'" } ?? ""
            return .configuration(
                "remote '\(url)': the bucket is in another region\(region) than '\(settings.region)': "
                    + "set it with `cairn remote modify <name> region …`")
        default:
            return .transfer(url: url, key: key ?? "", detail: Self.describe(response))
        }
    }

    private func checked(_ response: HTTPResponse, key: String?) throws(RemoteError) -> HTTPResponse {
        guard (200..<300).contains(response.status) else { throw failure(response, key: key) }
        return response
    }

    // MARK: RemoteStore

    public func existingKeys(_ keys: [String], jobs: Int) throws(RemoteError) -> Set<String> {
        // Round-trip rule: a HEAD costs one request per key; listing costs one request per page of each shard
        // (`files/md5/ab/`) the keys touch. With no more keys than shards HEAD always wins; otherwise one listing
        // of shard `00` estimates the pages per shard (as DVC estimates the remote's size) and the cheaper way wins.
        let unique = Array(Set(keys))
        var shardKeys: [String: [String]] = [:]
        var loose: [String] = []
        for key in unique {
            if let shard = Self.shard(of: key) { shardKeys[shard, default: []].append(key) } else { loose.append(key) }
        }
        var present = Set<String>()
        var toHead = loose
        let sharded = unique.count - loose.count
        if sharded > shardKeys.count {
            let sample = try listKeys(prefix: "files/md5/00/")
            let pagesPerShard = max(1, (sample.count + 999) / 1_000)
            if sharded > shardKeys.count * pagesPerShard {
                var shards = Array(shardKeys.keys)
                shards.removeAll { $0 == "files/md5/00/" }
                let listed = Locked<Set<String>>(Set(sample))
                try Self.concurrently(shards.count, jobs: jobs) { (index: Int) throws(RemoteError) in
                    let found = try self.listKeys(prefix: shards[index])
                    listed.update { $0.formUnion(found) }
                }
                let all = listed.value
                for key in unique where Self.shard(of: key) != nil && all.contains(key) { present.insert(key) }
            } else {
                toHead += shardKeys.values.flatMap { $0 }
            }
        } else {
            toHead += shardKeys.values.flatMap { $0 }
        }
        let found = Locked<[String]>([])
        try Self.concurrently(toHead.count, jobs: jobs) { (index: Int) throws(RemoteError) in
            if try self.exists(key: toHead[index]) { found.update { $0.append(toHead[index]) } }
        }
        present.formUnion(found.value)
        return present
    }

    /// `files/md5/ab/` for `files/md5/ab/cdef…`, nil for keys outside the object shards.
    static func shard(of key: String) -> String? {
        guard key.hasPrefix("files/md5/") else { return nil }
        let rest = key.utf8.dropFirst(10)
        guard rest.count > 3, rest[rest.index(rest.startIndex, offsetBy: 2)] == UInt8(ascii: "/") else { return nil }
        return String(key.prefix(13))
    }

    /// Whether `key` exists (HEAD).
    public func exists(key: String) throws(RemoteError) -> Bool {
        let response = try perform(key: key) { makeRequest(method: "HEAD", objectKey: objectKey(key)) }
        if response.status == 404 { return false }
        _ = try checked(response, key: key)
        return true
    }

    public func listKeys(prefix keyPrefix: String) throws(RemoteError) -> [String] {
        let fullPrefix = objectKey(keyPrefix)
        let strip = prefix.isEmpty ? 0 : prefix.count + 1
        var keys: [String] = []
        var token: String?
        repeat {
            var query: [(String, String)] = [("prefix", fullPrefix)]
            if useListV1 {
                if let token { query.append(("marker", token)) }
            } else {
                query.append(("list-type", "2"))
                if let token { query.append(("continuation-token", token)) }
            }
            let response = try checked(
                perform(key: keyPrefix) { makeRequest(method: "GET", objectKey: nil, query: query) }, key: nil)
            let xml = S3XML(response.body)
            let page = S3ListPage(parsing: xml)
            for key in page.keys where key.hasPrefix(fullPrefix) { keys.append(String(key.dropFirst(strip))) }
            if useListV1 {
                let truncated = xml.value("IsTruncated")?.lowercased() == "true"
                token = truncated ? (xml.value("NextMarker") ?? page.keys.last) : nil
            } else {
                token = page.nextContinuationToken
            }
        } while token != nil
        return keys
    }

    public func upload(file: String, size: Int64, md5: String?, to key: String,
                       progress: @Sendable (Int64) -> Void) throws(RemoteError) {
        try withoutActuallyEscaping(progress) { (progress) throws(RemoteError) in
            if size > Self.partSize {
                try uploadMultipart(file: file, size: size, key: key, progress: progress)
                return
            }
            var headers: [(String, String)] = [("Content-Type", "application/octet-stream")] + objectHeaders
            if let md5, let digest = Self.base64(hex: md5) { headers.append(("Content-MD5", digest)) }
            let clamp = ProgressClamp(progress)
            let response = try perform(key: key, progress: clamp, sent: clamp.report) {
                makeRequest(method: "PUT", objectKey: objectKey(key), headers: headers,
                            payloadHash: SigV4Signer.unsignedPayload, body: .file(path: file, offset: 0, length: size))
            }
            _ = try checked(response, key: nil)
        }
    }

    private func uploadMultipart(file: String, size: Int64, key: String,
                                 progress: @escaping @Sendable (Int64) -> Void) throws(RemoteError) {
        let object = objectKey(key)
        let created = try checked(perform(key: key) {
            makeRequest(method: "POST", objectKey: object, query: [("uploads", "")], headers: objectHeaders)
        }, key: nil)
        guard let uploadID = S3XML(created.body).value("UploadId"), !uploadID.isEmpty else {
            throw .transfer(url: url, key: key, detail: "the server started no multipart upload (no UploadId)")
        }
        let partCount = Int((size + Self.partSize - 1) / Self.partSize)
        let etags = Locked<[String]>(Array(repeating: "", count: partCount))
        do throws(RemoteError) {
            // Two parts in flight, each hashed for its Content-MD5 and then sent straight from the file (libcurl
            // reads it with pread): memory stays a few MiB whatever the file's size.
            try Self.concurrently(partCount, jobs: 2) { (index: Int) throws(RemoteError) in
                let offset = Int64(index) * Self.partSize
                let length = min(Self.partSize, size - offset)
                let md5 = try Self.sliceMD5(path: file, offset: offset, length: length)
                let clamp = ProgressClamp(progress)
                let response = try self.checked(self.perform(key: key, progress: clamp, sent: clamp.report) {
                    self.makeRequest(
                        method: "PUT", objectKey: object,
                        query: [("partNumber", String(index + 1)), ("uploadId", uploadID)],
                        headers: [("Content-MD5", md5)], payloadHash: SigV4Signer.unsignedPayload,
                        body: .file(path: file, offset: offset, length: length))
                }, key: nil)
                guard let etag = response.headers["etag"] else {
                    throw .transfer(url: self.url, key: key, detail: "part \(index + 1) was stored without an ETag")
                }
                etags.update { $0[index] = etag }
            }
            var document = "<CompleteMultipartUpload>"
            for (index, etag) in etags.value.enumerated() {
                document += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(S3XML.escape(etag))</ETag></Part>"
            }
            document += "</CompleteMultipartUpload>"
            let body = Array(document.utf8)
            let completed = try checked(perform(key: key) {
                makeRequest(method: "POST", objectKey: object, query: [("uploadId", uploadID)],
                            payloadHash: SigV4Signer.hex(SHA256.hash(data: body)), body: .bytes(body))
            }, key: nil)
            // S3 may answer 200 and still report an error in the body.
            let error = S3ErrorBody(parsing: S3XML(completed.body))
            if error.code != nil { throw failure(HTTPResponse(status: 500, body: completed.body), key: key) }
        } catch {
            _ = try? perform(key: key) {
                makeRequest(method: "DELETE", objectKey: object, query: [("uploadId", uploadID)])
            }
            throw error
        }
    }

    public func download(key: String, into sink: any DownloadSink,
                         progress: @Sendable (Int64) -> Void) throws(RemoteError) {
        try withoutActuallyEscaping(progress) { (progress) throws(RemoteError) in
            let clamp = ProgressClamp(progress)
            let response = try perform(key: key, sink: sink, progress: clamp, stream: { (bytes: UnsafeRawBufferPointer) throws(RemoteError) in
                try sink.write(bytes)
                clamp.report(Int64(bytes.count))
            }) {
                makeRequest(method: "GET", objectKey: objectKey(key))
            }
            _ = try checked(response, key: key)
        }
    }

    public func delete(keys: [String], jobs: Int) throws(RemoteError) {
        let batches = stride(from: 0, to: keys.count, by: Self.deleteBatch).map {
            Array(keys[$0..<min(keys.count, $0 + Self.deleteBatch)])
        }
        try Self.concurrently(batches.count, jobs: jobs) { (index: Int) throws(RemoteError) in
            let batch = batches[index]
            var document = "<Delete><Quiet>true</Quiet>"
            for key in batch { document += "<Object><Key>\(S3XML.escape(self.objectKey(key)))</Key></Object>" }
            document += "</Delete>"
            let body = Array(document.utf8)
            let md5 = Data(Insecure.MD5.hash(data: body)).base64EncodedString()
            let response = try self.checked(self.perform(key: batch.first ?? "") {
                self.makeRequest(method: "POST", objectKey: nil, query: [("delete", "")],
                                 headers: [("Content-MD5", md5), ("Content-Type", "application/xml")],
                                 payloadHash: SigV4Signer.hex(SHA256.hash(data: body)), body: .bytes(body))
            }, key: nil)
            let result = S3DeleteResult(parsing: S3XML(response.body))
            if let failed = result.errors.first(where: { $0.code != "NoSuchKey" }) {
                let detail = "\(failed.code): \(failed.message)"
                if failed.code == "AccessDenied" { throw .accessDenied(url: self.url, detail: detail) }
                throw .transfer(url: self.url, key: failed.key, detail: detail)
            }
        }
    }

    // MARK: Helpers

    /// Base64 of the bytes a hex digest spells (S3's `Content-MD5`), nil if `hex` is not hex.
    static func base64(hex: String) -> String? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0, !digits.isEmpty else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return Data(bytes).base64EncodedString()
    }

    /// The base64 MD5 of `length` bytes of a file from `offset` (a part's Content-MD5), read in 1 MiB chunks.
    private static func sliceMD5(path: String, offset: Int64, length: Int64) throws(RemoteError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .local(path: path, detail: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var md5 = Insecure.MD5()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var done: Int64 = 0
        while done < length {
            let count = pread(descriptor, buffer.baseAddress!, Int(min(Int64(buffer.count), length - done)), off_t(offset + done))
            if count < 0 {
                if errno == EINTR { continue }
                throw .local(path: path, detail: String(cString: strerror(errno)))
            }
            if count == 0 { throw .local(path: path, detail: "the file is shorter than expected (did it change?)") }
            md5.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            done += Int64(count)
        }
        return Data(md5.finalize()).base64EncodedString()
    }

    /// Runs `body(0..<count)` on up to `jobs` threads of its own (requests block on the network, so the work is not
    /// bounded by cores); the first error stops handing out new items and is rethrown.
    static func concurrently(_ count: Int, jobs: Int,
                             _ body: (Int) throws(RemoteError) -> Void) throws(RemoteError) {
        guard count > 0 else { return }
        let workers = max(1, min(jobs, count))
        if workers == 1 {
            for index in 0..<count { try body(index) }
            return
        }
        let state = Locked<(next: Int, error: RemoteError?)>((0, nil))
        withoutActuallyEscaping(body) { body in
            // The threads hold only the box; emptying it after the join releases the closure before
            // withoutActuallyEscaping checks that it did not escape (a finished Thread may still hold its block).
            let box = WorkBox(body)
            defer { box.clear() }
            let group = DispatchGroup()
            for _ in 0..<workers {
                group.enter()
                let thread = Thread {
                    defer { group.leave() }
                    while true {
                        let index: Int? = state.update { value in
                            guard value.error == nil, value.next < count else { return nil }
                            value.next += 1
                            return value.next - 1
                        }
                        guard let index else { return }
                        do throws(RemoteError) {
                            try box.run(index)
                        } catch {
                            state.update { if $0.error == nil { $0.error = error } }
                            return
                        }
                    }
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
            group.wait()
        }
        if let error = state.value.error { throw error }
    }
}

/// Reports progress across retries without counting bytes twice: a new attempt starts from zero and reports only
/// what goes beyond the furthest point an earlier attempt reached.
final class ProgressClamp: @unchecked Sendable {
    private let lock = NSLock()
    private let emit: @Sendable (Int64) -> Void
    private var attempt: Int64 = 0
    private var reported: Int64 = 0

    init(_ emit: @escaping @Sendable (Int64) -> Void) { self.emit = emit }

    /// Counts `delta` more bytes of the current attempt.
    @Sendable func report(_ delta: Int64) {
        lock.lock()
        defer { lock.unlock() }
        attempt += delta
        if attempt > reported {
            emit(attempt - reported)
            reported = attempt
        }
    }

    /// A retry starts: its bytes are counted from zero again.
    func restart() {
        lock.lock()
        attempt = 0
        lock.unlock()
    }
}

/// Hands a non-escaping work closure (made escapable for the duration of a join) to worker threads.
private final class WorkBox: @unchecked Sendable {
    private var body: ((Int) throws(RemoteError) -> Void)?

    init(_ body: @escaping (Int) throws(RemoteError) -> Void) { self.body = body }

    func run(_ index: Int) throws(RemoteError) { try body?(index) }

    func clear() { body = nil }
}
