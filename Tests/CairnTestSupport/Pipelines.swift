import Foundation

/// Small pipeline projects the repro, status, stage and dag tests share. Every stage command appends its stage's
/// name to `log.txt` first, so a test sees which stages ran (and in which order) with `TestRepo.stageLog()`.
public enum PipelineProjects {
    /// Two chained stages: `a` copies `in.txt`; `b` doubles `a.txt` and uses the param `lr` (`unused` is not used).
    public static let basicYAML = """
        stages:
          a:
            cmd: echo a >> log.txt && cp in.txt a.txt
            deps:
            - in.txt
            outs:
            - a.txt
          b:
            cmd: echo b >> log.txt && cat a.txt a.txt > b.txt
            deps:
            - a.txt
            params:
            - lr
            outs:
            - b.txt

        """

    /// The `dvc.lock` DVC 3.67.1 writes after running `basicYAML` (checked with the real DVC).
    public static let basicLock = """
        schema: '2.0'
        stages:
          a:
            cmd: echo a >> log.txt && cp in.txt a.txt
            deps:
            - path: in.txt
              hash: md5
              md5: ec9187a89c2f150e910b6db5f37521b9
              size: 6
            outs:
            - path: a.txt
              hash: md5
              md5: ec9187a89c2f150e910b6db5f37521b9
              size: 6
          b:
            cmd: echo b >> log.txt && cat a.txt a.txt > b.txt
            deps:
            - path: a.txt
              hash: md5
              md5: ec9187a89c2f150e910b6db5f37521b9
              size: 6
            params:
              params.yaml:
                lr: 0.01
            outs:
            - path: b.txt
              hash: md5
              md5: 15aa0043473915b6ac6b40da211f3359
              size: 12

        """

    /// Writes `params.yaml` (`lr: 0.01`, `unused: 1`), `in.txt` (`input`) and `basicYAML`.
    public static func writeBasic(_ repo: TestRepo) throws {
        try repo.write("params.yaml", "lr: 0.01\nunused: 1\n")
        try repo.write("in.txt", "input\n")
        try repo.write("dvc.yaml", basicYAML)
    }

    /// A diamond: `top` → `left`, `right` → `join`.
    public static let diamondYAML = """
        stages:
          top:
            cmd: echo top >> log.txt && cp in.txt top.txt
            deps:
            - in.txt
            outs:
            - top.txt
          left:
            desc: The left branch
            cmd: echo left >> log.txt && cat top.txt > left.txt
            deps:
            - top.txt
            outs:
            - left.txt
          right:
            cmd: echo right >> log.txt && cat top.txt top.txt > right.txt
            deps:
            - top.txt
            outs:
            - right.txt
          join:
            cmd: echo join >> log.txt && cat left.txt right.txt > join.txt
            deps:
            - left.txt
            - right.txt
            outs:
            - join.txt

        """

    /// Writes `in.txt` and `diamondYAML`.
    public static func writeDiamond(_ repo: TestRepo) throws {
        try repo.write("in.txt", "input\n")
        try repo.write("dvc.yaml", diamondYAML)
    }

    /// A diamond whose two middle stages sleep and print (for `-j`): `top` → `left`, `right` → `join`.
    public static let slowDiamondYAML = """
        stages:
          top:
            cmd: echo top >> log.txt && cp in.txt top.txt
            deps:
            - in.txt
            outs:
            - top.txt
          left:
            cmd: echo left >> log.txt && sleep 1 && echo left says hi && cat top.txt > left.txt
            deps:
            - top.txt
            outs:
            - left.txt
          right:
            cmd: echo right >> log.txt && sleep 1 && echo right says hi && cat top.txt top.txt > right.txt
            deps:
            - top.txt
            outs:
            - right.txt
          join:
            cmd: echo join >> log.txt && cat left.txt right.txt > join.txt
            deps:
            - left.txt
            - right.txt
            outs:
            - join.txt

        """

    /// The inputs of fixture 03's project (params files, `raw.csv`, `src/`, the final `dvc.yaml`) without any of
    /// DVC's results, so running it can be compared with the fixture.
    public static func writeFixture03(_ repo: TestRepo) throws {
        for file in ["params.yaml", "params2.json", "raw.csv", "dvc.yaml", "src/train.sh"] {
            try repo.write(file, bytes: try Fixtures.bytes("03-pipeline/workspace/" + file))
        }
        try repo.write("src/prep.sh", bytes: try Fixtures.bytes("03-pipeline/workspace/src/prep.sh"), mode: 0o755)
    }

    /// The inputs of fixture 04's project (templating: vars, foreach, matrix, cmd list, wdir), as its
    /// generate.sh wrote them before `dvc repro`.
    public static func writeFixture04(_ repo: TestRepo) throws {
        for file in ["dvc.yaml", "params.yaml", "custom.yaml"] {
            try repo.write(file, bytes: try Fixtures.bytes("04-templating/" + file))
        }
        try repo.write("sub/input.txt", "in sub\n")
        try repo.write("metrics.json", "{\"acc\": 0.8}\n")
        try repo.write("plots.csv", "epoch,loss\n1,0.9\n2,0.5\n")
    }

    /// A project whose params come from `params.yaml`, `params.json` (keys, a subtree, a list) and `params.toml`
    /// (a table), partly and wholly tracked.
    public static func writeParamsFormats(_ repo: TestRepo) throws {
        try repo.write("in.txt", "input\n")
        try repo.write("params.yaml", "seed: 1\n")
        try repo.write("params.json", """
            {"model": {"depth": 3, "lr": 0.1, "nested": {"b": 2, "a": 1}}, "name": "x", "list": [1, 2], "flag": false}

            """)
        try repo.write("params.toml", """
            [train]
            epochs = 5
            rate = 0.5
            flag = true

            [train.opt]
            z = "last"
            a = "first"

            [other]
            k = 1

            """)
        try repo.write("dvc.yaml", """
            stages:
              js:
                cmd: echo js >> log.txt && cp in.txt js.txt
                deps:
                - in.txt
                params:
                - seed
                - params.json:
                  - model.depth
                  - model.nested
                  - name
                  - list
                - params.toml:
                  - train
                outs:
                - js.txt
              whole:
                cmd: echo whole >> log.txt && cp in.txt whole.txt
                deps:
                - in.txt
                params:
                - params.json:
                - params.toml:
                outs:
                - whole.txt

            """)
    }

    /// The demo template's files (from `templates/demo`) and the dataset its `src/make_dataset.py` makes (not yet
    /// tracked: the caller runs its tool's `add data`).
    public static func writeDemoTemplate(_ repo: TestRepo) throws {
        let template = Fixtures.packageRoot.appendingPathComponent("templates/demo").path
        try repo.ok(repo.run("cp", ["-R", template + "/.", repo.root]))
        try repo.ok(repo.run("python3", ["src/make_dataset.py", "data", "--rows", "300"]))
    }

    /// Fixture 03's run-cache entries as `XX/key/value` paths with their bytes.
    public static func fixture03RunCache() throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        let base = Fixtures.file("03-pipeline/runs").path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return result }
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + relative, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                result[relative] = try Fixtures.bytes("03-pipeline/runs/" + relative)
            }
        }
        return result
    }
}

extension TestRepo {
    /// The lines of `log.txt` (stage names, in the order the stages ran); empty when there is no log.
    public func stageLog(_ relative: String = "log.txt") throws -> [String] {
        guard exists(relative) else { return [] }
        return try read(relative).split(separator: "\n").map(String.init)
    }

    /// Empties `log.txt`.
    public func clearStageLog(_ relative: String = "log.txt") throws {
        try write(relative, "")
    }

    /// Every run-cache entry under `.dvc/cache/runs` as `XX/key/value` paths with their bytes.
    public func runCache() throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        guard exists(".dvc/cache/runs") else { return result }
        for file in try files(under: ".dvc/cache/runs") { result[file] = try bytes(".dvc/cache/runs/" + file) }
        return result
    }
}

extension Expected {
    /// DVC's text with cairn's name where DVC names itself in advice (`dvc push`, `dvc config …`, `dvc remove`).
    public static func cairnText(_ dvcText: String) -> String {
        dvcText.replacingOccurrences(of: "`dvc ", with: "`cairn ")
            .replacingOccurrences(of: "\tdvc config core.autostage", with: "\tcairn config core.autostage")
    }

    /// `repro`/`stage add` output with the files of the `git add` hint sorted (DVC's order there is a set's).
    public static func normalizedHint(_ output: String) -> String {
        output.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("\tgit add ") else { return String(line) }
            let files = line.dropFirst("\tgit add ".count).split(separator: " ").map(String.init).sorted()
            return "\tgit add " + files.joined(separator: " ")
        }.joined(separator: "\n")
    }

    /// The tail `repro` prints after it wrote git-tracked files (DVC's words with cairn's name).
    public static func reproHint(_ files: [String]) -> String {
        trackingHint(files) + pushHint
    }

    /// The line `repro` prints last when it ran or restored something.
    public static let pushHint = "Use `cairn push` to send your updates to remote storage.\n"
}
