/// A params (or vars) file parsed into an ordered tree, by extension as DVC does: `.json` JSON, `.toml` TOML,
/// `.py` unsupported, anything else YAML. Key order is the file's.
public enum ParamsDocument {
    /// Parses a params file's bytes; `path` (repo-relative) decides the format and names the file in errors.
    /// An empty (or comment-only) YAML or TOML file is an empty mapping; an empty JSON file is an error, as in DVC.
    public static func parse(_ bytes: [UInt8], path: String) throws(FormatError) -> YAMLValue {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".py") {
            throw FormatError(path: path, message: "Python params files are not supported by cairn",
                              hint: "Move the values into params.yaml (or a .json/.toml file) and reference that.")
        }
        if lowered.hasSuffix(".toml") {
            return .mapping(try TOMLReader.parse(bytes, path: path))
        }
        if lowered.hasSuffix(".json") {
            do {
                return YAMLValue(try JSONValue.parse(bytes))
            } catch {
                throw FormatError(path: path, line: error.line, column: error.column, message: error.message,
                                  hint: "fix the JSON syntax and try again")
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return try YAMLReader.parse(text, path: path)?.value ?? .mapping(YAMLMapping())
    }
}
