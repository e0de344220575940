/// A remote operation failed. Each case renders as one line that says what failed and what to do; none carries
/// a secret (keys, signatures and credentials are never part of a message).
public enum RemoteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The endpoint could not be reached (refused, DNS, timeout) after retries.
    case unreachable(url: String, detail: String)
    /// The remote refused the credentials (unknown key, bad signature, access denied).
    case accessDenied(url: String, detail: String)
    /// The bucket (or the local remote's directory) does not exist.
    case noSuchBucket(url: String)
    /// A key that was expected is absent.
    case missingObject(url: String, key: String)
    /// A transfer kept failing after retries.
    case transfer(url: String, key: String, detail: String)
    /// The remote's configuration is unusable (bad URL, missing credentials, unknown option).
    case configuration(String)
    /// A local file could not be read or written.
    case local(path: String, detail: String)

    public var description: String {
        switch self {
        case .unreachable(let url, let detail):
            return "cannot reach remote '\(url)': \(detail). Check the URL, `endpointurl` and your network, then retry"
        case .accessDenied(let url, let detail):
            return "access to remote '\(url)' denied: \(detail). Check the credentials (`cairn remote modify --local`, "
                + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or ~/.aws/credentials)"
        case .noSuchBucket(let url):
            return "remote '\(url)' does not exist. Create the bucket (or directory) or fix the URL with `cairn remote modify`"
        case .missingObject(let url, let key):
            return "'\(key)' is missing from remote '\(url)'"
        case .transfer(let url, let key, let detail):
            return "transfer of '\(key)' with remote '\(url)' failed: \(detail). Run the command again to resume"
        case .configuration(let message):
            return message
        case .local(let path, let detail):
            return "\(path): \(detail)"
        }
    }
}
