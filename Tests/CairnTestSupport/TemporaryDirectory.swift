import Foundation

/// A fresh directory under the system temp dir, removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
    /// Absolute path of the directory (symlinks resolved).
    public let path: String
    /// The directory as a URL.
    public var url: URL { URL(fileURLWithPath: path) }

    /// Creates the directory.
    public init(prefix: String = "cairn-test") throws {
        let base = FileManager.default.temporaryDirectory.resolvingSymlinksInPath().path
        let template = "\(base)/\(prefix)-XXXXXX"
        var chars = Array(template.utf8CString)
        guard mkdtemp(&chars) != nil else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: template])
        }
        // The buffer is NUL-terminated by construction; decode up to the terminator.
        path = String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        // Read-only cache objects and directories must not stop the clean-up.
        _ = try? FileManager.default.removeItem(atPath: path)
        if FileManager.default.fileExists(atPath: path) {
            let chmod = Process()
            chmod.executableURL = URL(fileURLWithPath: "/bin/chmod")
            chmod.arguments = ["-R", "u+rwx", path]
            try? chmod.run()
            chmod.waitUntilExit()
            _ = try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Absolute path of a file inside the directory.
    public func path(_ relative: String) -> String { "\(path)/\(relative)" }

    /// Writes a file (creating parent folders).
    @discardableResult
    public func write(_ relative: String, _ contents: String) throws -> String {
        try write(relative, Array(contents.utf8))
    }

    /// Writes a file's bytes (creating parent folders).
    @discardableResult
    public func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let full = path(relative)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    /// Reads a file as UTF-8 text.
    public func read(_ relative: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path(relative))), as: UTF8.self)
    }
}
