import CairnCore
import CairnStorage

/// Adds and removes DVC's `/name` entries in the `.gitignore` beside an output (FORMATS.md §1.4).
struct GitignoreWriter {
    let project: Project

    /// Git-ignores a tracked output unless git ignores it already; returns the `.gitignore` it changed.
    func ignore(_ path: String) throws -> String? {
        guard let git = try project.git else { return nil }
        if try git.isIgnored(path) { return nil }
        let directory = RepoPath.parent(path)
        let gitignore = directory.isEmpty ? ".gitignore" : directory + "/.gitignore"
        let entry = GitignoreEdit.entry(forPathRelativeToItsDirectory: RepoPath.name(path))
        let existing = try readIfPresent(gitignore)
        guard let updated = GitignoreEdit.adding(entry, to: existing) else { return nil }
        try FileSystem.writeFileAtomically(Array(updated.utf8), to: project.absolute(gitignore))
        return gitignore
    }

    /// Removes an output's entry; deletes a `.gitignore` left empty. Returns the file it changed.
    func unignore(_ path: String) throws -> String? {
        let directory = RepoPath.parent(path)
        let gitignore = directory.isEmpty ? ".gitignore" : directory + "/.gitignore"
        guard let existing = try readIfPresent(gitignore) else { return nil }
        let entry = GitignoreEdit.entry(forPathRelativeToItsDirectory: RepoPath.name(path))
        guard let updated = GitignoreEdit.removing(entry, from: existing), updated != existing else { return nil }
        if updated.isEmpty {
            _ = try FileSystem.removeFile(project.absolute(gitignore))
        } else {
            try FileSystem.writeFileAtomically(Array(updated.utf8), to: project.absolute(gitignore))
        }
        return gitignore
    }

    private func readIfPresent(_ gitignore: String) throws -> String? {
        let absolute = project.absolute(gitignore)
        guard FileSystem.exists(absolute) else { return nil }
        return String(decoding: try FileSystem.readFile(absolute), as: UTF8.self)
    }
}
