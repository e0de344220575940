import CCurlShim
import Foundation

/// The body of an HTTP request.
public enum HTTPBody: Sendable {
    /// No body.
    case none
    /// Bytes in memory (XML documents, multipart parts).
    case bytes([UInt8])
    /// `length` bytes of a local file from `offset`, streamed by the transport.
    case file(path: String, offset: Int64, length: Int64)

    /// Number of bytes the body sends.
    public var length: Int64 {
        switch self {
        case .none: return 0
        case .bytes(let bytes): return Int64(bytes.count)
        case .file(_, _, let length): return length
        }
    }
}

/// One HTTP request, fully formed (URL already encoded, headers already signed).
public struct HTTPRequest: Sendable {
    /// `GET`, `PUT`, `HEAD`, `POST`, `DELETE`.
    public var method: String
    /// Absolute URL, percent-encoded.
    public var url: String
    /// Headers to send (the transport adds `Host` and `Content-Length`).
    public var headers: [(String, String)]
    /// The body.
    public var body: HTTPBody

    /// A request from its parts.
    public init(method: String, url: String, headers: [(String, String)] = [], body: HTTPBody = .none) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// The status, headers and (unless streamed) body of an HTTP response.
public struct HTTPResponse: Sendable {
    /// HTTP status code.
    public var status: Int
    /// Headers with lower-cased names.
    public var headers: [String: String]
    /// The body, when it was not streamed to the caller's closure.
    public var body: [UInt8]
    /// Bytes that went to the streaming closure.
    public var streamedBytes: Int64

    /// A response from its parts.
    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = [], streamedBytes: Int64 = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.streamedBytes = streamedBytes
    }
}

/// Why an HTTP exchange did not complete.
public enum HTTPTransportError: Error, Sendable, Equatable {
    /// No connection could be made (refused, unknown host, no network).
    case connection(String)
    /// The server did not answer in time.
    case timeout(String)
    /// The connection broke mid-exchange (reset, truncated body).
    case cutOff(String)
    /// The streaming closure threw: the transfer was cancelled.
    case sink(RemoteError)
    /// A local file of the request body could not be read.
    case localFile(path: String, detail: String)
    /// Any other failure (TLS, protocol).
    case other(String)
}

/// Sends HTTP requests synchronously; S3 logic talks to this protocol so tests can fake the network.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and blocks until it completes. On a 2xx answer the body goes to `stream` (when given) in
    /// order; otherwise it is collected in the response. `sent` receives upload byte-count deltas.
    func send(_ request: HTTPRequest, stream: ((UnsafeRawBufferPointer) throws(RemoteError) -> Void)?,
              sent: (@Sendable (Int64) -> Void)?) throws(HTTPTransportError) -> HTTPResponse
}

/// `HTTPTransport` over libcurl's easy interface (dlopen'ed through CCurlShim): each call blocks its thread in
/// `curl_easy_perform` on a handle of its own, taken from a pool so connections are reused across calls. No event
/// loop, no thread hand-offs: a request costs little more than its system calls, which is what keeps a push of
/// 100,000 small objects cheap in CPU. Uploads are read from the file with `pread` as libcurl sends them.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    private let connectTimeout: Double
    private let stallTimeout: Double
    private let verifyTLS: Bool
    private let lock = NSLock()
    private var idle: [UnsafeMutableRawPointer] = []

    /// Loads libcurl. `stallTimeout` gives up on a transfer when no byte moved for that long; `verifyTLS` false
    /// skips certificate checks (the remote's `ssl_verify = false`). Throws `.configuration` when libcurl is missing.
    public init(connectTimeout: Double = 30, stallTimeout: Double = 60, verifyTLS: Bool = true) throws(RemoteError) {
        var message = [CChar](repeating: 0, count: 512)
        guard cairn_curl_load(&message, message.count) == 1 else {
            let detail = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw .configuration("S3 remotes need libcurl: apt-get install libcurl4 (\(detail))")
        }
        self.connectTimeout = connectTimeout
        self.stallTimeout = stallTimeout
        self.verifyTLS = verifyTLS
    }

    deinit {
        for handle in idle { cairn_http_handle_free(handle) }
    }

    private func takeHandle() throws(HTTPTransportError) -> UnsafeMutableRawPointer {
        lock.lock()
        let reused = idle.popLast()
        lock.unlock()
        if let reused { return reused }
        guard let handle = cairn_http_handle_new() else { throw .other("libcurl could not create a handle") }
        return handle
    }

    private func returnHandle(_ handle: UnsafeMutableRawPointer) {
        lock.lock()
        idle.append(handle)
        lock.unlock()
    }

    public func send(_ request: HTTPRequest, stream: ((UnsafeRawBufferPointer) throws(RemoteError) -> Void)?,
                     sent: (@Sendable (Int64) -> Void)?) throws(HTTPTransportError) -> HTTPResponse {
        var descriptor: Int32 = -1
        if case .file(let path, _, _) = request.body {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw .localFile(path: path, detail: String(cString: strerror(errno))) }
        }
        defer { if descriptor >= 0 { close(descriptor) } }
        let handle = try takeHandle()
        defer { returnHandle(handle) }
        let exchange = Exchange(stream: stream, sent: sent)
        let lines = request.headers.map { "\($0.0): \($0.1)" }
        var status = 0
        var message = [CChar](repeating: 0, count: 512)
        let code: Int32 = withCStrings(lines) { headerPointers in
            request.url.withCString { url in
                request.method.withCString { method in
                    withBodyBytes(request.body) { bytes in
                        var raw = cairn_http_request()
                        raw.method = method
                        raw.url = url
                        raw.headers = headerPointers.baseAddress
                        raw.header_count = Int32(lines.count)
                        raw.body_bytes = bytes
                        raw.body_fd = descriptor
                        switch request.body {
                        case .file(_, let offset, let length):
                            raw.body_offset = offset
                            raw.body_length = length
                        default:
                            raw.body_length = request.body.length
                        }
                        raw.connect_timeout_ms = Int(connectTimeout * 1000)
                        raw.stall_timeout_s = Int(stallTimeout.rounded(.up))
                        raw.verify_tls = verifyTLS ? 1 : 0
                        let context = Unmanaged.passUnretained(exchange).toOpaque()
                        var callbacks = cairn_http_callbacks(
                            context: context,
                            on_header: { context, line, length in
                                Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
                                    .header(UnsafeRawBufferPointer(start: line, count: length))
                            },
                            on_body: { context, data, length in
                                Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
                                    .body(UnsafeRawBufferPointer(start: data, count: length))
                            },
                            on_sent: { context, total in
                                Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue().sentTotal(total)
                            })
                        var httpStatus = 0
                        let result = cairn_http_perform(handle, &raw, &callbacks, &httpStatus, &message, message.count)
                        status = httpStatus
                        return result
                    }
                }
            }
        }
        withExtendedLifetime(exchange) {}
        let detail = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        if let sinkError = exchange.sinkError { throw .sink(sinkError) }
        switch code {
        case 0: break
        case -1:
            if case .file(let path, _, _) = request.body { throw .localFile(path: path, detail: detail) }
            throw .other(detail)
        case 5, 6, 7: throw .connection(detail)  // proxy or host unresolved, connection refused
        case 28: throw .timeout(detail)
        case 18, 52, 55, 56: throw .cutOff(detail)  // partial body, nothing, send or receive failure
        default: throw .other(detail)
        }
        return HTTPResponse(status: status, headers: exchange.headers, body: exchange.collected,
                            streamedBytes: exchange.streamed)
    }
}

/// One exchange's receiving side: headers, then the body streamed (2xx) or collected (anything else).
private final class Exchange {
    private let stream: ((UnsafeRawBufferPointer) throws(RemoteError) -> Void)?
    private let sent: (@Sendable (Int64) -> Void)?
    private(set) var headers: [String: String] = [:]
    private(set) var collected: [UInt8] = []
    private(set) var streamed: Int64 = 0
    private(set) var sinkError: RemoteError?
    private var status = 0
    private var lastSent: Int64 = 0

    init(stream: ((UnsafeRawBufferPointer) throws(RemoteError) -> Void)?, sent: (@Sendable (Int64) -> Void)?) {
        self.stream = stream
        self.sent = sent
    }

    func header(_ raw: UnsafeRawBufferPointer) -> Int32 {
        // Trim CR LF as bytes: as a String, "\r\n" is one Character that neither "\r" nor "\n" matches.
        var end = raw.count
        while end > 0 && (raw[end - 1] == 0x0A || raw[end - 1] == 0x0D) { end -= 1 }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new response (after a redirect or an interim 1xx): start over.
            headers = [:]
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = value
        }
        return 0
    }

    func body(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard let stream, (200..<300).contains(status) else {
            collected.append(contentsOf: bytes)
            return 0
        }
        do {
            try stream(bytes)
            streamed += Int64(bytes.count)
            return 0
        } catch {
            sinkError = error
            return 1
        }
    }

    func sentTotal(_ total: Int64) {
        let delta = total - lastSent
        if delta > 0 {
            lastSent = total
            sent?(delta)
        }
    }
}

/// Calls `body` with NUL-terminated copies of `strings` (pointers valid only inside).
private func withCStrings<Result>(_ strings: [String], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> Result) -> Result {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer<CChar>($0) }
    return pointers.withUnsafeBufferPointer(body)
}

/// Calls `body` with the address of an in-memory body (nil for none or a file).
private func withBodyBytes<Result>(_ body: HTTPBody, _ work: (UnsafeRawPointer?) -> Result) -> Result {
    if case .bytes(let bytes) = body { return bytes.withUnsafeBytes { work($0.baseAddress) } }
    return work(nil)
}
