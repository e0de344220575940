import Testing
@testable import CairnCore

struct PlotRendererTests {
    static func table(_ text: String, path: String = "data.csv") throws -> PlotTable {
        try PlotData.table(Array(text.utf8), path: path)
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    static let lossCSV = "epoch,loss\n1,0.5\n2,0.3\n3,0.25\n"
    static let lossCSV2 = "epoch,loss\n1,0.6\n2,0.4\n3,0.2\n4,0.1\n"

    static func lossPlot(template: String = "linear") -> PlotDefinition {
        PlotDefinition(id: "dvc.yaml::plots.csv", sources: [PlotSource(path: "plots.csv", x: "epoch", y: ["loss"])],
                       templateName: template, title: "Loss <&>")
    }

    static func twoRevisions() throws -> [PlotSeries] {
        [PlotSeries(revision: "workspace", path: "plots.csv", table: try table(lossCSV)),
         PlotSeries(revision: "HEAD", path: "plots.csv", table: try table(lossCSV2))]
    }

    @Test func lineHasAxesTicksOnePathPerRevisionAndLegend() throws {
        let svg = try PlotRenderer.svg(Self.lossPlot(), series: try Self.twoRevisions())
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("<title>Loss &lt;&amp;&gt;</title>"))
        #expect(svg.contains("class=\"axis x-axis\""))
        #expect(svg.contains("class=\"axis y-axis\""))
        #expect(Self.count("class=\"tick\"", in: svg) >= 6)
        #expect(svg.contains(">epoch</text>"))
        #expect(svg.contains(">loss</text>"))
        #expect(Self.count("<path ", in: svg) == 2)
        #expect(svg.contains("<path class=\"line\" data-revision=\"workspace\""))
        #expect(svg.contains("<path class=\"line\" data-revision=\"HEAD\""))
        #expect(svg.contains("stroke=\"#945dd6\""))
        #expect(svg.contains("stroke=\"#13adc7\""))
        #expect(svg.contains("class=\"legend-item\""))
        #expect(svg.contains(">workspace</text>"))
        #expect(svg.contains(">HEAD</text>"))
        #expect(!svg.contains("<script"))
        // x ticks 1…4 in steps of 0.5, y ticks 0.1…0.6 in steps of 0.1: labels printed at the step's precision.
        #expect(svg.contains(">0.5</text>"))
        #expect(svg.contains(">0.1</text>"))
        #expect(svg == (try PlotRenderer.svg(Self.lossPlot(), series: try Self.twoRevisions())))
    }

    @Test func tupleOverloadUsesTheFirstSource() throws {
        let svg = try PlotRenderer.svg(Self.lossPlot(), series: [(revision: "workspace", rows: try Self.table(Self.lossCSV))])
        #expect(Self.count("<path ", in: svg) == 1)
    }

    @Test func pathCoordinatesFollowTheData() throws {
        // y domain 0.25…0.5 → nice 0.25…0.5 (step 0.05); first point (1, 0.5) is top-left of the plot area.
        let svg = try PlotRenderer.svg(Self.lossPlot(template: "simple"),
                                       series: [(revision: "workspace", rows: try Self.table(Self.lossCSV))])
        #expect(svg.contains("d=\"M0,0 L180,192 L360,240\""))
    }

    @Test func everyTemplateRenders() throws {
        let series = try Self.twoRevisions()
        for template in PlotTemplate.allCases {
            let svg = try PlotRenderer.svg(Self.lossPlot(template: template.rawValue), series: series)
            #expect(svg.contains("data-template=\"\(template.rawValue)\""), "\(template)")
            #expect(svg.contains(">workspace</text>"), "\(template)")
            #expect(svg.contains(">HEAD</text>"), "\(template)")
            #expect(svg == (try PlotRenderer.svg(Self.lossPlot(template: template.rawValue), series: series)))
        }
    }

    @Test func scatterAndJitterDrawOnePointPerRow() throws {
        let series = try Self.twoRevisions()
        let scatter = try PlotRenderer.svg(Self.lossPlot(template: "scatter"), series: series)
        #expect(Self.count("<circle class=\"point\"", in: scatter) == 7)
        let jitter = try PlotRenderer.svg(Self.lossPlot(template: "scatter_jitter"), series: series)
        #expect(Self.count("<circle class=\"point\"", in: jitter) == 7)
        #expect(jitter != scatter.replacingOccurrences(of: "scatter", with: "scatter_jitter"))
    }

    @Test func smoothDrawsRawAndAveragedLines() throws {
        let svg = try PlotRenderer.svg(Self.lossPlot(template: "smooth"), series: try Self.twoRevisions())
        #expect(Self.count("<path ", in: svg) == 2)
        #expect(Self.count("<polyline class=\"raw\"", in: svg) == 2)
    }

    @Test func confusionCountsPairs() throws {
        let tsv = "actual\tpredicted\ncat\tdog\ncat\tcat\ndog\tdog\ncat\tcat\n"
        let plot = PlotDefinition(id: "conf.tsv", sources: [PlotSource(path: "conf.tsv", x: "actual", y: ["predicted"])],
                                  templateName: "confusion")
        let series = [PlotSeries(revision: "workspace", path: "conf.tsv", table: try Self.table(tsv, path: "conf.tsv"))]
        let svg = try PlotRenderer.svg(plot, series: series)
        #expect(Self.count("<rect class=\"cell\"", in: svg) == 4)
        let counts = svg.components(separatedBy: "<text class=\"count\"").dropFirst().map {
            String($0.split(separator: ">", maxSplits: 1)[1].prefix { $0 != "<" })
        }
        // Columns actual (cat, dog), rows predicted (cat, dog).
        #expect(counts == ["2", "1", "0", "1"])
        #expect(svg.contains(">actual</text>"))
        #expect(svg.contains(">predicted</text>"))
        var normalized = plot
        normalized.templateName = "confusion_normalized"
        let svgN = try PlotRenderer.svg(normalized, series: series)
        let fractions = svgN.components(separatedBy: "<text class=\"count\"").dropFirst().map {
            String($0.split(separator: ">", maxSplits: 1)[1].prefix { $0 != "<" })
        }
        #expect(fractions == ["0.67", "0.33", "0.00", "1.00"])
    }

    @Test func confusionDrawsOnePanelPerRevision() throws {
        let tsv = "actual\tpredicted\ncat\tdog\n"
        let plot = PlotDefinition(id: "c.tsv", sources: [PlotSource(path: "c.tsv", x: "actual", y: ["predicted"])],
                                  templateName: "confusion")
        let table = try Self.table(tsv, path: "c.tsv")
        let svg = try PlotRenderer.svg(plot, series: [PlotSeries(revision: "a", path: "c.tsv", table: table),
                                                      PlotSeries(revision: "b", path: "c.tsv", table: table)])
        #expect(Self.count("<g class=\"confusion\"", in: svg) == 2)
    }

    @Test func sortedBarsAreOrderedByLength() throws {
        let csv = "name,value\nlow,1\nhigh,9\nmid,5\n"
        let plot = PlotDefinition(id: "b.csv", sources: [PlotSource(path: "b.csv", x: "value", y: ["name"])],
                                  templateName: "bar_horizontal_sorted")
        let svg = try PlotRenderer.svg(plot, series: [(revision: "workspace", rows: try Self.table(csv, path: "b.csv"))])
        #expect(Self.count("<rect class=\"bar\"", in: svg) == 3)
        let high = try #require(svg.range(of: ">high</text>")).lowerBound
        let mid = try #require(svg.range(of: ">mid</text>")).lowerBound
        let low = try #require(svg.range(of: ">low</text>")).lowerBound
        #expect(high < mid && mid < low)
    }

    @Test func severalFieldsGetDashesAndLegendEntries() throws {
        let plot = PlotDefinition(id: "multi", sources: [PlotSource(path: "data.csv", x: "a", y: ["b", "c"])])
        let svg = try PlotRenderer.svg(plot, series: [(revision: "workspace",
                                                       rows: try Self.table("a,b,c\n1,10,100\n2,20,200\n"))])
        #expect(Self.count("<path ", in: svg) == 2)
        #expect(svg.contains(">b</text>"))
        #expect(svg.contains(">c</text>"))
        #expect(svg.contains("stroke-dasharray=\"8,8\""))
        #expect(svg.contains(">y</text>"))
    }

    @Test func categoricalXAndMissingField() throws {
        let plot = PlotDefinition(id: "d.csv", sources: [PlotSource(path: "d.csv", x: "name", y: ["v"])])
        let svg = try PlotRenderer.svg(plot, series: [(revision: "w", rows: try Self.table("name,v\na,1\nb,2\n"))])
        #expect(svg.contains(">a</text>"))
        #expect(svg.contains(">b</text>"))
        let bad = PlotDefinition(id: "d.csv", sources: [PlotSource(path: "d.csv", y: ["nope"])])
        #expect(throws: FormatError.self) {
            try PlotRenderer.svg(bad, series: [(revision: "w", rows: try Self.table("name,v\na,1\n"))])
        }
    }

    @Test func emptyDataStillRenders() throws {
        let svg = try PlotRenderer.svg(Self.lossPlot(), series: [(revision: "w", rows: try Self.table("epoch,loss\n"))])
        #expect(svg.contains("</svg>"))
    }

    @Test func pageIsSelfContained() throws {
        let svg = try PlotRenderer.svg(Self.lossPlot(), series: try Self.twoRevisions())
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47]
        let html = PlotsPage.html(title: "DVC Plot", plots: [(id: "dvc.yaml::plots.csv", svg: svg)],
                                  images: [PlotImage(id: "roc.png", revision: "workspace", path: "roc.png", bytes: png),
                                           PlotImage(id: "roc.png", revision: "HEAD", path: "roc.png", bytes: png)])
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<style>"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") || !html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
            .contains("http"))
        #expect(html.contains(svg))
        #expect(html.contains("<img src=\"data:image/png;base64,iVBORw==\" alt=\"workspace\">"))
        #expect(Self.count("<figure>", in: html) == 2)
        #expect(PlotImage(id: "a", revision: "w", path: "a.svg", bytes: []).mimeType == "image/svg+xml")
        #expect(PlotImage(id: "a", revision: "w", path: "a.JPG", bytes: []).mimeType == "image/jpeg")
    }
}

struct PlotRendererScaleTests {
    @Test func bigFilesParseAndRender() throws {
        var csv = "step,loss,label\n"
        for index in 0..<50_000 { csv += "\(index),\(Double(index % 97) / 97),c\(index % 50)\n" }
        let table = try PlotData.table(Array(csv.utf8), path: "big.csv")
        #expect(table.rows.count == 50_000)
        let line = PlotDefinition(id: "big.csv", sources: [PlotSource(path: "big.csv", x: "step", y: ["loss"])])
        let svg = try PlotRenderer.svg(line, series: [(revision: "workspace", rows: table)])
        #expect(svg.contains("<path "))
        let categorical = PlotDefinition(id: "big.csv", sources: [PlotSource(path: "big.csv", x: "label", y: ["loss"])],
                                         templateName: "scatter")
        let scatter = try PlotRenderer.svg(categorical, series: [(revision: "workspace", rows: table)])
        #expect(scatter.contains(">c49</text>"))
    }
}
