import Foundation

/// Adds cairn's hooks to a pre-commit framework `.pre-commit-config.yaml` as a text edit, so the user's comments
/// and layout stay as they are (pure; `cairn install --use-pre-commit-tool` writes the result).
public enum PreCommitConfigEdit {
    /// Why the file cannot be edited safely.
    public struct EditError: Error, Equatable, Sendable {
        /// What is wrong and what to do.
        public let message: String
    }

    /// The `repo: local` entry for `kinds`, as list-item lines indented by `indent` spaces.
    static func block(_ kinds: [GitHookKind], indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        var lines = ["\(pad)- repo: local", "\(pad)  hooks:"]
        for kind in kinds {
            lines += [
                "\(pad)    - id: \(kind.preCommitToolID)",
                "\(pad)      name: cairn \(kind.rawValue)",
                "\(pad)      entry: cairn hook \(kind.rawValue)",
                "\(pad)      language: system",
                "\(pad)      stages: [\(kind.preCommitToolStage)]",
                "\(pad)      always_run: true",
                "\(pad)      pass_filenames: false",
                "\(pad)      require_serial: true",
            ]
        }
        return lines
    }

    /// The new text of `.pre-commit-config.yaml` (`existing` nil = no file yet), or nil when every cairn hook is
    /// already listed. Throws when `repos` is not a block list this edit can extend.
    public static func apply(to existing: String?) throws(EditError) -> String? {
        let text = existing ?? ""
        let missing = GitHookKind.allCases.filter { !mentions(text, id: $0.preCommitToolID) }
        if missing.isEmpty { return nil }
        var lines = text.isEmpty ? [] : text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        guard let reposLine = lines.firstIndex(where: { $0.hasPrefix("repos:") }) else {
            var out = lines
            if text.isEmpty {
                out.append("# git hooks run by the pre-commit framework (https://pre-commit.com): `pre-commit install`")
                out.append("default_install_hook_types: [pre-commit, post-checkout, pre-push]")
            }
            out.append("repos:")
            out += block(missing, indent: 2)
            return out.joined(separator: "\n") + "\n"
        }
        let rest = lines[reposLine].dropFirst("repos:".count).trimmingCharacters(in: .whitespaces)
        guard rest.isEmpty || rest.hasPrefix("#") else {
            throw EditError(message: "`repos:` is written in flow style (`\(rest)`); write it as a block list (`- repo: …` lines) and run again, or add cairn's hooks by hand")
        }
        // The list items' indentation: that of the first item below `repos:` (YAML allows 0), else 2.
        var indent = 2
        for line in lines[(reposLine + 1)...] {
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix("- ") || trimmed == "-" { indent = line.count - trimmed.count }
            break
        }
        lines.insert(contentsOf: block(missing, indent: indent), at: reposLine + 1)
        return lines.joined(separator: "\n") + "\n"
    }

    /// True when some line of `text` is `id: ID` (as a list item or a key), ignoring comments.
    static func mentions(_ text: String, id: String) -> Bool {
        text.split(separator: "\n").contains { raw in
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("- ") { line = String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces) }
            guard line.hasPrefix("id:") else { return false }
            var value = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
            if let hash = value.range(of: " #") { value = String(value[..<hash.lowerBound]) }
            value = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
            return value == id
        }
    }
}
