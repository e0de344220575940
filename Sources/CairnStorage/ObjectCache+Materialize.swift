import CairnCore
import Glibc
import Synchronization

/// One object to place in the workspace (for the batch form of `ObjectCache.materialize`).
public struct MaterializeRequest: Sendable, Hashable {
    /// The object.
    public var hash: HashInfo
    /// The workspace path to create or replace.
    public var path: String
    /// Whether a copy also gets u+x (0744 with a umask of 022), as DVC gives executables.
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
    /// unsupported, and after the first such failure no later file tries), hardlink (falls through on
    /// EXDEV/EPERM/EMLINK), symlink (absolute path to the object), copy (the object is read once and hashed while
    /// written; a mismatch throws `corruptObject` and leaves nothing behind). A new file is written unnamed
    /// (`O_TMPFILE`) or under a temp name and only then gets its name, so a crash never leaves a half-written
    /// file; an existing file at `path` is replaced atomically, an existing directory is an error. Copies and
    /// clones get 0666 minus the umask, plus u+x when `executable` (as DVC); hard links and symlinks share the
    /// object's 0444. Missing parent directories are created.
    @discardableResult
    public func materialize(_ hash: HashInfo, at path: String, linkTypes: [LinkType] = LinkType.defaultPreference,
                            executable: Bool = false, buffer: ChunkBuffer? = nil) throws(StorageError) -> PlacedObject {
        let object = self.path(of: hash)
        var failures: [String] = []
        var staged: StagedFile?
        var createdDirectory = false
        for type in linkTypes {
            var outcome: Placement
            while true {
                do throws(StorageError) {
                    outcome = try place(type, hash: hash, object: object, path: path, executable: executable,
                                        buffer: buffer, staged: &staged)
                } catch {
                    staged?.discard()
                    throw error
                }
                guard case .noDirectory = outcome, !createdDirectory else { break }
                do throws(StorageError) {
                    try FileSystem.makeDirectories(parentDirectory(path))
                } catch {
                    staged?.discard()
                    throw error
                }
                createdDirectory = true
            }
            switch outcome {
            case .placed(let stat):
                staged?.discard()
                return PlacedObject(linkType: type, stat: stat)
            case .unsupported(let reason):
                failures.append("\(type.rawValue): \(reason)")
            case .noDirectory:
                staged?.discard()
                throw StorageError(operation: "check out", path: path, errno: ENOENT)
            }
        }
        staged?.discard()
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
        /// The file is in place; its stat (following a symlink).
        case placed(FileStat)
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

    /// Tries one link type. `staged` carries a workspace file created for a clone that failed over to a copy, so
    /// the copy does not create another; when this throws, the caller drops what `staged` still holds.
    private func place(_ type: LinkType, hash: HashInfo, object: String, path: String, executable: Bool,
                       buffer: ChunkBuffer?, staged: inout StagedFile?) throws(StorageError) -> Placement {
        switch type {
        case .reflink, .copy:
            if type == .reflink && reflinkUnsupported.load(ordering: .relaxed) {
                return .unsupported(StorageError.describe(errno: EOPNOTSUPP))
            }
            let input = openObject(hash, path: object)
            if input < 0 {
                let code = errno
                if code == ENOENT { throw missingObject(hash, object: object, workspacePath: path) }
                throw StorageError(operation: "open", path: object, errno: code)
            }
            defer { closeQuietly(input) }
            if staged == nil {
                // The umask applies as for any new file; executables ask for u+x on top, as DVC does.
                staged = try StagedFile.create(in: parentDirectory(path), mode: executable ? 0o766 : 0o666,
                                               unnamedUnsupported: workspaceUnnamedUnsupported)
            }
            guard let output = staged else { return .noDirectory }
            if type == .reflink {
                if !Reflink.clone(from: input, to: output.fd) {
                    let code = errno
                    guard Reflink.isUnsupported(code) else {
                        throw StorageError(operation: "clone '\(object)' to", path: path, errno: code)
                    }
                    if Reflink.isUnsupportedHere(code) { reflinkUnsupported.store(true, ordering: .relaxed) }
                    return .unsupported(StorageError.describe(errno: code))
                }
            } else {
                try copyVerified(hash, from: input, object: object, to: output, path: path,
                                 buffer: buffer ?? .forCurrentThread())
            }
            staged = nil
            return .placed(try finishWorkspaceFile(output, at: path, executable: executable))
        case .hardlink:
            if linkFromObject(hash, path: object, to: path) != 0 {
                let code = errno
                switch code {
                case EEXIST:
                    try replace(path, with: object, how: link)
                case ENOENT:
                    if !FileSystem.exists(object) { throw missingObject(hash, object: object, workspacePath: path) }
                    return .noDirectory
                case EXDEV, EPERM, EMLINK, EOPNOTSUPP:
                    return .unsupported(StorageError.describe(errno: code))
                default:
                    throw StorageError(operation: "hard-link '\(object)' to", path: path, errno: code)
                }
            }
            guard let stat = try FileSystem.stat(path) else {
                throw StorageError(operation: "check out", path: path, errno: ENOENT)
            }
            return .placed(stat)
        case .symlink:
            // symlink(2) does not look at its target, so check the object exists first; its stat is then the
            // placed path's stat (which follows the link).
            guard let stat = try FileSystem.stat(object), stat.kind == .file else {
                throw missingObject(hash, object: object, workspacePath: path)
            }
            if symlink(object, path) != 0 {
                let code = errno
                switch code {
                case EEXIST: try replace(path, with: object, how: symlink)
                case ENOENT: return .noDirectory
                case EPERM, EOPNOTSUPP: return .unsupported(StorageError.describe(errno: code))
                default: throw StorageError(operation: "create symlink", path: path, errno: code)
                }
            }
            return .placed(stat)
        }
    }

    /// Copies the object into the staged file while hashing it; a mismatch throws `corruptObject` (the caller
    /// drops the staged file).
    private func copyVerified(_ hash: HashInfo, from input: Int32, object: String, to output: StagedFile,
                              path: String, buffer: ChunkBuffer) throws(StorageError) {
        let digest = try FileHasher.copy(input: input, source: object, output: output.fd,
                                         destination: output.temporaryPath ?? path, kind: hash.kind, buffer: buffer)
        if digest.id.hex != hash.id.hex {
            throw StorageError(operation: "check out", path: path,
                               reason: .corruptObject(expected: hash.id.description, actual: digest.id.description),
                               message: "cache object \(object) is corrupt (its content hashes to \(digest.id))",
                               hint: "remove the object and fetch it again ('cairn fetch'), or run 'cairn cache verify'")
        }
    }

    /// Names a complete workspace copy (replacing what is there), closes it and returns its stat.
    private func finishWorkspaceFile(_ output: StagedFile, at path: String,
                                     executable: Bool) throws(StorageError) -> FileStat {
        var stat: FileStat
        do throws(StorageError) {
            // A umask that takes u+x away does not keep DVC from setting it.
            if executable, !ProcessUmask.keeps(0o100) {
                var raw = Glibc.stat()
                if fstat(output.fd, &raw) == 0, UInt32(raw.st_mode) & 0o100 == 0 {
                    _ = fchmod(output.fd, mode_t(UInt32(raw.st_mode) & 0o7777 | 0o100))
                }
            }
            try output.publishReplacing(path, operation: "check out")
            // The descriptor's stat is the new file's: no path lookup, and linkat/rename leave the mtime alone.
            stat = try FileHasher.fileStat(output.fd, path: path)
        } catch {
            output.discard()
            throw error
        }
        let code = output.close()
        if code != 0 {
            unlink(path)
            throw StorageError(operation: "write", path: path, errno: code)
        }
        return stat
    }

    /// Replaces whatever is at `path` with a new link made by `how` (link or symlink) under a temp name, then
    /// renamed over it; a directory in the way is an error.
    private func replace(_ path: String, with object: String,
                         how: (UnsafePointer<CChar>, UnsafePointer<CChar>) -> Int32) throws(StorageError) {
        let directory = parentDirectory(path)
        var temp: String
        while true {
            temp = joinPath(directory, TemporaryName.make())
            if how(object, temp) == 0 { break }
            let code = errno
            if code != EEXIST { throw StorageError(operation: "check out", path: path, errno: code) }
        }
        if Glibc.rename(temp, path) != 0 {
            let code = errno
            unlink(temp)
            throw StorageError(operation: "check out", path: path, errno: code,
                               hint: code == EISDIR || code == ENOTEMPTY || code == EEXIST
                                   ? "a directory is in the way; remove it first" : nil)
        }
        // rename(2) between two links of one inode succeeds without doing anything: drop the temp link.
        unlink(temp)
    }
}
