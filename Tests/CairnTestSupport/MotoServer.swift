import CairnRemote
import Foundation

/// A local moto S3 server (from the test venv) on a free port, stopped when released or on `stop()`.
/// With `iam: true` moto enforces IAM from the first request, so unknown credentials get 403.
public final class MotoServer: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`, for a remote's `endpointurl`.
    public let endpoint: String
    /// The listening port.
    public let port: Int
    private let process: Process
    private let lock = NSLock()
    private var stopped = false

    /// Credentials moto accepts when IAM is off (any will do; these make the requests signed like real ones).
    public static let options: [String: String] = ["access_key_id": "testing", "secret_access_key": "testing-secret"]

    /// Starts moto_server and waits (up to 20 s) until it answers HTTP.
    public init(iam: Bool = false) throws {
        let executable = try Self.executable()
        port = try Self.freePort()
        endpoint = "http://127.0.0.1:\(port)"
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        var environment = ProcessInfo.processInfo.environment
        if iam { environment["INITIAL_NO_AUTH_ACTION_COUNT"] = "0" }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while !Self.answers(port: port) {
            guard process.isRunning else {
                throw TestSupportError("moto_server exited at start (status \(process.terminationStatus))")
            }
            guard Date() < deadline else {
                stop()
                throw TestSupportError("moto_server did not answer on port \(port) within 20 s")
            }
            usleep(50_000)
        }
    }

    deinit { stop() }

    /// Terminates the server and waits for it.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        if process.isRunning {
            // SIGKILL, not terminate(): the child inherits the test thread's blocked signal mask, so SIGTERM would
            // stay pending forever; moto keeps nothing worth a clean shutdown.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// The remote options for a store on this server (endpoint and test credentials), plus `extra`.
    public func options(_ extra: [String: String] = [:]) -> [String: String] {
        Self.options.merging(["endpointurl": endpoint]) { $1 }.merging(extra) { $1 }
    }

    /// Creates `bucket` (a signed PUT on the bucket, through cairn's own S3 code).
    public func createBucket(_ bucket: String) throws {
        let transport = try CurlTransport(connectTimeout: 10, stallTimeout: 10)
        let store = try S3Store(url: "s3://\(bucket)", options: options(), environment: [:], homeDirectory: "/nonexistent",
                                transport: transport)
        let response = try transport.send(store.makeRequest(method: "PUT", objectKey: nil), stream: nil, sent: nil)
        guard (200..<300).contains(response.status) else {
            throw TestSupportError("creating bucket \(bucket) on moto failed: HTTP \(response.status) "
                + String(decoding: response.body, as: UTF8.self))
        }
    }

    /// `moto_server` of the venv: beside `$CAIRN_DVC`, else `<package root>/.venv/bin/`.
    static func executable() throws -> String {
        var candidates: [String] = []
        if let dvc = ProcessInfo.processInfo.environment["CAIRN_DVC"], !dvc.isEmpty {
            candidates.append((dvc as NSString).deletingLastPathComponent + "/moto_server")
        }
        candidates.append(Fixtures.packageRoot.path + "/.venv/bin/moto_server")
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        throw TestSupportError(
            "moto_server was not found (looked at: \(candidates.joined(separator: ", "))): run `make venv`, which "
                + "installs moto[server] into .venv")
    }

    /// A port the kernel just handed out for a throwaway socket.
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError("socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw TestSupportError("could not bind a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func answers(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
