import ArgumentParser
import CairnEngine

extension Cairn {
    /// `cairn checkout`: make the workspace match the `.dvc` files, from the cache.
    struct Checkout: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Checkout data files from cache.")

        @OptionGroup var global: GlobalOptions

        @Flag(name: .shortAndLong, help: "Do not prompt when removing working directory files.")
        var force = false

        @Flag(name: .customLong("relink"), help: "Recreate links or copies from cache to workspace.")
        var relink = false

        @Flag(name: .customLong("summary"), help: "Show summary of the changes.")
        var summary = false

        @Flag(name: .customLong("allow-missing"), help: "Ignore errors if some of the files or directories are missing.")
        var allowMissing = false

        @Argument(help: "Limit command scope to these tracked files/directories or .dvc files.")
        var targets: [String] = []

        func run() throws {
            let context = try CommandContext(global)
            let outcome = try context.withLockedProject { project in
                try project.checkout(targets: targets, options: CheckoutOptions(force: force, relink: relink),
                                     relativeTo: context.workingDirectory)
            }
            if summary {
                // DVC counts files, modified first.
                let counts = [("modified", outcome.filesModified), ("added", outcome.filesAdded),
                              ("deleted", outcome.filesDeleted)]
                    .filter { $0.1 > 0 }.map { "\($0.1) file\($0.1 == 1 ? "" : "s") \($0.0)" }
                Console.info(counts.isEmpty ? "No changes." : counts.joined(separator: " and "))
            } else {
                // DVC pads the letter to 8 columns (its console expands a tab).
                for change in outcome.changes { Console.info("\(change.kind.letter)       \(change.path)") }
            }
            if !outcome.failed.isEmpty && !allowMissing {
                throw EngineError(
                    "Checkout failed for following targets:\n" + outcome.failed.joined(separator: "\n"),
                    hint: "Is your cache up to date? Objects come from `cairn pull` or `cairn fetch`.")
            }
        }
    }
}
