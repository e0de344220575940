import CairnCore
import Testing

/// Remote keys: the cache's layout, and only DVC's spelling names an object.
@Suite struct RemoteLayoutTests {
    let id = ObjectID("5bbf5a52328e7439ae6e719dfe712200")!

    @Test func keysFollowTheCacheLayout() {
        #expect(RemoteLayout.key(for: HashInfo(id)) == "files/md5/5b/bf5a52328e7439ae6e719dfe712200")
        let directory = ObjectID("cf2925f84ec17a12853e0729714b5010.dir")!
        #expect(RemoteLayout.key(for: HashInfo(directory)) == "files/md5/cf/2925f84ec17a12853e0729714b5010.dir")
        #expect(RemoteLayout.key(for: HashInfo(id, kind: .md5Dos2Unix)) == "5b/bf5a52328e7439ae6e719dfe712200")
    }

    @Test func keysParseBackToTheirObjects() {
        for hash in [HashInfo(id), HashInfo(id, kind: .md5Dos2Unix), HashInfo(ObjectID("cf2925f84ec17a12853e0729714b5010.dir")!)] {
            #expect(RemoteLayout.hash(forKey: RemoteLayout.key(for: hash)) == hash)
        }
    }

    @Test(arguments: [
        "files/md5/5B/bf5a52328e7439ae6e719dfe712200",  // another spelling of the same object
        "files/md5/5bbf5a52328e7439ae6e719dfe712200",
        "files/md5/5b/bf5a52328e7439ae6e719dfe71220",
        "files/md5/5b/.cairn-1-2-3.tmp",
        "runs/ab/" + String(repeating: "a", count: 64) + "/" + String(repeating: "b", count: 64),
        "files/md5/5b/bf5a52328e7439ae6e719dfe712200/x",
    ])
    func otherKeysAreNotObjects(_ key: String) {
        #expect(RemoteLayout.hash(forKey: key) == nil)
    }
}
