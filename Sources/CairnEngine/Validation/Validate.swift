import CairnCore
import CairnStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Project {
    /// Runs the checks declared in `checks.yaml` at the repository root, limited to the checks whose path equals or
    /// lies under one of `targets` (relative to `cwd`). Read-only. Throws on a bad checks.yaml (file:line:column),
    /// an unreadable input or an unknown revision; failed checks are in the report (`report.passed`).
    public func validate(targets: [String], relativeTo cwd: String) throws -> ValidationReport {
        let checksPath = absolute(ChecksFile.fileName)
        guard FileSystem.exists(checksPath) else {
            throw EngineError("no \(ChecksFile.fileName) at the repository root (\(root))",
                              hint: "Declare the checks in \(ChecksFile.fileName); see the README's `cairn validate` section.")
        }
        let text = String(decoding: try FileSystem.readFile(checksPath), as: UTF8.self)
        let checks = try ChecksFile.parse(text)
        var entries = checks.entries
        if !targets.isEmpty {
            let wanted = try targets.map { try repoRelative($0, cwd: cwd) }
            for (target, relative) in zip(targets, wanted)
            where !entries.contains(where: { relative.isEmpty || $0.path == relative || RepoPath.isInside($0.path, relative) }) {
                throw EngineError(.usage, "no checks in \(ChecksFile.fileName) for '\(target)'")
            }
            entries = entries.filter { entry in
                wanted.contains { $0.isEmpty || entry.path == $0 || RepoPath.isInside(entry.path, $0) }
            }
        }
        var baselines: [String: RevisionView] = [:]
        return ValidationReport(files: try entries.map { try validateFile($0, baselines: &baselines) })
    }

    private func validateFile(_ checks: FileChecks, baselines: inout [String: RevisionView]) throws -> FileReport {
        let path = absolute(checks.path)
        var present = CheckOutcome(check: "present")
        guard FileSystem.exists(path) else {
            if checks.optional { return FileReport(path: checks.path, checks: []) }
            present.message = "the file does not exist"
            return FileReport(path: checks.path, checks: [present])
        }
        if FileSystem.isDirectory(path) {
            present.message = "is a directory, not a file"
            return FileReport(path: checks.path, checks: [present])
        }
        var outcomes = [present]
        if let size = checks.size {
            var stats = stat()
            guard stat(path, &stats) == 0 else { throw EngineError("cannot stat '\(checks.path)': \(String(cString: strerror(errno)))") }
            var outcome = CheckOutcome(check: "size", rule: size.text + " bytes")
            if !size.contains(Double(stats.st_size)) { outcome.message = "\(stats.st_size) bytes" }
            outcomes.append(outcome)
        }
        switch checks.format {
        case .csv?, .tsv?:
            var validator = TableValidator(checks: checks)
            try streamFile(path, display: checks.path) { validator.feed($0) }
            outcomes += validator.finish()
        case .jsonl?:
            var validator = JSONLinesValidator(checks: checks)
            try streamFile(path, display: checks.path) { validator.feed($0) }
            outcomes += validator.finish()
        case nil:
            break
        }
        if !checks.metrics.isEmpty { outcomes += try metricOutcomes(checks, baselines: &baselines) }
        return FileReport(path: checks.path, checks: outcomes)
    }

    private func metricOutcomes(_ checks: FileChecks, baselines: inout [String: RevisionView]) throws -> [CheckOutcome] {
        let current = try metricValues(checks.path, in: .workspace(self))
        var outcomes: [CheckOutcome] = []
        for check in checks.metrics {
            var outcome = CheckOutcome(check: "metric", rule: check.text)
            guard let value = current[check.key] else {
                outcome.message = "no numeric metric '\(check.key)' in the file"
                outcomes.append(outcome)
                continue
            }
            switch check {
            case .threshold(_, let op, let bound):
                if !op.holds(value, bound) { outcome.fail(row: nil, column: nil, value: MetricValue.float(value).pythonStr) }
            case .noRegression(let key, let tolerance, let revision, let higherIsBetter):
                if baselines[revision] == nil { baselines[revision] = try RevisionView.resolve(revision, project: self) }
                let old = try metricValues(checks.path, in: baselines[revision]!)
                guard let baseline = old[key] else {
                    outcome.message = "no numeric metric '\(key)' in \(checks.path) at '\(revision)' to compare with"
                    break
                }
                // A small epsilon keeps e.g. 0.8 - 0.79 (= 0.010000000000000009) within a 0.01 tolerance.
                let slack = tolerance + 1e-12
                let regressed = higherIsBetter ? value < baseline - slack : value > baseline + slack
                if regressed {
                    outcome.message = "\(MetricValue.float(value).pythonStr) against \(MetricValue.float(baseline).pythonStr) at '\(revision)'"
                }
            }
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// The file's numeric metrics, flattened as `cairn metrics show` does; missing at a revision -> empty.
    private func metricValues(_ path: String, in view: RevisionView) throws -> [String: Double] {
        let bytes: [UInt8]
        switch try view.content(of: path) {
        case .missing: return [:]
        case .notInCache(let hash):
            throw EngineError("'\(view.displayName):\(path)': object \(hash.id) is not in the local cache",
                              hint: "Run `cairn pull` or `cairn fetch` to get it.")
        case .bytes(let content): bytes = content
        }
        let document = try ParamsDocument.parse(bytes, path: view.isWorkspace ? path : "\(view.displayName):\(path)")
        var values: [String: Double] = [:]
        for (key, value) in MetricsFlattening.flatten(document) {
            switch value {
            case .int(let n): values[key] = Double(n)
            case .float(let x): values[key] = x
            default: continue
            }
        }
        return values
    }
}

/// Reads a file in 1 MiB chunks into one reused buffer.
private func streamFile(_ path: String, display: String, _ body: (UnsafeRawBufferPointer) -> Void) throws {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw EngineError("cannot read '\(display)': \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    let capacity = 1 << 20
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    defer { buffer.deallocate() }
    while true {
        let count = read(descriptor, buffer.baseAddress, capacity)
        if count < 0 {
            if errno == EINTR { continue }
            throw EngineError("cannot read '\(display)': \(String(cString: strerror(errno)))")
        }
        if count == 0 { return }
        body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }
}
