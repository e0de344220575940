/// Where objects live on a remote: the same layout as the cache. DVC 3 objects under `files/md5/ab/cdef…`,
/// legacy md5-dos2unix objects at `ab/cdef…` under the root, run-cache entries under `runs/`.
public enum RemoteLayout {
    /// The prefix of every DVC 3 object key.
    public static let md5Prefix = "files/md5/"
    /// The prefix of every run-cache entry key.
    public static let runsPrefix = "runs/"

    /// The key of an object.
    public static func key(for hash: HashInfo) -> String {
        hash.kind == .md5 ? md5Prefix + hash.id.shardedPath : hash.id.shardedPath
    }

    /// The object a key names, nil for keys that are not objects (run-cache entries, temp files, strays).
    public static func hash(forKey key: some StringProtocol) -> HashInfo? {
        var rest = Substring(key)
        var kind = HashKind.md5Dos2Unix
        if rest.hasPrefix(md5Prefix) {
            rest = rest.dropFirst(md5Prefix.count)
            kind = .md5
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        // Only DVC's spelling (lowercase hex) names an object: another spelling would be a second key for it.
        guard parts.count == 2, parts[0].utf8.count == 2, let id = ObjectID(parts[0] + parts[1]),
              id.shardedPath.utf8.elementsEqual(rest.utf8) else { return nil }
        return HashInfo(id, kind: kind)
    }
}
