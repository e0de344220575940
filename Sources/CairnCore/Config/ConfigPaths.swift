/// Path arithmetic for config values that name files (`cache.dir`, a local remote's `url`, key files).
public enum ConfigPaths {
    /// Whether the value is a URL (`s3://…`, `ssh://…`): never rewritten.
    public static func isURL(_ value: String) -> Bool {
        guard let range = value.range(of: "://") else { return false }
        let scheme = value[..<range.lowerBound]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// Whether the value is an absolute file-system path.
    public static func isAbsolute(_ value: String) -> Bool { value.hasPrefix("/") }

    /// Folds `.`, `..` and empty components without touching the file system; keeps leading `..` of a
    /// relative path; "" becomes ".".
    public static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !absolute {
                    parts.append(component)
                }
            default: parts.append(component)
            }
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// `relative` resolved against `directory` (both in the same coordinates: repo-relative or absolute).
    public static func resolve(_ relative: String, in directory: String) -> String {
        if isAbsolute(relative) || isURL(relative) { return relative }
        if directory.isEmpty || directory == "." { return normalize(relative) }
        return normalize(directory + "/" + relative)
    }

    /// `target` relative to `base` (both normalised, in the same coordinates).
    public static func relative(_ target: String, from base: String) -> String {
        let t = normalize(target).split(separator: "/").filter { $0 != "." }
        let b = normalize(base).split(separator: "/").filter { $0 != "." }
        var common = 0
        while common < t.count, common < b.count, t[common] == b[common] { common += 1 }
        let parts = Array(repeating: "..", count: b.count - common) + t[common...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// What DVC stores for a path the user typed in `cwd`: URLs and absolute paths as given, relative paths
    /// re-expressed relative to the config file's directory (`../relative/remote` typed at the repo root →
    /// `../../relative/remote` in `.dvc/config`). `cwd` and `configDirectory` use the same coordinates.
    public static func stored(userPath: String, cwd: String, configDirectory: String) -> String {
        if isAbsolute(userPath) || isURL(userPath) { return userPath }
        return relative(resolve(userPath, in: cwd), from: configDirectory)
    }

    /// A relative path value re-normalised as DVC does when it rewrites a config file (`./x/../y` → `y`).
    public static func renormalized(_ value: String, configDirectory: String) -> String {
        if isAbsolute(value) || isURL(value) { return value }
        return relative(resolve(value, in: configDirectory), from: configDirectory)
    }
}
