import CairnCore
import CairnTestSupport
import Dispatch
import Foundation
import Testing
@testable import CairnStorage

@Suite struct StateCacheTests {
    let idA = ObjectID("b1946ac92492d2347c6235b4d2611184")!
    let idB = ObjectID("30cf3d7d133b08543cb6c8933c29dfd7")!

    func stat(inode: UInt64 = 10, size: Int = 6, mtime: Int64 = oldMtime) -> FileStat {
        FileStat(device: 1, inode: inode, size: size, mtimeNanoseconds: mtime, mode: 0o644, kind: .file, linkCount: 1)
    }

    @Test func roundTripThroughTheFile() throws {
        let dir = try TemporaryDirectory()
        let location = StateCache.defaultLocation(dvcDirectory: dir.path(".dvc"))
        let cache = StateCache(location: location)
        cache.record("data/a.txt", stat: stat(), id: idA)
        cache.record("crlf.txt", stat: stat(inode: 11, size: 14, mtime: oldMtime + 123), id: idB, kind: .md5Dos2Unix)
        cache.record("Ünï/é.txt", stat: stat(inode: 12), id: idB)
        var digest = DirectoryDigest()
        digest.add(relativePath: "a.txt", stat: stat())
        cache.recordDirectory("data", digest: digest,
                              state: DirectoryState(id: ObjectID.emptyDirectory, size: 6, fileCount: 1))
        #expect(cache.hasUnsavedChanges)
        try cache.save()  // creates .dvc/tmp
        #expect(!cache.hasUnsavedChanges)

        let loaded = StateCache.load(from: location)
        #expect(loaded.count == 3)
        #expect(loaded.lookup("data/a.txt", stat: stat()) == idA)
        #expect(loaded.lookup("crlf.txt", stat: stat(inode: 11, size: 14, mtime: oldMtime + 123), kind: .md5Dos2Unix) == idB)
        #expect(loaded.lookup("crlf.txt", stat: stat(inode: 11, size: 14, mtime: oldMtime + 123)) == nil)
        #expect(loaded.lookup("Ünï/é.txt", stat: stat(inode: 12)) == idB)
        #expect(loaded.lookupDirectory("data", digest: digest)
                == DirectoryState(id: ObjectID.emptyDirectory, size: 6, fileCount: 1))
        #expect(!loaded.hasUnsavedChanges)
    }

    @Test func anyChangedStatFieldMisses() {
        let cache = StateCache(location: "/nonexistent/state")
        cache.record("f", stat: stat(), id: idA)
        #expect(cache.lookup("f", stat: stat()) == idA)
        #expect(cache.lookup("f", stat: stat(inode: 99)) == nil)
        #expect(cache.lookup("f", stat: stat(size: 7)) == nil)
        #expect(cache.lookup("f", stat: stat(mtime: oldMtime + 1)) == nil)
        #expect(cache.lookup("g", stat: stat()) == nil)
        cache.forget("f")
        #expect(cache.lookup("f", stat: stat()) == nil)
    }

    @Test func realFileInvalidation() throws {
        let dir = try TemporaryDirectory()
        let path = try writeOld(dir, "f.txt", "hello\n")
        let cache = StateCache(location: dir.path("state"))
        let digest = try FileHasher.hash(path: path, kind: .md5)
        cache.record("f.txt", stat: digest.stat, id: digest.id)
        #expect(cache.lookup("f.txt", stat: try #require(try FileSystem.stat(path))) == digest.id)

        // Same size, new content, mtime restored: indistinguishable by design (DVC behaves the same).
        try dir.write("f.txt", "HELLO\n")
        try FileSystem.setModificationTime(path, nanoseconds: oldMtime)
        #expect(cache.lookup("f.txt", stat: try #require(try FileSystem.stat(path))) == digest.id)
        // Touched: the mtime differs.
        try FileSystem.setModificationTime(path, nanoseconds: oldMtime + 1_000)
        #expect(cache.lookup("f.txt", stat: try #require(try FileSystem.stat(path))) == nil)
        // Replaced by another file (new inode) with the old mtime.
        try FileSystem.removeFile(path)
        try writeOld(dir, "other.txt", "hello\n")
        try FileSystem.rename(dir.path("other.txt"), to: path)
        let replaced = try #require(try FileSystem.stat(path))
        if replaced.inode != digest.stat.inode {
            #expect(cache.lookup("f.txt", stat: replaced) == nil)
        }
    }

    @Test func corruptTruncatedOrForeignFilesLoadEmpty() throws {
        let dir = try TemporaryDirectory()
        let location = dir.path("state")
        let cache = StateCache(location: location)
        for index in 0..<50 { cache.record("file\(index)", stat: stat(inode: UInt64(index)), id: idA) }
        try cache.save()
        let good = try FileSystem.readFile(location)
        #expect(StateCache.load(from: location).count == 50)

        var flipped = good
        flipped[good.count / 2] ^= 0x01
        try FileSystem.writeFileAtomically(flipped, to: location)
        #expect(StateCache.load(from: location).count == 0)

        try FileSystem.writeFileAtomically(Array(good.dropLast(9)), to: location)
        #expect(StateCache.load(from: location).count == 0)

        // A valid checksum over an unknown version is still refused.
        var otherVersion = Array(good.dropLast(8))
        otherVersion[8] = 99
        let checksum = otherVersion.withUnsafeBytes { StableHash.checksum($0) }
        withUnsafeBytes(of: checksum.littleEndian) { otherVersion.append(contentsOf: $0) }
        try FileSystem.writeFileAtomically(otherVersion, to: location)
        #expect(StateCache.load(from: location).count == 0)

        try FileSystem.writeFileAtomically(Array("not a state file".utf8), to: location)
        #expect(StateCache.load(from: location).count == 0)
        try FileSystem.writeFileAtomically([], to: location)
        #expect(StateCache.load(from: location).count == 0)
        #expect(StateCache.load(from: dir.path("missing")).count == 0)

        // A corrupt file is simply replaced on the next save.
        let fresh = StateCache.load(from: location)
        fresh.record("x", stat: stat(), id: idB)
        try fresh.save()
        #expect(StateCache.load(from: location).lookup("x", stat: stat()) == idB)
    }

    @Test func entriesNewerThanTheSaveAreNotTrusted() throws {
        let dir = try TemporaryDirectory()
        let location = dir.path("state")
        let cache = StateCache(location: location)
        let now = StateCache.now()
        cache.record("racy", stat: stat(mtime: now), id: idA)
        cache.record("old", stat: stat(inode: 2), id: idA)
        var digest = DirectoryDigest()
        digest.add(relativePath: "racy", stat: stat(mtime: now))
        cache.recordDirectory("d", digest: digest, state: DirectoryState(id: ObjectID.emptyDirectory, size: 0, fileCount: 1))
        try cache.save()
        let loaded = StateCache.load(from: location)
        #expect(loaded.lookup("racy", stat: stat(mtime: now)) == nil)
        #expect(loaded.lookup("old", stat: stat(inode: 2)) == idA)
        #expect(loaded.lookupDirectory("d", digest: digest) == nil)
    }

    @Test func saveSkipsWhenNothingChanged() throws {
        let dir = try TemporaryDirectory()
        let location = dir.path("state")
        let cache = StateCache(location: location)
        try cache.save()
        #expect(!FileSystem.exists(location))
        cache.record("a", stat: stat(), id: idA)
        try cache.save()
        #expect(FileSystem.exists(location))
        let loaded = StateCache.load(from: location)
        loaded.record("a", stat: stat(), id: idA)  // identical: not a change
        #expect(!loaded.hasUnsavedChanges)
        loaded.prune { $0 != "a" }
        #expect(loaded.hasUnsavedChanges)
        #expect(loaded.count == 0)
    }

    @Test func directoryDigestIsOrderIndependentAndSensitive() {
        let files = (0..<20).map { ("f\($0)", stat(inode: UInt64($0), size: $0)) }
        var forward = DirectoryDigest()
        for (path, stat) in files { forward.add(relativePath: path, stat: stat) }
        var backward = DirectoryDigest()
        for (path, stat) in files.reversed() { backward.add(relativePath: path, stat: stat) }
        #expect(forward == backward)
        var changed = DirectoryDigest()
        for (index, (path, stat)) in files.enumerated() {
            var stat = stat
            if index == 7 { stat.mtimeNanoseconds += 1 }
            changed.add(relativePath: path, stat: stat)
        }
        #expect(changed != forward)
        var renamed = DirectoryDigest()
        for (index, (path, stat)) in files.enumerated() {
            renamed.add(relativePath: index == 3 ? "g3" : path, stat: stat)
        }
        #expect(renamed.high != forward.high || renamed.low != forward.low)
    }

    @Test func concurrentRecordsAndLookups() {
        let cache = StateCache(location: "/nonexistent/state")
        let id = idA
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for index in 0..<2_000 {
                let key = "w\(worker)/f\(index)"
                let stat = FileStat(device: 1, inode: UInt64(index), size: index, mtimeNanoseconds: oldMtime,
                                    mode: 0o644, kind: .file, linkCount: 1)
                cache.record(key, stat: stat, id: id)
                _ = cache.lookup(key, stat: stat)
            }
        }
        #expect(cache.count == 8_000)
    }

    @Test func manyEntriesRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let location = dir.path("state")
        let cache = StateCache(location: location)
        for index in 0..<20_000 {
            cache.record("dir\(index % 97)/file-\(index).bin", stat: stat(inode: UInt64(index), size: index), id: idA)
        }
        try cache.save()
        let loaded = StateCache.load(from: location)
        #expect(loaded.count == 20_000)
        #expect(loaded.lookup("dir\(12_345 % 97)/file-12345.bin", stat: stat(inode: 12_345, size: 12_345)) == idA)
    }
}
