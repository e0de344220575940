import CairnCore
import CairnTestSupport
import Testing

/// The files each step hands to `write`, in order.
private final class Written {
    var files: [(level: ConfigLevel, text: String)] = []
}

/// An editor over empty system/global/repo/local files; the working directory is `cwd` (repo-relative).
private func editor(
    cwd: String = "", repo: String = "", local: String = "", global: String = "", written: Written = Written()
) throws -> RemoteConfigEditor {
    let sources = [
        try ConfigSource.parsing("", level: .system, path: "/etc/xdg/dvc/config", directory: "/etc/xdg/dvc"),
        try ConfigSource.parsing(global, level: .global, path: "/home/u/.config/dvc/config", directory: "/home/u/.config/dvc"),
        try ConfigSource.parsing(repo, level: .repo, path: ".dvc/config", directory: ".dvc"),
        try ConfigSource.parsing(local, level: .local, path: ".dvc/config.local", directory: ".dvc"),
    ]
    return RemoteConfigEditor(sources: sources, cwdInRepo: cwd, cwdAbsolute: "/work/r/" + cwd) { source in
        written.files.append((source.level, source.file.render()))
    }
}

private func text(_ editor: RemoteConfigEditor, _ level: ConfigLevel) -> String {
    editor.sources.first { $0.level == level }!.file.render()
}

/// The message of a config error thrown by `body`.
private func message(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as FormatError {
        return error.message
    } catch {
        return "\(error)"
    }
}

@Suite struct RemoteConfigEditorTests {
    @Test func fixture08SequenceIsByteExact() throws {
        var e = try editor()
        try e.add("myremote", url: "/tmp/some/remote", level: .repo, makeDefault: true, force: false)
        try e.add("other", url: "../relative/remote", level: .repo, makeDefault: false, force: false)
        try e.modify("other", option: "jobs", value: "4", level: .repo)
        let expected = try Fixtures.text("08-config/config")
        // The fixture also has cache/core options set through `config`; the remote part must match.
        #expect(text(e, .repo) == "[core]\n    remote = myremote\n" + expected[expected.range(of: "['remote")!.lowerBound...])
    }

    @Test func addLowercasesRefusesDuplicatesAndStoresPathsRelativeToTheConfigFile() throws {
        var e = try editor(cwd: "sub/deep")
        try e.add("MyR", url: "../x", level: .repo, makeDefault: false, force: false)
        try e.add("loc", url: "./y", level: .local, makeDefault: false, force: false)
        try e.add("home", url: "~/data", level: .repo, makeDefault: false, force: false)
        try e.add("s3", url: "s3://bucket/p", level: .repo, makeDefault: false, force: false)
        #expect(text(e, .repo) == "['remote \"myr\"']\n    url = ../sub/x\n['remote \"home\"']\n    url = ~/data\n['remote \"s3\"']\n    url = s3://bucket/p\n")
        #expect(text(e, .local) == "['remote \"loc\"']\n    url = ../sub/deep/y\n")
        #expect(message { try e.add("myr", url: "/z", level: .repo, makeDefault: false, force: false) }
            == "config file error: remote 'myr' already exists. Use `-f|--force` to overwrite it.")
        try e.modify("myr", option: "jobs", value: "2", level: .repo)
        try e.add("myr", url: "/z", level: .repo, makeDefault: true, force: true)
        // -f replaces the whole section in place.
        #expect(text(e, .repo).hasPrefix("[core]\n    remote = myr\n['remote \"myr\"']\n    url = /z\n['remote \"home\"']"))
    }

    @Test func globalLevelPathsAreRelativeToTheGlobalDirectory() throws {
        var e = try editor(cwd: "sub")
        try e.add("g", url: "rel", level: .global, makeDefault: false, force: false)
        #expect(text(e, .global) == "['remote \"g\"']\n    url = ../../../../work/r/sub/rel\n")
        #expect(e.list(level: nil).first == RemoteListing(name: "g", url: "/work/r/sub/rel", isDefault: false))
    }

    @Test func modifyValidatesAgainstTheURLScheme() throws {
        var e = try editor(repo: "['remote \"s3r\"']\n    url = s3://b/p\n['remote \"l\"']\n    url = /l\n")
        try e.modify("s3r", option: "region", value: "us-east-1", level: .repo)
        try e.modify("S3R", option: "secret_access_key", value: "SEKRET", level: .local)
        #expect(text(e, .local) == "['remote \"s3r\"']\n    secret_access_key = SEKRET\n")
        #expect(message { try e.modify("l", option: "region", value: "x", level: .repo) }
            == "config file error: extra keys not allowed @ data['remote']['l']['region']")
        #expect(message { try e.modify("l", option: "jobs", value: "0", level: .repo) }
            == "config file error: value must be at least 1 for dictionary value @ data['remote']['l']['jobs']")
        #expect(message { try e.modify("s3r", option: "Region", value: "x", level: .repo) }
            == "config file error: extra keys not allowed @ data['remote']['s3r']['Region']")
        #expect(message { try e.modify("nope", option: "jobs", value: "1", level: .repo) }
            == "config file error: remote 'nope' doesn't exist.")
        // The remote must exist at the level or below.
        #expect(message { try e.modify("s3r", option: "jobs", value: "1", level: .global) }
            == "config file error: remote 's3r' doesn't exist.")
        #expect(message { try e.modify("s3r", option: "url", value: nil, level: .repo) }
            == "config file error: expected 'url' for dictionary value @ data['remote']['s3r']")
        try e.modify("s3r", option: "region", value: nil, level: .repo)
        try e.modify("s3r", option: "region", value: nil, level: .repo)
        #expect(text(e, .repo) == "['remote \"s3r\"']\n    url = s3://b/p\n['remote \"l\"']\n    url = /l\n")
        try e.modify("s3r", option: "credentialpath", value: "creds", level: .repo)
        #expect(text(e, .repo).contains("credentialpath = ../creds\n"))
    }

    @Test func unsettingTheLastOptionOfALevelKeepsTheSectionHeader() throws {
        var e = try editor(repo: "['remote \"a\"']\n    url = /a\n")
        try e.modify("a", option: "jobs", value: "2", level: .local)
        try e.modify("a", option: "jobs", value: nil, level: .local)
        #expect(text(e, .local) == "['remote \"a\"']\n", "DVC writes the emptied section as a bare header")
        try e.setDefault("a", level: .local)
        try e.setDefault(nil, level: .local)
        #expect(text(e, .local) == "['remote \"a\"']\n", "an emptied plain section is dropped")
    }

    @Test func failedEditsWriteNothing() throws {
        let written = Written()
        var e = try editor(repo: "['remote \"l\"']\n    url = /l\n", written: written)
        _ = message { try e.modify("l", option: "bogus", value: "1", level: .repo) }
        _ = message { try e.add("x", url: "ftp://host/p", level: .repo, makeDefault: false, force: false) }
        #expect(written.files.isEmpty)
        #expect(text(e, .repo) == "['remote \"l\"']\n    url = /l\n")
    }

    @Test func defaultSetUnsetAndShow() throws {
        var e = try editor(repo: "['remote \"a\"']\n    url = /a\n", local: "['remote \"b\"']\n    url = /b\n")
        #expect(e.defaultRemote(level: nil) == nil)
        try e.setDefault("A", level: .repo)
        #expect(text(e, .repo) == "[core]\n    remote = a\n['remote \"a\"']\n    url = /a\n")
        #expect(message { try e.setDefault("b", level: .repo) }
            == "config file error: default remote must be present in remote list.")
        try e.setDefault("b", level: .local)
        #expect(e.defaultRemote(level: nil) == "b")
        #expect(e.defaultRemote(level: .repo) == "a")
        #expect(e.list(level: nil).map(\.isDefault) == [false, true])
        try e.setDefault(nil, level: .local)
        try e.setDefault(nil, level: .local)
        #expect(text(e, .local) == "['remote \"b\"']\n    url = /b\n")
        #expect(e.defaultRemote(level: nil) == "a")
    }

    @Test func removeUnsetsTheDefaultFromLocalDownToTheLevel() throws {
        let written = Written()
        var e = try editor(
            repo: "[core]\n    remote = a\n['remote \"a\"']\n    url = /a\n", local: "[core]\n    remote = a\n",
            global: "[core]\n    remote = a\n", written: written)
        try e.remove("A", level: .repo)
        #expect(text(e, .repo) == "\n")
        #expect(text(e, .local) == "\n")
        #expect(text(e, .global) == "[core]\n    remote = a\n", "levels below the edited one are left alone")
        // DVC rewrites the edited level, then every level from local down to it.
        #expect(written.files.map(\.level) == [.repo, .local, .repo])
        #expect(message { try e.remove("a", level: .repo) } == "config file error: remote 'a' doesn't exist.")
    }

    @Test func renameMovesTheSectionAndTheDefault() throws {
        var e = try editor(
            repo: "[core]\n    remote = a\n['remote \"a\"']\n    url = /a\n    jobs = 3\n['remote \"b\"']\n    url = /b\n",
            local: "[core]\n    remote = a\n")
        #expect(message { try e.rename("a", to: "b", level: .repo) }
            == "config file error: Rename failed. Remote name 'b' already exists.")
        #expect(message { try e.rename("nope", to: "c", level: .repo) }
            == "config file error: remote 'nope' doesn't exist.")
        try e.rename("a", to: "c", level: .repo)
        #expect(text(e, .repo) == "[core]\n    remote = c\n['remote \"b\"']\n    url = /b\n['remote \"c\"']\n    url = /a\n    jobs = 3\n")
        #expect(text(e, .local) == "[core]\n    remote = c\n")
        #expect(message { try e.rename("c", to: "d", level: .local) } == "config file error: remote 'c' doesn't exist.")
    }

    @Test func listShowsOneLevelOrTheMergedView() throws {
        let e = try editor(
            repo: "['remote \"r\"']\n    url = ../store\n['remote \"s\"']\n    url = s3://b\n",
            local: "[core]\n    remote = s\n['remote \"l\"']\n    url = /l\n['remote \"s\"']\n    region = x\n")
        #expect(e.list(level: nil) == [
            RemoteListing(name: "r", url: "store", isDefault: false),
            RemoteListing(name: "s", url: "s3://b", isDefault: true),
            RemoteListing(name: "l", url: "/l", isDefault: false),
        ])
        #expect(e.list(level: .repo).map(\.isDefault) == [false, false])
        #expect(e.list(level: .local).map(\.name) == ["l", "s"])
    }

    @Test func editsOutsideAProjectNeedAGlobalOrSystemLevel() throws {
        let global = try ConfigSource.parsing("", level: .global, path: "/g/config", directory: "/g")
        var e = RemoteConfigEditor(sources: [global], cwdInRepo: nil, cwdAbsolute: "/w") { _ in }
        #expect(message { try e.add("a", url: "/a", level: .repo, makeDefault: false, force: false) }
            == "config file error: Not inside a DVC repo")
        try e.add("a", url: "x", level: .global, makeDefault: false, force: false)
        #expect(text(e, .global) == "['remote \"a\"']\n    url = ../w/x\n")
    }
}
