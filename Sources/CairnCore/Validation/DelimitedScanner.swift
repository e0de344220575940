/// Receives the fields of a delimited file as the scanner finds them.
public protocol DelimitedSink {
    /// One field's bytes (quotes removed, `""` unescaped); `column` is 0-based, `line` the record's first line.
    mutating func field(_ bytes: UnsafeRawBufferPointer, column: Int, line: Int)
    /// The end of a record with `fieldCount` fields.
    mutating func endRecord(fieldCount: Int, line: Int)
    /// A quoting error in a record (text after a closing quote, or an unterminated quote at the end).
    mutating func malformed(_ message: String, column: Int, line: Int)
}

/// A streaming RFC 4180 scanner (quotes, `""`, CRLF or LF, blank lines skipped) fed with chunks of any size.
/// Fields are handed out as slices of the chunk when they lie within it, so the common case copies nothing.
public struct DelimitedScanner {
    private enum State { case fieldStart, unquoted, quoted, afterQuote, afterCR }

    private let delimiter: UInt8
    private var state = State.fieldStart
    /// A field that spans chunks, or a quoted one (unescaped).
    private var buffer: [UInt8] = []
    private var column = 0
    /// The line the current record starts on (1-based) and the line being scanned.
    private var recordLine = 1
    private var line = 1

    /// Creates a scanner for `,` (CSV) or `\t` (TSV).
    public init(delimiter: UInt8) {
        self.delimiter = delimiter
        buffer.reserveCapacity(256)
    }

    /// Scans one chunk.
    public mutating func feed<Sink: DelimitedSink>(_ chunk: UnsafeRawBufferPointer, into sink: inout Sink) {
        guard let base = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let n = chunk.count
        let delimiter = self.delimiter
        var i = 0
        while i < n {
            switch state {
            case .fieldStart, .unquoted:
                if state == .fieldStart && base[i] == 0x22 {
                    state = .quoted
                    buffer.removeAll(keepingCapacity: true)
                    i += 1
                    continue
                }
                var j = i
                while j < n {
                    let c = base[j]
                    if c == delimiter || c == 0x0A || c == 0x0D { break }
                    j &+= 1
                }
                if state == .fieldStart && j < n {
                    if j == i && column == 0 && base[j] != delimiter {
                        // A blank line: no record at all.
                        line &+= 1
                        recordLine = line
                        state = base[j] == 0x0D ? .afterCR : .fieldStart
                        i = j + 1
                        continue
                    }
                    sink.field(UnsafeRawBufferPointer(start: base + i, count: j - i), column: column, line: recordLine)
                } else {
                    buffer.append(contentsOf: UnsafeBufferPointer(start: base + i, count: j - i))
                    if j == n { state = .unquoted; i = n; continue }
                    emitBuffer(&sink)
                }
                i = terminate(base[j], at: j, &sink)
            case .quoted:
                var j = i
                while j < n && base[j] != 0x22 {
                    if base[j] == 0x0A { line &+= 1 }
                    j &+= 1
                }
                buffer.append(contentsOf: UnsafeBufferPointer(start: base + i, count: j - i))
                if j == n { i = n; continue }
                state = .afterQuote
                i = j + 1
            case .afterQuote:
                let c = base[i]
                if c == 0x22 {
                    buffer.append(0x22)
                    state = .quoted
                    i += 1
                } else if c == delimiter || c == 0x0A || c == 0x0D {
                    emitBuffer(&sink)
                    i = terminate(c, at: i, &sink)
                } else {
                    sink.malformed("text after a closing quote", column: column, line: recordLine)
                    state = .unquoted
                }
            case .afterCR:
                if base[i] == 0x0A { i += 1 }
                state = .fieldStart
            }
        }
    }

    /// Ends the input: a last record without a newline is emitted; an open quote is reported.
    public mutating func finish<Sink: DelimitedSink>(into sink: inout Sink) {
        switch state {
        case .quoted:
            sink.malformed("unterminated quoted field", column: column, line: recordLine)
            emitBuffer(&sink)
            endRecord(&sink)
        case .afterQuote, .unquoted:
            emitBuffer(&sink)
            endRecord(&sink)
        case .fieldStart:
            if column > 0 {
                sink.field(UnsafeRawBufferPointer(start: nil, count: 0), column: column, line: recordLine)
                endRecord(&sink)
            }
        case .afterCR:
            break
        }
        state = .fieldStart
    }

    private mutating func emitBuffer<Sink: DelimitedSink>(_ sink: inout Sink) {
        buffer.withUnsafeBytes { sink.field($0, column: column, line: recordLine) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Handles the byte that ended a field; returns where scanning resumes.
    private mutating func terminate<Sink: DelimitedSink>(_ c: UInt8, at index: Int, _ sink: inout Sink) -> Int {
        if c == delimiter {
            column += 1
            state = .fieldStart
        } else {
            endRecord(&sink)
            line &+= 1
            recordLine = line
            state = c == 0x0D ? .afterCR : .fieldStart
        }
        return index + 1
    }

    private mutating func endRecord<Sink: DelimitedSink>(_ sink: inout Sink) {
        sink.endRecord(fieldCount: column + 1, line: recordLine)
        column = 0
    }
}
