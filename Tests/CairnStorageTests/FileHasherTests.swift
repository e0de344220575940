import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnStorage

@Suite struct FileHasherTests {
    @Test func knownDigests() throws {
        let dir = try TemporaryDirectory()
        let empty = try dir.write("empty", "")
        let single = try dir.write("single.txt", "single file\n")
        #expect(try FileHasher.md5(path: empty).id == ObjectID.emptyFile)
        #expect(try FileHasher.md5(path: empty).size == 0)
        let result = try FileHasher.md5(path: single)
        #expect(result.id.description == "8eb2cdea0e9735d773897e785ff2d121")
        #expect(result.size == 12)
    }

    @Test func fixtureWorkspaceFilesMatchTheirCacheObjects() throws {
        let workspace = Fixtures.file("01-add/workspace/data").path
        let expected: [String: String] = [
            "B.txt": "30cf3d7d133b08543cb6c8933c29dfd7",
            "a.txt": "b1946ac92492d2347c6235b4d2611184",
            "empty.txt": "d41d8cd98f00b204e9800998ecf8427e",
            "sub.txt": "fbade9e36a3f36d3d676c1b808451dd7",
            "sub/b.txt": "6983b4cd210aab338877de6d3b33c926",
            "sub/deeper/c.csv": "1b385affd7adb5a6283fef292b5df0f7",
            "Ünï/é.txt": "9dd4e461268c8034f5c8564e155c67a6",
        ]
        for (relative, md5) in expected {
            #expect(try FileHasher.md5(path: workspace + "/" + relative).id.hex == md5, "\(relative)")
            // The fixture's cache object has exactly the bytes its name says.
            let object = Fixtures.file("01-add/cache/files/md5/\(md5.prefix(2))/\(md5.dropFirst(2))").path
            #expect(try FileHasher.md5(path: object).id.hex == md5)
        }
        let manifest = Fixtures.file("01-add/cache/files/md5/7f/243c05e8dd0dabd734730fe2bbb3a1.dir").path
        #expect(try FileHasher.md5(path: manifest).id.hex == "7f243c05e8dd0dabd734730fe2bbb3a1")
    }

    @Test func legacyDos2UnixMatchesFixture06() throws {
        let path = Fixtures.file("06-legacy-dos2unix/crlf.txt").path
        #expect(try FileHasher.md5Dos2Unix(path: path).id.hex == "4fcc82a88ee38e0aa16c17f512c685c9")
        #expect(try FileHasher.md5Dos2Unix(path: path).size == 14)
        #expect(try FileHasher.md5(path: path).id.hex == "c6242222cf6ccdb15a43e0e5b1a08810")
        // The stored legacy object is named by the converted md5, its bytes are the original CRLF text.
        let listing = try Fixtures.text("06-legacy-dos2unix/cache-listing.txt")
        #expect(listing.contains(".dvc/cache/4f/cc82a88ee38e0aa16c17f512c685c9"))
    }

    @Test func dos2UnixTextDetection() {
        func isText(_ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBufferPointer { Dos2Unix.isText($0) }
        }
        #expect(isText([]))
        #expect(isText(Array("plain text\r\n".utf8)))
        #expect(!isText([0x41, 0x00, 0x42]))
        // 3 of 10 bytes outside the text set is exactly 30 %: still text; 4 of 10 is binary.
        #expect(isText([0x80, 0x81, 0x82] + Array(repeating: 0x41, count: 7)))
        #expect(!isText([0x80, 0x81, 0x82, 0x83] + Array(repeating: 0x41, count: 6)))
        #expect(isText([0x08, 0x0C, 0x09, 0x0A, 0x0D, 0x20, 0x7E]))
        #expect(!isText([0x7F, 0x7F, 0x7F, 0x41]))
    }

    @Test func dos2UnixDecidesPerChunkAndLeavesBinaryAlone() throws {
        let chunk = ChunkBuffer.chunkSize
        // Chunk 1: text, ends in "\r" with "\n" starting chunk 2 (a split CRLF stays); chunk 2 starts binary.
        var first = [UInt8](repeating: UInt8(ascii: "a"), count: chunk)
        first.replaceSubrange(10..<12, with: [0x0D, 0x0A])
        first[chunk - 1] = 0x0D
        var second = [UInt8](repeating: 0x90, count: 600)
        second[0] = 0x0A
        second += Array("x\r\ny\r\n".utf8)
        var third = Array("tail\r\n\r\r\n".utf8)
        third += [UInt8](repeating: UInt8(ascii: "b"), count: 100)
        // Make the second chunk full size so the third starts a new chunk.
        second += [UInt8](repeating: UInt8(ascii: "c"), count: chunk - second.count)
        let content = first + second + third

        let dir = try TemporaryDirectory()
        let path = try dir.write("mixed.bin", content)

        var expected = first
        expected.removeSubrange(10..<11)  // CRLF → LF inside text chunk 1
        expected += second                // binary chunk: untouched
        expected += Array("tail\n\r\n".utf8) + [UInt8](repeating: UInt8(ascii: "b"), count: 100)
        #expect(try FileHasher.md5Dos2Unix(path: path).id == ObjectID.md5(of: expected))
        #expect(try FileHasher.md5Dos2Unix(path: path).size == content.count)
        #expect(FileHasher.hash(bytes: content, kind: .md5Dos2Unix) == ObjectID.md5(of: expected))
    }

    @Test func largeFileIsStreamed() throws {
        let bytes = pseudoRandomBytes(count: 64 << 20, seed: 42)
        let dir = try TemporaryDirectory()
        let path = try dir.write("big.bin", bytes)
        let result = try FileHasher.md5(path: path, buffer: ChunkBuffer())
        #expect(result.id == ObjectID.md5(of: bytes))
        #expect(result.size == 64 << 20)
    }

    @Test func sizesAroundTheChunkBoundary() throws {
        let dir = try TemporaryDirectory()
        let buffer = ChunkBuffer()
        for size in [1, 511, 512, ChunkBuffer.chunkSize - 1, ChunkBuffer.chunkSize, ChunkBuffer.chunkSize + 1] {
            let bytes = pseudoRandomBytes(count: size, seed: UInt64(size))
            let path = try dir.write("f\(size)", bytes)
            let result = try FileHasher.md5(path: path, buffer: buffer)
            #expect(result.id == ObjectID.md5(of: bytes), "size \(size)")
            #expect(result.size == size)
        }
    }

    @Test func copyWritesAndHashesInOnePass() throws {
        let dir = try TemporaryDirectory()
        let bytes = pseudoRandomBytes(count: 3 * ChunkBuffer.chunkSize + 17, seed: 7)
        let source = try dir.write("source.bin", bytes)
        let destination = dir.path("copy.bin")
        let digest = try FileHasher.copy(from: source, to: destination, mode: 0o640)
        #expect(digest.id == ObjectID.md5(of: bytes))
        #expect(digest.size == bytes.count)
        #expect(try FileSystem.readFile(destination) == bytes)
        #expect(try FileSystem.stat(destination)?.mode == 0o640)
        // The destination must be new: an existing file is never overwritten in place.
        #expect(throws: StorageError.self) { try FileHasher.copy(from: source, to: destination) }
    }

    @Test func copyWithDos2UnixKeepsTheOriginalBytes() throws {
        let dir = try TemporaryDirectory()
        let source = try dir.write("crlf.txt", "line1\r\nline2\r\n")
        let destination = dir.path("out.txt")
        let digest = try FileHasher.copy(from: source, to: destination, kind: .md5Dos2Unix)
        #expect(digest.id.hex == "4fcc82a88ee38e0aa16c17f512c685c9")
        #expect(try dir.read("out.txt") == "line1\r\nline2\r\n")
    }

    @Test func missingFileErrorNamesThePath() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("nope.txt")
        let error = try #require(throws: StorageError.self) { try FileHasher.md5(path: path) }
        #expect(error.path == path)
        #expect(error.isNotFound)
        #expect(error.description.contains("nope.txt"))
    }

    @Test func fifoIsRefusedWithoutBlocking() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("pipe")
        #expect(mkfifo(path, 0o644) == 0)
        let error = try #require(throws: StorageError.self) { try FileHasher.md5(path: path) }
        #expect(error.reason == .invalidData)
        #expect(throws: StorageError.self) { try FileHasher.copy(from: path, to: dir.path("copy")) }
        #expect(!FileSystem.exists(dir.path("copy")))
    }

    @Test func hashingADirectoryFails() throws {
        let dir = try TemporaryDirectory()
        let error = try #require(throws: StorageError.self) { try FileHasher.md5(path: dir.path) }
        #expect(error.errno == EISDIR)
    }
}
