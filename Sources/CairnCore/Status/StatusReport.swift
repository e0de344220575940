/// The answer of `status`: per stage (a `.dvc` file or a pipeline stage), what changed — DVC's shape.
public struct StatusReport: Sendable, Equatable {
    /// One stage's changes, in DVC's item order.
    public struct Entry: Sendable, Equatable {
        /// Stage address: the `.dvc` path, a stage name, or `path/dvc.yaml:name`.
        public var address: String
        /// The changes, in the order DVC lists them.
        public var items: [Item]

        /// Creates an entry.
        public init(address: String, items: [Item]) {
            self.address = address
            self.items = items
        }
    }

    /// One kind of change of a stage.
    public enum Item: Sendable, Equatable {
        case changedDeps([(path: String, change: DepChange)])
        case changedOuts([(path: String, change: OutputChange)])
        case alwaysChanged
        case changedCommand
        case changedChecksum

        public static func == (lhs: Item, rhs: Item) -> Bool {
            switch (lhs, rhs) {
            case let (.changedDeps(a), .changedDeps(b)):
                return a.count == b.count && zip(a, b).allSatisfy { $0.path == $1.path && $0.change == $1.change }
            case let (.changedOuts(a), .changedOuts(b)):
                return a.count == b.count && zip(a, b).allSatisfy { $0.path == $1.path && $0.change == $1.change }
            case (.alwaysChanged, .alwaysChanged), (.changedCommand, .changedCommand),
                 (.changedChecksum, .changedChecksum):
                return true
            default:
                return false
            }
        }
    }

    /// A dependency's change: a path's, or per-key changes of a params file.
    public enum DepChange: Sendable, Equatable {
        case path(OutputChange)
        case params([(key: String, change: OutputChange)])

        public static func == (lhs: DepChange, rhs: DepChange) -> Bool {
            switch (lhs, rhs) {
            case let (.path(a), .path(b)): return a == b
            case let (.params(a), .params(b)):
                return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.change == $1.change }
            default: return false
            }
        }
    }

    /// Stages with changes, in DVC's order; up-to-date stages are absent.
    public var entries: [Entry]
    /// The project tracks nothing at all (DVC says so instead of "up to date").
    public var tracksNothing = false
    /// Warnings to show beside the report (DVC's frozen-stage note), without the `WARNING: ` prefix.
    public var warnings: [String] = []

    /// Creates a report.
    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// True when nothing changed.
    public var isClean: Bool { entries.isEmpty }
}

extension StatusReport {
    /// `dvc status --json`: one line, ASCII-escaped; `{}` when clean.
    public func json() -> String {
        var top = JSONObject()
        for entry in entries {
            top[entry.address] = .array(entry.items.map(Self.jsonItem))
        }
        return PythonJSON.dumps(.object(top))
    }

    /// `dvc status` text: TAB-indented levels, status words padded to 20 columns.
    public func text() -> String {
        if entries.isEmpty {
            return tracksNothing
                ? "There are no data or pipelines tracked in this project yet."
                : "Data and pipelines are up to date."
        }
        var lines: [String] = []
        for entry in entries {
            lines.append("\(entry.address):")
            for item in entry.items {
                switch item {
                case .changedDeps(let deps):
                    lines.append("\tchanged deps:")
                    for dep in deps {
                        switch dep.change {
                        case .path(let change): lines.append("\t\t" + Self.leaf(change, dep.path))
                        case .params(let keys):
                            lines.append("\t\t\(dep.path):")
                            for key in keys { lines.append("\t\t\t" + Self.leaf(key.change, key.key)) }
                        }
                    }
                case .changedOuts(let outs):
                    lines.append("\tchanged outs:")
                    for out in outs { lines.append("\t\t" + Self.leaf(out.change, out.path)) }
                case .alwaysChanged: lines.append("\talways changed")
                case .changedCommand: lines.append("\tchanged command")
                case .changedChecksum: lines.append("\tchanged checksum")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func leaf(_ change: OutputChange, _ path: String) -> String {
        let word = change.rawValue + ":"
        return word + String(repeating: " ", count: max(1, 20 - word.count)) + path
    }

    private static func jsonItem(_ item: Item) -> JSONValue {
        switch item {
        case .changedDeps(let deps):
            var object = JSONObject()
            for dep in deps {
                switch dep.change {
                case .path(let change): object[dep.path] = .string(change.rawValue)
                case .params(let keys):
                    object[dep.path] = .object(JSONObject(keys.map { ($0.key, .string($0.change.rawValue)) }))
                }
            }
            return .object(["changed deps": .object(object)])
        case .changedOuts(let outs):
            return .object(["changed outs": .object(JSONObject(outs.map { ($0.path, .string($0.change.rawValue)) }))])
        case .alwaysChanged: return .string("always changed")
        case .changedCommand: return .string("changed command")
        case .changedChecksum: return .string("changed checksum")
        }
    }
}
