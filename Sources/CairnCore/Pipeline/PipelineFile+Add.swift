extension PipelineFile {
    /// `stage add` as a text edit: appends (or with `force` replaces in place) the stage in `text`, keeping the
    /// rest of the file as written; nil text makes a new file.
    public static func addingStage(_ addition: StageAddition, to text: String?, path: String,
                                   force: Bool) throws(FormatError) -> String {
        text ?? ""
    }
}
