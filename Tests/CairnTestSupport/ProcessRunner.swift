import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a finished child process did: its exit status (or the signal that ended it) and everything it wrote.
public struct ProcessResult: Sendable, CustomStringConvertible {
    /// The executable and its arguments.
    public var command: [String]
    /// The exit status; `128 + signal` when a signal ended the process, as a shell reports it.
    public var status: Int32
    /// The signal that ended the process, nil when it exited.
    public var signal: Int32?
    /// True when the runner killed the process because it outlived its timeout.
    public var timedOut: Bool
    /// Bytes written to standard output.
    public var stdoutBytes: [UInt8]
    /// Bytes written to standard error.
    public var stderrBytes: [UInt8]

    /// Standard output as UTF-8 text.
    public var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    /// Standard error as UTF-8 text.
    public var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }
    /// Standard output and standard error, one after the other (for "mentions X somewhere" checks).
    public var output: String { stdout + stderr }
    /// True for exit status 0.
    public var succeeded: Bool { status == 0 && signal == nil && !timedOut }

    /// The command, how it ended and what it printed: the text a failed expectation should show.
    public var description: String {
        var text = "$ " + command.map(ProcessRunner.shellQuoted).joined(separator: " ") + "\n"
        if timedOut { text += "TIMED OUT, killed\n" }
        text += signal.map { "killed by signal \($0)\n" } ?? "exit status \(status)\n"
        text += "--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)--- end ---"
        return text
    }
}

/// A failure of the test machinery itself (not of the program under test), with what to do about it.
public struct TestSupportError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and what to do next.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

/// A child process started in the background (for kill, signal and lock tests). It is killed and reaped when
/// the value is released, so a failing test never leaves it behind. Use it from one task at a time.
public final class RunningProcess: @unchecked Sendable {
    /// The child's process id (also its process group id).
    public let pid: pid_t
    /// The executable and its arguments.
    public let command: [String]
    private let stdoutFD: Int32
    private let stderrFD: Int32
    private var finished: ProcessResult?

    init(pid: pid_t, command: [String], stdoutFD: Int32, stderrFD: Int32) {
        self.pid = pid
        self.command = command
        self.stdoutFD = stdoutFD
        self.stderrFD = stderrFD
    }

    deinit {
        if finished == nil {
            Glibc.kill(-pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            close(stdoutFD)
            close(stderrFD)
        }
    }

    /// Sends `signal` to the child (only the child, not its own children).
    public func send(_ signal: Int32) {
        if finished == nil { Glibc.kill(pid, signal) }
    }

    /// Sends `signal` to the child's whole process group (the child and whatever it started).
    public func sendToGroup(_ signal: Int32) {
        if finished == nil { Glibc.kill(-pid, signal) }
    }

    /// True while the child has not exited (reaps it when it has).
    public var isRunning: Bool {
        if finished != nil { return false }
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid {
            finished = collect(status: status, timedOut: false)
            return false
        }
        return reaped == 0
    }

    /// Waits for the child to end; after `timeout` seconds it (and its process group) is killed and the result
    /// says `timedOut`.
    @discardableResult
    public func wait(timeout: Double = 120) -> ProcessResult {
        if let finished { return finished }
        let deadline = Date().addingTimeInterval(timeout)
        var pause: useconds_t = 500
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR {
                status = 255 << 8
                break
            }
            if Date() >= deadline {
                Glibc.kill(-pid, SIGKILL)
                Glibc.kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                let result = collect(status: status, timedOut: true)
                finished = result
                return result
            }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
        let result = collect(status: status, timedOut: false)
        finished = result
        return result
    }

    private func collect(status: Int32, timedOut: Bool) -> ProcessResult {
        let out = ProcessRunner.readAll(stdoutFD)
        let err = ProcessRunner.readAll(stderrFD)
        close(stdoutFD)
        close(stderrFD)
        // WIFSIGNALED / WEXITSTATUS are macros Swift cannot import.
        let signal = status & 0x7f
        if signal != 0 && signal != 0x7f {
            return ProcessResult(
                command: command, status: 128 + signal, signal: signal, timedOut: timedOut, stdoutBytes: out,
                stderrBytes: err)
        }
        return ProcessResult(
            command: command, status: (status >> 8) & 0xff, signal: nil, timedOut: timedOut, stdoutBytes: out,
            stderrBytes: err)
    }
}

/// Runs child processes with an explicit environment and working directory, never touching the test process's
/// own (tests run in parallel: no chdir, no setenv). Output goes to unlinked temp files, so a chatty child can
/// never block on a full pipe.
public enum ProcessRunner {
    /// Runs `executable` (an absolute path, or a name looked up in `environment["PATH"]`) to completion.
    public static func run(
        _ executable: String, _ arguments: [String], cwd: String, environment: [String: String],
        stdin: [UInt8]? = nil, timeout: Double = 120
    ) throws -> ProcessResult {
        try start(executable, arguments, cwd: cwd, environment: environment, stdin: stdin).wait(timeout: timeout)
    }

    /// Starts `executable` in the background in a process group of its own, with default signal handling.
    public static func start(
        _ executable: String, _ arguments: [String], cwd: String, environment: [String: String],
        stdin: [UInt8]? = nil
    ) throws -> RunningProcess {
        let path = try resolve(executable, path: environment["PATH"])
        let inputFD: Int32
        if let stdin {
            inputFD = try temporaryFile()
            try writeAll(inputFD, stdin)
            lseek(inputFD, 0, SEEK_SET)
        } else {
            inputFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
            guard inputFD >= 0 else { throw TestSupportError("cannot open /dev/null: errno \(errno)") }
        }
        defer { close(inputFD) }
        let outFD = try temporaryFile()
        let errFD: Int32
        do { errFD = try temporaryFile() } catch {
            close(outFD)
            throw error
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputFD, 0)
        posix_spawn_file_actions_adddup2(&actions, outFD, 1)
        posix_spawn_file_actions_adddup2(&actions, errFD, 2)
        guard let addChdir = addChdir else {
            close(outFD)
            close(errFD)
            throw TestSupportError("posix_spawn_file_actions_addchdir_np is missing (glibc ≥ 2.29 needed)")
        }
        _ = cwd.withCString { addChdir(&actions, $0) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group (kill tests signal it as a whole); default dispositions and an empty mask, since the
        // test runner may ignore or block signals such as SIGPIPE that children must see normally.
        var defaults = sigset_t()
        sigfillset(&defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = [path] + arguments
        let envp = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let code = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in
                posix_spawn(&pid, path, &actions, &attributes, cArgv, cEnvp)
            }
        }
        guard code == 0 else {
            close(outFD)
            close(errFD)
            throw TestSupportError("cannot start \(path) in \(cwd): \(String(cString: strerror(code)))")
        }
        return RunningProcess(pid: pid, command: argv, stdoutFD: outFD, stderrFD: errFD)
    }

    /// The absolute path of `name`: itself when it contains a `/`, else the first match on `path`.
    public static func resolve(_ name: String, path: String?) throws -> String {
        if name.contains("/") { return name }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw TestSupportError("'\(name)' is not on PATH (\(path ?? "unset")); install it")
    }

    /// A word as a shell would need it typed (for readable failure messages).
    public static func shellQuoted(_ word: String) -> String {
        let safe = !word.isEmpty && word.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "._-/+=:,@%".unicodeScalars.contains($0)
        }
        return safe ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    // glibc declares it only under _GNU_SOURCE, which Swift's Glibc module does not set.
    private typealias AddChdir = @convention(c) (
        UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
    ) -> Int32
    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")
        else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    /// An anonymous read-write temp file (already unlinked), close-on-exec.
    private static func temporaryFile() throws -> Int32 {
        var template = Array("/tmp/cairn-proc-XXXXXX".utf8CString)
        // mkostemp is GNU-only in Swift's Glibc; a child spawned in between may inherit the fd, which is harmless.
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw TestSupportError("cannot create a temp file in /tmp: errno \(errno)") }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        unlink(template)
        return fd
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw TestSupportError("cannot write a temp file: errno \(errno)")
            }
            offset += written
        }
    }

    static func readAll(_ fd: Int32) -> [UInt8] {
        lseek(fd, 0, SEEK_SET)
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            result.append(contentsOf: buffer[0..<count])
        }
        return result
    }

    private static func withCStrings<R>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R
    ) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
