import Foundation
internal import CGit2

/// Who made a commit and when (author or committer).
public struct GitSignature: Hashable, Sendable {
    /// The person's name.
    public var name: String
    /// The person's e-mail address.
    public var email: String
    /// Seconds since the Unix epoch.
    public var time: Int64
    /// The time zone's offset from UTC, in minutes (e.g. 120 for +0200).
    public var offsetMinutes: Int

    /// Creates a signature; the time defaults to now, in UTC.
    public init(name: String, email: String, time: Int64? = nil, offsetMinutes: Int = 0) {
        self.name = name
        self.email = email
        self.time = time ?? Int64(Date().timeIntervalSince1970)
        self.offsetMinutes = offsetMinutes
    }

    /// The time as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(time)) }

    init(_ raw: UnsafePointer<git_signature>) {
        let signature = raw.pointee
        name = signature.name.map { String(cString: $0) } ?? ""
        email = signature.email.map { String(cString: $0) } ?? ""
        time = Int64(signature.when.time)
        offsetMinutes = Int(signature.when.offset)
    }

    /// A libgit2 copy, freed when the handle goes.
    func makeHandle() throws -> SignatureHandle {
        var out: UnsafeMutablePointer<git_signature>?
        try gitCheck(
            git_signature_new(&out, name, email, git_time_t(time), Int32(offsetMinutes)), "create signature",
            path: "\(name) <\(email)>",
            hint: "set a non-empty name and e-mail (git config user.name / user.email)")
        return SignatureHandle(out!)
    }
}

/// One commit's metadata, as `git log` shows it.
public struct GitCommitInfo: Hashable, Sendable {
    /// The commit's id.
    public var id: GitOID
    /// The id of the commit's root tree.
    public var tree: GitOID
    /// The parents' ids, first parent first.
    public var parents: [GitOID]
    /// Who wrote the change.
    public var author: GitSignature
    /// Who made the commit.
    public var committer: GitSignature
    /// The full message (without the encoding header).
    public var message: String
    /// The first paragraph of the message, on one line.
    public var summary: String
}
