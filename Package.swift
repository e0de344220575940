// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "cairn",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "cairn", targets: ["cairn"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // libgit2 from Debian's libgit2-dev; only CairnGit imports it.
        .systemLibrary(
            name: "CGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        // Pure logic: models, DVC codecs, ignore rules, manifests. No file descriptors, processes, git or network.
        .target(
            name: "CairnCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The only importer of CGit2.
        .target(name: "CairnGit", dependencies: ["CGit2"]),
        // File system effects: walking, hashing, state cache, object cache, links, repo lock.
        .target(
            name: "CairnStorage",
            dependencies: [
                "CairnCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // cairn's HTTP client (libcurl's easy interface), dlopen'ed on first S3 use: linking libcurl would cost every
        // cairn start its dependency tree (~5 ms).
        .target(name: "CCurlShim"),
        // Remotes: the RemoteStore protocol, the local-directory store and the S3 store (SigV4 over HTTP).
        .target(
            name: "CairnRemote",
            dependencies: [
                "CairnCore",
                "CairnStorage",
                "CCurlShim",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Use cases (add, status, checkout, commit, gc, push, …) over the modules below.
        .target(name: "CairnEngine", dependencies: ["CairnCore", "CairnStorage", "CairnGit", "CairnRemote"]),
        // ArgumentParser tree and rendering: the only module that prints.
        .target(
            name: "CairnCommands",
            dependencies: [
                "CairnEngine",
                "CairnCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "cairn", dependencies: ["CairnCommands"]),
        // Regenerates Sources/CairnEngine/Generated/EmbeddedFiles.swift from templates/ and hooks/.
        .executableTarget(name: "embed-files", path: "Sources/EmbedFiles"),

        .target(
            name: "CairnTestSupport",
            dependencies: ["CairnCore", "CairnStorage", "CairnGit", "CairnRemote"],
            path: "Tests/CairnTestSupport"
        ),
        .testTarget(name: "CairnCoreTests", dependencies: ["CairnCore", "CairnTestSupport"]),
        .testTarget(name: "CairnStorageTests", dependencies: ["CairnStorage", "CairnTestSupport"]),
        .testTarget(name: "CairnGitTests", dependencies: ["CairnGit", "CairnTestSupport"]),
        .testTarget(name: "CairnRemoteTests", dependencies: ["CairnRemote", "CairnTestSupport"]),
        .testTarget(name: "CairnEngineTests", dependencies: ["CairnEngine", "CairnTestSupport"]),
        .testTarget(name: "CairnEndToEndTests", dependencies: ["CairnTestSupport"]),
        .testTarget(name: "CairnInteropTests", dependencies: ["CairnTestSupport"]),
    ]
)
