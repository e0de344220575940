import Testing
import CairnTestSupport
@testable import CairnCore

/// `plots show --json` data values compared with what DVC 3.67.1 wrote.
struct PlotValuesTests {
    static func dumps(_ values: [JSONObject]) -> String { PythonJSON.dumps(.array(values.map { .object($0) })) }

    @Test func fixture03ValuesMatchDVC() throws {
        let sources = MemorySources(files: ["params.yaml": try Fixtures.text("03-pipeline/workspace/params.yaml")])
        let file = try PipelineFile.parse(try Fixtures.text("03-pipeline/workspace/dvc.yaml"), path: "dvc.yaml",
                                          sources: sources)
        let table = try PlotData.table(try Fixtures.bytes("03-pipeline/workspace/plots.csv"), path: "plots.csv")
        let shown = try JSONValue.parse(try Fixtures.bytes("03-pipeline/plots-show.json"))
        guard case .object(let root) = shown, case .object(let data)? = root["data"] else {
            Issue.record("unexpected plots-show.json shape")
            return
        }
        for definition in PlotDefinitions.collect(from: [file]) {
            guard case .array(let entries)? = data[definition.id], case .object(let entry)? = entries.first,
                  case .object(let content)? = entry["content"], case .object(let inner)? = content["data"],
                  let expected = inner["values"] else {
                Issue.record("no values for \(definition.id)")
                continue
            }
            let values = try PlotData.values(for: definition, series: [PlotSeries(revision: "workspace",
                                                                                  path: "plots.csv", table: table)])
            #expect(PythonJSON.dumps(.array(values.map { .object($0) })) == PythonJSON.dumps(expected), "\(definition.id)")
        }
    }

    static let dataCSV = "a,b,c\n1,10,100\n2,20,200\n3,15,150\n"

    @Test func severalFieldsOfOneFile() throws {
        let plot = PlotDefinition(id: "data.csv", sources: [PlotSource(path: "data.csv", y: ["b", "c"])])
        let table = try PlotData.table(Array(Self.dataCSV.utf8), path: "data.csv")
        let values = try PlotData.values(for: plot, series: [PlotSeries(revision: "workspace", path: "data.csv",
                                                                        table: table)])
        #expect(values.count == 6)
        #expect(PythonJSON.dumps(.object(values[0])) == #"{"a": "1", "b": "10", "c": "100", "dvc_inferred_y_value": "10", "step": 0, "rev": "workspace", "field": "b"}"#)
        #expect(PythonJSON.dumps(.object(values[3])) == #"{"a": "1", "b": "10", "c": "100", "dvc_inferred_y_value": "100", "step": 0, "rev": "workspace", "field": "c"}"#)
    }

    @Test func severalFilesWithX() throws {
        let plot = PlotDefinition(id: "multi", sources: [PlotSource(path: "data.csv", x: "a", y: ["b", "c"]),
                                                         PlotSource(path: "out.json", x: "a", y: ["d"])])
        let csv = try PlotData.table(Array(Self.dataCSV.utf8), path: "data.csv")
        let json = try PlotData.table(Array(#"{"train": [{"a": 1, "d": 0.5, "z": 3}, {"a": 2, "d": 0.25, "z": 4}], "other": 5}"#.utf8),
                                      path: "out.json")
        let values = try PlotData.values(for: plot, series: [PlotSeries(revision: "workspace", path: "data.csv", table: csv),
                                                             PlotSeries(revision: "workspace", path: "out.json", table: json)])
        #expect(Self.dumps(values) == #"[{"a": "1", "b": "10", "c": "100", "dvc_inferred_y_value": "10", "rev": "workspace", "filename::field": "data.csv::b"}, {"a": "2", "b": "20", "c": "200", "dvc_inferred_y_value": "20", "rev": "workspace", "filename::field": "data.csv::b"}, {"a": "3", "b": "15", "c": "150", "dvc_inferred_y_value": "15", "rev": "workspace", "filename::field": "data.csv::b"}, {"a": "1", "b": "10", "c": "100", "dvc_inferred_y_value": "100", "rev": "workspace", "filename::field": "data.csv::c"}, {"a": "2", "b": "20", "c": "200", "dvc_inferred_y_value": "200", "rev": "workspace", "filename::field": "data.csv::c"}, {"a": "3", "b": "15", "c": "150", "dvc_inferred_y_value": "150", "rev": "workspace", "filename::field": "data.csv::c"}, {"a": 1, "d": 0.5, "z": 3, "dvc_inferred_y_value": 0.5, "rev": "workspace", "filename::field": "out.json::d"}, {"a": 2, "d": 0.25, "z": 4, "dvc_inferred_y_value": 0.25, "rev": "workspace", "filename::field": "out.json::d"}]"#)
        let svg = try PlotRenderer.svg(plot, series: [PlotSeries(revision: "workspace", path: "data.csv", table: csv),
                                                      PlotSeries(revision: "workspace", path: "out.json", table: json)])
        #expect(svg.contains(">data.csv::b</text>"))
        #expect(svg.contains(">out.json::d</text>"))
    }

    @Test func confusionValuesHaveNoStep() throws {
        let plot = PlotDefinition(id: "conf.tsv", sources: [PlotSource(path: "conf.tsv", x: "actual", y: ["predicted"])],
                                  templateName: "confusion")
        let table = try PlotData.table(Array("actual\tpredicted\ncat\tdog\n".utf8), path: "conf.tsv")
        let values = try PlotData.values(for: plot, series: [PlotSeries(revision: "workspace", path: "conf.tsv",
                                                                        table: table)])
        #expect(Self.dumps(values) == #"[{"actual": "cat", "predicted": "dog", "rev": "workspace"}]"#)
    }
}
