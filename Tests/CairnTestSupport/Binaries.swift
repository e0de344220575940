import Foundation

/// The programs the end-to-end and interop tests run: the built `cairn` and the real DVC (the oracle).
public enum Binaries {
    /// The DVC release the interop tests compare with.
    public static let dvcVersion = "3.67.1"

    /// Absolute path of the built `cairn` executable: `$CAIRN_BIN` if set, else the `cairn` beside the running
    /// test bundle, else `<package root>/.build/debug/cairn`. Throws with a clear message when there is none.
    public static func cairn() throws -> String {
        if let explicit = environment("CAIRN_BIN") {
            guard isExecutable(explicit) else {
                throw TestSupportError("CAIRN_BIN=\(explicit) is not an executable file; build it with `swift build`")
            }
            return explicit
        }
        var candidates: [String] = []
        // On Linux the test bundle is an executable in the build folder (…/debug/cairnPackageTests.xctest),
        // next to the `cairn` product; on macOS it is a bundle inside that folder.
        if let first = CommandLine.arguments.first, first.hasPrefix("/") {
            candidates.append(parentFolder(of: bundleRoot(first)) + "/cairn")
        }
        candidates.append(parentFolder(of: bundleRoot(Bundle.main.bundlePath)) + "/cairn")
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(parentFolder(of: bundle.bundlePath) + "/cairn")
        }
        candidates.append(Fixtures.packageRoot.path + "/.build/debug/cairn")
        if let found = candidates.first(where: isExecutable) { return found }
        throw TestSupportError(
            "the cairn executable was not found (looked at: \(candidates.joined(separator: ", "))); "
                + "run `swift build --build-tests` first, or set CAIRN_BIN to its path")
    }

    /// Absolute path of DVC 3.67.1: `$CAIRN_DVC` if set, else `<package root>/.venv/bin/dvc`. Throws (the
    /// interop tests then fail, they are never skipped) when it is missing.
    public static func dvc() throws -> String {
        let path = environment("CAIRN_DVC") ?? Fixtures.packageRoot.path + "/.venv/bin/dvc"
        guard isExecutable(path) else {
            throw TestSupportError(
                "DVC was not found at \(path): run `make test`, which installs dvc==\(dvcVersion) into .venv "
                    + "(or set CAIRN_DVC to a dvc \(dvcVersion) executable)")
        }
        return path
    }

    private static func environment(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    private static func isExecutable(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && access(path, X_OK) == 0
    }

    /// The `.xctest` bundle containing `path` (macOS runs a binary inside it), or `path` itself.
    private static func bundleRoot(_ path: String) -> String {
        guard let range = path.range(of: ".xctest/") else { return path }
        return String(path[..<range.lowerBound]) + ".xctest"
    }

    private static func parentFolder(of path: String) -> String {
        (path as NSString).deletingLastPathComponent
    }
}
