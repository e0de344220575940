import CairnTestSupport
import Foundation
import Testing

/// `cairn remote add/modify/default/list/remove/rename`, and how push/fetch pick their remote.
@Suite struct RemoteCommandTests {
    @Test func addListDefaultRemoveRename() throws {
        let repo = try initializedRepo()
        let add = try repo.cairn("remote", "add", "-d", "MyRemote", "/tmp/some/remote")
        expectSuccess(add)
        #expect(add.stdout == "Setting 'myremote' as a default remote.\n")
        expectSuccess(try repo.cairn("remote", "add", "other", "../relative/remote"))
        expectSuccess(try repo.cairn("remote", "modify", "other", "jobs", "4"))
        #expect(try repo.read(".dvc/config") == """
            [core]
                remote = myremote
            ['remote "myremote"']
                url = /tmp/some/remote
            ['remote "other"']
                url = ../../relative/remote
                jobs = 4

            """)
        let list = try repo.cairn("remote", "list")
        expectSuccess(list)
        // DVC prints through rich, which expands the tabs to 8-column stops.
        #expect(list.stdout == "myremote        /tmp/some/remote        (default)\nother   \(repo.sandbox)/relative/remote\n")
        #expect(try repo.cairn("remote", "default").stdout == "myremote\n")

        let duplicate = try repo.cairn("remote", "add", "other", "/x")
        expectFailure(duplicate, mentioning: ["remote 'other' already exists. Use `-f|--force` to overwrite it."])
        expectSuccess(try repo.cairn("remote", "add", "-f", "other", "/x"))
        #expect(try repo.read(".dvc/config").hasSuffix("['remote \"other\"']\n    url = /x\n"))

        expectSuccess(try repo.cairn("remote", "rename", "myremote", "main"))
        #expect(try repo.read(".dvc/config") == """
            [core]
                remote = main
            ['remote "other"']
                url = /x
            ['remote "main"']
                url = /tmp/some/remote

            """)
        expectFailure(try repo.cairn("remote", "rename", "main", "other"),
                      mentioning: ["Rename failed. Remote name 'other' already exists."])
        expectSuccess(try repo.cairn("remote", "remove", "main"))
        #expect(try repo.read(".dvc/config") == "['remote \"other\"']\n    url = /x\n")
        #expect(try repo.read(".dvc/config.local") == "\n", "DVC rewrites the local file too")
        expectFailure(try repo.cairn("remote", "remove", "main"), mentioning: ["remote 'main' doesn't exist."])

        let none = try repo.cairn("remote", "default")
        expectExit(none, 1)
        #expect(none.stdout == "No default remote set\n")
        expectFailure(try repo.cairn("remote", "default", "nope"),
                      mentioning: ["default remote must be present in remote list."])
        expectSuccess(try repo.cairn("remote", "default", "OTHER"))
        #expect(try repo.cairn("remote", "default").stdout == "other\n")
        expectSuccess(try repo.cairn("remote", "default", "-u"))
        #expect(try repo.read(".dvc/config") == "['remote \"other\"']\n    url = /x\n")
    }

    @Test func modifyChecksOptionsForTheURLScheme() throws {
        let repo = try initializedRepo()
        try repo.ok(repo.cairn("remote", "add", "local", "/tmp/store"))
        try repo.ok(repo.cairn("remote", "add", "cloud", "s3://bucket/prefix"))
        expectSuccess(try repo.cairn("remote", "modify", "cloud", "region", "us-east-1"))
        expectSuccess(try repo.cairn("remote", "modify", "cloud", "endpointurl", "http://localhost:9000"))
        expectSuccess(try repo.cairn("remote", "modify", "local", "type", "hardlink,copy"))
        let before = try repo.read(".dvc/config")
        expectFailure(try repo.cairn("remote", "modify", "local", "region", "x"),
                      mentioning: ["extra keys not allowed @ data['remote']['local']['region']"])
        expectFailure(try repo.cairn("remote", "modify", "cloud", "use_ssl", "maybe"),
                      mentioning: ["expected true or false for dictionary value @ data['remote']['cloud']['use_ssl']"])
        expectFailure(try repo.cairn("remote", "modify", "cloud", "jobs", "0"), mentioning: ["value must be at least 1"])
        expectFailure(try repo.cairn("remote", "modify", "nope", "jobs", "1"), mentioning: ["remote 'nope' doesn't exist."])
        #expect(try repo.read(".dvc/config") == before, "failed edits leave the file alone")
        expectSuccess(try repo.cairn("remote", "modify", "-u", "cloud", "region"))
        #expect(!(try repo.read(".dvc/config")).contains("region"))
        // A negative number is a value, not an option.
        try repo.ok(repo.cairn("remote", "add", "web", "https://example.com/dvc"))
        expectFailure(try repo.cairn("remote", "modify", "web", "connect_timeout", "-1"), mentioning: ["value must be at least 0"])
    }

    @Test func secretsGoToTheLocalFileAndAreNeverPrinted() throws {
        let repo = try initializedRepo()
        try repo.ok(repo.cairn("remote", "add", "-d", "cloud", "s3://bucket/prefix"))
        let modify = try repo.cairn("remote", "modify", "--local", "cloud", "secret_access_key", "SEKRET-VALUE")
        expectSuccess(modify)
        #expect(modify.stdout.isEmpty && modify.stderr.isEmpty)
        expectSuccess(try repo.cairn("remote", "modify", "--local", "cloud", "access_key_id", "AKIA-VALUE"))
        #expect(try repo.read(".dvc/config.local") == """
            ['remote "cloud"']
                secret_access_key = SEKRET-VALUE
                access_key_id = AKIA-VALUE

            """)
        #expect(!(try repo.read(".dvc/config")).contains("SEKRET"))
        // .dvc/.gitignore (written by init) keeps the local file out of git.
        expectSuccess(try repo.git("check-ignore", "-q", ".dvc/config.local"))
        #expect(!(try repo.gitOK("status", "--porcelain", "--untracked-files=all")).contains("config.local"))

        var printed = ""
        for arguments in [["remote", "list"], ["remote", "list", "--local"], ["remote", "default"],
                          ["remote", "modify", "cloud", "bogus", "SEKRET-VALUE"],
                          ["remote", "modify", "--local", "cloud", "password", "SEKRET-VALUE"],
                          ["remote", "modify", "cloud", "use_ssl", "SEKRET-VALUE"],
                          ["remote", "rename", "cloud", "cloud"], ["remote", "add", "cloud", "/x"]] {
            let result = try repo.cairn(arguments: arguments)
            printed += result.stdout + result.stderr
        }
        #expect(!printed.contains("SEKRET") && !printed.contains("AKIA"), "\(printed)")
        #expect(try repo.cairn("remote", "list").stdout == "cloud   s3://bucket/prefix      (default)\n")
        // `config -l` lists every option, secrets included, exactly as DVC does.
        #expect(try repo.cairn("config", "-l").stdout.contains("remote.cloud.secret_access_key=SEKRET-VALUE"))
    }

    @Test func relativePathsFromASubdirectoryAreStoredRelativeToTheConfigFile() throws {
        let repo = try initializedRepo()
        try repo.makeDirectory("sub/deep")
        expectSuccess(try repo.cairn("remote", "add", "a", "../store-a", cwd: "sub/deep"))
        expectSuccess(try repo.cairn("--cd", "sub", "remote", "add", "--local", "b", "store-b"))
        expectSuccess(try repo.cairn("remote", "add", "c", "~/store-c"))
        #expect(try repo.read(".dvc/config") == "['remote \"a\"']\n    url = ../sub/store-a\n['remote \"c\"']\n    url = ~/store-c\n")
        #expect(try repo.read(".dvc/config.local") == "['remote \"b\"']\n    url = ../sub/store-b\n")
        let list = try repo.cairn("remote", "list", cwd: "sub")
        expectSuccess(list)
        #expect(list.stdout == "a       \(repo.root)/sub/store-a\nc       \(repo.home)/store-c\nb       \(repo.root)/sub/store-b\n")
        #expect(try repo.cairn("remote", "list", "--local").stdout == "b       \(repo.root)/sub/store-b\n")
    }

    @Test func pushUsesTheResolvedRemote() throws {
        let repo = try initializedRepo()
        try repo.write("a.txt", "a\n")
        try repo.ok(repo.cairn("add", "a.txt"))
        let noRemote = try repo.cairn("push")
        expectFailure(noRemote, mentioning: ["no remote specified in \(repo.root). Create a default remote with",
                                             "remote add -d <remote name> <remote url>"])
        try repo.ok(repo.cairn("remote", "add", "store", "../store"))
        expectFailure(try repo.cairn("push"), mentioning: ["Setup default remote with", "-r <remote name>"])
        expectFailure(try repo.cairn("push", "-r", "Nope"), mentioning: ["remote 'Nope' doesn't exist"])
        // The local level's url wins; it is relative to .dvc/, whatever directory push runs in.
        try repo.makeDirectory("sub")
        try repo.ok(repo.cairn("remote", "modify", "--local", "store", "url", "../../local-store", cwd: "sub"))
        try repo.ok(repo.cairn("remote", "default", "STORE"))
        expectSuccess(try repo.cairn("push", cwd: "sub"))
        #expect(FileManager.default.fileExists(
            atPath: repo.sandbox + "/local-store/files/md5/" + String(md5("a\n").prefix(2)) + "/" + String(md5("a\n").dropFirst(2))))
        #expect(!FileManager.default.fileExists(atPath: repo.sandbox + "/store"))
    }

    @Test func remoteURLsReferToAnotherRemote() throws {
        let repo = try initializedRepo()
        try repo.write("a.txt", "a\n")
        try repo.ok(repo.cairn("add", "a.txt"))
        try repo.ok(repo.cairn("remote", "add", "base", "../base-store"))
        try repo.ok(repo.cairn("remote", "add", "-d", "derived", "remote://base/sub/dir"))
        try repo.ok(repo.cairn("remote", "modify", "derived", "jobs", "2"))
        expectSuccess(try repo.cairn("push"))
        let id = md5("a\n")
        #expect(FileManager.default.fileExists(
            atPath: repo.sandbox + "/base-store/sub/dir/files/md5/" + String(id.prefix(2)) + "/" + String(id.dropFirst(2))))
    }

    @Test func globalLevelWorksOutsideAProject() throws {
        let repo = try TestRepo(git: false)
        expectSuccess(try repo.cairn("remote", "add", "--global", "-d", "shared", "/srv/dvc"))
        #expect(try repo.read(repo.sandbox + "/dvc-global/config") == "[core]\n    remote = shared\n['remote \"shared\"']\n    url = /srv/dvc\n")
        #expect(try repo.cairn("remote", "list", "--global").stdout == "shared  /srv/dvc        (default)\n")
        expectFailure(try repo.cairn("remote", "add", "x", "/x"))
        expectSuccess(try repo.cairn("remote", "remove", "--global", "shared"))
        #expect(try repo.read(repo.sandbox + "/dvc-global/config") == "\n")
    }

    @Test func usageErrorsAndHelp() throws {
        let repo = try initializedRepo()
        for subcommand in ["add", "default", "modify", "list", "remove", "rename"] {
            let help = try repo.cairn("remote", subcommand, "--help")
            expectSuccess(help)
            #expect(help.stdout.contains("--local"), "\(subcommand): \(help)")
        }
        expectSuccess(try repo.cairn("remote", "--help"))
        expectExit(try repo.cairn("remote"), 254)
        expectExit(try repo.cairn("remote", "add", "onlyname"), 254)
        expectExit(try repo.cairn("remote", "modify", "x"), 254)
        expectExit(try repo.cairn("remote", "modify", "x", "jobs"), 254)
        expectExit(try repo.cairn("remote", "list", "--local", "--project"), 254)
        expectExit(try repo.cairn("remote", "rename", "a"), 254)
        #expect(try repo.bytes(".dvc/config") == [])
    }
}
