import Foundation

/// AWS credentials. `description` never shows the secret or the session token.
public struct S3Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Access key id (not secret; it names the key).
    public let accessKeyID: String
    /// Secret access key.
    public let secretAccessKey: String
    /// Session token of temporary credentials.
    public let sessionToken: String?

    /// Credentials from their parts.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    public var description: String {
        "S3Credentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>"
            + (sessionToken == nil ? ")" : ", sessionToken: <redacted>)")
    }

    public var debugDescription: String { description }
}

/// How bucket names go into request URLs.
public enum S3AddressingStyle: String, Sendable, Equatable {
    /// `https://bucket.s3.region.amazonaws.com/key`.
    case virtual
    /// `https://endpoint/bucket/key`.
    case path
    /// Virtual-hosted on AWS, path-style on a custom endpoint.
    case auto
}

/// Where the credentials came from (for messages; never the values).
public enum S3CredentialSource: Sendable, Equatable {
    /// The remote's `access_key_id`/`secret_access_key` options.
    case remoteOptions
    /// `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`.
    case environment
    /// A profile of the shared credentials or config file.
    case profile(String)
    /// `allow_anonymous_login`: requests are not signed.
    case anonymous
}

/// The settings an S3 remote resolves to from its options, the environment and the AWS files.
public struct S3Settings: Sendable, Equatable {
    /// Signing credentials; nil for anonymous (unsigned) access.
    public var credentials: S3Credentials?
    /// Where `credentials` came from.
    public var source: S3CredentialSource
    /// Region that signs the requests.
    public var region: String
    /// The profile that was consulted.
    public var profile: String
    /// Addressing style from `~/.aws/config` (`s3 =` / `addressing_style`), `.auto` when unset.
    public var addressingStyle: S3AddressingStyle
}

/// Resolves credentials and region as boto does for DVC, as pure functions of the inputs.
public enum S3SettingsResolver {
    /// Resolves `options` (the remote's config), `environment`, and the contents of the shared credentials and
    /// config files (nil when absent). Throws `.configuration` when no credentials are found and anonymous login is off.
    public static func resolve(
        url: String, options: [String: String], environment: [String: String],
        credentialsFile: String?, configFile: String?
    ) throws(RemoteError) -> S3Settings {
        func env(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        func option(_ name: String) -> String? {
            guard let value = options[name], !value.isEmpty else { return nil }
            return value
        }
        let profile = option("profile") ?? env("AWS_PROFILE") ?? "default"
        let credentialSections = credentialsFile.map { AWSIniFile.parse($0) } ?? [:]
        let configSections = configFile.map { AWSIniFile.parse($0) } ?? [:]
        let credentialProfile = credentialSections[profile] ?? [:]
        // ~/.aws/config names profiles `[profile NAME]`, except the default one.
        let configProfile = configSections["profile " + profile] ?? (profile == "default" ? configSections["default"] : nil) ?? [:]

        let region = option("region") ?? env("AWS_REGION") ?? env("AWS_DEFAULT_REGION")
            ?? configProfile["region"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
        let style = (configProfile["s3.addressing_style"]).flatMap { S3AddressingStyle(rawValue: $0.lowercased()) } ?? .auto

        var settings = S3Settings(credentials: nil, source: .anonymous, region: region, profile: profile, addressingStyle: style)
        if isTrue(option("allow_anonymous_login")) { return settings }

        if let key = option("access_key_id"), let secret = option("secret_access_key") {
            settings.credentials = S3Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: option("session_token"))
            settings.source = .remoteOptions
        } else if let key = env("AWS_ACCESS_KEY_ID"), let secret = env("AWS_SECRET_ACCESS_KEY") {
            settings.credentials = S3Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: env("AWS_SESSION_TOKEN"))
            settings.source = .environment
        } else if let found = profileCredentials(credentialProfile) ?? profileCredentials(configProfile) {
            settings.credentials = found
            settings.source = .profile(profile)
        } else {
            throw .configuration(
                "no AWS credentials for remote '\(url)' (profile '\(profile)'): set them with "
                    + "`cairn remote modify --local <name> access_key_id …` and `secret_access_key …`, export "
                    + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, add them to ~/.aws/credentials, "
                    + "or set allow_anonymous_login for a public bucket")
        }
        return settings
    }

    private static func profileCredentials(_ section: [String: String]) -> S3Credentials? {
        guard let key = section["aws_access_key_id"], !key.isEmpty,
              let secret = section["aws_secret_access_key"], !secret.isEmpty
        else { return nil }
        let token = section["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
        return S3Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token)
    }

    /// DVC's boolean option values (`true`, `yes`, `1`, `on`).
    static func isTrue(_ value: String?) -> Bool {
        guard let value else { return false }
        return ["true", "yes", "1", "on"].contains(value.lowercased())
    }
}

/// The AWS shared-config INI dialect: `[section]`, `key = value`, `#`/`;` comments, and nested blocks
/// (`s3 =` followed by indented `key = value` lines, stored as `s3.key`).
public enum AWSIniFile {
    /// Sections by name (`default`, `profile dev`, …), each a dictionary of keys (nested keys as `parent.key`).
    public static func parse(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        var nestedParent: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
                let name = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                // Collapse inner runs of spaces so `[profile   dev]` is `profile dev`.
                current = name.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                nestedParent = nil
                if let current, sections[current] == nil { sections[current] = [:] }
                continue
            }
            guard let section = current, let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            let indented = line.first == " " || line.first == "\t"
            if indented, let parent = nestedParent {
                sections[section]?[parent + "." + key] = value
            } else if value.isEmpty {
                nestedParent = key
            } else {
                nestedParent = nil
                sections[section]?[key] = value
            }
        }
        return sections
    }
}
