import Foundation
import Testing
import CairnTestSupport
@testable import CairnCore

struct RunCacheTests {
    /// Every `runs/<kk>/<key>/<value>` file of fixture 03, relative to `runs/`'s parent.
    private func fixtureEntries() throws -> [String] {
        let root = Fixtures.file("03-pipeline")
        let runs = root.appendingPathComponent("runs").path
        var result: [String] = []
        for shard in try FileManager.default.contentsOfDirectory(atPath: runs) {
            for key in try FileManager.default.contentsOfDirectory(atPath: runs + "/" + shard) {
                for value in try FileManager.default.contentsOfDirectory(atPath: runs + "/" + shard + "/" + key) {
                    result.append("runs/\(shard)/\(key)/\(value)")
                }
            }
        }
        return result.sorted()
    }

    @Test func fixture03EntriesMatchTheLock() throws {
        let lock = try PipelineLock.parse(try Fixtures.text("03-pipeline/workspace/dvc.lock"), path: "dvc.lock")
        let stages = Fixture03.stages()
        var computed: [String] = []
        for stage in stages where RunCache.isSaveAllowed(stage) {
            let entry = try #require(lock[stage: stage.name])
            let path = RunCache.entryPath(for: entry)
            computed.append(path)
            #expect(RunCache.render(entry) == (try Fixtures.text("03-pipeline/" + path)), "\(stage.name)")
            #expect(try RunCache.parse(RunCache.render(entry), path: path) == entry)
            // The lookup key needs only out paths.
            var unhashed = entry
            unhashed.outs = entry.outs.map { LockedPath(path: $0.path) }
            #expect(RunCache.key(for: unhashed) == RunCache.key(for: entry))
            #expect(RunCache.lookupKey(for: stage, deps: entry.deps, params: entry.params) == RunCache.key(for: entry))
        }
        #expect(computed.sorted() == (try fixtureEntries()))
        #expect(RunCache.entryPath(for: try #require(lock[stage: "prep"]))
                == "runs/ab/ab29babcab64d890dde8c0ac387984f661af67ae69b4907f4f71f246fd3b8530/"
                + "fb1b95f41304d4552a63bf7de2130d517d3191287d1da12b368a844de93ee6d5")
    }

    @Test func canonicalJSONOfTheKey() throws {
        let lock = try PipelineLock.parse(try Fixtures.text("03-pipeline/workspace/dvc.lock"), path: "dvc.lock")
        let entry = try #require(lock[stage: "prep"])
        var object = RunCache.canonicalObject(entry)
        object["outs"] = .array(entry.outs.map { .string($0.path) })
        #expect(RunCache.canonicalJSON(.object(object)) == #"{"cmd": "sh src/prep.sh 3", "deps": [{"hash": "md5", "md5": "55ef7578b917b32028f18767310eac72", "path": "raw.csv"}, {"hash": "md5", "isexec": true, "md5": "852cc486431a409780c1a720e1e3f6bb", "path": "src/prep.sh"}], "outs": ["prepared"], "params": {"params.yaml": {"train.epochs": 3}}}"#)
        // size/nfiles go at any depth, params values included.
        let nested = JSONValue.object(["b": .object(["size": .int(1), "nfiles": .int(2), "x": .double(0.01)]), "a": .string("é")])
        #expect(RunCache.canonicalJSON(nested) == #"{"a": "\u00e9", "b": {"x": 0.01}}"#)
    }

    @Test func predicates() {
        let stages = Fixture03.stages()
        #expect(stages.map(RunCache.isCacheable) == [true, true, false, true, true])
        #expect(stages.map(RunCache.isSaveAllowed) == [true, true, false, true, true])
        var uncached = stages[0]
        uncached.outs[0].cache = false
        #expect(RunCache.isCacheable(uncached) && !RunCache.isSaveAllowed(uncached))
        let callback = PipelineStage(name: "cb", file: "dvc.yaml", cmd: .string("echo"))
        #expect(!RunCache.isCacheable(callback))
        var always = stages[0]
        always.alwaysChanged = true
        #expect(!RunCache.isCacheable(always))
        var noDeps = stages[0]
        noDeps.deps = []
        noDeps.params = []
        #expect(!RunCache.isCacheable(noDeps))
        var paramsOnly = stages[0]
        paramsOnly.deps = []
        #expect(RunCache.isCacheable(paramsOnly))
        var external = stages[0]
        external.deps = ["/abs/file"]
        #expect(!RunCache.isCacheable(external))
        var outside = stages[0]
        outside.outs[0].path = "../x"
        #expect(!RunCache.isCacheable(outside))
    }
}
