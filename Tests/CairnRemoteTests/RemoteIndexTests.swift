import CairnTestSupport
import Foundation
import Testing
@testable import CairnRemote

/// The local record of what a remote holds: kept per URL, written whole, only a hint.
@Suite struct RemoteIndexTests {
    @Test func savedKeysComeBackForTheSameURLOnly() throws {
        let temp = try TemporaryDirectory(prefix: "cairn-index")
        var index = RemoteIndex(url: "s3://bucket/a", directory: temp.path)
        #expect(index.keys.isEmpty)
        index.insert(["files/md5/aa/1", "files/md5/bb/2"])
        index.save()
        let reloaded = RemoteIndex(url: "s3://bucket/a", directory: temp.path)
        #expect(reloaded.keys == ["files/md5/aa/1", "files/md5/bb/2"])
        #expect(RemoteIndex(url: "s3://bucket/b", directory: temp.path).keys.isEmpty)
    }

    @Test func removeAndReplaceRepairIt() throws {
        let temp = try TemporaryDirectory(prefix: "cairn-index")
        var index = RemoteIndex(url: "/remote", directory: temp.path)
        index.insert(["files/md5/aa/1", "files/md5/bb/2", "runs/cc/x/y"])
        index.remove(["files/md5/aa/1"])
        #expect(!index.contains("files/md5/aa/1"))
        index.replace(prefix: "files/md5/", with: ["files/md5/dd/4"])
        #expect(index.keys == ["files/md5/dd/4", "runs/cc/x/y"])
        index.save()
        #expect(RemoteIndex(url: "/remote", directory: temp.path).keys == index.keys)
    }

    @Test func aDamagedFileCountsAsEmpty() throws {
        let temp = try TemporaryDirectory(prefix: "cairn-index")
        var index = RemoteIndex(url: "/remote", directory: temp.path)
        index.insert(["files/md5/aa/1"])
        index.save()
        try Data("garbage\nfiles/md5/aa/1\n".utf8).write(to: URL(fileURLWithPath: index.path))
        #expect(RemoteIndex(url: "/remote", directory: temp.path).keys.isEmpty)
    }
}
