/// Why the pipeline graph cannot be built or a target cannot be found; raised before anything runs.
public enum StageGraphError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The same output path is declared twice (by one stage, or by two: both named).
    case duplicateOutput(path: String, owners: [String])
    /// A stage declares an output that a `.dvc` file already tracks.
    case outputTrackedByDataFile(path: String, stage: String, dataFile: String)
    /// One output lies inside another.
    case overlappingOutputs(parent: String, parentOwner: String, child: String, childOwner: String)
    /// A `dvc.yaml` or `.dvc` file lies inside some stage's output.
    case fileInsideOutput(file: String, output: String, owner: String)
    /// Stages depend on each other in a circle: each on the next, the last on the first; `paths[i]` is the
    /// dependency of stage `i` that the next stage produces.
    case cycle([String], paths: [String])
    /// A dependency is neither in the workspace nor produced by any stage.
    case missingDependency(path: String, stage: String, isParams: Bool)
    /// No stage of that name (or foreach/matrix group) in that `dvc.yaml`.
    case unknownStage(name: String, file: String)
    /// The target names a `dvc.yaml` or `.dvc` file that does not exist.
    case unknownFile(String)
    /// The target is a `dvc.lock`; the `dvc.yaml` beside it was probably meant.
    case lockFileTarget(suggestion: String)

    /// What is wrong, naming the paths and stages involved.
    public var message: String {
        switch self {
        case .duplicateOutput(let path, let owners):
            if owners.count == 1 { return "output '\(path)' is declared twice in \(owners[0])" }
            return "output '\(path)' is specified in:\n" + owners.map { "\t- \($0)" }.joined(separator: "\n")
        case .outputTrackedByDataFile(let path, let stage, let dataFile):
            return "output '\(path)' of stage '\(stage)' is already tracked by '\(dataFile)'"
        case .overlappingOutputs(let parent, let parentOwner, let child, let childOwner):
            return "The output paths:\n'\(parent)'('\(parentOwner)')\n'\(child)'('\(childOwner)')\n"
                + "overlap and are thus in the same tracked directory."
        case .fileInsideOutput(let file, let output, let owner):
            return "'\(file)' is within an output '\(output)' of '\(owner)'"
        case .cycle(let stages, _):
            if stages.count == 1 { return "stage '\(stages[0])' depends on its own output" }
            let chain = stages.map { "'\($0)'" }.joined(separator: " -> ") + " -> '\(stages[0])'"
            return "the pipeline has a cycle: \(chain) (each depends on an output of the next)"
        case .missingDependency(let path, let stage, let isParams):
            let kind = isParams ? "parameters file" : "dependency"
            return "\(kind) '\(path)' of stage '\(stage)' does not exist and no stage produces it"
        case .unknownStage(let name, let file):
            return "Stage '\(name)' not found inside '\(file)' file"
        case .unknownFile(let path):
            return "'\(path)' does not exist"
        case .lockFileTarget(let suggestion):
            return "Did you mean: `\(suggestion)`?"
        }
    }

    /// What the user can do next.
    public var hint: String {
        switch self {
        case .duplicateOutput(_, let owners):
            return owners.count == 1
                ? "Remove the repeated entry from the stage's outs, metrics or plots."
                : "Keep the output in one stage only: remove it from the others (or `cairn remove` one of them)."
        case .outputTrackedByDataFile(let path, _, let dataFile):
            return "A path is either data you track or the output of a stage, not both: run "
                + "`cairn remove \(dataFile)` to let the stage produce '\(path)', or remove it from the stage."
        case .overlappingOutputs:
            return "To keep reproducibility, outputs should be in separate tracked directories or tracked "
                + "individually."
        case .fileInsideOutput:
            return "Move the file out of that directory, or declare a narrower output."
        case .cycle(let stages, let paths):
            let steps = zip(stages.indices, paths).map { index, path in
                "'\(stages[index])' depends on '\(path)' from '\(stages[(index + 1) % stages.count])'"
            }
            return "A stage cannot depend, directly or through other stages, on its own outputs ("
                + steps.joined(separator: "; ") + "); remove one of these dependencies."
        case .missingDependency(let path, _, let isParams):
            return isParams
                ? "Create '\(path)' with the parameters the stage uses, or remove them from the stage's params."
                : "Create '\(path)' (or `cairn add` it), add a stage that outputs it, or fix the path in dvc.yaml."
        case .unknownStage(_, let file):
            return "Run `cairn stage list` to see the stages of '\(file)'; address a stage of another file as "
                + "`path/to/dvc.yaml:name`."
        case .unknownFile:
            return "Check the path: targets are stage names, `dvc.yaml` files (optionally `:stage`) or `.dvc` files."
        case .lockFileTarget:
            return "Targets name stages through dvc.yaml, not dvc.lock."
        }
    }

    public var description: String { "\(message)\n\(hint)" }
}
