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
