import CairnCore
import CairnTestSupport
import Foundation
import Synchronization
import Testing
@testable import CairnStorage

@Suite struct StagedFileTests {
    @Test func unnamedFileAppearsOnlyWhenLinked() throws {
        let dir = try TemporaryDirectory()
        let flag = Atomic<Bool>(false)
        let staged = try #require(try StagedFile.create(in: dir.path, mode: 0o444, unnamedUnsupported: flag))
        if flag.load(ordering: .relaxed) || !StagedFile.canNameUnnamedFiles {
            staged.discard()
            return  // no O_TMPFILE here: the named fallback is tested below
        }
        #expect(staged.temporaryPath == nil)
        #expect(FileSystem.writeAll(staged.fd, UnsafeRawBufferPointer(start: "object", count: 6)) == 0)
        #expect(try names(in: dir.path).isEmpty)  // written, yet nowhere to be seen
        #expect(try staged.publish(as: dir.path("name")) == .published)
        #expect(try names(in: dir.path) == ["name"])
        #expect(try dir.read("name") == "object")
        #expect(try FileSystem.stat(dir.path("name"))?.mode == 0o444)
        #expect(try staged.publish(as: dir.path("name")) == .exists)  // linkat never replaces
        #expect(staged.close() == 0)
        #expect(try names(in: dir.path) == ["name"])
    }

    @Test func bothWaysOfNamingADescriptorWork() throws {
        let dir = try TemporaryDirectory()
        let flag = Atomic<Bool>(false)
        let staged = try #require(try StagedFile.create(in: dir.path, mode: 0o444, unnamedUnsupported: flag))
        defer { staged.discard() }
        #expect(StagedFile.linkThroughProc(staged.fd, to: dir.path("via-proc")) == 0)
        #expect(StagedFile.linkThroughProc(staged.fd, to: dir.path("missing/x")) == -1 && errno == ENOENT)
        #expect(StagedFile.linkThroughProc(staged.fd, to: dir.path("via-proc")) == -1 && errno == EEXIST)
        if StagedFile.linkEmptyPath(staged.fd, to: dir.path("empty-path")) == 0 {  // needs CAP_DAC_READ_SEARCH
            #expect(try FileSystem.stat(dir.path("empty-path"))?.inode == (try FileSystem.stat(dir.path("via-proc")))?.inode)
        }
        #expect(StagedFile.link(descriptor: staged.fd, to: dir.path("either")) == 0)
        #expect(StagedFile.link(descriptor: staged.fd, to: dir.path("missing/x")) == -1 && errno == ENOENT)
        #expect(try FileSystem.stat(dir.path("either"))?.linkCount ?? 0 >= 2)
    }

    @Test func discardedUnnamedFileLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        let flag = Atomic<Bool>(false)
        let staged = try #require(try StagedFile.create(in: dir.path, mode: 0o644, unnamedUnsupported: flag))
        #expect(FileSystem.writeAll(staged.fd, UnsafeRawBufferPointer(start: "partial", count: 7)) == 0)
        staged.discard()
        #expect(try names(in: dir.path).isEmpty)
        #expect(try StagedFile.create(in: dir.path("missing"), mode: 0o644, unnamedUnsupported: flag) == nil)
    }

    @Test func namedFallbackIsATempFileRenamedIntoPlace() throws {
        let dir = try TemporaryDirectory()
        let flag = Atomic<Bool>(true)  // as after O_TMPFILE failed on this file system
        let staged = try #require(try StagedFile.create(in: dir.path, mode: 0o644, unnamedUnsupported: flag))
        let temp = try #require(staged.temporaryPath)
        #expect(TemporaryName.isTemporary(lastComponent(temp)))
        #expect(try names(in: dir.path) == [lastComponent(temp)])
        try dir.write("name", "old")
        try staged.publishReplacing(dir.path("name"), operation: "test")
        #expect(staged.close() == 0)
        #expect(try names(in: dir.path) == ["name"])
        #expect(try dir.read("name").isEmpty)
        #expect(try FileSystem.stat(dir.path("name"))?.mode == copyMode(executable: false))
    }

    @Test func unnamedFileReplacesAnExistingOne() throws {
        let dir = try TemporaryDirectory()
        try dir.write("name", "old")
        let flag = Atomic<Bool>(false)
        let staged = try #require(try StagedFile.create(in: dir.path, mode: 0o666, unnamedUnsupported: flag))
        #expect(FileSystem.writeAll(staged.fd, UnsafeRawBufferPointer(start: "new", count: 3)) == 0)
        try staged.publishReplacing(dir.path("name"), operation: "test")
        #expect(staged.close() == 0)
        #expect(try dir.read("name") == "new")
        #expect(try names(in: dir.path) == ["name"])
    }
}

@Suite struct FastInsertTests {
    /// Inserts files of the given sizes by copy and checks objects, modes and leftovers.
    func insertAll(_ cache: ObjectCache, _ dir: TemporaryDirectory, sizes: [Int]) throws {
        for (index, size) in sizes.enumerated() {
            let bytes = pseudoRandomBytes(count: size, seed: UInt64(index + 11))
            let source = try dir.write("ws/f\(index)", bytes)
            let walked = try #require(try FileSystem.stat(source))
            let inserted = try cache.insertFile(at: source, mode: .copy, stat: walked)
            #expect(inserted.id == ObjectID.md5(of: bytes))
            #expect(inserted.size == size)
            #expect(inserted.stat == walked)
            #expect(inserted.mode == .copy)
            let object = cache.path(of: inserted.id)
            #expect(try FileSystem.readFile(object) == bytes)
            #expect(try FileSystem.stat(object)?.mode == ObjectCache.objectMode)
            #expect(try FileSystem.stat(object)?.linkCount == 1)
        }
        #expect(try temporaryFiles(under: cache.root).isEmpty)
        #expect(try cache.allObjects().count == sizes.count)
    }

    static let sizes = [0, 1, 4096, ChunkBuffer.chunkSize - 1, ChunkBuffer.chunkSize, ChunkBuffer.chunkSize + 1,
                        3 * ChunkBuffer.chunkSize + 7, PipelinedCopy.threshold, PipelinedCopy.threshold + 12_345]

    @Test func copiesSmallAndLargeFilesUnnamed() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("cache"))
        try insertAll(cache, dir, sizes: Self.sizes)
    }

    @Test func copiesThroughNamedTempsWithoutOTmpfile() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("cache"))
        cache.unnamedUnsupported.store(true, ordering: .relaxed)
        try insertAll(cache, dir, sizes: Self.sizes)
        let id = try cache.insert(bytes: Array("manifest".utf8), isDirectory: true)
        #expect(try FileSystem.readFile(cache.path(of: id)) == Array("manifest".utf8))
        #expect(try temporaryFiles(under: cache.root).isEmpty)
    }

    @Test func presentObjectIsNotWrittenAgain() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("cache"))
        let first = try cache.insertFile(at: try dir.write("a.txt", "same bytes\n"))
        let object = try #require(try FileSystem.stat(cache.path(of: first.id)))
        let second = try cache.insertFile(at: try dir.write("b.txt", "same bytes\n"))
        #expect(first.mode == .copy)
        #expect(second.mode == nil)
        #expect(second.id == first.id)
        #expect(try FileSystem.stat(cache.path(of: first.id)) == object)
    }

    @Test func reflinkFailureIsRememberedPerCache() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("repo/.dvc/cache"))
        let first = try cache.insertFile(at: try dir.write("repo/a", "a\n"), mode: .reflink)
        if first.mode == .reflink {
            let remembered = cache.reflinkUnsupported.load(ordering: .relaxed)
            #expect(!remembered)
            return  // this file system clones; nothing to remember
        }
        #expect(first.mode == .copy)
        let remembered = cache.reflinkUnsupported.load(ordering: .relaxed)
        #expect(remembered)
        let second = try cache.insertFile(at: try dir.write("repo/b", "b\n"), mode: .reflink)
        #expect(second.mode == .copy)
        let placed = try cache.materialize(HashInfo(first.id), at: dir.path("repo/out/a"))
        #expect(placed.linkType == .copy)
        #expect(try temporaryFiles(under: dir.path("repo")).isEmpty)
        let fresh = ObjectCache(root: dir.path("repo/.dvc/cache")).reflinkUnsupported.load(ordering: .relaxed)
        #expect(!fresh)  // remembered per cache value, i.e. per run
    }

    @Test func rememberedReflinkFailureStillReportsReflinkAlone() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("repo/.dvc/cache"))
        let id = try cache.insert(bytes: Array("x\n".utf8), isDirectory: false)
        cache.reflinkUnsupported.store(true, ordering: .relaxed)
        let error = try #require(throws: StorageError.self) {
            try cache.materialize(HashInfo(id), at: dir.path("repo/x"), linkTypes: [.reflink])
        }
        #expect(error.hint?.contains("cache.type") == true)
        #expect(!FileSystem.exists(dir.path("repo/x")))
        let placed = try cache.materialize(HashInfo(id), at: dir.path("repo/x"), linkTypes: [.reflink, .hardlink])
        #expect(placed.linkType == .hardlink)
    }

    @Test func hardlinkLinksTheHashedInodeAndTrustsTheWalkStat() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("repo/.dvc/cache"))
        let source = try writeOld(dir, "repo/data/f.txt", "linked\n")
        let walked = try #require(try FileSystem.stat(source))
        let inserted = try cache.insertFile(at: source, mode: .hardlink, stat: walked)
        #expect(inserted.mode == .hardlink)
        let object = try #require(try FileSystem.stat(cache.path(of: inserted.id)))
        #expect(object.inode == walked.inode)
        #expect(object.mode == 0o444)
        #expect(object.linkCount == 2)
        #expect(inserted.stat.inode == walked.inode)
        #expect(inserted.stat.mtimeNanoseconds == walked.mtimeNanoseconds)
        #expect(try temporaryFiles(under: dir.path("repo")).isEmpty)

        // A stat that no longer describes the file (it was replaced since the walk) is refused, nothing is linked.
        let other = try writeOld(dir, "repo/data/g.txt", "other\n")
        let stale = try #require(try FileSystem.stat(other))
        try FileSystem.createHardLink(at: dir.path("keep"), to: other)  // so the new file cannot reuse the inode
        try FileSystem.removeFile(other)
        try writeOld(dir, "repo/data/g.txt", "other\n")
        let error = try #require(throws: StorageError.self) {
            try cache.insertFile(at: other, mode: .hardlink, stat: stale)
        }
        #expect(error.reason == .invalidData)
        #expect(try FileSystem.stat(other)?.mode == copyMode(executable: false))
        #expect(!cache.contains(ObjectID.md5(of: Array("other\n".utf8))))
    }

    @Test func hardlinkThroughASymlinkLinksTheTarget() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("repo/.dvc/cache"))
        let target = try dir.write("elsewhere/target.bin", "target\n")
        try FileSystem.makeDirectories(dir.path("repo"))
        try FileSystem.createSymlink(at: dir.path("repo/link.bin"), target: target)
        let inserted = try cache.insertFile(at: dir.path("repo/link.bin"), mode: .hardlink)
        #expect(inserted.mode == .hardlink)
        #expect(try FileSystem.stat(cache.path(of: inserted.id))?.inode == (try FileSystem.stat(target))?.inode)
    }
}

@Suite struct FastMaterializeTests {
    @Test func copiesGetDVCModesWithTheUmask() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("repo/.dvc/cache"))
        let id = try cache.insert(bytes: Array("#!/bin/sh\n".utf8), isDirectory: false)
        let plain = try cache.materialize(HashInfo(id), at: dir.path("repo/a/plain"), linkTypes: [.copy])
        let script = try cache.materialize(HashInfo(id), at: dir.path("repo/a/run.sh"), linkTypes: [.copy],
                                           executable: true)
        #expect(plain.stat.mode == copyMode(executable: false))
        #expect(script.stat.mode == copyMode(executable: true))
        if ProcessUmask.current() == 0o022 {
            #expect(plain.stat.mode == 0o644)
            #expect(script.stat.mode == 0o744)
        }
        // The returned stat is the placed file's (taken from the descriptor, after it got its name).
        #expect(plain.stat == (try FileSystem.stat(dir.path("repo/a/plain"))))
        #expect(script.stat == (try FileSystem.stat(dir.path("repo/a/run.sh"))))
        #expect(plain.stat.linkCount == 1)
    }

    @Test(arguments: [false, true])
    func copiesLargeAndSmallObjects(named: Bool) throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("repo/.dvc/cache"))
        cache.workspaceUnnamedUnsupported.store(named, ordering: .relaxed)
        for (index, size) in FastInsertTests.sizes.enumerated() {
            let bytes = pseudoRandomBytes(count: size, seed: UInt64(index + 40))
            let id = try cache.insert(bytes: bytes, isDirectory: false)
            let path = dir.path("repo/out/f\(index)")
            let placed = try cache.materialize(HashInfo(id), at: path, linkTypes: [.copy])
            #expect(try FileSystem.readFile(path) == bytes)
            #expect(placed.stat == (try FileSystem.stat(path)))
            // Over an existing file: replaced atomically.
            try cache.materialize(HashInfo(id), at: path, linkTypes: [.copy])
            #expect(try FileSystem.readFile(path) == bytes)
        }
        #expect(try temporaryFiles(under: dir.path("repo")).isEmpty)
    }

    @Test func corruptLargeObjectLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("repo/.dvc/cache"))
        let bytes = pseudoRandomBytes(count: 2 * ChunkBuffer.chunkSize + 3, seed: 5)
        let id = try cache.insert(bytes: bytes, isDirectory: false)
        var damaged = bytes
        damaged[ChunkBuffer.chunkSize + 1] ^= 0xFF
        try FileSystem.writeFileAtomically(damaged, to: cache.path(of: id), mode: 0o444)
        try FileSystem.makeDirectories(dir.path("repo/out"))
        let error = try #require(throws: StorageError.self) {
            try cache.materialize(HashInfo(id), at: dir.path("repo/out/big"), linkTypes: [.copy])
        }
        guard case .corruptObject = error.reason else {
            Issue.record("expected corruptObject, got \(error)")
            return
        }
        #expect(try names(in: dir.path("repo/out")).isEmpty)
    }

    @Test func hardlinkAndSymlinkPlaceDirectly() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("repo/.dvc/cache"))
        let id = try cache.insert(bytes: Array("linked\n".utf8), isDirectory: false)
        let object = try #require(try FileSystem.stat(cache.path(of: id)))
        let linked = try cache.materialize(HashInfo(id), at: dir.path("repo/new/h"), linkTypes: [.hardlink])
        #expect(linked.stat.inode == object.inode)
        #expect(linked.stat == (try FileSystem.stat(dir.path("repo/new/h"))))
        let symlinked = try cache.materialize(HashInfo(id), at: dir.path("repo/new/s"), linkTypes: [.symlink])
        #expect(symlinked.stat.inode == object.inode)
        #expect(try FileSystem.readSymlink(dir.path("repo/new/s")) == cache.path(of: HashInfo(id)))
        #expect(try names(in: dir.path("repo/new")) == ["h", "s"])
    }

    @Test func withoutABufferEachThreadUsesItsOwn() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("repo/.dvc/cache"))
        var ids: [ObjectID] = []
        for index in 0..<8 {
            ids.append(try cache.insert(bytes: pseudoRandomBytes(count: 300_000 + index, seed: UInt64(index + 1)),
                                        isDirectory: false))
        }
        try FileSystem.makeDirectories(dir.path("repo/out"))
        let failures = Collector<String>()
        let known = ids
        DispatchQueue.concurrentPerform(iterations: 64) { index in
            do {
                _ = try cache.materialize(HashInfo(known[index % 8]), at: dir.path("repo/out/f\(index)"),
                                          linkTypes: [.copy])
            } catch {
                failures.append("\(error)")
            }
        }
        #expect(failures.values.isEmpty)
        for index in 0..<64 {
            #expect(try FileHasher.md5(path: dir.path("repo/out/f\(index)")).id == ids[index % 8])
        }
    }
}

@Suite struct MissingObjectsTests {
    @Test(arguments: [10, 3_000])
    func reportsExactlyTheMissingOnes(count: Int) throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("cache"))
        var hashes: [HashInfo] = []
        var expected: [HashInfo] = []
        for index in 0..<count {
            let bytes = Array("object \(index)\n".utf8)
            let id = ObjectID.md5(of: bytes)
            if index % 3 == 0 {
                expected.append(HashInfo(id))
            } else {
                try cache.insert(bytes: bytes, isDirectory: false)
            }
            hashes.append(HashInfo(id))
        }
        // Not regular files, or not DVC 3 objects: missing as far as md5 lookups go.
        let legacy = try cache.insert(bytes: Array("legacy\n".utf8), isDirectory: false, kind: .md5Dos2Unix)
        hashes.append(HashInfo(legacy))
        expected.append(HashInfo(legacy))
        let directoryObject = HashInfo(ObjectID.md5(of: Array("a directory".utf8)))
        try FileSystem.makeDirectories(cache.path(of: directoryObject))
        hashes.append(directoryObject)
        expected.append(directoryObject)
        #expect(try cache.missing(hashes) == expected)
        #expect(try cache.missing(hashes) == hashes.filter { !cache.contains($0) })
        #expect(try ObjectCache(root: dir.path("nowhere")).missing(hashes) == hashes)
    }

    @Test func pipelinedCopyHashesAndWritesLargeFilesExactly() throws {
        let dir = try TemporaryDirectory()
        for size in [PipelinedCopy.threshold, PipelinedCopy.threshold + 1, 20 * ChunkBuffer.chunkSize + 99] {
            let bytes = pseudoRandomBytes(count: size, seed: UInt64(size))
            let source = try dir.write("big-\(size)", bytes)
            let digest = try FileHasher.copy(from: source, to: dir.path("copy-\(size)"))
            #expect(digest.id == ObjectID.md5(of: bytes))
            #expect(digest.size == size)
            #expect(try FileSystem.readFile(dir.path("copy-\(size)")) == bytes)
        }
    }

    @Test func pipelinedCopyReportsAWriteFailure() throws {
        let dir = try TemporaryDirectory()
        let bytes = pseudoRandomBytes(count: PipelinedCopy.threshold + 5, seed: 7)
        let source = try dir.write("big", bytes)
        let input = open(source, O_RDONLY)
        defer { close(input) }
        // A descriptor opened read-only cannot be written: the helper thread's error must surface, not hang.
        let output = open(source, O_RDONLY)
        defer { close(output) }
        #expect(throws: StorageError.self) {
            _ = try PipelinedCopy.run(input: input, inputPath: source, output: output, outputPath: source,
                                      expectedSize: bytes.count, first: UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }
}
