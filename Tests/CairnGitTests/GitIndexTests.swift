import CairnGit
import Foundation
import Testing

@Suite struct GitIndexTests {
    private func porcelain(_ sandbox: GitSandbox) throws -> [String] {
        try sandbox.run(["status", "--porcelain", "--untracked-files=all"]).split(separator: "\n").map(String.init)
            .sorted()
    }

    @Test func addedFilesAreStagedForGitStatus() throws {
        let sandbox = try GitSandbox()
        try sandbox.write("a.txt", "alpha\n")
        try sandbox.write("data.dvc", "outs:\n")
        let repo = try GitRepository.open(sandbox.path)
        try repo.addToIndex(["a.txt", sandbox.path + "/data.dvc"])
        #expect(try porcelain(sandbox) == ["A  a.txt", "A  data.dvc"])
        #expect(try repo.indexContains("a.txt"))
        #expect(try repo.indexContains("./data.dvc"))
        #expect(try !repo.indexContains("b.txt"))
        #expect(try repo.indexBlob(path: "a.txt") == Array("alpha\n".utf8))
        #expect(try repo.indexBlob(path: "b.txt") == nil)

        try sandbox.write("a.txt", "changed\n")
        #expect(try repo.indexBlob(path: "a.txt") == Array("alpha\n".utf8))  // content as staged
        try repo.addToIndex(["a.txt"])
        #expect(try repo.indexBlob(path: "a.txt") == Array("changed\n".utf8))

        try repo.removeFromIndex(["a.txt", "never-there.txt"])
        #expect(try porcelain(sandbox) == ["?? a.txt", "A  data.dvc"])
        #expect(FileManager.default.fileExists(atPath: sandbox.path + "/a.txt"))
    }

    @Test func addingADirectoryIsRecursiveAndHonoursGitignore() throws {
        let sandbox = try GitSandbox()
        try sandbox.write(".gitignore", "*.log\n")
        try sandbox.write("dir/x.txt", "x")
        try sandbox.write("dir/sub/y.txt", "y")
        try sandbox.write("dir/sub/noise.log", "n")
        let repo = try GitRepository.open(sandbox.path)
        try repo.addToIndex(["dir"])
        #expect(try porcelain(sandbox) == ["?? .gitignore", "A  dir/sub/y.txt", "A  dir/x.txt"])
        #expect(try repo.isTracked("dir"))
        #expect(try repo.isTracked("dir/sub"))
        #expect(try repo.isTracked("dir/x.txt"))
        #expect(try !repo.isTracked("di"))
        #expect(try !repo.isTracked("dir/sub/noise.log"))
        #expect(try repo.removeFromIndex(["dir/sub"]) == ())
        #expect(try porcelain(sandbox) == ["?? .gitignore", "?? dir/sub/y.txt", "A  dir/x.txt"])
    }

    @Test func addingADeletedFileStagesTheDeletion() throws {
        let sandbox = try GitSandbox()
        try sandbox.write("gone.txt", "g")
        try sandbox.write("dir/one.txt", "1")
        try sandbox.write("dir/two.txt", "2")
        try sandbox.commit("base")
        try FileManager.default.removeItem(atPath: sandbox.path + "/gone.txt")
        try FileManager.default.removeItem(atPath: sandbox.path + "/dir/two.txt")
        let repo = try GitRepository.open(sandbox.path)
        try repo.addToIndex(["gone.txt", "dir"])
        #expect(try porcelain(sandbox) == ["D  dir/two.txt", "D  gone.txt"])
        let error = try #require(throws: GitError.self) { try repo.addToIndex(["never-existed.txt"]) }
        #expect(error.code == .notFound)
        #expect(error.path == "never-existed.txt")
    }

    @Test func indexChangesMadeByTheGitCliAreSeen() throws {
        let sandbox = try GitSandbox()
        let repo = try GitRepository.open(sandbox.path)
        #expect(try !repo.indexContains("late.txt"))
        try sandbox.write("late.txt", "l")
        try sandbox.git("add", "late.txt")
        #expect(try repo.indexContains("late.txt"))
        #expect(try repo.isTracked("late.txt"))
    }

    @Test func ignoreRules() throws {
        let sandbox = try GitSandbox()
        try sandbox.write(".gitignore", "*.log\n!keep.log\n/build/\ndata/\n")
        try sandbox.write("sub/.gitignore", "secret\n")
        try sandbox.write(".git/info/exclude", "local-only\n")
        try sandbox.write("data/file.bin", "d")
        let repo = try GitRepository.open(sandbox.path)
        #expect(try repo.isIgnored("x.log"))
        #expect(try repo.isIgnored("deep/er/x.log"))
        #expect(try !repo.isIgnored("keep.log"))
        #expect(try repo.isIgnored("build/"))
        #expect(try repo.isIgnored("build/out.bin"))
        #expect(try !repo.isIgnored("src/build"))  // anchored, and not a directory
        #expect(try repo.isIgnored("data"))  // exists as a directory
        #expect(try repo.isIgnored("data/file.bin"))
        #expect(try repo.isIgnored("sub/secret"))
        #expect(try !repo.isIgnored("secret"))
        #expect(try repo.isIgnored("local-only"))
        #expect(try !repo.isIgnored("model.pkl"))
        // The .gitignore writer appends a rule: it must be seen at once by the same handle.
        try sandbox.write(".gitignore", "*.log\n!keep.log\n/build/\ndata/\n/model.pkl\n")
        #expect(try repo.isIgnored("model.pkl"))
        #expect(try repo.isIgnored(sandbox.path + "/model.pkl"))
    }
}
