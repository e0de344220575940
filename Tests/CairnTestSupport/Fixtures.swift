import Foundation

/// Locations of the package and of the DVC 3.67.1 golden fixtures in `../shared/fixtures/dvc3`.
public enum Fixtures {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/fixtures/dvc3` beside the package.
    public static let dvc3: URL = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/dvc3")

    /// A fixture file's URL, e.g. `file("01-add/data.dvc")`.
    public static func file(_ relative: String) -> URL {
        dvc3.appendingPathComponent(relative)
    }

    /// A fixture file's bytes.
    public static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: file(relative)))
    }

    /// A fixture file's text (UTF-8).
    public static func text(_ relative: String) throws -> String {
        String(decoding: try bytes(relative), as: UTF8.self)
    }
}
