import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnStorage

@Suite struct ParallelHasherTests {
    func makeTree(_ dir: TemporaryDirectory, count: Int) throws -> [WalkedFile] {
        for index in 0..<count {
            let size = index % 7 == 0 ? 0 : (index * 7919) % 5000 + (index % 50 == 0 ? ChunkBuffer.chunkSize + 3 : 0)
            let path = try dir.write("repo/d\(index % 9)/f\(index).bin", pseudoRandomBytes(count: size, seed: UInt64(index)))
            try FileSystem.setModificationTime(path, nanoseconds: oldMtime)
        }
        return try WorkspaceWalker.walk(dir.path("repo"), prefix: "").files
    }

    @Test func parallelResultsEqualSequentialInInputOrder() throws {
        let dir = try TemporaryDirectory()
        let files = try makeTree(dir, count: 300)
        let requests = files.map { HashRequest($0, repoRoot: dir.path("repo")) }
        let sequential = try requests.map { try FileHasher.md5(path: $0.path).id }
        for threads in [1, 2, 4] {
            let results = try ParallelHasher(threads: threads).hash(requests)
            #expect(results.map(\.id) == sequential)
            #expect(results.map(\.size) == files.map(\.stat.size))
            #expect(results.allSatisfy { !$0.fromState })
        }
    }

    @Test func stateCacheAnswersUnchangedFilesAndRecordsMisses() throws {
        let dir = try TemporaryDirectory()
        let files = try makeTree(dir, count: 120)
        let state = StateCache(location: dir.path("state"))
        let hasher = ParallelHasher(threads: 2, state: state)
        let requests = files.map { HashRequest($0, repoRoot: dir.path("repo")) }
        let first = try hasher.hash(requests)
        #expect(state.count == 120)
        #expect(first.allSatisfy { !$0.fromState })
        try state.save()

        // Next run: a fresh walk and a loaded state; one file changed.
        let changed = dir.path("repo/d1/f1.bin")
        try dir.write("repo/d1/f1.bin", "changed")
        let reloaded = StateCache.load(from: dir.path("state"))
        let again = try WorkspaceWalker.walk(dir.path("repo"), prefix: "").files
        let second = try ParallelHasher(threads: 2, state: reloaded).hash(again.map { HashRequest($0, repoRoot: dir.path("repo")) })
        for (file, result) in zip(again, second) {
            if dir.path("repo/" + file.path) == changed {
                #expect(!result.fromState)
                #expect(result.id == ObjectID.md5(of: Array("changed".utf8)))
            } else {
                #expect(result.fromState, "\(file.path)")
            }
        }
    }

    @Test func failureNamesTheFile() throws {
        let dir = try TemporaryDirectory()
        let good = try dir.write("good.txt", "g")
        let requests = [HashRequest(path: good), HashRequest(path: dir.path("missing.txt")), HashRequest(path: good)]
        let error = try #require(throws: StorageError.self) { try ParallelHasher(threads: 2).hash(requests) }
        #expect(error.path == dir.path("missing.txt"))
        #expect(try ParallelHasher().hash([]).isEmpty)
    }

    @Test func hashAndStoreFillsTheCacheInTheSameRead() throws {
        let dir = try TemporaryDirectory()
        let files = try makeTree(dir, count: 60)
        let cache = ObjectCache(root: dir.path("repo/.dvc/cache"))
        let state = StateCache(location: dir.path("state"))
        let requests = files.map { HashRequest($0, repoRoot: dir.path("repo")) }
        let results = try ParallelHasher(threads: 2, state: state).hashAndStore(requests, into: cache)
        for (request, result) in zip(requests, results) {
            #expect(result.id == (try FileHasher.md5(path: request.path).id))
            #expect(cache.contains(result.id))
            #expect(cache.isTrusted(HashInfo(result.id)))
        }
        #expect(state.count == 60)
        #expect(try temporaryFiles(under: cache.root).isEmpty)
        // Unchanged files with cached objects: answered from the state without reading.
        let again = try ParallelHasher(threads: 2, state: state).hashAndStore(requests, into: cache)
        #expect(again.allSatisfy { $0.fromState })
        #expect(again.map(\.id) == results.map(\.id))
        #expect(Set(try cache.allObjects()) == Set(results.map { HashInfo($0.id) }))
    }
}
