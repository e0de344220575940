import CairnCore
import CairnTestSupport
import Foundation
import Testing

/// Compares the matcher with `git check-ignore` on a tree full of tricky names and patterns.
@Suite struct IgnoreGitComparisonTests {
    static let rootPatterns = ##"""
        # a comment
        \#hash
        \!bang
        *.tmp
        !keep.tmp
        logs/
        /anchored
        doc/*.txt
        **/deep/z.txt
        a/**/b
        trail/**
        foo[0-9].k
        bar[!0-9].k
        baz[^a-c].k
        [[:upper:]]*.up
        [[:digit:]][[:alpha:]]
        q?.q
        sp\ ace\ 
        trailing   
        \\back
        */mid/*
        ab**
        x/ab**
        **/lvl
        build/
        !build/keep
        dir/**/
        nested/
        !nested/ok.txt
        []]br
        [!]]nb
        [a-]dash
        esc\*star
        unterminated[ab
        *.[ch]
        v?
        ü.txt
        ???.u8
        [[:punct:]]p
        [[:space:]]s
        [[:cntrl:]]c
        [[:xdigit:]][[:xdigit:]].hex
        [[:bogus:]]x
        [a-c-e]r
        [\]]esc
        *\/slashy
        /r/*/x
        r2/*
        #notcomment
         lead
        """##

    static let subPatterns = """
        !*.tmp
        /local
        deep/
        *.c
        !foo1.c
        mid2/**/end
        !*.hidden
        """

    static let allPatterns = """
        **
        !**/
        !*.*
        """

    static let innerPatterns = """
        *
        !*/
        !*.keep
        !/local2
        """

    static let files: [String] = [
        "#hash", "!bang", "a.tmp", "keep.tmp", "sub/x.tmp", "sub/keep.tmp", "logs/l.txt", "sub/logs/l.txt",
        "f/logs", "anchored", "sub/anchored", "doc/a.txt", "doc/sub/a.txt", "sub/doc/a.txt", "x/deep/z.txt",
        "deep/z.txt", "a/b", "a/x/b", "a/x/y/b", "a/xb", "trail/t", "trail/u/v", "foo1.k", "fooa.k", "bar1.k",
        "barx.k", "baza.k", "bazd.k", "Xy.up", "xy.up", "1a", "1A", "11", "q1.q", "q.q", "qé.q", "sp ace ",
        "sp ace", "trailing", "\\back", "m/mid/f", "mid/f", "abc", "abd/e", "x/abc/d", "x/abz", "lvl",
        "p/q/lvl/r", "build/o", "build/keep", "dir/d1/f", "dir/f", "nested/ok.txt", "nested/other", "]br",
        "xbr", "nb", "]nb", "xnb", "sl/slashy", "slashy", "adash", "-dash", "bdash", "esc*star", "escxstar", "unterminated[ab", "m.c", "m.h",
        "m.d", "v1", "v", "vé", "ü.txt", "é.u8", "abc.u8", "ab.u8", "!p", "ap", " s", "\ts", "xs",
        "\u{7F}c", "\u{01}c", "ac", "aF.hex", "g0.hex", "[[:bogus:]]x", "ar", "cr", "-r", "er", "dr",
        "]esc", "\\esc", "r/a/x", "r/a/b/x", "r/x", "r2/f", "r2/d/f", "z.zip", "noext", "sub/local",
        "sub/s/local", "sub/deep/f", "sub/x/deep/f", "sub/foo1.c", "sub/foo2.c", "sub/mid2/end",
        "sub/mid2/a/b/end", "sub/q.hidden", "sub/inner/local", "sub/inner/local2", "sub/inner/f.keep",
        "sub/inner/f.other", "sub/inner/d/f.keep", "sub/inner/d/g", "#notcomment", " lead", "lead",
        "all/x", "all/y.z", "all/d/e", "all/d/f.g", "weird/new\nline", "weird/tab\there", "weird/quote\"d", "Zed/zed", "zed/Zed",
    ]

    /// Every file and every directory above one, each once.
    static var allPaths: [(path: String, isDirectory: Bool)] {
        var seen = Set<String>()
        var result: [(String, Bool)] = []
        for file in files + ["sub/.gitignore", "sub/inner/.gitignore", "all/.gitignore"] {
            var parts = file.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let name = parts.removeLast()
            var prefix = ""
            for part in parts {
                prefix = prefix.isEmpty ? part : prefix + "/" + part
                if seen.insert(prefix).inserted { result.append((prefix, true)) }
            }
            let full = prefix.isEmpty ? name : prefix + "/" + name
            if seen.insert(full).inserted { result.append((full, false)) }
        }
        return result
    }

    struct GitAnswer: Equatable, CustomStringConvertible {
        var source: String
        var line: String
        var pattern: String
        var description: String { "\(source):\(line):\(pattern)" }
    }

    /// Runs `git check-ignore -v -n -z --no-index --stdin` over `paths` in `directory`.
    static func gitCheckIgnore(_ paths: [String], in directory: String) throws -> [String: GitAnswer] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-c", "core.excludesFile=", "check-ignore", "-v", "-n", "-z", "--no-index", "--stdin"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = [
            "HOME": directory, "XDG_CONFIG_HOME": directory, "GIT_CONFIG_NOSYSTEM": "1", "PATH": "/usr/bin:/bin",
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var payload = Data()
        for path in paths {
            payload.append(contentsOf: Array(path.utf8))
            payload.append(0)
        }
        // Write on another thread so a full output pipe cannot dead-lock the test.
        let bytes = payload
        let writer = input.fileHandleForWriting
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            writer.write(bytes)
            try? writer.close()
            done.signal()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        let fields = data.split(separator: 0, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        var answers: [String: GitAnswer] = [:]
        var index = 0
        while index + 3 < fields.count {
            answers[fields[index + 3]] = GitAnswer(
                source: fields[index], line: fields[index + 1], pattern: fields[index + 2])
            index += 4
        }
        return answers
    }

    static func runGit(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ["HOME": directory, "GIT_CONFIG_NOSYSTEM": "1", "PATH": "/usr/bin:/bin"]
        try process.run()
        process.waitUntilExit()
    }

    static var matcher: IgnoreMatcher {
        IgnoreMatcher(files: [
            IgnoreFile(path: ".gitignore", contents: rootPatterns + "\n"),
            IgnoreFile(path: "sub/.gitignore", contents: subPatterns),
            IgnoreFile(path: "sub/inner/.gitignore", contents: innerPatterns + "\n"),
            IgnoreFile(path: "all/.gitignore", contents: allPatterns),
        ])
    }

    static func answer(_ match: IgnoreMatch?) -> GitAnswer {
        guard let match else { return GitAnswer(source: "", line: "", pattern: "") }
        return GitAnswer(source: match.source, line: match.line.map(String.init) ?? "", pattern: match.pattern)
    }

    @Test func explainAgreesWithGitCheckIgnore() throws {
        let temp = try TemporaryDirectory()
        try Self.runGit(["init", "-q"], in: temp.path)
        try temp.write(".gitignore", Self.rootPatterns + "\n")
        try temp.write("sub/.gitignore", Self.subPatterns)
        try temp.write("sub/inner/.gitignore", Self.innerPatterns + "\n")
        try temp.write("all/.gitignore", Self.allPatterns)
        for file in Self.files { try temp.write(file, "") }
        let paths = Self.allPaths
        let git = try Self.gitCheckIgnore(paths.map(\.path), in: temp.path)
        #expect(git.count == paths.count)
        let matcher = Self.matcher
        var disagreements: [String] = []
        for (path, isDirectory) in paths {
            let expected = git[path] ?? GitAnswer(source: "?", line: "?", pattern: "?")
            let actual = Self.answer(matcher.explain(path, isDirectory: isDirectory))
            if expected != actual {
                disagreements.append("\(path.debugDescription) dir=\(isDirectory): git \(expected), cairn \(actual)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
        // The tree must exercise both outcomes and negations.
        #expect(git.values.contains { $0.pattern.hasPrefix("!") })
        #expect(git.values.contains { $0.source.isEmpty })
        #expect(git.values.contains { $0.source == "sub/inner/.gitignore" })
        let decidingPatterns = Set(git.values.map(\.pattern))
        for pattern in ["foo[0-9].k", "bar[!0-9].k", "baz[^a-c].k", "[!]]nb", "*\\/slashy", "x/ab**"] {
            #expect(decidingPatterns.contains(pattern), "\(pattern) decides nothing")
        }
    }

    /// A walker that checks each entry once with per-directory rules reaches the same verdicts.
    @Test func walkRulesAgreeWithWholePathQueries() throws {
        let matcher = Self.matcher
        let paths = Self.allPaths
        var children: [String: [(String, Bool)]] = [:]
        for (path, isDirectory) in paths {
            children[RepoPath.parent(path), default: []].append((RepoPath.name(path), isDirectory))
        }
        var walkVerdict: [String: Bool] = [:]
        func walk(_ rules: DirectoryIgnoreRules, parentIgnored: Bool) {
            for (name, isDirectory) in children[rules.directory] ?? [] {
                let path = rules.directory.isEmpty ? name : rules.directory + "/" + name
                let ignored = parentIgnored || rules.isIgnored(name: name, isDirectory: isDirectory)
                walkVerdict[path] = ignored
                if !parentIgnored {
                    #expect(
                        rules.explain(name: name, isDirectory: isDirectory)
                            == matcher.explain(path, isDirectory: isDirectory), "\(path)")
                    #expect(
                        matcher.isIgnored(name: name, inDirectory: rules.directory, isDirectory: isDirectory)
                            == rules.isIgnored(name: name, isDirectory: isDirectory), "\(path)")
                }
                if isDirectory {
                    let file = matcher.files.first { $0.baseDirectory == path }
                    walk(rules.child(name, ignoreFile: file), parentIgnored: ignored)
                }
            }
        }
        let rootOnly = IgnoreMatcher(files: matcher.files.filter { $0.baseDirectory.isEmpty })
        walk(rootOnly.rules(forDirectory: ""), parentIgnored: false)
        var disagreements: [String] = []
        for (path, isDirectory) in paths where walkVerdict[path] != matcher.isIgnored(path, isDirectory: isDirectory) {
            disagreements.append(path)
        }
        #expect(walkVerdict.count == paths.count)
        #expect(disagreements.isEmpty, "\(disagreements)")
    }
}
