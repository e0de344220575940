import ArgumentParser
import CairnCore
import CairnEngine
import Foundation

extension Cairn {
    /// `cairn plots …`: DVC's plot definitions drawn as self-contained SVG and HTML (no JavaScript, no network).
    struct PlotsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plots", abstract: "Commands to visualize and compare plot data.",
            subcommands: [Show.self, Diff.self])

        /// Options shared by `show` and `diff`.
        struct Options: ParsableArguments {
            @Option(name: [.short, .customLong("out")], help: "Directory to save plots to (default dvc_plots).")
            var out: String?
            @Flag(name: .customLong("open"), help: "Open plot file directly in the browser.")
            var open = false
            @Flag(name: .customLong("json"), help: "Show what was written as JSON (DVC's outer shape; `url` names each file).")
            var json = false
            @Option(name: .customLong("targets"), parsing: .upToNextOption, help: "Plots (ids or data files) to show.")
            var targets: [String] = []
        }

        /// `cairn plots show`.
        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Generate plots from the workspace's plot data.")

            @OptionGroup var global: GlobalOptions
            @OptionGroup var options: Options
            @Argument(help: "Plots (ids or data files) to show; all by default.")
            var plots: [String] = []

            func run() throws {
                try PlotsOutput.run(global: global, options: options, revisions: [], targets: plots + options.targets)
            }
        }

        /// `cairn plots diff`.
        struct Diff: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Show multiple versions of plots by overlaying them in a single image.",
                discussion: "Without revisions: the workspace and HEAD; with one: the workspace and it; else exactly those.")

            @OptionGroup var global: GlobalOptions
            @OptionGroup var options: Options
            @Argument(help: "Git commits to compare.")
            var revisions: [String] = []

            func run() throws {
                var revisions = revisions
                if revisions.count < 2 { revisions = ["workspace"] + (revisions.isEmpty ? ["HEAD"] : revisions) }
                try PlotsOutput.run(global: global, options: options, revisions: revisions, targets: options.targets)
            }
        }
    }
}

/// Renders, reports and optionally opens the plots page.
enum PlotsOutput {
    static func run(global: GlobalOptions, options: Cairn.PlotsCommand.Options, revisions: [String], targets: [String]) throws {
        let context = try CommandContext(global)
        let outcome = try context.project().plots(revisions: revisions, targets: targets, output: options.out,
                                                  relativeTo: context.workingDirectory)
        if options.json {
            Console.standardOutput(PythonJSON.dumps(outcome.json))
        } else if outcome.plots.isEmpty {
            Console.info("No plots were loaded, visualization file will not be created.")
        } else {
            Console.info("file://" + outcome.indexPath)
        }
        if options.open { open(outcome.indexPath) }
    }

    /// Hands the page to the desktop's browser (`xdg-open`); a headless machine just keeps the printed path.
    private static func open(_ path: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xdg-open", path]
        do {
            try process.run()
            process.waitUntilExit()
            if process.terminationStatus != 0 { Console.warning("could not open \(path) (xdg-open failed)") }
        } catch {
            Console.warning("could not open \(path): \(error)")
        }
    }
}
