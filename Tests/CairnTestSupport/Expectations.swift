import CairnCore
import Foundation

/// Values the end-to-end and interop tests share: DVC's fixed texts and the file modes to expect.
public enum Expected {
    /// `cairn status` when nothing changed (DVC's words).
    public static let upToDate = "Data and pipelines are up to date.\n"

    /// DVC's advice after a command wrote git-tracked files, with `cairn` in place of `dvc`.
    public static func trackingHint(_ files: [String]) -> String {
        "\nTo track the changes with git, run:\n\n\tgit add \(files.joined(separator: " "))\n\n"
            + "To enable auto staging, run:\n\n\tcairn config core.autostage true\n"
    }

    /// The files named on the `git add` line of a tracking hint (nil when there is none), for comparing lists
    /// whose order DVC does not fix.
    public static func filesInTrackingHint(_ output: String) -> Set<String>? {
        for line in output.split(separator: "\n") where line.hasPrefix("\tgit add ") {
            return Set(line.dropFirst("\tgit add ".count).split(separator: " ").map(String.init))
        }
        return nil
    }

    /// The process umask (read from /proc, because setting it to read it would race with other tests).
    public static let umask: mode_t = {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0o022 }
        for line in text.split(separator: "\n") where line.hasPrefix("Umask:") {
            return mode_t(line.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8) ?? 0o022
        }
        return 0o022
    }()

    /// Mode of a plain file a copying checkout creates (0644 under umask 022).
    public static var copiedFileMode: mode_t { 0o666 & ~umask }
    /// Mode of a copied executable: DVC adds only the owner's execute bit to the umask-based mode (0744).
    public static var copiedExecutableMode: mode_t { (0o666 & ~umask) | 0o100 }
    /// Mode of every cache object (DVC makes them read-only).
    public static let objectMode: mode_t = 0o444
}

/// MD5 digests as lowercase hex.
public enum MD5Hex {
    /// The MD5 of `bytes`.
    public static func of(_ bytes: [UInt8]) -> String { ObjectID.md5(of: bytes).hex }
}
