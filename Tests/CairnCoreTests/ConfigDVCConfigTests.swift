import CairnCore
import CairnTestSupport
import Testing

@Suite struct ConfigDVCConfigTests {
    static func empty(_ level: ConfigLevel) -> ConfigSource {
        let path = level == .local ? ".dvc/config.local" : ".dvc/config"
        return ConfigSource(level: level, path: path, directory: ".dvc", file: INIFile(path: path))
    }

    static func set(_ name: String, _ value: String, in source: ConfigSource, cwd: String = "") throws -> ConfigSource {
        try DVCConfig.setting(try ConfigOptionName.parse(name), to: value, in: source, cwd: cwd)
    }

    /// Replays fixture 08's commands through the API (as `cairn remote add/modify` and `cairn config` would).
    static func replayFixture08() throws -> DVCConfig {
        var repo = empty(.repo)
        repo = try set("remote.myremote.url", "/tmp/some/remote", in: repo)
        repo = try set("core.remote", "myremote", in: repo)
        repo = try set("remote.other.url", "../relative/remote", in: repo)
        repo = try set("remote.other.jobs", "4", in: repo)
        repo = try set("cache.type", "hardlink,copy", in: repo)
        repo = try set("core.autostage", "true", in: repo)
        var local = empty(.local)
        local = try set("core.analytics", "false", in: local)
        return try DVCConfig(sources: [repo, local])
    }

    @Test func fixture08ReplayIsByteExact() throws {
        let config = try Self.replayFixture08()
        #expect(config.source(for: .repo)?.file.render() == (try Fixtures.text("08-config/config")))
        #expect(config.source(for: .local)?.file.render() == (try Fixtures.text("08-config/config.local")))
    }

    static func fixtureConfig(global: String? = nil) throws -> DVCConfig {
        var sources = [
            try ConfigSource.parsing(
                try Fixtures.text("08-config/config"), level: .repo, path: ".dvc/config", directory: ".dvc"),
            try ConfigSource.parsing(
                try Fixtures.text("08-config/config.local"), level: .local, path: ".dvc/config.local",
                directory: ".dvc"),
        ]
        if let global {
            sources.append(
                try ConfigSource.parsing(global, level: .global, path: "/home/u/.config/dvc/config", directory: "/home/u/.config/dvc"))
        }
        return try DVCConfig(sources: sources)
    }

    @Test func typedAccessors() throws {
        let config = try Self.fixtureConfig()
        #expect(config.linkTypes == [.hardlink, .copy])
        #expect(config.autostage)
        #expect(config.defaultRemote == "myremote")
        #expect(config.cacheDir == ".dvc/cache")
        #expect(config.cacheShared == nil)
        #expect(config.checksumJobs == nil)
        #expect(config.bool(section: "core", key: "analytics") == false)
        #expect(config.remotes.map(\.name) == ["myremote", "other"])
        #expect(config.remote(named: "other")?.url == "../relative/remote")
        #expect(config.remote(named: "other")?.option("jobs") == .string("4"))
        #expect(config.remote(named: "myremote")?.url == "/tmp/some/remote")

        let defaults = DVCConfig.defaults
        #expect(defaults.linkTypes == LinkType.defaultPreference)
        #expect(!defaults.autostage)
        #expect(defaults.defaultRemote == nil)
        #expect(defaults.remotes.isEmpty)
    }

    @Test func cacheDirIsRelativeToTheFileThatSetIt() throws {
        let repo = try ConfigSource.parsing("[cache]\n    dir = ../mycache\n    shared = group\n[core]\n    checksum_jobs = 3\n", level: .repo, path: ".dvc/config", directory: ".dvc")
        let config = try DVCConfig(sources: [repo])
        #expect(config.cacheDir == "mycache")
        #expect(config.cacheShared == "group")
        #expect(config.checksumJobs == 3)
        let outside = try DVCConfig(sources: [try ConfigSource.parsing("[cache]\n    dir = ../../shared-cache\n", level: .local, path: ".dvc/config.local", directory: ".dvc")])
        #expect(outside.cacheDir == "../shared-cache")
        let global = try DVCConfig(sources: [try ConfigSource.parsing("[cache]\n    dir = cache\n", level: .global, path: "/g/config", directory: "/g")])
        #expect(global.cacheDir == "/g/cache")
        let list = try DVCConfig(sources: [try ConfigSource.parsing("[cache]\n    type = symlink, copy\n", level: .repo, path: "c", directory: ".dvc")])
        #expect(list.linkTypes == [.symlink, .copy])
    }

    @Test func levelsMergeKeyByKey() throws {
        let config = try Self.fixtureConfig(global: "[core]\n    remote = foo\n    interactive = true\n['remote \"other\"']\n    url = /ignored\n    timeout = 9\n")
        #expect(config.defaultRemote == "myremote")
        #expect(config.bool(section: "core", key: "interactive") == true)
        #expect(config.sources.map(\.level) == [.global, .repo, .local])
        let other = try #require(config.remote(named: "other"))
        #expect(other.url == "../relative/remote")
        #expect(other.options.map(\.key) == ["url", "timeout", "jobs"])
        #expect(config.remotes.map(\.name) == ["other", "myremote"])
        #expect(config.value(section: "core", key: "remote")?.source.level == .repo)
        #expect(config.value(section: "core", key: "interactive")?.source.level == .global)
    }

    @Test func listLinesAsDVCPrintsThem() throws {
        let config = try Self.fixtureConfig()
        #expect(config.listLines(repoRoot: "/tmp/cfgx/r") == [
            "remote.myremote.url=/tmp/some/remote",
            "remote.other.url=/tmp/cfgx/relative/remote",
            "remote.other.jobs=4",
            "core.remote=myremote",
            "core.autostage=true",
            "cache.type=hardlink,copy",
            "core.analytics=false",
        ])
        #expect(config.listLines(level: .local, repoRoot: "/r", showOrigin: true) == [".dvc/config.local\tcore.analytics=false"])
        #expect(config.listLines(level: .repo, repoRoot: "/r", showOrigin: true).first == ".dvc/config\tremote.myremote.url=/tmp/some/remote")
        #expect(config.listLines(level: .global, repoRoot: "/r").isEmpty)
    }

    @Test func getLikeDVCConfigName() throws {
        let config = try Self.fixtureConfig()
        let root = "/tmp/cfgx/r"
        func show(_ name: String, _ level: ConfigLevel? = nil) throws(FormatError) -> String? {
            try config.display(try ConfigOptionName.parse(name), level: level, repoRoot: root)
        }
        #expect(try show("remote.other.url") == "/tmp/cfgx/relative/remote")
        #expect(try show("Core.Remote") == "myremote")
        #expect(try show("cache.type") == "hardlink,copy")
        #expect(try show("remote.other") == "{'url': '/tmp/cfgx/relative/remote', 'jobs': '4'}")
        #expect(try show("core.interactive") == nil)
        #expect(try show("core.analytics", .local) == "false")
        func message(_ name: String, _ level: ConfigLevel) -> String? {
            do {
                _ = try show(name, level)
                return nil
            } catch { return error.message }
        }
        #expect(message("cache.dir", .repo) == "option 'dir' doesn't exist in section 'cache'")
        #expect(message("plots.auto_open", .repo) == "option 'auto_open' doesn't exist in section 'plots'")
        #expect(message("remote.nope.url", .repo) == "remote 'nope' doesn't exist")
        #expect(message("remote.other.timeout", .repo) == "option 'timeout' doesn't exist in remote 'other'")
        #expect(message("core.remote", .global) == "option 'remote' doesn't exist in section 'core'")
    }

    @Test func optionNames() throws {
        #expect(try ConfigOptionName.parse("core.remote") == ConfigOptionName(section: "core", kind: nil, name: nil, option: "remote"))
        #expect(try ConfigOptionName.parse("remote.R.url").section == "remote \"r\"")
        #expect(try ConfigOptionName.parse("db.d.url").kind == "db")
        #expect(try ConfigOptionName.parse("remote.x").option == nil)
        #expect(try ConfigOptionName.parse("remote.x.url").description == "remote.x.url")
        for bad in ["core", "a.b.c", "machine.m.cloud", "core.", ".x"] {
            #expect(throws: FormatError.self, "\(bad)") { try ConfigOptionName.parse(bad) }
        }
    }

    @Test func unsetDropsEmptySectionsAndRemotes() throws {
        let config = try Self.fixtureConfig()
        var repo = try #require(config.source(for: .repo))
        repo = try DVCConfig.unsetting(try ConfigOptionName.parse("cache.type"), in: repo)
        repo = try DVCConfig.unsetting(try ConfigOptionName.parse("remote.other"), in: repo)
        #expect(repo.file.render() == "[core]\n    remote = myremote\n    autostage = true\n['remote \"myremote\"']\n    url = /tmp/some/remote\n")
        #expect(throws: FormatError.self) { try DVCConfig.unsetting(try ConfigOptionName.parse("core.interactive"), in: repo) }
        var local = try #require(config.source(for: .local))
        local = try DVCConfig.unsetting(try ConfigOptionName.parse("core.analytics"), in: local)
        #expect(local.file.render() == "\n")
        let updated = try config.replacing(local)
        #expect(updated.bool(section: "core", key: "analytics") == nil)
    }

    @Test func pathsTypedInASubdirectoryAreStoredRelativeToTheConfigDirectory() throws {
        var repo = Self.empty(.repo)
        repo = try Self.set("cache.dir", "../mycache", in: repo, cwd: "sub")
        repo = try Self.set("remote.loc.url", "rel/dir", in: repo, cwd: "sub")
        repo = try Self.set("remote.loc.keyfile", "./k", in: repo, cwd: "sub")
        repo = try Self.set("remote.s3r.url", "s3://bucket/p", in: repo, cwd: "sub")
        repo = try Self.set("core.site_cache_dir", "./site", in: repo, cwd: "sub")
        #expect(repo.file.render() == """
            [cache]
                dir = ../mycache
            [core]
                site_cache_dir = ./site
            ['remote "loc"']
                url = ../sub/rel/dir
                keyfile = ../sub/k
            ['remote "s3r"']
                url = s3://bucket/p

            """)
        #expect(ConfigPaths.stored(userPath: "x", cwd: "/home/u/proj", configDirectory: "/home/u/.config/dvc") == "../../proj/x")
        #expect(ConfigPaths.renormalized("./x/../y", configDirectory: ".dvc") == "y")
        #expect(ConfigPaths.renormalized("../../relative/remote", configDirectory: ".dvc") == "../../relative/remote")
    }

    /// A hand-edited file rewritten by one `config` command: comments dropped, names lower-cased, quotes
    /// removed where not needed, named sections moved to the end, empty sections dropped (as DVC 3.67.1 does).
    @Test func rewriteOfHandEditedFileMatchesDVC() throws {
        let text = """
            # top comment
            [ 'remote "Zed"' ]
             url = /z
            [Core]
              Remote = MyRemote  # inline
            \tautostage = true
            [remote "Foo"]
            url = s3://b/x
            [cache]
             type = copy, hardlink
            [plots]
              html_template = "a b"
              out_dir = "x" # c
              auto_open = true
            [db "d"]
             url = x
            [machine "m"]
              cloud = aws
            [exp]
              auto_push = true
            [feature]

            """
        let repo = try ConfigSource.parsing(text, level: .repo, path: ".dvc/config", directory: ".dvc")
        let local = try ConfigSource.parsing("[core]\n    analytics = false\n", level: .local, path: ".dvc/config.local", directory: ".dvc")
        let config = try DVCConfig(sources: [repo, local])
        let edited = try DVCConfig.setting(try ConfigOptionName.parse("core.interactive"), to: "true", in: repo, cwd: "")
        #expect(edited.file.render() == """
            [core]
                remote = MyRemote
                autostage = true
                interactive = true
            [cache]
                type = copy, hardlink
            [plots]
                html_template = a b
                out_dir = x
                auto_open = true
            [exp]
                auto_push = true
            ['remote "zed"']
                url = /z
            ['remote "foo"']
                url = s3://b/x
            ['machine "m"']
                cloud = aws
            ['db "d"']
                url = x

            """)
        let after = try config.replacing(edited)
        #expect(after.listLines(repoRoot: "/r") == [
            "remote.zed.url=/z", "remote.foo.url=s3://b/x", "machine.m.cloud=aws", "db.d.url=x",
            "core.remote=MyRemote", "core.autostage=true", "core.interactive=true", "cache.type=['copy', 'hardlink']",
            "plots.html_template=a b", "plots.out_dir=x", "plots.auto_open=true", "exp.auto_push=true",
            "core.analytics=false",
        ])
    }

    @Test(arguments: [
        ("[foo]\n    bar = 1\n", "unknown config section 'foo'", 1),
        ("[core]\n    bogus = 1\n", "unknown config option 'core.bogus'", 2),
        ("[core]\n    autostage = yes\n", "'core.autostage' must be true or false, not 'yes'", 2),
        ("[core]\n    checksum_jobs = abc\n", "'core.checksum_jobs' must be an integer, not 'abc'", 2),
        ("[cache]\n    type = foo\n", "unsupported cache type(s): foo", 2),
        ("[cache]\n    shared = foo\n", "'cache.shared' must be one of group, not 'foo'", 2),
        ("[parsing]\n    list = a, b\n", "'parsing.list' must be one of nargs, append, not '['a', 'b']'", 2),
        ("['db \"d\"']\n    foo = 1\n", "unknown config option 'db.d.foo'", 2),
        ("['remote \"x\"']\n    jobs = 4\n", "remote 'x' has no 'url'", nil),
        ("['remote \"x\"']\n    url = /x\n    jobs = many\n", "'remote.x.jobs' must be an integer, not 'many'", 3),
    ])
    func schemaErrorsNameFileKeyAndHelp(text: String, message: String, line: Int?) throws {
        let source = try ConfigSource.parsing(text, level: .repo, path: ".dvc/config", directory: ".dvc")
        do {
            _ = try DVCConfig(sources: [source])
            Issue.record("accepted \(text.debugDescription)")
        } catch {
            #expect(error.path == ".dvc/config")
            #expect(error.message == message)
            #expect(error.line == line)
            #expect(error.hint?.contains("see 'cairn config --help'") == true)
        }
    }

    @Test func permissiveWhereDVCIsPermissive() throws {
        let text = """
            [core]
                autostage = TRUE
                no_scm = False
            [feature]
                anything = 1
            ['machine "m"']
                cloud = aws
            ['remote "s"']
                url = s3://b
                region = eu
            [studio]
                offline = true
            [hydra]
                enabled = true
            [state]
                row_limit = 1
            [index]
                dir = x
            [cache]
                protected = true
                slow_link_warning = false

            """
        let config = try DVCConfig(sources: [try ConfigSource.parsing(text, level: .repo, path: "c", directory: ".dvc")])
        #expect(config.autostage)
        #expect(config.bool(section: "core", key: "no_scm") == false)
        #expect(config.remote(named: "s")?.url == "s3://b")
    }
}
