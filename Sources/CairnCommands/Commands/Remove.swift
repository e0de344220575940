import ArgumentParser
import CairnEngine

extension Cairn {
    /// `cairn remove`: stop tracking data (and delete it with `--outs`).
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove .dvc files and their .gitignore entries (and the data itself with --outs).",
            aliases: ["rm"])

        @OptionGroup var global: GlobalOptions

        @Flag(name: .customLong("outs"), help: "Remove outputs as well.")
        var outs = false

        @Argument(help: ".dvc files to remove.")
        var targets: [String]

        func run() throws {
            let context = try CommandContext(global)
            try context.withLockedProject { project in
                try project.remove(targets: targets, removeOutputs: outs, relativeTo: context.workingDirectory)
            }
        }
    }
}
