import CairnCore
import CairnStorage
import Dispatch

extension Project {
    /// `cairn cache verify`: re-hashes every object on all cores and reports those whose bytes do not match their name.
    public func verifyCache() throws -> CacheVerifyOutcome {
        let objects = try cache.allObjects()
        let results = ConcurrentResults<CacheVerifyOutcome.Corrupt?>(count: objects.count)
        let cache = self.cache
        try results.fill(workers: ActiveCores.count) { index in
            let object = objects[index]
            let path = cache.path(of: object)
            let actual = object.id.isDirectory
                ? ObjectID.md5(of: try FileSystem.readFile(path), isDirectory: true)
                : try FileHasher.hash(path: path, kind: object.kind).id
            guard actual != object.id else { return nil }
            return .init(path: path, expected: object.id.description, actual: actual.description)
        }
        var outcome = CacheVerifyOutcome()
        outcome.checked = objects.count
        outcome.corrupt = results.values.compactMap { $0 }
        return outcome
    }
}
