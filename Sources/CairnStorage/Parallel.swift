import Dispatch

/// Runs indexed work on several threads: workers pull batches of indices from a shared cursor, each worker has
/// its own state (a buffer, an open directory), and the first failure (lowest index) stops the rest.
enum ParallelLoop {
    /// Indices handed out at a time: up to 16 for many small items (less locking), down to 1 for a few big
    /// ones, so that no worker is left with a long tail.
    static func batchSize(count: Int, threads: Int) -> Int {
        max(1, min(16, count / max(1, threads * 8)))
    }

    static func run<Worker>(count: Int, threads: Int, batch: Int = 1, makeWorker: @escaping @Sendable () -> Worker,
                            _ body: @escaping @Sendable (inout Worker, Range<Int>) throws(StorageError) -> Void) throws(StorageError) {
        if count == 0 { return }
        let batch = max(1, batch)
        let workers = max(1, min(threads, (count + batch - 1) / batch))
        let shared = Cursor(count: count, batch: batch)
        let loop: @Sendable (Int) -> Void = { _ in
            var worker = makeWorker()
            while let range = shared.next() {
                do throws(StorageError) {
                    try body(&worker, range)
                } catch {
                    shared.fail(error, at: range.lowerBound)
                }
            }
        }
        if workers == 1 {
            loop(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers, execute: loop)
        }
        if let failure = shared.failure { throw failure }
    }

    private final class Cursor: @unchecked Sendable {
        private let lock = PosixMutex()
        private var position = 0
        private let count: Int
        private let batch: Int
        private var firstFailure: (index: Int, error: StorageError)?

        init(count: Int, batch: Int) {
            self.count = count
            self.batch = batch
        }

        func next() -> Range<Int>? {
            lock.withLock {
                guard firstFailure == nil, position < count else { return nil }
                let start = position
                position = min(count, position + batch)
                return start..<position
            }
        }

        func fail(_ error: StorageError, at index: Int) {
            lock.withLock {
                if firstFailure == nil || index < firstFailure!.index { firstFailure = (index, error) }
            }
        }

        var failure: StorageError? { lock.withLock { firstFailure?.error } }
    }
}

/// Fixed-size result storage written by parallel workers, each index by exactly one worker (so no lock).
final class ResultSlots<Value>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    subscript(index: Int) -> Value? {
        get { slots[index] }
        set { slots[index] = newValue }
    }

    /// All values, in index order; nil slots are skipped. Moves the values out (no copies, no reference
    /// counting per value), so call it once, after the workers are done.
    func compacted() -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(slots.count)
        for index in slots.indices {
            let slot = slots.baseAddress! + index
            if let value = slot.move() { values.append(value) }
            slot.initialize(to: nil)
        }
        return values
    }
}
