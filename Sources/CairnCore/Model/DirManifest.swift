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
        out.reserveCapacity(entries.count * 64 + 2)
        out.append(UInt8(ascii: "["))
        for (index, entry) in entries.enumerated() {
            if index > 0 { out.append(contentsOf: ", ".utf8) }
            out.append(contentsOf: "{\"md5\": \"".utf8)
            out.append(contentsOf: entry.id.hex.utf8)
            out.append(contentsOf: "\", \"relpath\": ".utf8)
            PythonJSON.appendString(entry.relpath, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

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
}
