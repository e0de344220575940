import CairnTestSupport
import Foundation
import Testing

/// A repo with fixture 05's two commits (`rev1`, then `rev2` on top), as DVC's outputs were recorded on.
private func fixture05Repo() throws -> TestRepo {
    let repo = try TestRepo()
    try repo.initCairn()
    for (revision, message) in [("rev1", "v1"), ("rev2", "v2")] {
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.file("05-metrics-params/\(revision)").path) {
            try repo.write(name, bytes: try Fixtures.bytes("05-metrics-params/\(revision)/\(name)"))
        }
        try repo.commitAll(message)
    }
    return repo
}

/// Lines of a table, for comparing DVC outputs whose file order is not stable.
private func lineSet(_ text: String) -> Set<Substring> { Set(text.split(separator: "\n")) }

@Suite struct MetricsShowTests {
    @Test func workspaceTablesAndJSONAreDVCs() throws {
        let repo = try fixture05Repo()
        for (arguments, fixture) in [(["metrics", "show"], "metrics-show.txt"), (["metrics", "show", "--json"], "metrics-show.json"),
                                     (["metrics", "show", "--md"], "metrics-show.md")] {
            let result = try repo.cairn(arguments: arguments)
            expectSuccess(result)
            #expect(result.stdout == (try Fixtures.text("05-metrics-params/" + fixture)), Comment(rawValue: result.description))
        }
    }

    @Test func allCommitsListsTheWorkspaceAndEveryCommitNewestFirst() throws {
        let repo = try fixture05Repo()
        let result = try repo.cairn("metrics", "show", "-A")
        expectSuccess(result)
        let head = try repo.gitOK("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let parent = try repo.gitOK("rev-parse", "HEAD~1").trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = try Fixtures.text("05-metrics-params/metrics-show-all-commits.txt")
            .replacingOccurrences(of: "13ab49ab8e3ffe73a512b266731396acebd25a8e", with: head)
            .replacingOccurrences(of: "815893e93c18b7eec13caed2ef7e56254ddb2688", with: parent)
        #expect(result.stdout == expected, Comment(rawValue: result.description))
    }

    @Test func revAndCSVAreCairnsAdditions() throws {
        let repo = try fixture05Repo()
        let result = try repo.cairn("metrics", "show", "--rev", "HEAD~1", "--csv", "metrics.json")
        expectSuccess(result)
        #expect(result.stdout == "Revision,Path,acc,flag,loss,nested.f1,nested.name\r\nHEAD~1,metrics.json,0.8,True,0.4,0.7,x\r\n",
                Comment(rawValue: result.description))
    }

    @Test func aMalformedFileIsAnErrorCellAndTheRestIsShown() throws {
        let repo = try fixture05Repo()
        try repo.write("metrics.json", "{\"acc\": ")
        let result = try repo.cairn("metrics", "show")
        expectSuccess(result)
        #expect(result.stdout.contains("scores.yaml   0.3    1.2"), Comment(rawValue: result.description))
        #expect(result.stderr.contains("'workspace:metrics.json'"), Comment(rawValue: result.description))
        expectExit(try repo.cairn("metrics", "show", "--strict"), 255)
    }
}

@Suite struct MetricsDiffTests {
    @Test func diffBetweenCommitsIsDVCs() throws {
        let repo = try fixture05Repo()
        for (arguments, fixture) in [([String](), "metrics-diff.txt"), (["--all"], "metrics-diff-all.txt"),
                                     (["--no-path", "--precision", "1"], "metrics-diff-precision1.txt"),
                                     (["--md"], "metrics-diff.md")] {
            let result = try repo.cairn(arguments: ["metrics", "diff", "HEAD~1", "HEAD"] + arguments)
            expectSuccess(result)
            // DVC orders files by a hash set; the rows (and the header first) are what is fixed.
            let expected = try Fixtures.text("05-metrics-params/" + fixture)
            #expect(lineSet(result.stdout) == lineSet(expected), Comment(rawValue: result.description))
            #expect(result.stdout.split(separator: "\n").first == expected.split(separator: "\n").first)
        }
        let json = try repo.cairn("metrics", "diff", "HEAD~1", "HEAD", "--json")
        #expect(try JSONCanonical.equal(json.stdout, try Fixtures.text("05-metrics-params/metrics-diff.json")),
                Comment(rawValue: json.description))
    }

    @Test func defaultsAreHeadAndTheWorkspaceAndBranchesCanBeNamed() throws {
        let repo = try fixture05Repo()
        try repo.gitOK("branch", "feature")
        try repo.write("scores.yaml", "rmse: 1.0\nmae: 0.3\n")
        let result = try repo.cairn("metrics", "diff")
        expectSuccess(result)
        #expect(result.stdout == "Path         Metric    HEAD    workspace    Change\nscores.yaml  rmse      1.2     1.0          -0.2\n",
                Comment(rawValue: result.description))
        try repo.commitAll("better")
        let branches = try repo.cairn("metrics", "diff", "feature", "main", "--relative")
        #expect(branches.stdout == "Path         Metric    feature    main    Change    Change %\nscores.yaml  rmse      1.2        1.0     -0.2      -16.66667\n",
                Comment(rawValue: branches.description))
    }

    @Test func anUnknownRevisionIsAnError() throws {
        let repo = try fixture05Repo()
        let result = try repo.cairn("metrics", "diff", "no-such-branch")
        expectExit(result, 255)
        #expect(result.stderr.contains("unknown revision 'no-such-branch'"), Comment(rawValue: result.description))
    }

    @Test func cachedMetricsComeFromTheCacheByTheLockedHash() throws {
        let repo = try TestRepo()
        try repo.initCairn()
        try repo.write("dvc.yaml", "stages:\n  score:\n    cmd: cp score.src metrics.json\n    deps: [score.src]\n    metrics: [metrics.json]\n")
        try repo.write("score.src", "{\"acc\": 0.5}\n")
        try repo.ok(repo.cairn("repro", "-q"))
        try repo.commitAll("first")
        try repo.write("score.src", "{\"acc\": 0.75}\n")
        try repo.ok(repo.cairn("repro", "-q"))
        try repo.commitAll("second")
        let result = try repo.cairn("metrics", "diff", "HEAD~1", "HEAD")
        expectSuccess(result)
        #expect(result.stdout == "Path          Metric    HEAD~1    HEAD    Change\nmetrics.json  acc       0.5       0.75    0.25\n",
                Comment(rawValue: result.description))

        // The first run's object leaves the cache: that cell is an error naming the object and `cairn pull`.
        let old = try repo.gitOK("show", "HEAD~1:dvc.lock")
        let hash = try #require(old.split(separator: "\n").last { $0.contains("md5:") && !$0.contains("score") }?
            .split(separator: " ").last.map(String.init))
        try repo.chmod(".dvc/cache/files/md5/" + hash.prefix(2) + "/" + hash.dropFirst(2), 0o644)
        try repo.remove(".dvc/cache/files/md5/" + hash.prefix(2) + "/" + hash.dropFirst(2))
        let missing = try repo.cairn("metrics", "diff", "HEAD~1", "HEAD")
        expectSuccess(missing)
        #expect(missing.stdout.contains("metrics.json  acc       -         0.75"), Comment(rawValue: missing.description))
        #expect(missing.stderr.contains("'HEAD~1:metrics.json'") && missing.stderr.contains("cairn pull"),
                Comment(rawValue: missing.description))
        expectExit(try repo.cairn("metrics", "diff", "HEAD~1", "HEAD", "--strict"), 255)
    }
}

@Suite struct ParamsDiffTests {
    @Test func paramsDiffIsDVCs() throws {
        let repo = try fixture05Repo()
        for (arguments, fixture) in [([String](), "params-diff.txt"), (["--all"], "params-diff-all.txt")] {
            let result = try repo.cairn(arguments: ["params", "diff", "HEAD~1", "HEAD"] + arguments)
            expectSuccess(result)
            #expect(result.stdout == (try Fixtures.text("05-metrics-params/" + fixture)), Comment(rawValue: result.description))
        }
        let json = try repo.cairn("params", "diff", "HEAD~1", "HEAD", "--json")
        #expect(try JSONCanonical.equal(json.stdout, try Fixtures.text("05-metrics-params/params-diff.json")),
                Comment(rawValue: json.description))
    }

    @Test func onlyTheKeysStagesUseAreCompared() throws {
        let repo = try TestRepo()
        try repo.initCairn()
        try repo.write("train.toml", "lr = 0.1\nunused = 1\n")
        try repo.write("dvc.yaml", "stages:\n  train:\n    cmd: echo\n    params:\n    - train.toml:\n      - lr\n")
        try repo.commitAll("base")
        try repo.write("train.toml", "lr = 0.2\nunused = 2\n")
        let result = try repo.cairn("params", "diff")
        expectSuccess(result)
        #expect(result.stdout == "Path        Param    HEAD    workspace\ntrain.toml  lr       0.1     0.2\n", Comment(rawValue: result.description))
    }
}

@Suite struct PlotsTests {
    private func plotsRepo() throws -> TestRepo {
        let repo = try TestRepo()
        try repo.initCairn()
        try repo.write("dvc.yaml", """
            plots:
            - loss.csv:
                x: step
                y: loss
                title: Loss
            - confusion:
                template: confusion
                x: actual
                y:
                  preds.csv: predicted

            """)
        try repo.write("loss.csv", "step,loss\n1,0.9\n2,0.5\n3,0.3\n")
        try repo.write("preds.csv", "actual,predicted\na,a\na,b\nb,b\n")
        try repo.commitAll("plots")
        return repo
    }

    @Test func showWritesSelfContainedSVGAndHTML() throws {
        let repo = try plotsRepo()
        let result = try repo.cairn("plots", "show")
        expectSuccess(result)
        #expect(result.stdout.hasSuffix("dvc_plots/index.html\n"), Comment(rawValue: result.description))
        let html = try repo.read("dvc_plots/index.html")
        #expect(html.contains("<svg") && !html.contains("<script") && !html.contains("http://cdn") && !html.contains("https://"))
        let svgFiles = try repo.files(under: "dvc_plots").filter { $0.hasSuffix(".svg") }
        #expect(svgFiles.count == 2, "\(svgFiles)")
        let loss = try repo.read("dvc_plots/" + (try #require(svgFiles.first { $0.contains("loss") })))
        #expect(loss.contains("Loss") && loss.contains("<path"))
    }

    @Test func diffDrawsOneColouredSeriesPerRevisionWithALegend() throws {
        let repo = try plotsRepo()
        try repo.write("loss.csv", "step,loss\n1,0.8\n2,0.4\n3,0.2\n")
        let result = try repo.cairn("plots", "diff", "-o", "out", "--json")
        expectSuccess(result)
        #expect(result.stdout.contains("\"revisions\": [\"workspace\", \"HEAD\"]"), Comment(rawValue: result.description))
        let svg = try repo.read("out/" + (try #require(try repo.files(under: "out").first { $0.contains("loss") && $0.hasSuffix(".svg") })))
        #expect(svg.components(separatedBy: "<path").count - 1 >= 2, Comment(rawValue: svg))
        #expect(svg.contains(">workspace<") && svg.contains(">HEAD<"), Comment(rawValue: svg))
    }

    @Test func imagePlotsAreEmbeddedInThePage() throws {
        let repo = try TestRepo()
        try repo.initCairn()
        try repo.write("dvc.yaml", "plots:\n- roc.png\n")
        try repo.write("roc.png", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])
        try repo.commitAll("image")
        try repo.write("roc.png", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 4, 5, 6])
        let result = try repo.cairn("plots", "diff", "--json")
        expectSuccess(result)
        #expect(result.stdout.contains("\"roc.png\": [{\"type\": \"image\", \"revisions\": [\"workspace\", \"HEAD\"]"),
                Comment(rawValue: result.description))
        let html = try repo.read("dvc_plots/index.html")
        #expect(html.components(separatedBy: "data:image/png;base64,").count - 1 == 2, Comment(rawValue: html))
    }

    @Test func aMissingFieldNamesTheFileAndTheField() throws {
        let repo = try plotsRepo()
        try repo.write("loss.csv", "step,error\n1,0.9\n")
        let result = try repo.cairn("plots", "show")
        expectExit(result, 255)
        #expect(result.stderr.contains("loss.csv") && result.stderr.contains("loss"), Comment(rawValue: result.description))
    }
}

@Suite struct ReportTests {
    @Test func reportListsMetricsParamsStagesAndPlotsForACIComment() throws {
        let repo = try TestRepo()
        try repo.initCairn()
        try repo.write("params.yaml", "lr: 0.1\n")
        try repo.write("train.sh", "printf 'step,loss\\n1,0.5\\n2,%s\\n' \"$1\" > loss.csv\nprintf '{\"acc\": %s}\\n' \"$1\" > metrics.json\n")
        try repo.write("dvc.yaml", """
            stages:
              train:
                cmd: sh train.sh ${lr}
                deps: [train.sh]
                params: [lr]
                metrics:
                - metrics.json:
                    cache: false
                plots:
                - loss.csv:
                    x: step
                    y: loss

            """)
        try repo.ok(repo.cairn("repro", "-q"))
        try repo.commitAll("base")
        try repo.gitOK("branch", "base")
        try repo.write("params.yaml", "lr: 0.2\n")
        try repo.ok(repo.cairn("repro", "-q"))
        try repo.commitAll("change")
        let result = try repo.cairn("report", "base", "HEAD", "--md", "-o", "out")
        expectSuccess(result)
        #expect(result.stdout.hasPrefix("## cairn report: `base` → `HEAD`\n"), Comment(rawValue: result.description))
        #expect(result.stdout.contains("| params.yaml | lr      | 0.1    | 0.2    |"), Comment(rawValue: result.description))
        #expect(result.stdout.contains("| `train` | modified: cmd, params, outs |"), Comment(rawValue: result.description))
        #expect(result.stdout.contains("| metrics.json | acc      | 0.1    | 0.2    | 0.1      | 100.0      |"),
                Comment(rawValue: result.description))
        #expect(result.stdout.contains("![loss.csv](out/loss.csv.svg)"), Comment(rawValue: result.description))
        #expect(try repo.read("out/loss.csv.svg").contains(">base<"))
        #expect(try repo.read("out/report.md").contains("![loss.csv](loss.csv.svg)"))
    }

    @Test func ciTemplatesAreEmbedded() throws {
        let repo = try TestRepo()
        expectSuccess(try repo.cairn("init", "--template", "ci"))
        #expect(try repo.read(".github/workflows/cairn.yml").contains("cairn report"))
        #expect(try repo.read(".gitlab-ci.yml").contains("cairn report"))
    }
}
