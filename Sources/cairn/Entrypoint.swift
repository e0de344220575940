import CairnCommands

/// The `cairn` executable: everything lives in CairnCommands and the libraries below it.
@main
enum Entrypoint {
    static func main() {
        CairnMain.run()
    }
}
