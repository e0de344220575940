import CairnCore
import CairnStorage

/// Turns linked outputs into private writable copies before a command may change them in place (`persist`
/// outputs, DVC's "unprotect"): a hard link or symlink into the cache must never be written through.
enum Unprotect {
    /// Unprotects every file at or below `path`; a missing path is left alone.
    static func tree(at path: String) throws {
        guard let stat = try FileSystem.lstat(path) else { return }
        switch stat.kind {
        case .directory:
            for entry in try FileSystem.listDirectory(path) {
                try tree(at: path + "/" + entry.name)
            }
        case .symlink, .file:
            guard stat.kind == .symlink || stat.linkCount > 1 || stat.mode & 0o200 == 0 else { return }
            let executable = (try FileSystem.stat(path))?.isExecutable ?? false
            // Copy beside and rename over: the link is replaced, the cache object it pointed to is untouched.
            let temporary = RepoPath.parent(path) + "/" + TemporaryName.make()
            _ = try FileHasher.copy(from: path, to: temporary, mode: executable ? 0o755 : 0o644)
            do {
                try FileSystem.rename(temporary, to: path)
            } catch {
                _ = try? FileSystem.removeFile(temporary)
                throw error
            }
        default:
            return
        }
    }
}
