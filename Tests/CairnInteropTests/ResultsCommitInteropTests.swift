import CairnTestSupport
import Foundation
import Testing

/// What `cairn repro --commit` commits is a complete record for DVC: a clone of the commit is up to date.
@Suite struct ResultsCommitInteropTests {
    @Test func dvcSeesTheCommittedRunUpToDate() throws {
        let repo = try TestRepo()
        try repo.initCairn()
        try PipelineProjects.writeBasic(repo)
        try repo.commitAll("pipeline")
        try repo.ok(repo.cairn("repro", "--commit"))
        // Nothing git tracks differs from the new HEAD, and DVC agrees the pipeline is reproduced.
        #expect(try repo.gitOK("diff", "HEAD", "--name-only") == "")
        let status = try repo.dvc("status")
        #expect(status.status == 0 && status.stdout == Expected.upToDate, Comment(rawValue: status.description))
        let repro = try repo.dvc("repro")
        #expect(repro.status == 0 && !repro.stdout.contains("Running stage"), Comment(rawValue: repro.description))
    }
}
