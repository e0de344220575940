import CairnEngine
import Foundation

/// What every command needs: the effective working directory (after `--cd`) and, when asked, the project.
struct CommandContext {
    /// The directory paths on the command line are relative to (absolute).
    let workingDirectory: String
    /// The options shared by all commands.
    let global: GlobalOptions

    /// Applies `-q`/`-v` and resolves `--cd`.
    init(_ global: GlobalOptions) throws {
        global.apply()
        self.global = global
        let current = FileManager.default.currentDirectoryPath
        guard let directory = global.directory else {
            workingDirectory = current
            return
        }
        let target = directory.hasPrefix("/") ? directory : current + "/" + directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EngineError.usage("--cd: '\(directory)' is not a directory")
        }
        workingDirectory = URL(fileURLWithPath: target).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Opens the project that contains the working directory.
    func project() throws -> Project {
        let project = try Project.open(from: workingDirectory)
        Console.debug("repository root \(project.root), cache \(project.cacheDirectory)")
        return project
    }

    /// Runs a mutating use case under the repository lock (fails at once or waits with `--wait-for-lock`).
    func withLockedProject<T>(_ body: (Project) throws -> T) throws -> T {
        let project = try project()
        return try project.withLock(wait: global.waitForLock) { try body(project) }
    }
}
