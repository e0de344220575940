/// A remote as the merged config defines it.
public struct RemoteConfig: Sendable, Equatable {
    /// The remote's name (the `x` of `remote "x"`).
    public var name: String
    /// Its options in order (lower levels first), `url` included, values as stored.
    public var options: [INIEntry]
    /// The `url` resolved: URLs as they are; local paths relative to the repo root or absolute.
    public var url: String?

    /// The value of one option.
    public func option(_ key: String) -> INIValue? { options.first { $0.key == key }?.value }
}

/// DVC's configuration: the system, global, repo and local files merged key by key (higher levels win),
/// validated against DVC's schema, with typed accessors for what cairn uses.
public struct DVCConfig: Sendable {
    /// The config files, normalised as DVC reads them, lowest precedence first.
    public let sources: [ConfigSource]

    struct Merged: Sendable {
        var value: INIValue
        var source: Int
    }

    /// Merged sections in first-seen order, each with keys in first-seen order.
    let merged: [(section: String, entries: [(key: String, value: Merged)])]

    /// Merges and validates the given files (any subset of the four levels).
    public init(sources: [ConfigSource]) throws(FormatError) {
        let ordered = sources.enumerated().sorted { l, r in
            l.element.level != r.element.level ? l.element.level < r.element.level : l.offset < r.offset
        }.map { source -> ConfigSource in
            var normalized = source.element
            normalized.file = source.element.file.dvcNormalized()
            return normalized
        }
        for source in ordered { try DVCConfig.validate(source) }
        self.sources = ordered
        var merged: [(section: String, entries: [(key: String, value: Merged)])] = []
        for (index, source) in ordered.enumerated() {
            for section in source.file.sections {
                var position = merged.firstIndex { $0.section == section.name }
                if position == nil {
                    merged.append((section.name, []))
                    position = merged.count - 1
                }
                for entry in section.entries {
                    let value = Merged(value: entry.value, source: index)
                    if let e = merged[position!].entries.firstIndex(where: { $0.key == entry.key }) {
                        merged[position!].entries[e].value = value
                    } else {
                        merged[position!].entries.append((entry.key, value))
                    }
                }
            }
        }
        self.merged = merged
        for remote in remotes where remote.option("url") == nil {
            let path = sourcesDefining(section: "remote \"\(remote.name)\"").last?.path ?? ""
            throw FormatError(
                path: path, message: "remote '\(remote.name)' has no 'url'",
                hint: "Set it with 'cairn remote modify \(remote.name) url URL' or remove the remote; see 'cairn config --help'.")
        }
    }

    /// An empty configuration (every default applies).
    public static let defaults = try! DVCConfig(sources: [])

    private func sourcesDefining(section: String) -> [ConfigSource] {
        sources.filter { $0.file.section(named: section) != nil }
    }

    /// Checks one file against the schema; the error names the file, the line and the option.
    static func validate(_ source: ConfigSource) throws(FormatError) {
        let hint = "Fix or remove it in \(source.path); see 'cairn config --help'."
        for section in source.file.sections {
            guard ConfigSchema.isKnownSection(section.name) else {
                throw FormatError(
                    path: source.path, line: section.line, message: "unknown config section '\(section.name)'",
                    hint: hint)
            }
            for entry in section.entries {
                let name = DVCConfig.optionName(section: section.name, key: entry.key)
                guard let type = ConfigSchema.type(section: section.name, key: entry.key) else {
                    throw FormatError(
                        path: source.path, line: entry.line, message: "unknown config option '\(name)'", hint: hint)
                }
                if let problem = ConfigSchema.problem(with: entry.value, type: type, name: name) {
                    throw FormatError(path: source.path, line: entry.line, message: problem, hint: hint)
                }
            }
        }
    }

    /// `section.key`, or `remote.name.key` for named sections (the dotted form `cairn config` uses).
    public static func optionName(section: String, key: String) -> String {
        if let named = INISection.namedKind(of: section) { return "\(named.kind).\(named.name).\(key)" }
        return "\(section).\(key)"
    }

    // MARK: Merged values

    /// The merged value of `section.key` and the file that set it.
    public func value(section: String, key: String) -> (value: INIValue, source: ConfigSource)? {
        guard let s = merged.first(where: { $0.section == section }),
            let e = s.entries.first(where: { $0.key == key })
        else { return nil }
        return (e.value.value, sources[e.value.source])
    }

    /// The merged value of `section.key` as text.
    public func get(section: String, key: String) -> String? { value(section: section, key: key)?.value.text }

    /// The cache directory: `cache.dir` resolved against the directory of the file that set it (repo-relative,
    /// possibly starting with `..`, or absolute); `.dvc/cache` by default.
    public var cacheDir: String {
        guard let found = value(section: "cache", key: "dir") else { return ".dvc/cache" }
        return ConfigPaths.resolve(found.value.text, in: found.source.directory)
    }

    /// `cache.type` as an ordered preference list; `reflink,copy` by default.
    public var linkTypes: [LinkType] {
        guard let found = value(section: "cache", key: "type") else { return LinkType.defaultPreference }
        var types: [LinkType] = []
        for element in found.value.elements {
            for word in element.split(separator: ",") {
                if let type = LinkType(rawValue: String(word.trimmingASCIIWhitespace())), !types.contains(type) {
                    types.append(type)
                }
            }
        }
        return types.isEmpty ? LinkType.defaultPreference : types
    }

    /// `cache.shared` (`group`) or nil.
    public var cacheShared: String? { self.get(section: "cache", key: "shared") }

    /// `core.autostage`: whether DVC-written files are staged in git; false by default.
    public var autostage: Bool { bool(section: "core", key: "autostage") ?? false }

    /// A boolean option (nil when unset).
    public func bool(section: String, key: String) -> Bool? {
        get(section: section, key: key).flatMap(ConfigSchema.bool)
    }

    /// `core.remote`: the default remote's name.
    public var defaultRemote: String? { self.get(section: "core", key: "remote") }

    /// `core.checksum_jobs`, when set.
    public var checksumJobs: Int? { self.get(section: "core", key: "checksum_jobs").flatMap(ConfigSchema.int) }

    /// All remotes in definition order (lower levels first), options merged key by key.
    public var remotes: [RemoteConfig] {
        merged.compactMap { section, entries in
            guard let named = INISection.namedKind(of: section), named.kind == "remote" else { return nil }
            var remote = RemoteConfig(
                name: named.name,
                options: entries.map { INIEntry(key: $0.key, value: $0.value.value) }, url: nil)
            if let url = entries.first(where: { $0.key == "url" })?.value {
                remote.url = ConfigPaths.resolve(url.value.text, in: sources[url.source].directory)
            }
            return remote
        }
    }

    /// The remote called `name`.
    public func remote(named name: String) -> RemoteConfig? { remotes.first { $0.name == name } }
}
