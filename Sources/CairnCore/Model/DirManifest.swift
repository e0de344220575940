import Glibc

/// A directory's content as DVC stores it: a `.dir` object listing every file's relpath and md5.
public struct DirManifest: Sendable, Equatable {
    /// One file of the directory.
    public struct Entry: Sendable, Equatable {
        /// Path relative to the directory, `/`-separated, raw (no Unicode normalisation).
        public var relpath: String
        /// The file's md5.
        public var id: ObjectID

        /// Creates an entry.
        public init(relpath: String, id: ObjectID) {
            self.relpath = relpath
            self.id = id
        }
    }

    /// Entries in DVC's order: by relpath's UTF-8 bytes (a flat full-path sort, not a tree walk).
    public private(set) var entries: [Entry]

    /// Builds a manifest, sorting the entries into DVC's order (a linear check skips sorting sorted input).
    public init(entries: [Entry]) {
        var sorted = true
        for index in entries.indices.dropFirst() where !Self.utf8Less(entries[index - 1].relpath, entries[index].relpath) {
            sorted = false
            break
        }
        self.entries = sorted ? entries : entries.sorted { Self.utf8Less($0.relpath, $1.relpath) }
    }

    /// The exact bytes DVC hashes and stores: Python `json.dumps(entries, sort_keys=True)`.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * 96 + 2)
        out.append(UInt8(ascii: "["))
        for (index, entry) in entries.enumerated() {
            if index > 0 { out.append(contentsOf: Self.separator) }
            out.append(contentsOf: Self.md5Key)
            entry.id.appendHex(to: &out)
            out.append(contentsOf: Self.relpathKey)
            PythonJSON.appendString(entry.relpath, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    // The literal parts of an entry, as bytes once (a String's UTF-8 view is slower to append).
    private static let separator = Array(", ".utf8)
    private static let md5Key = Array("{\"md5\": \"".utf8)
    private static let relpathKey = Array("\", \"relpath\": ".utf8)

    /// The manifest's object id: md5 of `serialized()`, flagged as a directory.
    public var id: ObjectID { ObjectID.md5(of: serialized(), isDirectory: true) }

    /// Sum of file sizes is not recorded in the manifest; callers keep it. This is the file count.
    public var fileCount: Int { entries.count }

    /// Parses a stored manifest; unknown keys per entry are ignored, as DVC does.
    public static func parse(_ bytes: [UInt8], source: String) throws(FormatError) -> DirManifest {
        // Manifests as DVC writes them take a direct scan; anything else goes through the JSON parser.
        if let entries = ManifestScanner.scan(bytes) { return DirManifest(entries: entries) }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw FormatError(path: source, message: "directory manifest is not valid JSON: \(error.message)",
                              hint: "the cache object is corrupt; run 'cairn cache verify' and fetch it again")
        }
        guard case .array(let items) = value else {
            throw FormatError(path: source, message: "directory manifest is not a JSON list",
                              hint: "the cache object is corrupt; run 'cairn cache verify' and fetch it again")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(items.count)
        for item in items {
            guard case .object(let object) = item,
                  case .string(let relpath)? = object["relpath"],
                  case .string(let md5)? = object["md5"],
                  let id = ObjectID(md5), !id.isDirectory
            else {
                throw FormatError(path: source, message: "directory manifest has an entry without relpath/md5",
                                  hint: "the cache object is corrupt; run 'cairn cache verify' and fetch it again")
            }
            entries.append(Entry(relpath: relpath, id: id))
        }
        return DirManifest(entries: entries)
    }

    /// Compares two strings by their UTF-8 bytes (= Unicode code point order), as DVC sorts relpaths.
    public static func utf8Less(_ lhs: String, _ rhs: String) -> Bool {
        // Native strings are contiguous UTF-8: one memcmp instead of a byte iterator (the sort of a
        // 100,000-entry manifest spends most of its time here).
        if let answer = lhs.utf8.withContiguousStorageIfAvailable({ left in
            rhs.utf8.withContiguousStorageIfAvailable { right in bytesLess(left, right) }
        }), let answer { return answer }
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case let (l?, r?): if l != r { return l < r }
            }
        }
    }

    private static func bytesLess(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(left.count, right.count)
        if common > 0, let l = left.baseAddress, let r = right.baseAddress {
            let order = memcmp(l, r, common)
            if order != 0 { return order < 0 }
        }
        return left.count < right.count
    }
}
