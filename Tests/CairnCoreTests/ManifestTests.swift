import CairnCore
import CairnTestSupport
import Foundation
import Testing

/// Directory manifests: DVC's bytes, parsing, diffing, and the status rule.
@Suite struct ManifestTests {
    /// Fixture 01's `data/` manifest, built from the workspace files' md5s.
    static func fixtureManifest() throws -> DirManifest {
        let root = Fixtures.file("01-add/workspace/data").path
        var entries: [DirManifest.Entry] = []
        let walker = FileManager.default.enumerator(atPath: root)!
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory),
                  !isDirectory.boolValue else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative))
            entries.append(.init(relpath: relative, id: ObjectID.md5(of: bytes)))
        }
        return DirManifest(entries: entries)
    }

    @Test func bytesMatchDVCsObject() throws {
        let manifest = try Self.fixtureManifest()
        let stored = try Fixtures.bytes("01-add/cache/files/md5/7f/243c05e8dd0dabd734730fe2bbb3a1.dir")
        #expect(manifest.serialized() == stored)
        #expect(manifest.id.description == "7f243c05e8dd0dabd734730fe2bbb3a1.dir")
    }

    @Test func hostileNamesMatchDVC() throws {
        struct Item: Decodable { let relpath: String; let content: String }
        let items = try JSONDecoder().decode([Item].self, from: Data(try Fixtures.bytes("02-weird-names/tree.json")))
        let manifest = DirManifest(entries: items.map { .init(relpath: $0.relpath, id: .md5(of: Array($0.content.utf8))) })
        #expect(manifest.serialized() == (try Fixtures.bytes("02-weird-names/manifest.dir")))
        #expect(manifest.id.description == "fc6f6657c0c7cddf7c096529a8eef20b.dir")
    }

    @Test func emptyDirectory() {
        #expect(DirManifest(entries: []).serialized() == Array("[]".utf8))
        #expect(DirManifest(entries: []).id == ObjectID.emptyDirectory)
    }

    @Test func parseRoundTripsBothScannerAndJSONPaths() throws {
        let stored = try Fixtures.bytes("02-weird-names/manifest.dir")
        let parsed = try DirManifest.parse(stored, source: "m")
        #expect(parsed.serialized() == stored)
        // Another writer's spacing and extra keys go through the general JSON parser.
        let other = Array(#"[{"relpath":"b","md5":"d41d8cd98f00b204e9800998ecf8427e","size":0},{"md5":"d41d8cd98f00b204e9800998ecf8427e","relpath":"a"}]"#.utf8)
        let reparsed = try DirManifest.parse(other, source: "m")
        #expect(reparsed.entries.map(\.relpath) == ["a", "b"])
        #expect(throws: FormatError.self) { try DirManifest.parse(Array("{}".utf8), source: "m") }
        #expect(throws: FormatError.self) { try DirManifest.parse(Array("[{\"md5\": \"zz\"}]".utf8), source: "m") }
    }

    @Test func diffIsByteExact() {
        let a = ObjectID.md5(of: Array("a".utf8))
        let b = ObjectID.md5(of: Array("b".utf8))
        let old = DirManifest(entries: [.init(relpath: "keep", id: a), .init(relpath: "gone", id: a),
                                        .init(relpath: "e\u{301}", id: a), .init(relpath: "edit", id: a)])
        let new = DirManifest(entries: [.init(relpath: "keep", id: a), .init(relpath: "\u{e9}", id: a),
                                        .init(relpath: "edit", id: b), .init(relpath: "new", id: b)])
        let diff = ManifestDiff.compare(old: old, new: new)
        // NFC and NFD spellings are different names, as on disk.
        #expect(diff.added == ["new", "\u{e9}"])
        #expect(diff.deleted == ["e\u{301}", "gone"])
        #expect(diff.modified == ["edit"])
        #expect(diff.unchanged == ["keep"])
        #expect(ManifestDiff.compare(old: nil, new: nil).isEmpty)
    }

    @Test func outputStatusRuleOrder() {
        let id = ObjectID.emptyFile
        let other = ObjectID.md5(of: Array("x".utf8))
        let file = ObservedContent.file(id, size: 0, isExecutable: false)
        #expect(OutputStatusRule.change(recorded: HashInfo(id), isCached: true, objectsInCache: false, observed: .missing) == .notInCache)
        #expect(OutputStatusRule.change(recorded: HashInfo(id), isCached: false, objectsInCache: false, observed: .missing) == .deleted)
        #expect(OutputStatusRule.change(recorded: nil, isCached: true, objectsInCache: true, observed: file) == .modified)
        #expect(OutputStatusRule.change(recorded: HashInfo(other), isCached: true, objectsInCache: true, observed: file) == .modified)
        #expect(OutputStatusRule.change(recorded: HashInfo(id), isCached: true, objectsInCache: true, observed: file) == nil)
    }

    @Test func objectIDParsing() {
        #expect(ObjectID("D41D8CD98F00B204E9800998ECF8427E") == ObjectID.emptyFile)
        #expect(ObjectID("d41d8cd98f00b204e9800998ecf8427") == nil)
        #expect(ObjectID("d41d8cd98f00b204e9800998ecf8427g") == nil)
        #expect(ObjectID.emptyDirectory.shardedPath == "d7/51713988987e9331980363e24189ce.dir")
        #expect(ObjectID.emptyDirectory.asFile.description == "d751713988987e9331980363e24189ce")
        #expect(ObjectID.emptyFile.shardedPath == "d4/1d8cd98f00b204e9800998ecf8427e")
        #expect(ObjectID("d751713988987e9331980363e24189ce.dir") == ObjectID.emptyDirectory)
        #expect(ObjectID("d751713988987e9331980363e24189ce.dix") == nil)
        #expect(ObjectID("d751713988987e9331980363e24189ce.DIR") == nil)
        #expect(ObjectID("d751713988987e9331980363e24189c.dir") == nil)
        #expect(ObjectID("d751713988987e9331980363e24189ce".prefix(32)) == ObjectID.emptyDirectory.asFile)
        var bytes: [UInt8] = []
        ObjectID.emptyFile.appendHex(to: &bytes)
        #expect(bytes == Array("d41d8cd98f00b204e9800998ecf8427e".utf8))
    }

    /// Relpaths sort by UTF-8 bytes (code points), as Python sorts str: `-` before `/`, ASCII before accents.
    @Test func relpathOrderIsByteOrder() {
        #expect(DirManifest.utf8Less("a-c", "a/b"))
        #expect(!DirManifest.utf8Less("a/b", "a-c"))
        #expect(DirManifest.utf8Less("z", "é"))
        #expect(DirManifest.utf8Less("ab", "abc"))
        #expect(!DirManifest.utf8Less("abc", "abc"))
        #expect(DirManifest.utf8Less("", "a"))
        let sorted = DirManifest(entries: ["é", "a/b", "a-c", "a", "Z"].map { .init(relpath: $0, id: .emptyFile) })
        #expect(sorted.entries.map(\.relpath) == ["Z", "a", "a-c", "a/b", "é"])
    }

    /// `json.dumps` escapes: quotes, backslashes, controls, DEL and non-ASCII (surrogate pairs beyond the BMP).
    @Test func pythonJSONStringEscapes() {
        var out: [UInt8] = []
        PythonJSON.appendString("plain/path.txt", to: &out)
        PythonJSON.appendString("a\"b\\c\u{7f}\té😀", to: &out)
        #expect(String(decoding: out, as: UTF8.self)
                == #""plain/path.txt""a\"b\\c\u007f\t\u00e9\ud83d\ude00""#)
    }
}
