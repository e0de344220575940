/// Draws plot definitions as self-contained, deterministic SVG (no scripts, no external references).
public enum PlotRenderer {
    /// One colour per revision, in order of appearance (DVC's palette; cycles after the last).
    public static let palette = ["#945dd6", "#13adc7", "#f46837", "#48bb78", "#4299e1", "#ed8936", "#f56565"]
    /// Dash patterns telling several `file::field` lines of one revision apart (first is solid).
    public static let dashes = ["", "8,8", "8,4", "4,4", "4,2", "1,1", "12,4,2,4"]

    /// Renders a plot from the revisions' data (several files per revision allowed).
    public static func svg(_ plot: PlotDefinition, series: [PlotSeries]) throws(FormatError) -> String {
        let lines = try PlotData.lines(for: plot, series: series)
        var revisions: [String] = []
        for item in series where !revisions.contains(item.revision) { revisions.append(item.revision) }
        var canvas = Canvas(plot: plot, revisions: revisions, lines: lines)
        switch plot.template {
        case .linear, .simple, .smooth: canvas.drawLines()
        case .scatter, .scatterJitter: canvas.drawScatter()
        case .confusion, .confusionNormalized: canvas.drawConfusion()
        case .barHorizontal, .barHorizontalSorted: canvas.drawBars()
        }
        return canvas.finish()
    }

    /// Renders a single-file plot from `(revision, table)` pairs (the table belongs to the first source).
    public static func svg(_ plot: PlotDefinition, series: [(revision: String, rows: PlotTable)]) throws(FormatError)
        -> String {
        let path = plot.sources.first?.path ?? plot.id
        return try svg(plot, series: series.map { PlotSeries(revision: $0.revision, path: path, table: $0.rows) })
    }

    /// The colour of the n-th revision.
    public static func colour(_ index: Int) -> String { palette[index % palette.count] }
}

// MARK: - Drawing

private let plotWidth = 360.0
private let plotHeight = 240.0
private let marginLeft = 70.0
private let marginTop = 40.0
private let marginBottom = 50.0
private let legendWidth = 170.0
// Room for the next confusion panel's category labels.
private let panelGap = 80.0

private struct Canvas {
    let plot: PlotDefinition
    let revisions: [String]
    let lines: [PlotLine]
    let labels: [String]
    let multiFile: Bool
    var body = ""
    var areaWidth = plotWidth
    var areaHeight = plotHeight

    init(plot: PlotDefinition, revisions: [String], lines: [PlotLine]) {
        self.plot = plot
        self.revisions = revisions
        self.lines = lines
        // DVC names the lines `field` when they come from one file and `file::field` across files.
        var paths: Set<String> = []
        for line in lines { paths.insert(line.path) }
        var labels: [String] = []
        for line in lines {
            let label = paths.count > 1 ? line.label : line.field
            if !labels.contains(label) { labels.append(label) }
        }
        self.labels = labels
        self.multiFile = paths.count > 1
    }

    var xTitle: String {
        plot.xLabel ?? plot.sources.lazy.compactMap(\.x).first ?? "step"
    }

    var yTitle: String {
        if let label = plot.yLabel { return label }
        var fields: [String] = []
        for line in lines where !fields.contains(line.field) { fields.append(line.field) }
        return fields.count == 1 ? fields[0] : "y"
    }

    func colour(of revision: String) -> String {
        PlotRenderer.colour(revisions.firstIndex(of: revision) ?? 0)
    }

    func dash(of line: PlotLine) -> String {
        let index = labels.firstIndex(of: multiFile ? line.label : line.field) ?? 0
        return PlotRenderer.dashes[index % PlotRenderer.dashes.count]
    }

    // MARK: lines and scatter

    mutating func drawLines() {
        let (xScale, yScale) = scales()
        drawAxes(x: xScale, y: yScale)
        body += "<g class=\"marks\">\n"
        for line in lines {
            let points = sortedPoints(line, x: xScale, y: yScale)
            let colour = colour(of: line.revision)
            let dashAttribute = dash(of: line).isEmpty ? "" : " stroke-dasharray=\"\(dash(of: line))\""
            let drawn: [(Double, Double)]
            if plot.template == .smooth {
                let raw = points.map { "\(format($0.0)),\(format($0.1))" }.joined(separator: " ")
                body += "<polyline class=\"raw\" points=\"\(raw)\" fill=\"none\" stroke=\"\(colour)\" "
                    + "stroke-opacity=\"0.2\"\(dashAttribute)/>\n"
                drawn = movingAverage(points)
            } else {
                drawn = points
            }
            var d = ""
            for (index, point) in drawn.enumerated() {
                d += (index == 0 ? "M" : " L") + "\(format(point.0)),\(format(point.1))"
            }
            body += "<path class=\"line\" data-revision=\"\(xmlEscape(line.revision))\" "
                + "data-field=\"\(xmlEscape(line.label))\" d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" "
                + "stroke-width=\"1.5\"\(dashAttribute)/>\n"
            if plot.template == .linear, let last = points.last {
                body += "<circle cx=\"\(format(last.0))\" cy=\"\(format(last.1))\" r=\"2.5\" fill=\"\(colour)\"/>\n"
            }
        }
        body += "</g>\n"
        drawLegend()
    }

    mutating func drawScatter() {
        let (xScale, yScale) = scales()
        drawAxes(x: xScale, y: yScale)
        body += "<g class=\"marks\">\n"
        for (lineIndex, line) in lines.enumerated() {
            let colour = colour(of: line.revision)
            for (index, point) in line.points.enumerated() {
                guard var x = xScale.position(point.x), var y = yScale.position(point.y) else { continue }
                if plot.template == .scatterJitter {
                    // Deterministic jitter: a hash of (line, row) spread over part of a band (or 8 px).
                    let seed = UInt64(lineIndex) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index)
                    x += jitter(seed, spread: xScale.jitterSpread)
                    y += jitter(seed ^ 0xD1B5_4A32_D192_ED03, spread: yScale.jitterSpread)
                }
                body += "<circle class=\"point\" data-revision=\"\(xmlEscape(line.revision))\" cx=\"\(format(x))\" "
                    + "cy=\"\(format(y))\" r=\"3\" fill=\"\(colour)\" fill-opacity=\"0.7\"/>\n"
            }
        }
        body += "</g>\n"
        drawLegend()
    }

    func sortedPoints(_ line: PlotLine, x: Scale, y: Scale) -> [(Double, Double)] {
        var points: [(Double, Double)] = []
        points.reserveCapacity(line.points.count)
        for point in line.points {
            if let px = x.position(point.x), let py = y.position(point.y) { points.append((px, py)) }
        }
        if case .linear = x.kind {
            // Vega-Lite draws a line in x order; a stable sort keeps the file order of equal x values.
            points = points.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
                .map(\.element)
        }
        return points
    }

    func movingAverage(_ points: [(Double, Double)]) -> [(Double, Double)] {
        let window = 5
        guard points.count > 2 else { return points }
        var result: [(Double, Double)] = []
        result.reserveCapacity(points.count)
        var sum = 0.0
        for (index, point) in points.enumerated() {
            sum += point.1
            if index >= window { sum -= points[index - window].1 }
            result.append((point.0, sum / Double(min(index + 1, window))))
        }
        return result
    }

    func scales() -> (Scale, Scale) {
        let xs = lines.flatMap { $0.points.map(\.x) }
        let ys = lines.flatMap { $0.points.map(\.y) }
        return (Scale(values: xs, range: (0, areaWidth), vertical: false),
                Scale(values: ys, range: (areaHeight, 0), vertical: true))
    }

    // MARK: confusion

    mutating func drawConfusion() {
        let normalized = plot.template == .confusionNormalized
        var xCategories: [String] = []
        var yCategories: [String] = []
        var seenX: Set<String> = []
        var seenY: Set<String> = []
        for line in lines {
            for point in line.points {
                if seenX.insert(point.x.text).inserted { xCategories.append(point.x.text) }
                if seenY.insert(point.y.text).inserted { yCategories.append(point.y.text) }
            }
        }
        xCategories.sort(by: categoryOrder)
        yCategories.sort(by: categoryOrder)
        let panels = revisions.isEmpty ? [""] : revisions
        let cellWidth = plotWidth / Double(max(xCategories.count, 1))
        let cellHeight = plotHeight / Double(max(yCategories.count, 1))
        areaWidth = plotWidth * Double(panels.count) + panelGap * Double(panels.count - 1)
        for (panelIndex, revision) in panels.enumerated() {
            let originX = Double(panelIndex) * (plotWidth + panelGap)
            var counts: [String: [String: Int]] = [:]
            for line in lines where line.revision == revision {
                for point in line.points { counts[point.x.text, default: [:]][point.y.text, default: 0] += 1 }
            }
            let maxCount = counts.values.flatMap(\.values).max() ?? 0
            body += "<g class=\"confusion\" data-revision=\"\(xmlEscape(revision))\" "
                + "transform=\"translate(\(format(originX)),0)\">\n"
            if panels.count > 1 {
                body += "<text class=\"panel-title\" x=\"\(format(plotWidth / 2))\" y=\"-6\" "
                    + "text-anchor=\"middle\">\(xmlEscape(revision))</text>\n"
            }
            for (column, actual) in xCategories.enumerated() {
                let total = counts[actual]?.values.reduce(0, +) ?? 0
                for (row, predicted) in yCategories.enumerated() {
                    let count = counts[actual]?[predicted] ?? 0
                    let value = normalized ? (total == 0 ? 0 : Double(count) / Double(total)) : Double(count)
                    let strength = normalized ? value : (maxCount == 0 ? 0 : Double(count) / Double(maxCount))
                    let x = Double(column) * cellWidth
                    let y = Double(row) * cellHeight
                    let text = normalized ? fixed(value, decimals: 2) : String(count)
                    body += "<rect class=\"cell\" x=\"\(format(x))\" y=\"\(format(y))\" width=\"\(format(cellWidth))\" "
                        + "height=\"\(format(cellHeight))\" fill=\"\(colour(of: revision))\" "
                        + "fill-opacity=\"\(fixed(0.05 + 0.95 * strength, decimals: 3))\" stroke=\"#ffffff\"/>\n"
                    body += "<text class=\"count\" x=\"\(format(x + cellWidth / 2))\" "
                        + "y=\"\(format(y + cellHeight / 2 + 4))\" text-anchor=\"middle\" "
                        + "fill=\"\(strength > 0.5 ? "#ffffff" : "#222222")\">\(text)</text>\n"
                }
            }
            drawCategoricalAxes(x: xCategories, y: yCategories, cellWidth: cellWidth, cellHeight: cellHeight)
            body += "</g>\n"
        }
        drawAxisTitles()
        drawLegend()
    }

    mutating func drawCategoricalAxes(x: [String], y: [String], cellWidth: Double, cellHeight: Double) {
        body += "<g class=\"axis x-axis\">\n<line x1=\"0\" y1=\"\(format(plotHeight))\" x2=\"\(format(plotWidth))\" "
            + "y2=\"\(format(plotHeight))\" stroke=\"#888888\"/>\n"
        for (index, name) in x.enumerated() {
            let position = (Double(index) + 0.5) * cellWidth
            body += tick(x: position, y: plotHeight, horizontal: true, label: name)
        }
        body += "</g>\n<g class=\"axis y-axis\">\n<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"\(format(plotHeight))\" "
            + "stroke=\"#888888\"/>\n"
        for (index, name) in y.enumerated() {
            let position = (Double(index) + 0.5) * cellHeight
            body += tick(x: 0, y: position, horizontal: false, label: name)
        }
        body += "</g>\n"
    }

    // MARK: bars

    mutating func drawBars() {
        // DVC's horizontal bars: the y field names the bar, the x field is its length.
        var categories: [String] = []
        var seen: Set<String> = []
        var maxValue = 0.0
        var minValue = 0.0
        for line in lines {
            for point in line.points {
                if seen.insert(point.y.text).inserted { categories.append(point.y.text) }
                if let value = point.x.number {
                    maxValue = max(maxValue, value)
                    minValue = min(minValue, value)
                }
            }
        }
        if plot.template == .barHorizontalSorted, let first = lines.first {
            var length: [String: Double] = [:]
            for point in first.points { length[point.y.text] = point.x.number ?? 0 }
            categories = categories.enumerated().sorted {
                let left = length[$0.element] ?? 0, right = length[$1.element] ?? 0
                return left != right ? left > right : $0.offset < $1.offset
            }.map(\.element)
        }
        let scale = Scale(numericFrom: minValue, to: maxValue, range: (0, areaWidth), vertical: false)
        let band = plotHeight / Double(max(categories.count, 1))
        let groups = max(lines.count, 1)
        let barHeight = band * 0.8 / Double(groups)
        drawNumericXAxis(scale)
        body += "<g class=\"axis y-axis\">\n<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"\(format(plotHeight))\" "
            + "stroke=\"#888888\"/>\n"
        for (index, name) in categories.enumerated() {
            body += tick(x: 0, y: (Double(index) + 0.5) * band, horizontal: false, label: name)
        }
        body += "</g>\n<g class=\"marks\">\n"
        let zero = scale.position(.float(0)) ?? 0
        var rowOf: [String: Int] = [:]
        for (row, name) in categories.enumerated() { rowOf[name] = row }
        for (lineIndex, line) in lines.enumerated() {
            for point in line.points {
                guard let row = rowOf[point.y.text], let end = scale.position(point.x) else {
                    continue
                }
                let y = Double(row) * band + band * 0.1 + Double(lineIndex) * barHeight
                body += "<rect class=\"bar\" data-revision=\"\(xmlEscape(line.revision))\" "
                    + "x=\"\(format(min(zero, end)))\" "
                    + "y=\"\(format(y))\" width=\"\(format(abs(end - zero)))\" height=\"\(format(barHeight))\" "
                    + "fill=\"\(colour(of: line.revision))\"/>\n"
            }
        }
        body += "</g>\n"
        drawAxisTitles()
        drawLegend()
    }

    // MARK: axes, legend, document

    mutating func drawAxes(x: Scale, y: Scale) {
        body += "<g class=\"axis x-axis\">\n<line x1=\"0\" y1=\"\(format(plotHeight))\" x2=\"\(format(areaWidth))\" "
            + "y2=\"\(format(plotHeight))\" stroke=\"#888888\"/>\n"
        for (position, label) in x.ticks() { body += tick(x: position, y: plotHeight, horizontal: true, label: label) }
        body += "</g>\n<g class=\"axis y-axis\">\n<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"\(format(plotHeight))\" "
            + "stroke=\"#888888\"/>\n"
        for (position, label) in y.ticks() { body += tick(x: 0, y: position, horizontal: false, label: label) }
        body += "</g>\n"
        drawAxisTitles()
    }

    mutating func drawNumericXAxis(_ scale: Scale) {
        body += "<g class=\"axis x-axis\">\n<line x1=\"0\" y1=\"\(format(plotHeight))\" x2=\"\(format(areaWidth))\" "
            + "y2=\"\(format(plotHeight))\" stroke=\"#888888\"/>\n"
        for (position, label) in scale.ticks() {
            body += tick(x: position, y: plotHeight, horizontal: true, label: label)
        }
        body += "</g>\n"
    }

    mutating func drawAxisTitles() {
        body += "<text class=\"axis-title x-title\" x=\"\(format(areaWidth / 2))\" y=\"\(format(plotHeight + 40))\" "
            + "text-anchor=\"middle\">\(xmlEscape(xTitle))</text>\n"
        body += "<text class=\"axis-title y-title\" x=\"\(format(-plotHeight / 2))\" y=\"-52\" "
            + "transform=\"rotate(-90)\" text-anchor=\"middle\">\(xmlEscape(yTitle))</text>\n"
    }

    func tick(x: Double, y: Double, horizontal: Bool, label: String) -> String {
        let shown = xmlEscape(label.count > 14 ? String(label.prefix(13)) + "…" : label)
        if horizontal {
            return "<g class=\"tick\"><line x1=\"\(format(x))\" y1=\"\(format(y))\" x2=\"\(format(x))\" "
                + "y2=\"\(format(y + 5))\" stroke=\"#888888\"/><text x=\"\(format(x))\" y=\"\(format(y + 17))\" "
                + "text-anchor=\"middle\">\(shown)</text></g>\n"
        }
        return "<g class=\"tick\"><line x1=\"\(format(x - 5))\" y1=\"\(format(y))\" x2=\"\(format(x))\" "
            + "y2=\"\(format(y))\" stroke=\"#888888\"/><text x=\"\(format(x - 8))\" y=\"\(format(y + 4))\" "
            + "text-anchor=\"end\">\(shown)</text></g>\n"
    }

    mutating func drawLegend() {
        let left = areaWidth + 20
        var y = 0.0
        body += "<g class=\"legend\" transform=\"translate(\(format(left)),0)\">\n"
        for (index, revision) in revisions.enumerated() {
            body += "<g class=\"legend-item\"><rect x=\"0\" y=\"\(format(y))\" width=\"12\" height=\"12\" "
                + "fill=\"\(PlotRenderer.colour(index))\"/><text x=\"18\" y=\"\(format(y + 10))\">"
                + "\(xmlEscape(revision))</text></g>\n"
            y += 18
        }
        if labels.count > 1, plot.template.isLine {
            y += 6
            for (index, label) in labels.enumerated() {
                let dash = PlotRenderer.dashes[index % PlotRenderer.dashes.count]
                let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
                body += "<g class=\"legend-item field\"><line x1=\"0\" y1=\"\(format(y + 6))\" x2=\"14\" "
                    + "y2=\"\(format(y + 6))\" stroke=\"#888888\" stroke-width=\"1.5\"\(dashAttribute)/>"
                    + "<text x=\"18\" y=\"\(format(y + 10))\">\(xmlEscape(label))</text></g>\n"
                y += 18
            }
        }
        body += "</g>\n"
        legendHeight = y
    }

    var legendHeight = 0.0

    func finish() -> String {
        let width = marginLeft + areaWidth + 20 + legendWidth
        let height = max(marginTop + plotHeight + marginBottom, marginTop + legendHeight + 10)
        let title = xmlEscape(plot.displayTitle)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" width=\"\(format(width))\" "
            + "height=\"\(format(height))\" viewBox=\"0 0 \(format(width)) \(format(height))\" "
            + "font-family=\"sans-serif\" font-size=\"11\" data-template=\"\(plot.template.rawValue)\">\n"
            + "<title>\(title)</title>\n"
            + "<text class=\"title\" x=\"\(format(marginLeft + areaWidth / 2))\" y=\"22\" text-anchor=\"middle\" "
            + "font-size=\"14\" font-weight=\"bold\">\(title)</text>\n"
            + "<g transform=\"translate(\(format(marginLeft)),\(format(marginTop)))\">\n"
            + body + "</g>\n</svg>\n"
    }
}

// Categories sort numerically when both parse as numbers, otherwise by code point, so output is stable.
private func categoryOrder(_ left: String, _ right: String) -> Bool {
    if let a = PlotValue.string(left).number, let b = PlotValue.string(right).number, a != b { return a < b }
    return Array(left.utf8).lexicographicallyPrecedes(Array(right.utf8))
}

private func jitter(_ seed: UInt64, spread: Double) -> Double {
    var z = seed &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    let unit = Double(z >> 11) / Double(1 << 53)
    return (unit - 0.5) * spread
}

// MARK: - Scales

private struct Scale {
    enum Kind {
        case linear(low: Double, high: Double, step: Double)
        case band([String])
    }

    let kind: Kind
    let range: (Double, Double)
    let bandIndex: [String: Int]

    /// A numeric scale when every non-null value is a number, else a categorical one in order of appearance.
    init(kind: Kind, range: (Double, Double)) {
        self.kind = kind
        self.range = range
        if case .band(let categories) = kind {
            // Position lookups happen once per point: index the categories instead of scanning them.
            var index: [String: Int] = [:]
            index.reserveCapacity(categories.count)
            for (position, name) in categories.enumerated() where index[name] == nil { index[name] = position }
            bandIndex = index
        } else {
            bandIndex = [:]
        }
    }

    /// A numeric scale when every non-null value is a number, else a categorical one in order of appearance.
    init(values: [PlotValue], range: (Double, Double), vertical: Bool) {
        var low = Double.infinity, high = -Double.infinity
        var allNumeric = true
        for value in values {
            if case .null = value { continue }
            guard let number = value.number else { allNumeric = false; break }
            low = min(low, number)
            high = max(high, number)
        }
        if allNumeric {
            self.init(numericFrom: low.isFinite ? low : 0, to: high.isFinite ? high : 1, range: range,
                      vertical: vertical)
            return
        }
        var categories: [String] = []
        var seen: Set<String> = []
        for value in values {
            if case .null = value { continue }
            if seen.insert(value.text).inserted { categories.append(value.text) }
        }
        self.init(kind: .band(categories), range: range)
    }

    init(numericFrom low: Double, to high: Double, range: (Double, Double), vertical _: Bool) {
        var low = low, high = high
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let step = niceStep((high - low) / 5)
        self.init(kind: .linear(low: (low / step).rounded(.down) * step, high: (high / step).rounded(.up) * step,
                                step: step), range: range)
    }

    func position(_ value: PlotValue) -> Double? {
        switch kind {
        case .linear(let low, let high, _):
            guard let number = value.number else { return nil }
            return range.0 + (number - low) / (high - low) * (range.1 - range.0)
        case .band(let categories):
            guard let index = bandIndex[value.text] else { return nil }
            let width = (range.1 - range.0) / Double(categories.count)
            return range.0 + (Double(index) + 0.5) * width
        }
    }

    var jitterSpread: Double {
        switch kind {
        case .linear: return 8
        case .band(let categories): return abs(range.1 - range.0) / Double(max(categories.count, 1)) * 0.6
        }
    }

    func ticks() -> [(Double, String)] {
        switch kind {
        case .linear(let low, let high, let step):
            let decimals = decimalsOf(step)
            var result: [(Double, String)] = []
            var index = 0.0
            while low + index * step <= high + step * 1e-9 {
                let value = low + index * step
                let text = fixed(value, decimals: decimals)
                result.append((position(.float(value)) ?? 0, text == "-0" ? "0" : text))
                index += 1
            }
            return result
        case .band(let categories):
            return categories.map { (position(.string($0)) ?? 0, $0) }
        }
    }
}

private func niceStep(_ rough: Double) -> Double {
    guard rough > 0, rough.isFinite else { return 1 }
    let magnitude = pow10(Int((log10Approx(rough)).rounded(.down)))
    let fraction = rough / magnitude
    let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
    return nice * magnitude
}

private func log10Approx(_ value: Double) -> Double {
    var exponent = 0.0
    var rest = value
    while rest >= 10 { rest /= 10; exponent += 1 }
    while rest < 1 { rest *= 10; exponent -= 1 }
    return exponent
}

private func pow10(_ exponent: Int) -> Double {
    var result = 1.0
    if exponent >= 0 { for _ in 0..<exponent { result *= 10 } } else { for _ in 0..<(-exponent) { result /= 10 } }
    return result
}

private func decimalsOf(_ step: Double) -> Int {
    var decimals = 0
    var scaled = step
    while decimals < 12, abs(scaled - scaled.rounded()) > 1e-9 * max(1, abs(scaled)) {
        scaled *= 10
        decimals += 1
    }
    return decimals
}

/// `value` with exactly `decimals` fraction digits (half away from zero), built without Foundation formatting.
private func fixed(_ value: Double, decimals: Int) -> String {
    let factor = pow10(decimals)
    let scaled = (abs(value) * factor).rounded()
    guard scaled < 9e15 else { return String(value) }
    let units = Int(scaled)
    let divisor = Int(factor)
    let whole = units / divisor
    var text = (value < 0 && units != 0 ? "-" : "") + String(whole)
    if decimals > 0 {
        let fraction = String(units % divisor)
        text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
    return text
}

/// A coordinate with at most two decimals and no trailing zeros.
private func format(_ value: Double) -> String {
    var text = fixed(value, decimals: 2)
    if text.contains(".") {
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text
}

/// Text escaped for XML/HTML content and attribute values.
internal func xmlEscape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text.unicodeScalars {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&#39;"
        default: result.unicodeScalars.append(character)
        }
    }
    return result
}
