import CairnCore
import CairnStorage

/// A `.dvc` file of the workspace, parsed, with its outputs resolved to repo-relative paths.
struct TrackedFile {
    /// Repo-relative path of the `.dvc` file.
    let path: String
    /// Its text as read (for comment-preserving updates).
    let text: String
    /// The parsed file.
    let file: DVCFile

    /// The outputs with their repo-relative paths.
    var outputs: [TrackedOutput] {
        file.outs.enumerated().map { index, output in
            TrackedOutput(dvcFile: path, index: index, output: output,
                          path: RepoPath.join(RepoPath.parent(path), output.path) ?? output.path)
        }
    }

    /// Reads and parses a `.dvc` file (path safety is checked by the codec before anything else).
    static func load(_ path: String, project: Project) throws -> TrackedFile {
        let bytes = try FileSystem.readFile(project.absolute(path))
        let text = String(decoding: bytes, as: UTF8.self)
        return TrackedFile(path: path, text: text, file: try DVCFile.parse(text, path: path))
    }
}

/// One output of a `.dvc` file.
struct TrackedOutput {
    /// The `.dvc` file that records it (repo-relative).
    let dvcFile: String
    /// Its position in that file's `outs`.
    let index: Int
    /// The recorded entry.
    let output: DVCOutput
    /// Repo-relative path of the data.
    let path: String

    /// The recorded hash, nil when none was recorded.
    var recorded: HashInfo? { output.hash }
    /// Whether the output lives in the cache (`cache: true`).
    var isCached: Bool { output.cache }
}

extension DVCFile {
    /// Parses a `.dvc` file read from a git revision; errors name it as `REV:path`.
    static func parse(_ text: String, path: String, revision: String) throws -> DVCFile {
        do {
            return try DVCFile.parse(text, path: path)
        } catch {
            var labelled = error
            labelled.path = "\(revision):\(error.path)"
            throw labelled
        }
    }
}
