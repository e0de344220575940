import CairnCore
import Dispatch
import Glibc
import Synchronization

/// Copies a large file while hashing it, with the md5 on the calling thread and the writes on a helper thread.
/// Hashing (~650 MB/s) and writing cost about the same, so a 2 GiB copy takes the longer of the two instead of
/// their sum, while the file is still read only once. Memory stays at a few chunk buffers whatever the size.
enum PipelinedCopy {
    /// Files from this size on are worth a helper thread.
    static let threshold = 8 * ChunkBuffer.chunkSize
    /// Chunks in flight between the hashing and the writing thread.
    static let slots = 4

    /// Hashes (md5) and writes `input` from its current offset to `output`. `first` is a chunk already read from
    /// `input` (it is written and hashed first). Returns the md5 and the byte count.
    static func run(input: Int32, inputPath: String, output: Int32, outputPath: String, expectedSize: Int,
                    first: UnsafeRawBufferPointer) throws(StorageError) -> (id: ObjectID, size: Int) {
        let ring = Ring(output: output)
        let writer = DispatchGroup()
        DispatchQueue.global(qos: .userInitiated).async(group: writer) { ring.drain() }

        var digest = StreamDigest(kind: .md5)
        var total = 0
        var slot = 0
        var readError: StorageError?
        var pending = first.count > 0 ? first : nil
        var atEnd = first.count >= expectedSize
        while true {
            ring.free.wait()
            let buffer = ring.buffers[slot]
            var filled = 0
            if let chunk = pending {
                buffer.storage.copyMemory(from: chunk)
                filled = chunk.count
                pending = nil
            } else if !atEnd && ring.writeError == 0 {
                do throws(StorageError) {
                    (filled, atEnd) = try FileHasher.readChunk(fd: input, path: inputPath, buffer: buffer,
                                                               remaining: expectedSize - total)
                } catch {
                    readError = error
                }
            }
            if filled == 0 || readError != nil {
                ring.lengths[slot] = -1  // tells the writer to stop
                ring.filled.signal()
                break
            }
            digest.consume(UnsafeMutableRawBufferPointer(start: buffer.storage.baseAddress, count: filled))
            total += filled
            ring.lengths[slot] = filled
            ring.filled.signal()
            slot = (slot + 1) % slots
        }
        writer.wait()
        if let readError { throw readError }
        if ring.writeError != 0 { throw StorageError(operation: "write", path: outputPath, errno: ring.writeError) }
        return (digest.finish(isDirectory: false), total)
    }

    /// Chunk buffers handed from the hashing thread to the writing thread in order.
    private final class Ring: @unchecked Sendable {
        let output: Int32
        let buffers: [ChunkBuffer]
        /// Byte counts per slot; -1 ends the stream. Each slot is written before `filled` is signalled and read
        /// after waiting on it, so the semaphores order the accesses.
        var lengths: [Int]
        // Created at zero and raised in init: libdispatch refuses to free a semaphore whose count ends below the
        // value it was created with, and the hashing thread may finish holding free slots.
        let free = DispatchSemaphore(value: 0)
        let filled = DispatchSemaphore(value: 0)
        /// The first write errno (set by the writer; the hashing thread stops reading early when it sees one).
        let writeFailure = Atomic<Int32>(0)

        var writeError: Int32 { writeFailure.load(ordering: .acquiring) }

        init(output: Int32) {
            self.output = output
            buffers = (0..<PipelinedCopy.slots).map { _ in ChunkBuffer() }
            for _ in 0..<PipelinedCopy.slots { free.signal() }
            lengths = Array(repeating: 0, count: PipelinedCopy.slots)
        }

        /// The writing thread: writes slots in order until the end marker; after a failure it only drains.
        func drain() {
            var slot = 0
            while true {
                filled.wait()
                let count = lengths[slot]
                if count < 0 { return }
                if writeError == 0 {
                    let code = FileSystem.writeAll(output, UnsafeRawBufferPointer(start: buffers[slot].storage.baseAddress,
                                                                                 count: count))
                    if code != 0 { writeFailure.store(code, ordering: .releasing) }
                }
                free.signal()
                slot = (slot + 1) % PipelinedCopy.slots
            }
        }
    }
}
