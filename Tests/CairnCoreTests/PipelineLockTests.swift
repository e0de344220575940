import Testing
import CairnTestSupport
@testable import CairnCore

struct PipelineLockTests {
    @Test func parsesThePipelineFixture() throws {
        let lock = try PipelineLock.parse(try Fixtures.text("03-pipeline/workspace/dvc.lock"), path: "dvc.lock")
        #expect(lock.stageNames == ["prep", "train", "evaluate", "split@train", "split@test"])

        let prep = try #require(lock[stage: "prep"])
        #expect(prep.cmd == "sh src/prep.sh 3")
        #expect(prep.deps.map(\.path) == ["raw.csv", "src/prep.sh"])
        #expect(prep.deps[1].isexec && !prep.deps[0].isexec)
        #expect(prep.deps[0].hash == HashInfo(ObjectID("55ef7578b917b32028f18767310eac72")!, kind: .md5))
        #expect(prep.deps[0].size == 13)
        #expect(prep.params.map(\.file) == ["params.yaml"])
        #expect(prep.params(of: "params.yaml") == ["train.epochs": 3])
        #expect(prep.outs.first?.md5 == ObjectID("c738c081372cec86a56c142b1890838b.dir"))
        #expect(prep.outs.first?.nfiles == 2)

        let train = try #require(lock[stage: "train"])
        #expect(train.params.map(\.file) == ["params.yaml", "params2.json"])
        let params = try #require(train.params(of: "params.yaml"))
        #expect(params.keys == ["lr", "seed", "train.layers"])
        #expect(params["lr"] == .float(0.01))
        #expect(params["train.layers"] == ["hidden": 16, "act": "relu"])
        #expect(train.params(of: "params2.json") == ["alpha": 0.5, "beta.gamma": "g"])
        #expect(train.outs.map(\.path) == ["metrics.json", "model.bin", "plots.csv"])

        #expect(lock[stage: "evaluate"]?.params(of: "params2.json") == ["alpha": 0.5, "beta": ["gamma": "g"]])
        #expect(lock[stage: "missing"] == nil)
    }

    @Test func parsesTheTemplatingFixture() throws {
        let lock = try PipelineLock.parse(try Fixtures.text("04-templating/dvc.lock"), path: "dvc.lock")
        #expect(lock.stageNames == [
            "gen@alpha", "gen@beta", "perkey@us", "perkey@fr", "listdicts@0", "listdicts@1",
            "grid@lin-1", "grid@lin-2", "grid@svm-1", "grid@svm-2", "multi", "dictcmd", "insub",
        ])
        #expect(lock[stage: "multi"]?.cmd == ["echo one > multi.txt", "echo \"seed 7 depth 4 size 10\" >> multi.txt"])
        #expect(lock[stage: "dictcmd"]?.params(of: "params.yaml") == ["model.opts": ["fast": true, "n": 3]])
        #expect(lock[stage: "insub"]?.deps.first?.path == "input.txt", "paths stay relative to the stage wdir")
    }

    @Test(arguments: ["03-pipeline/workspace/dvc.lock", "04-templating/dvc.lock"])
    func rendersFixturesByteForByte(fixture: String) throws {
        let text = try Fixtures.text(fixture)
        #expect(try PipelineLock.parse(text, path: "dvc.lock").rendered() == text)
    }

    @Test func freshLockFromModel() {
        var lock = PipelineLock()
        lock[stage: "prep"] = LockedStage(
            cmd: "sh src/prep.sh 3",
            deps: [LockedPath(path: "raw.csv", hash: HashInfo(ObjectID("55ef7578b917b32028f18767310eac72")!), size: 13)],
            params: [(file: "params.yaml", values: ["train.epochs": 3])],
            outs: [LockedPath(path: "prepared", hash: HashInfo(ObjectID("c738c081372cec86a56c142b1890838b.dir")!),
                              size: 22, nfiles: 2)])
        lock[stage: "callback"] = LockedStage(cmd: "echo callback")
        #expect(lock.rendered() == """
            schema: '2.0'
            stages:
              prep:
                cmd: sh src/prep.sh 3
                deps:
                - path: raw.csv
                  hash: md5
                  md5: 55ef7578b917b32028f18767310eac72
                  size: 13
                params:
                  params.yaml:
                    train.epochs: 3
                outs:
                - path: prepared
                  hash: md5
                  md5: c738c081372cec86a56c142b1890838b.dir
                  size: 22
                  nfiles: 2
              callback:
                cmd: echo callback

            """)
    }

    @Test func legacyEntriesAndExtraKeys() throws {
        let text = """
            schema: '2.0'
            stages:
              old:
                cmd: run
                outs:
                - path: ../up/out.txt
                  md5: 4fcc82a88ee38e0aa16c17f512c685c9
                  size: 14
                  version_id: v1

            """
        let lock = try PipelineLock.parse(text, path: "sub/dvc.lock")
        let out = try #require(lock[stage: "old"]?.outs.first)
        #expect(out.path == "../up/out.txt")
        #expect(out.hashKind == .md5Dos2Unix)
        #expect(out.extra["version_id"] == "v1")
        #expect(lock.rendered() == text)
    }

    @Test func emptyLocks() throws {
        #expect(try PipelineLock.parse("", path: "dvc.lock") == PipelineLock())
        #expect(try PipelineLock.parse("{}\n", path: "dvc.lock") == PipelineLock())
        #expect(try PipelineLock.parse("schema: '2.0'\nstages: {}\n", path: "dvc.lock").stages.isEmpty)
        #expect(try PipelineLock.parse("schema: '2.0'\n", path: "dvc.lock").stages.isEmpty)
    }

    @Test func schemaIsRequired() throws {
        let v1 = try #require(throws: FormatError.self) {
            try PipelineLock.parse("prep:\n  cmd: run\n  outs:\n  - path: x\n    md5: 4fcc82a88ee38e0aa16c17f512c685c9\n", path: "dvc.lock")
        }
        #expect(v1.message.contains("DVC 1.x"))
        #expect(v1.hint != nil)

        let unquoted = try #require(throws: FormatError.self) { try PipelineLock.parse("schema: 2.0\nstages: {}\n", path: "dvc.lock") }
        #expect(unquoted.message.contains("unsupported dvc.lock schema '2.0'"))
        #expect(unquoted.line == 1 && unquoted.column == 9)

        #expect(throws: FormatError.self) { try PipelineLock.parse("schema: '3.0'\nstages: {}\n", path: "dvc.lock") }
        #expect(throws: FormatError.self) { try PipelineLock.parse("- a\n", path: "dvc.lock") }
    }

    @Test func stagesAreValidated() throws {
        let extra = try #require(throws: FormatError.self) {
            try PipelineLock.parse("schema: '2.0'\nstages:\n  s:\n    cmd: x\n    wdir: sub\n", path: "dvc.lock")
        }
        #expect(extra.message == "extra keys not allowed, in stages -> s -> wdir")
        #expect(extra.line == 5 && extra.column == 5)

        let noCmd = try #require(throws: FormatError.self) {
            try PipelineLock.parse("schema: '2.0'\nstages:\n  s:\n    outs: []\n", path: "dvc.lock")
        }
        #expect(noCmd.message == "required key not provided, in stages -> s -> cmd")

        let badCmd = try #require(throws: FormatError.self) {
            try PipelineLock.parse("schema: '2.0'\nstages:\n  s:\n    cmd: [a, 1]\n", path: "dvc.lock")
        }
        #expect(badCmd.message == "expected str, in stages -> s -> cmd -> 1")

        let noPath = try #require(throws: FormatError.self) {
            try PipelineLock.parse("schema: '2.0'\nstages:\n  s:\n    cmd: a\n    deps:\n    - md5: 4fcc82a88ee38e0aa16c17f512c685c9\n", path: "dvc.lock")
        }
        #expect(noPath.message == "required key not provided, in stages -> s -> deps -> 0 -> path")
    }

    @Test func replacingAStageKeepsItsPosition() throws {
        var lock = try PipelineLock.parse(try Fixtures.text("03-pipeline/workspace/dvc.lock"), path: "dvc.lock")
        lock[stage: "train"] = LockedStage(cmd: "new")
        #expect(lock.stageNames == ["prep", "train", "evaluate", "split@train", "split@test"])
        lock[stage: "new@1"] = LockedStage(cmd: "x")
        #expect(lock.stageNames.last == "new@1")
        lock[stage: "prep"] = nil
        #expect(lock.stageNames.first == "train")
    }
}
