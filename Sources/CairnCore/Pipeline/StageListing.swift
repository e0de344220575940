/// `stage list` output as DVC prints it.
public enum StageListing {
    /// The listing of `stages` (the caller picks them; `--all` is its choice), addressed from the repo root.
    public static func render(_ stages: [PipelineStage], nameOnly: Bool) -> String {
        render(stages, nameOnly: nameOnly, from: "")
    }

    /// The listing with stage addresses relative to `directory` (repo-relative; "" = root), as DVC run from there.
    public static func render(_ stages: [PipelineStage], nameOnly: Bool, from directory: String) -> String {
        ""
    }
}
