import CairnCore
import CairnStorage
import Dispatch
import Glibc

/// A remote that is a directory (local disk or a mounted network file system), with the cache's layout.
/// Objects are written under a temp name in their final directory, made read-only (0444, as DVC does) and renamed,
/// so a reader never sees a partial object.
public struct LocalStore: RemoteStore {
    /// The remote's absolute directory.
    public let root: String
    public var url: String { root }

    /// A store rooted at an absolute directory (nothing is created until the first upload).
    public init(root: String) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    private func path(of key: String) -> String { root + "/" + key }

    public func existingKeys(_ keys: [String], jobs: Int) throws(RemoteError) -> Set<String> {
        // Many keys: a listing of each shard touched (a few getdents each) beats one stat per key.
        if keys.count >= 2_048 {
            var directories = Set<String>()
            for key in keys { directories.insert(RepoPath.parent(key)) }
            let listed = try listShards(Array(directories), jobs: jobs)
            return Set(keys.filter { listed.contains($0) })
        }
        let found = Locked<Set<String>>([])
        let chunks = stride(from: 0, to: keys.count, by: 64).map { $0..<min(keys.count, $0 + 64) }
        DispatchQueue.concurrentPerform(iterations: chunks.count) { index in
            var local: [String] = []
            for key in keys[chunks[index]] where (try? FileSystem.stat(path(of: key)))??.kind == .file {
                local.append(key)
            }
            found.update { $0.formUnion(local) }
        }
        return found.value
    }

    /// Every file name in these key directories, as keys.
    private func listShards(_ directories: [String], jobs: Int) throws(RemoteError) -> Set<String> {
        let found = Locked<Set<String>>([])
        let failure = Locked<RemoteError?>(nil)
        DispatchQueue.concurrentPerform(iterations: directories.count) { index in
            let directory = directories[index]
            do throws(StorageError) {
                let entries = try FileSystem.listDirectory(path(of: directory))
                let keys = entries.filter { $0.kind == .file && !TemporaryName.isTemporary($0.name) }
                    .map { directory + "/" + $0.name }
                found.update { $0.formUnion(keys) }
            } catch where error.isNotFound || error.errno == ENOTDIR {
                return
            } catch {
                failure.update { $0 = $0 ?? .local(path: error.path, detail: error.description) }
            }
        }
        if let error = failure.value { throw error }
        return found.value
    }

    public func listKeys(prefix: String) throws(RemoteError) -> [String] {
        var keys: [String] = []
        var pending = [prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix]
        while let directory = pending.popLast() {
            let entries: [DirectoryEntry]
            do {
                entries = try FileSystem.listDirectory(directory.isEmpty ? root : path(of: directory))
            } catch where error.isNotFound || error.errno == ENOTDIR {
                continue
            } catch {
                throw .local(path: error.path, detail: error.description)
            }
            for entry in entries where !TemporaryName.isTemporary(entry.name) {
                let key = directory.isEmpty ? entry.name : directory + "/" + entry.name
                switch entry.kind {
                case .directory: pending.append(key)
                case .file: keys.append(key)
                default: continue
                }
            }
        }
        return keys
    }

    public func upload(file: String, size: Int64, md5: String?, to key: String,
                       progress: @Sendable (Int64) -> Void) throws(RemoteError) {
        let destination = path(of: key)
        let directory = RepoPath.parent(destination)
        let temporary = directory + "/" + TemporaryName.make()
        do throws(StorageError) {
            // Hashing while copying costs no extra read and keeps a corrupt cache object off the remote. The shard
            // directory is created only when the copy finds it missing (no mkdir per object).
            let digest: FileDigest
            do {
                digest = try FileHasher.copy(from: file, to: temporary, mode: ObjectCache.objectMode)
            } catch where error.isNotFound && error.path == temporary {
                try FileSystem.makeDirectories(directory)
                digest = try FileHasher.copy(from: file, to: temporary, mode: ObjectCache.objectMode)
            }
            if let md5, digest.id.hex != md5 {
                _ = try? FileSystem.removeFile(temporary)
                throw StorageError(operation: "push", path: file, reason: .corruptObject(expected: md5, actual: digest.id.hex),
                                   message: "its content hashes to \(digest.id.hex), not \(md5)",
                                   hint: "Run `cairn cache verify` and re-add the data.")
            }
            try FileSystem.rename(temporary, to: destination)
            progress(Int64(digest.size))
        } catch {
            _ = try? FileSystem.removeFile(temporary)
            if error.isNotFound && error.path == file { throw .local(path: file, detail: "is missing from the cache") }
            throw .local(path: error.path, detail: error.description)
        }
    }

    public func download(key: String, into sink: any DownloadSink,
                         progress: @Sendable (Int64) -> Void) throws(RemoteError) {
        let source = path(of: key)
        do throws(RemoteError) {
            if let size = try sink.receive(file: source) {
                progress(size)
                return
            }
        } catch .missingObject {
            throw .missingObject(url: url, key: key)
        }
        let fd = open(source, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .missingObject(url: url, key: key) }
            throw .local(path: source, detail: String(cString: strerror(code)))
        }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw .local(path: source, detail: String(cString: strerror(errno)))
            }
            if count == 0 { return }
            try sink.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            progress(Int64(count))
        }
    }

    public func delete(keys: [String], jobs: Int) throws(RemoteError) {
        for key in keys {
            do {
                _ = try FileSystem.removeFile(path(of: key))
            } catch where error.isNotFound {
                continue
            } catch {
                throw .local(path: error.path, detail: error.description)
            }
        }
    }
}
