import Dispatch
import Foundation

/// Runs the stages of a plan on up to `jobs` threads: a stage starts once every upstream stage of the plan has
/// finished successfully. After a failure no new stage starts (running ones finish) unless `keepGoing`, which
/// still runs every stage whose upstream stages all succeeded. An interrupt stops starting stages at once.
/// `work` is called on a worker thread with the plan index and must be safe to run concurrently.
final class StageScheduler: @unchecked Sendable {
    /// What became of one stage.
    enum Result: Sendable, Equatable {
        case succeeded
        case failed
        /// Not started: an upstream stage failed, an earlier failure stopped the run, or it was interrupted.
        case skipped
    }

    private let upstream: [[Int]]
    private let jobs: Int
    private let keepGoing: Bool
    private let condition = NSCondition()
    private var results: [Result?]
    private var running = 0
    private var stopping = false

    /// `upstream[i]` lists the plan indexes stage `i` waits for (all earlier in the plan).
    init(upstream: [[Int]], jobs: Int, keepGoing: Bool) {
        self.upstream = upstream
        self.jobs = max(1, jobs)
        self.keepGoing = keepGoing
        results = Array(repeating: nil, count: upstream.count)
    }

    /// Stops starting new stages (Ctrl-C); stages already running are left to the caller to stop.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Runs everything; returns each stage's result in plan order.
    func run(_ work: @escaping @Sendable (Int) -> Bool) -> [Result] {
        condition.lock()
        while true {
            // Mark what can no longer run, then start what can (in plan order, so a serial run keeps DVC's order).
            var progress = true
            while progress {
                progress = false
                for index in results.indices where results[index] == nil {
                    let upstreamResults = upstream[index].map { results[$0] }
                    if upstreamResults.contains(where: { $0 == .failed || $0 == .skipped }) || (stopping && !isStarted(index)) {
                        results[index] = .skipped
                        progress = true
                    }
                }
            }
            if results.allSatisfy({ $0 != nil }) && running == 0 { break }
            if !stopping, running < jobs,
               let next = results.indices.first(where: { index in
                   results[index] == nil && !isStarted(index)
                       && upstream[index].allSatisfy { results[$0] == .succeeded }
               }) {
                started.insert(next)
                running += 1
                Thread { [self] in
                    let succeeded = work(next)
                    condition.lock()
                    results[next] = succeeded ? .succeeded : .failed
                    running -= 1
                    if !succeeded && !keepGoing { stopping = true }
                    condition.broadcast()
                    condition.unlock()
                }.start()
                continue
            }
            if running == 0 && results.contains(where: { $0 == nil }) && !stopping {
                // Nothing running and nothing startable: every remaining stage waits on a skipped one.
                for index in results.indices where results[index] == nil { results[index] = .skipped }
                continue
            }
            condition.wait()
        }
        condition.unlock()
        return results.map { $0 ?? .skipped }
    }

    private var started = Set<Int>()

    private func isStarted(_ index: Int) -> Bool { started.contains(index) }
}
