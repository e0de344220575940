/// How a tracked path differs from its record, in DVC's words.
public enum OutputChange: String, Sendable, Hashable {
    case modified
    case deleted
    case new
    case notInCache = "not in cache"
}

/// What is in the workspace at a tracked path right now.
public enum ObservedContent: Sendable, Equatable {
    /// Nothing there.
    case missing
    /// A file with this content.
    case file(ObjectID, size: Int, isExecutable: Bool)
    /// A directory; its manifest id, total size and file count.
    case directory(ObjectID, size: Int, fileCount: Int)

    /// The content id, nil when missing.
    public var id: ObjectID? {
        switch self {
        case .missing: return nil
        case .file(let id, _, _), .directory(let id, _, _): return id
        }
    }
}

/// DVC's rule for an output's status (FORMATS.md §6.2, item 3): first hit wins.
public enum OutputStatusRule {
    /// - Parameters:
    ///   - recorded: the hash in the `.dvc` file or lock entry, nil when none is recorded.
    ///   - isCached: the output has `cache: true`.
    ///   - objectsInCache: the recorded object (for a directory: its manifest and every file) is in the cache.
    ///   - observed: the workspace content.
    /// - Returns: the change, or nil when the output is up to date.
    public static func change(
        recorded: HashInfo?, isCached: Bool, objectsInCache: Bool, observed: ObservedContent
    ) -> OutputChange? {
        if recorded != nil, isCached, !objectsInCache { return .notInCache }
        guard let observedID = observed.id else { return .deleted }
        guard let recorded else { return .modified }
        return recorded.id == observedID ? nil : .modified
    }
}
