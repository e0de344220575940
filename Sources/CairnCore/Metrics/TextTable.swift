/// DVC's table output (`tabulate` with `disable_numparse`, FORMATS.md §8.6): every cell is left-aligned text,
/// stripped of surrounding whitespace; a column is as wide as its longest cell or its header plus two.
public struct TextTable: Sendable, Equatable {
    /// Column headers.
    public var headers: [String]
    /// Rows of cells; short rows are padded with `-` (DVC's missing value).
    public var rows: [[String]]

    /// Creates a table.
    public init(headers: [String], rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    /// The `plain` format: columns separated by two spaces, lines right-stripped, header first, no rule; each line
    /// ends in LF. An empty table (no rows) prints nothing, as DVC does.
    public func plain() -> String {
        guard !rows.isEmpty else { return "" }
        let layout = Layout(self)
        var out = ""
        for row in [layout.head] + layout.body {
            for index in 0..<Self.height(row) {
                var text = ""
                for (column, cell) in row.enumerated() {
                    if column > 0 { text += "  " }
                    Self.append(cell, line: index, width: layout.widths[column], to: &text)
                }
                while text.utf8.last == UInt8(ascii: " ") { text.removeLast() }
                out += text
                out += "\n"
            }
        }
        return out
    }

    /// The GitHub-markdown format (`--md`): `| cell |` rows padded to the column widths, a dash rule under the
    /// header, and one empty line after the table (printed even without rows).
    public func markdown() -> String {
        let layout = Layout(self)
        var out = ""
        func row(_ cells: [Cell]) {
            for index in 0..<Self.height(cells) {
                out += "|"
                for (column, cell) in cells.enumerated() {
                    out += " "
                    Self.append(cell, line: index, width: layout.widths[column], to: &out)
                    out += " |"
                }
                out += "\n"
            }
        }
        row(layout.head)
        out += "|" + layout.widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|\n"
        for line in layout.body { row(line) }
        return out + "\n"
    }

    // A cell with line breaks spans several output lines, as in tabulate; other cells of its row get blank lines.
    private struct Cell {
        var lines: [(text: String, width: Int)]
        var width: Int
        init(_ raw: String) {
            let text = TextTable.strip(raw)
            if text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
                lines = TextTable.splitLines(text).map { ($0, TextTable.displayWidth($0)) }
            } else {
                lines = [(text, TextTable.displayWidth(text))]
            }
            width = lines.map(\.width).max() ?? 0
        }
    }

    private static func height(_ row: [Cell]) -> Int {
        row.map(\.lines.count).max() ?? 1
    }

    // Python's str.splitlines() for the breaks that matter here: LF, CR and CRLF.
    private static func splitLines(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var previousCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && previousCR {
                previousCR = false
                continue
            }
            previousCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" {
                result.append(current)
                current = ""
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        result.append(current)
        return result
    }

    // Every cell is measured once; `metrics show -A` over many commits makes big tables.
    private struct Layout {
        var head: [Cell]
        var body: [[Cell]]
        var widths: [Int]

        init(_ table: TextTable) {
            let columns = max(table.headers.count, table.rows.map(\.count).max() ?? 0)
            head = (0..<columns).map { Cell($0 < table.headers.count ? table.headers[$0] : "") }
            body = table.rows.map { row in (0..<columns).map { Cell($0 < row.count ? row[$0] : "-") } }
            widths = head.map { $0.width + 2 }
            for line in body {
                for (column, cell) in line.enumerated() where cell.width > widths[column] { widths[column] = cell.width }
            }
        }
    }

    private static func append(_ cell: Cell, line: Int, width: Int, to out: inout String) {
        let (text, used) = line < cell.lines.count ? cell.lines[line] : ("", 0)
        out += text
        if width > used { out += String(repeating: " ", count: width - used) }
    }

    // Python's str.strip(): Unicode whitespace on both ends.
    private static func strip(_ text: String) -> String {
        if let first = text.utf8.first, let last = text.utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return text
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

    /// Terminal columns of a cell as `wcwidth.wcswidth` (0.2.14, grapheme-aware) counts them: East Asian
    /// wide/fullwidth characters and emoji take two; combining marks, format characters and whatever follows a
    /// zero-width joiner none; VS16 widens the character before it; a regional-indicator pair (a flag) is two.
    public static func displayWidth(_ text: String) -> Int {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.count }
        var width = 0
        var previous = 0            // width given to the previous scalar
        var afterJoiner = false
        var openFlag = false        // a regional indicator waiting for its pair
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x300 && !afterJoiner {
                width += 1
                previous = 1
                afterJoiner = false
                openFlag = false
                continue
            }
            var current: Int
            if afterJoiner {
                current = 0
            } else if value == 0x200D {
                current = 0
            } else if value == 0xFE0F {
                current = previous == 1 ? 1 : 0
            } else if (0x1F3FB...0x1F3FF).contains(value) {
                current = previous == 2 ? 0 : 2
            } else if (0x1F1E6...0x1F1FF).contains(value) {
                current = openFlag ? 0 : 2
                openFlag.toggle()
            } else {
                switch scalar.properties.generalCategory {
                case .nonspacingMark, .enclosingMark, .lineSeparator, .paragraphSeparator:
                    current = 0
                case .format:
                    current = (0x600...0x605).contains(value) || value == 0x6DD || value == 0x70F ? 1 : 0
                default:
                    current = (0x1160...0x11FF).contains(value) ? 0 : (isWide(value) ? 2 : 1)
                }
            }
            if !(0x1F1E6...0x1F1FF).contains(value) { openFlag = false }
            afterJoiner = value == 0x200D
            width += current
            // VS16 and modifiers widen/attach to the character before, which is what the next scalar sees.
            if value == 0xFE0F || (0x1F3FB...0x1F3FF).contains(value) { previous = 2 } else if current > 0 { previous = current }
        }
        return width
    }

    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3, 0x25FD...0x25FE,
             0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE,
             0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705,
             0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF,
             0x2B1B...0x2B1C, 0x2B50, 0x2B55, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F320,
             0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3,
             0x1F3E0...0x1F3F0, 0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D,
             0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A, 0x1F595...0x1F596, 0x1F5A4, 0x1F5FB...0x1F64F,
             0x1F680...0x1F6C5, 0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF,
             0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0, 0x1F90C...0x1F93A,
             0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
