/// Parses the command line, runs the command and exits with DVC's exit codes.
public enum CairnMain {
    /// Runs cairn with the process arguments and exits.
    public static func run() -> Never {
        fatalError("not yet")
    }
}
