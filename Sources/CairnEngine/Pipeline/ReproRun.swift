import CairnCore
import CairnStorage
import Foundation

/// One `repro` execution over a plan. Stage commands run concurrently (up to `-j`); everything that reads or
/// writes the workspace model — deciding whether a stage changed, hashing and caching outputs, writing
/// `dvc.lock` — happens under one lock, so the scanner, state cache and lock files see one change at a time.
final class ReproRun: @unchecked Sendable {
    private let project: Project
    private let index: PipelineIndex
    private let plan: StagePlan
    private let options: ReproOptions
    private let session: ReproSession
    private let cwd: String
    private let scanner: WorkspaceScanner
    private let work = NSLock()
    private let messages = NSLock()
    private var blankPending = false

    /// New lock entries by plan position: written in plan order whatever finished first.
    private var completed: [Int: LockedStage] = [:]
    /// Lock files that did not exist before this run wrote them.
    private var generatedLocks = Set<String>()
    private var writtenLocks = Set<String>()
    private var changed: [String] = []
    private var failures: [String] = []
    private var failedStages: [String] = []
    private var anythingChanged = false

    init(project: Project, index: PipelineIndex, plan: StagePlan, options: ReproOptions, session: ReproSession,
         cwd: String, scanner: WorkspaceScanner) {
        self.project = project
        self.index = index
        self.plan = plan
        self.options = options
        self.session = session
        self.cwd = cwd
        self.scanner = scanner
    }

    /// Files the run changed that git should track (lock files, `.gitignore`s, `.dvc` files).
    var changedFiles: [String] {
        work.lock()
        defer { work.unlock() }
        return changed
    }

    /// A fresh view of the workspace: params files are parsed once per observer, so each stage decision (and
    /// each recording after a run) gets its own, and never sees a params file as it was before a stage wrote it.
    private func makeObserver() -> WorkspaceStageObserver { WorkspaceStageObserver(project: project, scanner: scanner) }

    /// Refuses, before anything runs, a planned stage whose params file or declared key is missing.
    func checkParams() throws {
        let observer = makeObserver()
        for node in plan.nodes {
            guard case .stage(let stage) = index.graph.nodes[node], !stage.frozen else { continue }
            for dep in stage.mergedParams {
                let path = stage.resolvedPath(dep.file)
                guard let document = try observer.loadParams(path) else {
                    throw EngineError("failed to reproduce '\(address(node))': params file '\(RepoPath.relative(path, from: cwd))' does not exist",
                                      hint: "Create it, or remove the params entry from the stage in \(stage.file).")
                }
                do {
                    _ = try ParamsLookup.lockValues(for: dep, in: document)
                } catch {
                    var located = error
                    located.path = RepoPath.relative(path, from: cwd)
                    throw EngineError("failed to reproduce '\(address(node))': \(located.description)",
                                      hint: "Add the key to \(RepoPath.relative(path, from: cwd)), or remove it from the stage's params in \(stage.file).")
                }
            }
        }
        for node in plan.nodes {
            guard case .stage(let stage) = index.graph.nodes[node], stage.frozen else { continue }
            session.warning("stage: '\(address(node))' is frozen. Its dependencies are not going to be reproduced.")
        }
    }

    /// Runs the plan; throws naming the failed stages (or the interruption) after recording what finished.
    func execute() throws {
        let jobs = options.dry ? 1 : max(1, options.jobs)
        let prefixed = jobs > 1 && Self.allowsConcurrency(plan)
        let scheduler = StageScheduler(upstream: plan.waits, jobs: jobs, keepGoing: options.keepGoing)
        session.whenInterrupted { scheduler.stop() }
        _ = scheduler.run { [self] position in
            do {
                return try process(position, prefixed: prefixed)
            } catch {
                work.lock()
                failures.append("failed to reproduce '\(address(plan.nodes[position]))': \(Self.describe(error))")
                work.unlock()
                return false
            }
        }
        if session.isInterrupted {
            throw EngineError("interrupted by the user",
                              hint: "Finished stages were recorded in dvc.lock; run `cairn repro` again to continue.")
        }
        if !failedStages.isEmpty {
            failures.append("failed to reproduce " + failedStages.map { "'\($0)'" }.joined(separator: ", "))
        }
        if !failures.isEmpty {
            throw EngineError(failures.joined(separator: "\n"))
        }
        if anythingChanged {
            session.reproducedSomething = true
        } else {
            say("Data and pipelines are up to date.")
        }
    }

    /// `cairn commit` for the planned stages: records their current outputs, deps and params in `dvc.lock`
    /// without running anything; a lock file whose bytes would not change is left alone.
    func commitStages() throws {
        for (position, node) in plan.nodes.enumerated() {
            guard case .stage(let stage) = index.graph.nodes[node], !stage.outs.isEmpty || !stage.deps.isEmpty else { continue }
            try locked { try record(stage, position: position, ran: false) }
        }
    }

    /// Whether two planned nodes could run at the same time (some node does not depend on every earlier one);
    /// a chain never runs two stages at once, so its output is left unprefixed.
    static func allowsConcurrency(_ plan: StagePlan) -> Bool {
        var ancestors: [Set<Int>] = []
        for position in plan.nodes.indices {
            var set = Set<Int>()
            for wait in plan.waits[position] {
                set.insert(wait)
                set.formUnion(ancestors[wait])
            }
            if set.count < position { return true }
            ancestors.append(set)
        }
        return false
    }

    /// Plan positions that (transitively) wait for `position`.
    private func downstream(of position: Int) -> [Int] {
        var marked = Set([position])
        var result: [Int] = []
        for later in plan.nodes.indices where later > position && plan.waits[later].contains(where: marked.contains) {
            marked.insert(later)
            result.append(later)
        }
        return result
    }

    /// A line of cairn's text; a stage that ran (or was restored) is separated from what follows by a blank
    /// line, as DVC prints it (none after the last one).
    private func say(_ line: String) {
        messages.lock()
        defer { messages.unlock() }
        if blankPending {
            session.message("")
            blankPending = false
        }
        session.message(line)
    }

    /// Marks the end of a stage's block of lines.
    private func endStage() {
        messages.lock()
        blankPending = true
        messages.unlock()
    }

    private static func describe(_ error: Error) -> String {
        if let engine = error as? EngineError { return engine.message }
        return String(describing: error)
    }

    private func address(_ node: Int) -> String { index.graph.address(of: node, cwd: cwd) }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        work.lock()
        defer { work.unlock() }
        return try body()
    }

    // MARK: - One node

    /// Handles one planned node; false when it failed (the scheduler then starts nothing downstream of it).
    private func process(_ position: Int, prefixed: Bool) throws -> Bool {
        let node = plan.nodes[position]
        switch index.graph.nodes[node] {
        case .data(let source):
            try locked { try verifyDataSource(source, node: node) }
            return true
        case .stage(let stage):
            return try processStage(stage, node: node, position: position, prefixed: prefixed)
        }
    }

    /// A `.dvc` data source: unchanged → skipped; changed → its current data is saved (as `dvc commit` would).
    private func verifyDataSource(_ source: DataSource, node: Int) throws {
        guard let tracked = index.trackedFile(source) else { return }
        var isChanged = false
        for output in tracked.outputs where try project.outputChange(output, scanner: scanner).change != nil {
            isChanged = true
        }
        guard isChanged && !source.frozen else {
            say("'\(address(node))' didn't change, skipping")
            return
        }
        say("Verifying data sources in stage: '\(address(node))'")
        endStage()
        anythingChanged = true
        guard !options.dry else { return }
        for output in tracked.outputs {
            let observation = try scanner.observe(output.path, kind: output.recorded?.kind ?? .md5)
            guard observation.exists else {
                throw EngineError("missing data 'source': \(RepoPath.relative(output.path, from: cwd))")
            }
            let stored = output.isCached ? try scanner.ingest(output.path, linkTypes: project.config.linkTypes) : observation
            try project.writeDvcFile(at: tracked.path, outputPath: output.path, observation: stored)
        }
        noteChanged(tracked.path)
        session.noteReproduced(address(node))
    }

    private func processStage(_ stage: PipelineStage, node: Int, position: Int, prefixed: Bool) throws -> Bool {
        let name = address(node)
        enum Decision { case skip, done, run }
        let decision: Decision = try locked {
            let lock = index.lockEntry(for: stage)
            let observer = makeObserver()
            if stage.frozen {
                let outs = try observer.staleness(of: stage, lock: lock)
                guard !outs.isEmpty else {
                    say("Stage '\(name)' didn't change, skipping")
                    return .skip
                }
                say("Verifying outputs in frozen stage: '\(name)'")
                anythingChanged = true
                if !options.dry { try record(stage, position: position, ran: false) }
                return .done
            }
            let items = try observer.staleness(of: stage, lock: lock)
            if items.isEmpty && !options.force {
                say("Stage '\(name)' didn't change, skipping")
                return .skip
            }
            anythingChanged = true
            if !options.force, let lock, try restoreFromLock(stage, lock: lock, observer: observer) {
                say("Stage '\(name)' is cached - skipping run, checking out outputs")
                endStage()
                return .done
            }
            if !options.force, !options.noRunCache, let written = try restoreFromRunCache(stage, position: position, observer: observer) {
                say("Stage '\(name)' is cached - skipping run, checking out outputs")
                if written { announceLockWrite(stage) }
                endStage()
                return .done
            }
            if options.dry {
                say("Running stage '\(name)':")
                for command in stage.cmd.commands { say("> " + command) }
                endStage()
                return .done
            }
            try removeOutputs(of: stage)
            return .run
        }
        if decision != .skip && !options.dry { session.noteReproduced(name) }
        guard decision == .run else { return true }

        say("Running stage '\(name)':")
        let process = StageProcess()
        session.register(process)
        var environment = ProcessInfo.processInfo.environment
        environment["DVC_ROOT"] = project.root
        environment["DVC_STAGE"] = stage.address
        let outcome = process.run(
            commands: stage.cmd.commands, directory: project.absolute(stage.wdir), environment: environment,
            output: prefixed ? .prefixed("[\(stage.name)] ", session.output) : .inherit,
            announce: { [self] in say("> " + $0) })
        session.unregister(process)
        switch outcome {
        case .succeeded:
            try locked {
                try record(stage, position: position, ran: true)
                endStage()
            }
            return true
        case .failed(let command, let status):
            endStage()
            locked {
                if options.keepGoing {
                    // DVC's --keep-going wording: warnings now, one error naming the failed stages at the end.
                    session.warning("failed to run: \(command), exited with \(status)")
                    for skipped in downstream(of: position) {
                        session.warning("Stage '\(address(plan.nodes[skipped]))' will be skipped due to this failure")
                    }
                    failedStages.append(name)
                } else {
                    failures.append("failed to reproduce '\(name)': failed to run: \(command), exited with \(status)")
                }
            }
            return false
        case .interrupted:
            return false
        }
    }

    // MARK: - Restoring instead of running

    /// DVC's first restore path: command, deps and params as locked, every out recorded and its objects cached —
    /// the outputs are checked out and the lock stays as it is.
    private func restoreFromLock(_ stage: PipelineStage, lock: LockedStage, observer: WorkspaceStageObserver) throws -> Bool {
        var lookupError: Error?
        let restorable = Staleness.isRestorable(stage, lock: lock, observer: observer) { recorded in
            guard let hash = recorded.hash else { return false }
            do { return try scanner.objectsPresent(hash) } catch {
                lookupError = error
                return false
            }
        }
        if let failure = lookupError ?? observer.failure { throw failure }
        guard restorable else { return false }
        if !options.dry { try checkout(index.recordedOutputs(of: stage, entry: lock)) }
        return true
    }

    /// The run-cache: an entry for the stage's current command, deps and params whose outputs are all cached
    /// has them checked out and written to the lock instead of running.
    /// Returns nil when nothing was restored, else whether the lock file changed.
    private func restoreFromRunCache(_ stage: PipelineStage, position: Int, observer: WorkspaceStageObserver) throws -> Bool? {
        guard RunCache.isCacheable(stage) else { return nil }
        let probe = try lockEntry(for: stage, outs: stage.outs.map { LockedPath(path: $0.path) }, observer: observer)
        let directory = project.cacheDirectory + "/" + RunCache.entryDirectory(key: RunCache.key(for: probe))
        guard let candidate = try newestEntry(in: directory) else { return nil }
        let text = String(decoding: try FileSystem.readFile(candidate), as: UTF8.self)
        guard let cached = try? RunCache.parse(text, path: candidate) else { return nil }
        let entry = LockedStage(cmd: probe.cmd, deps: probe.deps, params: probe.params, outs: cached.outs)
        let outputs = index.recordedOutputs(of: stage, entry: entry)
        guard outputs.count == stage.outs.count else { return nil }
        for output in outputs {
            guard let recorded = output.recorded, try scanner.objectsPresent(recorded) else { return nil }
        }
        if options.dry { return false }
        try checkout(outputs)
        let written = try writeEntry(entry, for: stage, position: position)
        for output in stage.outs where output.cache { try ignoreInGit(stage.resolvedPath(output.path)) }
        return written
    }

    /// The newest (by mtime) entry file of a run-cache key directory.
    private func newestEntry(in directory: String) throws -> String? {
        guard FileSystem.isDirectory(directory) else { return nil }
        var best: (path: String, mtime: Int64)?
        for entry in try FileSystem.listDirectory(directory) where entry.kind == .file {
            let path = directory + "/" + entry.name
            guard let stat = try FileSystem.stat(path) else { continue }
            if best == nil || stat.mtimeNanoseconds > best!.mtime { best = (path, stat.mtimeNanoseconds) }
        }
        return best?.path
    }

    /// Checks out outputs from the cache (no unsaved-data check: a stage's outputs are its own to replace);
    /// `cache: false` outputs restored from the run-cache come back as copies.
    private func checkout(_ outputs: [TrackedOutput]) throws {
        for output in outputs {
            let linkTypes = output.isCached ? project.config.linkTypes : [.copy]
            guard let recorded = output.recorded else { continue }
            let observation = try scanner.observe(output.path, kind: recorded.kind)
            let plan = try CheckoutPlan.make(output: output, recorded: recorded, observation: observation,
                                             relink: false, scanner: scanner)
            if !plan.isEmpty { try project.apply(plan, scanner: scanner, linkTypes: linkTypes) }
        }
    }

    // MARK: - Running

    /// Removes a stage's outputs before its command runs; `persist` outputs stay, made writable copies.
    private func removeOutputs(of stage: PipelineStage) throws {
        for output in stage.outs {
            let path = project.absolute(stage.resolvedPath(output.path))
            if output.persist {
                try Unprotect.tree(at: path)
            } else if let stat = try FileSystem.lstat(path) {
                if stat.kind == .directory {
                    try FileSystem.removeTree(path)
                } else {
                    _ = try FileSystem.removeFile(path)
                }
            }
        }
    }

    /// After a successful run (or a frozen stage's verification): hashes and caches the outputs, writes the lock
    /// entry, git-ignores cached outputs and saves a run-cache entry.
    private func record(_ stage: PipelineStage, position: Int, ran: Bool) throws {
        let linkTypes = project.config.linkTypes
        let saveRun = RunCache.isSaveAllowed(stage)
        var outs: [LockedPath] = []
        for output in stage.outs {
            let repoPath = stage.resolvedPath(output.path)
            let observation: Observation
            if output.cache {
                guard FileSystem.exists(project.absolute(repoPath)) else { throw missingOutput(repoPath, stage: stage) }
                observation = try scanner.ingest(repoPath, linkTypes: linkTypes)
            } else if saveRun {
                // Run-cache entries must be restorable, so uncached metrics/plots get a copy in the cache.
                guard FileSystem.exists(project.absolute(repoPath)) else { throw missingOutput(repoPath, stage: stage) }
                observation = try scanner.ingest(repoPath, linkTypes: [.copy])
            } else {
                observation = try scanner.observe(repoPath)
            }
            guard observation.exists else { throw missingOutput(repoPath, stage: stage) }
            outs.append(LockedPath(path: output.path, observation: observation))
        }
        let entry = try lockEntry(for: stage, outs: outs, observer: makeObserver())
        if try writeEntry(entry, for: stage, position: position) { announceLockWrite(stage) }
        for output in stage.outs where output.cache { try ignoreInGit(stage.resolvedPath(output.path)) }
        if saveRun && ran { try saveRunCache(entry) }
    }

    private func missingOutput(_ repoPath: String, stage: PipelineStage) -> EngineError {
        EngineError("output '\(RepoPath.relative(repoPath, from: cwd))' does not exist",
                    hint: "The command of stage '\(stage.name)' must create every declared output; fix it or the stage's outs.")
    }

    /// The lock entry for the stage's current command, deps and params, with the given outs.
    private func lockEntry(for stage: PipelineStage, outs: [LockedPath], observer: WorkspaceStageObserver) throws -> LockedStage {
        var deps: [LockedPath] = []
        for dep in stage.deps {
            let observation = try scanner.observeDependency(stage.resolvedPath(dep))
            deps.append(observation.exists ? LockedPath(path: dep, observation: observation) : LockedPath(path: dep))
        }
        var params: [(file: String, values: YAMLMapping)] = []
        for dep in stage.mergedParams {
            guard let document = try observer.loadParams(stage.resolvedPath(dep.file)) else {
                throw EngineError("params file '\(RepoPath.relative(stage.resolvedPath(dep.file), from: cwd))' does not exist")
            }
            params.append((dep.file, try ParamsLookup.lockValues(for: dep, in: document)))
        }
        return LockEntryBuilder.entry(for: stage, deps: deps, params: params, outs: outs)
    }

    /// Stores a new entry and rewrites the stage's lock file with every entry completed so far, in plan order.
    @discardableResult
    private func writeEntry(_ entry: LockedStage, for stage: PipelineStage, position: Int) throws -> Bool {
        completed[position] = entry
        let lockPath = index.lockPath(for: stage)
        let file = index.files.first { $0.lockPath == lockPath }
        var lock = file?.lock ?? PipelineLock()
        if file?.lock == nil && writtenLocks.insert(lockPath).inserted { generatedLocks.insert(lockPath) }
        for (done, doneEntry) in completed.sorted(by: { $0.key < $1.key }) {
            guard case .stage(let doneStage) = index.graph.nodes[plan.nodes[done]],
                  index.lockPath(for: doneStage) == lockPath else { continue }
            lock[stage: doneStage.name] = doneEntry
        }
        let text = lock.rendered()
        let absolute = project.absolute(lockPath)
        if let current = try? FileSystem.readFile(absolute), current == Array(text.utf8) { return false }
        try FileSystem.writeFileAtomically(Array(text.utf8), to: absolute)
        noteChanged(lockPath)
        return true
    }

    /// DVC's lock messages: the first write of a new lock file says it is generated.
    private func announceLockWrite(_ stage: PipelineStage) {
        let lockPath = index.lockPath(for: stage)
        let shown = RepoPath.relative(lockPath, from: cwd)
        if generatedLocks.remove(lockPath) != nil {
            say("Generating lock file '\(shown)'")
        }
        say("Updating lock file '\(shown)'")
    }

    private func ignoreInGit(_ repoPath: String) throws {
        if let gitignore = try GitignoreWriter(project: project).ignore(repoPath) { noteChanged(gitignore) }
    }

    private func saveRunCache(_ entry: LockedStage) throws {
        let path = project.cacheDirectory + "/" + RunCache.entryPath(for: entry)
        if FileSystem.exists(path) { return }
        try FileSystem.makeDirectories(RepoPath.parent(path))
        try FileSystem.writeFileAtomically(Array(RunCache.render(entry).utf8), to: path)
    }

    private func noteChanged(_ path: String) {
        if !changed.contains(path) { changed.append(path) }
    }
}

extension LockedPath {
    /// The lock record of an observed dep or out (`path` as the stage wrote it).
    init(path: String, observation: Observation) {
        switch observation.content {
        case .missing:
            self.init(path: path)
        case .file(let id, let size, let isExecutable):
            self.init(path: path, hash: HashInfo(id, kind: observation.kind), size: Int64(size), isexec: isExecutable)
        case .directory(let id, let size, let fileCount):
            self.init(path: path, hash: HashInfo(id, kind: observation.kind), size: Int64(size), nfiles: fileCount)
        }
    }
}
