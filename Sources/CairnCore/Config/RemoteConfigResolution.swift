/// One option of a remote as the merged configuration defines it.
public struct RemoteOption: Sendable, Equatable {
    /// The option's name (`url`, `jobs`, `region`, …).
    public var key: String
    /// Its text (lists joined with `,`). Path-typed options (`url` of a local remote, `keyfile`, `credentialpath`,
    /// …) are resolved against the directory of the file that set them: absolute, or repo-relative for the repo
    /// and local levels; `~` paths and URLs stay as written.
    public var value: String
    /// Whether the value is a path (resolved as described for ``value``).
    public var isPath: Bool

    /// Creates an option.
    public init(key: String, value: String, isPath: Bool) {
        self.key = key
        self.value = value
        self.isPath = isPath
    }
}

extension DVCConfig {
    /// The options of remote `name` (exact, lower-case name) merged across levels in first-seen order, path-typed
    /// values resolved (see ``RemoteOption``); nil when no level defines the remote.
    public func remoteOptions(named name: String) -> [RemoteOption]? {
        let section = RemoteConfigEditor.section(name)
        guard let merged = merged.first(where: { $0.section == section }) else { return nil }
        return merged.entries.map { key, value in
            let text = value.value.text
            guard case .path? = ConfigSchema.type(section: section, key: key) else {
                return RemoteOption(key: key, value: text, isPath: false)
            }
            guard case .string = value.value, !RemoteConfigEditor.isHomeRelative(text) else {
                return RemoteOption(key: key, value: text, isPath: true)
            }
            return RemoteOption(
                key: key, value: ConfigPaths.resolve(text, in: sources[value.source].directory), isPath: true)
        }
    }

    /// DVC's message for the first problem of remote `name`'s merged options (unknown option for its url's scheme,
    /// bad value, no url), nil when DVC accepts it or the remote is not defined.
    public func remoteProblem(named name: String) -> String? {
        guard let remote = remote(named: name) else { return nil }
        return RemoteConfigSchema.problem(remote: name, options: remote.options.map { ($0.key, $0.value) })
    }
}
