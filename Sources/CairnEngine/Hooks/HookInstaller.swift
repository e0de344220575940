import CairnCore
import CairnGit
import CairnStorage
import Foundation

/// What `cairn install` did, one line per hook (or per file).
public struct HookInstallOutcome: Sendable {
    /// Human-readable lines, in hook order.
    public var lines: [String] = []
}

extension Project {
    /// `cairn install`: places cairn's pre-commit, post-checkout and pre-push hooks in the git hooks folder
    /// (`core.hooksPath`, else the common git dir's `hooks`), keeping a user's hook as `NAME.pre-cairn`, run first.
    /// `fallbackBinary` (the installing cairn's absolute path) is recorded for when `cairn` is not on PATH.
    /// Every decision is made before anything is written, so a conflict leaves the hooks as they were.
    public func installHooks(fallbackBinary: String?) throws -> HookInstallOutcome {
        let directory = try hooksDirectory()
        var plans: [(GitHookKind, HookInstallAction, String)] = []
        for kind in GitHookKind.allCases {
            let wanted = GitHookScript.render(template: try Self.hookTemplate(kind), fallbackBinary: fallbackBinary)
            let action = HookInstallAction.decide(kind, existing: try Self.readText(directory + "/" + kind.fileName),
                                                  chainedExists: FileSystem.exists(directory + "/" + kind.chainedFileName),
                                                  wanted: wanted)
            if case .conflict(let message) = action {
                throw EngineError("cannot install the \(kind.fileName) hook in \(directory): \(message)")
            }
            plans.append((kind, action, wanted))
        }
        try FileSystem.makeDirectories(directory)
        var outcome = HookInstallOutcome()
        for (kind, action, wanted) in plans {
            let path = directory + "/" + kind.fileName
            switch action {
            case .unchanged:
                outcome.lines.append("\(kind.fileName): already installed")
            case .write, .update:
                try FileSystem.writeFileAtomically(Array(wanted.utf8), to: path, mode: 0o755)
                outcome.lines.append("\(kind.fileName): installed in \(directory)")
            case .chainAndWrite:
                // A rename keeps the user's hook byte for byte, mode included.
                try FileSystem.rename(path, to: directory + "/" + kind.chainedFileName)
                try FileSystem.writeFileAtomically(Array(wanted.utf8), to: path, mode: 0o755)
                outcome.lines.append("\(kind.fileName): installed; your hook was kept as \(kind.chainedFileName) and runs first")
            case .leaveAlone(let note):
                outcome.lines.append("\(kind.fileName): \(note)")
            case .conflict:
                break
            }
        }
        return outcome
    }

    /// `cairn install --uninstall`: removes cairn's hooks and moves any `NAME.pre-cairn` back (bytes and mode as
    /// they were); hooks that are not cairn's are left alone.
    public func uninstallHooks() throws -> HookInstallOutcome {
        let directory = try hooksDirectory()
        var outcome = HookInstallOutcome()
        for kind in GitHookKind.allCases {
            let path = directory + "/" + kind.fileName
            let chained = directory + "/" + kind.chainedFileName
            switch HookUninstallAction.decide(existing: try Self.readText(path), chainedExists: FileSystem.exists(chained)) {
            case .nothing:
                outcome.lines.append("\(kind.fileName): no cairn hook installed")
            case .remove:
                _ = try FileSystem.removeFile(path)
                outcome.lines.append("\(kind.fileName): removed")
            case .restore:
                try FileSystem.rename(chained, to: path)
                outcome.lines.append("\(kind.fileName): removed; your previous hook is back")
            }
        }
        return outcome
    }

    /// `cairn install --use-pre-commit-tool`: adds cairn's hooks to `.pre-commit-config.yaml` at the git work
    /// tree's root (created when missing), keeping the rest of the file's text as it is.
    public func installPreCommitToolConfig() throws -> HookInstallOutcome {
        guard let git = try git, let workdir = git.workdir else {
            throw EngineError("cairn install needs a git repository with a work tree", hint: "Run `git init` first.")
        }
        let path = workdir + "/.pre-commit-config.yaml"
        let existing = try Self.readText(path)
        let updated: String?
        do {
            updated = try PreCommitConfigEdit.apply(to: existing)
        } catch {
            throw EngineError("\(path): \(error.message)")
        }
        guard let updated else { return HookInstallOutcome(lines: [".pre-commit-config.yaml: cairn's hooks are already listed"]) }
        try FileSystem.writeFileAtomically(Array(updated.utf8), to: path)
        return HookInstallOutcome(lines: [
            ".pre-commit-config.yaml: \(existing == nil ? "created" : "updated") with cairn's hooks",
            "Run `pre-commit install --hook-type pre-commit --hook-type post-checkout --hook-type pre-push` to activate them.",
        ])
    }

    /// The folder git runs hooks from, for this project's repository.
    private func hooksDirectory() throws -> String {
        guard let git = try git, !git.isBare else {
            throw EngineError("cairn install needs a git repository with a work tree (none found for \(root))",
                              hint: "Run `git init` first; with `core.no_scm` there are no git hooks.")
        }
        return try git.hooksDirectory()
    }

    /// The embedded shim for a hook.
    static func hookTemplate(_ kind: GitHookKind) throws -> String {
        guard let file = EmbeddedFiles.all.first(where: { $0.path == "hooks/" + kind.fileName }) else {
            throw EngineError("this cairn binary carries no \(kind.fileName) hook", hint: "Rebuild it after `make embed`.")
        }
        return file.contents
    }

    /// A file's text, nil when it does not exist.
    static func readText(_ path: String) throws -> String? {
        guard FileSystem.exists(path) else { return nil }
        return String(decoding: try FileSystem.readFile(path), as: UTF8.self)
    }
}

extension Project {
    /// The project containing `directory`, nil when there is no `.dvc/` up to the root (hooks then do nothing).
    public static func openIfPresent(from directory: String) throws -> Project? {
        guard findRoot(from: directory) != nil else { return nil }
        return try open(from: directory)
    }
}
