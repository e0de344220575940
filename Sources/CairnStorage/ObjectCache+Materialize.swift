import CairnCore
import Glibc

/// One object to place in the workspace (for the batch form of `ObjectCache.materialize`).
public struct MaterializeRequest: Sendable, Hashable {
    /// The object.
    public var hash: HashInfo
    /// The workspace path to create or replace.
    public var path: String
    /// Whether a copy gets 0755 instead of 0644.
    public var executable: Bool

    /// Creates a request.
    public init(_ hash: HashInfo, at path: String, executable: Bool = false) {
        self.hash = hash
        self.path = path
        self.executable = executable
    }
}

extension ObjectCache {
    /// Places an object at a workspace path, trying `linkTypes` in order: reflink (FICLONE; falls through where
    /// unsupported), hardlink (falls through on EXDEV/EPERM/EMLINK), symlink (absolute path to the object), copy
    /// (hashed while written; a mismatch throws `corruptObject` and leaves nothing behind). The result always
    /// appears through a rename of a temp file, so a crash never leaves a half-written file; an existing file at
    /// `path` is replaced, an existing directory is an error. Copies and clones get 0644 (0755 when `executable`);
    /// hard links and symlinks share the object's 0444. Missing parent directories are created.
    @discardableResult
    public func materialize(_ hash: HashInfo, at path: String, linkTypes: [LinkType] = LinkType.defaultPreference,
                            executable: Bool = false, buffer: ChunkBuffer? = nil) throws(StorageError) -> PlacedObject {
        let object = self.path(of: hash)
        let directory = parentDirectory(path)
        let fileMode: UInt32 = executable ? 0o755 : 0o644
        var failures: [String] = []
        for type in linkTypes {
            var outcome = try place(type, hash: hash, object: object, directory: directory, mode: fileMode,
                                    buffer: buffer, workspacePath: path)
            if case .noDirectory = outcome {
                try FileSystem.makeDirectories(directory)
                outcome = try place(type, hash: hash, object: object, directory: directory, mode: fileMode,
                                    buffer: buffer, workspacePath: path)
            }
            switch outcome {
            case .placed(let temp):
                if Glibc.rename(temp, path) != 0 {
                    let code = errno
                    unlink(temp)
                    throw StorageError(operation: "check out", path: path, errno: code,
                                       hint: code == EISDIR || code == ENOTEMPTY || code == EEXIST
                                           ? "a directory is in the way; remove it first" : nil)
                }
                // rename(2) between two links of one inode succeeds without doing anything: drop the temp link.
                if type == .hardlink { unlink(temp) }
                guard let stat = try FileSystem.stat(path) else {
                    throw StorageError(operation: "check out", path: path, errno: ENOENT)
                }
                return PlacedObject(linkType: type, stat: stat)
            case .unsupported(let reason):
                failures.append("\(type.rawValue): \(reason)")
            case .noDirectory:
                throw StorageError(operation: "check out", path: path, errno: ENOENT)
            }
        }
        let tried = linkTypes.map(\.rawValue).joined(separator: ",")
        throw StorageError(operation: "check out", path: path, reason: .system(errno: EOPNOTSUPP),
                           message: "no cache type of '\(tried)' works here (\(failures.joined(separator: "; ")))",
                           hint: "add 'copy' to cache.type, e.g. 'cairn config cache.type \(tried),copy'")
    }

    /// Places many objects on `threads` workers; results in input order. The first failure is thrown after the
    /// workers stop (objects already placed stay).
    public func materialize(_ requests: [MaterializeRequest], linkTypes: [LinkType] = LinkType.defaultPreference,
                            threads: Int = ParallelHasher.defaultThreads) throws(StorageError) -> [PlacedObject] {
        let results = ResultSlots<PlacedObject>(count: requests.count)
        let batch = ParallelLoop.batchSize(count: requests.count, threads: threads)
        try ParallelLoop.run(count: requests.count, threads: threads, batch: batch, makeWorker: { ChunkBuffer() }) {
            buffer, range throws(StorageError) in
            for index in range {
                let request = requests[index]
                results[index] = try self.materialize(request.hash, at: request.path, linkTypes: linkTypes,
                                                      executable: request.executable, buffer: buffer)
            }
        }
        return results.compacted()
    }

    private enum Placement {
        /// The temp file is ready to be renamed into place.
        case placed(String)
        /// This link type cannot work here; try the next.
        case unsupported(String)
        /// The workspace directory does not exist yet.
        case noDirectory
    }

    private func missingObject(_ hash: HashInfo, object: String, workspacePath: String) -> StorageError {
        StorageError(operation: "check out", path: workspacePath, reason: .missingObject,
                     message: "its cache object \(hash.id) is missing (\(object))",
                     hint: "fetch it from a remote with 'cairn fetch' or 'cairn pull'")
    }

    private func place(_ type: LinkType, hash: HashInfo, object: String, directory: String, mode: UInt32,
                       buffer: ChunkBuffer?, workspacePath: String) throws(StorageError) -> Placement {
        let temp = joinPath(directory, TemporaryName.make())
        switch type {
        case .reflink, .copy:
            let input = open(object, O_RDONLY | O_CLOEXEC)
            if input < 0 {
                let code = errno
                if code == ENOENT { throw missingObject(hash, object: object, workspacePath: workspacePath) }
                throw StorageError(operation: "open", path: object, errno: code)
            }
            defer { closeQuietly(input) }
            let output = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if output < 0 {
                let code = errno
                if code == ENOENT { return .noDirectory }
                throw StorageError(operation: "create a file in", path: directory, errno: code)
            }
            if type == .reflink {
                if ioctl(output, Reflink.ficlone, input) != 0 {
                    let code = errno
                    closeQuietly(output)
                    unlink(temp)
                    guard Reflink.isUnsupported(code) else {
                        throw StorageError(operation: "clone '\(object)' to", path: workspacePath, errno: code)
                    }
                    return .unsupported(StorageError.describe(errno: code))
                }
            } else {
                let digest: FileDigest
                do throws(StorageError) {
                    digest = try FileHasher.copy(input: input, source: object, output: output, destination: temp,
                                                 kind: hash.kind, buffer: buffer ?? ChunkBuffer())
                } catch {
                    closeQuietly(output)
                    unlink(temp)
                    throw error
                }
                if digest.id.hex != hash.id.hex {
                    closeQuietly(output)
                    unlink(temp)
                    throw StorageError(operation: "check out", path: workspacePath,
                                       reason: .corruptObject(expected: hash.id.description,
                                                              actual: digest.id.description),
                                       message: "cache object \(object) is corrupt (its content hashes to \(digest.id))",
                                       hint: "remove the object and fetch it again ('cairn fetch'), or run 'cairn cache verify'")
                }
            }
            let modeResult = fchmod(output, mode_t(mode))
            let modeError = errno
            if close(output) != 0 || modeResult != 0 {
                let code = modeResult != 0 ? modeError : errno
                unlink(temp)
                throw StorageError(operation: "write", path: temp, errno: code)
            }
            return .placed(temp)
        case .hardlink:
            if link(object, temp) == 0 { return .placed(temp) }
            let code = errno
            switch code {
            case ENOENT:
                if !FileSystem.exists(object) { throw missingObject(hash, object: object, workspacePath: workspacePath) }
                return .noDirectory
            case EXDEV, EPERM, EMLINK, EOPNOTSUPP:
                return .unsupported(StorageError.describe(errno: code))
            default:
                throw StorageError(operation: "hard-link '\(object)' to", path: workspacePath, errno: code)
            }
        case .symlink:
            // symlink(2) does not look at its target, so check the object exists first.
            guard contains(hash) else { throw missingObject(hash, object: object, workspacePath: workspacePath) }
            if symlink(object, temp) == 0 { return .placed(temp) }
            let code = errno
            switch code {
            case ENOENT: return .noDirectory
            case EPERM, EOPNOTSUPP: return .unsupported(StorageError.describe(errno: code))
            default: throw StorageError(operation: "create symlink", path: workspacePath, errno: code)
            }
        }
    }
}
