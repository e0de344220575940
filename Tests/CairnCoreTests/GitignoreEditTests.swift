import CairnCore
import CairnTestSupport
import Foundation
import Testing

@Suite struct GitignoreEditTests {
    @Test func entriesForAwkwardNamesMatchFixture07() throws {
        struct Case: Decodable { var name: String }
        let cases = try JSONDecoder().decode([Case].self, from: Data(try Fixtures.bytes("07-yaml-quoting/cases.json")))
        var text: String?
        for item in cases {
            text = GitignoreEdit.adding(GitignoreEdit.entry(forPathRelativeToItsDirectory: item.name), to: text)
        }
        #expect(Array((text ?? "").utf8) == (try Fixtures.bytes("07-yaml-quoting/gitignore")))
    }

    @Test func entriesForFixture01() throws {
        var text: String?
        for output in ["data", "single.txt", "run.sh"] {
            let (path, entry) = GitignoreEdit.location(forOutput: output)
            #expect(path == ".gitignore")
            text = GitignoreEdit.adding(entry, to: text)
        }
        #expect(Array((text ?? "").utf8) == (try Fixtures.bytes("01-add/gitignore")))
    }

    @Test func escaping() {
        #expect(GitignoreEdit.entry(forPathRelativeToItsDirectory: "#x") == "/\\#x")
        #expect(GitignoreEdit.entry(forPathRelativeToItsDirectory: "[x]") == "/\\[x\\]")
        #expect(GitignoreEdit.entry(forPathRelativeToItsDirectory: "a\\b") == "/a\\\\b")
        #expect(GitignoreEdit.entry(forPathRelativeToItsDirectory: "x ") == "/x ")
        #expect(GitignoreEdit.entry(forPathRelativeToItsDirectory: "d/e f") == "/d/e f")
        let location = GitignoreEdit.location(forOutput: "deep/er/f.bin")
        #expect(location.gitignorePath == "deep/er/.gitignore")
        #expect(location.entry == "/f.bin")
    }

    @Test func adding() {
        #expect(GitignoreEdit.adding("/a", to: nil) == "/a\n")
        #expect(GitignoreEdit.adding("/a", to: "") == "/a\n")
        #expect(GitignoreEdit.adding("/a", to: "x\n") == "x\n/a\n")
        #expect(GitignoreEdit.adding("/a", to: "x") == "x\n/a\n")
        #expect(GitignoreEdit.adding("/a", to: "x\n/a\ny") == nil)
        #expect(GitignoreEdit.adding("/a", to: "/a\r\n") == nil)
        #expect(GitignoreEdit.adding("/a", to: "  /a  \n") == "  /a  \n/a\n")
    }

    @Test func removingAsDVCDoes() {
        #expect(GitignoreEdit.removing("/a", from: "/a\n") == "")
        #expect(GitignoreEdit.removing("/a", from: "x\n/a\n/b\n") == "x\n/b\n")
        #expect(GitignoreEdit.removing("/a", from: "x\n/b\n") == nil)
        // DVC compares stripped lines: all of these go, an unterminated last line is kept as it was.
        #expect(GitignoreEdit.removing("/b", from: "  /b  \n/b\n\t/b\nz") == "z")
        #expect(GitignoreEdit.removing("/c", from: "/c\r\n/b\n") == "/b\n")
        #expect(GitignoreEdit.removing("/b", from: "/a\n/b") == "/a\n")
    }
}
