import CairnRemote
import Foundation

/// Progress of a transfer, reported to whoever draws it (the command line draws a bar on a terminal).
public protocol TransferObserver: Sendable {
    /// A transfer of `files` objects totalling `bytes` (0 when unknown) begins; `label` says which ("push", "fetch").
    func transferStarted(label: String, files: Int, bytes: Int64)
    /// Bytes moved since the last call (within a file).
    func transferMoved(bytes: Int64)
    /// One more object done (successfully or not).
    func transferFinishedFile()
    /// The transfer is over.
    func transferEnded()
}

/// Runs transfers on `jobs` threads of their own: requests block on the network, so they must not occupy the few
/// threads of Dispatch's pool. Failures are collected per item; a failure that every other item would meet too
/// (refused credentials, missing bucket, unreachable endpoint, bad configuration) stops handing out work.
enum TransferPool {
    /// Runs `body` on every item; returns the failures in item order.
    static func run<Item: Sendable>(_ items: [Item], jobs: Int,
                                    _ body: @escaping @Sendable (Item) throws(RemoteError) -> Void) -> [(item: Item, error: RemoteError)] {
        if items.isEmpty { return [] }
        let state = PoolState(count: items.count)
        let threads = max(1, min(jobs, items.count))
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            let thread = Thread {
                while let index = state.next() {
                    do throws(RemoteError) {
                        try body(items[index])
                    } catch {
                        state.fail(index, error)
                    }
                }
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        return state.failures.sorted { $0.index < $1.index }.map { (items[$0.index], $0.error) }
    }

    private final class PoolState: @unchecked Sendable {
        private let lock = NSLock()
        private var position = 0
        private let count: Int
        private var stopped = false
        private(set) var failures: [(index: Int, error: RemoteError)] = []

        init(count: Int) { self.count = count }

        func next() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard !stopped, position < count else { return nil }
            position += 1
            return position - 1
        }

        func fail(_ index: Int, _ error: RemoteError) {
            lock.lock()
            defer { lock.unlock() }
            failures.append((index, error))
            if error.stopsEverything { stopped = true }
        }
    }
}

extension RemoteError {
    /// Whether the remote simply lacks the object.
    var isMissingObject: Bool {
        if case .missingObject = self { return true }
        return false
    }

    /// Whether every other request to this remote would fail the same way.
    var stopsEverything: Bool {
        switch self {
        case .unreachable, .accessDenied, .noSuchBucket, .configuration: return true
        case .missingObject, .transfer, .local: return false
        }
    }
}
