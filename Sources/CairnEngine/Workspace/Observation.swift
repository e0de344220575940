import CairnCore
import CairnStorage

/// What the workspace holds at a tracked path, with the manifest later steps need for per-file diffs.
struct Observation {
    /// The content summary DVC's status rules look at.
    var content: ObservedContent
    /// For a directory: its manifest in DVC's order, when it was built; an unchanged directory known from the
    /// state cache leaves it nil (`WorkspaceScanner.workspaceManifest` reads it from the cache on demand).
    var manifest: DirManifest?
    /// The hash function the content was hashed with.
    var kind: HashKind = .md5

    /// Nothing at the path.
    static let missing = Observation(content: .missing, manifest: nil)

    /// Whether anything is there.
    var exists: Bool { content != .missing }
    /// Whether a directory is there.
    var isDirectory: Bool { if case .directory = content { return true } else { return false } }
}
