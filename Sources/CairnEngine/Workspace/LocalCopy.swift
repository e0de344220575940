import CairnStorage

/// Copies a file or a directory tree (for `add -o`, whose source may lie outside the repository).
enum LocalCopy {
    /// Copies `source` to `destination` (which must not exist); a directory is copied recursively.
    static func copyTree(from source: String, isDirectory: Bool, to destination: String) throws {
        guard isDirectory else {
            _ = try FileHasher.copy(from: source, to: destination)
            return
        }
        try FileSystem.makeDirectories(destination)
        for entry in try FileSystem.listDirectory(source) {
            let from = source + "/" + entry.name
            let to = destination + "/" + entry.name
            let kind = entry.kind == .symlink ? (try FileSystem.stat(from))?.kind ?? .other : entry.kind
            switch kind {
            case .directory: try copyTree(from: from, isDirectory: true, to: to)
            case .file: _ = try FileHasher.copy(from: from, to: to)
            default: continue
            }
        }
    }
}
