internal import CGit2

extension GitRepository {
    /// The value of a git config key (e.g. `user.name`) as git sees it for this repository; nil when unset.
    public func configString(_ key: String) throws -> String? {
        let config = try self.config()
        let buffer = BufferHandle()
        let returnCode = git_config_get_string_buf(&buffer.buffer, config.pointer, key)
        if returnCode == GIT_ENOTFOUND.rawValue { return nil }
        try gitCheck(returnCode, "read git config", path: key)
        return buffer.string
    }

    /// A boolean git config key (`true`/`yes`/`on`/`1`…); nil when unset.
    public func configBool(_ key: String) throws -> Bool? {
        let config = try self.config()
        var value: Int32 = 0
        let returnCode = git_config_get_bool(&value, config.pointer, key)
        if returnCode == GIT_ENOTFOUND.rawValue { return nil }
        try gitCheck(returnCode, "read git config", path: key, hint: "set '\(key)' to true or false")
        return value != 0
    }

    /// The user's identity from git config (`user.name`, `user.email`), timed now.
    public func defaultSignature() throws -> GitSignature {
        var out: UnsafeMutablePointer<git_signature>?
        try gitCheck(
            git_signature_default(&out, pointer), "find the git user name and e-mail for", path: workdir ?? gitDir,
            hint: "run: git config --global user.name 'Your Name'; git config --global user.email you@example.com")
        let signature = SignatureHandle(out!)
        return GitSignature(UnsafePointer(signature.pointer))
    }

    private func config() throws -> ConfigHandle {
        var out: OpaquePointer?
        try gitCheck(git_repository_config(&out, pointer), "open the git config of", path: gitDir)
        return ConfigHandle(out!)
    }
}
