import CairnCore
import Testing

/// Hook script markers, fallback rendering and the install/uninstall decisions (pure).
@Suite struct HookScriptTests {
    static let template = "#!/bin/sh\n# cairn-hook pre-commit: installed by `cairn install`\nCAIRN_FALLBACK=''\nexec cairn hook pre-commit\n"

    @Test func rendersTheFallbackPathQuoted() {
        let text = GitHookScript.render(template: Self.template, fallbackBinary: "/opt/it's/cairn")
        #expect(text.contains("CAIRN_FALLBACK='/opt/it'\\''s/cairn'\n"))
        #expect(GitHookScript.render(template: Self.template, fallbackBinary: nil) == Self.template)
    }

    @Test func recognisesCairnHooks() {
        #expect(GitHookScript.isCairnHook(Self.template))
        #expect(!GitHookScript.isCairnHook("#!/bin/sh\necho mine\n"))
        #expect(GitHookScript.callsCairnOrDVC("#!/bin/sh\nexec dvc git-hook pre-commit $@\n"))
        #expect(!GitHookScript.callsCairnOrDVC("#!/bin/sh\nmake lint\n"))
    }

    @Test func installDecisions() {
        let wanted = Self.template
        #expect(HookInstallAction.decide(.preCommit, existing: nil, chainedExists: false, wanted: wanted) == .write)
        #expect(HookInstallAction.decide(.preCommit, existing: wanted, chainedExists: true, wanted: wanted) == .unchanged)
        let other = GitHookScript.render(template: wanted, fallbackBinary: "/x/cairn")
        #expect(HookInstallAction.decide(.preCommit, existing: other, chainedExists: false, wanted: wanted) == .update)
        #expect(HookInstallAction.decide(.preCommit, existing: "#!/bin/sh\nmake\n", chainedExists: false, wanted: wanted) == .chainAndWrite)
        if case .leaveAlone = HookInstallAction.decide(.preCommit, existing: "cairn hook pre-commit", chainedExists: false, wanted: wanted) {} else {
            Issue.record("a hook that calls cairn is left alone")
        }
        if case .conflict = HookInstallAction.decide(.preCommit, existing: "#!/bin/sh\n", chainedExists: true, wanted: wanted) {} else {
            Issue.record("a user hook beside a .pre-cairn file is a conflict")
        }
        if case .conflict = HookInstallAction.decide(.preCommit, existing: nil, chainedExists: true, wanted: wanted) {} else {
            Issue.record("an orphan .pre-cairn file is a conflict")
        }
    }

    @Test func uninstallDecisions() {
        #expect(HookUninstallAction.decide(existing: nil, chainedExists: false) == .nothing)
        #expect(HookUninstallAction.decide(existing: "#!/bin/sh\nmine\n", chainedExists: true) == .nothing)
        #expect(HookUninstallAction.decide(existing: Self.template, chainedExists: false) == .remove)
        #expect(HookUninstallAction.decide(existing: Self.template, chainedExists: true) == .restore)
    }
}

/// `.pre-commit-config.yaml` edits: create, append keeping comments, idempotent, refuse what it cannot edit.
@Suite struct HookPreCommitConfigTests {
    @Test func createsTheFile() throws {
        let text = try #require(try PreCommitConfigEdit.apply(to: nil))
        #expect(text.hasPrefix("# git hooks run by the pre-commit framework"))
        #expect(text.contains("default_install_hook_types: [pre-commit, post-checkout, pre-push]\nrepos:\n  - repo: local\n    hooks:\n      - id: cairn-pre-commit\n"))
        #expect(text.contains("        entry: cairn hook pre-push\n        language: system\n        stages: [pre-push]\n"))
        #expect(try PreCommitConfigEdit.apply(to: text) == nil)
    }

    @Test func insertsAtTheListsIndentationKeepingComments() throws {
        let mine = "repos: # mine\n  # keep\n  - repo: https://example.com/hooks\n    rev: v1\n    hooks:\n      - id: lint\n"
        let text = try #require(try PreCommitConfigEdit.apply(to: mine))
        #expect(text.hasPrefix("repos: # mine\n  - repo: local\n    hooks:\n      - id: cairn-pre-commit\n"))
        #expect(text.hasSuffix("  # keep\n  - repo: https://example.com/hooks\n    rev: v1\n    hooks:\n      - id: lint\n"))
        #expect(try PreCommitConfigEdit.apply(to: text) == nil)
    }

    @Test func addsOnlyTheMissingHooks() throws {
        let mine = "repos:\n- repo: local\n  hooks:\n  - id: cairn-pre-commit # already here\n    entry: cairn hook pre-commit\n"
        let text = try #require(try PreCommitConfigEdit.apply(to: mine))
        #expect(text.components(separatedBy: "id: cairn-pre-commit").count == 2)
        #expect(text.contains("- repo: local\n  hooks:\n    - id: cairn-post-checkout\n"))
    }

    @Test func appendsReposWhenAbsent() throws {
        let text = try #require(try PreCommitConfigEdit.apply(to: "default_stages: [pre-commit]\n"))
        #expect(text.hasPrefix("default_stages: [pre-commit]\nrepos:\n  - repo: local\n"))
    }

    @Test func refusesFlowStyleRepos() {
        #expect(throws: PreCommitConfigEdit.EditError.self) { try PreCommitConfigEdit.apply(to: "repos: []\n") }
    }
}
