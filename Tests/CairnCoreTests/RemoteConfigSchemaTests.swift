import CairnCore
import Testing

@Suite struct RemoteConfigSchemaTests {
    private func problem(_ options: [(String, String)], name: String = "r") -> String? {
        RemoteConfigSchema.problem(remote: name, options: options.map { ($0.0, INIValue.string($0.1)) })
    }

    @Test func schemeFollowsPythonsURLParsing() {
        #expect(RemoteConfigSchema.scheme(ofURL: "/tmp/x") == "")
        #expect(RemoteConfigSchema.scheme(ofURL: "../rel") == "")
        #expect(RemoteConfigSchema.scheme(ofURL: "s3://bucket/p") == "s3")
        #expect(RemoteConfigSchema.scheme(ofURL: "S3://bucket") == "s3")
        #expect(RemoteConfigSchema.scheme(ofURL: "s3:///no-host") == "", "no netloc: validated as a local path")
        #expect(RemoteConfigSchema.scheme(ofURL: "file:///tmp/x") == "")
        #expect(RemoteConfigSchema.scheme(ofURL: "ssh://user@host:22/p") == "ssh")
        #expect(RemoteConfigSchema.scheme(ofURL: "remote://base/sub") == "remote")
        #expect(RemoteConfigSchema.scheme(ofURL: "c:foo") == "")
    }

    @Test func localAndS3OptionLists() {
        for option in ["jobs", "checksum_jobs", "worktree", "version_aware", "type", "shared", "slow_link_warning", "verify", "protected"] {
            #expect(RemoteConfigSchema.knownOptions(forURL: "/x")?.contains(option) == true, "\(option)")
        }
        #expect(RemoteConfigSchema.knownOptions(forURL: "/x")?.contains("region") == false)
        for option in ["region", "profile", "credentialpath", "configpath", "endpointurl", "access_key_id",
                       "secret_access_key", "session_token", "use_ssl", "allow_anonymous_login", "ssl_verify", "sse",
                       "sse_kms_key_id", "sse_customer_algorithm", "sse_customer_key", "acl", "grant_read",
                       "grant_read_acp", "grant_write_acp", "grant_full_control", "cache_regions", "read_timeout",
                       "connect_timeout", "jobs", "version_aware", "listobjects"] {
            #expect(RemoteConfigSchema.knownOptions(forURL: "s3://b")?.contains(option) == true, "\(option)")
        }
        #expect(RemoteConfigSchema.knownOptions(forURL: "s3://b")?.contains("type") == false)
        #expect(RemoteConfigSchema.knownOptions(forURL: "remote://b/x") == nil)
    }

    @Test func messagesAreDVCs() {
        #expect(problem([("url", "/x"), ("region", "us")])
            == "extra keys not allowed @ data['remote']['r']['region']")
        #expect(problem([("url", "/x"), ("jobs", "abc")])
            == "expected int for dictionary value @ data['remote']['r']['jobs']")
        #expect(problem([("url", "/x"), ("jobs", "0")])
            == "value must be at least 1 for dictionary value @ data['remote']['r']['jobs']")
        #expect(problem([("url", "/x"), ("jobs", " +4 ")]) == nil)
        #expect(problem([("url", "/x"), ("type", "hardlink,teleport")])
            == "Unsupported cache type(s): teleport for dictionary value @ data['remote']['r']['type']")
        #expect(problem([("url", "/x"), ("shared", "GROUP"), ("verify", "False")]) == nil)
        #expect(problem([("url", "s3://b"), ("use_ssl", "maybe")])
            == "expected true or false for dictionary value @ data['remote']['r']['use_ssl']")
        #expect(problem([("url", "s3://b"), ("cache_regions", "true")])
            == "expected bool for dictionary value @ data['remote']['r']['cache_regions']")
        #expect(problem([("url", "s3://b"), ("read_timeout", "1.5")])
            == "expected int for dictionary value @ data['remote']['r']['read_timeout']")
        #expect(problem([("url", "https://h/p"), ("auth", "nope")])
            == "expected one of basic, digest, custom for dictionary value @ data['remote']['r']['auth']")
        #expect(problem([("url", "https://h/p"), ("connect_timeout", "-1")])
            == "value must be at least 0 for dictionary value @ data['remote']['r']['connect_timeout']")
        #expect(problem([("url", "https://h/p"), ("read_timeout", "2.5"), ("auth", "BASIC")]) == nil)
        #expect(problem([("url", "foo://h/p")]) == "Unsupported URL type foo:// for dictionary value @ data['remote']['r']")
        #expect(problem([("jobs", "1")]) == "expected 'url' for dictionary value @ data['remote']['r']")
        #expect(problem([("url", "remote://base/x"), ("anything", "goes")]) == nil)
        #expect(problem([("url", "/x"), ("bad", "1")], name: "it's") == "extra keys not allowed @ data['remote'][\"it's\"]['bad']")
    }

    @Test func secretValuesNeverAppearInMessages() {
        let message = problem([("url", "/x"), ("password", "hunter2")])
        #expect(message == "extra keys not allowed @ data['remote']['r']['password']")
        #expect(RemoteConfigSchema.isSecret("secret_access_key"))
        #expect(RemoteConfigSchema.isSecret("PASSWORD"))
        #expect(!RemoteConfigSchema.isSecret("region"))
    }

    @Test func resolvedOptionsMergeLevelsAndResolvePaths() throws {
        let global = try ConfigSource.parsing(
            "['remote \"s\"']\n    url = s3://b/p\n    region = eu\n    credentialpath = creds\n",
            level: .global, path: "/g/config", directory: "/g")
        let repo = try ConfigSource.parsing(
            "[core]\n    remote = s\n['remote \"l\"']\n    url = ../store\n    keyfile = ~/k\n['remote \"s\"']\n    region = us\n",
            level: .repo, path: ".dvc/config", directory: ".dvc")
        let local = try ConfigSource.parsing(
            "['remote \"s\"']\n    secret_access_key = SEKRET\n", level: .local, path: ".dvc/config.local", directory: ".dvc")
        let config = try DVCConfig(sources: [global, repo, local])
        #expect(config.remoteOptions(named: "s") == [
            RemoteOption(key: "url", value: "s3://b/p", isPath: true),
            RemoteOption(key: "region", value: "us", isPath: false),
            RemoteOption(key: "credentialpath", value: "/g/creds", isPath: true),
            RemoteOption(key: "secret_access_key", value: "SEKRET", isPath: false),
        ])
        #expect(config.remoteOptions(named: "l") == [
            RemoteOption(key: "url", value: "store", isPath: true),
            RemoteOption(key: "keyfile", value: "~/k", isPath: true),
        ])
        #expect(config.remoteOptions(named: "nope") == nil)
        #expect(config.remoteProblem(named: "s") == nil)
        #expect(config.remoteProblem(named: "l") == "extra keys not allowed @ data['remote']['l']['keyfile']")
    }
}
