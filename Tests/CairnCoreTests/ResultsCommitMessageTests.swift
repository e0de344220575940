import CairnCore
import Testing

@Suite struct ResultsCommitMessageTests {
    @Test func namesStagesMetricDeltasAndFiles() {
        let rows = [
            DiffRow(path: "metrics.json", key: "acc", old: .float(0.81), new: .float(0.85), diff: .float(0.04000000000000004)),
            DiffRow(path: "metrics.json", key: "loss", old: .float(0.5), new: .float(0.4), diff: .float(-0.1)),
            DiffRow(path: "eval.json", key: "f1", old: nil, new: .float(0.7), diff: nil),
        ]
        let message = ResultsCommitMessage(origin: .repro, stages: ["prepare", "train"], metricChanges: rows,
                                           parent: "1a2b3c4", files: ["dvc.lock", "metrics.json"])
        #expect(message.text == """
            Reproduce prepare, train

            Stages run: prepare, train
            Metrics against 1a2b3c4:
              metrics.json:acc   0.81 -> 0.85 (+0.04)
              metrics.json:loss  0.5 -> 0.4 (-0.1)
              eval.json:f1       new 0.7
            Files: dvc.lock, metrics.json

            """)
    }

    @Test func subjectsWithoutStagesAndWithMany() {
        #expect(ResultsCommitMessage(origin: .commit, stages: [], metricChanges: [], parent: nil, files: ["a.dvc"]).subject
                == "Record tracked data and pipeline results")
        let many = ResultsCommitMessage(origin: .repro, stages: ["a", "b", "c", "d", "e", "f"], metricChanges: [], parent: nil, files: [])
        #expect(many.subject == "Reproduce a, b, c, d and 2 more")
    }
}
