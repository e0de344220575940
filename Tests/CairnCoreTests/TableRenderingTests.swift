import Testing
@testable import CairnCore

/// `TextTable` against tabulate 0.10 as DVC calls it (FORMATS.md §8.6).
struct TableRenderingTests {
    @Test func plainWidthsAndStripping() {
        let table = TextTable(headers: ["Path", "", "x"], rows: [["a", "  padded ", "-"], ["longer-name.json", "b"]])
        #expect(table.plain() == """
            Path                      x
            a                 padded  -
            longer-name.json  b       -

            """)
    }

    @Test func multilineCells() {
        // Observed: `metrics show` with {"s": "line1\nline2", "t": "x", "sp": "  pad  "}.
        let table = TextTable(headers: ["Path", "s", "sp", "t"], rows: [["a.json", "line1\nline2", "  pad  ", "x"]])
        #expect(table.plain() == "Path    s      sp    t\na.json  line1  pad   x\n        line2\n")
        #expect(table.markdown() == """
            | Path   | s     | sp   | t   |
            |--------|-------|------|-----|
            | a.json | line1 | pad  | x   |
            |        | line2 |      |     |


            """)
    }

    @Test func markdown() {
        let table = TextTable(headers: ["Path", "v"], rows: [["metrics.json", "0.85"]])
        #expect(table.markdown() == """
            | Path         | v    |
            |--------------|------|
            | metrics.json | 0.85 |


            """)
    }

    @Test func emptyTables() {
        let table = TextTable(headers: ["Path"], rows: [])
        #expect(table.plain() == "")
        #expect(table.markdown() == "| Path   |\n|--------|\n\n")
    }

    @Test func wideAndCombiningCharacters() {
        #expect(TextTable.displayWidth("é中") == 3)
        #expect(TextTable.displayWidth("e\u{301}") == 1)
        #expect(TextTable.displayWidth("😀") == 2)
        #expect(TextTable.displayWidth("ｘ") == 2)
        // Values printed by wcwidth 0.2.14's wcswidth (the one tabulate uses in DVC's venv).
        let samples: [(String, Int)] = [
            ("한국어", 6), ("\u{200B}", 0), ("\u{AD}", 1), ("ア", 2), ("🇫🇷", 2), ("👍🏽", 2), ("✅", 2), ("☕", 2),
            ("Ω", 1), ("ﾊ", 1), ("〜", 2), ("\u{3000}", 2), ("x\u{200D}y", 1), ("€", 1), ("👨‍👩‍👧", 2),
            ("❤\u{FE0F}", 2), ("❤", 1), ("#\u{FE0F}\u{20E3}", 2), ("🇫", 2), ("🏽", 2), ("a🏽", 3), ("a\u{200D}", 1),
            ("🇫🇷🇩🇪", 4), ("\u{2028}", 0), ("\u{A0}", 1), ("\u{600}", 1), ("\u{E0001}", 0),
        ]
        for (text, width) in samples {
            #expect(TextTable.displayWidth(text) == width, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // Observed: `u` column of `metrics diff --md` holding `é中` padded to a 20-wide column.
        let table = TextTable(headers: ["workspace"], rows: [["12345678901234567890"], ["é中"]])
        #expect(table.markdown() == """
            | workspace            |
            |----------------------|
            | 12345678901234567890 |
            | é中                  |


            """)
    }
}
