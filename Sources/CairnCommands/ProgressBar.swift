import CairnEngine
import Foundation

/// A transfer progress line on a terminal's stderr: files, bytes, rate and ETA, redrawn at most ten times a second
/// and erased at the end (the command's one-line summary follows it). Commands use it only when stderr is a
/// terminal and `-q` was not given.
final class ProgressBar: TransferObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var label = ""
    private var totalFiles = 0
    private var totalBytes: Int64 = 0
    private var files = 0
    private var bytes: Int64 = 0
    private var started = Date()
    private var lastDraw = Date.distantPast

    /// A bar for this terminal, or nil when output is not a terminal or `-q` is set.
    static func forTerminal() -> ProgressBar? {
        Console.quiet || isatty(2) != 1 ? nil : ProgressBar()
    }

    func transferStarted(label: String, files: Int, bytes: Int64) {
        lock.lock()
        defer { lock.unlock() }
        self.label = label
        totalFiles = files
        totalBytes = bytes
        self.files = 0
        self.bytes = 0
        started = Date()
        drawLocked(force: true)
    }

    func transferMoved(bytes: Int64) {
        lock.lock()
        defer { lock.unlock() }
        self.bytes += bytes
        drawLocked(force: false)
    }

    func transferFinishedFile() {
        lock.lock()
        defer { lock.unlock() }
        files += 1
        drawLocked(force: false)
    }

    func transferEnded() {
        lock.lock()
        defer { lock.unlock() }
        Console.standardErrorRaw("\r\u{1B}[K")
    }

    private func drawLocked(force: Bool) {
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(bytes) / elapsed
        var line = "\(label) \(files)/\(totalFiles) files  \(Self.size(bytes))"
        if totalBytes > 0 { line += "/\(Self.size(totalBytes))" }
        line += "  \(Self.size(Int64(rate)))/s"
        if let eta = eta(elapsed: elapsed) { line += "  ETA \(eta)" }
        Console.standardErrorRaw("\r\u{1B}[K" + line)
    }

    /// Remaining time from the byte rate when sizes are known, else from the file rate.
    private func eta(elapsed: Double) -> String? {
        let fraction: Double
        if totalBytes > 0 { fraction = Double(bytes) / Double(totalBytes) } else if totalFiles > 0 {
            fraction = Double(files) / Double(totalFiles)
        } else { return nil }
        guard fraction > 0.01 else { return nil }
        let seconds = Int(elapsed / fraction - elapsed)
        return String(format: "%d:%02d", seconds / 60, seconds % 60)
    }

    /// Bytes in DVC-like human units.
    static func size(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
