internal import CGit2

/// libgit2's process-wide initialisation, done once before any other libgit2 call.
enum GitLibrary {
    // A static let is initialised lazily under swift_once, so concurrent first uses still run it once;
    // libgit2 is never shut down because handles may live until the process exits.
    private static let initResult: Int32 = git_libgit2_init()

    /// Makes sure `git_libgit2_init` has run; cheap after the first call.
    @inline(__always)
    static func ensureInitialized() {
        _ = initResult
    }
}
