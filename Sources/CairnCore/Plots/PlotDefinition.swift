/// One of DVC's built-in plot templates (`dvc plots templates`).
public enum PlotTemplate: String, Sendable, Equatable, CaseIterable {
    /// Lines with the last point marked (the default).
    case linear
    /// Plain lines.
    case simple
    /// Points.
    case scatter
    /// Points jittered (deterministically) so equal values stay visible.
    case scatterJitter = "scatter_jitter"
    /// Faint raw lines under a moving average.
    case smooth
    /// Heat-map grid of (x = actual, y = predicted) counts.
    case confusion
    /// Confusion grid with each actual class's counts divided by its total.
    case confusionNormalized = "confusion_normalized"
    /// Horizontal bars: y names the bar, x is its length.
    case barHorizontal = "bar_horizontal"
    /// Horizontal bars, longest first.
    case barHorizontalSorted = "bar_horizontal_sorted"

    /// The template for a `template:` value; names of custom templates (paths, unknown names) fall back to `linear`.
    public init(name: String?) {
        guard let name else { self = .linear; return }
        var bare = name
        // DVC accepts `confusion.json` and paths like `.dvc/plots/confusion.json` for the built-ins.
        if let slash = bare.lastIndex(of: "/") { bare = String(bare[bare.index(after: slash)...]) }
        if bare.hasSuffix(".json") { bare.removeLast(5) }
        self = PlotTemplate(rawValue: bare) ?? .linear
    }

    /// Whether the template draws one line per series.
    public var isLine: Bool { self == .linear || self == .simple || self == .smooth }
}

/// One data file of a plot and the fields drawn from it.
public struct PlotSource: Sendable, Equatable {
    /// Repo-relative path of the data file (or image).
    public var path: String
    /// The x field, nil for DVC's implicit `step` (row index).
    public var x: String?
    /// The y fields; empty means DVC's default, the last field of the first record.
    public var y: [String]

    /// Creates a source.
    public init(path: String, x: String? = nil, y: [String] = []) {
        self.path = path
        self.x = x
        self.y = y
    }
}

/// A plot as `dvc plots show` knows it: its key, its data files and its display properties.
public struct PlotDefinition: Sendable, Equatable {
    /// DVC's key: the file path (repo-relative) or plot id, prefixed `<dvc.yaml>::` when two definitions share it.
    public var id: String
    /// Repo-relative path of the `dvc.yaml` that defines the plot.
    public var configPath: String
    /// The stage whose `plots` declared it; nil for a top-level `plots` entry.
    public var stage: String?
    /// The data files, in declaration order.
    public var sources: [PlotSource]
    /// The template as written (`linear` when not given).
    public var templateName: String
    /// `title` as written; nil means the plot's key.
    public var title: String?
    /// `x_label` as written.
    public var xLabel: String?
    /// `y_label` as written.
    public var yLabel: String?
    /// `header` (CSV/TSV files have a header row; default true).
    public var header: Bool

    /// Creates a definition.
    public init(id: String, configPath: String = "dvc.yaml", stage: String? = nil, sources: [PlotSource],
                templateName: String = "linear",
                title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, header: Bool = true) {
        self.id = id
        self.configPath = configPath
        self.stage = stage
        self.sources = sources
        self.templateName = templateName
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.header = header
    }

    /// The built-in template used to draw it.
    public var template: PlotTemplate { PlotTemplate(name: templateName) }

    /// Whether the plot is an image (`.png .jpg .jpeg .gif .svg`) shown as is rather than drawn.
    public var isImage: Bool { sources.count == 1 && PlotDefinitions.isImagePath(sources[0].path) }

    /// The title shown above the plot.
    public var displayTitle: String { title ?? id }
}

/// Collects plot definitions from parsed `dvc.yaml` files.
public enum PlotDefinitions {
    /// Image extensions DVC shows as images.
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "svg"]

    /// Whether `path` names an image DVC embeds instead of plotting.
    public static func isImagePath(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: ".") else { return false }
        return imageExtensions.contains(path[path.index(after: dot)...].lowercased())
    }

    /// All plot definitions in DVC's order: the top-level `plots` of every `dvc.yaml`, then the stages' `plots`
    /// outs; definitions sharing a key are listed together at the first one's place, the top-level ones keyed
    /// `<dvc.yaml>::<key>`.
    public static func collect(from pipelines: [PipelineFile]) -> [PlotDefinition] {
        var natural: [PlotDefinition] = []
        for pipeline in pipelines {
            let directory = RepoPath.parent(pipeline.path)
            for plot in pipeline.plots {
                natural.append(topLevel(plot, configPath: pipeline.path, directory: directory))
            }
        }
        for pipeline in pipelines {
            for stage in pipeline.stages {
                for out in stage.outs where out.kind == .plot {
                    natural.append(stagePlot(out, stage: stage, configPath: pipeline.path))
                }
            }
        }
        var count: [String: Int] = [:]
        for definition in natural { count[definition.id, default: 0] += 1 }
        var groups: [String: [PlotDefinition]] = [:]
        var order: [String] = []
        for definition in natural {
            if groups[definition.id] == nil { order.append(definition.id) }
            var keyed = definition
            // DVC prefixes only the top-level definitions of a shared key; a stage plot keeps its bare path.
            if count[definition.id, default: 0] > 1, definition.stage == nil {
                keyed.id = "\(definition.configPath)::\(definition.id)"
            }
            groups[definition.id, default: []].append(keyed)
        }
        return order.flatMap { groups[$0] ?? [] }
    }

    /// Replaces each plot of a directory by one plot per file in it (keyed by the file's path, same properties),
    /// as DVC does; `files(path)` returns the repo-relative files under `path` when it is a directory, else nil.
    public static func expandingDirectories(_ definitions: [PlotDefinition], files: (String) -> [String]?)
        -> [PlotDefinition] {
        var result: [PlotDefinition] = []
        for definition in definitions {
            guard definition.sources.count == 1, let source = definition.sources.first,
                  definition.id == source.path || definition.id == "\(definition.configPath)::\(source.path)",
                  let listed = files(source.path) else {
                result.append(definition)
                continue
            }
            let prefixed = definition.id != source.path
            for file in listed.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                var expanded = definition
                expanded.id = prefixed ? "\(definition.configPath)::\(file)" : file
                expanded.sources = [PlotSource(path: file, x: source.x, y: source.y)]
                result.append(expanded)
            }
        }
        return result
    }

    private static func topLevel(_ plot: PipelinePlot, configPath: String, directory: String) -> PlotDefinition {
        let props = plot.properties ?? YAMLMapping()
        let template = props["template"]?.stringValue ?? "linear"
        let title = props["title"].flatMap(scalarText)
        let xLabel = props["x_label"].flatMap(scalarText)
        let yLabel = props["y_label"].flatMap(scalarText)
        let header = props["header"]?.boolValue ?? true
        var sources: [PlotSource] = []
        var id = plot.id
        if let yMap = props["y"]?.mappingValue {
            // `{plot-id: {x, y: {file: cols}}}`: the key is an id, the files come from `y`.
            let xMap = props["x"]?.mappingValue
            let xField = props["x"].flatMap(scalarText)
            for pair in yMap.pairs {
                guard let file = scalarText(pair.key) else { continue }
                let path = RepoPath.join(directory, file) ?? file
                var x = xField
                if let xMap {
                    x = xMap[file].flatMap(scalarText) ?? xMap.pairs.first.flatMap { scalarText($0.value) }
                }
                sources.append(PlotSource(path: path, x: x, y: fields(pair.value)))
            }
        } else {
            let path = RepoPath.join(directory, plot.id) ?? plot.id
            id = path
            var x = props["x"].flatMap(scalarText)
            if let xMap = props["x"]?.mappingValue { x = xMap.pairs.first.flatMap { scalarText($0.value) } }
            sources.append(PlotSource(path: path, x: x, y: props["y"].map(fields) ?? []))
        }
        return PlotDefinition(id: id, configPath: configPath, sources: sources, templateName: template,
                              title: title, xLabel: xLabel, yLabel: yLabel, header: header)
    }

    private static func stagePlot(_ out: StageOutput, stage: PipelineStage, configPath: String) -> PlotDefinition {
        let props = out.options
        let path = RepoPath.join(stage.wdir, out.path) ?? out.path
        return PlotDefinition(
            id: path, configPath: configPath, stage: stage.name,
            sources: [PlotSource(path: path, x: props["x"].flatMap(scalarText), y: props["y"].map(fields) ?? [])],
            templateName: props["template"]?.stringValue ?? "linear", title: props["title"].flatMap(scalarText),
            xLabel: props["x_label"].flatMap(scalarText), yLabel: props["y_label"].flatMap(scalarText),
            header: props["header"]?.boolValue ?? true)
    }

    private static func fields(_ value: YAMLValue) -> [String] {
        if let list = value.sequenceValue { return list.compactMap(scalarText) }
        return scalarText(value).map { [$0] } ?? []
    }

    private static func scalarText(_ value: YAMLValue) -> String? {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .float(let number): return PlotValue.float(number).text
        case .bool(let flag): return flag ? "True" : "False"
        case .null, .sequence, .mapping: return nil
        }
    }
}
