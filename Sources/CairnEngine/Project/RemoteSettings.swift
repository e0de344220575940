import CairnCore
import Foundation

/// A remote as configured, resolved for use.
public struct ResolvedRemote: Sendable {
    /// The remote's name (lower-case, as DVC keys remotes).
    public var name: String
    /// Absolute path for local remotes (resolved against the directory of the config file that set it, `~`
    /// expanded); as written for `s3://…` and other URLs.
    public var url: String
    /// Every other option of the remote's section merged across the system/global/repo/local levels (later levels
    /// win), without `url`; path-typed options (`keyfile`, `credentialpath`, …) made absolute like the url;
    /// `checksum_jobs` from `core.checksum_jobs` when the remote does not set it.
    public var options: [String: String]
}

extension Project {
    /// The remote named `name` (any letter case), or `core.remote` when nil; `remote://base/path` urls are
    /// resolved against remote `base`. The messages are DVC's.
    public func resolveRemote(_ name: String?) throws -> ResolvedRemote {
        try resolveRemote(name, command: "<command>")
    }

    /// ``resolveRemote(_:)`` naming `command` (`push`, `fetch`, …) in the hint when no remote is chosen.
    public func resolveRemote(_ name: String?, command: String) throws -> ResolvedRemote {
        guard let chosen = name ?? config.defaultRemote, !chosen.isEmpty else {
            if config.remotes.isEmpty {
                throw EngineError(
                    "config file error: no remote specified in \(root). Create a default remote with\n"
                        + "    cairn remote add -d <remote name> <remote url>")
            }
            throw EngineError(
                "config file error: no remote specified in \(root). Setup default remote with\n"
                    + "    cairn remote default <remote name>\nor use:\n    cairn \(command) -r <remote name>")
        }
        var resolved = try resolveRemote(named: chosen, depth: 0)
        if resolved.options["checksum_jobs"] == nil, let jobs = config.get(section: "core", key: "checksum_jobs") {
            resolved.options["checksum_jobs"] = jobs
        }
        return resolved
    }

    private func resolveRemote(named chosen: String, depth: Int) throws -> ResolvedRemote {
        let name = chosen.lowercased()
        guard let options = config.remoteOptions(named: name) else {
            throw EngineError(
                "config file error: remote '\(chosen)' doesn't exist",
                hint: "List the remotes with `cairn remote list`; add one with `cairn remote add NAME URL`.")
        }
        if let problem = config.remoteProblem(named: name) {
            throw EngineError("config file error: \(problem)", hint: "Fix it with `cairn remote modify \(name) …`.")
        }
        var url = ""
        var settings: [String: String] = [:]
        for option in options {
            let value = option.isPath && option.key != "url" ? absoluteConfigPath(option.value) : option.value
            if option.key == "url" { url = value } else { settings[option.key] = value }
        }
        if RemoteConfigSchema.scheme(ofURL: url) == "remote" {
            guard depth < 16 else {
                throw EngineError("config file error: remote '\(chosen)' refers to itself through remote:// urls")
            }
            // remote://base/sub/path: base's url and options, this remote's options on top.
            let rest = url.dropFirst("remote://".count)
            let baseName = String(rest.prefix { $0 != "/" })
            let path = rest.dropFirst(baseName.count).drop { $0 == "/" }
            let base = try resolveRemote(named: baseName, depth: depth + 1)
            return ResolvedRemote(
                name: name, url: path.isEmpty ? base.url : base.url + "/" + path,
                options: base.options.merging(settings) { _, own in own })
        }
        if !ConfigPaths.isURL(url) { url = absoluteConfigPath(url) }
        return ResolvedRemote(name: name, url: url, options: settings)
    }

    /// A config path (repo-relative, absolute or `~`) as an absolute path.
    func absoluteConfigPath(_ path: String) -> String {
        RemoteSettings.absolute(path, root: root)
    }
}

/// `cairn remote add/modify/default/list/remove/rename`: edits DVC's config files as DVC does (see
/// `RemoteConfigEditor`). Works outside a project for the global and system levels.
public struct RemoteSettings {
    private let root: String?
    private var editor: RemoteConfigEditor

    /// Opens the config files seen from `workingDirectory` (absolute). They are read without validating them,
    /// as DVC's remote commands do; each edit validates the levels up to the edited one.
    public init(workingDirectory: String) throws {
        let root = Project.findRoot(from: workingDirectory)
        self.root = root
        let sources = try ConfigLevel.allCases.compactMap { level in
            try Self.configError { try ConfigFiles.source(level, root: root) }
        }
        var cwdInRepo: String?
        if let root {
            let cwd = Project.normalized(workingDirectory)
            cwdInRepo = cwd == root ? "" : (cwd.hasPrefix(root + "/") ? String(cwd.dropFirst(root.count + 1)) : nil)
        }
        editor = RemoteConfigEditor(sources: sources, cwdInRepo: cwdInRepo, cwdAbsolute: workingDirectory) { source in
            try ConfigFiles.write(source, root: root)
        }
    }

    /// `remote add`: `url` relative to the working directory is stored relative to the config file.
    public mutating func add(_ name: String, url: String, level: ConfigLevel?, makeDefault: Bool, force: Bool) throws {
        try Self.configError {
            try editor.add(name, url: url, level: level ?? .repo, makeDefault: makeDefault, force: force)
        }
    }

    /// `remote modify NAME OPTION VALUE`; a nil value unsets the option.
    public mutating func modify(_ name: String, option: String, value: String?, level: ConfigLevel?) throws {
        try Self.configError { try editor.modify(name, option: option, value: value, level: level ?? .repo) }
    }

    /// `remote default NAME`, or `remote default -u` with nil.
    public mutating func setDefault(_ name: String?, level: ConfigLevel?) throws {
        try Self.configError { try editor.setDefault(name, level: level ?? .repo) }
    }

    /// `remote default`: the default remote's name of one level or of the merged configuration.
    public func defaultRemote(level: ConfigLevel?) -> String? { editor.defaultRemote(level: level) }

    /// `remote list`: name, url (local paths absolute) and whether it is the default, in definition order.
    public func list(level: ConfigLevel?) -> [RemoteListing] {
        editor.list(level: level).map { listing in
            var listing = listing
            if let url = listing.url, !ConfigPaths.isURL(url) { listing.url = Self.absolute(url, root: root) }
            return listing
        }
    }

    /// `remote remove NAME`; also unsets `core.remote` where it names the remote.
    public mutating func remove(_ name: String, level: ConfigLevel?) throws {
        try Self.configError { try editor.remove(name, level: level ?? .repo) }
    }

    /// `remote rename NAME NEW`; `core.remote` follows.
    public mutating func rename(_ name: String, to new: String, level: ConfigLevel?) throws {
        try Self.configError { try editor.rename(name, to: new, level: level ?? .repo) }
    }

    /// A config path made absolute: `~` expanded, repo-relative paths joined to `root`.
    static func absolute(_ path: String, root: String?) -> String {
        if RemoteConfigEditor.isHomeRelative(path) {
            let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
            return ConfigPaths.normalize(home + path.dropFirst())
        }
        if ConfigPaths.isAbsolute(path) || ConfigPaths.isURL(path) { return path }
        return ConfigPaths.normalize((root ?? FileManager.default.currentDirectoryPath) + "/" + path)
    }

    /// Runs `body`, turning config errors into DVC's `configuration error - …` failures (exit 255).
    private static func configError<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as FormatError {
            var hint = error.hint
            if error.message.hasSuffix("doesn't exist.") {
                hint = hint ?? "List the remotes with `cairn remote list`."
            }
            let message = error.line.map { "\(error.path):\($0): \(error.message)" } ?? error.message
            throw EngineError("configuration error - " + message, hint: hint)
        }
    }
}
