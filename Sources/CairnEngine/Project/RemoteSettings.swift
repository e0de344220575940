import CairnCore

/// A remote as configured, resolved for use (placeholder until the remote commands land).
public struct ResolvedRemote: Sendable {
    /// The remote's name.
    public var name: String
    /// Absolute path for local remotes; as written for `s3://…`.
    public var url: String
    /// Every other option of the remote's section, merged across levels.
    public var options: [String: String]
}

extension Project {
    /// The remote named `name`, or `core.remote` when nil.
    public func resolveRemote(_ name: String?) throws -> ResolvedRemote {
        guard let name = name ?? config.defaultRemote else {
            throw EngineError("no remote specified in \(root). Setup default remote with\n    cairn remote default <remote name>\nor use:\n    cairn <command> -r <remote name>")
        }
        guard let remote = config.remote(named: name), let url = remote.url else {
            throw EngineError("remote '\(name)' doesn't exist")
        }
        var options: [String: String] = [:]
        for entry in remote.options where entry.key != "url" { options[entry.key] = entry.value.text }
        let resolved = url.contains("://") || url.hasPrefix("/") ? url : root + "/.dvc/" + url
        return ResolvedRemote(name: name, url: resolved, options: options)
    }
}
