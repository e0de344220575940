import ArgumentParser
import CairnEngine
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

extension Cairn {
    /// `cairn repro`: run the stages whose command, dependencies, params or outputs changed.
    struct Repro: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reproduce complete or partial pipelines by executing their stages.",
            discussion: """
                Stages run one at a time, as in DVC, unless -j allows more: `cairn repro -j 4` runs up to four \
                independent stages at once (`-j 0`: one per core). dvc.lock is written in the same order either way.
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(name: .shortAndLong, help: "Reproduce even if dependencies were not changed.")
        var force = false

        @Flag(name: [.short, .customLong("single-item")], help: "Reproduce only single data item without recursive dependencies check.")
        var singleItem = false

        @Flag(name: .customLong("downstream"), help: "Start from the specified stages when reproducing pipelines.")
        var downstream = false

        @Flag(name: .customLong("dry"), help: "Only print the commands that would be executed without actually executing.")
        var dry = false

        @Flag(name: [.customShort("P"), .customLong("all-pipelines")], help: "Reproduce all pipelines in the repo.")
        var allPipelines = false

        @Option(name: [.short, .customLong("jobs")], help: ArgumentHelp("Run up to N independent stages at once (0: one per core).", valueName: "N"))
        var jobs: Int = 1

        @Flag(name: [.short, .customLong("keep-going")], help: "Continue executing, skipping stages having dependencies on the failed stages.")
        var keepGoing = false

        @Flag(name: .customLong("no-run-cache"), help: "Execute stage commands even if they have already been run with the same command/dependencies/outputs/etc before.")
        var noRunCache = false

        @OptionGroup var gitCommit: GitCommitOptions

        @Argument(help: "Stages to reproduce. 'dvc.yaml' by default.")
        var targets: [String] = []

        func validate() throws {
            if jobs < 0 { throw ValidationError("-j/--jobs must be 0 or more") }
            try gitCommit.validate(flag: "--commit")
            if gitCommit.enabled && dry { throw ValidationError("--commit cannot be combined with --dry") }
        }

        func run() throws {
            let context = try CommandContext(global)
            let options = ReproOptions(
                targets: targets, force: force, singleItem: singleItem, downstream: downstream, dry: dry,
                allPipelines: allPipelines, jobs: jobs == 0 ? ActiveCoreCount.value : jobs, keepGoing: keepGoing,
                noRunCache: noRunCache)
            let session = ReproSession(
                message: { text in if !Console.quiet { Console.standardOutputRaw(text) } },
                output: { text in Console.standardOutputRaw(text) },
                warning: { text in Console.warning(text) })
            let interrupts = InterruptForwarder(session)
            defer { interrupts.restore() }
            let (outcome, committed) = try context.withLockedProject { project in
                let plan = try gitCommit.plan(project, origin: .repro)
                let outcome = try project.repro(options, relativeTo: context.workingDirectory, session: session)
                let committed = try plan.map {
                    try project.commitResults($0, stages: session.reproducedStages, changed: outcome.changedPaths)
                }
                return (outcome, committed)
            }
            if let committed {
                GitCommitOptions.report(committed)
            } else {
                GitHint.printTrackingHint(for: outcome.filesToStage, staged: outcome.staged)
            }
            if session.reproducedSomething { Console.info("Use `cairn push` to send your updates to remote storage.") }
        }
    }
}

/// The number of cores (`-j 0`).
enum ActiveCoreCount {
    static var value: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// Turns Ctrl-C into an orderly stop of the running stages instead of killing cairn mid-write.
final class InterruptForwarder: @unchecked Sendable {
    private let source: DispatchSourceSignal

    init(_ session: ReproSession) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { session.interrupt() }
        source.resume()
    }

    /// Puts the default SIGINT behaviour back.
    func restore() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
