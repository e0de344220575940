import CairnCore
import Foundation
import Testing

@Suite struct LineageTests {
    /// raw.txt (.dvc) -> prepare -> data/prepared (dir) -> train (+ train.py from git, params) -> model.pkl.
    private let builder = LineageBuilder(
        stages: [
            LineageStageRecord(address: "prepare", lockPath: "dvc.lock", commands: ["python prep.py"],
                               deps: [("raw.txt", "aaa")], outs: [("data/prepared", "bbb.dir", 20)]),
            LineageStageRecord(address: "train", lockPath: "dvc.lock", commands: ["python train.py"],
                               deps: [("data/prepared/train.csv", "ccc"), ("train.py", "ddd")],
                               params: [("params.yaml", "lr", "0.1")], outs: [("model.pkl", "eee", 7)]),
        ],
        tracked: [LineageTrackedRecord(dvcPath: "raw.txt.dvc", path: "raw.txt", hash: "aaa", size: 3)])

    @Test func followsStageOutputsIntoDirectoriesAndStopsAtDVCAndGitFiles() throws {
        let tree = try #require(builder.tree(for: "model.pkl"))
        #expect(tree.origin == .stage("train"))
        #expect(tree.hash == "eee")
        #expect(tree.inputs.map(\.path) == ["data/prepared/train.csv", "train.py"])
        #expect(tree.inputs[0].origin == .stage("prepare"))
        #expect(tree.inputs[0].hash == "ccc")
        #expect(tree.inputs[0].inputs.map(\.origin) == [.dvcFile("raw.txt.dvc")])
        #expect(tree.inputs[1].origin == .git)
        #expect(builder.tree(for: "data/prepared/train.csv") == nil)
        #expect(builder.nearby("data/other.csv") == ["data/prepared"])
    }

    @Test func textShowsCommandsParamsAndTheTree() throws {
        let text = LineageRendering.text(try #require(builder.tree(for: "model.pkl")))
        #expect(text == """
            model.pkl  md5 eee  7 bytes  [stage train]
            │ cmd: python train.py
            │ param: params.yaml lr=0.1
            ├─ data/prepared/train.csv  md5 ccc  [stage prepare]
            │  │ cmd: python prep.py
            │  └─ raw.txt  md5 aaa  3 bytes  [tracked by raw.txt.dvc]
            └─ train.py  md5 ddd  [git]

            """)
    }

    @Test func graphsNameEveryArtifactAndStageOnce() throws {
        let tree = try #require(builder.tree(for: "model.pkl"))
        let dot = LineageRendering.dot(tree)
        #expect(dot.hasPrefix("digraph lineage {"))
        #expect(dot.contains("\"s:train\" -> \"a:model.pkl\";"))
        #expect(dot.contains("\"a:raw.txt\" -> \"s:prepare\";"))
        let mermaid = LineageRendering.mermaid(tree)
        #expect(mermaid.hasPrefix("flowchart BT\n"))
        #expect(mermaid.contains("(\"train\")"))
        #expect(mermaid.components(separatedBy: "-->").count - 1 == 5)
    }

    @Test func jsonNestsInputs() throws {
        let json = PythonJSON.dumps(LineageRendering.json(try #require(builder.tree(for: "model.pkl"))))
        #expect(json.contains("\"origin\": \"stage\""))
        #expect(json.contains("\"dvc_file\": \"raw.txt.dvc\""))
        #expect(json.contains("\"params\": [{\"file\": \"params.yaml\", \"key\": \"lr\", \"value\": \"0.1\"}]"))
    }

    @Test func aCycleIsShownOnce() throws {
        let looping = LineageBuilder(
            stages: [LineageStageRecord(address: "a", lockPath: "dvc.lock", commands: ["x"], deps: [("o", "1")],
                                        outs: [("o", "1", nil)])],
            tracked: [])
        let tree = try #require(looping.tree(for: "o"))
        #expect(tree.inputs.map(\.origin) == [.repeated("a")])
    }
}
