import Foundation

/// An image plot (`.png .jpg .jpeg .gif .svg`) at one revision, embedded in the page as a `data:` URI.
public struct PlotImage: Sendable, Equatable {
    /// The plot key (the image's repo-relative path, or `<dvc.yaml>::<path>`).
    public var id: String
    /// The revision the bytes come from.
    public var revision: String
    /// Repo-relative path of the image (its extension picks the MIME type).
    public var path: String
    /// The image file's bytes.
    public var bytes: [UInt8]

    /// Creates an image plot.
    public init(id: String, revision: String, path: String, bytes: [UInt8]) {
        self.id = id
        self.revision = revision
        self.path = path
        self.bytes = bytes
    }

    /// The MIME type for the image's extension.
    public var mimeType: String {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".png") { return "image/png" }
        if lowered.hasSuffix(".jpg") || lowered.hasSuffix(".jpeg") { return "image/jpeg" }
        if lowered.hasSuffix(".gif") { return "image/gif" }
        if lowered.hasSuffix(".svg") { return "image/svg+xml" }
        return "application/octet-stream"
    }

    /// The bytes as a `data:<mime>;base64,…` URI.
    public var dataURI: String { "data:\(mimeType);base64,\(Data(bytes).base64EncodedString())" }
}

/// Writes the self-contained `index.html` of `plots show`/`plots diff`: inline SVG, inline CSS, no scripts.
public enum PlotsPage {
    /// The page with the rendered plots in the given order, then the images grouped by plot id.
    public static func html(title: String, plots: [(id: String, svg: String)], images: [PlotImage] = []) -> String {
        var html = """
        <!DOCTYPE html>
        <html>
        <head>
        <meta charset="utf-8">
        <title>\(xmlEscape(title))</title>
        <style>
        body { font-family: sans-serif; margin: 16px; color: #222222; background: #ffffff; }
        h1 { font-size: 18px; }
        .plots { display: flex; flex-wrap: wrap; gap: 16px; }
        .plot-card { border: 1px solid #dddddd; border-radius: 4px; padding: 8px; }
        .plot-card h2 { font-size: 13px; margin: 0 0 6px 0; font-weight: normal; color: #555555; }
        .images { display: flex; flex-wrap: wrap; gap: 8px; }
        .images figure { margin: 0; }
        .images img { max-width: 400px; max-height: 400px; }
        .images figcaption { font-size: 12px; color: #555555; }
        </style>
        </head>
        <body>
        <h1>\(xmlEscape(title))</h1>
        <div class="plots">

        """
        for plot in plots {
            html += "<div class=\"plot-card\" id=\"\(xmlEscape(plot.id))\">\n<h2>\(xmlEscape(plot.id))</h2>\n"
            html += plot.svg
            if !plot.svg.hasSuffix("\n") { html += "\n" }
            html += "</div>\n"
        }
        var order: [String] = []
        var byID: [String: [PlotImage]] = [:]
        for image in images {
            if byID[image.id] == nil { order.append(image.id) }
            byID[image.id, default: []].append(image)
        }
        for id in order {
            html += "<div class=\"plot-card\" id=\"\(xmlEscape(id))\">\n<h2>\(xmlEscape(id))</h2>\n"
            html += "<div class=\"images\">\n"
            for image in byID[id] ?? [] {
                html += "<figure><img src=\"\(image.dataURI)\" alt=\"\(xmlEscape(image.revision))\">"
                    + "<figcaption>\(xmlEscape(image.revision))</figcaption></figure>\n"
            }
            html += "</div>\n</div>\n"
        }
        html += "</div>\n</body>\n</html>\n"
        return html
    }
}
