import CairnCore
import CairnStorage

/// The `.dvcignore` files of a project, read on demand and combined into matchers.
/// Each `.dvcignore` applies to its own directory's subtree; the root one to the whole repo.
final class DvcIgnoreRules {
    private let project: Project
    private var filesByDirectory: [String: IgnoreFile?] = [:]

    init(project: Project) {
        self.project = project
    }

    /// The parsed `.dvcignore` of one directory, nil when it has none (memoised).
    func file(in directory: String) throws -> IgnoreFile? {
        if let known = filesByDirectory[directory] { return known }
        let source = directory.isEmpty ? ".dvcignore" : directory + "/.dvcignore"
        var parsed: IgnoreFile?
        if FileSystem.exists(project.absolute(source)) {
            let bytes = try FileSystem.readFile(project.absolute(source))
            parsed = IgnoreFile(path: source, baseDirectory: directory, contents: bytes)
        }
        filesByDirectory[directory] = parsed
        return parsed
    }

    /// A matcher with the `.dvcignore` files of `directory` and all its ancestors.
    func matcher(covering directory: String) throws -> IgnoreMatcher {
        var files: [IgnoreFile] = []
        var ancestors = [""]
        var prefix = ""
        for component in directory.split(separator: "/") {
            prefix = prefix.isEmpty ? String(component) : prefix + "/" + component
            ancestors.append(prefix)
        }
        for ancestor in ancestors {
            if let file = try file(in: ancestor) { files.append(file) }
        }
        return IgnoreMatcher(files: files)
    }

    /// Whether a repo-relative path is excluded, by its own name or by an excluded parent directory.
    func isIgnored(_ path: String, isDirectory: Bool) throws -> Bool {
        if path.isEmpty { return false }
        let matcher = try matcher(covering: RepoPath.parent(path))
        var prefix = ""
        let components = path.split(separator: "/")
        for (index, component) in components.enumerated() {
            prefix = prefix.isEmpty ? String(component) : prefix + "/" + component
            let last = index == components.count - 1
            if matcher.isIgnored(prefix, isDirectory: last ? isDirectory : true) { return true }
        }
        return false
    }
}
