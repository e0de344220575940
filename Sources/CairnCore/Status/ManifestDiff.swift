/// File-level differences between two versions of a directory (for `data status --granular` and checkout).
public struct ManifestDiff: Sendable, Equatable {
    /// Relpaths present only in the new version.
    public var added: [String] = []
    /// Relpaths present in both with different content.
    public var modified: [String] = []
    /// Relpaths present only in the old version.
    public var deleted: [String] = []
    /// Relpaths identical in both.
    public var unchanged: [String] = []

    /// Creates an empty diff.
    public init() {}

    /// Whether the two versions hold the same files.
    public var isEmpty: Bool { added.isEmpty && modified.isEmpty && deleted.isEmpty }

    /// Compares two manifests (nil = the directory does not exist); both are in DVC's sorted order.
    public static func compare(old: DirManifest?, new: DirManifest?) -> ManifestDiff {
        var diff = ManifestDiff()
        let oldEntries = old?.entries ?? []
        let newEntries = new?.entries ?? []
        var i = 0
        var j = 0
        // A merge walk over two sorted lists: linear, and byte-exact (Swift's String == would equate NFC and NFD names).
        while i < oldEntries.count || j < newEntries.count {
            if j == newEntries.count
                || (i < oldEntries.count && DirManifest.utf8Less(oldEntries[i].relpath, newEntries[j].relpath)) {
                diff.deleted.append(oldEntries[i].relpath)
                i += 1
            } else if i == oldEntries.count || !oldEntries[i].relpath.utf8.elementsEqual(newEntries[j].relpath.utf8) {
                diff.added.append(newEntries[j].relpath)
                j += 1
            } else {
                if oldEntries[i].id == newEntries[j].id {
                    diff.unchanged.append(newEntries[j].relpath)
                } else {
                    diff.modified.append(newEntries[j].relpath)
                }
                i += 1
                j += 1
            }
        }
        return diff
    }
}
