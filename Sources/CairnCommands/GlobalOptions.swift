import ArgumentParser

/// Options every cairn command takes, as DVC's: `-q`, `-v`, `--cd DIR`, `--wait-for-lock`.
struct GlobalOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Be quiet.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Be verbose.")
    var verbose = false

    @Option(name: .customLong("cd"), help: ArgumentHelp("Change to directory before executing.", valueName: "path"))
    var directory: String?

    @Flag(name: .customLong("wait-for-lock"), help: "Wait for the lock if it is already held by another process, instead of failing immediately.")
    var waitForLock = false

    mutating func validate() throws {
        if quiet && verbose { throw ValidationError("-q and -v cannot be used together") }
    }

    /// Applies `-q`/`-v` to the console.
    func apply() {
        Console.quiet = quiet
        Console.verbose = verbose
    }

    /// DVC accepts `-q`, `-v`, `--cd DIR` and `--wait-for-lock` before the command name too
    /// (`cairn --cd repo status`); ArgumentParser wants them on the subcommand, so move them to the end.
    static func hoistingLeadingGlobals(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if ["-q", "--quiet", "-v", "--verbose", "--wait-for-lock"].contains(argument) {
                leading.append(argument)
                index += 1
            } else if argument == "--cd", index + 1 < arguments.count {
                leading.append(contentsOf: [argument, arguments[index + 1]])
                index += 2
            } else if argument.hasPrefix("--cd=") {
                leading.append(argument)
                index += 1
            } else {
                break
            }
        }
        if leading.isEmpty || index == arguments.count { return arguments }
        var rest = Array(arguments[index...])
        // Options must stay before a `--` separator.
        if let separator = rest.firstIndex(of: "--") {
            rest.insert(contentsOf: leading, at: separator)
        } else {
            rest.append(contentsOf: leading)
        }
        return rest
    }
}
