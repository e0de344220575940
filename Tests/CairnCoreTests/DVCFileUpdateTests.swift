import Testing
import CairnTestSupport
@testable import CairnCore

struct DVCFileUpdateTests {
    let fileMeta = OutputMeta(hash: HashInfo(ObjectID("4eddda61f5e53754d0b028ab69a17be9")!), size: 21)

    @Test func legacyReAddAppendsHashAfterPath() throws {
        // FORMATS.md §2.2 / fixture 06: `hash: md5` lands after `path`, as DVC's in-place update writes it.
        let original = try Fixtures.text("06-legacy-dos2unix/crlf.txt.dvc.v2")
        let updated = try DVCFile.updatingText(original, path: "crlf.txt.dvc", outputs: [0: fileMeta])
        #expect(updated == (try Fixtures.text("06-legacy-dos2unix/crlf.txt.dvc.after-readd")))
        #expect(try DVCFile.parse(updated, path: "crlf.txt.dvc").outs.first?.hashKind == .md5)
    }

    @Test func updatingWithTheSameValuesChangesNothing() throws {
        for name in ["data.dvc", "single.txt.dvc", "run.sh.dvc"] {
            let text = try Fixtures.text("01-add/\(name)")
            let file = try DVCFile.parse(text, path: name)
            let out = try #require(file.outs.first)
            let meta = OutputMeta(hash: try #require(out.hash), size: try #require(out.size), nfiles: out.nfiles,
                                  isexec: out.isexec)
            #expect(try DVCFile.updatingText(text, path: name, outputs: [0: meta]) == text, "\(name)")
        }
        let readded = try Fixtures.text("06-legacy-dos2unix/crlf.txt.dvc.after-readd")
        #expect(try DVCFile.updatingText(readded, path: "crlf.txt.dvc", outputs: [0: fileMeta]) == readded)
    }

    @Test func commentsAndFormattingSurvive() throws {
        let original = """
            # Raw data, refreshed weekly.
            outs:
            - md5: 7f243c05e8dd0dabd734730fe2bbb3a1.dir   # the tree
              size: 22
              nfiles: 7

              path: data  # keep this name
              desc: the raw data
              meta:
                owner: me   # who to ask
            # trailing note

            """
        let meta = OutputMeta(hash: HashInfo(ObjectID("c738c081372cec86a56c142b1890838b.dir")!), size: 1234, nfiles: 9)
        let updated = try DVCFile.updatingText(original, path: "data.dvc", outputs: [0: meta])
        #expect(updated == """
            # Raw data, refreshed weekly.
            outs:
            - md5: c738c081372cec86a56c142b1890838b.dir   # the tree
              size: 1234
              nfiles: 9

              path: data  # keep this name
              desc: the raw data
              meta:
                owner: me   # who to ask
            # trailing note
              hash: md5

            """)
        let file = try DVCFile.parse(updated, path: "data.dvc")
        #expect(file.outs.first?.desc == "the raw data")
        #expect(file.outs.first?.meta == ["owner": "me"])
    }

    @Test func keysThatNoLongerApplyAreRemoved() throws {
        // A directory replaced by an executable file: nfiles goes, isexec comes, the comment on path stays.
        let original = """
            outs:
            - md5: 7f243c05e8dd0dabd734730fe2bbb3a1.dir
              size: 22
              nfiles: 7  # count
              # note about the path
              hash: md5
              path: thing

            """
        let meta = OutputMeta(hash: HashInfo(ObjectID("46bbbe8aa98cc0714426e948474eaaf4")!), size: 18, isexec: true)
        let updated = try DVCFile.updatingText(original, path: "thing.dvc", outputs: [0: meta])
        #expect(updated == """
            outs:
            - md5: 46bbbe8aa98cc0714426e948474eaaf4
              size: 18
              # note about the path
              hash: md5
              path: thing
              isexec: true

            """)
        // And back: isexec is dropped when the file is no longer executable.
        let back = try DVCFile.updatingText(updated, path: "thing.dvc", outputs: [0: OutputMeta(hash: meta.hash, size: 18)])
        #expect(!back.contains("isexec"))
        #expect(back.hasSuffix("  path: thing\n"))
    }

    @Test func trailingCommentsKeepTheirColumn() throws {
        let original = "outs:\n- md5: 8eb2cdea0e9735d773897e785ff2d121\n  size: 12345 # bytes\n  hash: md5\n  path: a\n"
        let meta = OutputMeta(hash: HashInfo(ObjectID("8eb2cdea0e9735d773897e785ff2d121")!), size: 3)
        let updated = try DVCFile.updatingText(original, path: "a.dvc", outputs: [0: meta])
        #expect(updated == "outs:\n- md5: 8eb2cdea0e9735d773897e785ff2d121\n  size: 3     # bytes\n  hash: md5\n  path: a\n")
    }

    @Test func onlyTheChosenOutputsChange() throws {
        let original = """
            outs:
            - md5: 8eb2cdea0e9735d773897e785ff2d121
              size: 12
              hash: md5
              path: a
            # second one
            - md5: 4fcc82a88ee38e0aa16c17f512c685c9
              size: 14
              path: b
            - path: c
            """
        let digits = OutputMeta(hash: HashInfo(ObjectID("12345678901234567890123456789012")!), size: 5)
        let updated = try DVCFile.updatingText(original, path: "x.dvc", outputs: [1: fileMeta, 2: digits])
        #expect(updated == """
            outs:
            - md5: 8eb2cdea0e9735d773897e785ff2d121
              size: 12
              hash: md5
              path: a
            # second one
            - md5: 4eddda61f5e53754d0b028ab69a17be9
              size: 21
              path: b
              hash: md5
            - path: c
              md5: '12345678901234567890123456789012'
              size: 5
              hash: md5

            """)
    }

    @Test func emptyValueIsFilledIn() throws {
        let updated = try DVCFile.updatingText("outs:\n- md5:\n  size:  # unknown\n  path: a\n", path: "a.dvc",
                                               outputs: [0: fileMeta])
        #expect(updated == "outs:\n- md5: 4eddda61f5e53754d0b028ab69a17be9\n  size: 21 # unknown\n  path: a\n  hash: md5\n")
    }

    @Test func indentedListsAndCRLFAreKept() throws {
        let original = "outs:\r\n  - md5: 4fcc82a88ee38e0aa16c17f512c685c9\r\n    size: 14\r\n    path: crlf.txt\r\n"
        let updated = try DVCFile.updatingText(original, path: "crlf.txt.dvc", outputs: [0: fileMeta])
        #expect(updated == "outs:\r\n  - md5: 4eddda61f5e53754d0b028ab69a17be9\r\n    size: 21\r\n    path: crlf.txt\r\n    hash: md5\r\n")
    }

    @Test func flowStyleIsRewrittenWhenNothingIsLost() throws {
        let original = "outs: [{md5: 4fcc82a88ee38e0aa16c17f512c685c9, size: 14, path: crlf.txt}]\n"
        let updated = try DVCFile.updatingText(original, path: "crlf.txt.dvc", outputs: [0: fileMeta])
        #expect(updated == (try Fixtures.text("06-legacy-dos2unix/crlf.txt.dvc.after-readd")).replacingOccurrences(
            of: "  path: crlf.txt\n  hash: md5\n", with: "  hash: md5\n  path: crlf.txt\n"))
    }

    @Test func flowStyleWithCommentsIsRefused() throws {
        let original = "# keep me\nouts: [{md5: 4fcc82a88ee38e0aa16c17f512c685c9, size: 14, path: crlf.txt}]\n"
        let error = try #require(throws: FormatError.self) {
            try DVCFile.updatingText(original, path: "crlf.txt.dvc", outputs: [0: fileMeta])
        }
        #expect(error.path == "crlf.txt.dvc")
        #expect(error.message.contains("comments"))
        #expect(error.hint != nil)
    }

    @Test func removingAKeyOnTheDashLine() throws {
        let original = "outs:\n- nfiles: 3\n  md5: 4fcc82a88ee38e0aa16c17f512c685c9\n  size: 14\n  path: crlf.txt\n"
        let updated = try DVCFile.updatingText(original, path: "crlf.txt.dvc", outputs: [0: fileMeta])
        #expect(updated == "outs:\n- md5: 4eddda61f5e53754d0b028ab69a17be9\n  size: 21\n  path: crlf.txt\n  hash: md5\n")
        // With comments the dash moves to the next key, as DVC's rewrite does.
        #expect(try DVCFile.updatingText("# c\n" + original, path: "crlf.txt.dvc", outputs: [0: fileMeta])
                == "# c\nouts:\n- md5: 4eddda61f5e53754d0b028ab69a17be9\n  size: 21\n  path: crlf.txt\n  hash: md5\n")
        let two = "# c\nouts:\n- nfiles: 3\n  isexec: true\n  md5: 4fcc82a88ee38e0aa16c17f512c685c9  # id\n  path: crlf.txt\n"
        #expect(try DVCFile.updatingText(two, path: "crlf.txt.dvc", outputs: [0: fileMeta])
                == "# c\nouts:\n- md5: 4eddda61f5e53754d0b028ab69a17be9  # id\n  path: crlf.txt\n  size: 21\n  hash: md5\n")
        // A comment between the dash and the next key: no safe edit; written afresh only without comments.
        let blocked = "outs:\n- nfiles: 3\n  # why\n  md5: 4fcc82a88ee38e0aa16c17f512c685c9\n  path: crlf.txt\n"
        #expect(throws: FormatError.self) {
            try DVCFile.updatingText(blocked, path: "crlf.txt.dvc", outputs: [0: fileMeta])
        }
        let flow = "outs:\n- {nfiles: 3, md5: 4fcc82a88ee38e0aa16c17f512c685c9, path: crlf.txt}\n"
        #expect(try DVCFile.updatingText(flow, path: "crlf.txt.dvc", outputs: [0: fileMeta])
                == "outs:\n- md5: 4eddda61f5e53754d0b028ab69a17be9\n  size: 21\n  hash: md5\n  path: crlf.txt\n")
    }

    @Test func invalidFilesAndIndexesAreErrors() throws {
        #expect(throws: FormatError.self) {
            try DVCFile.updatingText("outs:\n- path: a\n  bogus: 1\n", path: "a.dvc", outputs: [0: fileMeta])
        }
        #expect(throws: FormatError.self) {
            try DVCFile.updatingText("outs:\n- path: a\n", path: "a.dvc", outputs: [1: fileMeta])
        }
        #expect(try DVCFile.updatingText("outs:\n- path: a\n", path: "a.dvc", outputs: [:]) == "outs:\n- path: a\n")
    }
}
