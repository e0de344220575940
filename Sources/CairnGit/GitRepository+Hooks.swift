import Foundation
internal import CGit2

extension GitRepository {
    /// The common git directory (shared by linked worktrees; equal to `gitDir` otherwise), without a trailing slash.
    public var commonDir: String {
        var path = String(cString: git_repository_commondir(pointer))
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// The folder git runs hooks from: `core.hooksPath` when set (`~/` expanded; relative to the work tree, where
    /// git runs hooks), else `hooks` in the common git directory, so every linked worktree shares them.
    public func hooksDirectory() throws -> String {
        guard let configured = try configString("core.hooksPath"), !configured.isEmpty else {
            return commonDir + "/hooks"
        }
        var path = configured
        if path == "~" || path.hasPrefix("~/") {
            path = NSHomeDirectory() + path.dropFirst()
        } else if !path.hasPrefix("/") {
            path = (workdir ?? gitDir) + "/" + path
        }
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
