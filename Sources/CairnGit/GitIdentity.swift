import Foundation

/// Who git would name as author or committer of a new commit, found the way `git commit` finds it.
///
/// libgit2 1.5 reads only `user.name`/`user.email`; git itself looks at `GIT_AUTHOR_*` / `GIT_COMMITTER_*`
/// first, then `author.*` / `committer.*`, then `user.*`, then `EMAIL` — so does cairn.
public enum GitIdentity {
    /// Which of the two signatures.
    public enum Role: String, Sendable {
        case author, committer

        var environmentPrefix: String { "GIT_\(rawValue.uppercased())_" }
    }

    /// The signature for `role`, from `environment` and `config` (a git config lookup), timed `now` unless
    /// `GIT_AUTHOR_DATE` / `GIT_COMMITTER_DATE` says otherwise.
    public static func signature(
        _ role: Role, environment: [String: String], config: (String) throws -> String?, now: Date = Date(),
        timeZone: TimeZone = .current
    ) throws -> GitSignature {
        func first(_ keys: [String], env: String, fallback: String? = nil) throws -> String? {
            if let value = environment[env], !value.isEmpty { return value }
            for key in keys { if let value = try config(key), !value.isEmpty { return value } }
            return fallback.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let prefix = role.environmentPrefix
        let name = try first(["\(role.rawValue).name", "user.name"], env: prefix + "NAME")
        let email = try first(["\(role.rawValue).email", "user.email"], env: prefix + "EMAIL", fallback: "EMAIL")
        guard let name, let email else {
            throw GitError(
                code: .notFound, message: "\(role.rawValue) identity unknown", operation: "commit",
                path: name == nil ? "user.name" : "user.email",
                hint: "tell git who you are: git config --global user.name 'Your Name'; "
                    + "git config --global user.email you@example.com (or set \(prefix)NAME and \(prefix)EMAIL)")
        }
        if let text = environment[prefix + "DATE"], !text.isEmpty {
            guard let (time, offset) = parseDate(text) else {
                throw GitError(
                    code: .invalid, message: "invalid date format '\(text)'", operation: "commit",
                    path: prefix + "DATE",
                    hint: "use '@SECONDS +HHMM', ISO 8601 (2005-04-07T22:13:13+02:00) or RFC 2822")
            }
            return GitSignature(name: name, email: email, time: time, offsetMinutes: offset)
        }
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        return GitSignature(
            name: name, email: email, time: seconds, offsetMinutes: timeZone.secondsFromGMT(for: now) / 60)
    }

    /// Seconds since the epoch and the zone offset in minutes, for the date formats git accepts in its
    /// environment variables: `@1112911993 +0200`, `1112911993 +0200`, ISO 8601 and RFC 2822.
    public static func parseDate(_ text: String) -> (time: Int64, offsetMinutes: Int)? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let words = trimmed.split(separator: " ")
        // git's own format, with or without the '@'.
        if let first = words.first, let seconds = Int64(first.hasPrefix("@") ? first.dropFirst() : first),
            words.count <= 2
        {
            let offset = words.count == 2 ? parseOffset(words[1]) : 0
            return offset.map { (seconds, $0) }
        }
        return parseISO8601(trimmed) ?? parseRFC2822(words)
    }

    private static func parseOffset(_ text: Substring) -> Int? {
        if text == "Z" || text == "UTC" || text == "GMT" { return 0 }
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let digits = text.dropFirst().filter { $0 != ":" }
        guard digits.count == 4, let value = Int(digits) else { return nil }
        let minutes = value / 100 * 60 + value % 100
        return sign == "-" ? -minutes : minutes
    }

    /// `2005-04-07T22:13:13+02:00`, `2005-04-07 22:13:13 +0200`, `…Z`.
    private static func parseISO8601(_ text: String) -> (Int64, Int)? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var rest = Substring(String(decoding: bytes[19...], as: UTF8.self))
        if rest.hasPrefix(".") { rest = rest.drop { $0 == "." || $0.isNumber } }
        rest = rest.drop { $0 == " " }
        let offset = rest.isEmpty ? 0 : parseOffset(rest)
        guard let offset else { return nil }
        return epoch(year, month, day, hour, minute, second, offset: offset).map { ($0, offset) }
    }

    /// `Thu, 07 Apr 2005 22:13:13 +0200`.
    private static func parseRFC2822(_ words: [Substring]) -> (Int64, Int)? {
        var words = words
        if let first = words.first, first.hasSuffix(",") { words.removeFirst() }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard words.count == 5, let day = Int(words[0]), let month = months.firstIndex(of: String(words[1])),
            let year = Int(words[2]), let offset = parseOffset(words[4])
        else { return nil }
        let clock = words[3].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        return epoch(year, month + 1, day, clock[0], clock[1], clock[2], offset: offset).map { ($0, offset) }
    }

    private static func epoch(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int,
                              offset: Int) -> Int64? {
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        // Days from the civil date (proleptic Gregorian), without Foundation's calendar machinery.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146097 + dayOfEra - 719468
        return Int64(days * 86400 + hour * 3600 + minute * 60 + second - offset * 60)
    }
}

extension GitRepository {
    /// The author or committer `git commit` would record here, from `environment` and this repository's config.
    public func signature(_ role: GitIdentity.Role, environment: [String: String]) throws -> GitSignature {
        try GitIdentity.signature(role, environment: environment, config: { try self.configString($0) })
    }
}
