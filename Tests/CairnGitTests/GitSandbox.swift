import CairnTestSupport
import Foundation

/// A temp git repository driven by the git CLI with a hermetic environment (own HOME, no system config,
/// fixed identities, a clock that ticks one second per commit). Never touches the test process's environment.
final class GitSandbox {
    let temp: TemporaryDirectory
    /// The work tree.
    let path: String
    let home: String
    private var clock: Int = 1_700_000_000

    /// Makes `<tmp>/repo` and runs `git init -b BRANCH` unless `initialize` is false.
    init(branch: String = "main", initialize: Bool = true) throws {
        temp = try TemporaryDirectory(prefix: "cairn-git")
        path = temp.path("repo")
        home = temp.path("home")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        if initialize { try git("init", "-q", "-b", branch) }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The environment every git run gets.
    var environment: [String: String] {
        let stamp = "@\(clock) +0000"
        return [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home,
            "XDG_CONFIG_HOME": home + "/.config",
            "GIT_CONFIG_NOSYSTEM": "1",
            "LANG": "C",
            "GIT_AUTHOR_NAME": "Ada Author",
            "GIT_AUTHOR_EMAIL": "ada@example.com",
            "GIT_COMMITTER_NAME": "Carl Committer",
            "GIT_COMMITTER_EMAIL": "carl@example.com",
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_DATE": stamp,
        ]
    }

    /// Runs git in the work tree (or `directory`) and returns its standard output; throws on a non-zero exit.
    @discardableResult
    func git(_ arguments: String..., in directory: String? = nil, stdinFile: String? = nil) throws -> String {
        try run(arguments, in: directory, stdinFile: stdinFile)
    }

    /// `git(…)` with an argument array.
    @discardableResult
    func run(_ arguments: [String], in directory: String? = nil, stdinFile: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? path)
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        let errorFile = temp.path("git-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        let errorHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
        process.standardError = errorHandle
        var input: FileHandle?
        if let stdinFile {
            input = FileHandle(forReadingAtPath: stdinFile)
            process.standardInput = input
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errorHandle.close()
        try input?.close()
        let stderr = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: errorFile)
        guard process.terminationStatus == 0 else {
            throw Failure(description: "git \(arguments.joined(separator: " ")) failed: \(stderr)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Output of git with the trailing newline removed.
    func line(_ arguments: String...) throws -> String {
        try run(arguments).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes a work-tree file.
    @discardableResult
    func write(_ relative: String, _ contents: String) throws -> String {
        try temp.write("repo/" + relative, contents)
    }

    /// Stages everything and commits with the next clock tick; returns the new commit's id.
    @discardableResult
    func commit(_ message: String, allowEmpty: Bool = false) throws -> String {
        clock += 1
        try git("add", "-A")
        var arguments = ["commit", "-q", "-m", message]
        if allowEmpty { arguments.append("--allow-empty") }
        try run(arguments)
        return try line("rev-parse", "HEAD")
    }

    /// Advances the clock (for merges and tags made with `git(...)`).
    func tick() { clock += 1 }

    /// Current commit time used by the environment.
    var now: Int { clock }
}

/// Number of open file descriptors of this process (Linux).
func openFileDescriptorCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
}
