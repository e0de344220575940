import CairnCore
import CairnTestSupport
import Foundation
import Testing

@Suite struct IgnoreMatcherTests {
    /// The `.dvcignore` of FORMATS.md §9: `dvc init`'s three comment lines plus three patterns.
    static func fixtureMatcher() throws -> IgnoreMatcher {
        let initial = try Fixtures.text("01-add/dvcignore")
        return IgnoreMatcher(files: [IgnoreFile(path: ".dvcignore", contents: initial + "*.tmp\n!keep.tmp\nlogs/\n")])
    }

    @Test func checkIgnoreDetailsAsDVCPrintsThem() throws {
        let matcher = try Self.fixtureMatcher()
        #expect(matcher.explain("ig/x.tmp", isDirectory: false)?.checkIgnoreLine(for: "ig/x.tmp") == ".dvcignore:4:*.tmp\tig/x.tmp")
        #expect(matcher.explain("ig/keep.tmp", isDirectory: false)?.checkIgnoreLine(for: "ig/keep.tmp") == ".dvcignore:5:!keep.tmp\tig/keep.tmp")
        #expect(matcher.explain("ig/logs/l.txt", isDirectory: false)?.checkIgnoreLine(for: "ig/logs/l.txt") == ".dvcignore:6:logs/\tig/logs/l.txt")
        #expect(matcher.explain("ig/y.txt", isDirectory: false) == nil)
        #expect(matcher.isIgnored("ig/x.tmp", isDirectory: false))
        #expect(!matcher.isIgnored("ig/keep.tmp", isDirectory: false))
        #expect(matcher.isIgnored("ig/logs", isDirectory: true))
        #expect(!matcher.isIgnored("ig/logs", isDirectory: false))
        #expect(matcher.isIgnored("ig/logs/", isDirectory: false))
    }

    @Test func dvcInitIgnoreFileHasNoPatterns() throws {
        let file = IgnoreFile(path: ".dvcignore", contents: try Fixtures.text("01-add/dvcignore"))
        #expect(file.patterns.isEmpty)
        #expect(IgnoreMatcher(files: [file]).isEmpty)
    }

    @Test func builtInNamesAreAlwaysIgnored() {
        let matcher = IgnoreMatcher(files: [IgnoreFile(path: ".dvcignore", contents: "!.git\n!*\n")])
        #expect(matcher.isIgnored(".git", isDirectory: true))
        #expect(matcher.isIgnored(".git/HEAD", isDirectory: false))
        #expect(matcher.isIgnored("sub/.git", isDirectory: false))
        #expect(matcher.isIgnored(".dvc/config", isDirectory: false))
        #expect(matcher.isIgnored("sub/.hg/x", isDirectory: false))
        #expect(matcher.isIgnored(".hg", isDirectory: true))
        #expect(!matcher.isIgnored("f.dvc", isDirectory: false))
        #expect(!matcher.isIgnored(".dvcignore", isDirectory: false))
        #expect(!matcher.isIgnored(".github/x", isDirectory: false))
        #expect(matcher.explain(".git/HEAD", isDirectory: false)?.checkIgnoreLine(for: ".git/HEAD") == ":.git\t.git/HEAD")
        #expect(matcher.explain(".dvc/config", isDirectory: false)?.checkIgnoreLine(for: ".dvc/config") == ":.dvc/\t.dvc/config")
        #expect(matcher.explain("sub/.hg", isDirectory: true)?.description == ":.hg/")
        #expect(IgnoreMatcher.builtInOnly.rules(forDirectory: "a").isIgnored(name: ".git", isDirectory: false))
    }

    @Test func parsingFollowsGit() {
        let text = "\u{FEFF}# c\n\n*.a   \nsp\\ \n\\#h\n\\!b\n!n\r\n  \nx/\n/y\n trail\\\\  \nlast"
        let file = IgnoreFile(path: "d/.dvcignore", contents: text)
        #expect(file.baseDirectory == "d")
        #expect(file.patterns.map(\.line) == [3, 4, 5, 6, 7, 9, 10, 11, 12])
        #expect(file.patterns.map(\.text) == ["*.a", "sp\\ ", "\\#h", "\\!b", "!n", "x/", "/y", " trail\\\\", "last"])
        #expect(file.patterns.map(\.isNegated) == [false, false, false, false, true, false, false, false, false])
        #expect(file.patterns.map(\.isDirectoryOnly) == [false, false, false, false, false, true, false, false, false])
        #expect(file.patterns.map(\.isAnchored) == [false, false, false, false, false, false, true, false, false])
        let matcher = IgnoreMatcher(files: [file])
        #expect(matcher.isIgnored("d/e/f.a", isDirectory: false))
        #expect(matcher.isIgnored("d/sp ", isDirectory: false))
        #expect(!matcher.isIgnored("d/sp", isDirectory: false))
        #expect(matcher.isIgnored("d/#h", isDirectory: false))
        #expect(matcher.isIgnored("d/!b", isDirectory: false))
        #expect(matcher.isIgnored("d/y", isDirectory: false))
        #expect(!matcher.isIgnored("d/e/y", isDirectory: false))
        #expect(!matcher.isIgnored("y", isDirectory: false))
        #expect(matcher.isIgnored("d/ trail\\", isDirectory: false))
        #expect(matcher.isIgnored("d/last", isDirectory: false))
    }

    @Test func excludedDirectoryCannotBeReIncluded() {
        let matcher = IgnoreMatcher(files: [IgnoreFile(path: ".dvcignore", contents: "build/\n!build/keep\n")])
        #expect(matcher.isIgnored("build/keep", isDirectory: false))
        #expect(matcher.explain("build/keep", isDirectory: false)?.pattern == "build/")
        let contents = IgnoreMatcher(files: [IgnoreFile(path: ".dvcignore", contents: "build/*\n!build/keep\n")])
        #expect(!contents.isIgnored("build/keep", isDirectory: false))
        #expect(contents.isIgnored("build/other", isDirectory: false))
    }

    @Test func deeperFilesTakePrecedence() {
        let matcher = IgnoreMatcher(files: [
            IgnoreFile(path: "a/.dvcignore", contents: "!*.log\n/local\n"),
            IgnoreFile(path: ".dvcignore", contents: "*.log\n"),
        ])
        #expect(matcher.files.map(\.path) == [".dvcignore", "a/.dvcignore"])
        #expect(matcher.isIgnored("x.log", isDirectory: false))
        #expect(!matcher.isIgnored("a/x.log", isDirectory: false))
        #expect(!matcher.isIgnored("a/b/x.log", isDirectory: false))
        #expect(matcher.isIgnored("a/local", isDirectory: false))
        #expect(!matcher.isIgnored("a/b/local", isDirectory: false))
        #expect(!matcher.isIgnored("local", isDirectory: false))
        #expect(matcher.explain("a/local", isDirectory: false)?.source == "a/.dvcignore")
        #expect(matcher.isIgnored(name: "local", inDirectory: "a", isDirectory: false))
        #expect(!matcher.isIgnored(name: "x.log", inDirectory: "a/b", isDirectory: false))
        let added = IgnoreMatcher(files: [IgnoreFile(path: ".dvcignore", contents: "*.log\n")])
            .adding(IgnoreFile(path: "a/.dvcignore", contents: "!*.log\n"))
        #expect(!added.isIgnored("a/x.log", isDirectory: false))
    }

    @Test func walkRulesSpecialiseAnchoredPatterns() {
        let matcher = IgnoreMatcher(files: [
            IgnoreFile(path: ".dvcignore", contents: "/data/raw\ndata/*/tmp\n**/cache\n/top\ndoc/**/*.md\n")
        ])
        let root = matcher.rules(forDirectory: "")
        #expect(root.isIgnored(name: "top", isDirectory: false))
        #expect(!root.isIgnored(name: "data", isDirectory: true))
        #expect(root.isIgnored(name: "cache", isDirectory: true))
        let data = root.child("data")
        #expect(data.isIgnored(name: "raw", isDirectory: true))
        #expect(!data.isIgnored(name: "top", isDirectory: false))
        #expect(data.isIgnored(name: "cache", isDirectory: false))
        let x = data.child("x")
        #expect(x.isIgnored(name: "tmp", isDirectory: false))
        #expect(!x.isIgnored(name: "raw", isDirectory: false))
        #expect(!x.child("y").isIgnored(name: "tmp", isDirectory: false))
        let doc = root.child("doc").child("a").child("b")
        #expect(doc.isIgnored(name: "r.md", isDirectory: false))
        #expect(!doc.isIgnored(name: "r.txt", isDirectory: false))
        #expect(root.child("doc").isIgnored(name: "r.md", isDirectory: false))
        let bytes = Array("r.md".utf8)
        #expect(bytes.withUnsafeBufferPointer { doc.isIgnored(nameBytes: $0, isDirectory: false) })
        #expect(doc.explain(name: "r.md", isDirectory: false)?.line == 5)
        #expect(root.child("sub", ignoreFile: IgnoreFile(path: "sub/.dvcignore", contents: "*.md\n"))
            .isIgnored(name: "x.md", isDirectory: false))
    }

    @Test func nonASCIINamesAreMatchedAsUTF8Bytes() {
        let matcher = IgnoreMatcher(files: [IgnoreFile(path: ".dvcignore", contents: "Ünï/\n*.é\n[é]x\n")])
        #expect(matcher.isIgnored("Ünï/é.txt", isDirectory: false))
        #expect(matcher.isIgnored("a/b.é", isDirectory: false))
        // git compares bytes: `[é]` is a class of two bytes, so it does not match the two-byte `é`.
        #expect(!matcher.isIgnored("éx", isDirectory: false))
    }

    /// 100,000 entries through per-directory rules stay far below the cost of hashing them.
    @Test func walkCheckIsFast() {
        let matcher = IgnoreMatcher(files: [
            IgnoreFile(path: ".dvcignore", contents: "*.tmp\n*.log\n!keep.log\nnode_modules/\n/build\n__pycache__/\n*.py[cod]\ndata/**/scratch\n")
        ])
        let rules = matcher.rules(forDirectory: "data").child("part")
        let names = (0..<1000).map { "file-\($0).\(["csv", "tmp", "log", "pyc", "bin"][$0 % 5])" }
        let clock = ContinuousClock()
        var ignored = 0
        let elapsed = clock.measure {
            for _ in 0..<100 {
                for name in names where rules.isIgnored(name: name, isDirectory: false) { ignored += 1 }
            }
        }
        #expect(ignored == 60_000)
        #expect(elapsed < .seconds(2), "\(elapsed)")
        var wholePath = 0
        let elapsedWhole = clock.measure {
            for index in 0..<100_000 where matcher.isIgnored("data/part/\(names[index % 1000])", isDirectory: false) {
                wholePath += 1
            }
        }
        #expect(wholePath == 60_000)
        #expect(elapsedWhole < .seconds(4), "\(elapsedWhole)")
    }
}
