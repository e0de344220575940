import Testing
import CairnTestSupport
@testable import CairnCore

/// The stages of fixture 03-pipeline, expanded as the dvc.yaml reader would.
enum Fixture03 {
    static func stages(trainCmd: String = "sh src/train.sh") -> [PipelineStage] {
        [
            PipelineStage(name: "prep", file: "dvc.yaml", cmd: .string("sh src/prep.sh 3"),
                          deps: ["raw.csv", "src/prep.sh"],
                          params: [ParamsDependency(file: "params.yaml", keys: ["train.epochs"])],
                          outs: [StageOutput(path: "prepared")]),
            PipelineStage(name: "train", file: "dvc.yaml", cmd: .string(trainCmd),
                          deps: ["prepared", "src/train.sh"],
                          params: [ParamsDependency(file: "params.yaml", keys: ["lr", "seed", "train.layers"]),
                                   ParamsDependency(file: "params2.json", keys: ["alpha", "beta.gamma"])],
                          outs: [StageOutput(path: "model.bin"),
                                 StageOutput(path: "metrics.json", kind: .metric, cache: false),
                                 StageOutput(path: "plots.csv", kind: .plot)],
                          desc: "Train it"),
            PipelineStage(name: "evaluate", file: "dvc.yaml", cmd: .string("echo evaluated >> eval.log"),
                          deps: ["model.bin"], params: [ParamsDependency(file: "params2.json", keys: nil)],
                          outs: [StageOutput(path: "eval.log", persist: true)]),
            PipelineStage(name: "split@train", file: "dvc.yaml", cmd: .string("echo train seed=42 > split-train.txt"),
                          deps: ["raw.csv"], outs: [StageOutput(path: "split-train.txt")]),
            PipelineStage(name: "split@test", file: "dvc.yaml", cmd: .string("echo test seed=42 > split-test.txt"),
                          deps: ["raw.csv"], outs: [StageOutput(path: "split-test.txt")]),
        ]
    }

    static func graph() throws -> StageGraph {
        try StageGraph(stages().map(StageGraph.Node.stage))
    }
}

private func stage(_ name: String, file: String = "dvc.yaml", wdir: String = "", deps: [String] = [],
                   outs: [String] = [], frozen: Bool = false) -> StageGraph.Node {
    .stage(PipelineStage(name: name, file: file, cmd: .string("echo \(name)"), wdir: wdir, deps: deps,
                         outs: outs.map { StageOutput(path: $0) }, frozen: frozen))
}

private func names(_ graph: StageGraph, _ indexes: [Int]) -> [String] {
    indexes.map { graph.nodes[$0].address }
}

private func graphError(_ nodes: [StageGraph.Node]) -> StageGraphError? {
    do {
        _ = try StageGraph(nodes)
        return nil
    } catch {
        return error
    }
}

struct StageGraphTests {
    @Test func fixture03PlansUpstreamFirstInDefinitionOrder() throws {
        let graph = try Fixture03.graph()
        #expect(names(graph, graph.plan(targets: []).nodes) == ["prep", "train", "evaluate", "split@train", "split@test"])
        let all = try graph.resolve(["dvc.yaml"])
        #expect(names(graph, graph.plan(targets: all).nodes) == ["prep", "train", "evaluate", "split@train", "split@test"])
        let evaluate = try graph.resolve("evaluate")
        #expect(names(graph, graph.plan(targets: evaluate).nodes) == ["prep", "train", "evaluate"])
        #expect(names(graph, graph.plan(targets: evaluate, scope: .singleItem).nodes) == ["evaluate"])
        let prep = try graph.resolve("prep")
        #expect(names(graph, graph.plan(targets: prep, scope: .downstream).nodes) == ["prep", "train", "evaluate"])
        #expect(names(graph, graph.plan(targets: prep, scope: .pipeline).nodes) == ["prep", "train", "evaluate"])
        #expect(names(graph, try graph.resolve("split")) == ["split@train", "split@test"])
    }

    @Test func edgesAndWaits() throws {
        let graph = try Fixture03.graph()
        #expect(graph.upstream == [[], [0], [1], [], []])
        #expect(graph.downstream == [[1], [2], [], [], []])
        let plan = graph.plan(targets: [])
        #expect(plan.waits == [[], [0], [1], [], []])
        // A waits through nodes left out of the plan to the nearest planned ones.
        #expect(graph.waits(for: [0, 2]) == [[], [0]])
    }

    @Test func depInsideOrContainingAnOutputMakesAnEdge() throws {
        let graph = try StageGraph([
            stage("a", outs: ["data/dir"]),
            stage("b", deps: ["data/dir/file.txt"], outs: ["b.txt"]),
            stage("c", deps: ["data"], outs: ["c.txt"]),
            .data(DataSource(file: "raw.dvc", outs: ["raw"])),
            stage("d", file: "sub/dvc.yaml", wdir: "sub", deps: ["../raw/x", "../c.txt"], outs: ["d.txt"]),
        ])
        #expect(graph.upstream == [[], [0], [0], [], [3, 2]])
        #expect(names(graph, graph.plan(targets: [4]).nodes) == ["a", "c", "raw.dvc", "sub/dvc.yaml:d"])
        #expect(graph.producer(of: "sub/d.txt") == 4)
        #expect(graph.producer(of: "data/dir/x/y") == 0)
        #expect(graph.producer(of: "data") == nil)
        #expect(graph.address(of: 4, cwd: "sub") == "d")
        #expect(graph.address(of: 4, cwd: "other") == "../sub/dvc.yaml:d")
        #expect(try graph.resolve("dvc.yaml:d", cwd: "sub") == [4])
        #expect(try graph.resolve("sub/dvc.yaml:d") == [4])
        #expect(try graph.resolve("raw.dvc") == [3])
    }

    @Test func frozenStagesAreCutFromTheirUpstream() throws {
        let graph = try StageGraph([
            stage("a", outs: ["a.txt"]),
            stage("b", deps: ["a.txt"], outs: ["b.txt"], frozen: true),
            stage("c", deps: ["b.txt"], outs: ["c.txt"]),
        ])
        #expect(names(graph, graph.plan(targets: [2]).nodes) == ["b", "c"])
        #expect(names(graph, graph.plan(targets: [0], scope: .downstream).nodes) == ["a"])
        #expect(graph.upstream[1] == [0])
    }

    @Test func duplicateAndOverlappingOutputsAreErrors() throws {
        let duplicate = graphError([stage("a", outs: ["x"]), stage("b", outs: ["./x"])])
        #expect(duplicate == .duplicateOutput(path: "x", owners: ["a", "b"]))
        #expect(duplicate?.message == "output 'x' is specified in:\n\t- a\n\t- b")

        let overlap = graphError([stage("a", outs: ["d/x"]), stage("b", outs: ["d"])])
        #expect(overlap == .overlappingOutputs(parent: "d", parentOwner: "b", child: "d/x", childOwner: "a"))
        let overlap2 = graphError([stage("a", outs: ["d"]), stage("b", outs: ["d/x"])])
        #expect(overlap2 == .overlappingOutputs(parent: "d", parentOwner: "a", child: "d/x", childOwner: "b"))

        let tracked = graphError([.data(DataSource(file: "x.dvc", outs: ["x"])), stage("a", outs: ["x"])])
        #expect(tracked == .outputTrackedByDataFile(path: "x", stage: "a", dataFile: "x.dvc"))

        let inside = graphError([stage("a", outs: ["sub"]), stage("b", file: "sub/dvc.yaml", wdir: "sub")])
        #expect(inside == .fileInsideOutput(file: "sub/dvc.yaml", output: "sub", owner: "a"))
    }

    @Test func cyclesNameTheirStagesInOrder() throws {
        let error = graphError([
            stage("z", outs: ["z.txt"]),
            stage("a", deps: ["c.txt"], outs: ["a.txt"]),
            stage("b", deps: ["a.txt"], outs: ["b.txt"]),
            stage("c", deps: ["b.txt"], outs: ["c.txt"]),
        ])
        #expect(error == .cycle(["a", "c", "b"], paths: ["c.txt", "b.txt", "a.txt"]))
        #expect(error?.message == "the pipeline has a cycle: 'a' -> 'c' -> 'b' -> 'a' (each depends on an output of the next)")
        let selfLoop = graphError([stage("s", deps: ["s.txt"], outs: ["s.txt"])])
        #expect(selfLoop == .cycle(["s"], paths: ["s.txt"]))
    }

    @Test func missingDependenciesAreFoundBeforeRunning() throws {
        let graph = try StageGraph([
            stage("a", deps: ["in.txt"], outs: ["a.txt"]),
            stage("b", deps: ["a.txt", "gone.txt"], outs: ["b.txt"]),
        ])
        let plan = graph.plan(targets: [1]).nodes
        #expect(throws: StageGraphError.missingDependency(path: "gone.txt", stage: "b", isParams: false)) {
            try graph.checkDependencies(of: plan, exists: { $0 == "in.txt" })
        }
        try graph.checkDependencies(of: plan, exists: { $0 == "in.txt" || $0 == "gone.txt" })
        var params = Fixture03.stages()[0]
        params.deps = []
        let withParams = try StageGraph([.stage(params)])
        #expect(throws: StageGraphError.missingDependency(path: "params.yaml", stage: "prep", isParams: true)) {
            try withParams.checkDependencies(of: [0], exists: { _ in false })
        }
    }

    @Test func targetsParseAndResolveAsDVCDoes() throws {
        #expect(try StageGraph.Target.parse("train") == .init(file: nil, name: "train"))
        #expect(try StageGraph.Target.parse("sub/dvc.yaml:train") == .init(file: "sub/dvc.yaml", name: "train"))
        #expect(try StageGraph.Target.parse("sub/dvc.yaml") == .init(file: "sub/dvc.yaml", name: nil))
        #expect(try StageGraph.Target.parse("data.dvc") == .init(file: "data.dvc", name: nil))
        #expect(try StageGraph.Target.parse("gen@a:b") == .init(file: nil, name: "gen@a:b"))
        #expect(try StageGraph.Target.parse("dvc.yaml:gen@x") == .init(file: "dvc.yaml", name: "gen@x"))
        #expect(throws: StageGraphError.lockFileTarget(suggestion: "dvc.yaml:x")) {
            try StageGraph.Target.parse("dvc.lock:x")
        }
        let graph = try Fixture03.graph()
        #expect(throws: StageGraphError.unknownStage(name: "nope", file: "dvc.yaml")) { try graph.resolve("nope") }
        #expect(throws: StageGraphError.unknownFile("other/dvc.yaml")) { try graph.resolve("other/dvc.yaml:x") }
        #expect(try graph.resolve("split@test") == [4])
        #expect(try graph.resolve(["train", "prep", "train"]) == [1, 0])
    }
}
