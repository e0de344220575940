import CairnTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The proxy is checked against a tiny echo server on its own threads (not moto), over loopback sockets.

@Suite struct FaultProxyTests {
    @Test func passesTenMegabytesThroughIntact() throws {
        let server = try EchoServer()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: server.port)
        defer { proxy.stop() }
        let payload = pattern(10 * 1024 * 1024)
        let client = try TestSocket(port: proxy.port)
        let writer = Thread {
            _ = client.sendAll(payload)
            client.shutdownWrite()
        }
        writer.start()
        let (echoed, ending) = client.readToEnd()
        #expect(ending == .endOfStream)
        #expect(echoed.count == payload.count)
        #expect(echoed == payload)
        client.close()
        #expect(proxy.waitForCounters { $0.open == 0 && $0.bytesServerToClient == payload.count })
        let counters = proxy.counters
        #expect(counters.accepted == 1, "\(counters)")
        #expect(counters.cut == 0, "\(counters)")
        #expect(counters.bytesClientToServer == payload.count, "\(counters)")
        #expect(counters.bytesServerToClient == payload.count, "\(counters)")
        #expect(server.received == [payload.count])
    }

    @Test func cutsClientToServerAfterExactlyNBytesThenPassesAgain() throws {
        let server = try EchoServer()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: server.port)
        defer { proxy.stop() }
        proxy.plan = .cutAfter(bytes: 1000, connections: 1)

        let client = try TestSocket(port: proxy.port)
        _ = client.sendAll(pattern(200_000))  // may fail part-way once the reset arrives
        let (echoed, ending) = client.readToEnd()
        client.close()
        #expect(ending == .endOfStream || ending == .reset, "\(ending)")
        #expect(echoed.count <= 1000)
        #expect(server.waitForReceived(count: 1))
        #expect(server.received == [1000])
        #expect(proxy.waitForCounters { $0.open == 0 })
        var counters = proxy.counters
        #expect(counters.cut == 1, "\(counters)")
        #expect(counters.bytesClientToServer == 1000, "\(counters)")
        #expect(proxy.plan == .passThrough)

        let again = try TestSocket(port: proxy.port)
        let small = pattern(5000)
        #expect(again.sendAll(small))
        again.shutdownWrite()
        let (back, end2) = again.readToEnd()
        again.close()
        #expect(end2 == .endOfStream)
        #expect(back == small)
        counters = proxy.counters
        #expect(counters.accepted == 2 && counters.cut == 1, "\(counters)")
    }

    @Test func cutsServerToClientAfterExactlyNBytes() throws {
        let server = try EchoServer()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: server.port, plan: .cutAfter(bytes: 4096, connections: 1, direction: .serverToClient))
        defer { proxy.stop() }
        let client = try TestSocket(port: proxy.port)
        let payload = pattern(64 * 1024)
        _ = client.sendAll(payload)
        let (echoed, ending) = client.readToEnd()
        client.close()
        #expect(ending == .endOfStream || ending == .reset, "\(ending)")
        #expect(echoed.count <= 4096)
        #expect(echoed == Array(payload.prefix(echoed.count)))
        #expect(proxy.waitForCounters { $0.open == 0 })
        let counters = proxy.counters
        #expect(counters.cut == 1, "\(counters)")
        #expect(counters.bytesServerToClient == 4096, "\(counters)")
    }

    @Test func cutsEveryConnectionUntilThePlanChanges() throws {
        let server = try EchoServer()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: server.port, plan: .cutEveryConnection(afterBytes: 100))
        defer { proxy.stop() }
        for _ in 0..<3 {
            let client = try TestSocket(port: proxy.port)
            _ = client.sendAll(pattern(10_000))
            let (echoed, ending) = client.readToEnd()
            client.close()
            #expect(ending != .timedOut)
            #expect(echoed.count <= 100)
        }
        #expect(proxy.waitForCounters { $0.cut == 3 && $0.open == 0 }, "\(proxy.counters)")
        #expect(server.waitForReceived(count: 3))
        #expect(server.received == [100, 100, 100])

        proxy.plan = .passThrough
        let client = try TestSocket(port: proxy.port)
        #expect(client.sendAll(pattern(10_000)))
        client.shutdownWrite()
        let (echoed, ending) = client.readToEnd()
        client.close()
        #expect(ending == .endOfStream)
        #expect(echoed.count == 10_000)
        #expect(proxy.counters.cut == 3)
    }

    @Test func refuseClosesAtOnceWithoutReachingTheServer() throws {
        let server = try EchoServer()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: server.port, plan: .refuse)
        defer { proxy.stop() }
        let client = try TestSocket(port: proxy.port)
        let started = Date()
        let (bytes, ending) = client.readToEnd()
        client.close()
        #expect(bytes.isEmpty)
        #expect(ending == .endOfStream || ending == .reset, "\(ending)")
        #expect(Date().timeIntervalSince(started) < 1)
        let counters = proxy.counters
        #expect(counters.accepted == 1 && counters.refused == 1, "\(counters)")
        #expect(server.accepted == 0)
    }

    @Test func unreachableUpstreamResetsTheClient() throws {
        let deadPort = try unusedPort()
        let proxy = try FaultProxy(upstreamPort: deadPort)
        defer { proxy.stop() }
        let client = try TestSocket(port: proxy.port)
        let (bytes, ending) = client.readToEnd()
        client.close()
        #expect(bytes.isEmpty)
        #expect(ending == .endOfStream || ending == .reset, "\(ending)")
        #expect(proxy.counters.upstreamFailures == 1)
    }

    @Test func stopClosesEverythingPromptly() throws {
        let server = try EchoServer()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: server.port)
        var clients: [TestSocket] = []
        for index in 0..<4 {
            let client = try TestSocket(port: proxy.port)
            // One round trip proves the connection goes through to the server and stays open, idle.
            #expect(client.sendAll([UInt8(index)]))
            #expect(client.read(1) == [UInt8(index)])
            clients.append(client)
        }
        #expect(proxy.counters.open == 4)
        let started = Date()
        proxy.stop()
        #expect(Date().timeIntervalSince(started) < 1)
        #expect(proxy.counters.open == 0)
        for client in clients {
            let (bytes, ending) = client.readToEnd()
            #expect(bytes.isEmpty)
            #expect(ending == .endOfStream || ending == .reset, "\(ending)")
            client.close()
        }
        #expect(throws: TestSocket.Failure.self) { try TestSocket(port: proxy.port) }
        proxy.stop()  // a second stop is harmless
    }

    @Test func droppingTheProxyStopsIt() throws {
        let server = try EchoServer()
        defer { server.stop() }
        var proxy: FaultProxy? = try FaultProxy(upstreamPort: server.port)
        let port = proxy!.port
        let client = try TestSocket(port: port)
        #expect(client.sendAll([7]))
        #expect(client.read(1) == [7])
        proxy = nil
        let (_, ending) = client.readToEnd()
        client.close()
        #expect(ending == .endOfStream || ending == .reset, "\(ending)")
        #expect(throws: TestSocket.Failure.self) { try TestSocket(port: port) }
    }
}

// MARK: - Helpers

/// Bytes that differ from offset to offset, so a reordering or a dropped chunk would show.
private func pattern(_ count: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    var state: UInt32 = 0x1234_5678
    for index in 0..<count {
        state = state &* 1_664_525 &+ 1_013_904_223
        bytes[index] = UInt8(truncatingIfNeeded: state >> 24)
    }
    return bytes
}

#if os(Linux)
    private let streamType = Int32(SOCK_STREAM.rawValue)
    private let noSignal = Int32(MSG_NOSIGNAL)
#else
    private let streamType = SOCK_STREAM
    private let noSignal: Int32 = 0
#endif

private func loopback(_ port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
    return address
}

private func withSockaddr<T>(_ address: sockaddr_in, _ body: (UnsafePointer<sockaddr>) -> T) -> T {
    var address = address
    return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body) }
}

private func boundPort(_ fd: Int32) -> Int {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A loopback port nothing listens on (bound, then released).
private func unusedPort() throws -> Int {
    let fd = socket(AF_INET, streamType, 0)
    defer { close(fd) }
    let bound = withSockaddr(loopback(0)) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    try #require(bound == 0)
    return boundPort(fd)
}

/// A blocking client socket whose reads and writes give up after 5 s, so a broken proxy fails the test, not hangs it.
private final class TestSocket: @unchecked Sendable {
    struct Failure: Error { var code: Int32 }
    enum Ending: Equatable { case endOfStream, reset, timedOut, other(Int32) }

    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, streamType, 0)
        guard fd >= 0 else { throw Failure(code: errno) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withSockaddr(loopback(port)) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Failure(code: code)
        }
    }

    /// False when the connection broke (or timed out) before everything was sent.
    func sendAll(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = send(fd, raw.baseAddress! + offset, raw.count - offset, noSignal)
                if sent <= 0 {
                    if sent < 0 && errno == EINTR { continue }
                    return false
                }
                offset += sent
            }
            return true
        }
    }

    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Up to `count` bytes from one read.
    func read(_ count: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let got = recv(fd, &buffer, count, 0)
        return got > 0 ? Array(buffer.prefix(got)) : []
    }

    /// Everything until the stream ends, and how it ended.
    func readToEnd() -> ([UInt8], Ending) {
        var collected: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let got = recv(fd, &buffer, buffer.count, 0)
            if got > 0 {
                collected.append(contentsOf: buffer.prefix(got))
                continue
            }
            if got == 0 { return (collected, .endOfStream) }
            switch errno {
            case EINTR: continue
            case ECONNRESET: return (collected, .reset)
            case EAGAIN, EWOULDBLOCK: return (collected, .timedOut)
            case let code: return (collected, .other(code))
            }
        }
    }

    func close() { Glibc.close(fd) }
}

/// Echoes every connection's bytes back, half-closes on end of stream, and records how many bytes each
/// connection delivered (in the order the connections ended).
private final class EchoServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var receivedCounts: [Int] = []
    private var acceptedCount = 0
    private var open: Set<Int32> = []
    private var stopped = false
    private let group = DispatchGroup()

    init() throws {
        let fd = socket(AF_INET, streamType, 0)
        let bound = withSockaddr(loopback(0)) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        guard bound == 0, listen(fd, 64) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TestSocket.Failure(code: code)
        }
        listener = fd
        port = boundPort(fd)
        group.enter()
        Thread { [self] in
            acceptLoop()
            group.leave()
        }.start()
    }

    var received: [Int] { lock.withLock { receivedCounts } }
    var accepted: Int { lock.withLock { acceptedCount } }

    func waitForReceived(count: Int) -> Bool {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if received.count >= count { return true }
            usleep(2_000)
        }
        return false
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return  // shutdown() of the listener by stop()
            }
            let keep: Bool = lock.withLock {
                if stopped { return false }
                acceptedCount += 1
                open.insert(client)
                return true
            }
            guard keep else {
                Glibc.close(client)
                return
            }
            group.enter()
            Thread { [self] in
                echo(client)
                group.leave()
            }.start()
        }
    }

    private func echo(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var total = 0
        loop: while true {
            let got = recv(fd, &buffer, buffer.count, 0)
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            total += got
            var offset = 0
            while offset < got {
                let sent = buffer.withUnsafeBytes { send(fd, $0.baseAddress! + offset, got - offset, noSignal) }
                if sent <= 0 { break loop }
                offset += sent
            }
        }
        shutdown(fd, Int32(SHUT_WR))
        lock.withLock {
            receivedCounts.append(total)
            open.remove(fd)
        }
        Glibc.close(fd)
    }

    func stop() {
        // shutdown() wakes the threads blocked in accept() and recv(); each thread closes its own socket, after
        // leaving `open` under the lock, so no socket number here can have been reused.
        lock.withLock {
            stopped = true
            for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
        }
        shutdown(listener, Int32(SHUT_RDWR))
        group.wait()
        Glibc.close(listener)
    }
}
