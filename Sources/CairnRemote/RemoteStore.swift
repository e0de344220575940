/// A remote with DVC's layout, addressed by keys relative to its root: `files/md5/ab/cdef…`, `files/md5/ab/cd….dir`,
/// `runs/…`. Every method may be called from several threads at once; each retries transient failures itself
/// (with backoff) and throws only when it gives up.
public protocol RemoteStore: Sendable {
    /// The remote's URL as configured, safe to print: it never carries a secret.
    var url: String { get }

    /// The subset of `keys` present on the remote. The store picks listing by prefix or one existence check per
    /// key, whichever costs fewer round-trips for this many keys; `jobs` bounds concurrent requests.
    func existingKeys(_ keys: [String], jobs: Int) throws(RemoteError) -> Set<String>

    /// Every key under `prefix` (e.g. `files/md5/`), in no particular order.
    func listKeys(prefix: String) throws(RemoteError) -> [String]

    /// Stores the local file at `key`; readers never see a partial object. `size` is the file's size (a network
    /// store needs it up front; a directory store ignores it). `md5` (hex) is the expected content hash, used for
    /// the protocol's integrity checks (S3's Content-MD5; a directory store compares while it copies).
    /// `progress` receives byte counts as they are sent (deltas).
    func upload(file: String, size: Int64, md5: String?, to key: String,
                progress: @Sendable (Int64) -> Void) throws(RemoteError)

    /// Streams the object at `key` into `sink`. A retry after a partial transfer calls `sink.restart()` first.
    /// Throws `.missingObject` when the key is absent.
    func download(key: String, into sink: any DownloadSink, progress: @Sendable (Int64) -> Void) throws(RemoteError)

    /// Deletes `keys`; a key that is already absent is not an error.
    func delete(keys: [String], jobs: Int) throws(RemoteError)
}

/// Where a download's bytes go: the engine hashes them into a temp file and renames it only once verified.
public protocol DownloadSink: AnyObject {
    /// Discards what was written so far: the transfer starts over.
    func restart() throws(RemoteError)
    /// Appends the next bytes of the object.
    func write(_ bytes: UnsafeRawBufferPointer) throws(RemoteError)
    /// Takes the whole object from a local file at once (a directory remote), where the sink can do better than
    /// being fed chunks (a pipelined copy that hashes on another thread); returns the bytes taken, or nil to be fed
    /// chunks instead. Throws `.missingObject` when the file is not there.
    func receive(file: String) throws(RemoteError) -> Int64?
}

extension DownloadSink {
    /// By default a sink is fed chunks.
    public func receive(file: String) throws(RemoteError) -> Int64? { nil }
}
