import CairnCore
import CairnStorage

/// What `plots show`/`plots diff` wrote.
public struct PlotsOutcome: Sendable {
    /// One written plot: its id, the revisions drawn, and the file (an `.svg`, or for an image the image copy).
    public struct Written: Sendable {
        public var id: String
        public var type: String
        public var revisions: [String]
        public var file: String
    }

    /// The output folder, as the user sees it from the working directory.
    public var directory: String
    /// Absolute path of `index.html`.
    public var indexPath: String
    /// The plots, in DVC's order.
    public var plots: [Written] = []

    /// cairn's `--json`: DVC's outer shape (`{"data": {id: [{"type", "revisions", …}]}}`) with the written file's
    /// path under `url`, as DVC gives it for images (cairn renders SVG itself instead of emitting Vega specs).
    public var json: JSONValue {
        var data = JSONObject()
        for plot in plots {
            var entry = JSONObject()
            entry["type"] = .string(plot.type)
            entry["revisions"] = .array(plot.revisions.map { .string($0) })
            entry["url"] = .string(plot.file)
            data[plot.id] = .array([.object(entry)])
        }
        var root = JSONObject()
        root["data"] = .object(data)
        return .object(root)
    }
}

extension Project {
    /// `cairn plots show` (one revision, the workspace) and `cairn plots diff` (several): renders every plot
    /// definition of the revisions to SVG files and one self-contained `index.html` in `output` (default
    /// `dvc_plots`). `targets` limit the plots to those ids or data files.
    public func plots(revisions requested: [String], targets: [String], output: String?, relativeTo cwd: String) throws -> PlotsOutcome {
        let views = try requested.isEmpty ? [RevisionView.workspace(self)]
            : requested.map { try RevisionView.resolve($0, project: self) }
        var definitions: [PlotDefinition] = []
        for view in views {
            for definition in PlotDefinitions.collect(from: try view.pipelines())
            where !definitions.contains(where: { $0.id == definition.id }) {
                definitions.append(definition)
            }
        }
        if !targets.isEmpty {
            let wanted = try targets.map { try repoRelative($0, cwd: cwd) }
            definitions = definitions.filter { definition in
                targets.contains(definition.id) || definition.sources.contains { wanted.contains($0.path) }
            }
        }
        let folder = output ?? "dvc_plots"
        let absoluteFolder = folder.hasPrefix("/") ? folder : cwd + "/" + folder
        try FileSystem.makeDirectories(absoluteFolder)
        var outcome = PlotsOutcome(directory: folder, indexPath: absoluteFolder + "/index.html")
        var rendered: [(id: String, svg: String)] = []
        var images: [PlotImage] = []
        for definition in definitions {
            let name = Self.fileName(for: definition.id)
            if definition.isImage {
                let path = definition.sources[0].path
                var drawn: [String] = []
                for view in views {
                    guard case .bytes(let bytes) = try view.content(of: path) else { continue }
                    images.append(PlotImage(id: definition.id, revision: view.label, path: path, bytes: bytes))
                    drawn.append(view.label)
                }
                if !drawn.isEmpty {
                    outcome.plots.append(.init(id: definition.id, type: "image", revisions: drawn, file: folder + "/index.html"))
                }
                continue
            }
            var series: [PlotSeries] = []
            for view in views {
                for source in definition.sources {
                    switch try view.content(of: source.path) {
                    case .missing: continue
                    case .notInCache(let hash):
                        throw EngineError("'\(view.displayName):\(source.path)': object \(hash.id) is not in the local cache",
                                          hint: "Run `cairn pull` (or `cairn fetch`) to get it.")
                    case .bytes(let bytes):
                        let label = view.isWorkspace ? "workspace" : view.label
                        series.append(PlotSeries(revision: label, path: source.path,
                                                 table: try PlotData.table(bytes, path: source.path, header: definition.header)))
                    }
                }
            }
            guard !series.isEmpty else { continue }
            let svg = try PlotRenderer.svg(definition, series: series)
            try FileSystem.writeFileAtomically(Array(svg.utf8), to: absoluteFolder + "/" + name + ".svg")
            rendered.append((definition.id, svg))
            var revisions: [String] = []
            for item in series where !revisions.contains(item.revision) { revisions.append(item.revision) }
            outcome.plots.append(.init(id: definition.id, type: "svg", revisions: revisions, file: folder + "/" + name + ".svg"))
        }
        let title = views.count > 1 ? "cairn plots diff" : "cairn plots"
        let html = PlotsPage.html(title: title, plots: rendered, images: images)
        try FileSystem.writeFileAtomically(Array(html.utf8), to: outcome.indexPath)
        return outcome
    }

    /// A file name for a plot id (`dvc.yaml::loss` → `dvc.yaml__loss`, `eval/plots.csv` → `eval_plots.csv`).
    static func fileName(for id: String) -> String {
        String(id.map { $0 == "/" ? "_" : $0 == ":" ? "_" : $0 })
    }
}
