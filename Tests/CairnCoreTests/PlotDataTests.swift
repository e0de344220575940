import Testing
@testable import CairnCore

struct PlotDataTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func csvKeepsStringsAndQuoting() throws {
        let table = try PlotData.table(Self.bytes("a,b,\"c,d\"\r\n1,\"x \"\"q\"\"\",3\r\n\r\n2,\"multi\nline\",4\n5\n"),
                                       path: "p.csv")
        #expect(table.fields == ["a", "b", "c,d"])
        #expect(table.rows.count == 3)
        #expect(table.rows[0] == ["a": .string("1"), "b": .string("x \"q\""), "c,d": .string("3")])
        #expect(table.rows[1]["b"] == .string("multi\nline"))
        #expect(table.rows[2] == ["a": .string("5"), "b": .null, "c,d": .null])
        #expect(table.rows[0]["a"]?.number == 1)
        #expect(table.rows[0]["b"]?.number == nil)
    }

    @Test func csvWithoutHeaderNumbersColumns() throws {
        let rows = try PlotData.parse(Self.bytes("1,2\n3,4\n"), path: "p.csv", header: false)
        #expect(rows == [["0": .string("1"), "1": .string("2")], ["0": .string("3"), "1": .string("4")]])
    }

    @Test func tsv() throws {
        let table = try PlotData.table(Self.bytes("actual\tpredicted\ncat\tdog\n"), path: "c.TSV")
        #expect(table.fields == ["actual", "predicted"])
        #expect(table.rows == [["actual": .string("cat"), "predicted": .string("dog")]])
    }

    @Test func jsonFindsFirstRecordList() throws {
        let json = #"{"meta": 1, "train": [{"a": 1, "d": 0.5, "n": {"k": true}, "z": 3}, {"a": 2, "d": 0.25, "z": 4, "e": null}]}"#
        let table = try PlotData.table(Self.bytes(json), path: "out.json")
        // Records are not flattened (observed: DVC's default y for such a record is the nested field `n`).
        #expect(table.fields == ["a", "d", "n", "z", "e"])
        #expect(table.rows[0] == ["a": .int(1), "d": .float(0.5), "n": .nested(.object(["k": .bool(true)])),
                                  "z": .int(3)])
        #expect(table.rows[0]["n"]?.text == "{\"k\": true}")
        #expect(table.rows[1]["e"] == .null)
    }

    @Test func jsonSkipsListsOfScalars() throws {
        let rows = try PlotData.parse(Self.bytes(#"{"a": [1, 2, 3], "b": [{"x": 1, "y": 2}]}"#), path: "s.json")
        #expect(rows == [["x": .int(1), "y": .int(2)]])
    }

    @Test func yamlList() throws {
        let rows = try PlotData.parse(Self.bytes("- {q: 1, r: 2}\n- {q: 2, r: five}\n"), path: "l.yaml")
        #expect(rows == [["q": .int(1), "r": .int(2)], ["q": .int(2), "r": .string("five")]])
    }

    @Test func errorsNameTheFile() {
        #expect(throws: FormatError.self) { try PlotData.parse(Self.bytes("{\"a\": 1}"), path: "m.json") }
        do {
            _ = try PlotData.parse(Self.bytes("{\"a\": "), path: "bad.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "bad.json")
            #expect(error.line != nil)
        }
        do {
            _ = try PlotData.parse(Self.bytes("x"), path: "data.txt")
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "data.txt")
            #expect(error.message == "unsupported plot file format")
        }
    }

    @Test func defaultXIsStepAndDefaultYIsLastField() throws {
        let table = try PlotData.table(Self.bytes("a,b,c\n1,10,100\n2,20,200\n"), path: "data.csv")
        let plot = PlotDefinition(id: "data.csv", sources: [PlotSource(path: "data.csv")])
        let lines = try PlotData.lines(for: plot, series: [PlotSeries(revision: "workspace", path: "data.csv",
                                                                      table: table)])
        #expect(lines.count == 1)
        #expect(lines[0].field == "c")
        #expect(lines[0].label == "data.csv::c")
        #expect(lines[0].points == [PlotPoint(x: .int(0), y: .string("100")), PlotPoint(x: .int(1), y: .string("200"))])
    }

    @Test func missingFieldIsAnErrorNamingFileAndField() throws {
        let table = try PlotData.table(Self.bytes("a,b,c\n1,10,100\n"), path: "bad.csv")
        let plot = PlotDefinition(id: "bad.csv", sources: [PlotSource(path: "bad.csv", y: ["nope"])])
        do {
            _ = try PlotData.lines(for: plot, series: [PlotSeries(revision: "workspace", path: "bad.csv", table: table)])
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "bad.csv")
            #expect(error.message
                == "In 'workspace', could not find provided field ('nope') in data fields ('a, b, c').")
            #expect(error.hint?.contains("dvc.yaml") == true)
        }
    }

    @Test func valueText() {
        #expect(PlotValue.float(0.1).text == "0.1")
        #expect(PlotValue.float(2).text == "2.0")
        #expect(PlotValue.int(3).jsonValue == .int(3))
        #expect(PlotValue.string(" 2.5 ").number == 2.5)
        #expect(PlotValue.string("nan").number == nil)
        #expect(PlotValue.string("0x10").number == nil)
        #expect(PlotValue.string("1e3").number == 1000)
    }
}
