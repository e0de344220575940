import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnStorage

@Suite struct ObjectCacheTests {
    let single = ObjectID("8eb2cdea0e9735d773897e785ff2d121")!

    @Test func layout() throws {
        let cache = ObjectCache(root: "/repo/.dvc/cache/")
        #expect(cache.root == "/repo/.dvc/cache")
        #expect(cache.path(of: single) == "/repo/.dvc/cache/files/md5/8e/b2cdea0e9735d773897e785ff2d121")
        #expect(cache.path(of: HashInfo(ObjectID("7f243c05e8dd0dabd734730fe2bbb3a1.dir")!))
                == "/repo/.dvc/cache/files/md5/7f/243c05e8dd0dabd734730fe2bbb3a1.dir")
        #expect(cache.path(of: HashInfo(ObjectID("4fcc82a88ee38e0aa16c17f512c685c9")!, kind: .md5Dos2Unix))
                == "/repo/.dvc/cache/4f/cc82a88ee38e0aa16c17f512c685c9")
        #expect(ObjectCache(root: "relative/cache").root.hasPrefix("/"))
    }

    @Test func insertBytesWritesAReadOnlyObjectAtomically() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("cache"))
        let manifest = try Fixtures.bytes("01-add/cache/files/md5/7f/243c05e8dd0dabd734730fe2bbb3a1.dir")
        let id = try cache.insert(bytes: manifest, isDirectory: true)
        #expect(id.description == "7f243c05e8dd0dabd734730fe2bbb3a1.dir")
        let path = cache.path(of: id)
        #expect(try FileSystem.readFile(path) == manifest)
        #expect(try FileSystem.stat(path)?.mode == 0o444)
        #expect(ObjectCache.isTrusted(path: path))
        #expect(try names(in: dir.path("cache/files/md5/7f")) == ["243c05e8dd0dabd734730fe2bbb3a1.dir"])
        #expect(try cache.insert(bytes: manifest, isDirectory: true) == id)  // idempotent

        let parsed = try cache.readManifest(id)
        #expect(parsed.fileCount == 7)
        #expect(parsed.entries.first?.relpath == "B.txt")
        #expect(try cache.insert(manifest: parsed) == id)
    }

    @Test func readManifestReportsMissingAndCorruptObjects() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("cache"))
        let id = ObjectID("7f243c05e8dd0dabd734730fe2bbb3a1.dir")!
        let missing = try #require(throws: StorageError.self) { try cache.readManifest(id) }
        #expect(missing.reason == .missingObject)
        try dir.write("cache/files/md5/7f/243c05e8dd0dabd734730fe2bbb3a1.dir", "[]")
        let corrupt = try #require(throws: StorageError.self) { try cache.readManifest(id) }
        guard case .corruptObject = corrupt.reason else {
            Issue.record("expected a corrupt-object error, got \(corrupt)")
            return
        }
        // Bytes that hash right but are not a manifest.
        let junk = try cache.insert(bytes: Array("{}".utf8), isDirectory: true)
        let invalid = try #require(throws: StorageError.self) { try cache.readManifest(junk) }
        #expect(invalid.reason == .invalidData)
    }

    @Test(arguments: InsertMode.allCases)
    func insertFileModes(mode: InsertMode) throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("repo/.dvc/cache"))
        let bytes = pseudoRandomBytes(count: 2 * ChunkBuffer.chunkSize + 5, seed: 3)
        let source = try dir.write("repo/data.bin", bytes)
        let before = try #require(try FileSystem.stat(source))
        let inserted = try cache.insertFile(at: source, mode: mode)
        #expect(inserted.id == ObjectID.md5(of: bytes))
        #expect(inserted.size == bytes.count)
        #expect(inserted.stat.inode == before.inode)
        let object = cache.path(of: inserted.id)
        let objectStat = try #require(try FileSystem.stat(object))
        #expect(objectStat.mode == 0o444)
        #expect(cache.verify(HashInfo(inserted.id)))
        switch mode {
        case .copy:
            #expect(inserted.mode == .copy)
            #expect(objectStat.inode != before.inode)
            #expect(try FileSystem.stat(source)?.mode == 0o644)
        case .reflink:
            // ext4 and tmpfs cannot clone: the copy fallback is used and reported.
            #expect(inserted.mode == .reflink || inserted.mode == .copy)
        case .hardlink:
            #expect(inserted.mode == .hardlink)
            #expect(objectStat.inode == before.inode)
            #expect(objectStat.linkCount == 2)
        case .move:
            #expect(inserted.mode == .move)
            #expect(objectStat.inode == before.inode)
            #expect(!FileSystem.exists(source))
        }
        #expect(try temporaryFiles(under: cache.root).isEmpty)
        #expect(try cache.allObjects() == [HashInfo(inserted.id)])
    }

    @Test func knownHashSkipsReadingWhenTheObjectIsPresent() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("cache"))
        let source = try dir.write("single.txt", "single file\n")
        let first = try cache.insertFile(at: source)
        #expect(first.mode == .copy)
        let second = try cache.insertFile(at: source, known: single)
        #expect(second.mode == nil)
        #expect(second.id == single)
        #expect(second.size == 12)
    }

    @Test func legacyObjectsLiveUnderTheRoot() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("cache"))
        let source = try dir.write("crlf.txt", "line1\r\nline2\r\n")
        let inserted = try cache.insertFile(at: source, kind: .md5Dos2Unix)
        #expect(inserted.id.hex == "4fcc82a88ee38e0aa16c17f512c685c9")
        let legacy = HashInfo(inserted.id, kind: .md5Dos2Unix)
        #expect(cache.path(of: legacy) == dir.path("cache/4f/cc82a88ee38e0aa16c17f512c685c9"))
        #expect(try dir.read("cache/4f/cc82a88ee38e0aa16c17f512c685c9") == "line1\r\nline2\r\n")
        #expect(cache.verify(legacy))
        #expect(!cache.verify(HashInfo(inserted.id)))  // not a DVC 3 object
        let modern = try cache.insertFile(at: source)
        #expect(Set(try cache.allObjects()) == [legacy, HashInfo(modern.id)])
        // Materialising a legacy object by copy verifies with the legacy hash.
        let placed = try cache.materialize(legacy, at: dir.path("ws/crlf.txt"), linkTypes: [.copy])
        #expect(placed.linkType == .copy)
        #expect(try dir.read("ws/crlf.txt") == "line1\r\nline2\r\n")
    }

    @Test func enumerationSkipsTemporaryAndForeignFiles() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("cache"))
        let id = try cache.insert(bytes: Array("x".utf8), isDirectory: false)
        try dir.write("cache/files/md5/9d/.cairn-0123456789abcdef.tmp", "partial")
        try dir.write("cache/files/md5/9d/.other.tmp", "partial")
        try dir.write("cache/files/md5/9d/not-an-object", "?")
        try dir.write("cache/files/md5/.cairn-00000000000000aa.tmp", "staged")
        try dir.write("cache/files/md5/zz/0123456789abcdef0123456789abcd", "?")
        try dir.write("cache/runs/ab/" + String(repeating: "a", count: 64) + "/x", "run")
        try dir.write("cache/4f/cc82a88ee38e0aa16c17f512c685c9", "line1\r\nline2\r\n")
        #expect(Set(try cache.allObjects())
                == [HashInfo(id), HashInfo(ObjectID("4fcc82a88ee38e0aa16c17f512c685c9")!, kind: .md5Dos2Unix)])
        #expect(try cache.removeStaleTemporaryFiles(olderThan: 3600) == 0)  // fresh: maybe still being written
        #expect(try cache.removeStaleTemporaryFiles(olderThan: -1) == 3)
        #expect(try temporaryFiles(under: cache.root).isEmpty)
        #expect(try cache.remove(HashInfo(id)))
        #expect(try !cache.remove(HashInfo(id)))
        #expect(!cache.contains(id))
    }

    @Test func sharedGroupDirectories() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("cache"), sharedGroup: true)
        let id = try cache.insert(bytes: Array("shared".utf8), isDirectory: false)
        #expect(try FileSystem.stat(dir.path("cache"))?.mode == 0o2775)
        #expect(try FileSystem.stat(dir.path("cache/files/md5"))?.mode == 0o2775)
        #expect(try FileSystem.stat(parentDirectory(cache.path(of: id)))?.mode == 0o2775)
        #expect(try FileSystem.stat(cache.path(of: id))?.mode == 0o444)
    }

    @Test func verifyAndTrust() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("cache"))
        let id = try cache.insert(bytes: Array("single file\n".utf8), isDirectory: false)
        #expect(id == single)
        #expect(cache.verify(HashInfo(id)))
        #expect(cache.isTrusted(HashInfo(id)))
        try FileSystem.setMode(cache.path(of: id), 0o644)
        #expect(!cache.isTrusted(HashInfo(id)))
        try FileSystem.writeFileAtomically(Array("tampered\n".utf8), to: cache.path(of: id), mode: 0o444)
        #expect(!cache.verify(HashInfo(id)))
        #expect(!cache.verify(HashInfo(ObjectID.emptyFile)))
    }
}

@Suite struct MaterializeTests {
    func cacheWithObject(_ dir: TemporaryDirectory, _ text: String = "payload\n") throws -> (ObjectCache, HashInfo) {
        let cache = ObjectCache(root: dir.path("repo/.dvc/cache"))
        let id = try cache.insert(bytes: Array(text.utf8), isDirectory: false)
        return (cache, HashInfo(id))
    }

    /// Object names resolve against a descriptor of the object root; a cache directory replaced while the
    /// `ObjectCache` lives must still be found by path (inserting, linking and copying out).
    @Test func replacedCacheDirectoryIsStillUsed() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("cache"))
        try dir.write("repo/a.txt", "first")
        let first = try cache.insertFile(at: dir.path("repo/a.txt"), mode: .hardlink)
        #expect(first.mode == .hardlink)
        try FileSystem.removeTree(dir.path("cache"))
        try dir.write("repo/b.txt", "second")
        let second = try cache.insertFile(at: dir.path("repo/b.txt"), mode: .hardlink)
        #expect(second.mode == .hardlink)
        #expect(cache.verify(HashInfo(second.id)))
        #expect(!cache.contains(HashInfo(first.id)))
        let linked = try cache.materialize(HashInfo(second.id), at: dir.path("out/b.txt"), linkTypes: [.hardlink])
        #expect(linked.linkType == .hardlink)
        let copied = try cache.materialize(HashInfo(second.id), at: dir.path("out/c.txt"), linkTypes: [.copy])
        #expect(copied.linkType == .copy)
        #expect(try FileSystem.readFile(dir.path("out/c.txt")) == Array("second".utf8))
    }

    @Test func hardlinkSharesTheInode() throws {
        let dir = try TemporaryDirectory()
        let (cache, hash) = try cacheWithObject(dir)
        let target = dir.path("repo/data/f.txt")
        let placed = try cache.materialize(hash, at: target, linkTypes: [.hardlink, .copy])
        #expect(placed.linkType == .hardlink)
        let object = try #require(try FileSystem.stat(cache.path(of: hash)))
        let file = try #require(try FileSystem.stat(target))
        #expect(file.inode == object.inode)
        #expect(file.linkCount == 2)
        #expect(file.mode == 0o444)
        #expect(placed.stat == file)
        #expect(try names(in: dir.path("repo/data")) == ["f.txt"])
    }

    @Test func symlinkPointsAtTheAbsoluteObjectPath() throws {
        let dir = try TemporaryDirectory()
        let (cache, hash) = try cacheWithObject(dir)
        let target = dir.path("repo/f.txt")
        let placed = try cache.materialize(hash, at: target, linkTypes: [.symlink])
        #expect(placed.linkType == .symlink)
        #expect(try FileSystem.lstat(target)?.kind == .symlink)
        let pointee = try FileSystem.readSymlink(target)
        #expect(pointee == cache.path(of: hash))
        #expect(pointee.hasPrefix("/"))
        #expect(placed.stat.mode == 0o444)
        #expect(placed.stat.inode == (try FileSystem.stat(cache.path(of: hash)))?.inode)
    }

    @Test func copyIsWritableAndExecutableOnRequest() throws {
        let dir = try TemporaryDirectory()
        let (cache, hash) = try cacheWithObject(dir)
        let plain = try cache.materialize(hash, at: dir.path("repo/plain.txt"), linkTypes: [.copy])
        #expect(plain.linkType == .copy)
        #expect(plain.stat.mode == copyMode(executable: false))
        #expect(plain.stat.inode != (try FileSystem.stat(cache.path(of: hash)))?.inode)
        #expect(try dir.read("repo/plain.txt") == "payload\n")
        let script = try cache.materialize(hash, at: dir.path("repo/run.sh"), linkTypes: [.copy], executable: true)
        #expect(script.stat.mode == copyMode(executable: true))
        #expect(script.stat.isExecutable)
        #expect(script.stat == (try FileSystem.stat(dir.path("repo/run.sh"))))
    }

    @Test func reflinkFallsThroughWhereUnsupported() throws {
        let dir = try TemporaryDirectory()
        let (cache, hash) = try cacheWithObject(dir)
        let placed = try cache.materialize(hash, at: dir.path("repo/f.txt"))  // default: reflink,copy
        #expect(placed.linkType == .reflink || placed.linkType == .copy)
        #expect(placed.stat.mode == copyMode(executable: false))
        #expect(try dir.read("repo/f.txt") == "payload\n")
        if placed.linkType == .copy {
            // This file system cannot clone: reflink alone fails, naming what to configure, and leaves nothing.
            let error = try #require(throws: StorageError.self) {
                try cache.materialize(hash, at: dir.path("repo/g.txt"), linkTypes: [.reflink])
            }
            #expect(error.hint?.contains("cache.type") == true)
            #expect(try names(in: dir.path("repo")).filter { $0 != ".dvc" } == ["f.txt"])
        }
    }

    @Test func replacesAnExistingFileAtomically() throws {
        let dir = try TemporaryDirectory()
        let (cache, hash) = try cacheWithObject(dir)
        try dir.write("repo/f.txt", "old content that is longer\n")
        try cache.materialize(hash, at: dir.path("repo/f.txt"), linkTypes: [.copy])
        #expect(try dir.read("repo/f.txt") == "payload\n")
        try cache.materialize(hash, at: dir.path("repo/f.txt"), linkTypes: [.hardlink])
        #expect(try FileSystem.stat(dir.path("repo/f.txt"))?.linkCount == 2)
        // Again over a link to the same inode: rename(2) is then a no-op, and no temp link may stay behind.
        try cache.materialize(hash, at: dir.path("repo/f.txt"), linkTypes: [.hardlink])
        #expect(try FileSystem.stat(dir.path("repo/f.txt"))?.linkCount == 2)
        try cache.materialize(hash, at: dir.path("repo/f.txt"), linkTypes: [.symlink])
        try cache.materialize(hash, at: dir.path("repo/f.txt"), linkTypes: [.symlink])
        #expect(try FileSystem.lstat(dir.path("repo/f.txt"))?.kind == .symlink)
        #expect(try names(in: dir.path("repo")) == [".dvc", "f.txt"])
    }

    @Test func corruptObjectIsDetectedAndNothingIsLeft() throws {
        let dir = try TemporaryDirectory()
        let (cache, hash) = try cacheWithObject(dir)
        try FileSystem.writeFileAtomically(Array("PAYLOAD\n".utf8), to: cache.path(of: hash), mode: 0o444)
        try FileSystem.makeDirectories(dir.path("repo/data"))
        let error = try #require(throws: StorageError.self) {
            try cache.materialize(hash, at: dir.path("repo/data/f.txt"), linkTypes: [.copy])
        }
        guard case .corruptObject(let expected, let actual) = error.reason else {
            Issue.record("expected corruptObject, got \(error)")
            return
        }
        #expect(expected == hash.id.description)
        #expect(actual == ObjectID.md5(of: Array("PAYLOAD\n".utf8)).description)
        #expect(error.description.contains(cache.path(of: hash)))
        #expect(try names(in: dir.path("repo/data")).isEmpty)
    }

    @Test func missingObject() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("cache"))
        let error = try #require(throws: StorageError.self) {
            try cache.materialize(HashInfo(ObjectID.emptyFile), at: dir.path("f"), linkTypes: [.copy])
        }
        #expect(error.reason == .missingObject)
        #expect(!FileSystem.exists(dir.path("f")))
    }

    @Test func directoryInTheWayIsAnError() throws {
        let dir = try TemporaryDirectory()
        let (cache, hash) = try cacheWithObject(dir)
        try dir.write("repo/f.txt/inner", "x")
        #expect(throws: StorageError.self) {
            try cache.materialize(hash, at: dir.path("repo/f.txt"), linkTypes: [.copy])
        }
        #expect(try names(in: dir.path("repo")) == [".dvc", "f.txt"])
    }
}

@Suite struct BatchMaterializeTests {
    @Test func placesManyObjectsInOrder() throws {
        let dir = try TemporaryDirectory()
        let cache = ObjectCache(root: dir.path("repo/.dvc/cache"))
        var requests: [MaterializeRequest] = []
        for index in 0..<200 {
            let id = try cache.insert(bytes: Array("content \(index % 50)\n".utf8), isDirectory: false)
            requests.append(MaterializeRequest(HashInfo(id), at: dir.path("repo/out/d\(index % 7)/f\(index)"),
                                               executable: index % 10 == 0))
        }
        let placed = try cache.materialize(requests, linkTypes: [.copy], threads: 3)
        #expect(placed.count == 200)
        for (index, result) in placed.enumerated() {
            #expect(result.linkType == .copy)
            #expect(result.stat.mode == copyMode(executable: index % 10 == 0))
            #expect(try dir.read("repo/out/d\(index % 7)/f\(index)") == "content \(index % 50)\n")
        }
        let missing = requests + [MaterializeRequest(HashInfo(ObjectID.emptyFile), at: dir.path("repo/out/missing"))]
        let error = try #require(throws: StorageError.self) { try cache.materialize(missing, linkTypes: [.hardlink]) }
        #expect(error.reason == .missingObject)
        #expect(error.path == dir.path("repo/out/missing"))
        #expect(try temporaryFiles(under: dir.path("repo")).isEmpty)
    }
}
