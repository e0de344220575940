/// The sections and keys DVC 3 accepts in its config files, and the type of each value.
enum ConfigSchema {
    /// How a value is checked.
    enum ValueType {
        case string
        case bool
        case int
        case choice([String])
        case linkTypes
        /// A file-system path stored relative to the config file's directory.
        case path
    }

    /// Which keys a section takes; nil = any key (of type string).
    static func keys(forSection section: String) -> [String: ValueType]? {
        switch section {
        case "core":
            return [
                "remote": .string, "autostage": .bool, "interactive": .bool, "analytics": .bool,
                "check_update": .bool, "hardlink_lock": .bool, "no_scm": .bool, "checksum_jobs": .int,
                "site_cache_dir": .string,
            ]
        case "cache":
            var keys: [String: ValueType] = [
                "dir": .path, "type": .linkTypes, "shared": .choice(["group"]), "slow_link_warning": .bool,
                "verify": .bool, "protected": .bool,
            ]
            // Legacy per-scheme cache locations are still accepted.
            for legacy in ["local", "s3", "gs", "ssh", "hdfs", "azure", "webhdfs", "oss", "gdrive"] {
                keys[legacy] = .string
            }
            return keys
        case "plots": return ["html_template": .string, "auto_open": .bool, "out_dir": .string]
        case "exp": return ["auto_push": .bool, "git_remote": .string]
        case "parsing":
            return ["bool": .choice(["store_true", "boolean_optional"]), "list": .choice(["nargs", "append"])]
        case "hydra":
            return ["enabled": .bool, "config_dir": .string, "config_name": .string, "plugins_path": .string]
        case "studio": return ["token": .string, "url": .string, "repo_url": .string, "offline": .bool]
        case "state": return ["row_limit": .int, "row_cleanup_quota": .int, "dir": .string]
        case "index": return ["dir": .string]
        default: return nil
        }
    }

    /// Sections whose keys are free-form.
    static let freeSections: Set<String> = ["feature"]

    /// Keys with a known type inside `remote "…"` sections (others are per-protocol options, free-form).
    static let remoteKeys: [String: ValueType] = [
        "url": .path, "jobs": .int, "checksum_jobs": .int, "worktree": .bool, "version_aware": .bool,
        "verify": .bool, "keyfile": .path, "credentialpath": .path, "gdrive_user_credentials_file": .path,
        "gdrive_service_account_json_file_path": .path, "configpath": .path, "cert_path": .path, "key_path": .path,
    ]

    /// Keys inside `db "…"` sections.
    static let dbKeys: [String: ValueType] = ["url": .string, "username": .string, "password": .string]

    /// The type of `section.key`, or nil when DVC rejects the key.
    static func type(section: String, key: String) -> ValueType? {
        if let named = INISection.namedKind(of: section) {
            switch named.kind {
            case "remote": return remoteKeys[key] ?? .string
            case "db": return dbKeys[key]
            default: return .string
            }
        }
        if freeSections.contains(section) { return .string }
        return keys(forSection: section)?[key]
    }

    /// Whether the section title is known.
    static func isKnownSection(_ section: String) -> Bool {
        INISection.namedKind(of: section) != nil || freeSections.contains(section) || keys(forSection: section) != nil
    }

    /// DVC's booleans: `true`/`false` in any letter case.
    static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// An integer as Python's `int()` reads it from config text.
    static func int(_ text: String) -> Int? {
        Int(text.trimmingASCIIWhitespace())
    }

    /// The value's problem, or nil when it is valid for `type`.
    static func problem(with value: INIValue, type: ValueType, name: String) -> String? {
        switch type {
        case .string, .path:
            return nil
        case .bool:
            guard case let .string(text) = value, bool(text) != nil else {
                return "'\(name)' must be true or false, not '\(value)'"
            }
            return nil
        case .int:
            guard case let .string(text) = value, int(text) != nil else {
                return "'\(name)' must be an integer, not '\(value)'"
            }
            return nil
        case let .choice(choices):
            guard case let .string(text) = value, choices.contains(text) else {
                return "'\(name)' must be one of \(choices.joined(separator: ", ")), not '\(value)'"
            }
            return nil
        case .linkTypes:
            let bad = linkTypeProblems(value)
            return bad.isEmpty ? nil : "unsupported cache type(s): \(bad.joined(separator: ", "))"
        }
    }

    /// The words of a `cache.type` value that are not link types.
    static func linkTypeProblems(_ value: INIValue) -> [String] {
        var bad: [String] = []
        var any = false
        for element in value.elements {
            for word in element.split(separator: ",") {
                let trimmed = String(word.trimmingASCIIWhitespace())
                if trimmed.isEmpty { continue }
                any = true
                if LinkType(rawValue: trimmed) == nil { bad.append(trimmed) }
            }
        }
        if !any { bad.append(value.text) }
        return bad
    }
}
