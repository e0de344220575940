/// The four config files DVC merges, lowest precedence first.
public enum ConfigLevel: String, Sendable, CaseIterable, Comparable {
    /// `/etc/xdg/dvc/config` (or `$DVC_SYSTEM_CONFIG_DIR/config`).
    case system
    /// `~/.config/dvc/config` (or `$DVC_GLOBAL_CONFIG_DIR/config`).
    case global
    /// `.dvc/config`, committed with the project.
    case repo
    /// `.dvc/config.local`, git-ignored.
    case local

    /// The `cairn config` flag that selects the level (`--project` for the repo level, as in DVC).
    public var flag: String {
        switch self {
        case .system: return "--system"
        case .global: return "--global"
        case .repo: return "--project"
        case .local: return "--local"
        }
    }

    /// Precedence order.
    public static func < (lhs: ConfigLevel, rhs: ConfigLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One config file as supplied by the caller: its level, where it is, and its parsed content.
public struct ConfigSource: Sendable, Equatable {
    /// Which of the four levels.
    public var level: ConfigLevel
    /// The file's path for messages and `--show-origin` (`.dvc/config`, or absolute for global/system).
    public var path: String
    /// The directory containing the file: repo-relative (`.dvc`) or absolute. Relative paths stored in the
    /// file (`cache.dir`, a local remote's `url`) are relative to it.
    public var directory: String
    /// The parsed file (it is normalised as DVC reads it: lower-cased titles and keys).
    public var file: INIFile

    /// Creates a source.
    public init(level: ConfigLevel, path: String, directory: String, file: INIFile) {
        self.level = level
        self.path = path
        self.directory = directory
        self.file = file
    }

    /// Parses `text` as the config file of `level` at `path` in `directory`.
    public static func parsing(
        _ text: String, level: ConfigLevel, path: String, directory: String
    ) throws(FormatError) -> ConfigSource {
        ConfigSource(level: level, path: path, directory: directory, file: try INIFile.parse(text, path: path))
    }
}
