import CairnTestSupport
import Foundation
import Testing

/// A git repository with `dvc init` (the real DVC) run and committed.
func dvcInitializedRepo() throws -> TestRepo {
    let repo = try TestRepo(prefix: "cairn-interop")
    try repo.initDVC()
    try repo.commitAll("dvc init")
    return repo
}

/// A git repository with `cairn init` run and committed.
func cairnInitializedRepo() throws -> TestRepo {
    let repo = try TestRepo(prefix: "cairn-interop")
    try repo.initCairn()
    try repo.commitAll("cairn init")
    return repo
}

/// Expects exit status 0; the failure shows the command and everything it printed.
func expectSuccess(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 0, Comment(rawValue: result.description), sourceLocation: sourceLocation)
}

/// The tree both tools track in the interop tests: nested folders, non-ASCII names, empty files and an empty
/// folder, executables, and names YAML and gitignore need to quote or escape.
enum InteropTree {
    /// Top-level files, each tracked by its own `.dvc` file: fixture 07's awkward names and a few more.
    static let topLevel: [(name: String, content: String, mode: mode_t)] = [
        ("yes", "yes", 0o644), ("123", "123", 0o644), ("#x", "#x", 0o644), ("[x]", "[x]", 0o644),
        ("a: b", "a: b", 0o644), ("null", "null", 0o644), ("2024-01-01", "2024-01-01", 0o644),
        ("it's", "it's", 0o644), ("*star", "*star", 0o644), ("!bang", "!bang", 0o644), ("q?", "q?", 0o644),
        ("- x", "- x", 0o644), ("sp ace", "sp ace", 0o644), ("ünï.txt", "non-ascii\n", 0o644),
        ("empty.bin", "", 0o644), ("tool.sh", "#!/bin/sh\necho tool\n", 0o755),
    ]

    /// Files inside `data/` (relative to it).
    static let dataFiles: [(name: String, content: String, mode: mode_t)] = [
        ("a.txt", "alpha\n", 0o644), ("B.txt", "Bravo\n", 0o644), ("sub.txt", "flat\n", 0o644),
        ("sub/b.txt", "nested\n", 0o644), ("sub/deeper/c.csv", "x,y\n1,2\n", 0o644),
        ("Ünï/é.txt", "accents\n", 0o644), ("empty.txt", "", 0o644), ("run.sh", "#!/bin/sh\necho run\n", 0o755),
        ("yes", "y\n", 0o644), ("123", "n\n", 0o644), ("#x", "hash\n", 0o644), ("[x]", "brackets\n", 0o644),
        ("a: b", "colon\n", 0o644), ("sp ace.txt", "space\n", 0o644), ("日本/語.txt", "cjk\n", 0o644),
    ]

    /// What `add` is given: `data`, `nested/deep/file.bin` (its own `.gitignore`), and every top-level file.
    static var targets: [String] { ["data", "nested/deep/file.bin"] + topLevel.map(\.name) }

    /// Writes the tree into `repo`.
    static func write(_ repo: TestRepo) throws {
        for file in topLevel { try repo.write(file.name, file.content, mode: file.mode) }
        for file in dataFiles { try repo.write("data/" + file.name, file.content, mode: file.mode) }
        try repo.makeDirectory("data/emptydir")
        try repo.write("nested/deep/file.bin", bytes: (0..<256).map { UInt8($0) })
    }

    /// Every tracked path's bytes, for comparing workspaces.
    static func contents(_ repo: TestRepo) throws -> [String: [UInt8]] {
        var result = try repo.tree("data").reduce(into: [String: [UInt8]]()) { $0["data/" + $1.key] = $1.value }
        for file in topLevel { result[file.name] = try repo.bytes(file.name) }
        result["nested/deep/file.bin"] = try repo.bytes("nested/deep/file.bin")
        return result
    }

    /// Deletes every tracked path from the workspace.
    static func delete(_ repo: TestRepo) throws {
        try repo.remove("data")
        try repo.remove("nested/deep/file.bin")
        for file in topLevel { try repo.remove(file.name) }
    }

    /// Every `.dvc` and `.gitignore` file in the work tree (outside `.dvc/` and `.git/`) with its bytes.
    static func metadataFiles(_ repo: TestRepo) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for file in try repo.files() where !file.hasPrefix(".git/") && !file.hasPrefix(".dvc/") {
            let name = (file as NSString).lastPathComponent
            if name.hasSuffix(".dvc") || name == ".gitignore" { result[file] = try repo.bytes(file) }
        }
        return result
    }

    /// Every cache object with its bytes.
    static func cache(_ repo: TestRepo) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for id in try repo.cacheObjects() { result[id] = try repo.bytes(repo.cacheObjectRelativePath(id)) }
        return result
    }
}
