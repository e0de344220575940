import CairnTestSupport
import Foundation
import Testing

/// `cairn cache dir`, `cairn cache verify`, `cairn config`, `cairn check-ignore`.
@Suite struct CacheConfigTests {
    @Test func cacheDirDefaultAndOverride() throws {
        let repo = try initializedRepo()
        let shown = try repo.cairn("cache", "dir")
        expectSuccess(shown)
        #expect(shown.stdout == repo.root + "/.dvc/cache\n")
        // Relative paths are taken from the working directory and stored relative to the config file.
        expectSuccess(try repo.cairn("cache", "dir", "../mycache"))
        #expect(try repo.read(".dvc/config") == "[cache]\n    dir = ../../mycache\n")
        #expect(try repo.cairn("cache", "dir").stdout == repo.sandbox + "/mycache\n")
        try repo.write("a.txt", "a\n")
        expectSuccess(try repo.cairn("add", "a.txt"))
        #expect(FileManager.default.fileExists(
            atPath: repo.sandbox + "/mycache/files/md5/60/b725f10c9c85c70d97880dfe8191b3"))
        #expect(!repo.exists(".dvc/cache/files"))
        try repo.remove("a.txt")
        expectSuccess(try repo.cairn("checkout"))
        #expect(try repo.read("a.txt") == "a\n")
    }

    @Test func cacheVerifyReportsEveryCorruptObject() throws {
        let repo = try initializedRepo()
        try repo.write("d/a.txt", "a\n")
        try repo.write("d/b.txt", "b\n")
        try repo.write("c.txt", "c\n")
        try repo.ok(repo.cairn("add", "d", "c.txt"))
        let clean = try repo.cairn("cache", "verify")
        expectSuccess(clean)
        let cleanJSON = try repo.cairn("cache", "verify", "--json")
        expectSuccess(cleanJSON)
        _ = try JSONCanonical.text(cleanJSON.stdout)

        let corrupted = [md5("a\n"), md5("c\n")]
        for id in corrupted { try repo.overwriteInPlace(repo.cacheObjectRelativePath(id), "garbage\n") }
        let result = try repo.cairn("cache", "verify")
        expectExit(result, 1)
        for id in corrupted {
            #expect(result.stdout.contains(String(id.dropFirst(2))), "\(id) must be listed\n\(result)")
        }
        #expect(!result.stdout.contains(String(md5("b\n").dropFirst(2))), Comment(rawValue: result.description))
        let json = try repo.cairn("cache", "verify", "--json")
        expectExit(json, 1)
        let canonical = try JSONCanonical.text(json.stdout)
        for id in corrupted { #expect(canonical.contains(String(id.dropFirst(2))), Comment(rawValue: json.description)) }
        // Verifying changes nothing.
        #expect(try repo.read(repo.cacheObjectRelativePath(corrupted[0])) == "garbage\n")
    }

    @Test func configSetGetListUnset() throws {
        let repo = try initializedRepo()
        expectSuccess(try repo.cairn("config", "core.autostage", "true"))
        expectSuccess(try repo.cairn("config", "cache.type", "reflink,copy"))
        #expect(try repo.read(".dvc/config") == "[core]\n    autostage = true\n[cache]\n    type = \"reflink,copy\"\n")
        let get = try repo.cairn("config", "cache.type")
        expectSuccess(get)
        #expect(get.stdout == "reflink,copy\n")
        let list = try repo.cairn("config", "-l")
        expectSuccess(list)
        #expect(Set(list.stdout.split(separator: "\n")) == ["core.autostage=true", "cache.type=reflink,copy"])

        expectSuccess(try repo.cairn("config", "--local", "core.autostage", "false"))
        #expect(try repo.read(".dvc/config.local") == "[core]\n    autostage = false\n")
        #expect(try repo.cairn("config", "core.autostage").stdout == "false\n", "local wins over project")
        #expect(try repo.cairn("config", "--project", "core.autostage").stdout == "true\n")
        #expect(try repo.cairn("config", "--project", "-l").stdout.split(separator: "\n").count == 2)

        expectSuccess(try repo.cairn("config", "-u", "cache.type"))
        #expect(try repo.read(".dvc/config") == "[core]\n    autostage = true\n")
        let missing = try repo.cairn("config", "-u", "cache.type")
        expectFailure(missing)
    }

    @Test func globalAndSystemConfigLiveInTheirDirectories() throws {
        let repo = try initializedRepo()
        expectSuccess(try repo.cairn("config", "--global", "cache.type", "copy"))
        #expect(try repo.read(repo.sandbox + "/dvc-global/config") == "[cache]\n    type = copy\n")
        expectSuccess(try repo.cairn("config", "--system", "core.analytics", "false"))
        #expect(try repo.read(repo.sandbox + "/dvc-system/config") == "[core]\n    analytics = false\n")
        #expect(try repo.cairn("config", "cache.type").stdout == "copy\n")
        #expect(try repo.bytes(".dvc/config") == [])
        // The project level overrides the global one.
        expectSuccess(try repo.cairn("config", "cache.type", "hardlink"))
        #expect(try repo.cairn("config", "cache.type").stdout == "hardlink\n")
    }

    @Test func invalidConfigIsRefusedAndLeavesTheFileAlone() throws {
        let repo = try initializedRepo()
        try repo.ok(repo.cairn("config", "core.autostage", "true"))
        let before = try repo.read(".dvc/config")
        expectFailure(try repo.cairn("config", "core.nope", "x"), mentioning: ["nope"])
        expectFailure(try repo.cairn("config", "core.autostage", "maybe"), mentioning: ["autostage"])
        expectFailure(try repo.cairn("config", "cache.type", "teleport"), mentioning: ["teleport"])
        expectExit(try repo.cairn("config", "nosection"), 254)
        #expect(try repo.read(".dvc/config") == before)
    }

    @Test func checkIgnoreFollowsDvcignore() throws {
        let repo = try initializedRepo()
        try repo.write(".dvcignore", (try repo.read(".dvcignore")) + "*.tmp\n!keep.tmp\nlogs/\n")
        for file in ["ig/x.tmp", "ig/keep.tmp", "ig/logs/l.txt", "ig/n.txt"] { try repo.write(file, "x") }
        let targets = ["ig/x.tmp", "ig/keep.tmp", "ig/logs/l.txt", "ig/n.txt"]
        let plain = try repo.cairn(arguments: ["check-ignore"] + targets)
        expectSuccess(plain)
        #expect(plain.stdout == "ig/x.tmp\nig/logs/l.txt\n")
        let details = try repo.cairn(arguments: ["check-ignore", "-d"] + targets)
        expectSuccess(details)
        #expect(details.stdout == """
            .dvcignore:4:*.tmp\tig/x.tmp
            .dvcignore:5:!keep.tmp\tig/keep.tmp
            .dvcignore:6:logs/\tig/logs/l.txt

            """)
        let nonMatching = try repo.cairn(arguments: ["check-ignore", "-d", "-n"] + targets)
        expectSuccess(nonMatching)
        #expect(nonMatching.stdout == details.stdout + "::\tig/n.txt\n")
        let none = try repo.cairn("check-ignore", "ig/n.txt")
        expectExit(none, 1)
        #expect(none.stdout == "")
    }
}
