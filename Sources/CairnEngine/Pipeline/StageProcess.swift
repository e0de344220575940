import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a stage's commands the way DVC does (FORMATS.md §6.3): each line or list element through
/// `$SHELL -c` (rc files suppressed), in the stage's directory, with `DVC_ROOT` and `DVC_STAGE` set; stops at the
/// first failure. Each command runs in its own process group so an interrupt reaches it and its children.
final class StageProcess: @unchecked Sendable {
    /// How a stage's commands ended.
    enum Outcome: Sendable, Equatable {
        case succeeded
        /// A command exited non-zero (or was killed by a signal: 128 + signal).
        case failed(command: String, status: Int32)
        /// The run was interrupted (SIGINT) before the commands finished.
        case interrupted
    }

    /// Where the child's output goes: straight to ours, or line by line with a prefix (parallel runs).
    enum OutputMode: Sendable {
        case inherit
        case prefixed(String, OutputSink)
    }

    private let lock = NSLock()
    private var processGroup: pid_t?
    private var interrupted = false

    /// Runs `commands` one after another; `announce` is called with each command line before it starts.
    func run(commands: [String], directory: String, environment: [String: String], output: OutputMode,
             announce: (String) -> Void) -> Outcome {
        for command in commands {
            if isInterrupted { return .interrupted }
            announce(command)
            let status = spawnAndWait(command, directory: directory, environment: environment, output: output)
            if isInterrupted { return .interrupted }
            if status != 0 { return .failed(command: command, status: status) }
        }
        return .succeeded
    }

    /// Sends a signal to the running command's process group (and remembers an interrupt).
    func signal(_ number: Int32) {
        lock.lock()
        if number == SIGINT || number == SIGTERM { interrupted = true }
        let group = processGroup
        lock.unlock()
        if let group { kill(-group, number) }
    }

    private var isInterrupted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return interrupted
    }

    /// The shell and its flags: `$SHELL` (or /bin/sh) with its rc files off, as DVC runs commands.
    static func shell(environment: [String: String]) -> [String] {
        let shell = environment["SHELL"].flatMap { $0.isEmpty ? nil : $0 } ?? "/bin/sh"
        switch (shell as NSString).lastPathComponent {
        case "bash": return [shell, "--noprofile", "--norc"]
        case "zsh": return [shell, "--no-rcs"]
        case "fish": return [shell, "--no-config"]
        default: return [shell]
        }
    }

    private func spawnAndWait(_ command: String, directory: String, environment: [String: String],
                              output: OutputMode) -> Int32 {
        let argv = Self.shell(environment: environment) + ["-c", command]
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group (so signals reach the whole command), default signal dispositions.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)

        var pipes: [Int32] = [-1, -1]
        if case .prefixed = output {
            // Close-on-exec: a stage started at the same moment must not inherit this pipe and keep it open.
            _ = pipes.withUnsafeMutableBufferPointer { Self.pipe2($0.baseAddress!, O_CLOEXEC) }
            posix_spawn_file_actions_adddup2(&fileActions, pipes[1], 1)
            posix_spawn_file_actions_adddup2(&fileActions, pipes[1], 2)
            posix_spawn_file_actions_addclose(&fileActions, pipes[0])
            posix_spawn_file_actions_addclose(&fileActions, pipes[1])
        }
        _ = Self.addChdir(&fileActions, directory)

        let environmentList = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status = withCStrings(argv) { argvPointers in
            withCStrings(environmentList) { envPointers in
                posix_spawn(&pid, argv[0], &fileActions, &attributes, argvPointers, envPointers)
            }
        }
        if pipes[1] >= 0 { close(pipes[1]) }
        guard status == 0 else {
            if pipes[0] >= 0 { close(pipes[0]) }
            return 127
        }
        lock.lock()
        processGroup = pid
        let alreadyInterrupted = interrupted
        lock.unlock()
        if alreadyInterrupted { kill(-pid, SIGINT) }

        var readerDone: DispatchSemaphore?
        if case .prefixed(let prefix, let sink) = output {
            let fd = pipes[0]
            let done = DispatchSemaphore(value: 0)
            readerDone = done
            Thread {
                Self.copyLines(from: fd, prefix: prefix, to: sink)
                done.signal()
            }.start()
        }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        lock.lock()
        processGroup = nil
        lock.unlock()
        readerDone?.wait()
        return Self.exitStatus(raw)
    }

    /// glibc's `pipe2`, which Swift's Glibc module does not expose (it is behind `_GNU_SOURCE`).
    private static let pipe2: @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32 = {
        guard let symbol = dlsym(nil, "pipe2") else { fatalError("glibc's pipe2 is missing") }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)
    }()

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which Swift's Glibc module does not expose: the
    /// child starts in the stage's directory without cairn ever changing its own.
    private static let addChdir: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32 = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else {
            fatalError("glibc 2.29 or newer is required (posix_spawn_file_actions_addchdir_np)")
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
    }()

    /// The shell's exit status, or 128 + signal number as shells report a killed command.
    static func exitStatus(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7F
        if signal == 0 { return (raw >> 8) & 0xFF }
        return 128 + signal
    }

    /// Reads the child's combined output and writes it line by line with the stage's prefix.
    private static func copyLines(from fd: Int32, prefix: String, to sink: OutputSink) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: buffer[0..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                sink.write(prefix + String(decoding: pending[...newline], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
        }
        if !pending.isEmpty { sink.write(prefix + String(decoding: pending, as: UTF8.self) + "\n") }
        close(fd)
    }

    private func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> T) -> T {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// Serialises whole lines from several stages onto one output stream.
final class OutputSink: @unchecked Sendable {
    private let lock = NSLock()
    private let write: @Sendable (String) -> Void

    /// A sink writing through `write` (the command layer's stdout).
    init(_ write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    /// Writes text atomically with respect to other stages' lines.
    func write(_ text: String) {
        lock.lock()
        write(text)
        lock.unlock()
    }
}
