import CairnTestSupport
import Foundation
import Testing

/// `cairn dag`: `--dot`, `--mermaid`, `--md`, `--outs` and a target byte for byte as DVC 3.67.1 prints them; the
/// ASCII drawing (DVC's comes from grandalf's layout) is checked for its boxes and their top-down order, with DVC's
/// drawings kept here for reference.
@Suite struct DAGTests {
    static let diamondASCII = [
        "        +-----+           ",
        "        | top |           ",
        "        +-----+           ",
        "       **      **         ",
        "      *          *        ",
        "     *            *       ",
        "+------+       +-------+  ",
        "| left |       | right |  ",
        "+------+       +-------+  ",
        "       **      **         ",
        "         *    *           ",
        "          *  *            ",
        "        +------+          ",
        "        | join |          ",
        "        +------+          ",
    ].map { $0 + "\n" }.joined()
    static let diamondOutsASCII = [
        "            +---------+               ",
        "            | top.txt |               ",
        "            +---------+               ",
        "           ***         ***            ",
        "          *               *           ",
        "        **                 **         ",
        "+----------+           +-----------+  ",
        "| left.txt |           | right.txt |  ",
        "+----------+           +-----------+  ",
        "           ***         ***            ",
        "              *       *               ",
        "               **   **                ",
        "            +----------+              ",
        "            | join.txt |              ",
        "            +----------+              ",
    ].map { $0 + "\n" }.joined()
    static let chainASCII = [
        "+---+  ",
        "| a |  ",
        "+---+  ",
        "  *    ",
        "  *    ",
        "  *    ",
        "+---+  ",
        "| b |  ",
        "+---+  ",
    ].map { $0 + "\n" }.joined()
    static let demoASCII = [
        "        +----------+      ",
        "        | data.dvc |      ",
        "        +----------+      ",
        "              *           ",
        "              *           ",
        "              *           ",
        "         +---------+      ",
        "         | prepare |      ",
        "         +---------+      ",
        "              *           ",
        "              *           ",
        "              *           ",
        "        +-----------+     ",
        "        | featurize |     ",
        "        +-----------+     ",
        "         **        **     ",
        "       **            *    ",
        "      *               **  ",
        "+-------+               * ",
        "| train |             **  ",
        "+-------+            *    ",
        "         **        **     ",
        "           **    **       ",
        "             *  *         ",
        "        +----------+      ",
        "        | evaluate |      ",
        "        +----------+      ",
    ].map { $0 + "\n" }.joined()

    static let diamondDot = """
        strict digraph {
        "top";
        "left";
        "right";
        "join";
        "top" -> "left";
        "top" -> "right";
        "left" -> "join";
        "right" -> "join";
        }


        """

    static let diamondMermaid = """
        flowchart TD
        \tnode1["join"]
        \tnode2["left"]
        \tnode3["right"]
        \tnode4["top"]
        \tnode2-->node1
        \tnode3-->node1
        \tnode4-->node2
        \tnode4-->node3

        """

    /// Expects `cairn dag ARGS` to draw a box for every node of `dvcDrawing` (DVC's), each layer below the one above.
    func expectASCII(_ repo: TestRepo, _ arguments: [String], like dvcDrawing: String,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try repo.cairn(arguments: ["dag"] + arguments)
        expectSuccess(result, sourceLocation: sourceLocation)
        func boxes(_ drawing: String) -> [(row: Int, label: String)] {
            drawing.split(separator: "\n", omittingEmptySubsequences: false).enumerated().flatMap { row, line in
                line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty && !$0.allSatisfy { "*+- ".contains($0) } }
                    .map { (row, $0) }
            }
        }
        let expected = boxes(dvcDrawing)
        let actual = boxes(result.stdout)
        #expect(Set(actual.map(\.label)) == Set(expected.map(\.label)), "boxes:\n\(result)", sourceLocation: sourceLocation)
        let rowOf = Dictionary(actual.map { ($0.label, $0.row) }, uniquingKeysWith: { first, _ in first })
        for upper in expected {
            for lower in expected where lower.row > upper.row {
                if let a = rowOf[upper.label], let b = rowOf[lower.label] {
                    #expect(a < b, "\(upper.label) is drawn above \(lower.label):\n\(result)", sourceLocation: sourceLocation)
                }
            }
        }
    }

    /// Runs `cairn dag ARGS` in `repo` and expects `expected` on stdout.
    func expectDAG(_ repo: TestRepo, _ arguments: [String], _ expected: String,
                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try repo.cairn(arguments: ["dag"] + arguments)
        expectSuccess(result, sourceLocation: sourceLocation)
        #expect(result.stdout == expected, "cairn dag \(arguments.joined(separator: " ")):\n\(result)",
                sourceLocation: sourceLocation)
    }

    @Test func diamond() throws {
        let repo = try pipelineRepo(PipelineProjects.writeDiamond)
        try expectASCII(repo, [], like: Self.diamondASCII)
        try expectASCII(repo, ["join"], like: Self.diamondASCII)
        try expectDAG(repo, ["--dot"], Self.diamondDot)
        try expectDAG(repo, ["--mermaid"], Self.diamondMermaid)
        try expectDAG(repo, ["--md"], "```mermaid\n" + Self.diamondMermaid + "```\n")
        try expectASCII(repo, ["--outs"], like: Self.diamondOutsASCII)
        try expectDAG(repo, ["--outs", "--dot"], """
            strict digraph {
            "top.txt";
            "left.txt";
            "right.txt";
            "join.txt";
            "top.txt" -> "left.txt";
            "top.txt" -> "right.txt";
            "left.txt" -> "join.txt";
            "right.txt" -> "join.txt";
            }


            """)
        // A target draws only what it depends on.
        try expectDAG(repo, ["left", "--dot"], "strict digraph {\n\"top\";\n\"left\";\n\"top\" -> \"left\";\n}\n\n")
    }

    @Test func chain() throws {
        let repo = try pipelineRepo(PipelineProjects.writeBasic)
        try expectASCII(repo, [], like: Self.chainASCII)
        try expectDAG(repo, ["--outs", "--md"], """
            ```mermaid
            flowchart TD
            \tnode1["a.txt"]
            \tnode2["b.txt"]
            \tnode1-->node2
            ```

            """)
    }

    @Test func emptyProjectDrawsNothing() throws {
        let repo = try initializedRepo()
        try expectDAG(repo, [], "\n")
    }

    @Test func demoTemplateWithItsTrackedDataset() throws {
        let repo = try TestRepo()
        try repo.initCairn("--template", "demo")
        try repo.ok(repo.run("python3", ["src/make_dataset.py", "data", "--rows", "50"]))
        try repo.ok(repo.cairn("add", "-q", "data"))
        try expectASCII(repo, [], like: Self.demoASCII)
        try expectDAG(repo, ["--dot"], """
            strict digraph {
            "data.dvc";
            "prepare";
            "featurize";
            "train";
            "evaluate";
            "data.dvc" -> "prepare";
            "prepare" -> "featurize";
            "featurize" -> "train";
            "featurize" -> "evaluate";
            "train" -> "evaluate";
            }


            """)
    }
}
