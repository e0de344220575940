import Testing
import CairnTestSupport
@testable import CairnCore

struct DVCFileTests {
    @Test func parsesAndRendersTheAddFixtures() throws {
        for name in ["data.dvc", "single.txt.dvc", "run.sh.dvc"] {
            let text = try Fixtures.text("01-add/\(name)")
            let file = try DVCFile.parse(text, path: name)
            #expect(file.rendered() == text, "\(name) renders byte for byte")
        }
        let data = try DVCFile.parse(try Fixtures.text("01-add/data.dvc"), path: "data.dvc")
        let out = try #require(data.outs.first)
        #expect(out.hash == HashInfo(ObjectID("7f243c05e8dd0dabd734730fe2bbb3a1.dir")!, kind: .md5))
        #expect(out.size == 22 && out.nfiles == 7 && !out.isexec)
        #expect(out.path == "data" && out.repoPath == "data")
        #expect(out.cache && out.push && !out.persist)

        let run = try DVCFile.parse(try Fixtures.text("01-add/run.sh.dvc"), path: "run.sh.dvc")
        #expect(run.outs.first?.isexec == true)
        #expect(run.outs.first?.nfiles == nil)
    }

    @Test func freshRenderMatchesDVC() {
        var file = DVCFile(path: "single.txt.dvc", outs: [
            DVCOutput(path: "single.txt", hash: HashInfo(ObjectID("8eb2cdea0e9735d773897e785ff2d121")!), size: 12),
        ])
        #expect(file.rendered() == "outs:\n- md5: 8eb2cdea0e9735d773897e785ff2d121\n  size: 12\n  hash: md5\n  path: single.txt\n")
        file.outs[0].path = "123"
        #expect(file.rendered().hasSuffix("  path: '123'\n"))
    }

    @Test func quotingFixtureCasesRoundTrip() throws {
        guard case .array(let items) = try JSONValue.parse(try Fixtures.bytes("07-yaml-quoting/cases.json")) else {
            Issue.record("cases.json is a list")
            return
        }
        for item in items {
            guard case .object(let object) = item, case .string(let name)? = object["name"],
                  case .string(let expected)? = object["dvc_file"] else { continue }
            let file = try DVCFile.parse(expected, path: "\(name).dvc")
            #expect(file.outs.first?.path == name)
            #expect(file.rendered() == expected, "\(name)")
        }
    }

    @Test func maximalEntryKeyOrder() throws {
        // FORMATS.md §3.3: a fresh dump of a maximal entry.
        let text = """
            desc: top desc
            frozen: true
            outs:
            - md5: 7a403894091606faf0490847e4db3bf5
              size: 17
              hash: md5
              path: single.txt
              desc: A single file
              type: dataset
              labels:
              - a
              - b
              meta:
                owner: me
              cache: false
              persist: true
              remote: myremote
              push: false
            meta:
              k: v

            """
        let file = try DVCFile.parse(text, path: "single.txt.dvc")
        let out = try #require(file.outs.first)
        #expect(file.frozen && file.desc == "top desc" && file.meta == ["k": "v"])
        #expect(out.labels == ["a", "b"] && out.type == "dataset" && out.meta == ["owner": "me"])
        #expect(!out.cache && out.persist && !out.push && out.remote == "myremote")
        #expect(file.rendered() == text)

        // Keys in another order are written back in DVC's order.
        let shuffled = "outs:\n- path: x\n  push: false\n  hash: md5\n  size: 1\n  md5: 7a403894091606faf0490847e4db3bf5\nfrozen: true\n"
        #expect(try DVCFile.parse(shuffled, path: "x.dvc").rendered()
                == "frozen: true\nouts:\n- md5: 7a403894091606faf0490847e4db3bf5\n  size: 1\n  hash: md5\n  path: x\n  push: false\n")
    }

    @Test func legacyEntryHasNoHashKey() throws {
        let file = try DVCFile.parse(try Fixtures.text("06-legacy-dos2unix/crlf.txt.dvc.v2"), path: "crlf.txt.dvc")
        let out = try #require(file.outs.first)
        #expect(out.hashKind == .md5Dos2Unix)
        #expect(out.hash == HashInfo(ObjectID("4fcc82a88ee38e0aa16c17f512c685c9")!, kind: .md5Dos2Unix))
        #expect(file.rendered() == "outs:\n- md5: 4fcc82a88ee38e0aa16c17f512c685c9\n  size: 14\n  path: crlf.txt\n")
    }

    @Test func legacyLockedMeansFrozen() throws {
        let file = try DVCFile.parse("locked: true\nouts:\n- path: a\n", path: "a.dvc")
        #expect(file.frozen)
        #expect(file.outs.first?.md5 == nil)
        #expect(file.rendered() == "frozen: true\nouts:\n- path: a\n")
    }

    @Test func importDependencies() throws {
        let text = """
            md5: 2a5c3b2b3dd1f1fd4ba5b8f0a3e5b7e1
            frozen: true
            deps:
            - path: data/data.xml
              repo:
                url: https://github.com/iterative/dataset-registry
                rev_lock: f31f5c4cdae787b4bdeb97a717687d44667d9e62
            outs:
            - md5: 22a1a2931c8370d3aeedd7183606fd7f
              size: 14445097
              hash: md5
              path: data.xml

            """
        let file = try DVCFile.parse(text, path: "data.xml.dvc")
        #expect(file.deps.first?.path == "data/data.xml")
        #expect(file.deps.first?.extra["repo"]?.mappingValue?["url"] == "https://github.com/iterative/dataset-registry")
        #expect(file.rendered() == text)
    }

    @Test func outputPathsAreRelativeToTheDVCFile() throws {
        let nested = try DVCFile.parse("outs:\n- path: ../x\n  hash: md5\n", path: "sub/a.dvc")
        #expect(nested.outs.first?.repoPath == "x")
        #expect(nested.directory == "sub")
        let deep = try DVCFile.parse("outs:\n- path: f.bin\n", path: "deep/er/f.bin.dvc")
        #expect(deep.outs.first?.repoPath == "deep/er/f.bin")

        let climbing = try #require(throws: FormatError.self) {
            try DVCFile.parse("outs:\n- md5: 8eb2cdea0e9735d773897e785ff2d121\n  path: ../x\n", path: "a.dvc")
        }
        #expect(climbing.line == 3 && climbing.column == 9)
        #expect(climbing.message.contains("outside the repository"))
        let absolute = try #require(throws: FormatError.self) { try DVCFile.parse("outs:\n- path: /etc/passwd\n", path: "a.dvc") }
        #expect(absolute.line == 2 && absolute.column == 9)
        #expect(absolute.message.contains("absolute"))
        #expect(throws: FormatError.self) { try DVCFile.parse("outs:\n- path: ../../x\n", path: "sub/a.dvc") }
        #expect(throws: FormatError.self) { try DVCFile.parse("outs:\n- path: .dvc/cache\n", path: "a.dvc") }
    }

    @Test func strictValidation() throws {
        let extra = try #require(throws: FormatError.self) {
            try DVCFile.parse("outs:\n- md5: 8eb2cdea0e9735d773897e785ff2d121\n  path: x\n  bogus: 1\n", path: "x.dvc")
        }
        #expect(extra.message == "extra keys not allowed, in outs -> 0 -> bogus")
        #expect(extra.path == "x.dvc" && extra.line == 4 && extra.column == 3)
        #expect(extra.hint != nil)

        let top = try #require(throws: FormatError.self) { try DVCFile.parse("outs:\n- path: x\nstages: {}\n", path: "x.dvc") }
        #expect(top.message == "extra keys not allowed, in stages")

        let type = try #require(throws: FormatError.self) { try DVCFile.parse("outs:\n- path: x\n  cache: no\n", path: "x.dvc") }
        #expect(type.message == "expected bool, in outs -> 0 -> cache", "'no' is a string in YAML 1.2")
        #expect(type.line == 3 && type.column == 10)

        let size = try #require(throws: FormatError.self) { try DVCFile.parse("outs:\n- path: x\n  size: '12'\n", path: "x.dvc") }
        #expect(size.message == "expected int, in outs -> 0 -> size")

        let missing = try #require(throws: FormatError.self) {
            try DVCFile.parse("outs:\n- md5: 8eb2cdea0e9735d773897e785ff2d121\n  size: 1\n", path: "x.dvc")
        }
        #expect(missing.message == "required key not provided, in outs -> 0 -> path")
        #expect(missing.line == 2)

        let badHash = try #require(throws: FormatError.self) { try DVCFile.parse("outs:\n- md5: nothex\n  path: x\n", path: "x.dvc") }
        #expect(badHash.message.contains("not an md5"))

        let notList = try #require(throws: FormatError.self) { try DVCFile.parse("outs:\n  path: x\n", path: "x.dvc") }
        #expect(notList.message == "expected a list, in outs")

        #expect(throws: FormatError.self) { try DVCFile.parse("outs:\n- path: x\n  hash: sha256\n", path: "x.dvc") }
        #expect(throws: FormatError.self) { try DVCFile.parse("- path: x\n", path: "x.dvc") }
    }

    @Test func emptyAndOutputlessFiles() throws {
        let empty = try #require(throws: FormatError.self) { try DVCFile.parse("", path: "e.dvc") }
        #expect(empty.message.contains("empty"))
        #expect(throws: FormatError.self) { try DVCFile.parse("# just a comment\n", path: "e.dvc") }
        let noOuts = try #require(throws: FormatError.self) { try DVCFile.parse("desc: nothing\n", path: "n.dvc") }
        #expect(noOuts.message.contains("no outputs"))
        #expect(throws: FormatError.self) { try DVCFile.parse("outs: []\n", path: "n.dvc") }
        #expect(throws: FormatError.self) { try DVCFile.parse("outs:\n", path: "n.dvc") }
    }

    @Test func nullAndEmptyMD5MeanNotCommitted() throws {
        let file = try DVCFile.parse("outs:\n- md5:\n  path: a\n- md5: ''\n  path: b\n- md5: 8EB2CDEA0E9735D773897E785FF2D121\n  path: c\n", path: "x.dvc")
        #expect(file.outs[0].md5 == nil && file.outs[1].md5 == nil)
        #expect(file.outs[2].md5?.hex == "8eb2cdea0e9735d773897e785ff2d121", "DVC lowercases checksums")
    }
}
