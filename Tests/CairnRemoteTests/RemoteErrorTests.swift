import Testing
@testable import CairnRemote

@Test func remoteErrorsNameWhatToDo() {
    let error = RemoteError.noSuchBucket(url: "s3://missing/prefix")
    #expect(error.description.contains("s3://missing/prefix"))
    #expect(error.description.contains("cairn remote modify"))
}
