/// One remote as `cairn remote list` shows it.
public struct RemoteListing: Sendable, Equatable {
    /// The remote's name.
    public var name: String
    /// The url: URLs and absolute paths as written, relative paths resolved against the directory of the file
    /// that set them (repo-relative for the repo/local levels), `~` paths as written; nil when no level sets it.
    public var url: String?
    /// Whether `core.remote` (of the same view) names it.
    public var isDefault: Bool

    /// Creates a listing line.
    public init(name: String, url: String?, isDefault: Bool) {
        self.name = name
        self.url = url
        self.isDefault = isDefault
    }
}

/// The edits of `cairn remote add/modify/default/remove/rename` on DVC's config files, made the way DVC 3 makes
/// them so the files end up byte for byte the same: one level's file at a time, each rewritten whole (normalised,
/// empty sections dropped) even when nothing in it changed, validated against the levels up to it before it is
/// handed to `write`. A failure leaves the files already written as they are, as DVC does.
public struct RemoteConfigEditor {
    /// The files of the levels that exist (repo and local only inside a project), normalised as DVC reads them.
    public private(set) var sources: [ConfigSource]
    private let cwdInRepo: String?
    private let cwdAbsolute: String
    private let write: (ConfigSource) throws -> Void

    /// An editor over `sources` (any subset of the levels; missing files as empty sources). `cwdInRepo` is the
    /// working directory relative to the repo root (nil outside a project), `cwdAbsolute` the same absolute;
    /// `write` stores one file (it is called in DVC's order and may throw).
    public init(
        sources: [ConfigSource], cwdInRepo: String?, cwdAbsolute: String,
        write: @escaping (ConfigSource) throws -> Void
    ) {
        self.sources = sources.sorted { $0.level < $1.level }.map { source in
            var normalized = source
            normalized.file = source.file.dvcNormalized()
            return normalized
        }
        self.cwdInRepo = cwdInRepo
        self.cwdAbsolute = cwdAbsolute
        self.write = write
    }

    // MARK: Commands

    /// `remote add [-d] [-f] NAME URL` (the name is lower-cased, as DVC does).
    public mutating func add(_ name: String, url: String, level: ConfigLevel, makeDefault: Bool, force: Bool) throws {
        let name = name.lowercased()
        let cwd = try coordinates(for: level)
        try edit(level) { file, directory in
            let section = Self.section(name)
            if file.section(named: section) != nil && !force {
                throw Self.error("remote '\(name)' already exists. Use `-f|--force` to overwrite it.")
            }
            let entry = INIEntry(key: "url", value: .string(Self.stored(url, key: "url", cwd: cwd, directory: directory)))
            if let index = file.sections.firstIndex(where: { $0.name == section }) {
                file.sections[index].entries = [entry]
            } else {
                file.sections.append(INISection(name: section, entries: [entry]))
            }
            if makeDefault { try file.set(section: "core", key: "remote", value: name) }
        }
    }

    /// `remote modify NAME OPTION VALUE`, or with a nil value `remote modify -u NAME OPTION` (no error when the
    /// option is not set). The option is taken as typed: DVC does not lower-case it.
    public mutating func modify(_ name: String, option: String, value: String?, level: ConfigLevel) throws {
        let name = name.lowercased()
        let cwd = try coordinates(for: level)
        let target = try index(of: level)
        guard merged(upTo: level, replacing: sources[target]).contains(where: { $0.name == name }) else {
            throw Self.missing(name)
        }
        try edit(level) { file, directory in
            let section = Self.section(name)
            if file.section(named: section) == nil { file.sections.append(INISection(name: section)) }
            if let value {
                try file.set(section: section, key: option, value: Self.stored(value, key: option, cwd: cwd, directory: directory))
            } else {
                file.unset(section: section, key: option)
            }
        }
    }

    /// `remote default NAME` (a remote defined at this level or below), or with nil `remote default -u`.
    public mutating func setDefault(_ name: String?, level: ConfigLevel) throws {
        let target = try index(of: level)
        guard let name = name?.lowercased() else {
            try edit(level) { file, _ in file.unset(section: "core", key: "remote") }
            return
        }
        guard merged(upTo: level, replacing: sources[target]).contains(where: { $0.name == name }) else {
            throw Self.error("default remote must be present in remote list.")
        }
        try edit(level) { file, _ in try file.set(section: "core", key: "remote", value: name) }
    }

    /// `remote default`: `core.remote` of one level, or merged over all of them.
    public func defaultRemote(level: ConfigLevel?) -> String? {
        view(level).compactMap { $0.file.get(section: "core", key: "remote") }.last
    }

    /// `remote list`: the remotes of one level, or merged over all of them, in definition order.
    public func list(level: ConfigLevel?) -> [RemoteListing] {
        let view = view(level)
        let defaultName = view.compactMap { $0.file.get(section: "core", key: "remote") }.last
        return Self.merged(view).map { remote in
            var url: String?
            if let found = remote.entries.last(where: { $0.key == "url" }) {
                let text = found.value.text
                url = Self.isHomeRelative(text) ? text : ConfigPaths.resolve(text, in: view[found.source].directory)
            }
            return RemoteListing(name: remote.name, url: url, isDefault: remote.name == defaultName)
        }
    }

    /// `remote remove NAME`: deletes the section from the level's file, then unsets `core.remote` wherever it names
    /// the remote, from the local level down to this one.
    public mutating func remove(_ name: String, level: ConfigLevel) throws {
        let name = name.lowercased()
        try edit(level) { file, _ in
            guard file.removeSection(Self.section(name)) else { throw Self.missing(name) }
        }
        for other in sources.map(\.level).reversed() where other >= level {
            try edit(other) { file, _ in
                if file.get(section: "core", key: "remote") == name { file.unset(section: "core", key: "remote") }
            }
        }
    }

    /// `remote rename NAME NEW`: the section moves after the other remotes under its new name (spelled as typed);
    /// `core.remote` follows it at this level and the levels above.
    public mutating func rename(_ name: String, to new: String, level: ConfigLevel) throws {
        let name = name.lowercased()
        if Self.merged(sources).contains(where: { $0.name == new }) {
            throw Self.error("Rename failed. Remote name \(PythonRepr.string(new)) already exists.")
        }
        let renameDefault: (inout INIFile) throws -> Void = { file in
            if file.get(section: "core", key: "remote") == name { try file.set(section: "core", key: "remote", value: new) }
        }
        try edit(level) { file, _ in
            guard let index = file.sections.firstIndex(where: { $0.name == Self.section(name) }) else {
                throw Self.missing(name)
            }
            var moved = file.sections.remove(at: index)
            moved.name = Self.section(new)
            file.sections.append(moved)
            try renameDefault(&file)
        }
        for other in sources.map(\.level).reversed() where other > level {
            try edit(other) { file, _ in try renameDefault(&file) }
        }
    }

    // MARK: Steps

    /// Applies `body` to one level's file (and the directory relative paths in it are relative to), re-normalises
    /// its paths, validates the levels up to it and writes it.
    private mutating func edit(_ level: ConfigLevel, _ body: (inout INIFile, String) throws -> Void) throws {
        let index = try index(of: level)
        var source = sources[index]
        try body(&source.file, source.directory)
        source.file = DVCConfig.renormalizingPaths(source.file, directory: source.directory)
        try validate(upTo: level, replacing: source)
        sources[index] = source
        try write(source)
        // DVC reloads every level after writing: a problem in a level above the edited one is reported then,
        // with the file already written.
        if let highest = sources.last?.level, highest > level {
            try validate(upTo: highest, replacing: sources[sources.count - 1])
        }
    }

    /// DVC validates the merged levels up to the edited one: remotes first (with its messages), then the rest.
    private func validate(upTo level: ConfigLevel, replacing source: ConfigSource) throws {
        let view = sources.filter { $0.level < level } + [source]
        for remote in Self.merged(view) {
            if let problem = RemoteConfigSchema.problem(remote: remote.name, options: remote.entries.map { ($0.key, $0.value) }) {
                throw Self.error(problem, path: source.path)
            }
        }
        do {
            _ = try DVCConfig(sources: view)
        } catch {
            throw Self.error(error.message, path: error.path)
        }
    }

    private func index(of level: ConfigLevel) throws -> Int {
        guard let index = sources.firstIndex(where: { $0.level == level }) else {
            throw Self.error("Not inside a DVC repo")
        }
        return index
    }

    /// The files one view reads: one level's, or all of them.
    private func view(_ level: ConfigLevel?) -> [ConfigSource] {
        guard let level else { return sources }
        return sources.filter { $0.level == level }
    }

    /// The remotes of the levels below `level` merged with `source` (the level's file as it stands).
    private func merged(upTo level: ConfigLevel, replacing source: ConfigSource) -> [MergedRemote] {
        Self.merged(sources.filter { $0.level < level } + [source])
    }

    /// The working directory in the coordinates of the level's directory.
    private func coordinates(for level: ConfigLevel) throws -> String {
        switch level {
        case .repo, .local:
            guard let cwdInRepo else { throw Self.error("Not inside a DVC repo") }
            return cwdInRepo
        case .system, .global:
            return cwdAbsolute
        }
    }

    // MARK: Helpers

    /// A remote merged over some levels: options in first-seen order, later levels replacing values.
    struct MergedRemote {
        var name: String
        /// Key, value and the index (in the merged view) of the file that set it.
        var entries: [(key: String, value: INIValue, source: Int)]
    }

    /// The remotes of `view` (lowest level first) merged key by key, in first-seen order.
    static func merged(_ view: [ConfigSource]) -> [MergedRemote] {
        var remotes: [MergedRemote] = []
        for (index, source) in view.enumerated() {
            for section in source.file.sections {
                guard let named = section.namedKind, named.kind == "remote" else { continue }
                var position = remotes.firstIndex { $0.name == named.name }
                if position == nil {
                    remotes.append(MergedRemote(name: named.name, entries: []))
                    position = remotes.count - 1
                }
                for entry in section.entries {
                    if let e = remotes[position!].entries.firstIndex(where: { $0.key == entry.key }) {
                        remotes[position!].entries[e] = (entry.key, entry.value, index)
                    } else {
                        remotes[position!].entries.append((entry.key, entry.value, index))
                    }
                }
            }
        }
        return remotes
    }

    /// The section title of a remote.
    static func section(_ name: String) -> String { "remote \"\(name)\"" }

    /// What DVC stores for a value typed in `cwd`: path-typed options relative to the config file's directory,
    /// `~` paths and URLs as typed.
    static func stored(_ value: String, key: String, cwd: String, directory: String) -> String {
        guard case .path? = ConfigSchema.type(section: section("x"), key: key), !isHomeRelative(value) else { return value }
        return ConfigPaths.stored(userPath: value, cwd: cwd, configDirectory: directory)
    }

    /// `~` and `~/…`: DVC keeps these as typed and expands them when it reads them.
    public static func isHomeRelative(_ path: String) -> Bool { path == "~" || path.hasPrefix("~/") }

    /// A config error as DVC words it (`config file error: …`), for the file being edited.
    static func error(_ message: String, path: String = "") -> FormatError {
        FormatError(path: path, message: "config file error: " + message)
    }

    private static func missing(_ name: String) -> FormatError {
        error("remote '\(name)' doesn't exist.")
    }
}
