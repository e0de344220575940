import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnStorage

@Suite struct WorkspaceWalkerTests {
    @Test func walksNestedFilesWithRepoRelativePaths() throws {
        let dir = try TemporaryDirectory()
        try dir.write("data/a.txt", "a")
        try dir.write("data/sub/b.txt", "bb")
        try dir.write("data/sub/deeper/c.csv", "ccc")
        try FileSystem.makeDirectories(dir.path("data/empty"))
        let result = try WorkspaceWalker.walk(dir.path("data"), prefix: "data")
        #expect(result.files.map(\.path).sorted() == ["data/a.txt", "data/sub/b.txt", "data/sub/deeper/c.csv"])
        #expect(result.files.map { String($0.relativePath) }.sorted() == ["a.txt", "sub/b.txt", "sub/deeper/c.csv"])
        #expect(result.directories.sorted() == ["data/empty", "data/sub", "data/sub/deeper"])
        let c = try #require(result.files.first { $0.path.hasSuffix("c.csv") })
        #expect(c.stat.size == 3)
        #expect(c.stat.kind == .file)
        #expect(!c.isSymlink)
        #expect(c.stat == (try FileSystem.stat(dir.path("data/sub/deeper/c.csv"))))

        let fromRoot = try WorkspaceWalker.walk(dir.path, prefix: "")
        #expect(fromRoot.files.map(\.path).sorted() == ["data/a.txt", "data/sub/b.txt", "data/sub/deeper/c.csv"])
        #expect(fromRoot.files.map { String($0.relativePath) }.sorted()
                == ["data/a.txt", "data/sub/b.txt", "data/sub/deeper/c.csv"])
    }

    @Test func ignorePredicateIsAskedOncePerEntryAndPrunesDirectories() throws {
        let dir = try TemporaryDirectory()
        try dir.write("w/keep.txt", "k")
        try dir.write("w/skip.tmp", "s")
        try dir.write("w/logs/l1.txt", "l")
        try dir.write("w/logs/deep/l2.txt", "l")
        try dir.write("w/src/x.swift", "x")
        let calls = Collector<String>()
        let result = try WorkspaceWalker.walk(dir.path("w"), prefix: "w") { path, name, isDirectory in
            #expect(path.hasSuffix("/" + name))
            calls.append(path + (isDirectory ? "/" : ""))
            return path.hasSuffix(".tmp") || (isDirectory && path == "w/logs")
        }
        #expect(result.files.map(\.path).sorted() == ["w/keep.txt", "w/src/x.swift"])
        #expect(calls.values.sorted() == ["w/keep.txt", "w/logs/", "w/skip.tmp", "w/src/", "w/src/x.swift"])
    }

    @Test func followsSymlinksToFilesAndDirectoriesAndReportsLoopsAndDanglingLinks() throws {
        let dir = try TemporaryDirectory()
        try dir.write("outside/target.txt", "target")
        try dir.write("outside/tree/t.txt", "t")
        try dir.write("w/real.txt", "real")
        try FileSystem.createSymlink(at: dir.path("w/link.txt"), target: dir.path("outside/target.txt"))
        try FileSystem.createSymlink(at: dir.path("w/linkdir"), target: "../outside/tree")
        try FileSystem.createSymlink(at: dir.path("w/loop"), target: ".")
        try FileSystem.createSymlink(at: dir.path("w/dangling"), target: "nowhere")
        let result = try WorkspaceWalker.walk(dir.path("w"), prefix: "w")
        #expect(result.files.map(\.path).sorted() == ["w/link.txt", "w/linkdir/t.txt", "w/real.txt"])
        let link = try #require(result.files.first { $0.path == "w/link.txt" })
        #expect(link.isSymlink)
        #expect(link.stat.size == 6)
        #expect(link.stat.inode == (try FileSystem.stat(dir.path("outside/target.txt")))?.inode)
        #expect(result.loops == ["w/loop"])
        #expect(result.danglingSymlinks == ["w/dangling"])
        #expect(result.directories == ["w/linkdir"])
    }

    @Test func fixtureTreeReproducesTheDvcManifest() throws {
        // Fixture 01 without its (git-dropped) empty dir: same manifest as DVC wrote.
        let root = Fixtures.file("01-add/workspace/data").path
        let walk = try WorkspaceWalker.walk(root, prefix: "data")
        let hashes = try ParallelHasher(threads: 2).hash(walk.files.map { HashRequest($0, repoRoot: Fixtures.file("01-add/workspace").path) })
        let entries = zip(walk.files, hashes).map { DirManifest.Entry(relpath: String($0.relativePath), id: $1.id) }
        let manifest = DirManifest(entries: entries)
        #expect(manifest.id.description == "7f243c05e8dd0dabd734730fe2bbb3a1.dir")
        #expect(manifest.serialized() == (try Fixtures.bytes("01-add/cache/files/md5/7f/243c05e8dd0dabd734730fe2bbb3a1.dir")))
    }

    @Test func missingDirectoryIsAnError() throws {
        let dir = try TemporaryDirectory()
        let error = try #require(throws: StorageError.self) { try WorkspaceWalker.walk(dir.path("nope"), prefix: "nope") }
        #expect(error.isNotFound)
    }
}

@Suite struct ParallelWalkTests {
    @Test func parallelStatPassMatchesSingleThread() throws {
        let dir = try TemporaryDirectory()
        for index in 0..<39 { try FileSystem.makeDirectories(dir.path("big/d\(index % 13)/e\(index / 13)")) }
        for index in 0..<3_000 {
            let fd = open(dir.path("big/d\(index % 13)/e\(index % 3)/f\(index).txt"), O_WRONLY | O_CREAT, 0o644)
            #expect(fd >= 0)
            close(fd)
        }
        try FileSystem.createSymlink(at: dir.path("big/d1/link.txt"), target: dir.path("big/d0/e0/f0.txt"))
        let ignore: WorkspaceWalker.IgnorePredicate = { path, _, _ in path.hasSuffix("7.txt") }
        let single = try WorkspaceWalker.walk(dir.path("big"), prefix: "big", ignore: ignore, threads: 1)
        let parallel = try WorkspaceWalker.walk(dir.path("big"), prefix: "big", ignore: ignore, threads: 4)
        #expect(single.files.count == 3_000 - 300 + 1)
        #expect(Set(parallel.files) == Set(single.files))
        #expect(parallel.files.count == single.files.count)
        #expect(Set(parallel.directories) == Set(single.directories))
        #expect(parallel.files.contains { $0.path == "big/d1/link.txt" && $0.isSymlink })
    }
}
