#if canImport(Glibc)
    import Glibc
#endif

/// The only place that writes to the terminal: stdout for results, stderr for messages and errors.
enum Console {
    /// Set from `-q`: suppresses informational output (results that were asked for still print).
    nonisolated(unsafe) static var quiet = false
    /// Set from `-v`: enables debug lines on stderr.
    nonisolated(unsafe) static var verbose = false

    /// Writes a line (a newline is added) to stdout.
    static func standardOutput(_ text: String) {
        write(text + "\n", to: 1)
    }

    /// Writes text as it is (no newline added) to stdout.
    static func standardOutputRaw(_ text: String) {
        write(text, to: 1)
    }

    /// Writes a line to stderr.
    static func standardError(_ text: String) {
        write(text + "\n", to: 2)
    }

    /// Writes text as it is to stderr (progress lines redraw themselves with `\r`).
    static func standardErrorRaw(_ text: String) {
        write(text, to: 2)
    }

    /// Informational text on stdout, dropped with `-q`.
    static func info(_ text: String) {
        if !quiet { standardOutput(text) }
    }

    /// A warning on stderr, dropped with `-q`.
    static func warning(_ text: String) {
        if !quiet { standardError("WARNING: " + text) }
    }

    /// A debug line on stderr, only with `-v`.
    static func debug(_ text: String) {
        if verbose { standardError("DEBUG: " + text) }
    }

    /// Whether stdin is a terminal (confirmation prompts need one).
    static var standardInputIsTerminal: Bool { isatty(0) == 1 }

    /// Asks a yes/no question on stderr; EOF or anything but y/yes answers no.
    static func confirm(_ question: String) -> Bool {
        write(question + " [y/n]: ", to: 2)
        guard let answer = readLine() else {
            write("\n", to: 2)
            return false
        }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: " \t").lowercased())
    }

    private static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return  // a closed pipe: nothing sensible left to do with the output
            }
            bytes = bytes.dropFirst(written)
        }
    }
}

extension String {
    /// Drops leading and trailing characters from the set.
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice.removeFirst() }
        while let last = slice.last, characters.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
