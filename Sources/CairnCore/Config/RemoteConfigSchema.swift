/// The options DVC 3 accepts in a `remote "…"` section, which depend on the scheme of its `url`, and DVC's
/// messages (voluptuous's wording, `@ data['remote']['name']['option']`) for the first problem found.
public enum RemoteConfigSchema {
    /// How one option's value is checked, as DVC's schema checks it.
    enum Check: Sendable {
        /// Any single string.
        case string
        /// `true`/`false` in any letter case.
        case bool
        /// Python's `int()` of the text, at least `min` when given.
        case int(min: Int?)
        /// Python's `float()` of the text, at least `min` when given.
        case float(min: Double?)
        /// One of the choices (compared lower-cased).
        case choice([String])
        /// A comma list of link types.
        case linkTypes
        /// A true Python bool or int: text from a config file never passes (DVC's schema says so).
        case pythonBool
        /// Likewise a true Python int (`hdfs` `replication`).
        case pythonInt
        /// Anything (the `remote://` scheme takes every option).
        case any
    }

    private static let common: [String: Check] = [
        "url": .string, "checksum_jobs": .int(min: 1), "jobs": .int(min: 1), "worktree": .bool,
        "no_traverse": .bool, "version_aware": .bool,
    ]

    private static let local: [String: Check] = [
        "type": .linkTypes, "protected": .bool, "shared": .choice(["group"]), "slow_link_warning": .bool,
        "verify": .bool,
    ]

    private static let http: [String: Check] = [
        "auth": .choice(["basic", "digest", "custom"]), "custom_auth_header": .string, "user": .string,
        "password": .string, "ask_password": .bool, "ssl_verify": .string, "method": .string,
        "connect_timeout": .float(min: 0), "read_timeout": .float(min: 0), "verify": .bool,
    ]

    private static let webdav: [String: Check] = [
        "user": .string, "password": .string, "ask_password": .bool, "token": .string,
        "bearer_token_command": .string, "custom_auth_header": .string, "cert_path": .string, "key_path": .string,
        "timeout": .int(min: nil), "ssl_verify": .string, "verify": .bool,
    ]

    private static let s3: [String: Check] = [
        "region": .string, "profile": .string, "credentialpath": .string, "configpath": .string,
        "endpointurl": .string, "access_key_id": .string, "secret_access_key": .string, "session_token": .string,
        "listobjects": .bool, "use_ssl": .bool, "allow_anonymous_login": .bool, "ssl_verify": .string,
        "sse": .string, "sse_kms_key_id": .string, "sse_customer_algorithm": .string, "sse_customer_key": .string,
        "acl": .string, "grant_read": .string, "grant_read_acp": .string, "grant_write_acp": .string,
        "grant_full_control": .string, "cache_regions": .pythonBool, "read_timeout": .int(min: nil),
        "connect_timeout": .int(min: nil), "verify": .bool,
    ]

    private static let gs: [String: Check] = [
        "projectname": .string, "credentialpath": .string, "endpointurl": .string, "verify": .bool,
        "allow_anonymous_login": .bool,
    ]

    private static let ssh: [String: Check] = [
        "type": .linkTypes, "port": .int(min: nil), "user": .string, "password": .string, "ask_password": .bool,
        "passphrase": .string, "ask_passphrase": .bool, "keyfile": .string, "timeout": .int(min: nil),
        "gss_auth": .bool, "allow_agent": .bool, "max_sessions": .int(min: nil), "verify": .bool,
    ]

    private static let hdfs: [String: Check] = ["user": .string, "kerb_ticket": .string, "replication": .pythonInt]

    private static let webhdfs: [String: Check] = [
        "kerberos": .bool, "kerberos_principal": .string, "proxy_to": .string, "ssl_verify": .string,
        "token": .string, "use_https": .bool, "user": .string, "password": .string, "data_proxy_target": .string,
        "verify": .bool,
    ]

    private static let azure: [String: Check] = [
        "connection_string": .string, "sas_token": .string, "account_name": .string, "account_key": .string,
        "tenant_id": .string, "client_id": .string, "client_secret": .string, "allow_anonymous_login": .bool,
        "exclude_environment_credential": .bool, "exclude_visual_studio_code_credential": .bool,
        "exclude_shared_token_cache_credential": .bool, "exclude_managed_identity_credential": .bool,
        "verify": .bool, "timeout": .int(min: nil), "read_timeout": .int(min: nil),
        "connection_timeout": .int(min: nil),
    ]

    private static let oss: [String: Check] = [
        "oss_key_id": .string, "oss_key_secret": .string, "oss_endpoint": .string, "verify": .bool,
    ]

    private static let gdrive: [String: Check] = [
        "profile": .string, "gdrive_use_service_account": .bool, "gdrive_client_id": .string,
        "gdrive_client_secret": .string, "gdrive_user_credentials_file": .string,
        "gdrive_service_account_user_email": .string, "gdrive_service_account_json_file_path": .string,
        "gdrive_trash_only": .bool, "gdrive_acknowledge_abuse": .bool, "verify": .bool,
    ]

    /// The options of each scheme DVC knows ("" = a local path), common options included.
    static let schemes: [String: [String: Check]] = {
        func with(_ specific: [String: Check]) -> [String: Check] { specific.merging(common) { _, shared in shared } }
        return [
            "": with(local), "s3": with(s3), "gs": with(gs), "ssh": with(ssh), "hdfs": with(hdfs),
            "webhdfs": with(webhdfs), "azure": with(azure), "oss": with(oss), "gdrive": with(gdrive),
            "http": with(http), "https": with(http), "webdav": with(webdav), "webdavs": with(webdav),
        ]
    }()

    /// Options whose values are credentials: never shown by cairn outside `config` (which shows what DVC shows).
    public static let secretOptions: Set<String> = [
        "password", "passphrase", "access_key_id", "secret_access_key", "session_token", "sse_customer_key",
        "account_key", "connection_string", "sas_token", "client_secret", "oss_key_id", "oss_key_secret",
        "gdrive_client_secret", "token", "custom_auth_header",
    ]

    /// Whether `option` holds a credential.
    public static func isSecret(_ option: String) -> Bool { secretOptions.contains(option.lowercased()) }

    /// The scheme DVC validates a URL against: "" for local paths (anything without a `//host` part, as
    /// Python's `urlparse` splits it), else the lower-cased scheme.
    public static func scheme(ofURL url: String) -> String {
        // urlparse: a scheme is a letter followed by letters, digits, `+`, `-`, `.`, then `:`.
        guard let colon = url.firstIndex(of: ":") else { return "" }
        let scheme = url[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") })
        else { return "" }
        let rest = url[url.index(after: colon)...]
        guard rest.hasPrefix("//") else { return "" }
        let netloc = rest.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return netloc.isEmpty ? "" : scheme.lowercased()
    }

    /// The options DVC accepts for a remote whose url is `url`, nil when every option is (`remote://`) or when the
    /// scheme is unknown (see ``problem(remote:options:)``).
    public static func knownOptions(forURL url: String) -> Set<String>? {
        schemes[scheme(ofURL: url)].map { Set($0.keys) }
    }

    /// DVC's message for the first problem of one remote (options merged across the levels being validated, in
    /// order), nil when DVC accepts it. Values never appear in the message.
    public static func problem(remote name: String, options: [(key: String, value: INIValue)]) -> String? {
        let at = "@ data['remote'][\(PythonRepr.string(name))]"
        guard let url = options.last(where: { $0.key == "url" })?.value else {
            return "expected 'url' for dictionary value \(at)"
        }
        guard case let .string(urlText) = url else {
            return "expected str for dictionary value \(at)['url']"
        }
        let scheme = Self.scheme(ofURL: urlText)
        if scheme == "remote" { return nil }
        guard let checks = schemes[scheme] else {
            return "Unsupported URL type \(scheme):// for dictionary value \(at)"
        }
        for (key, value) in options {
            let path = "\(at)[\(PythonRepr.string(key))]"
            guard let check = checks[key] else { return "extra keys not allowed \(path)" }
            if let problem = Self.problem(value, check) { return "\(problem) for dictionary value \(path)" }
        }
        return nil
    }

    /// voluptuous's wording for a value `check` rejects.
    static func problem(_ value: INIValue, _ check: Check) -> String? {
        guard case let .string(text) = value else {
            switch check {
            case .linkTypes, .any: return nil
            case .bool: return "expected true or false"
            case .int, .pythonInt: return "expected int"
            case .float: return "expected float"
            case let .choice(choices): return "expected one of \(choices.joined(separator: ", "))"
            case .pythonBool: return "expected bool"
            case .string: return "expected str"
            }
        }
        switch check {
        case .string, .any: return nil
        case .bool: return ConfigSchema.bool(text) == nil ? "expected true or false" : nil
        case let .int(min):
            guard let number = pythonInt(text) else { return "expected int" }
            if let min, number < min { return "value must be at least \(min)" }
            return nil
        case let .float(min):
            guard let number = Double(String(text.trimmingASCIIWhitespace())) else { return "expected float" }
            if let min, number < min { return "value must be at least \(pythonFloat(min))" }
            return nil
        case let .choice(choices):
            return choices.contains(text.lowercased()) ? nil : "expected one of \(choices.joined(separator: ", "))"
        case .linkTypes:
            let bad = text.split(separator: ",").map { String($0.trimmingASCIIWhitespace()) }
                .filter { LinkType(rawValue: $0) == nil }
            return bad.isEmpty ? nil : "Unsupported cache type(s): \(bad.joined(separator: ", "))"
        case .pythonBool: return "expected bool"
        case .pythonInt: return "expected int"
        }
    }

    /// Python's `int(text)`: surrounding whitespace, a sign and `_` between digits allowed.
    static func pythonInt(_ text: String) -> Int? {
        let trimmed = text.trimmingASCIIWhitespace()
        var digits = Substring(trimmed)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.first != "_", digits.last != "_", !digits.contains("__") else { return nil }
        return Int(trimmed.filter { $0 != "_" })
    }

    /// Python's `str(float)` for the small bounds the schema uses (`0` → `0`, as voluptuous prints `Range(0)`).
    private static func pythonFloat(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
