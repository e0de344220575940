import CCurlShim
import Dispatch
import Foundation
#if canImport(FoundationNetworking)
internal import FoundationNetworking
#endif

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

/// `HTTPTransport` over one shared URLSession; each call blocks its thread while the session's delegate queue moves
/// the bytes, so the engine's blocking workers can call it concurrently.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    private let session: URLSession
    private let delegate: SessionDelegate

    /// Loads libcurl (see CCurlShim) and creates the session. Throws `.configuration` when libcurl is missing.
    public init(maximumConnections: Int, requestTimeout: Double, resourceTimeout: Double?) throws(RemoteError) {
        var message = [CChar](repeating: 0, count: 512)
        guard cairn_curl_load(&message, message.count) == 1 else {
            let detail = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw .configuration("S3 remotes need libcurl: apt-get install libcurl4 (\(detail))")
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = max(1, maximumConnections)
        configuration.timeoutIntervalForRequest = requestTimeout
        if let resourceTimeout { configuration.timeoutIntervalForResource = resourceTimeout }
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        delegate = SessionDelegate()
        let queue = OperationQueue()
        // One serial queue keeps each task's chunks in order; it only hands chunks over, the callers do the work.
        queue.maxConcurrentOperationCount = 1
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
    }

    deinit { session.invalidateAndCancel() }

    public func send(_ request: HTTPRequest, stream: ((UnsafeRawBufferPointer) throws(RemoteError) -> Void)?,
                     sent: (@Sendable (Int64) -> Void)?) throws(HTTPTransportError) -> HTTPResponse {
        guard let url = URL(string: request.url) else { throw .other("invalid URL \(request.url)") }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        let state = TaskState(streaming: stream != nil, sent: sent)
        let task: URLSessionTask
        switch request.body {
        case .none:
            task = session.dataTask(with: urlRequest)
        case .bytes(let bytes):
            urlRequest.setValue(String(bytes.count), forHTTPHeaderField: "Content-Length")
            task = session.uploadTask(with: urlRequest, from: Data(bytes))
        case .file(let path, let offset, let length):
            urlRequest.setValue(String(length), forHTTPHeaderField: "Content-Length")
            if offset == 0, let size = Self.fileSize(path), size == length {
                // A mapped file, not `uploadTask(fromFile:)`: Foundation's file body source pauses and resumes the
                // transfer as it reads, and resuming a transfer whose connection was cut traps in Foundation
                // (libcurl answers the unpause with an error that Foundation `try!`s). Mapped pages are read on
                // demand, so memory does not grow with the file either.
                let mapped: Data
                do {
                    mapped = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
                } catch {
                    throw .localFile(path: path, detail: "cannot be read: \(error.localizedDescription)")
                }
                task = session.uploadTask(with: urlRequest, from: mapped)
            } else {
                task = session.uploadTask(with: urlRequest, from: try Self.read(path: path, offset: offset, length: length))
            }
        }
        delegate.register(task.taskIdentifier, state)
        defer { delegate.unregister(task.taskIdentifier) }
        task.resume()
        return try state.drain(stream: stream, task: task)
    }

    private static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }

    private static func read(path: String, offset: Int64, length: Int64) throws(HTTPTransportError) -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .localFile(path: path, detail: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var data = Data(count: Int(length))
        let failure: String? = data.withUnsafeMutableBytes { buffer -> String? in
            var done = 0
            while done < Int(length) {
                let count = pread(descriptor, buffer.baseAddress! + done, Int(length) - done, off_t(offset) + off_t(done))
                if count < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                if count == 0 { return "file is shorter than expected" }
                done += count
            }
            return nil
        }
        if let failure { throw .localFile(path: path, detail: failure) }
        return data
    }
}

/// What one task's caller waits on: the response head, body chunks in order, completion.
private final class TaskState: @unchecked Sendable {
    private let condition = NSCondition()
    private var response: HTTPURLResponse?
    private var chunks: [Data] = []
    private var finished = false
    private var error: Error?
    private var cancelledBySink = false
    private var lastSent: Int64 = 0
    let streaming: Bool
    /// Cleared (under the lock) when the caller returns: the closure may be a non-escaping one made escapable.
    private var sent: (@Sendable (Int64) -> Void)?

    init(streaming: Bool, sent: (@Sendable (Int64) -> Void)?) {
        self.streaming = streaming
        self.sent = sent
    }

    func received(response: URLResponse) {
        condition.lock()
        self.response = response as? HTTPURLResponse
        condition.unlock()
    }

    func received(data: Data) {
        condition.lock()
        if !cancelledBySink { chunks.append(data) }
        condition.signal()
        condition.unlock()
    }

    func sentBytes(total: Int64) {
        condition.lock()
        defer { condition.unlock() }
        let delta = total - lastSent
        lastSent = total
        if delta > 0 { sent?(delta) }
    }

    func completed(error: Error?) {
        condition.lock()
        self.error = error
        finished = true
        condition.signal()
        condition.unlock()
    }

    /// Runs on the caller's thread: feeds chunks to the stream (2xx) or collects them, until the task ends.
    func drain(stream: ((UnsafeRawBufferPointer) throws(RemoteError) -> Void)?, task: URLSessionTask)
        throws(HTTPTransportError) -> HTTPResponse
    {
        var body: [UInt8] = []
        var streamed: Int64 = 0
        var sinkError: RemoteError?
        while true {
            condition.lock()
            while chunks.isEmpty && !finished { condition.wait() }
            let pending = chunks
            chunks.removeAll(keepingCapacity: true)
            let done = finished && pending.isEmpty
            let head = response
            condition.unlock()
            if done { break }
            let toStream = stream != nil && sinkError == nil && (head.map { (200..<300).contains($0.statusCode) } ?? false)
            for chunk in pending {
                if toStream, let stream {
                    let failure: RemoteError? = chunk.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> RemoteError? in
                        do throws(RemoteError) {
                            try stream(buffer)
                            return nil
                        } catch {
                            return error
                        }
                    }
                    if failure == nil {
                        streamed += Int64(chunk.count)
                    } else {
                        sinkError = failure
                        condition.lock()
                        cancelledBySink = true
                        chunks.removeAll()
                        condition.unlock()
                        task.cancel()
                        break
                    }
                } else if sinkError == nil {
                    body.append(contentsOf: chunk)
                }
            }
        }
        condition.lock()
        sent = nil
        let failure = error
        let head = response
        condition.unlock()
        if let sinkError { throw .sink(sinkError) }
        if let failure { throw Self.classify(failure) }
        guard let head else { throw .other("no HTTP response") }
        var headers: [String: String] = [:]
        for (name, value) in head.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        if let expected = headers["content-length"].flatMap(Int64.init), task.originalRequest?.httpMethod != "HEAD",
           expected != streamed + Int64(body.count) {
            throw .cutOff("received \(streamed + Int64(body.count)) of \(expected) bytes")
        }
        return HTTPResponse(status: head.statusCode, headers: headers, body: body, streamedBytes: streamed)
    }

    private static func classify(_ error: Error) -> HTTPTransportError {
        let nsError = error as NSError
        let detail = (nsError.userInfo[NSLocalizedDescriptionKey] as? String) ?? nsError.localizedDescription
        guard nsError.domain == NSURLErrorDomain else { return .other(detail) }
        switch nsError.code {
        case NSURLErrorCannotConnectToHost, NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed,
            NSURLErrorNotConnectedToInternet:
            return .connection(detail)
        case NSURLErrorTimedOut:
            return .timeout(detail)
        case NSURLErrorNetworkConnectionLost, NSURLErrorBadServerResponse, NSURLErrorZeroByteResource:
            return .cutOff(detail)
        default:
            return .other(detail)
        }
    }
}

/// The session's delegate: routes callbacks to each task's `TaskState`.
private final class SessionDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var states: [Int: TaskState] = [:]

    func register(_ id: Int, _ state: TaskState) {
        lock.lock()
        states[id] = state
        lock.unlock()
    }

    func unregister(_ id: Int) {
        lock.lock()
        states[id] = nil
        lock.unlock()
    }

    private func state(_ id: Int) -> TaskState? {
        lock.lock()
        defer { lock.unlock() }
        return states[id]
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        state(dataTask.taskIdentifier)?.received(response: response)
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        state(dataTask.taskIdentifier)?.received(data: data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didSendBodyData bytesSent: Int64,
                    totalBytesSent: Int64, totalBytesExpectedToSend: Int64) {
        state(task.taskIdentifier)?.sentBytes(total: totalBytesSent)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        state(task.taskIdentifier)?.completed(error: error)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        // A redirect would drop the signature (and S3's 301 means a wrong region): surface it instead.
        completionHandler(nil)
    }
}
