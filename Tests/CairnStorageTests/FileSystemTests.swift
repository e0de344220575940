import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnStorage

@Suite struct FileSystemTests {
    @Test func statReportsKindsSizesAndMissingPaths() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("f.txt", "hello")
        try FileSystem.setModificationTime(file, nanoseconds: oldMtime + 123_456_789)
        let stat = try #require(try FileSystem.stat(file))
        #expect(stat.kind == .file)
        #expect(stat.size == 5)
        #expect(stat.mtimeNanoseconds == oldMtime + 123_456_789)
        #expect(stat.linkCount == 1)
        #expect(!stat.isExecutable)
        #expect(try FileSystem.stat(dir.path)?.kind == .directory)
        #expect(try FileSystem.stat(dir.path("missing")) == nil)
        #expect(try FileSystem.stat(dir.path("f.txt/below")) == nil)
        try FileSystem.createSymlink(at: dir.path("link"), target: "f.txt")
        #expect(try FileSystem.lstat(dir.path("link"))?.kind == .symlink)
        #expect(try FileSystem.stat(dir.path("link"))?.inode == stat.inode)
        try FileSystem.setMode(file, 0o750)
        #expect(try FileSystem.stat(file)?.isExecutable == true)
        #expect(try FileSystem.stat(file)?.mode == 0o750)
    }

    @Test func atomicWritesKeepOrSetTheMode() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("config")
        try FileSystem.writeFileAtomically(Array("one".utf8), to: path, mode: 0o600)
        #expect(try dir.read("config") == "one")
        #expect(try FileSystem.stat(path)?.mode == 0o600)
        try FileSystem.writeFileAtomically(Array("two".utf8), to: path)
        #expect(try dir.read("config") == "two")
        #expect(try FileSystem.stat(path)?.mode == 0o600)
        #expect(try names(in: dir.path) == ["config"])
        #expect(throws: StorageError.self) {
            try FileSystem.writeFileAtomically([1], to: dir.path("no/such/dir/file"))
        }
    }

    @Test func readFileReadsEverything() throws {
        let dir = try TemporaryDirectory()
        let bytes = pseudoRandomBytes(count: 300_001, seed: 9)
        let path = try dir.write("bytes", bytes)
        #expect(try FileSystem.readFile(path) == bytes)
        #expect(try FileSystem.readFile(try dir.write("empty", "")) == [])
        let error = try #require(throws: StorageError.self) { try FileSystem.readFile(dir.path("missing")) }
        #expect(error.isNotFound)
        #expect(error.description.hasPrefix("cannot open '\(dir.path("missing"))'"))
    }

    @Test func directoriesAreCreatedAndRemovedEvenWhenReadOnly() throws {
        let dir = try TemporaryDirectory()
        try FileSystem.makeDirectories(dir.path("a/b/c"))
        try FileSystem.makeDirectories(dir.path("a/b/c"))  // existing: fine
        #expect(FileSystem.isDirectory(dir.path("a/b/c")))
        try dir.write("a/b/c/f", "x")
        try dir.write("a/file", "y")
        try FileSystem.createSymlink(at: dir.path("a/b/outside"), target: dir.path)
        try FileSystem.setMode(dir.path("a/b/c/f"), 0o444)
        try FileSystem.setMode(dir.path("a/b/c"), 0o555)
        try FileSystem.setMode(dir.path("a/b"), 0o500)
        #expect(throws: StorageError.self) { try FileSystem.makeDirectories(dir.path("a/file/x")) }
        try FileSystem.removeTree(dir.path("a"))
        #expect(!FileSystem.exists(dir.path("a")))
        #expect(FileSystem.isDirectory(dir.path))  // the symlink was not followed
        try FileSystem.removeTree(dir.path("a"))  // missing: fine
    }

    @Test func listingReportsTypes() throws {
        let dir = try TemporaryDirectory()
        try dir.write("f", "x")
        try FileSystem.makeDirectories(dir.path("d"))
        try FileSystem.createSymlink(at: dir.path("l"), target: "f")
        let entries = try FileSystem.listDirectory(dir.path).sorted { $0.name < $1.name }
        #expect(entries == [DirectoryEntry(name: "d", kind: .directory), DirectoryEntry(name: "f", kind: .file),
                            DirectoryEntry(name: "l", kind: .symlink)])
    }

    @Test func writableFileSystem() throws {
        let dir = try TemporaryDirectory()
        #expect(FileSystem.isWritableFileSystem(dir.path))
        #expect(!FileSystem.isWritableFileSystem(dir.path("missing")))
        if FileSystem.isDirectory("/proc/self") {
            #expect(!FileSystem.isWritableFileSystem("/proc/self"))
        }
    }

    @Test func temporaryNames() {
        let name = TemporaryName.make()
        #expect(name.hasPrefix(".cairn-"))
        #expect(name.hasSuffix(".tmp"))
        let parts = name.dropFirst(".cairn-".count).dropLast(".tmp".count).split(separator: "-")
        #expect(parts.count == 3)
        #expect(UInt32(parts[0], radix: 16) == UInt32(bitPattern: getpid()))
        #expect(parts.allSatisfy { UInt64($0, radix: 16) != nil })
        #expect(TemporaryName.isTemporary(name))
        #expect(!TemporaryName.isTemporary("data.tmp"))
        #expect(TemporaryName.make() != TemporaryName.make())
    }

    @Test func temporaryNamesAreUniqueAcrossThreads() {
        let collected = Collector<[String]>()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            collected.append((0..<1000).map { _ in TemporaryName.make() })
        }
        let all = collected.values.flatMap { $0 }
        #expect(all.count == 4000)
        #expect(Set(all).count == 4000)
    }
}
