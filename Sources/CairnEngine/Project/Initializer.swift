import CairnCore
import CairnGit
import CairnStorage
import Foundation

/// Project templates that `cairn init --template NAME` writes (embedded from `templates/`).
public enum Templates {
    /// The available template names.
    public static var names: [String] {
        var seen: [String] = []
        for file in EmbeddedFiles.all where file.path.hasPrefix("templates/") {
            let name = file.path.dropFirst("templates/".count).split(separator: "/").first.map(String.init) ?? ""
            if !name.isEmpty && !seen.contains(name) { seen.append(name) }
        }
        return seen
    }

    /// The files of one template: path relative to the project root, executable flag, contents.
    static func files(of name: String) -> [(path: String, isExecutable: Bool, contents: String)] {
        let prefix = "templates/\(name)/"
        return EmbeddedFiles.all.filter { $0.path.hasPrefix(prefix) }
            .map { (String($0.path.dropFirst(prefix.count)), $0.isExecutable, $0.contents) }
    }
}

extension Project {
    /// DVC's `.dvc/.gitignore`, byte for byte.
    static let dvcDirectoryGitignore = "/config.local\n/tmp\n/cache\n"
    /// DVC's initial `.dvcignore`, byte for byte.
    static let initialDvcignore = """
        # Add patterns of files dvc should ignore, which could improve
        # the performance. Learn more at
        # https://dvc.org/doc/user-guide/dvcignore

        """

    /// `cairn init`: creates `.dvc/` (config, .gitignore, tmp/) and `.dvcignore` in `directory`,
    /// stages them in git through libgit2 as DVC does, and writes a template's files if asked.
    public static func initialize(in directory: String, options: InitOptions) throws -> InitOutcome {
        let root = normalized(directory)
        var template: [(path: String, isExecutable: Bool, contents: String)] = []
        if let name = options.template {
            template = Templates.files(of: name)
            if template.isEmpty {
                throw EngineError.usage("unknown template '\(name)'",
                                        hint: "Available templates: \(Templates.names.joined(separator: ", ")).")
            }
        }
        var git: GitRepository?
        if !options.noSCM {
            git = try GitRepository.discover(from: root)
            guard let git, let workdir = git.workdir else {
                throw EngineError(
                    "failed to initiate DVC - \(root) is not tracked by any supported SCM tool (e.g. Git).",
                    hint: "Run `git init` first, or use `--no-scm` if you don't want to use any SCM.")
            }
            if normalized(workdir) != root {
                throw EngineError(
                    "failed to initiate DVC - \(root) is not the top of its git repository (\(workdir)).",
                    hint: "Run `cairn init` at the git repository's root.")
            }
        }
        let dvcDirectory = root + "/.dvc"
        if FileManager.default.fileExists(atPath: dvcDirectory) {
            guard options.force else {
                throw EngineError("failed to initiate DVC - '.dvc' exists. Use `-f` to force.")
            }
            try FileSystem.removeTree(dvcDirectory)
        }
        // Refuse before writing anything if a template file would overwrite the user's work.
        for file in template where FileManager.default.fileExists(atPath: root + "/" + file.path) {
            throw EngineError("the template file '\(file.path)' exists already; nothing was initialised",
                              hint: "Move it away or initialise without --template.")
        }

        try FileSystem.makeDirectories(dvcDirectory + "/tmp")
        let config = options.noSCM ? "[core]\n    no_scm = True\n" : ""
        try FileSystem.writeFileAtomically(Array(config.utf8), to: dvcDirectory + "/config")
        var written = [".dvc/config"]
        if !options.noSCM {
            try FileSystem.writeFileAtomically(Array(dvcDirectoryGitignore.utf8), to: dvcDirectory + "/.gitignore")
            written.insert(".dvc/.gitignore", at: 0)
        }
        if !FileManager.default.fileExists(atPath: root + "/.dvcignore") {
            try FileSystem.writeFileAtomically(Array(initialDvcignore.utf8), to: root + "/.dvcignore")
        }
        written.append(".dvcignore")

        var outcome = InitOutcome()
        for file in template {
            let path = root + "/" + file.path
            try FileSystem.makeDirectories((path as NSString).deletingLastPathComponent)
            try FileSystem.writeFileAtomically(Array(file.contents.utf8), to: path, mode: file.isExecutable ? 0o755 : 0o644)
            outcome.templateFiles.append(file.path)
        }
        if let git {
            try git.addToIndex(written + outcome.templateFiles)
        }
        return outcome
    }
}
