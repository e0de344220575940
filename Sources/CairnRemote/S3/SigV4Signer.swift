import Crypto
import Foundation

/// A request as AWS Signature V4 sees it: the path and query are given decoded and encoded here by S3's rules.
public struct SignableRequest: Sendable, Equatable {
    /// HTTP method, upper case.
    public var method: String
    /// `Host` header value (with `:port` when it is not the scheme's default).
    public var host: String
    /// Decoded absolute path (`/bucket/files/md5/ab/cd…`); each segment is percent-encoded once, `/` kept.
    public var path: String
    /// Decoded query parameters (a parameter without value has value "").
    public var query: [(String, String)]
    /// Headers to send and sign (besides `host`, which is always signed).
    public var headers: [(String, String)]
    /// Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
    public var payloadHash: String

    /// A request with the given parts.
    public init(method: String, host: String, path: String, query: [(String, String)] = [],
                headers: [(String, String)] = [], payloadHash: String) {
        self.method = method
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
    }

    public static func == (lhs: SignableRequest, rhs: SignableRequest) -> Bool {
        lhs.method == rhs.method && lhs.host == rhs.host && lhs.path == rhs.path && lhs.payloadHash == rhs.payloadHash
            && lhs.query.elementsEqual(rhs.query, by: ==) && lhs.headers.elementsEqual(rhs.headers, by: ==)
    }

    /// The percent-encoded path as sent on the wire and signed.
    public var encodedPath: String { SigV4Signer.encodePath(path) }

    /// The canonical (sorted, encoded) query string, also used on the wire.
    public var encodedQuery: String {
        query.map { (SigV4Signer.uriEncode($0.0), SigV4Signer.uriEncode($0.1)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }
}

/// AWS Signature Version 4 (header authorization), pure: HMAC-SHA256 over the canonical request.
public struct SigV4Signer: Sendable {
    /// The payload hash for bodies that are streamed without being hashed first.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// Hex SHA-256 of the empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The credentials that sign.
    public let credentials: S3Credentials
    /// Region of the credential scope (`us-east-1`, …).
    public let region: String
    /// Service of the credential scope (`s3`).
    public let service: String

    /// A signer for one credential scope.
    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The signed request's parts, for tests and for assembling the wire request.
    public struct Signed: Sendable {
        /// All headers to send, including `x-amz-date`, the session token and `Authorization` (not `host`).
        public let headers: [(String, String)]
        /// The canonical request that was hashed.
        public let canonicalRequest: String
        /// The string that was signed.
        public let stringToSign: String
        /// Hex signature.
        public let signature: String
        /// The `Authorization` header value.
        public var authorization: String { headers.first { $0.0 == "Authorization" }?.1 ?? "" }
    }

    /// Signs `request` at `date`: adds `x-amz-date` (and `x-amz-security-token`) and `Authorization`.
    public func sign(_ request: SignableRequest, at date: Date) -> Signed {
        let (amzDate, day) = Self.timestamps(date)
        var headers = request.headers
        headers.append(("x-amz-date", amzDate))
        if let token = credentials.sessionToken, !token.isEmpty { headers.append(("x-amz-security-token", token)) }

        var canonicalHeaders: [(String, String)] = [("host", Self.trimHeaderValue(request.host))]
        for (name, value) in headers {
            let lower = name.lowercased()
            let trimmed = Self.trimHeaderValue(value)
            if let index = canonicalHeaders.firstIndex(where: { $0.0 == lower }) {
                canonicalHeaders[index].1 += "," + trimmed
            } else {
                canonicalHeaders.append((lower, trimmed))
            }
        }
        canonicalHeaders.sort { $0.0 < $1.0 }
        let signedHeaders = canonicalHeaders.map(\.0).joined(separator: ";")
        let canonicalRequest = [
            request.method,
            request.encodedPath,
            request.encodedQuery,
            canonicalHeaders.map { "\($0.0):\($0.1)\n" }.joined(),
            signedHeaders,
            request.payloadHash,
        ].joined(separator: "\n")

        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n" + Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8)))
        var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        headers.append((
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        ))
        return Signed(headers: headers, canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature)
    }

    /// `20150830T123600Z` and `20150830` for `date` (UTC).
    public static func timestamps(_ date: Date) -> (amzDate: String, day: String) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let dayText = pad(year, 4) + pad(month, 2) + pad(day, 2)
        let time = pad(secondOfDay / 3_600, 2) + pad(secondOfDay / 60 % 60, 2) + pad(secondOfDay % 60, 2)
        return (dayText + "T" + time + "Z", dayText)
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters (`A-Z a-z 0-9 - . _ ~`).
    public static func uriEncode(_ text: String, keepSlash: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        let digits = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// S3's canonical URI: each segment encoded once, `/` kept, no dot-segment normalisation.
    public static func encodePath(_ path: String) -> String {
        path.isEmpty ? "/" : uriEncode(path, keepSlash: true)
    }

    private static func trimHeaderValue(_ value: String) -> String {
        var out = ""
        var pendingSpace = false
        for character in value.trimmingCharacters(in: .whitespaces) {
            if character == " " || character == "\t" {
                pendingSpace = true
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(character)
        }
        return out
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
