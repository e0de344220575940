import ArgumentParser
import CairnEngine
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Parses the command line, runs the command and exits with DVC's exit codes:
/// 0 success, 1 a check answered "no", 254 usage error, 255 any other error.
public enum CairnMain {
    /// Runs cairn with the process arguments and exits.
    public static func run() -> Never {
        let arguments = GlobalOptions.hoistingLeadingGlobals(Array(CommandLine.arguments.dropFirst()))
        let command: ParsableCommand
        do {
            command = try Cairn.parseAsRoot(arguments)
        } catch {
            if Cairn.exitCode(for: error) == .success {
                Console.standardOutput(Cairn.fullMessage(for: error))
                exit(0)
            }
            Console.standardError(Cairn.fullMessage(for: error))
            exit(ExitStatus.usage)
        }
        exit(execute(command))
    }

    /// Runs a parsed command and maps its outcome to an exit status.
    static func execute(_ command: ParsableCommand) -> Int32 {
        var command = command
        let started = DispatchTime.now()
        defer {
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
            Console.debug("cairn \(CairnVersion.number): finished in \(Int(milliseconds.rounded())) ms")
        }
        do {
            try command.run()
            return ExitStatus.success
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch let error as EngineError {
            Console.standardError("ERROR: \(error.description)")
            return error.kind == .usage ? ExitStatus.usage : ExitStatus.failure
        } catch {
            if Cairn.exitCode(for: error) == .success {
                Console.standardOutput(Cairn.fullMessage(for: error))
                return ExitStatus.success
            }
            if error is CleanExit || error is ValidationError {
                Console.standardError("ERROR: " + Cairn.message(for: error))
                return ExitStatus.usage
            }
            Console.standardError("ERROR: \(String(describing: error))")
            return ExitStatus.failure
        }
    }
}

/// cairn's exit statuses, as DVC's.
enum ExitStatus {
    static let success: Int32 = 0
    /// A check answered "no" (`status -q`, `cache verify`).
    static let checkFailed: Int32 = 1
    static let usage: Int32 = 254
    static let failure: Int32 = 255
}
