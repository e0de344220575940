import CairnTestSupport
import Foundation
import Testing

/// `cairn init`: DVC's files, staged in git; `--no-scm`; `-f`; templates.
@Suite struct InitTests {
    @Test func initWritesDVCsFilesAndStagesThem() throws {
        let repo = try TestRepo()
        let result = try repo.cairn("init")
        expectSuccess(result)
        #expect(result.stdout.contains("Initialized DVC repository."), Comment(rawValue: result.description))
        #expect(try repo.read(".dvc/.gitignore") == "/config.local\n/tmp\n/cache\n")
        #expect(try repo.bytes(".dvc/config") == [])
        #expect(try repo.bytes(".dvcignore") == Fixtures.bytes("01-add/dvcignore"))
        #expect(repo.isDirectory(".dvc/tmp"))
        #expect(try repo.gitOK("status", "--porcelain") == "A  .dvc/.gitignore\nA  .dvc/config\nA  .dvcignore\n")
        // The staged blobs are the files' bytes.
        #expect(try repo.gitOK("show", ":.dvc/.gitignore") == "/config.local\n/tmp\n/cache\n")
        let status = try repo.cairn("status")
        expectSuccess(status)
        #expect(status.stdout.contains("There are no data or pipelines tracked in this project yet."),
                Comment(rawValue: status.description))
    }

    @Test func initOutsideGitNeedsNoSCM() throws {
        let repo = try TestRepo(git: false)
        let refused = try repo.cairn("init")
        expectFailure(refused, mentioning: ["--no-scm"])
        #expect(!repo.exists(".dvc"))
        #expect(!repo.exists(".dvcignore"))

        let result = try repo.cairn("init", "--no-scm")
        expectSuccess(result)
        #expect(try repo.read(".dvc/config") == "[core]\n    no_scm = True\n")
        #expect(!repo.exists(".dvc/.gitignore"))
        #expect(repo.exists(".dvcignore"))
        try repo.write("a.txt", "a\n")
        let add = try repo.cairn("add", "a.txt")
        expectSuccess(add)
        #expect(!add.stdout.contains("git add"), Comment(rawValue: add.description))
        #expect(try repo.read("a.txt.dvc") == dvcFileText(md5: md5("a\n"), size: 2, path: "a.txt"))
        try expectClean(repo)
    }

    @Test func initTwiceNeedsForce() throws {
        let repo = try TestRepo()
        try repo.initCairn()
        try repo.write(".dvc/config", "[core]\n    autostage = true\n")
        let again = try repo.cairn("init")
        expectFailure(again, mentioning: [".dvc"])
        #expect(try repo.read(".dvc/config") == "[core]\n    autostage = true\n")
        let forced = try repo.cairn("init", "-f")
        expectSuccess(forced)
        #expect(try repo.bytes(".dvc/config") == [])
        #expect(try repo.read(".dvc/.gitignore") == "/config.local\n/tmp\n/cache\n")
    }

    @Test func initInASubdirectoryOfAGitRepoIsRefused() throws {
        let repo = try TestRepo()
        try repo.makeDirectory("sub")
        let result = try repo.cairn("init", cwd: "sub")
        expectFailure(result)
        #expect(!repo.exists("sub/.dvc"))
    }

    @Test func demoTemplateFlow() throws {
        let repo = try TestRepo()
        let initialized = try repo.cairn("init", "--template", "demo")
        expectSuccess(initialized)
        #expect(repo.isFile("src/make_dataset.py"))
        #expect(repo.isFile(".dvc/config"))
        try repo.commitAll("Start a cairn project")
        try repo.ok(repo.run("python3", ["src/make_dataset.py", "data"]))
        let dataset = try repo.tree("data")
        #expect(dataset.count > 1)
        let add = try repo.cairn("add", "data")
        expectSuccess(add)
        #expect(add.stdout == Expected.trackingHint(["data.dvc", ".gitignore"]))
        try repo.gitOK("add", "data.dvc", ".gitignore")
        try repo.commitAll("Track the dataset")
        // The template's pipeline (prepare → featurize → train → evaluate) runs on the dataset.
        let repro = try repo.cairn("repro")
        expectSuccess(repro)
        for stage in ["prepare", "featurize", "train", "evaluate"] {
            #expect(repro.stdout.contains("Running stage '\(stage)':"), Comment(rawValue: repro.description))
        }
        #expect(repo.isFile("metrics.json"))
        try expectClean(repo)
        try repo.remove("data")
        let status = try repo.cairn("status")
        expectSuccess(status)
        #expect(status.stdout.hasPrefix("data.dvc:\n\tchanged outs:\n\t\tdeleted:            data\n"),
                Comment(rawValue: status.description))
        let checkout = try repo.cairn("checkout")
        expectSuccess(checkout)
        #expect(checkout.stdout == "A       data/\n")
        #expect(try repo.tree("data") == dataset)
        try expectClean(repo)
        let granular = try repo.cairn("data", "status", "--granular")
        expectSuccess(granular)
        #expect(!granular.stdout.contains("modified"), Comment(rawValue: granular.description))

        // A changed training param reruns only the stages that use it and what follows them.
        let params = try repo.read("params.yaml")
        try repo.write("params.yaml", params.replacingOccurrences(of: "epochs: 15", with: "epochs: 30"))
        let again = try repo.cairn("repro")
        expectSuccess(again)
        #expect(again.stdout.contains("Stage 'prepare' didn't change, skipping"), Comment(rawValue: again.description))
        #expect(again.stdout.contains("Stage 'featurize' didn't change, skipping"), Comment(rawValue: again.description))
        #expect(again.stdout.contains("Running stage 'train':"), Comment(rawValue: again.description))
        #expect(again.stdout.contains("Running stage 'evaluate':"), Comment(rawValue: again.description))
        try expectClean(repo)
    }

    @Test func unknownTemplateIsRefused() throws {
        let repo = try TestRepo()
        let result = try repo.cairn("init", "--template", "no-such-template")
        #expect(result.status == 254 || result.status == 255, Comment(rawValue: result.description))
        #expect(result.stderr.contains("no-such-template"), Comment(rawValue: result.description))
    }
}
