#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Field-level value recognition on raw bytes: no String per field.
public enum FieldValue {
    /// Whether a CSV/TSV field is a null: empty, `NA`, `N/A`, `null` or `NULL`.
    @inline(__always)
    public static func isNull(_ b: UnsafeRawBufferPointer) -> Bool {
        switch b.count {
        case 0: return true
        case 2: return b[0] == 0x4E && b[1] == 0x41
        case 3: return b[0] == 0x4E && b[1] == 0x2F && b[2] == 0x41
        case 4:
            return (b[0] == 0x6E && b[1] == 0x75 && b[2] == 0x6C && b[3] == 0x6C)
                || (b[0] == 0x4E && b[1] == 0x55 && b[2] == 0x4C && b[3] == 0x4C)
        default: return false
        }
    }

    /// An optionally signed decimal integer that fits in 64 bits.
    @inline(__always)
    public static func int(_ b: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        var negative = false
        if b.count > 0 && (b[0] == 0x2D || b[0] == 0x2B) { negative = b[0] == 0x2D; i = 1 }
        guard i < b.count else { return nil }
        var value = 0
        while i < b.count {
            let d = Int(b[i]) &- 0x30
            guard d >= 0 && d <= 9 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
            guard !o1 && !o2 else { return nil }
            value = s
            i += 1
        }
        return value
    }

    private static let powersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }

    /// A decimal or scientific number (`3`, `-0.25`, `1e-5`, `.5`); `inf`/`nan` and hex are refused.
    @inline(__always)
    public static func double(_ b: UnsafeRawBufferPointer) -> Double? {
        let n = b.count
        var i = 0
        var negative = false
        if n > 0 && (b[0] == 0x2D || b[0] == 0x2B) { negative = b[0] == 0x2D; i = 1 }
        var mantissa = 0
        var digits = 0
        var fraction = 0
        var seenPoint = false
        while i < n {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 {
                if digits < 18 { mantissa = mantissa &* 10 &+ Int(c &- 0x30); digits += 1; if seenPoint { fraction += 1 } }
                else { return slow(b) }
            } else if c == 0x2E && !seenPoint {
                seenPoint = true
            } else if c == 0x65 || c == 0x45 {
                return digits > 0 ? slow(b) : nil
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        let value = Double(mantissa) / powersOfTen[fraction]
        return negative ? -value : value
    }

    /// strtod on a NUL-terminated stack copy, for exponents and long mantissas.
    private static func slow(_ b: UnsafeRawBufferPointer) -> Double? {
        guard b.count < 64 else { return nil }
        for c in b where !((c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x2D || c == 0x2B || c == 0x65 || c == 0x45) {
            return nil
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> Double? in
            for k in 0..<b.count { buffer[k] = CChar(bitPattern: b[k]) }
            buffer[b.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            guard let end, end - buffer.baseAddress! == b.count else { return nil }
            return value
        }
    }

    /// `true`/`false` in lower, Title or UPPER case, or `1`/`0`.
    @inline(__always)
    public static func isBool(_ b: UnsafeRawBufferPointer) -> Bool {
        let text = Array(b.prefix(6))
        switch text {
        case Array("true".utf8), Array("True".utf8), Array("TRUE".utf8), Array("false".utf8), Array("False".utf8),
             Array("FALSE".utf8), [0x31], [0x30]: return true
        default: return false
        }
    }
}

/// ISO 8601 calendar dates with an optional time: `YYYY-MM-DD[(T| )HH:MM[:SS[.f+]][Z|±HH:MM]]`.
public enum ISODate {
    /// Whether the bytes are such a date (with a real day of the month).
    public static func isValid<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8, Bytes.Index == Int {
        let b = bytes
        let s = b.startIndex
        let n = b.count
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= n else { return nil }
            var value = 0
            for k in 0..<count {
                let d = Int(b[s + from + k]) - 0x30
                guard d >= 0 && d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard n >= 10, let year = digits(0, 4), b[s + 4] == 0x2D, let month = digits(5, 2), b[s + 7] == 0x2D,
              let day = digits(8, 2), (1...12).contains(month) else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return false }
        if n == 10 { return true }
        guard b[s + 10] == 0x54 || b[s + 10] == 0x20, let hour = digits(11, 2), hour < 24, n >= 16, b[s + 13] == 0x3A,
              let minute = digits(14, 2), minute < 60 else { return false }
        var i = 16
        if i < n && b[s + i] == 0x3A {
            guard let second = digits(i + 1, 2), second <= 60 else { return false }
            i += 3
            if i < n && b[s + i] == 0x2E {
                i += 1
                let start = i
                while i < n && b[s + i] >= 0x30 && b[s + i] <= 0x39 { i += 1 }
                guard i > start else { return false }
            }
        }
        if i == n { return true }
        if b[s + i] == 0x5A { return i + 1 == n }
        guard b[s + i] == 0x2B || b[s + i] == 0x2D, let offsetHour = digits(i + 1, 2), offsetHour < 24 else { return false }
        if i + 3 == n { return true }
        guard i + 6 == n, b[s + i + 3] == 0x3A, let offsetMinute = digits(i + 4, 2), offsetMinute < 60 else { return false }
        return true
    }
}
