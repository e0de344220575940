import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP proxy on 127.0.0.1 in front of one upstream port that breaks connections on demand (remote tests).
///
/// Every accepted connection gets its own upstream connection and one thread per direction. The plan is read
/// when a connection is accepted, so changing it affects the connections that come next, not the open ones.
/// A cut sends RST (SO_LINGER 0) to both sides after exactly the planned number of bytes went through; bytes are
/// counted from the start of each connection, so with HTTP keep-alive they span all the requests it carried.
public final class FaultProxy: @unchecked Sendable {
    /// Which way bytes flow through a proxied connection.
    public enum Direction: Sendable, Equatable {
        /// From the client that connected to the proxy towards the upstream server (uploads, requests).
        case clientToServer
        /// From the upstream server back to the client (downloads, responses).
        case serverToClient
    }

    /// What the proxy does to the connections it accepts from now on.
    public enum Plan: Sendable, Equatable {
        /// Forward everything untouched.
        case passThrough
        /// For the next `connections` connections, reset both sides once `bytes` bytes went `direction`;
        /// afterwards the plan goes back to `.passThrough` by itself.
        case cutAfter(bytes: Int, connections: Int, direction: Direction = .clientToServer)
        /// Reset every connection once `afterBytes` bytes went `direction`, until the plan is changed.
        case cutEveryConnection(afterBytes: Int, direction: Direction = .clientToServer)
        /// Accept each connection and close it at once, without contacting the upstream server.
        case refuse
    }

    /// What the proxy has done since it started.
    public struct Counters: Sendable, Equatable, CustomStringConvertible {
        /// Connections accepted from clients (refused ones included).
        public var accepted = 0
        /// Connections closed at once under `.refuse`.
        public var refused = 0
        /// Connections reset by a cut plan.
        public var cut = 0
        /// Connections dropped because the upstream server could not be reached.
        public var upstreamFailures = 0
        /// Proxied connections still open.
        public var open = 0
        /// Bytes forwarded from clients to the upstream server.
        public var bytesClientToServer = 0
        /// Bytes forwarded from the upstream server to clients.
        public var bytesServerToClient = 0

        /// One line for test failure messages.
        public var description: String {
            "accepted \(accepted), refused \(refused), cut \(cut), upstream failures \(upstreamFailures), "
                + "open \(open), bytes c->s \(bytesClientToServer), s->c \(bytesServerToClient)"
        }
    }

    /// A socket call that failed while the proxy was being set up.
    public struct SetupError: Error, CustomStringConvertible {
        /// The call that failed.
        public var call: String
        /// Its errno.
        public var code: Int32
        /// The call and the system's explanation.
        public var description: String { "FaultProxy: \(call) failed: \(String(cString: strerror(code)))" }
    }

    /// The port the proxy listens on (127.0.0.1).
    public let port: Int
    /// The upstream port every connection is forwarded to.
    public let upstreamPort: Int
    private let core: Core

    /// Starts listening on a free port of 127.0.0.1 and forwarding to `upstreamHost:upstreamPort`.
    public init(upstreamPort: Int, upstreamHost: String = "127.0.0.1", plan: Plan = .passThrough) throws {
        var upstream = sockaddr_in()
        upstream.sin_family = sa_family_t(AF_INET)
        upstream.sin_port = in_port_t(UInt16(upstreamPort).bigEndian)
        guard inet_pton(AF_INET, upstreamHost, &upstream.sin_addr) == 1 else {
            throw SetupError(call: "inet_pton(\(upstreamHost))", code: EINVAL)
        }
        let listener = try Socket.listenOnLoopback()
        let port: Int
        do {
            port = try Socket.localPort(listener)
        } catch {
            close(listener)
            throw error
        }
        self.port = port
        self.upstreamPort = upstreamPort
        core = try Core(listener: listener, upstream: upstream, plan: plan)
    }

    deinit { core.stop() }

    /// The fault plan for connections accepted from now on (thread-safe).
    public var plan: Plan {
        get { core.withLock { core.plan } }
        set { core.withLock { core.plan = newValue } }
    }

    /// A snapshot of the counters (thread-safe).
    public var counters: Counters { core.withLock { core.counters } }

    /// Waits (polling every few milliseconds) until `condition` holds for the counters; false on timeout.
    @discardableResult
    public func waitForCounters(timeout: TimeInterval = 5, _ condition: (Counters) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if condition(counters) { return true }
            if Date() >= deadline { return false }
            usleep(2_000)
        }
    }

    /// Stops listening, resets every open connection and joins all threads; calling it again does nothing.
    public func stop() { core.stop() }
}

// MARK: - Engine

/// The state the threads share; separate from `FaultProxy` so that dropping the proxy runs its deinit.
private final class Core: @unchecked Sendable {
    private let lock = NSLock()
    private let listener: Int32
    private let upstream: sockaddr_in
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let threads = DispatchGroup()
    // Guarded by `lock`.
    var plan: FaultProxy.Plan
    var counters = FaultProxy.Counters()
    private var connections: [ObjectIdentifier: Connection] = [:]
    private var stopped = false
    private var closedSockets = false

    init(listener: Int32, upstream: sockaddr_in, plan: FaultProxy.Plan) throws {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            let code = errno
            close(listener)
            throw FaultProxy.SetupError(call: "pipe", code: code)
        }
        self.listener = listener
        self.upstream = upstream
        self.plan = plan
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
        spawn { [self] in acceptLoop() }
    }

    func withLock<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    /// Starts a thread that the group (and so `stop()`) waits for.
    private func spawn(_ body: @escaping @Sendable () -> Void) {
        threads.enter()
        let group = threads
        let thread = Thread {
            body()
            group.leave()
        }
        thread.stackSize = 256 * 1024
        thread.start()
    }

    func stop() {
        let (first, open): (Bool, [Connection]) = withLock {
            if stopped { return (false, []) }
            stopped = true
            return (true, Array(connections.values))
        }
        if first {
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
            for connection in open { connection.abort(cut: false) }
        }
        // A second, concurrent caller also returns only once everything is closed.
        threads.wait()
        withLock {
            guard !closedSockets else { return }
            closedSockets = true
            close(listener)
            close(wakeRead)
            close(wakeWrite)
        }
    }

    private func acceptLoop() {
        while true {
            var fds = [
                pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 || withLock({ stopped }) { return }
            guard fds[0].revents != 0 else { continue }
            let client = accept(listener, nil, nil)
            if client < 0 { continue }
            handle(client)
        }
    }

    /// Applies the plan to a fresh client connection.
    private func handle(_ client: Int32) {
        enum Decision { case refuse, forward(Connection.Limit?) }
        let decision: Decision = withLock {
            counters.accepted += 1
            switch plan {
            case .passThrough:
                return .forward(nil)
            case .refuse:
                counters.refused += 1
                return .refuse
            case let .cutAfter(bytes, connections, direction):
                plan = connections > 1 ? .cutAfter(bytes: bytes, connections: connections - 1, direction: direction)
                    : .passThrough
                return connections > 0 ? .forward(.init(direction: direction, bytes: bytes)) : .forward(nil)
            case let .cutEveryConnection(bytes, direction):
                return .forward(.init(direction: direction, bytes: bytes))
            }
        }
        guard case let .forward(limit) = decision else {
            close(client)
            return
        }
        guard let server = Socket.connect(to: upstream) else {
            withLock { counters.upstreamFailures += 1 }
            Socket.resetOnClose(client)
            close(client)
            return
        }
        for fd in [client, server] { Socket.configureForPumping(fd) }
        let connection = Connection(client: client, server: server, limit: limit)
        let registered: Bool = withLock {
            if stopped { return false }
            connections[ObjectIdentifier(connection)] = connection
            counters.open += 1
            return true
        }
        guard registered else {
            for fd in [client, server] {
                Socket.resetOnClose(fd)
                close(fd)
            }
            return
        }
        spawn { [self] in pump(connection, .clientToServer) }
        spawn { [self] in pump(connection, .serverToClient) }
    }

    /// Copies one direction of a connection until EOF, an error, a cut or `stop()`.
    private func pump(_ connection: Connection, _ direction: FaultProxy.Direction) {
        let (source, destination) = direction == .clientToServer
            ? (connection.client, connection.server) : (connection.server, connection.client)
        let bufferSize = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 16)
        defer {
            buffer.deallocate()
            finish(connection)
        }
        while true {
            let count = read(source, buffer, bufferSize)
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    if connection.isAborted { return }
                    continue
                }
                connection.abort(cut: false)  // the peer reset: pass the reset on
                return
            }
            if count == 0 {
                // A real end of stream is passed on as a half-close; a woken reader of an aborted connection is not.
                if !connection.isAborted { shutdown(destination, Int32(SHUT_WR)) }
                return
            }
            let (allowed, cutNow) = connection.reserve(count, direction: direction)
            if allowed > 0 {
                guard Socket.writeAll(destination, buffer, allowed, until: { connection.isAborted }) else {
                    connection.abort(cut: false)
                    return
                }
                withLock {
                    if direction == .clientToServer {
                        counters.bytesClientToServer += allowed
                    } else {
                        counters.bytesServerToClient += allowed
                    }
                }
            }
            if cutNow {
                if connection.abort(cut: true) { withLock { counters.cut += 1 } }
                return
            }
            if connection.isAborted { return }
        }
    }

    /// The second pump to end closes both sockets (with RST when the connection was aborted).
    private func finish(_ connection: Connection) {
        guard connection.pumpEnded() else { return }
        withLock {
            connections[ObjectIdentifier(connection)] = nil
            counters.open -= 1
        }
    }
}

/// One proxied connection: a client socket, its upstream socket and the cut it is subject to.
private final class Connection: @unchecked Sendable {
    /// Reset the connection once `bytes` bytes went `direction`.
    struct Limit {
        var direction: FaultProxy.Direction
        var bytes: Int
    }

    let client: Int32
    let server: Int32
    let limit: Limit?
    private let lock = NSLock()
    // Guarded by `lock`.
    private var forwarded = 0
    private var aborted = false
    private var closed = false
    private var pumpsLeft = 2

    init(client: Int32, server: Int32, limit: Limit?) {
        self.client = client
        self.server = server
        self.limit = limit
    }

    var isAborted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return aborted
    }

    /// How many of `count` freshly read bytes may be forwarded, and whether the cut happens after them.
    func reserve(_ count: Int, direction: FaultProxy.Direction) -> (allowed: Int, cut: Bool) {
        guard let limit, limit.direction == direction else { return (count, false) }
        lock.lock()
        defer { lock.unlock() }
        let remaining = max(0, limit.bytes - forwarded)
        if count < remaining {
            forwarded += count
            return (count, false)
        }
        forwarded += remaining
        return (remaining, true)
    }

    /// Arms RST on both sockets and wakes both pumps; true for the call that aborted it first.
    @discardableResult
    func abort(cut: Bool) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        // The sockets are touched under the lock so that they cannot have been closed (and their numbers reused).
        guard !aborted, !closed else { return false }
        aborted = true
        for fd in [client, server] {
            Socket.resetOnClose(fd)
            // SHUT_RD wakes a blocked read() without sending anything; blocked writes time out (SO_SNDTIMEO).
            shutdown(fd, Int32(SHUT_RD))
        }
        return true
    }

    /// Counts a pump out; the last one closes both sockets and returns true.
    func pumpEnded() -> Bool {
        lock.lock()
        pumpsLeft -= 1
        let last = pumpsLeft == 0
        if last { closed = true }
        lock.unlock()
        if last {
            close(client)
            close(server)
        }
        return last
    }
}

/// Thin wrappers over the socket calls the proxy needs.
private enum Socket {
    #if os(Linux)
        static let stream = Int32(SOCK_STREAM.rawValue)
        static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
        static let stream = SOCK_STREAM
        static let sendFlags: Int32 = 0
    #endif

    static func listenOnLoopback() throws -> Int32 {
        let fd = socket(AF_INET, stream, 0)
        guard fd >= 0 else { throw FaultProxy.SetupError(call: "socket", code: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            let code = errno
            close(fd)
            throw FaultProxy.SetupError(call: "bind/listen on 127.0.0.1:0", code: code)
        }
        return fd
    }

    static func localPort(_ fd: Int32) throws -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw FaultProxy.SetupError(call: "getsockname", code: errno) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A connected socket, or nil when the upstream server refused or is not there.
    static func connect(to address: sockaddr_in) -> Int32? {
        let fd = socket(AF_INET, stream, 0)
        guard fd >= 0 else { return nil }
        var address = address
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                #if os(Linux)
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #else
                    Darwin.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #endif
            }
        }
        guard result == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    static func configureForPumping(_ fd: Int32) {
        var one: Int32 = 1
        // Small HTTP requests must not wait for Nagle's algorithm against the peer's delayed ACKs.
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        #if !os(Linux)
            setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        // A write blocked on a peer that stopped reading returns now and then, so an abort can end the pump.
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// SO_LINGER 0: the close() that follows sends RST instead of FIN.
    static func resetOnClose(_ fd: Int32) {
        var linger = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
    }

    /// Writes all bytes; false on an error, or when `stop` turns true while the peer is not reading.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int, until stop: () -> Bool) -> Bool {
        var offset = 0
        while offset < count {
            let written = send(fd, bytes + offset, count - offset, sendFlags)
            if written > 0 {
                offset += written
                continue
            }
            let code = errno
            if written < 0 && (code == EAGAIN || code == EWOULDBLOCK || code == EINTR) {
                if stop() { return false }
                continue
            }
            return false
        }
        return true
    }
}
