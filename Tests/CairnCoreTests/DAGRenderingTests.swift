import Testing
import CairnTestSupport
@testable import CairnCore

/// Fixture 03's stages plus a tracked `extra.txt` and `sub/dvc.yaml:s` (depends on it and on `split-test.txt`),
/// in the order DVC listed them; expected texts come from `dvc dag` 3.67.1 on the same repo.
private func graph() throws -> StageGraph {
    let stages = Fixture03.stages().map(StageGraph.Node.stage)
    let sub = PipelineStage(name: "s", file: "sub/dvc.yaml", cmd: .string("cat"), wdir: "sub",
                            deps: ["../extra.txt", "../split-test.txt"], outs: [StageOutput(path: "s.txt")])
    return try StageGraph([.data(DataSource(file: "extra.txt.dvc", outs: ["extra.txt"]))] + stages + [.stage(sub)])
}

struct DAGRenderingTests {
    @Test func dotMatchesDVC() throws {
        let graph = try graph()
        let all = Array(graph.nodes.indices)
        #expect(DAGRendering.render(graph, nodes: all, format: .dot, outputs: false) == """
            strict digraph {
            "extra.txt.dvc";
            "prep";
            "train";
            "evaluate";
            "split@train";
            "split@test";
            "sub/dvc.yaml:s";
            "extra.txt.dvc" -> "sub/dvc.yaml:s";
            "prep" -> "train";
            "train" -> "evaluate";
            "split@test" -> "sub/dvc.yaml:s";
            }

            """)
        #expect(DAGRendering.render(graph, nodes: all, format: .dot, outputs: true) == """
            strict digraph {
            "extra.txt";
            "prepared";
            "model.bin";
            "metrics.json";
            "plots.csv";
            "eval.log";
            "split-train.txt";
            "split-test.txt";
            "sub/s.txt";
            "extra.txt" -> "sub/s.txt";
            "prepared" -> "model.bin";
            "prepared" -> "metrics.json";
            "prepared" -> "plots.csv";
            "model.bin" -> "eval.log";
            "split-test.txt" -> "sub/s.txt";
            }

            """)
        let train = try graph.resolve("train")
        #expect(DAGRendering.render(graph, targets: train, full: false, format: .dot, outputs: false) == """
            strict digraph {
            "prep";
            "train";
            "prep" -> "train";
            }

            """)
        #expect(DAGRendering.selection(graph, targets: train, full: true) == [1, 2, 3])
        #expect(DAGRendering.selection(graph, targets: [6], full: false) == [0, 5, 6])
    }

    @Test func mermaidAndMarkdownMatchDVC() throws {
        let graph = try graph()
        let all = Array(graph.nodes.indices)
        let stages = """
            flowchart TD
            \tnode1["extra.txt.dvc"]
            \tnode2["split@test"]
            \tnode3["sub/dvc.yaml:s"]
            \tnode1-->node3
            \tnode2-->node3
            \tnode4["evaluate"]
            \tnode5["prep"]
            \tnode6["train"]
            \tnode5-->node6
            \tnode6-->node4
            \tnode7["split@train"]
            """
        #expect(DAGRendering.render(graph, nodes: all, format: .mermaid, outputs: false) == stages)
        #expect(DAGRendering.render(graph, nodes: all, format: .markdown, outputs: false)
                == "```mermaid\n" + stages + "\n```")
        #expect(DAGRendering.render(graph, nodes: all, format: .mermaid, outputs: true) == """
            flowchart TD
            \tnode1["extra.txt"]
            \tnode2["split-test.txt"]
            \tnode3["sub/s.txt"]
            \tnode1-->node3
            \tnode2-->node3
            \tnode4["eval.log"]
            \tnode5["metrics.json"]
            \tnode6["model.bin"]
            \tnode7["plots.csv"]
            \tnode8["prepared"]
            \tnode6-->node4
            \tnode8-->node5
            \tnode8-->node6
            \tnode8-->node7
            \tnode9["split-train.txt"]
            """)
    }

    @Test func asciiDrawsEachPipelineTopDown() throws {
        let graph = try graph()
        let text = DAGRendering.render(graph, nodes: Array(graph.nodes.indices), format: .ascii, outputs: false)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains { $0.contains("| extra.txt.dvc |") && $0.contains("| split@test |") })
        let prep = try #require(lines.firstIndex { $0.contains("| prep |") })
        let train = try #require(lines.firstIndex { $0.contains("| train |") })
        let evaluate = try #require(lines.firstIndex { $0.contains("| evaluate |") })
        #expect(prep < train && train < evaluate)
        #expect(lines[prep + 2 ... train - 2].allSatisfy { $0.contains("*") })
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
        let outs = DAGRendering.render(graph, nodes: Array(graph.nodes.indices), format: .ascii, outputs: true)
        #expect(outs.contains("| prepared |") && outs.contains("| eval.log |"))
    }
}
