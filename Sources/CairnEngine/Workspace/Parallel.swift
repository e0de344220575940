import Dispatch
import Foundation

/// The number of cores to spread CPU-bound work over.
enum ActiveCores {
    static var count: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}

/// Results of a parallel loop, one slot per index; the first error stops handing out work.
final class ConcurrentResults<Value>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()
    private var nextIndex = 0
    private var firstError: Error?

    /// Prepares `count` empty slots.
    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    /// Runs `body` for every index on `workers` threads; indexes are handed out one at a time so
    /// uneven work (big and small files) balances. Rethrows the first error.
    func fill(workers: Int, _ body: (Int) throws -> Value) throws {
        let count = slots.count
        guard count > 0 else { return }
        let threads = max(1, min(workers, count))
        withoutActuallyEscaping(body) { body in
            let box = UnsafeSendableBox(body)
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while let index = self.claim() {
                    do {
                        let value = try box.value(index)
                        self.lock.lock()
                        self.slots[index] = value
                        self.lock.unlock()
                    } catch {
                        self.lock.lock()
                        if self.firstError == nil { self.firstError = error }
                        self.lock.unlock()
                    }
                }
            }
        }
        if let firstError { throw firstError }
    }

    /// The filled values, in index order (call after `fill` succeeded).
    var values: [Value] { slots.map { $0! } }

    private func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard firstError == nil, nextIndex < slots.count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }
}

/// Carries a non-Sendable closure into `concurrentPerform`; the closures passed here only touch
/// thread-safe state (storage calls and their own locals).
struct UnsafeSendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

import CairnStorage

extension TemporaryName {
    /// Whether a file name is one of cairn's temp files (`.cairn-….tmp`), which a killed run may leave behind.
    static func isCairnTemporary(_ name: String) -> Bool {
        name.hasPrefix(".cairn-") && name.hasSuffix(".tmp")
    }
}
