import ArgumentParser
import CairnCore
import CairnEngine

extension Cairn {
    /// `cairn log PATH`.
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every version of a tracked output through the history reachable from HEAD.",
            discussion: """
                cairn's addition (DVC has no such command). A commit is listed when the hash it records for PATH \
                differs from its first parent's (or the parent records none), newest first, as `git log -- PATH` \
                lists commits; commits where the dvc.lock files of PATH's directory and its parents and PATH.dvc \
                did not change cost no parsing.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(name: [.customShort("n"), .customLong("max-count")], help: "Show at most N versions.")
        var limit: Int?
        @Flag(name: .customLong("json"), help: "Show output in JSON format.")
        var json = false
        @Argument(help: "A tracked output (a stage out or a .dvc file's out).")
        var path: String

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("-n must be 1 or more") }
        }

        func run() throws {
            let context = try CommandContext(global)
            let (versions, warnings) = try context.project().artifactLog(of: path, limit: limit,
                                                                         relativeTo: context.workingDirectory)
            for warning in warnings { Console.warning(warning) }
            Console.standardOutputRaw(json ? Self.renderJSON(versions) : Self.renderText(versions))
        }

        static func renderText(_ versions: [ArtifactVersion]) -> String {
            var lines: [String] = []
            for (index, version) in versions.enumerated() {
                if index > 0 { lines.append("") }
                let commit = version.commit
                lines.append("commit \(commit.id)")
                lines.append("Author: \(commit.author) <\(commit.email)>")
                lines.append("Date:   \(commit.dateText)")
                lines.append("    \(commit.summary)")
                var hashLine = "  md5 \(version.hash ?? "(none)")"
                if let size = version.size { hashLine += "  \(size) bytes" }
                lines.append(hashLine)
                if let dvcFile = version.dvcFile { lines.append("  tracked by \(dvcFile)") }
                if let stage = version.stage {
                    lines.append("  stage \(stage.address) (\(stage.lockPath))")
                    for command in stage.commands { lines.append("    cmd: \(command)") }
                    for dep in stage.deps { lines.append("    dep: \(dep.path)  \(dep.hash ?? "(no hash)")") }
                    for param in stage.params { lines.append("    param: \(param.file) \(param.key)=\(param.value)") }
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }

        static func renderJSON(_ versions: [ArtifactVersion]) -> String {
            let items: [JSONValue] = versions.map { version in
                var object: JSONObject = [
                    "commit": .string(version.commit.id),
                    "date": .string(version.commit.dateText),
                    "author": .string(version.commit.author),
                    "email": .string(version.commit.email),
                    "message": .string(version.commit.summary),
                    "hash": version.hash.map(JSONValue.string) ?? .null,
                    "size": version.size.map { .int(Int($0)) } ?? .null,
                ]
                if let dvcFile = version.dvcFile { object["dvc_file"] = .string(dvcFile) }
                if let stage = version.stage {
                    object["stage"] = .object([
                        "name": .string(stage.address),
                        "lock": .string(stage.lockPath),
                        "cmd": .array(stage.commands.map(JSONValue.string)),
                        "deps": .array(stage.deps.map {
                            .object(["path": .string($0.path), "hash": $0.hash.map(JSONValue.string) ?? .null])
                        }),
                        "params": .array(stage.params.map {
                            .object(["file": .string($0.file), "key": .string($0.key), "value": .string($0.value)])
                        }),
                    ])
                }
                return .object(object)
            }
            return PythonJSON.dumps(.array(items)) + "\n"
        }
    }
}
