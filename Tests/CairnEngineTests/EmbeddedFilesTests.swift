import CairnEngine
import CairnTestSupport
import Foundation
import Testing

/// The generated Sources/CairnEngine/Generated/EmbeddedFiles.swift must match templates/ and hooks/ (`make embed`).
@Suite struct EmbeddedFilesTests {
    @Test func embeddedFilesMatchTheFolders() throws {
        var onDisk: [String: (String, Bool)] = [:]
        for folder in ["templates", "hooks"] {
            let root = Fixtures.packageRoot.appendingPathComponent(folder).path
            let walker = try #require(FileManager.default.enumerator(atPath: root))
            while let relative = walker.nextObject() as? String {
                var isDirectory: ObjCBool = false
                let full = root + "/" + relative
                guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: full)), as: UTF8.self)
                onDisk["\(folder)/\(relative)"] = (text, FileManager.default.isExecutableFile(atPath: full))
            }
        }
        let embedded = Dictionary(uniqueKeysWithValues: EmbeddedFiles.all.map { ($0.path, ($0.contents, $0.isExecutable)) })
        #expect(Set(embedded.keys) == Set(onDisk.keys), "run `make embed` after changing templates/ or hooks/")
        for (path, file) in onDisk {
            #expect(embedded[path]?.0 == file.0, "\(path) differs from its embedded copy: run `make embed`")
            #expect(embedded[path]?.1 == file.1, "\(path)'s executable bit differs: run `make embed`")
        }
    }

    @Test func demoTemplateIsListed() {
        #expect(Templates.names.contains("demo"))
    }
}
