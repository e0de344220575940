import CairnCore
import Foundation
import Glibc

/// One file to hash.
public struct HashRequest: Sendable, Hashable {
    /// Absolute path (or relative to the working directory) to read.
    public var path: String
    /// State cache key (repo-relative path); nil bypasses the state cache.
    public var key: String?
    /// A stat from the walk; with `key` it allows a state hit without opening the file.
    public var stat: FileStat?
    /// The hash function.
    public var kind: HashKind

    /// Creates a request.
    public init(path: String, key: String? = nil, stat: FileStat? = nil, kind: HashKind = .md5) {
        self.path = path
        self.key = key
        self.stat = stat
        self.kind = kind
    }

    /// A request for a walked file of the repository at `repoRoot`, keyed by its repo-relative path.
    public init(_ file: WalkedFile, repoRoot: String, kind: HashKind = .md5) {
        self.init(path: joinPath(repoRoot, file.path), key: file.path, stat: file.stat, kind: kind)
    }
}

/// The hash of one requested file.
public struct HashedFile: Sendable, Hashable {
    /// The file's id.
    public var id: ObjectID
    /// The file's size.
    public var size: Int
    /// The stat the id belongs to.
    public var stat: FileStat
    /// True when the state cache answered and the file was not read.
    public var fromState: Bool
}

/// Hashes many files on several threads, answering from the state cache where the stat is unchanged and
/// recording what it had to read. Results come back in input order; memory is one 1 MiB buffer per thread.
public struct ParallelHasher: Sendable {
    /// The default worker count: the active processor count.
    public static var defaultThreads: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Worker threads.
    public var threads: Int
    /// The state cache consulted and updated, if any.
    public var state: StateCache?

    /// A hasher with `threads` workers (default: the active processor count).
    public init(threads: Int = ParallelHasher.defaultThreads, state: StateCache? = nil) {
        self.threads = max(1, threads)
        self.state = state
    }

    /// Hashes every request; the first failure (naming its file) is thrown after the workers stop.
    public func hash(_ requests: [HashRequest]) throws(StorageError) -> [HashedFile] {
        let state = self.state
        // State hits first, on this thread: a lookup is far cheaper than waking workers that would then
        // contend for the state's lock. Only the misses are read, in parallel.
        var hits = [HashedFile?](repeating: nil, count: requests.count)
        var misses: [Int] = []
        for (index, request) in requests.enumerated() {
            if let hit = Self.stateHit(request, state) { hits[index] = hit } else { misses.append(index) }
        }
        if misses.isEmpty { return hits.map { $0! } }
        let missing = misses.map { requests[$0] }
        state?.reserveFiles(atLeast: requests.count)
        let hashed = try run(missing) { request, buffer throws(StorageError) in
            let digest = try FileHasher.hash(path: request.path, kind: request.kind, buffer: buffer, stat: request.stat)
            if let key = request.key { state?.record(key, stat: digest.stat, id: digest.id, kind: request.kind) }
            return HashedFile(id: digest.id, size: digest.size, stat: digest.stat, fromState: false)
        }
        for (position, index) in misses.enumerated() { hits[index] = hashed[position] }
        return hits.map { $0! }
    }

    /// Hashes every request and stores each file in `cache` in the same read (`mode` as in
    /// `ObjectCache.insertFile`). A state hit whose object is already cached reads nothing.
    public func hashAndStore(_ requests: [HashRequest], into cache: ObjectCache,
                             mode: InsertMode = .copy) throws(StorageError) -> [HashedFile] {
        let state = self.state
        state?.reserveFiles(atLeast: requests.count)
        return try run(requests) { request, buffer throws(StorageError) in
            let hit = Self.stateHit(request, state)
            let inserted = try cache.insertFile(at: request.path, mode: mode, kind: request.kind, known: hit?.id,
                                                stat: request.stat, buffer: buffer)
            if inserted.mode == nil, let hit { return hit }
            // A moved file is gone from the workspace; whoever places it back records the new stat.
            if let key = request.key, inserted.mode != .move {
                state?.record(key, stat: inserted.stat, id: inserted.id, kind: request.kind)
            }
            return HashedFile(id: inserted.id, size: inserted.size, stat: inserted.stat, fromState: false)
        }
    }

    private static func stateHit(_ request: HashRequest, _ state: StateCache?) -> HashedFile? {
        guard let state, let key = request.key, let stat = request.stat,
              let id = state.lookup(key, stat: stat, kind: request.kind)
        else { return nil }
        return HashedFile(id: id, size: stat.size, stat: stat, fromState: true)
    }

    private func run(_ requests: [HashRequest],
                     _ work: @escaping @Sendable (HashRequest, ChunkBuffer) throws(StorageError) -> HashedFile)
        throws(StorageError) -> [HashedFile] {
        let results = ResultSlots<HashedFile>(count: requests.count)
        let batch = ParallelLoop.batchSize(count: requests.count, threads: threads)
        try ParallelLoop.run(count: requests.count, threads: threads, batch: batch, makeWorker: { ChunkBuffer() }) {
            buffer, range throws(StorageError) in
            for index in range { results[index] = try work(requests[index], buffer) }
        }
        return results.compacted()
    }
}
