import ArgumentParser
import CairnEngine

/// The options `push`, `pull` and `fetch` share, with DVC's names.
struct TransferArguments: ParsableArguments {
    @Option(name: [.customShort("r"), .customLong("remote")], help: "Remote storage to transfer to/from.")
    var remote: String?

    @Option(name: [.customShort("j"), .customLong("jobs")],
            help: "Number of jobs to run simultaneously. The default value is 4 * cpu_count().")
    var jobs: Int?

    @Flag(name: [.customShort("a"), .customLong("all-branches")], help: "Include data of the tips of all git branches.")
    var allBranches = false

    @Flag(name: [.customShort("T"), .customLong("all-tags")], help: "Include data of all git tags.")
    var allTags = false

    @Flag(name: [.customShort("A"), .customLong("all-commits")], help: "Include data of all git commits.")
    var allCommits = false

    @Flag(name: .customLong("run-cache"), inversion: .prefixedNo, help: "Transfer the run history (run-cache) too.")
    var runCache = false

    @Argument(help: "Limit command scope to these tracked files/directories, .dvc files and stage names.")
    var targets: [String] = []

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("-j/--jobs must be at least 1") }
    }

    /// The engine's options.
    func options(verify: Bool = false) -> TransferOptions {
        TransferOptions(remote: remote, jobs: jobs,
                        scope: RemoteScope(targets: targets, allBranches: allBranches, allTags: allTags, allCommits: allCommits),
                        runCache: runCache, verify: verify)
    }
}

/// DVC's warning for objects that neither the cache nor the remote has.
func warnMissing(_ missing: [String]) {
    guard !missing.isEmpty else { return }
    Console.warning("Some of the cache files do not exist neither locally nor on remote. Missing cache files:\n"
        + missing.map { "md5: \($0)" }.joined(separator: "\n"))
}

/// "1 file" / "3 files".
func files(_ count: Int) -> String { count == 1 ? "1 file" : "\(count) files" }

extension Cairn {
    /// `cairn push`: upload tracked data to a remote.
    struct Push: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Upload tracked files or directories to remote storage.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var transfer: TransferArguments

        @Flag(name: .customLong("verify"),
              help: "Ask the remote about every object instead of trusting the local record of what it holds.")
        var verify = false

        func run() throws {
            let context = try CommandContext(global)
            let outcome = try context.withLockedProject { project in
                try project.push(transfer.options(verify: verify), cwd: context.workingDirectory, observer: ProgressBar.forTerminal())
            }
            warnMissing(outcome.missing)
            Console.info(outcome.pushed == 0 ? "Everything is up to date." : "\(files(outcome.pushed)) pushed")
        }
    }

    /// `cairn fetch`: download tracked data from a remote into the cache.
    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Download files or directories from remote storage to the cache.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var transfer: TransferArguments

        func run() throws {
            let context = try CommandContext(global)
            let outcome = try context.withLockedProject { project in
                try project.fetch(transfer.options(), cwd: context.workingDirectory, observer: ProgressBar.forTerminal())
            }
            warnMissing(outcome.missing)
            Console.info(outcome.fetched == 0 ? "Everything is up to date." : "\(files(outcome.fetched)) fetched")
        }
    }

    /// `cairn pull`: fetch, then checkout.
    struct Pull: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Download tracked files or directories from remote storage.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var transfer: TransferArguments

        @Flag(name: .shortAndLong, help: "Do not prompt when removing working directory files.")
        var force = false

        @Flag(name: .customLong("allow-missing"), help: "Ignore errors if some of the files or directories are missing.")
        var allowMissing = false

        func run() throws {
            let context = try CommandContext(global)
            let (fetched, checkedOut) = try context.withLockedProject { project in
                try project.pull(transfer.options(), checkout: CheckoutOptions(force: force), cwd: context.workingDirectory,
                                 observer: ProgressBar.forTerminal())
            }
            for change in checkedOut.changes { Console.info("\(change.kind.letter)       \(change.path)") }
            warnMissing(fetched.missing)
            // DVC's summary: fetched, added, modified, deleted — whichever happened.
            let parts = [(fetched.fetched, "fetched"), (checkedOut.filesAdded, "added"),
                         (checkedOut.filesModified, "modified"), (checkedOut.filesDeleted, "deleted")]
                .filter { $0.0 > 0 }.map { "\(files($0.0)) \($0.1)" }
            if parts.isEmpty {
                Console.info("Everything is up to date.")
            } else {
                Console.info(parts.count == 1 ? parts[0] : parts.dropLast().joined(separator: ", ") + " and " + parts.last!)
            }
            if !checkedOut.failed.isEmpty && !allowMissing {
                throw EngineError(
                    "failed to pull data from the cloud - Checkout failed for following targets:\n"
                        + checkedOut.failed.joined(separator: "\n"),
                    hint: "Is your cache up to date? The remote lacks these objects too (see the warning above).")
            }
        }
    }
}
