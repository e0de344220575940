import CairnCore

extension Fixtures {
    /// Fixture 07's awkward names: each name, the file content, and the exact `.dvc` file DVC wrote for it.
    public static func yamlQuotingCases() throws -> [(name: String, content: String, dvcFile: String)] {
        guard case .array(let items) = try JSONValue.parse(bytes("07-yaml-quoting/cases.json")) else {
            throw TestSupportError("07-yaml-quoting/cases.json is not a list")
        }
        return try items.map { item in
            guard case .object(let object) = item, case .string(let name)? = object["name"],
                case .string(let content)? = object["file_content"], case .string(let dvcFile)? = object["dvc_file"]
            else { throw TestSupportError("unexpected entry in 07-yaml-quoting/cases.json: \(item)") }
            return (name, content, dvcFile)
        }
    }
}
