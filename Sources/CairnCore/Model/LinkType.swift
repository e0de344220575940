import Foundation

/// How a cache object is placed in the workspace (`cache.type`, an ordered preference list).
public enum LinkType: String, Sendable, Hashable, CaseIterable {
    /// Copy-on-write clone (FICLONE); falls through when the file system cannot.
    case reflink
    /// Hard link to the read-only object.
    case hardlink
    /// Absolute symlink to the object.
    case symlink
    /// Independent copy, hashed while written.
    case copy

    /// DVC's default preference: `reflink,copy`.
    public static let defaultPreference: [LinkType] = [.reflink, .copy]

    /// Parses a `cache.type` value such as `"hardlink,copy"`; nil names the offending word.
    public static func parseList(_ text: String) -> Result<[LinkType], LinkTypeParseError> {
        var types: [LinkType] = []
        for word in text.split(separator: ",") {
            let trimmed = word.trimmingCharacters(in: .whitespaces)
            guard let type = LinkType(rawValue: trimmed) else { return .failure(LinkTypeParseError(word: trimmed)) }
            if !types.contains(type) { types.append(type) }
        }
        if types.isEmpty { return .failure(LinkTypeParseError(word: text)) }
        return .success(types)
    }
}

/// A `cache.type` word that is not a link type.
public struct LinkTypeParseError: Error, Sendable, Equatable {
    /// The unknown word.
    public var word: String
}
