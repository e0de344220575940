import CairnCore
import CairnGit
import CairnStorage
import Foundation

/// A commit as `log` and `which` show it.
public struct CommitSummary: Sendable, Equatable {
    /// Full hex id.
    public var id: String
    /// The first 7 hex digits.
    public var shortID: String { String(id.prefix(7)) }
    /// Author name.
    public var author: String
    /// Author e-mail.
    public var email: String
    /// Author time, seconds since the epoch.
    public var time: Int64
    /// Author time zone offset in minutes.
    public var offsetMinutes: Int
    /// The first line of the message.
    public var summary: String

    /// The author date as `YYYY-MM-DD HH:MM:SS +HHMM` in the author's zone.
    public var dateText: String { LineageDates.format(time: time, offsetMinutes: offsetMinutes) }

    init(_ info: GitCommitInfo) {
        id = info.id.hex
        author = info.author.name
        email = info.author.email
        time = info.author.time
        offsetMinutes = info.author.offsetMinutes
        summary = info.summary
    }
}

/// One version of a tracked artifact in history.
public struct ArtifactVersion: Sendable, Equatable {
    /// The commit that recorded this content (its first parent recorded another, or none).
    public var commit: CommitSummary
    /// The recorded hash (`<md5>` or `<md5>.dir`).
    public var hash: String?
    /// The recorded size.
    public var size: Int64?
    /// The stage that produced it (nil for a `.dvc`-tracked artifact).
    public var stage: LineageStageRecord?
    /// The `.dvc` file that tracks it (nil for a stage output).
    public var dvcFile: String?
}

/// A commit where `which` found a file's content recorded as an output.
public struct WhichMatch: Sendable, Equatable {
    /// The commit.
    public var commit: CommitSummary
    /// The repo-relative path the content had.
    public var path: String
    /// The stage address or `.dvc` file that recorded it.
    public var recordedBy: String
    /// The directory output the file is an entry of, when it was found inside a `.dir` manifest.
    public var directory: String?
}

/// What `which` found.
public struct WhichResult: Sendable {
    /// The file's md5.
    public var hash: String
    /// Matches, newest commit first.
    public var matches: [WhichMatch]
}

/// What a `dvc.lock` or `.dvc` blob records as outputs, with repo-relative paths.
private struct RecordedOutput {
    let path: String
    let hash: ObjectID?
    let size: Int64?
    let stage: LineageStageRecord?
    let dvcFile: String?
    var recordedBy: String { stage?.address ?? dvcFile ?? "" }
}

extension Project {
    /// The tree of stages and inputs that produced the tracked output `path` (relative to `cwd`) at `revision`
    /// (nil: the workspace's dvc.yaml/dvc.lock as they are now).
    public func lineage(of path: String, revision: String?, relativeTo cwd: String) throws -> LineageNode {
        let view = try revision.map { try RevisionView.resolve($0, project: self) } ?? .workspace(self)
        let target = try repoRelative(path, cwd: cwd)
        var stages: [LineageStageRecord] = []
        for pipeline in try view.pipelines() {
            let lockPath = RepoPath.join(RepoPath.parent(pipeline.path), "dvc.lock") ?? "dvc.lock"
            guard let bytes = try view.read(lockPath) else { continue }
            let lock: PipelineLock
            do {
                lock = try PipelineLock.parse(String(decoding: bytes, as: UTF8.self), path: lockPath)
            } catch {
                var labelled = error
                if !view.isWorkspace { labelled.path = "\(view.label):\(error.path)" }
                throw labelled
            }
            for stage in pipeline.stages {
                guard let entry = lock[stage: stage.name] else { continue }
                stages.append(LineageStageRecord(address: stage.address, lockPath: lockPath, entry: entry,
                                                 resolve: stage.resolvedPath))
            }
        }
        let tracked = try view.dvcFiles().flatMap(LineageTrackedRecord.records)
        let builder = LineageBuilder(stages: stages, tracked: tracked)
        guard let tree = builder.tree(for: target) else {
            throw notTracked(target, at: view.displayName, nearby: builder.nearby(target))
        }
        return tree
    }

    /// Every version of the tracked output `path` reachable from HEAD, newest first: a commit is listed when the
    /// hash it records differs from its first parent's (or the parent records none), as `git log -- PATH` lists
    /// commits. The files read are the `dvc.lock` of `path`'s directory and each parent directory, and
    /// `PATH.dvc`; lock paths are taken relative to the lock's directory. `limit` caps the versions.
    public func artifactLog(of path: String, limit: Int?, relativeTo cwd: String) throws
        -> (versions: [ArtifactVersion], warnings: [String])
    {
        let target = try repoRelative(path, cwd: cwd)
        guard let git = try self.git else {
            throw EngineError("cannot read history: this project does not use git (core.no_scm)")
        }
        guard let head = try git.headCommit() else {
            throw EngineError("the current branch has no commits yet", hint: "Commit dvc.lock or the .dvc file first.")
        }
        var watched: [String] = []
        var directory = RepoPath.parent(target)
        while true {
            watched.append(RepoPath.join(directory, "dvc.lock") ?? "dvc.lock")
            if directory.isEmpty { break }
            directory = RepoPath.parent(directory)
        }
        watched.append(target + ".dvc")

        var blobRecords: [GitOID: RecordedOutput?] = [:]
        var warnings: [String] = []
        var states: [GitOID: RecordedOutput?] = [:]
        func record(in blob: GitOID, file: String, commit: GitOID) throws -> RecordedOutput? {
            if let known = blobRecords[blob] { return known }
            let found: RecordedOutput?
            do {
                found = try Self.outputs(in: git.blob(blob), file: file).first { $0.path == target }
            } catch let error as FormatError {
                warnings.append("skipped \(file) at \(commit.hex.prefix(7)): \(error)")
                found = nil
            }
            blobRecords[blob] = .some(found)
            return found
        }
        func state(_ commit: GitOID) throws -> RecordedOutput? {
            if let known = states[commit] { return known }
            let blobs = try git.blobIDs(at: commit, paths: watched)
            var found: RecordedOutput?
            for (file, blob) in zip(watched, blobs) {
                guard let blob else { continue }
                if let hit = try record(in: blob, file: file, commit: commit) {
                    found = hit
                    break
                }
            }
            states[commit] = .some(found)
            return found
        }

        var versions: [ArtifactVersion] = []
        let walk = try git.walk(from: [head], order: .timeAndTopological)
        while limit.map({ versions.count < $0 }) ?? true, let commit = try walk.next() {
            guard let current = try state(commit) else {
                states[commit] = nil  // visited once: drop what only its parent needs again
                continue
            }
            let parent = try git.parents(of: commit).first
            if let parent, let previous = try state(parent), previous.hash == current.hash { continue }
            versions.append(ArtifactVersion(commit: CommitSummary(try git.commitInfo(commit)),
                                            hash: current.hash?.description, size: current.size,
                                            stage: current.stage, dvcFile: current.dvcFile))
        }
        if versions.isEmpty {
            let nearby = try? lineageBuilderAtHead(git: git, head: head).nearby(target)
            throw notTracked(target, at: "any commit reachable from HEAD (read: \(watched.joined(separator: ", ")))",
                             nearby: nearby ?? [])
        }
        return (versions, warnings)
    }

    /// Hashes `file` (relative to `cwd`) and finds the commits reachable from any branch, tag or HEAD that
    /// recorded exactly that content as an output (a stage out, a `.dvc` out, or an entry of a directory output
    /// whose `.dir` manifest is in the local cache). Newest commit first.
    public func which(_ file: String, relativeTo cwd: String) throws -> (result: WhichResult, warnings: [String]) {
        let absolute = file.hasPrefix("/") ? file : cwd + "/" + file
        guard FileSystem.exists(absolute) else { throw EngineError("'\(file)' does not exist") }
        if FileSystem.isDirectory(absolute) {
            throw EngineError.usage("'\(file)' is a directory", hint: "`cairn which` looks up single files; name one.")
        }
        let digest: ObjectID
        do {
            digest = try FileHasher.hash(path: absolute, kind: .md5).id
        } catch {
            throw EngineError("cannot read '\(file)': \(error)")
        }
        guard let git = try self.git else {
            throw EngineError("cannot read history: this project does not use git (core.no_scm)")
        }
        let index = GitTreeIndex(git) { $0 == "dvc.lock" || ($0.hasSuffix(".dvc") && $0.count > 4) }
        var blobRecords: [GitOID: [RecordedOutput]] = [:]
        var manifests: [ObjectID: DirManifest?] = [:]
        var warnings: [String] = []
        var matches: [WhichMatch] = []
        let walk = try git.walkAll(order: .timeAndTopological)
        while let commit = try walk.next() {
            var found: [(path: String, recordedBy: String, directory: String?)] = []
            for (path, blob) in try index.files(at: commit) {
                let outputs: [RecordedOutput]
                if let known = blobRecords[blob] {
                    outputs = known
                } else {
                    do {
                        outputs = try Self.outputs(in: git.blob(blob), file: path)
                    } catch let error as FormatError {
                        warnings.append("skipped \(path) at \(commit.hex.prefix(7)): \(error)")
                        outputs = []
                    }
                    blobRecords[blob] = outputs
                }
                for output in outputs {
                    guard let hash = output.hash else { continue }
                    if hash == digest {
                        found.append((output.path, output.recordedBy, nil))
                    } else if hash.isDirectory {
                        let manifest: DirManifest?
                        if let known = manifests[hash] {
                            manifest = known
                        } else {
                            // Only manifests present in the local cache can be searched; others are skipped.
                            if cache.contains(hash) { manifest = try? cache.readManifest(hash) } else { manifest = nil }
                            manifests[hash] = .some(manifest)
                        }
                        for entry in manifest?.entries ?? [] where entry.id == digest {
                            found.append((output.path + "/" + entry.relpath, output.recordedBy, output.path))
                        }
                    }
                }
            }
            guard !found.isEmpty else { continue }
            let summary = CommitSummary(try git.commitInfo(commit))
            for hit in found {
                matches.append(WhichMatch(commit: summary, path: hit.path, recordedBy: hit.recordedBy,
                                          directory: hit.directory))
            }
        }
        return (WhichResult(hash: digest.description, matches: matches), warnings)
    }

    /// The outputs a `dvc.lock` (name `dvc.lock`) or `.dvc` blob records, paths made repo-relative.
    private static func outputs(in bytes: [UInt8], file: String) throws(FormatError) -> [RecordedOutput] {
        let text = String(decoding: bytes, as: UTF8.self)
        let directory = RepoPath.parent(file)
        if RepoPath.name(file) == "dvc.lock" {
            let lock = try PipelineLock.parse(text, path: file)
            let pipeline = RepoPath.join(directory, "dvc.yaml") ?? "dvc.yaml"
            return lock.stages.flatMap { name, entry -> [RecordedOutput] in
                let address = pipeline == "dvc.yaml" ? name : "\(pipeline):\(name)"
                let record = LineageStageRecord(address: address, lockPath: file, entry: entry) {
                    RepoPath.join(directory, $0) ?? $0
                }
                return entry.outs.map {
                    RecordedOutput(path: RepoPath.join(directory, $0.path) ?? $0.path, hash: $0.md5, size: $0.size,
                                   stage: record, dvcFile: nil)
                }
            }
        }
        let parsed = try DVCFile.parse(text, path: file)
        return parsed.outs.map {
            RecordedOutput(path: $0.repoPath, hash: $0.md5, size: $0.size, stage: nil, dvcFile: file)
        }
    }

    private func lineageBuilderAtHead(git: GitRepository, head: GitOID) throws -> LineageBuilder {
        var stages: [LineageStageRecord] = []
        var tracked: [LineageTrackedRecord] = []
        for (path, blob) in try GitTreeIndex(git, includeName: { $0 == "dvc.lock" || $0.hasSuffix(".dvc") }).files(at: head) {
            for output in (try? Self.outputs(in: git.blob(blob), file: path)) ?? [] {
                if let stage = output.stage {
                    stages.append(stage)
                } else if let dvcFile = output.dvcFile {
                    tracked.append(LineageTrackedRecord(dvcPath: dvcFile, path: output.path,
                                                        hash: output.hash?.description, size: output.size))
                }
            }
        }
        return LineageBuilder(stages: stages, tracked: tracked)
    }

    private func notTracked(_ target: String, at place: String, nearby: [String]) -> EngineError {
        let hint = nearby.isEmpty
            ? "Nothing is tracked there: outputs are stage outs in a dvc.lock or outs of a .dvc file."
            : "Tracked outputs nearby: " + nearby.joined(separator: ", ")
        return EngineError("'\(target)' is not a tracked output at \(place)", hint: hint)
    }
}

/// Date text for commit listings.
enum LineageDates {
    /// `YYYY-MM-DD HH:MM:SS +HHMM` of a Unix time shown in a zone `offsetMinutes` east of UTC.
    static func format(time: Int64, offsetMinutes: Int) -> String {
        let local = time + Int64(offsetMinutes) * 60
        let days = Int64((Double(local) / 86_400).rounded(.down))
        let seconds = Int(local - days * 86_400)
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let sign = offsetMinutes < 0 ? "-" : "+"
        let offset = abs(offsetMinutes)
        return String(format: "%04lld-%02lld-%02lld %02ld:%02ld:%02ld ", year, month, day, seconds / 3600,
                      seconds % 3600 / 60, seconds % 60) + sign + String(format: "%02ld%02ld", offset / 60, offset % 60)
    }
}
