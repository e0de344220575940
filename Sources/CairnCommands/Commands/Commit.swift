import ArgumentParser
import CairnEngine

extension Cairn {
    /// `cairn commit`: record the workspace's current data in the `.dvc` files and the cache.
    struct Commit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record changes to files or directories tracked by DVC by storing the current versions in the cache.")

        @OptionGroup var global: GlobalOptions

        @Flag(name: .shortAndLong, help: "Commit data even if hash values for dependencies or outputs did not change.")
        var force = false

        @Argument(help: "Limit command scope to these tracked files/directories or .dvc files.")
        var targets: [String] = []

        func run() throws {
            let context = try CommandContext(global)
            // DVC prints no "git add" advice after commit (with core.autostage the files are staged).
            _ = try context.withLockedProject { project in
                try project.commit(targets: targets, force: force, relativeTo: context.workingDirectory)
            }
        }
    }
}
