import Testing
@testable import CairnCore

struct PipelineFileErrorTests {
    static let params = "f: 0.5\nlst: [1, 2]\nd: {a: 1}\n"

    static func error(_ text: String, path: String = "dvc.yaml",
                      files: [String: String] = ["params.yaml": params, "other.yaml": "f: 9\n"]) -> FormatError? {
        do {
            _ = try PipelineFile.parse(text, path: path, sources: MemorySources(files: files))
            return nil
        } catch {
            return error
        }
    }

    // Messages as DVC 3.67.1 words them (plus our line:column).
    @Test(arguments: [
        ("stages:\n  a:\n    cmd: echo ${nope.x}\n", "failed to parse 'stages.a.cmd' in 'dvc.yaml': Could not find 'nope.x'", 3),
        ("stages:\n  a:\n    cmd: echo ${lst}\n", "failed to parse 'stages.a.cmd' in 'dvc.yaml': Cannot interpolate data of type 'list'", 3),
        ("stages:\n  a:\n    cmd: echo\n    outs:\n      - ${d}\n", "failed to parse 'stages.a.outs' in 'dvc.yaml': Cannot interpolate data of type 'dict'", 5),
        ("vars:\n  - other.yaml\nstages:\n  a:\n    cmd: echo ${f}\n", "failed to parse 'vars' in 'dvc.yaml': cannot redefine 'f' from 'other.yaml' as it already exists in 'params.yaml'", 2),
        ("stages:\n  a:\n    vars:\n      - f: 3\n    cmd: echo ${f}\n", "failed to parse stage 'a' in 'dvc.yaml': cannot redefine 'f' from 'a.vars[0]' as it already exists in 'params.yaml'", 4),
        ("stages:\n  a:\n    foreach: ${f}\n    do:\n      cmd: echo\n", "failed to resolve 'stages.a.foreach' in 'dvc.yaml': expected list/dictionary, got float", 3),
        ("stages:\n  a:\n    cmd: echo\n    foo: 1\n", "extra keys not allowed, in stages -> a -> foo", 4),
        ("vars:\n  - missing.yaml\nstages:\n  a:\n    cmd: echo\n", "failed to parse 'vars' in 'dvc.yaml': 'missing.yaml' does not exist", 2),
        ("stages:\n  a:\n    deps: [x]\n", "required key not provided, in stages -> a -> cmd", 3),
        ("stages:\n  a:\n    cmd: x\n    frozen: yes\n", "expected bool, in stages -> a -> frozen", 4),
        ("stages:\n  a:\n    cmd: x\n    outs:\n    - o:\n        cache: false\n        bogus: 1\n", "extra keys not allowed, in stages -> a -> outs -> 0 -> o -> bogus", 7),
        ("stages:\n  a:\n    foreach: [1]\n", "required key not provided, in stages -> a -> do", 3),
        ("vars:\n  - ${f}.yaml\nstages: {}\n", "failed to parse 'vars' in 'dvc.yaml': interpolating is not allowed", 2),
        ("stages:\n  a:\n    cmd: x\nartifacts:\n  m:\n    type: model\n", "required key not provided, in artifacts -> m -> path", 6),
        ("bogus: 1\n", "extra keys not allowed, in bogus", 1),
    ])
    func reportsLikeDVC(text: String, message: String, line: Int) throws {
        let error = try #require(Self.error(text))
        #expect(error.message == message)
        #expect(error.line == line)
        #expect(error.path == "dvc.yaml")
    }

    @Test(arguments: [
        "stages:\n  a/b:\n    cmd: x\n",
        "stages:\n  a@b:\n    cmd: x\n",
        "stages:\n  a:\n    cmd: x\n    wdir: ..\n",
        "stages:\n  a:\n    cmd: x\n    deps: [../x]\n",
        "stages:\n  a:\n    cmd: x\n    wdir: w\n    outs: [../../x]\n",
        "stages:\n  a:\n    cmd: x\n    outs: [/abs]\n",
        "stages:\n  a:\n    cmd: x\n    params: [{../p.yaml: [k]}]\n",
        "stages:\n  a:\n    cmd: x\n    params: [{p.py: [k]}]\n",
        "params: [p.py]\n",
        "stages:\n  a:\n    foreach: [1, '1']\n    do:\n      cmd: x\n",
        "stages:\n  a:\n    cmd: [x, [y]]\n",
    ])
    func refuses(text: String) {
        #expect(Self.error(text) != nil)
    }

    @Test func pathsInsideASubdirectoryMayClimbToItsParent() throws {
        let file = try PipelineFile.parse("stages:\n  a:\n    cmd: x\n    wdir: ..\n    deps: [sub/in]\n",
                                          path: "sub/dvc.yaml", sources: MemorySources(files: [:]))
        #expect(file.stages[0].wdir == "")
        #expect(file.stages[0].deps == ["sub/in"])
        #expect(Self.error("stages:\n  a:\n    cmd: x\n    deps: [../../x]\n", path: "sub/dvc.yaml") != nil)
    }

    @Test func pyParamsErrorIsClear() throws {
        let error = try #require(Self.error("stages:\n  a:\n    cmd: x\n    params: [{p.py: [k]}]\n"))
        #expect(error.message.contains("not supported"))
        #expect(error.line == 4)
    }
}

struct PipelineFileErrorExtraTests {
    @Test func duplicateMatrixKeysAndBadVarsFilesAreReported() throws {
        let matrix = PipelineFileErrorTests.error("stages:\n  m:\n    matrix:\n      a: [1, '1']\n    cmd: x\n")
        #expect(matrix?.line == 4)
        #expect(matrix?.message.contains("duplicate stage name 'm@1'") == true)
        let broken = PipelineFileErrorTests.error("vars: [v.yaml]\nstages: {}\n", files: ["v.yaml": "a: [\n"])
        #expect(broken?.message.hasPrefix("failed to parse 'vars' in 'dvc.yaml': v.yaml:") == true)
        let list = PipelineFileErrorTests.error("vars: [v.yaml]\nstages: {}\n", files: ["v.yaml": "- a\n"])
        #expect(list?.message == "failed to parse 'vars' in 'dvc.yaml': expected a dictionary, got 'list' in file 'v.yaml'")
        let py = PipelineFileErrorTests.error("vars: [v.py]\nstages: {}\n", files: ["v.py": "a = 1\n"])
        #expect(py?.message.contains("not supported") == true)
        let partial = PipelineFileErrorTests.error("vars: [v.yaml, 'v.yaml:a']\nstages: {}\n", files: ["v.yaml": "a: 1\n"])
        #expect(partial?.message == "failed to parse 'vars' in 'dvc.yaml': cannot partially load 'v.yaml:a' as it's already loaded.")
    }
}
