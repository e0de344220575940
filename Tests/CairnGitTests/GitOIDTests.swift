import CairnGit
import Testing

@Suite struct GitOIDTests {
    @Test func hexRoundTripsAndAcceptsUppercase() throws {
        let hex = "0123456789abcdef0123456789abcdef01234567"
        let id = try #require(GitOID(hex: hex))
        #expect(id.hex == hex)
        #expect(id.description == hex)
        #expect(id.shortHex == "0123456")
        #expect(id.bytes.count == 20)
        #expect(id.bytes.first == 0x01 && id.bytes.last == 0x67)
        #expect(GitOID(hex: hex.uppercased()) == id)
        #expect(GitOID(bytes: id.bytes) == id)
    }

    @Test func rejectsMalformedHex() {
        #expect(GitOID(hex: "abc") == nil)
        #expect(GitOID(hex: String(repeating: "g", count: 40)) == nil)
        #expect(GitOID(hex: String(repeating: "a", count: 41)) == nil)
        #expect(GitOID(bytes: [UInt8](repeating: 1, count: 19)) == nil)
    }

    @Test func ordersLikeHexStrings() throws {
        let ids = [
            "ff00000000000000000000000000000000000000", "00000000000000000000000000000000000000ff",
            "0000000000000000ff0000000000000000000000", "0000000000000000000000000000000001000000",
        ].map { GitOID(hex: $0)! }
        #expect(ids.sorted().map(\.hex) == ids.map(\.hex).sorted())
        #expect(Set(ids).count == 4)
    }
}

@Suite struct GitErrorTests {
    @Test func descriptionNamesOperationPathMessageAndHint() {
        let error = GitError(
            code: .notFound, errorClass: 3, message: "revspec 'foo' not found", operation: "resolve revision",
            path: "foo", hint: "unknown revision 'foo': check the branch, tag or commit name")
        #expect(
            error.description
                == "git: cannot resolve revision 'foo': revspec 'foo' not found\nhint: unknown revision 'foo': check the branch, tag or commit name"
        )
        #expect(error.isNotFound)
        #expect(GitError.Code.notFound.description == "GIT_ENOTFOUND")
    }
}
