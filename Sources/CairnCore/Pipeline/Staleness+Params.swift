/// The params rules staleness, lock entries and the run-cache use, in one place: `ParamsLookup` (params branch).
enum ParamsBridge {
    /// How a params dependency differs from its lock record (FORMATS.md §6.2); the empty key is the whole file.
    static func changes(declared dep: ParamsDependency, current: YAMLValue?, locked: YAMLMapping?)
        -> [(key: String, change: OutputChange)] {
        ParamsLookup.changes(declared: dep, current: current, locked: locked)
    }

    /// The mapping locked for a params file.
    static func lockValues(for dep: ParamsDependency, in document: YAMLValue) throws(FormatError) -> YAMLMapping {
        try ParamsLookup.lockValues(for: dep, in: document)
    }

    /// A key as Python's `str` of it.
    static func keyText(_ key: YAMLValue) -> String {
        ParamsLookup.keyText(key)
    }
}
