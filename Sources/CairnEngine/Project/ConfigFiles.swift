import CairnCore
import CairnStorage
import Foundation

/// Where DVC's four config files live, and reading them into a validated `DVCConfig`.
enum ConfigFiles {
    /// The directory of a level's file: absolute for system/global, repo-relative (`.dvc`) for repo/local.
    static func directory(of level: ConfigLevel) -> String {
        let environment = ProcessInfo.processInfo.environment
        switch level {
        case .system:
            return environment["DVC_SYSTEM_CONFIG_DIR"] ?? "/etc/xdg/dvc"
        case .global:
            if let directory = environment["DVC_GLOBAL_CONFIG_DIR"] { return directory }
            if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/dvc" }
            return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/dvc"
        case .repo, .local:
            return ".dvc"
        }
    }

    /// The file's name within its directory.
    static func fileName(of level: ConfigLevel) -> String {
        level == .local ? "config.local" : "config"
    }

    /// The path shown to users (`.dvc/config`, or absolute for system/global).
    static func displayPath(of level: ConfigLevel) -> String {
        directory(of: level) + "/" + fileName(of: level)
    }

    /// The absolute path of a level's file (`root` is nil outside a project: only system/global exist then).
    static func absolutePath(of level: ConfigLevel, root: String?) -> String? {
        switch level {
        case .system, .global: return displayPath(of: level)
        case .repo, .local: return root.map { $0 + "/" + displayPath(of: level) }
        }
    }

    /// Reads one level's file; a missing file is an empty source.
    static func source(_ level: ConfigLevel, root: String?) throws -> ConfigSource? {
        guard let path = absolutePath(of: level, root: root) else { return nil }
        let text = FileSystem.exists(path) ? String(decoding: try FileSystem.readFile(path), as: UTF8.self) : ""
        return try ConfigSource.parsing(text, level: level, path: displayPath(of: level), directory: directory(of: level))
    }

    /// The merged, validated configuration of a project (or of system/global only when `root` is nil).
    static func load(root: String?) throws -> DVCConfig {
        try DVCConfig(sources: ConfigLevel.allCases.compactMap { try source($0, root: root) })
    }

    /// Validates and writes a level's file (temp file + rename).
    static func write(_ source: ConfigSource, root: String?) throws {
        guard let path = absolutePath(of: source.level, root: root) else {
            throw EngineError("the \(source.level.rawValue) config needs a project; run inside a cairn/DVC repository")
        }
        try FileSystem.makeDirectories((path as NSString).deletingLastPathComponent)
        try FileSystem.writeFileAtomically(Array(source.file.render().utf8), to: path)
    }
}

/// `cairn config` and `cairn cache dir`: reads and edits one level's file, validating the merged result first.
public struct ConfigEditor {
    private let root: String?
    private let cwd: String
    private var config: DVCConfig

    /// Opens the configuration seen from `workingDirectory` (the project's, when inside one).
    public init(workingDirectory: String, needsProject: Bool) throws {
        cwd = workingDirectory
        root = Project.findRoot(from: workingDirectory)
        if needsProject && root == nil {
            throw EngineError("you are not inside of a DVC repository",
                              hint: "Use --global or --system outside a repository, or run `cairn init` first.")
        }
        config = try ConfigFiles.load(root: root)
    }

    /// `cairn config NAME`: the merged value, or one level's; the file it came from.
    public func get(_ name: String, level: ConfigLevel?) throws -> (value: String, origin: String) {
        let option = try parseName(name)
        guard let value = try config.display(option, level: level, repoRoot: root ?? cwd) else {
            throw EngineError("option '\(name)' is not set", hint: "List what is set with `cairn config --list`.")
        }
        let origin = level.map(ConfigFiles.displayPath) ?? origin(of: option)
        return (value, origin)
    }

    private func origin(of option: ConfigOptionName) -> String {
        guard let key = option.option, let found = config.value(section: option.section, key: key) else { return "" }
        return found.source.path
    }

    /// `cairn config --list [--LEVEL]`.
    public func list(level: ConfigLevel?, showOrigin: Bool) throws -> [String] {
        config.listLines(level: level, repoRoot: root ?? cwd, showOrigin: showOrigin)
    }

    /// `cairn config NAME VALUE`. An unknown option or a bad value is a usage error; the file is unchanged.
    public mutating func set(_ name: String, _ value: String, level: ConfigLevel) throws {
        let option = try parseName(name)
        let target = try targetSource(level)
        let updated = try DVCConfig.setting(option, to: value, in: target, cwd: coordinates(for: level))
        config = try config.replacing(updated)
        try ConfigFiles.write(updated, root: root)
    }

    /// `cairn config --unset NAME`.
    public mutating func unset(_ name: String, level: ConfigLevel) throws {
        let option = try parseName(name)
        let updated = try DVCConfig.unsetting(option, in: try targetSource(level))
        config = try config.replacing(updated)
        try ConfigFiles.write(updated, root: root)
    }

    /// A malformed option name is a usage error (an unknown option or a bad value is a configuration error).
    private func parseName(_ name: String) throws -> ConfigOptionName {
        do {
            return try ConfigOptionName.parse(name)
        } catch {
            throw EngineError.usage(error.message, hint: error.hint)
        }
    }

    private func targetSource(_ level: ConfigLevel) throws -> ConfigSource {
        if (level == .repo || level == .local) && root == nil {
            throw EngineError("you are not inside of a DVC repository", hint: "Use --global or --system, or run `cairn init` first.")
        }
        if let existing = config.source(for: level) { return existing }
        return ConfigSource(level: level, path: ConfigFiles.displayPath(of: level),
                            directory: ConfigFiles.directory(of: level), file: INIFile(path: ConfigFiles.displayPath(of: level)))
    }

    /// `cwd` in the coordinates of the level's directory: repo-relative for repo/local, absolute otherwise.
    private func coordinates(for level: ConfigLevel) -> String {
        guard level == .repo || level == .local, let root else { return cwd }
        if cwd == root { return "" }
        return cwd.hasPrefix(root + "/") ? String(cwd.dropFirst(root.count + 1)) : cwd
    }
}

extension Project {
    /// `cairn cache dir PATH` (nil unsets): stores the path relative to the config file, as DVC does.
    public func setCacheDirectory(_ path: String?, level: ConfigLevel?, relativeTo cwd: String) throws {
        var editor = try ConfigEditor(workingDirectory: cwd, needsProject: true)
        if let path {
            try editor.set("cache.dir", path, level: level ?? .repo)
        } else {
            try editor.unset("cache.dir", level: level ?? .repo)
        }
    }

    /// `cairn check-ignore`: the deciding `.dvcignore` pattern for each path.
    public func checkIgnore(_ targets: [String], relativeTo cwd: String) throws -> [CheckIgnoreResult] {
        let rules = DvcIgnoreRules(project: self)
        return try targets.map { target in
            let path = try repoRelative(target, cwd: cwd, allowControlDirectories: true)
            let isDirectory = FileSystem.isDirectory(absolute(path)) || target.hasSuffix("/")
            let match = try rules.matcher(covering: RepoPath.parent(path)).explain(path, isDirectory: isDirectory)
            return CheckIgnoreResult(target: target, isIgnored: match?.ignores ?? false,
                                     detail: match?.checkIgnoreLine(for: target))
        }
    }
}
