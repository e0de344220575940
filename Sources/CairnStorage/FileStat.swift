import Glibc

/// What a directory entry is.
public enum FileKind: Sendable, Hashable {
    /// A regular file.
    case file
    /// A directory.
    case directory
    /// A symbolic link (only from `lstat` or a directory listing).
    case symlink
    /// A device, socket, FIFO or anything else.
    case other
}

/// The metadata cairn uses from `stat(2)`: identity, size, modification time and permissions.
public struct FileStat: Sendable, Hashable {
    /// `st_dev`.
    public var device: UInt64
    /// `st_ino`.
    public var inode: UInt64
    /// Size in bytes.
    public var size: Int
    /// Modification time in nanoseconds since the epoch.
    public var mtimeNanoseconds: Int64
    /// Permission bits (`st_mode & 0o7777`), without the file type.
    public var mode: UInt32
    /// The entry's type.
    public var kind: FileKind
    /// Number of hard links.
    public var linkCount: Int

    /// Creates a value from its parts (mostly for tests).
    public init(device: UInt64, inode: UInt64, size: Int, mtimeNanoseconds: Int64, mode: UInt32,
                kind: FileKind, linkCount: Int) {
        self.device = device
        self.inode = inode
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.mode = mode
        self.kind = kind
        self.linkCount = linkCount
    }

    /// Converts the C structure.
    init(_ raw: stat) {
        device = UInt64(raw.st_dev)
        inode = UInt64(raw.st_ino)
        size = Int(raw.st_size)
        mtimeNanoseconds = Int64(raw.st_mtim.tv_sec) * 1_000_000_000 + Int64(raw.st_mtim.tv_nsec)
        mode = UInt32(raw.st_mode) & 0o7777
        kind = FileStat.kind(ofMode: UInt32(raw.st_mode))
        linkCount = Int(raw.st_nlink)
    }

    /// Whether any execute bit is set (DVC's `isexec`).
    public var isExecutable: Bool { mode & 0o111 != 0 }

    /// Whether this is a regular file.
    public var isFile: Bool { kind == .file }

    /// Whether this is a directory.
    public var isDirectory: Bool { kind == .directory }

    static func kind(ofMode mode: UInt32) -> FileKind {
        switch mode & UInt32(S_IFMT) {
        case UInt32(S_IFREG): return .file
        case UInt32(S_IFDIR): return .directory
        case UInt32(S_IFLNK): return .symlink
        default: return .other
        }
    }
}
