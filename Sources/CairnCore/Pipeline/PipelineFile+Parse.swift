extension PipelineFile {
    /// Parses a `dvc.yaml`: validates it, builds the templating context (params.yaml beside it, `vars`),
    /// interpolates and expands `foreach`/`matrix` groups.
    public static func parse(_ text: String, path: String, sources: any PipelineSources,
                             options: InterpolationOptions = .init()) throws(FormatError) -> PipelineFile {
        PipelineFile(path: path)
    }
}
