/// One `key = value` line of a config section.
public struct INIEntry: Sendable, Equatable {
    /// The key as written (unquoted).
    public var key: String
    /// The value.
    public var value: INIValue
    /// 1-based line where it was read (nil when set through the API); not part of equality.
    public var line: Int?

    /// Creates an entry.
    public init(key: String, value: INIValue, line: Int? = nil) {
        self.key = key
        self.value = value
        self.line = line
    }

    public static func == (lhs: INIEntry, rhs: INIEntry) -> Bool { lhs.key == rhs.key && lhs.value == rhs.value }
}

/// One `[section]` of a config file with its entries in order.
public struct INISection: Sendable, Equatable {
    /// The section name, unquoted (`core`, `remote "myremote"`).
    public var name: String
    /// The entries in file order.
    public var entries: [INIEntry]
    /// 1-based line of the header (nil when created through the API); not part of equality.
    public var line: Int?

    /// Creates a section.
    public init(name: String, entries: [INIEntry] = [], line: Int? = nil) {
        self.name = name
        self.entries = entries
        self.line = line
    }

    /// The value of `key`, if present.
    public func value(_ key: String) -> INIValue? { entries.first { $0.key == key }?.value }

    public static func == (lhs: INISection, rhs: INISection) -> Bool {
        lhs.name == rhs.name && lhs.entries == rhs.entries
    }

    /// For `remote "x"`, `machine "x"`, `db "x"` (any spacing): the kind and the name.
    public var namedKind: (kind: String, name: String)? { INISection.namedKind(of: name) }

    /// Splits a named section title (`remote "x"`) into kind and name, as DVC recognises them.
    public static func namedKind(of title: String) -> (kind: String, name: String)? {
        let trimmed = title.trimmingASCIIWhitespace()
        for kind in ["remote", "machine", "db"] where trimmed.hasPrefix(kind) {
            let rest = trimmed.dropFirst(kind.count).trimmingASCIIWhitespace()
            guard rest.count >= 2, rest.first == "\"", rest.last == "\"" else { continue }
            return (kind, String(rest.dropFirst().dropLast()))
        }
        return nil
    }
}

/// A DVC config file (`.dvc/config`, `config.local`, global, system) in the INI dialect of Python's configobj.
///
/// Reading accepts what configobj accepts for DVC's files: `[name]`, `['remote "x"']`, `[ "x" ]` headers,
/// `#` (and `;`) comment lines, inline `#` comments, quoted values, unquoted comma lists, triple-quoted
/// multi-line values. Rendering writes what DVC writes: plain sections first, then `remote`, `machine` and `db`
/// sections, no empty plain sections, 4-space indented `key = value`, configobj's quoting, a final newline.
public struct INIFile: Sendable, Equatable {
    /// The file's path, used in error messages.
    public var path: String
    /// The sections in order.
    public var sections: [INISection]

    /// An empty config file.
    public init(path: String = "", sections: [INISection] = []) {
        self.path = path
        self.sections = sections
    }

    public static func == (lhs: INIFile, rhs: INIFile) -> Bool { lhs.sections == rhs.sections }

    // MARK: Access

    /// The section titled `name`.
    public func section(named name: String) -> INISection? { sections.first { $0.name == name } }

    /// The value of `section.key`.
    public func value(section: String, key: String) -> INIValue? { self.section(named: section)?.value(key) }

    /// The value of `section.key` as text (lists joined with `,`).
    public func get(section: String, key: String) -> String? { value(section: section, key: key)?.text }

    /// Sets `section.key` to a string, adding the section (at the end) and the key (after the others) if needed.
    /// Throws when configobj could not write the value back (it has both `'''` and `"""`).
    public mutating func set(section: String, key: String, value: String) throws(FormatError) {
        try set(section: section, key: key, value: .string(value))
    }

    /// Sets `section.key` to any value (see ``set(section:key:value:)-(_,_,String)``).
    public mutating func set(section: String, key: String, value: INIValue) throws(FormatError) {
        do {
            _ = try INIQuoting.render(value)
            _ = try INIQuoting.quote(key, multiline: false)
            _ = try INIQuoting.quote(section, multiline: false)
        } catch {
            throw FormatError(
                path: path, message: "the value of '\(section).\(key)' cannot be written to a config file",
                hint: "A value may not contain both ''' and \"\"\", nor a newline in a key or section name.")
        }
        if let s = sections.firstIndex(where: { $0.name == section }) {
            if let e = sections[s].entries.firstIndex(where: { $0.key == key }) {
                sections[s].entries[e].value = value
            } else {
                sections[s].entries.append(INIEntry(key: key, value: value))
            }
        } else {
            sections.append(INISection(name: section, entries: [INIEntry(key: key, value: value)]))
        }
    }

    /// Removes `section.key`; false when it was not there. A section left empty is kept until rendering drops it.
    @discardableResult
    public mutating func unset(section: String, key: String) -> Bool {
        guard let s = sections.firstIndex(where: { $0.name == section }),
            let e = sections[s].entries.firstIndex(where: { $0.key == key })
        else { return false }
        sections[s].entries.remove(at: e)
        return true
    }

    /// Removes a whole section; false when it was not there.
    @discardableResult
    public mutating func removeSection(_ name: String) -> Bool {
        guard let s = sections.firstIndex(where: { $0.name == name }) else { return false }
        sections.remove(at: s)
        return true
    }

    /// The file as DVC sees it: section titles and keys lower-cased, named sections spelled `kind "name"`,
    /// and a repeated title or key replacing the earlier one in place.
    public func dvcNormalized() -> INIFile {
        var result = INIFile(path: path)
        for section in sections {
            var title = section.name.lowercased()
            if let named = INISection.namedKind(of: title) { title = "\(named.kind) \"\(named.name)\"" }
            var entries: [INIEntry] = []
            for entry in section.entries {
                var entry = entry
                entry.key = entry.key.lowercased()
                if let i = entries.firstIndex(where: { $0.key == entry.key }) {
                    entries[i] = entry
                } else {
                    entries.append(entry)
                }
            }
            let normalized = INISection(name: title, entries: entries, line: section.line)
            if let i = result.sections.firstIndex(where: { $0.name == title }) {
                result.sections[i] = normalized
            } else {
                result.sections.append(normalized)
            }
        }
        return result
    }

    // MARK: Rendering

    /// The file text as DVC writes it (an empty config is a single newline, as configobj writes it).
    public func render() -> String {
        var plain: [INISection] = []
        var named: [String: [INISection]] = [:]
        // DVC drops empty plain sections but writes an emptied `remote "x"` (`remote modify -u` of its last
        // option at that level) as a bare header.
        for section in sections where !section.entries.isEmpty || section.namedKind != nil {
            if let kind = section.namedKind?.kind {
                named[kind, default: []].append(section)
            } else {
                plain.append(section)
            }
        }
        var lines: [String] = []
        for section in plain + (named["remote"] ?? []) + (named["machine"] ?? []) + (named["db"] ?? []) {
            // Values were checked when set or parsed, so quoting cannot fail here; fall back to the raw text.
            lines.append("[" + ((try? INIQuoting.quote(section.name, multiline: false)) ?? section.name) + "]")
            for entry in section.entries {
                let key = (try? INIQuoting.quote(entry.key, multiline: false)) ?? entry.key
                let value = (try? INIQuoting.render(entry.value)) ?? entry.value.text
                lines.append("    " + key + " = " + value)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension StringProtocol {
    /// The text without leading and trailing ASCII whitespace (Python's `str.strip()` for ASCII).
    func trimmingASCIIWhitespace() -> Substring {
        var slice = self[...]
        while let first = slice.first, first.isASCIIWhitespaceForConfig { slice = slice.dropFirst() }
        while let last = slice.last, last.isASCIIWhitespaceForConfig { slice = slice.dropLast() }
        return Substring(slice)
    }
}

extension Character {
    /// Space, tab, CR, LF, vertical tab, form feed.
    var isASCIIWhitespaceForConfig: Bool {
        self == " " || self == "\t" || self == "\n" || self == "\r" || self == "\u{0B}" || self == "\u{0C}"
            || self == "\r\n"
    }
}
