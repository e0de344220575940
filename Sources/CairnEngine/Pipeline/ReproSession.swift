import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The channel between a running `repro` and the command line: where messages and stage output go, and how a
/// Ctrl-C reaches the running stages (SIGINT to their commands, then SIGTERM to what is still running).
public final class ReproSession: @unchecked Sendable {
    private let messageSink: @Sendable (String) -> Void
    private let outputSink: @Sendable (String) -> Void
    private let warningSink: @Sendable (String) -> Void
    private let lock = NSLock()
    private var processes: [ObjectIdentifier: StageProcess] = [:]
    private var interruptCount = 0
    private var onInterrupt: [@Sendable () -> Void] = []

    /// Seconds between the SIGINT a Ctrl-C forwards and the SIGTERM that follows for commands still running.
    static let terminateAfter = 3.0

    /// A session writing cairn's messages, warnings (without their `WARNING: ` prefix) and the stages' output
    /// through the given closures.
    public init(message: @escaping @Sendable (String) -> Void, output: @escaping @Sendable (String) -> Void,
                warning: (@Sendable (String) -> Void)? = nil) {
        messageSink = message
        outputSink = output
        warningSink = warning ?? { text in message("WARNING: " + text + "\n") }
    }

    /// Whether the run changed (or, with `--dry`, would change) anything: the caller then suggests a push.
    public internal(set) var reproducedSomething: Bool {
        get { lock.lock(); defer { lock.unlock() }; return reproduced }
        set { lock.lock(); reproduced = newValue; lock.unlock() }
    }

    private var reproduced = false
    private var reproducedAddresses: [String] = []

    /// The stages (and changed `.dvc` data sources) that ran or were restored, in the order they started.
    public var reproducedStages: [String] {
        lock.lock()
        defer { lock.unlock() }
        return reproducedAddresses
    }

    /// Records that a stage ran or was restored from a cache.
    func noteReproduced(_ address: String) {
        lock.lock()
        reproducedAddresses.append(address)
        lock.unlock()
    }

    /// A line of cairn's own text (a newline is added).
    func message(_ line: String) { messageSink(line + "\n") }

    /// A warning line.
    func warning(_ line: String) { warningSink(line) }

    /// A sink for stage output that keeps lines whole when several stages run at once.
    lazy var output = OutputSink(outputSink)

    /// Whether Ctrl-C was pressed.
    var isInterrupted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return interruptCount > 0
    }

    /// Ctrl-C: forward SIGINT to every running command, stop starting stages, and SIGTERM what still runs a
    /// little later; a second Ctrl-C sends SIGTERM at once.
    public func interrupt() {
        lock.lock()
        interruptCount += 1
        let count = interruptCount
        let running = Array(processes.values)
        let callbacks = onInterrupt
        lock.unlock()
        for callback in callbacks { callback() }
        for process in running { process.signal(count == 1 ? SIGINT : SIGTERM) }
        if count == 1 {
            DispatchQueue.global().asyncAfter(deadline: .now() + Self.terminateAfter) { [self] in
                lock.lock()
                let still = Array(processes.values)
                lock.unlock()
                for process in still { process.signal(SIGTERM) }
            }
        }
    }

    /// Calls `callback` on the first Ctrl-C (the scheduler stops starting stages).
    func whenInterrupted(_ callback: @escaping @Sendable () -> Void) {
        lock.lock()
        onInterrupt.append(callback)
        let already = interruptCount > 0
        lock.unlock()
        if already { callback() }
    }

    /// Registers a running stage process so an interrupt reaches it.
    func register(_ process: StageProcess) {
        lock.lock()
        processes[ObjectIdentifier(process)] = process
        let interrupted = interruptCount > 0
        lock.unlock()
        if interrupted { process.signal(SIGINT) }
    }

    /// Forgets a finished stage process.
    func unregister(_ process: StageProcess) {
        lock.lock()
        processes[ObjectIdentifier(process)] = nil
        lock.unlock()
    }
}
