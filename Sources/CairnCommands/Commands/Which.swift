import ArgumentParser
import CairnCore
import CairnEngine

extension Cairn {
    /// `cairn which FILE`.
    struct Which: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find the commits and stages (or .dvc files) that recorded exactly this file's content.",
            discussion: """
                cairn's addition (DVC has no such command). Hashes FILE (md5, as DVC does) and looks through every \
                commit reachable from a branch, tag or HEAD, including entries of directory outputs whose .dir \
                manifest is in the local cache. Exits 1 when nothing matches.
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(name: .customLong("json"), help: "Show output in JSON format.")
        var json = false
        @Argument(help: "The file to look up.")
        var file: String

        func run() throws {
            let context = try CommandContext(global)
            let (result, warnings) = try context.project().which(file, relativeTo: context.workingDirectory)
            for warning in warnings { Console.warning(warning) }
            if json {
                let matches: [JSONValue] = result.matches.map { match in
                    var object: JSONObject = [
                        "commit": .string(match.commit.id),
                        "date": .string(match.commit.dateText),
                        "message": .string(match.commit.summary),
                        "path": .string(match.path),
                        "recorded_by": .string(match.recordedBy),
                    ]
                    if let directory = match.directory { object["directory"] = .string(directory) }
                    return .object(object)
                }
                Console.standardOutputRaw(PythonJSON.dumps(.object(["md5": .string(result.hash),
                                                                    "matches": .array(matches)])) + "\n")
            } else if !result.matches.isEmpty {
                var lines = ["\(file): md5 \(result.hash)"]
                for match in result.matches {
                    var line = "\(match.commit.shortID) \(match.commit.dateText)  \(match.path)  [\(match.recordedBy)]"
                    if let directory = match.directory { line += " (inside \(directory))" }
                    lines.append(line + "  " + match.commit.summary)
                }
                Console.standardOutputRaw(lines.joined(separator: "\n") + "\n")
            }
            if result.matches.isEmpty {
                Console.standardError("\(file): md5 \(result.hash) was not recorded as an output in any commit")
                throw ExitCode(ExitStatus.checkFailed)
            }
        }
    }
}
