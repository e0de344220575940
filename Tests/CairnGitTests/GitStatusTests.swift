import CairnGit
import Foundation
import Testing

@Suite struct GitStatusTests {
    private func porcelain(_ sandbox: GitSandbox, untracked: Bool) throws -> [String] {
        try sandbox.run(["status", "--porcelain", "--untracked-files=" + (untracked ? "all" : "no")])
            .split(separator: "\n").map { Self.unquote(String($0)) }
            .sorted { $0.dropFirst(3).utf8.lexicographicallyPrecedes($1.dropFirst(3).utf8) }
    }

    @Test func cleanRepositoryHasNoEntries() throws {
        let sandbox = try GitSandbox()
        try sandbox.write("a.txt", "a")
        try sandbox.commit("base")
        let repo = try GitRepository.open(sandbox.path)
        #expect(try repo.status(includeUntracked: true) == [])
        #expect(try !repo.hasChanges())
        #expect(try !repo.hasChanges(includeUntracked: false))
    }

    @Test func unbornRepositoryListsUntrackedAndStagedFiles() throws {
        let sandbox = try GitSandbox()
        let repo = try GitRepository.open(sandbox.path)
        #expect(try !repo.hasChanges())
        try sandbox.write("new.txt", "n")
        #expect(try repo.status(includeUntracked: true) == [GitStatusEntry(path: "new.txt", flags: .worktreeNew)])
        #expect(try repo.status(includeUntracked: false) == [])
        #expect(try repo.hasChanges())
        #expect(try !repo.hasChanges(includeUntracked: false))
        try sandbox.git("add", "new.txt")
        #expect(try repo.status(includeUntracked: false) == [GitStatusEntry(path: "new.txt", flags: .indexNew)])
        #expect(try repo.hasChanges(includeUntracked: false))
    }

    @Test func everyKindOfChangeMatchesGitStatus() throws {
        let sandbox = try GitSandbox()
        try sandbox.write("keep.txt", "k")
        try sandbox.write("mod-staged.txt", "1")
        try sandbox.write("mod-unstaged.txt", "1")
        try sandbox.write("mod-both.txt", "1")
        try sandbox.write("del-staged.txt", "1")
        try sandbox.write("del-unstaged.txt", "1")
        try sandbox.write(".gitignore", "*.log\nignored-dir/\n")
        try sandbox.commit("base")

        try sandbox.write("mod-staged.txt", "2")
        try sandbox.write("mod-both.txt", "2")
        try sandbox.git("add", "mod-staged.txt", "mod-both.txt")
        try sandbox.write("mod-both.txt", "3")
        try sandbox.write("mod-unstaged.txt", "2")
        try sandbox.git("rm", "-q", "del-staged.txt")
        try FileManager.default.removeItem(atPath: sandbox.path + "/del-unstaged.txt")
        try sandbox.write("added.txt", "a")
        try sandbox.git("add", "added.txt")
        try sandbox.write("added.txt", "a2")
        try sandbox.write("untracked.txt", "u")
        try sandbox.write("newdir/deep/one.txt", "1")
        try sandbox.write("newdir/two.txt", "2")
        try sandbox.write("noise.log", "ignored")
        try sandbox.write("ignored-dir/x.txt", "ignored")
        try sandbox.write("Ünï/é.txt", "non-ascii")

        let repo = try GitRepository.open(sandbox.path)
        let all = try repo.status(includeUntracked: true)
        #expect(all.map(\.description) == (try porcelain(sandbox, untracked: true)))
        #expect(all.contains(GitStatusEntry(path: "added.txt", flags: [.indexNew, .worktreeModified])))
        #expect(all.contains(GitStatusEntry(path: "mod-both.txt", flags: [.indexModified, .worktreeModified])))
        #expect(all.contains(GitStatusEntry(path: "del-staged.txt", flags: .indexDeleted)))
        #expect(all.contains(GitStatusEntry(path: "del-unstaged.txt", flags: .worktreeDeleted)))
        #expect(all.contains(GitStatusEntry(path: "newdir/deep/one.txt", flags: .worktreeNew)))
        #expect(all.contains(GitStatusEntry(path: "Ünï/é.txt", flags: .worktreeNew)))
        #expect(!all.contains { $0.path.hasSuffix(".log") || $0.path.hasPrefix("ignored-dir") })
        #expect(!all.contains { $0.path == "keep.txt" })

        let tracked = try repo.status(includeUntracked: false)
        #expect(tracked.map(\.description) == (try porcelain(sandbox, untracked: false)))
        #expect(!tracked.contains { $0.isUntracked })
    }

    @Test func hasChangesSeesEachKindAloneAndIgnoresIgnoredFiles() throws {
        let sandbox = try GitSandbox()
        try sandbox.write("a.txt", "a")
        try sandbox.write(".gitignore", "*.log\n/data\n")
        try sandbox.commit("base")
        let repo = try GitRepository.open(sandbox.path)

        // Ignored files, also a folder holding only ignored files, and an empty folder are no change.
        try sandbox.write("x.log", "1")
        try sandbox.write("data/big.bin", "1")
        try sandbox.write("only-ignored/y.log", "1")
        try FileManager.default.createDirectory(atPath: sandbox.path + "/empty", withIntermediateDirectories: true)
        #expect(try !repo.hasChanges())
        #expect(try repo.status(includeUntracked: true) == [])

        try sandbox.write("only-ignored/z.txt", "1")
        #expect(try repo.hasChanges())
        #expect(try !repo.hasChanges(includeUntracked: false))
        try FileManager.default.removeItem(atPath: sandbox.path + "/only-ignored/z.txt")
        #expect(try !repo.hasChanges())

        try sandbox.write("a.txt", "changed")
        #expect(try repo.hasChanges(includeUntracked: false))
        try sandbox.git("add", "a.txt")
        #expect(try repo.hasChanges(includeUntracked: false))
        try sandbox.git("checkout", "-q", "HEAD", "--", "a.txt")
        #expect(try !repo.hasChanges())
    }

    @Test func bareRepositoryHasNoStatus() throws {
        let sandbox = try GitSandbox(initialize: false)
        let repo = try GitRepository.create(at: sandbox.path + "/bare.git", bare: true)
        let error = try #require(throws: GitError.self) { try repo.status(includeUntracked: true) }
        #expect(error.code == .bareRepository)
    }

    /// git quotes unusual paths in porcelain output; compare with the plain path.
    private static func unquote(_ line: String) -> String {
        guard line.hasSuffix("\"") else { return line }
        let prefix = line.prefix(3)
        var body = Array(line.dropFirst(4).dropLast().utf8)
        var bytes: [UInt8] = []
        var index = 0
        while index < body.count {
            if body[index] == UInt8(ascii: "\\"), index + 3 < body.count,
                let value = UInt8(String(decoding: body[(index + 1)...(index + 3)], as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(body[index])
                index += 1
            }
        }
        body = bytes
        return prefix + String(decoding: body, as: UTF8.self)
    }
}
