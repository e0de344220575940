import Testing
import CairnTestSupport
@testable import CairnCore

struct PlotDefinitionsTests {
    static let root = """
    stages:
      s:
        cmd: echo
        plots:
        - out.json:
            cache: false
            title: T
    plots:
    - multi:
        x: a
        y:
          data.csv: [b, c]
          out.json: d
    - data.csv
    - conf.tsv:
        template: confusion
        x: actual
        y: predicted
    - list.yaml:
    - xmap:
        x: {data.csv: a}
        y: {data.csv: b}
    - out.json
    - bad.csv:
        y: nope
    """

    static let sub = """
    stages:
      ss:
        cmd: echo
        plots:
        - s.csv:
            cache: false
            x: u
    plots:
    - p.csv
    - multi:
        y: {p.csv: v}
    """

    static func pipelines() throws -> [PipelineFile] {
        let none = MemorySources(files: [:])
        return [try PipelineFile.parse(root, path: "dvc.yaml", sources: none),
                try PipelineFile.parse(sub, path: "sub/dvc.yaml", sources: none)]
    }

    // Keys and order observed from `dvc plots show --json` (DVC 3.67.1) on these two files.
    @Test func keysAndOrderMatchDVC() throws {
        let definitions = PlotDefinitions.collect(from: try Self.pipelines())
        #expect(definitions.map(\.id) == ["dvc.yaml::multi", "sub/dvc.yaml::multi", "data.csv", "conf.tsv", "list.yaml",
                                          "xmap", "dvc.yaml::out.json", "out.json", "bad.csv", "sub/p.csv",
                                          "sub/s.csv"])
        #expect(definitions.map(\.stage) == [nil, nil, nil, nil, nil, nil, nil, "s", nil, nil, "ss"])
    }

    @Test func sourcesAndProperties() throws {
        let byID = Dictionary(uniqueKeysWithValues: PlotDefinitions.collect(from: try Self.pipelines()).map { ($0.id, $0) })
        let multi = try #require(byID["dvc.yaml::multi"])
        #expect(multi.sources == [PlotSource(path: "data.csv", x: "a", y: ["b", "c"]),
                                  PlotSource(path: "out.json", x: "a", y: ["d"])])
        #expect(multi.displayTitle == "dvc.yaml::multi")
        #expect(byID["sub/dvc.yaml::multi"]?.sources == [PlotSource(path: "sub/p.csv", y: ["v"])])
        #expect(byID["data.csv"]?.sources == [PlotSource(path: "data.csv")])
        let conf = try #require(byID["conf.tsv"])
        #expect(conf.template == .confusion)
        #expect(conf.sources == [PlotSource(path: "conf.tsv", x: "actual", y: ["predicted"])])
        #expect(byID["xmap"]?.sources == [PlotSource(path: "data.csv", x: "a", y: ["b"])])
        #expect(byID["out.json"]?.title == "T")
        #expect(byID["sub/s.csv"]?.sources == [PlotSource(path: "sub/s.csv", x: "u")])
        #expect(byID["sub/p.csv"]?.configPath == "sub/dvc.yaml")
    }

    @Test func fixture03KeysMatchPlotsShow() throws {
        let sources = MemorySources(files: ["params.yaml": try Fixtures.text("03-pipeline/workspace/params.yaml")])
        let file = try PipelineFile.parse(try Fixtures.text("03-pipeline/workspace/dvc.yaml"), path: "dvc.yaml",
                                          sources: sources)
        let definitions = PlotDefinitions.collect(from: [file])
        #expect(definitions.map(\.id) == ["dvc.yaml::plots.csv", "plots.csv"])
        #expect(definitions[0].displayTitle == "Loss")
        #expect(definitions[0].sources == [PlotSource(path: "plots.csv", x: "epoch", y: ["loss"])])
        #expect(definitions[1].sources == [PlotSource(path: "plots.csv")])
    }

    // Observed: top-level plots of every dvc.yaml come before any stage plot; a directory becomes one plot per
    // file (sorted), keyed by the file path and keeping the directory's properties.
    @Test func topLevelFirstAndDirectoriesExpand() throws {
        let root = """
        stages:
          s:
            cmd: echo
            plots:
            - st:
                cache: false
                x: a
        plots:
        - ev:
            title: EV
        - dirmulti:
            y:
              ev/one.csv: b
        """
        let sub = "plots:\n- p.csv\n"
        let none = MemorySources(files: [:])
        let pipelines = [try PipelineFile.parse(root, path: "dvc.yaml", sources: none),
                         try PipelineFile.parse(sub, path: "sub/dvc.yaml", sources: none)]
        let definitions = PlotDefinitions.collect(from: pipelines)
        #expect(definitions.map(\.id) == ["ev", "dirmulti", "sub/p.csv", "st"])
        let listing = ["ev": ["ev/sub/two.yaml", "ev/one.csv", "ev/img.png"], "st": ["st/s.csv"]]
        let expanded = PlotDefinitions.expandingDirectories(definitions) { listing[$0] }
        #expect(expanded.map(\.id) == ["ev/img.png", "ev/one.csv", "ev/sub/two.yaml", "dirmulti", "sub/p.csv",
                                        "st/s.csv"])
        #expect(expanded.map(\.displayTitle) == ["EV", "EV", "EV", "dirmulti", "sub/p.csv", "st/s.csv"])
        #expect(expanded[0].isImage)
        #expect(expanded[5].sources == [PlotSource(path: "st/s.csv", x: "a")])
        #expect(expanded[5].stage == "s")
    }

    @Test func templatesAndImages() {
        #expect(PlotTemplate(name: nil) == .linear)
        #expect(PlotTemplate(name: "confusion_normalized") == .confusionNormalized)
        #expect(PlotTemplate(name: ".dvc/plots/scatter.json") == .scatter)
        #expect(PlotTemplate(name: "my_custom") == .linear)
        #expect(PlotTemplate.allCases.count == 9)
        #expect(PlotDefinitions.isImagePath("eval/roc.PNG"))
        #expect(!PlotDefinitions.isImagePath("plots.csv"))
        #expect(PlotDefinition(id: "a.jpeg", sources: [PlotSource(path: "a.jpeg")]).isImage)
    }
}
