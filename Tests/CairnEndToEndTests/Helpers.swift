import CairnTestSupport
import Foundation
import Testing

/// A git repository with `cairn init` run and committed.
func initializedRepo() throws -> TestRepo {
    let repo = try TestRepo()
    try repo.initCairn()
    try repo.commitAll("cairn init")
    return repo
}

/// Expects `result` to have exited with `code`; the failure shows the command and everything it printed.
func expectExit(_ result: ProcessResult, _ code: Int32, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == code, Comment(rawValue: result.description), sourceLocation: sourceLocation)
}

/// Expects success (exit 0).
func expectSuccess(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) {
    expectExit(result, 0, sourceLocation: sourceLocation)
}

/// Expects an error exit: `255`, an `ERROR:` line on stderr mentioning every one of `mentions`, and nothing
/// but that on stdout.
func expectFailure(
    _ result: ProcessResult, mentioning mentions: [String] = [], code: Int32 = 255,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectExit(result, code, sourceLocation: sourceLocation)
    #expect(result.stderr.contains("ERROR"), Comment(rawValue: result.description), sourceLocation: sourceLocation)
    for mention in mentions {
        #expect(
            result.stderr.contains(mention), "stderr should mention '\(mention)'\n\(result)",
            sourceLocation: sourceLocation)
    }
}

/// Expects `cairn status` to report a clean repository.
func expectClean(_ repo: TestRepo, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let status = try repo.cairn("status")
    expectSuccess(status, sourceLocation: sourceLocation)
    #expect(status.stdout == Expected.upToDate, Comment(rawValue: status.description), sourceLocation: sourceLocation)
}

/// The `.dvc` text DVC writes for one file.
func dvcFileText(md5: String, size: Int, path: String, isexec: Bool = false) -> String {
    "outs:\n- md5: \(md5)\n  size: \(size)\n" + (isexec ? "  isexec: true\n" : "") + "  hash: md5\n  path: \(path)\n"
}

/// The `.dvc` text DVC writes for one directory.
func dvcDirText(md5: String, size: Int, nfiles: Int, path: String) -> String {
    "outs:\n- md5: \(md5)\n  size: \(size)\n  nfiles: \(nfiles)\n  hash: md5\n  path: \(path)\n"
}

/// MD5 hex of a UTF-8 text.
func md5(_ text: String) -> String {
    md5(bytes: Array(text.utf8))
}

/// MD5 hex of bytes (through `md5sum`-equivalent CairnCore code in the support target).
func md5(bytes: [UInt8]) -> String {
    MD5Hex.of(bytes)
}

/// DVC's directory manifest bytes for (relpath, md5) pairs (ASCII names only), sorted as DVC sorts them.
func manifest(_ entries: [(String, String)]) -> String {
    let sorted = entries.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
    return "[" + sorted.map { "{\"md5\": \"\($0.1)\", \"relpath\": \"\($0.0)\"}" }.joined(separator: ", ") + "]"
}
