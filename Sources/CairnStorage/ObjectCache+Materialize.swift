import CairnCore
import Glibc

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
        guard contains(hash) else {
            throw StorageError(operation: "check out", path: path, reason: .missingObject,
                               message: "its cache object \(hash.id) is missing (\(object))",
                               hint: "fetch it from a remote with 'cairn fetch' or 'cairn pull'")
        }
        let directory = parentDirectory(path)
        if !FileSystem.isDirectory(directory) { try FileSystem.makeDirectories(directory) }
        let fileMode: UInt32 = executable ? 0o755 : 0o644
        var failures: [String] = []
        for type in linkTypes {
            let temp = joinPath(directory, TemporaryName.make())
            let placed: Bool
            switch type {
            case .reflink:
                placed = try cloneObject(object, to: temp, mode: fileMode, failures: &failures)
            case .hardlink:
                if link(object, temp) == 0 {
                    placed = true
                } else {
                    let code = errno
                    guard code == EXDEV || code == EPERM || code == EMLINK || code == EOPNOTSUPP else {
                        throw StorageError(operation: "hard-link '\(object)' to", path: path, errno: code)
                    }
                    failures.append("hardlink: \(StorageError.describe(errno: code))")
                    placed = false
                }
            case .symlink:
                if symlink(object, temp) == 0 {
                    placed = true
                } else {
                    let code = errno
                    guard code == EPERM || code == EOPNOTSUPP else {
                        throw StorageError(operation: "create symlink", path: path, errno: code)
                    }
                    failures.append("symlink: \(StorageError.describe(errno: code))")
                    placed = false
                }
            case .copy:
                let digest = try FileHasher.copy(from: object, to: temp, kind: hash.kind, mode: fileMode,
                                                 buffer: buffer)
                if digest.id.hex != hash.id.hex {
                    unlink(temp)
                    throw StorageError(operation: "check out", path: path,
                                       reason: .corruptObject(expected: hash.id.description,
                                                              actual: digest.id.description),
                                       message: "cache object \(object) is corrupt (its content hashes to \(digest.id))",
                                       hint: "remove the object and fetch it again ('cairn fetch'), or run 'cairn cache verify'")
                }
                placed = true
            }
            guard placed else { continue }
            if Glibc.rename(temp, path) != 0 {
                let code = errno
                unlink(temp)
                throw StorageError(operation: "check out", path: path, errno: code,
                                   hint: code == EISDIR || code == ENOTEMPTY
                                       ? "a directory is in the way; remove it first" : nil)
            }
            guard let stat = try FileSystem.stat(path) else {
                throw StorageError(operation: "check out", path: path, errno: ENOENT)
            }
            return PlacedObject(linkType: type, stat: stat)
        }
        let tried = linkTypes.map(\.rawValue).joined(separator: ",")
        throw StorageError(operation: "check out", path: path, reason: .system(errno: EOPNOTSUPP),
                           message: "no cache type of '\(tried)' works here (\(failures.joined(separator: "; ")))",
                           hint: "add 'copy' to cache.type, e.g. 'cairn config cache.type \(tried),copy'")
    }

    /// Clones the object into a new temp file; false (temp removed) when the file system cannot clone.
    private func cloneObject(_ object: String, to temp: String, mode: UInt32,
                             failures: inout [String]) throws(StorageError) -> Bool {
        let input = try FileSystem.openForReading(object)
        defer { closeQuietly(input) }
        let output = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if output < 0 { throw StorageError(operation: "create", path: temp, errno: errno) }
        if ioctl(output, Reflink.ficlone, input) != 0 {
            let code = errno
            closeQuietly(output)
            unlink(temp)
            guard Reflink.isUnsupported(code) else {
                throw StorageError(operation: "clone '\(object)' to", path: temp, errno: code)
            }
            failures.append("reflink: \(StorageError.describe(errno: code))")
            return false
        }
        let modeResult = fchmod(output, mode_t(mode))
        let modeError = errno
        if close(output) != 0 || modeResult != 0 {
            let code = modeResult != 0 ? modeError : errno
            unlink(temp)
            throw StorageError(operation: "write", path: temp, errno: code)
        }
        return true
    }
}
