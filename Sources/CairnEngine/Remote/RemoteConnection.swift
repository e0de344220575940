import CairnCore
import CairnRemote
import CairnStorage
import Foundation

/// A remote opened for a command: its store, the local record of what it holds, and the transfer settings.
final class RemoteConnection {
    /// The remote as configured.
    let remote: ResolvedRemote
    /// The store speaking its protocol.
    let store: any RemoteStore
    /// What this repository knows the remote holds (a hint; see RemoteIndex).
    var index: RemoteIndex
    /// Concurrent transfers.
    let jobs: Int

    /// Opens `remote`; `jobs` from the command line wins over the remote's `jobs` option, then 4 × cores (DVC's).
    init(_ remote: ResolvedRemote, project: Project, jobs: Int?) throws {
        self.remote = remote
        store = try Self.makeStore(remote, project: project)
        index = RemoteIndex(url: store.url, directory: project.tmpDirectory + "/remote-index")
        let configured = remote.options["jobs"].flatMap { Int($0) }
        self.jobs = max(1, jobs ?? configured ?? 4 * ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The store for a remote URL's scheme.
    static func makeStore(_ remote: ResolvedRemote, project: Project) throws -> any RemoteStore {
        let url = remote.url
        if url.hasPrefix("/") { return LocalStore(root: url) }
        if url.hasPrefix("s3://") {
            let environment = ProcessInfo.processInfo.environment
            return try S3Store(url: url, options: remote.options, environment: environment,
                               homeDirectory: environment["HOME"] ?? NSHomeDirectory())
        }
        if let scheme = url.range(of: "://").map({ String(url[..<$0.lowerBound]) }) {
            throw EngineError("remote '\(remote.name)' uses '\(scheme)://', which cairn does not support",
                              hint: "cairn speaks to local directories and S3-compatible storage (s3://bucket/prefix).")
        }
        return LocalStore(root: url)
    }

    /// Saves the index (a failure only costs a later push some requests).
    func close() { index.save() }
}

/// Streams a download into the cache through IncomingObject.
final class CacheSink: DownloadSink {
    let incoming: IncomingObject

    init(_ incoming: IncomingObject) { self.incoming = incoming }

    func restart() throws(RemoteError) {
        do { try incoming.restart() } catch { throw .local(path: error.path, detail: error.description) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(RemoteError) {
        do { try incoming.write(bytes) } catch { throw .local(path: error.path, detail: error.description) }
    }

    func receive(file: String) throws(RemoteError) -> Int64? {
        do {
            try incoming.receive(copyOf: file)
        } catch where error.isNotFound && error.path == file {
            throw .missingObject(url: RepoPath.parent(file), key: RepoPath.name(file))
        } catch {
            throw .local(path: error.path, detail: error.description)
        }
        return incoming.size
    }
}
