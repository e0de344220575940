/// A `cairn config` name: `section.option`, `remote.NAME.option`, `db.NAME.option`, or `remote.NAME` (a whole remote).
public struct ConfigOptionName: Sendable, Equatable, CustomStringConvertible {
    /// The section title in the file (`core`, `remote "name"`).
    public var section: String
    /// `remote` or `db` for named sections.
    public var kind: String?
    /// The remote's (or db's) name for named sections.
    public var name: String?
    /// The option; nil only for `remote.NAME`, which names a whole section.
    public var option: String?

    /// Creates a name from its parts.
    public init(section: String, kind: String?, name: String?, option: String?) {
        self.section = section
        self.kind = kind
        self.name = name
        self.option = option
    }

    /// Parses a dotted name (lower-cased, as DVC does).
    public static func parse(_ text: String) throws(FormatError) -> ConfigOptionName {
        let parts = text.lowercased().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 3, parts[0] == "remote" || parts[0] == "db", !parts[1].isEmpty, !parts[2].isEmpty {
            return ConfigOptionName(
                section: "\(parts[0]) \"\(parts[1])\"", kind: parts[0], name: parts[1], option: parts[2])
        }
        if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty {
            if parts[0] == "remote" || parts[0] == "db" {
                return ConfigOptionName(
                    section: "\(parts[0]) \"\(parts[1])\"", kind: parts[0], name: parts[1], option: nil)
            }
            return ConfigOptionName(section: parts[0], kind: nil, name: nil, option: parts[1])
        }
        throw FormatError(
            path: "", message: "name argument should look like remote.name.option or db.name.option or section.option",
            hint: "See 'cairn config --help'.")
    }

    /// The dotted form.
    public var description: String {
        var parts = [kind ?? section]
        if let name { parts.append(name) }
        if let option { parts.append(option) }
        return parts.joined(separator: ".")
    }

    /// DVC's message when the option is missing from a level's file.
    func missingMessage(sectionExists: Bool) -> String {
        if let kind, let name, !sectionExists { return "\(kind) '\(name)' doesn't exist" }
        if let kind, let name { return "option '\(option ?? "")' doesn't exist in \(kind) '\(name)'" }
        return "option '\(option ?? "")' doesn't exist in section '\(section)'"
    }
}

extension DVCConfig {
    /// The file of one level, if it was supplied.
    public func source(for level: ConfigLevel) -> ConfigSource? { sources.last { $0.level == level } }

    /// A config with `source` replacing the file of its level (or added), validated again.
    public func replacing(_ source: ConfigSource) throws(FormatError) -> DVCConfig {
        try DVCConfig(sources: sources.filter { $0.level != source.level } + [source])
    }

    /// What `config NAME` prints: the merged value (no level) or one level's value. Paths are shown absolute
    /// (`repoRoot` resolves repo-relative config directories), lists as Python lists, `remote.NAME` as a dict.
    /// Nil when unset without a level; with a level a missing option is an error, as in DVC.
    public func display(_ name: ConfigOptionName, level: ConfigLevel?, repoRoot: String) throws(FormatError) -> String? {
        if let level {
            let source = self.source(for: level)
            let section = source?.file.section(named: name.section)
            guard let section else {
                throw FormatError(path: source?.path ?? "", message: name.missingMessage(sectionExists: false))
            }
            guard let option = name.option else {
                return PythonRepr.dict(section.entries.map { entry in
                    (entry.key, displayed(entry.value, section: name.section, key: entry.key, source: source!, repoRoot: repoRoot))
                })
            }
            guard let value = section.value(option) else {
                throw FormatError(path: source?.path ?? "", message: name.missingMessage(sectionExists: true))
            }
            return displayed(value, section: name.section, key: option, source: source!, repoRoot: repoRoot).description
        }
        guard let option = name.option else {
            guard let section = merged.first(where: { $0.section == name.section }) else { return nil }
            return PythonRepr.dict(section.entries.map { key, value in
                (key, displayed(value.value, section: name.section, key: key, source: sources[value.source], repoRoot: repoRoot))
            })
        }
        guard let found = value(section: name.section, key: option) else { return nil }
        return displayed(found.value, section: name.section, key: option, source: found.source, repoRoot: repoRoot)
            .description
    }

    /// The `config --list` lines (`section.key=value`, `remote.name.key=value`), level by level from system to
    /// local, or for one level; with `showOrigin` each line starts with the file's path and a TAB.
    public func listLines(level: ConfigLevel? = nil, repoRoot: String, showOrigin: Bool = false) -> [String] {
        var lines: [String] = []
        for source in sources where level == nil || source.level == level {
            let sections = source.file.sections
            // DVC lists remotes, machines and dbs before the plain sections.
            let ordered = ["remote", "machine", "db"].flatMap { kind in
                sections.filter { $0.namedKind?.kind == kind }
            } + sections.filter { $0.namedKind == nil }
            for section in ordered {
                for entry in section.entries {
                    let value = displayed(entry.value, section: section.name, key: entry.key, source: source, repoRoot: repoRoot)
                    let line = "\(DVCConfig.optionName(section: section.name, key: entry.key))=\(value)"
                    lines.append(showOrigin ? "\(source.path)\t\(line)" : line)
                }
            }
        }
        return lines
    }

    /// A path-typed value resolved to an absolute path for display.
    private func displayed(_ value: INIValue, section: String, key: String, source: ConfigSource, repoRoot: String) -> INIValue {
        guard case let .string(text) = value, case .path? = ConfigSchema.type(section: section, key: key),
            !ConfigPaths.isAbsolute(text), !ConfigPaths.isURL(text)
        else { return value }
        let directory = ConfigPaths.isAbsolute(source.directory)
            ? source.directory : ConfigPaths.resolve(source.directory, in: repoRoot)
        return .string(ConfigPaths.resolve(text, in: directory))
    }

    /// `config NAME VALUE` on `target` (the chosen level's file, possibly new and empty): a path-typed value typed
    /// in `cwd` is stored relative to the file's directory; `cwd` uses the same coordinates as
    /// `target.directory` (repo-relative for repo/local, absolute for global/system). Validate the result with
    /// ``replacing(_:)`` before writing `target.file.render()`.
    public static func setting(
        _ name: ConfigOptionName, to value: String, in target: ConfigSource, cwd: String
    ) throws(FormatError) -> ConfigSource {
        guard let option = name.option else {
            throw FormatError(
                path: target.path, message: "name argument should look like remote.name.option or db.name.option or section.option",
                hint: "See 'cairn config --help'.")
        }
        var result = target
        result.file = target.file.dvcNormalized()
        var stored = value
        if case .path? = ConfigSchema.type(section: name.section, key: option) {
            stored = ConfigPaths.stored(userPath: value, cwd: cwd, configDirectory: target.directory)
        }
        try result.file.set(section: name.section, key: option, value: stored)
        result.file = renormalizingPaths(result.file, directory: target.directory)
        return result
    }

    /// `config --unset NAME` on `target`; errors as DVC when the option is not in that file.
    public static func unsetting(_ name: ConfigOptionName, in target: ConfigSource) throws(FormatError) -> ConfigSource {
        var result = target
        result.file = target.file.dvcNormalized()
        let exists = result.file.section(named: name.section) != nil
        if let option = name.option {
            guard result.file.unset(section: name.section, key: option) else {
                throw FormatError(path: target.path, message: name.missingMessage(sectionExists: exists))
            }
        } else if !result.file.removeSection(name.section) {
            throw FormatError(path: target.path, message: name.missingMessage(sectionExists: false))
        }
        result.file = renormalizingPaths(result.file, directory: target.directory)
        return result
    }

    /// The file with relative path values re-normalised, as DVC leaves them after any rewrite.
    static func renormalizingPaths(_ file: INIFile, directory: String) -> INIFile {
        var file = file
        for s in file.sections.indices {
            for e in file.sections[s].entries.indices {
                let entry = file.sections[s].entries[e]
                guard case .path? = ConfigSchema.type(section: file.sections[s].name, key: entry.key),
                    case let .string(text) = entry.value, !text.isEmpty
                else { continue }
                file.sections[s].entries[e].value = .string(ConfigPaths.renormalized(text, configDirectory: directory))
            }
        }
        return file
    }
}
