/// The `.gitignore` lines DVC writes for tracked outputs, and the edits it makes to those files.
public enum GitignoreEdit {
    /// Where the entry for a repo-relative output goes: the `.gitignore` beside it and the line to add
    /// (`sub/output.txt` → `sub/.gitignore`, `/output.txt`).
    public static func location(forOutput path: String) -> (gitignorePath: String, entry: String) {
        let directory = RepoPath.parent(path)
        let gitignore = directory.isEmpty ? ".gitignore" : directory + "/.gitignore"
        return (gitignore, entry(forPathRelativeToItsDirectory: RepoPath.name(path)))
    }

    /// `/` + the path with `\ [ ] ! * # ?` backslash-escaped; spaces are left as they are (as DVC does).
    public static func entry(forPathRelativeToItsDirectory path: String) -> String {
        var result = "/"
        result.reserveCapacity(path.utf8.count + 4)
        for character in path.unicodeScalars {
            switch character {
            case "\\", "[", "]", "!", "*", "#", "?": result.append("\\")
            default: break
            }
            result.unicodeScalars.append(character)
        }
        return result
    }

    /// The new file text with `entry` appended as a line, or nil when that line is already present.
    /// `existing` nil means the file does not exist yet.
    public static func adding(_ entry: String, to existing: String?) -> String? {
        guard let existing, !existing.isEmpty else { return entry + "\n" }
        let bytes = Array(existing.utf8)
        let wanted = Array(entry.utf8)
        for line in lines(bytes) {
            var content = line
            if content.last == 0x0D { content = content.dropLast() }
            if content.elementsEqual(wanted) { return nil }
        }
        var text = existing
        if bytes.last != 0x0A { text += "\n" }
        return text + entry + "\n"
    }

    /// The file text without the lines that equal `entry` once surrounding whitespace is stripped (as DVC
    /// compares them), or nil when there is no such line. An empty result means the caller deletes the file.
    public static func removing(_ entry: String, from existing: String) -> String? {
        let bytes = Array(existing.utf8)
        let wanted = Array(entry.utf8)
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        var removed = false
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let next = end < bytes.count ? end + 1 : end
            if stripped(bytes[start..<end]).elementsEqual(wanted) {
                removed = true
            } else {
                kept.append(contentsOf: bytes[start..<next])
            }
            start = next
        }
        return removed ? String(decoding: kept, as: UTF8.self) : nil
    }

    /// The lines of a text without their `\n` terminators.
    private static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    }

    /// A line without leading and trailing ASCII whitespace.
    private static func stripped(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        var line = line
        while let first = line.first, isSpace(first) { line = line.dropFirst() }
        while let last = line.last, isSpace(last) { line = line.dropLast() }
        return line
    }
}
