import ArgumentParser
import CairnEngine

/// The root command: DVC's command names, flags and semantics.
struct Cairn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cairn",
        abstract: "Version data and models next to your code in git, on DVC 3's own files.",
        discussion: """
            cairn reads and writes what DVC 3.x does (.dvc files, dvc.lock, the cache layout), so a repository \
            can be used by cairn and dvc side by side. Exit codes: 0 success, 1 a check answered "no", \
            254 usage error, 255 any other error.
            """,
        version: CairnVersion.string,
        subcommands: [
            Init.self, Add.self, Status.self, DataCommand.self, Checkout.self, Commit.self, Remove.self,
            Repro.self, StageCommand.self, Dag.self, MetricsCommand.self, ParamsCommand.self, PlotsCommand.self,
            Report.self, Lineage.self, Log.self, Which.self, Push.self, Pull.self, Fetch.self, GarbageCollect.self,
            CacheCommand.self, Config.self, RemoteCommand.self, CheckIgnore.self, Install.self, Hook.self, Validate.self,
            Version.self,
        ]
    )
}

/// cairn's version and the DVC release it is compatible with.
enum CairnVersion {
    static let number = "0.1.0"
    static let dvcCompatibility = "3.67.1"
    static let string = "\(number) (DVC \(dvcCompatibility) compatible)"
}
