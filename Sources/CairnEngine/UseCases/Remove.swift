import CairnCore
import CairnStorage

extension Project {
    /// `cairn remove X.dvc [--outs]`: deletes the `.dvc` files and their `.gitignore` entries (a `.gitignore` left
    /// empty is deleted); with `removeOutputs` the data too. Every target is checked before anything is removed.
    public func remove(targets: [String], removeOutputs: Bool, relativeTo cwd: String) throws {
        var files: [TrackedFile] = []
        for target in targets {
            var path = try repoRelative(target, cwd: cwd)
            if !path.hasSuffix(".dvc") && FileSystem.exists(absolute(path + ".dvc")) { path += ".dvc" }
            guard path.hasSuffix(".dvc") else {
                throw EngineError("'\(target)' is not a .dvc file", hint: "Pass the .dvc file that tracks the data, e.g. data.dvc.")
            }
            guard FileSystem.exists(absolute(path)) else {
                throw EngineError("'\(target)' does not exist")
            }
            files.append(try TrackedFile.load(path, project: self))
        }
        let gitignore = GitignoreWriter(project: self)
        for file in files {
            for output in file.outputs {
                _ = try gitignore.unignore(output.path)
                if removeOutputs, try FileSystem.lstat(absolute(output.path)) != nil {
                    try FileSystem.removeTree(absolute(output.path))
                }
            }
            _ = try FileSystem.removeFile(absolute(file.path))
        }
    }
}
