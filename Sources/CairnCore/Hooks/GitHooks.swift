import Foundation

/// The git hooks cairn installs.
public enum GitHookKind: String, CaseIterable, Sendable {
    case preCommit = "pre-commit"
    case postCheckout = "post-checkout"
    case prePush = "pre-push"

    /// The hook's file name in the hooks directory.
    public var fileName: String { rawValue }
    /// Where a user's hook that was there before is kept while cairn's hook is installed.
    public var chainedFileName: String { rawValue + ".pre-cairn" }
    /// The id of the hook in `.pre-commit-config.yaml` / `.pre-commit-hooks.yaml`.
    public var preCommitToolID: String { "cairn-" + rawValue }
    /// The pre-commit framework's stage name for this hook.
    public var preCommitToolStage: String { rawValue }
}

/// The text of cairn's hook scripts and how cairn recognises them (pure; the installer does the file work).
public enum GitHookScript {
    /// Marks a hook file as cairn's own: the second line of every installed hook starts with it.
    public static let marker = "# cairn-hook "
    /// The placeholder line of the embedded shims that `cairn install` fills with the installing binary's path.
    public static let fallbackLine = "CAIRN_FALLBACK=''"

    /// The hook to install: the embedded shim with the absolute path of the installing cairn as the fallback used
    /// when `cairn` is not on PATH (nil leaves it empty).
    public static func render(template: String, fallbackBinary: String?) -> String {
        guard let fallbackBinary, !fallbackBinary.isEmpty,
              let range = template.range(of: fallbackLine) else { return template }
        return template.replacingCharacters(in: range, with: "CAIRN_FALLBACK=" + shellQuoted(fallbackBinary))
    }

    /// True when the hook file's text is one cairn installed.
    public static func isCairnHook(_ text: String) -> Bool {
        text.split(separator: "\n", maxSplits: 3, omittingEmptySubsequences: false).prefix(3)
            .contains { $0.hasPrefix(marker) }
    }

    /// True when a user's hook already hands over to cairn or DVC itself (then it is left alone).
    public static func callsCairnOrDVC(_ text: String) -> Bool {
        text.contains("cairn hook") || text.contains("dvc git-hook")
    }

    /// `text` in single quotes for sh.
    public static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// What `cairn install` does with one hook, decided from what is in the hooks directory (pure).
public enum HookInstallAction: Equatable, Sendable {
    /// No hook there: write cairn's.
    case write
    /// cairn's hook is there with exactly this text: nothing to do.
    case unchanged
    /// cairn's hook is there with other text (e.g. another binary path): replace it, the chained hook stays.
    case update
    /// A user's hook is there: move it aside to `NAME.pre-cairn` (bytes and mode kept), then write cairn's.
    case chainAndWrite
    /// A user's hook already calls cairn or DVC: left alone, with this note.
    case leaveAlone(note: String)
    /// Cannot install without losing something: nothing is touched, with this error.
    case conflict(String)

    /// Decides for hook `kind`, given the current hook file's text (nil = none) and whether a `.pre-cairn` file exists.
    public static func decide(_ kind: GitHookKind, existing: String?, chainedExists: Bool, wanted: String) -> HookInstallAction {
        guard let existing else {
            return chainedExists
                ? .conflict("\(kind.chainedFileName) exists but \(kind.fileName) does not; move \(kind.chainedFileName) back to \(kind.fileName) (or delete it) and run `cairn install` again")
                : .write
        }
        if GitHookScript.isCairnHook(existing) { return existing == wanted ? .unchanged : .update }
        if GitHookScript.callsCairnOrDVC(existing) {
            return .leaveAlone(note: "\(kind.fileName) already runs cairn or DVC (`cairn hook`/`dvc git-hook`); left as it is")
        }
        if chainedExists {
            return .conflict("both \(kind.fileName) and \(kind.chainedFileName) exist and neither is cairn's; merge them into \(kind.fileName) and run `cairn install` again")
        }
        return .chainAndWrite
    }
}

/// What `cairn install --uninstall` does with one hook (pure).
public enum HookUninstallAction: Equatable, Sendable {
    /// Not cairn's hook (or none): nothing to do.
    case nothing
    /// Remove cairn's hook; no hook was there before.
    case remove
    /// Remove cairn's hook and move `NAME.pre-cairn` back.
    case restore

    /// Decides for a hook, given its text (nil = none) and whether a `.pre-cairn` file exists.
    public static func decide(existing: String?, chainedExists: Bool) -> HookUninstallAction {
        guard let existing, GitHookScript.isCairnHook(existing) else { return .nothing }
        return chainedExists ? .restore : .remove
    }
}
