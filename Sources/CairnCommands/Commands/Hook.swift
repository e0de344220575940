import ArgumentParser
import CairnCore
import CairnEngine
import Foundation

extension Cairn {
    /// `cairn hook NAME [ARGS]` (hidden): what the installed git hooks run.
    struct Hook: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one of cairn's git hooks (called by the hooks `cairn install` places).",
            shouldDisplay: false)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "pre-commit, post-checkout or pre-push.")
        var name: String

        @Argument(parsing: .captureForPassthrough, help: "The arguments git passes to the hook.")
        var arguments: [String] = []

        func run() throws {
            guard let kind = GitHookKind(rawValue: name) else {
                throw EngineError.usage("unknown hook '\(name)'; expected one of: \(GitHookKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let context = try CommandContext(global)
            // Outside a cairn project the hooks have nothing to enforce.
            guard let project = try Project.openIfPresent(from: context.workingDirectory) else { return }
            switch kind {
            case .preCommit:
                if let problems = try project.preCommitProblems() {
                    Console.standardError(problems)
                    throw ExitCode(1)
                }
            case .postCheckout:
                // git passes (previous HEAD, new HEAD, flag); the pre-commit framework sets the flag in the environment.
                let flag = arguments.count >= 3 ? arguments[2] : ProcessInfo.processInfo.environment["PRE_COMMIT_CHECKOUT_TYPE"]
                guard flag == "1" else { return }
                do {
                    var checkout = try Checkout.parse([])
                    try checkout.run()
                } catch {
                    // The checkout itself already happened; a hook failure here cannot undo it, so warn only.
                    Console.standardError("cairn post-checkout hook: the data was not fully checked out: \(Self.describe(error))\nRun `cairn checkout` (after `cairn pull` when the cache lacks the data).")
                }
            case .prePush:
                var push = try Push.parse([])
                do {
                    try push.run()
                } catch {
                    Console.standardError("cairn pre-push hook: `cairn push` failed, so the git push is stopped: \(Self.describe(error))\nFix the remote (see `cairn remote list`) or push without the hook: git push --no-verify.")
                    throw ExitCode(1)
                }
            }
        }

        private static func describe(_ error: Error) -> String {
            (error as? EngineError)?.description ?? String(describing: error)
        }
    }
}
