/// A params (or vars) file parsed into an ordered tree, by extension as DVC does: `.json` JSON, `.toml` TOML,
/// `.py` unsupported, anything else YAML. Key order is the file's.
public enum ParamsDocument {
    /// Parses a params file's bytes; `path` (repo-relative) decides the format and names the file in errors.
    public static func parse(_ bytes: [UInt8], path: String) throws(FormatError) -> YAMLValue {
        let text = String(decoding: bytes, as: UTF8.self)
        if path.hasSuffix(".py") {
            throw FormatError(path: path, message: "Python params files are not supported by cairn",
                              hint: "Move the values into params.yaml (or a .json/.toml file) and reference that.")
        }
        if path.hasSuffix(".json") {
            do {
                return YAMLValue(try JSONValue.parse(bytes))
            } catch {
                throw FormatError(path: path, line: error.line, column: error.column, message: error.message)
            }
        }
        // TOML support lands with the order-preserving TOML reader; until then YAML covers .yaml/.yml/others.
        return try YAMLReader.parse(text, path: path)?.value ?? .mapping(YAMLMapping())
    }
}
