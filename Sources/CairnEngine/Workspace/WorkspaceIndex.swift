import CairnCore
import CairnStorage

/// Every `.dvc` file (and `dvc.lock`) of the workspace, found by one walk that honours `.dvcignore`,
/// never enters `.git`, `.dvc` or nested DVC repositories, and skips directories that are tracked outputs
/// (a `.dvc` file sits beside its output, so its directory is known before the walk would descend).
struct WorkspaceIndex {
    /// Parsed `.dvc` files, by path.
    var trackedFiles: [TrackedFile]
    /// Repo-relative paths of `dvc.lock` files.
    var lockFiles: [String]
    /// Repo-relative paths of `dvc.yaml` files.
    var pipelineFiles: [String]

    /// Walks the workspace. A `.dvc` file that fails to parse fails the whole scan: whole-repo commands
    /// must not act on a partial view.
    static func scan(_ project: Project, ignore: DvcIgnoreRules) throws -> WorkspaceIndex {
        var index = WorkspaceIndex(trackedFiles: [], lockFiles: [], pipelineFiles: [])
        var pending = [""]
        var trackedOutputs = Set<String>()
        while let directory = pending.popLast() {
            let entries = try FileSystem.listDirectory(project.absolute(directory))
            let matcher = try ignore.matcher(covering: directory)
            func relative(_ name: String) -> String { directory.isEmpty ? name : directory + "/" + name }
            var subdirectories: [String] = []
            for entry in entries {
                let path = relative(entry.name)
                var kind = entry.kind
                if kind == .symlink {
                    kind = (try? FileSystem.stat(project.absolute(path)))??.kind ?? .other
                }
                if kind == .directory {
                    if entry.name == ".git" || entry.name == ".dvc" || entry.name == ".hg" { continue }
                    if matcher.isIgnored(path, isDirectory: true) { continue }
                    subdirectories.append(path)
                } else if kind == .file {
                    if matcher.isIgnored(path, isDirectory: false) { continue }
                    if entry.name.hasSuffix(".dvc") && entry.name.count > 4 {
                        let tracked = try TrackedFile.load(path, project: project)
                        for output in tracked.outputs { trackedOutputs.insert(output.path) }
                        index.trackedFiles.append(tracked)
                    } else if entry.name == "dvc.lock" {
                        index.lockFiles.append(path)
                    } else if entry.name == "dvc.yaml" {
                        index.pipelineFiles.append(path)
                    }
                }
            }
            for subdirectory in subdirectories where !trackedOutputs.contains(subdirectory) {
                // A directory holding its own `.dvc/` is a nested DVC repository: not ours.
                if FileSystem.isDirectory(project.absolute(subdirectory) + "/.dvc") { continue }
                pending.append(subdirectory)
            }
        }
        index.trackedFiles.sort { DirManifest.utf8Less($0.path, $1.path) }
        index.lockFiles.sort { DirManifest.utf8Less($0, $1) }
        index.pipelineFiles.sort { DirManifest.utf8Less($0, $1) }
        return index
    }

    /// All outputs of all `.dvc` files.
    var outputs: [TrackedOutput] { trackedFiles.flatMap(\.outputs) }
}
