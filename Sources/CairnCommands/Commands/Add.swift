import ArgumentParser
import CairnEngine

extension Cairn {
    /// `cairn add`: track files and directories by content hash.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Track data files or directories with DVC.")

        @OptionGroup var global: GlobalOptions

        @Flag(name: .customLong("no-commit"), help: "Don't put files/directories into cache.")
        var noCommit = false

        @Option(name: [.customShort("o"), .customLong("out")], help: ArgumentHelp(
            "Destination path to put files to (copies the single target there and tracks the copy).", valueName: "path"))
        var out: String?

        @Argument(help: "Input files/directories to add.")
        var targets: [String]

        func validate() throws {
            if out != nil && targets.count != 1 {
                throw ValidationError("--out requires exactly one target")
            }
        }

        func run() throws {
            let context = try CommandContext(global)
            let outcome = try context.withLockedProject { project in
                try project.add(targets, options: AddOptions(noCommit: noCommit, out: out),
                                relativeTo: context.workingDirectory)
            }
            GitHint.printTrackingHint(for: outcome.filesToStage, staged: outcome.staged)
        }
    }
}

/// DVC's "To track the changes with git, run: …" advice after a command wrote git-tracked files.
enum GitHint {
    /// Prints the advice unless the files were auto-staged or there is nothing to stage.
    static func printTrackingHint(for files: [String], staged: Bool) {
        guard !files.isEmpty, !staged else { return }
        let command = "git add " + files.map(ShellQuote.quote).joined(separator: " ")
        Console.info("\nTo track the changes with git, run:\n\n\t\(command)\n\nTo enable auto staging, run:\n\n\tcairn config core.autostage true")
    }
}

/// Quotes a word for a POSIX shell only when it needs it.
enum ShellQuote {
    /// The word as a shell would need it typed.
    static func quote(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "._-/+@%:=,".unicodeScalars.contains($0)
        }
        if safe && !word.isEmpty { return word }
        return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
