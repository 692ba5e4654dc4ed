// Every file mapl writes (saved sessions, exports, imported plans, formatted files)
// goes through here, so a failed or interrupted write never leaves half a file, and a
// path that is not a plain file is never replaced by one.

import Foundation

/// Why a file could not be written.
public struct FileWriteError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "cannot write '\(path)': \(reason)" }
}

/// Writes files safely:
/// - a regular file is replaced atomically: the text goes to a new file beside it,
///   created exclusively and without following links, given the old file's mode and
///   owner, then renamed over it; on any failure the old file is left as it was and
///   the new one removed. Where the file system allows (Linux `O_TMPFILE`), the new file
///   has no name until it is complete, so a process killed mid-write leaves nothing;
/// - a symbolic link is followed: its target is replaced, the link stays;
/// - a device, a FIFO or a socket (`/dev/null`, a named pipe) is written through, as
///   a shell's `>` does, never replaced; `/dev/stdout`, `/dev/stderr` and `/dev/fd/N`
///   write to the open stream itself;
/// - a read-only file and a directory are refused.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws(FileWriteError) {
        try write(Array(text.utf8), to: path)
    }

    public static func write(_ data: Data, to path: String) throws(FileWriteError) {
        try write([UInt8](data), to: path)
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(FileWriteError) {
        func fail(_ reason: String) -> FileWriteError { FileWriteError(path: path, reason: reason) }
        if let descriptor = openStream(path) {
            if let problem = StreamWriter.writeAll(descriptor, bytes) { throw fail(reason(problem)) }
            return
        }
        let target = try resolveLinks(path)
        var status = stat()
        let exists = stat(target, &status) == 0
        if !exists && errno != ENOENT { throw fail(reason(errno)) }
        if exists {
            switch status.st_mode & S_IFMT {
            case S_IFREG:
                if status.st_mode & 0o222 == 0 { throw fail("it is read-only") }
            case S_IFDIR:
                throw fail("it is a directory")
            default:
                try writeThrough(bytes, to: target, fail)
                return
            }
        }
        try replace(target, with: bytes, mode: exists ? status.st_mode & 0o7777 : nil,
                    owner: exists ? (status.st_uid, status.st_gid) : nil, fail)
    }

    /// The descriptor a path names directly: /dev/stdout, /dev/stderr, /dev/fd/N,
    /// /proc/self/fd/N (writing to the stream keeps its position and mode).
    private static func openStream(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": StreamWriter.standardOutput.flush(); return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                guard let number = Int32(path.dropFirst(prefix.count)), fcntl(number, F_GETFD) != -1 else { return nil }
                if number == STDOUT_FILENO { StreamWriter.standardOutput.flush() }
                return number
            }
            return nil
        }
    }

    /// The path a chain of symbolic links ends at (which need not exist yet).
    private static func resolveLinks(_ path: String) throws(FileWriteError) -> String {
        var current = path
        for _ in 0..<40 {
            var status = stat()
            guard lstat(current, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length > 0 else { throw FileWriteError(path: path, reason: reason(errno)) }
            let link = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let folder = PathNames.directory(of: current)
            current = link.hasPrefix("/") || folder.isEmpty ? link : folder + "/" + link
        }
        throw FileWriteError(path: path, reason: "too many levels of symbolic links")
    }

    private static func writeThrough(_ bytes: [UInt8], to target: String, _ fail: (String) -> FileWriteError) throws(FileWriteError) {
        let descriptor = open(target, O_WRONLY | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else { throw fail(reason(errno)) }
        let problem = StreamWriter.writeAll(descriptor, bytes)
        let closed = close(descriptor) == 0 ? nil : errno
        if let failure = problem ?? closed { throw fail(reason(failure)) }
    }

    /// Writes a new file beside `target` and renames it over `target`.
    private static func replace(_ target: String, with bytes: [UInt8], mode: mode_t?, owner: (uid_t, gid_t)?,
                                _ fail: (String) -> FileWriteError) throws(FileWriteError) {
        let directory = PathNames.directory(of: target)
        let folder = directory.isEmpty ? "." : directory
        let base = folder + "/." + PathNames.lastComponent(of: target)
        // Without a name while it is written, where the file system can; else a name
        // that cannot already exist (nor be a planted link: O_EXCL refuses one).
        var named: String?
        var descriptor = unnamedFile(in: folder)
        if descriptor < 0 {
            for attempt in 0..<100 {
                let candidate = base + ".\(getpid()).\(attempt).tmp"
                descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                if descriptor >= 0 { named = candidate; break }
                if errno != EEXIST { break }
            }
        }
        guard descriptor >= 0 else { throw fail(reason(errno)) }
        func abandon(_ problem: Int32) -> FileWriteError {
            close(descriptor)
            if let named { unlink(named) }
            return fail(reason(problem))
        }
        if let problem = StreamWriter.writeAll(descriptor, bytes) { throw abandon(problem) }
        // The old file's mode and owner; a new file's mode as the umask allows.
        let wanted = mode ?? (0o666 & ~currentUmask())
        if fchmod(descriptor, wanted) != 0 { throw abandon(errno) }
        if let (uid, gid) = owner { _ = fchown(descriptor, uid, gid) }
        if named == nil {
            for attempt in 0..<100 where named == nil {
                let candidate = base + ".\(getpid()).\(attempt).tmp"
                if linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, candidate, AT_SYMLINK_FOLLOW) == 0 { named = candidate }
                else if errno != EEXIST { throw abandon(errno) }
            }
            guard named != nil else { throw abandon(EEXIST) }
        }
        if close(descriptor) != 0 {
            let problem = errno
            if let named { unlink(named) }
            throw fail(reason(problem))
        }
        guard let named, rename(named, target) == 0 else {
            let problem = errno
            if let named { unlink(named) }
            throw fail(reason(problem))
        }
    }

    /// A new file without a name in `folder`, or -1 where that is not possible.
    private static func unnamedFile(in folder: String) -> Int32 {
        #if os(Linux)
        // O_TMPFILE is __O_TMPFILE | O_DIRECTORY; Swift does not import the macro.
        // (__O_TMPFILE is 0o20000000 on every architecture Swift runs on.)
        return open(folder, 0o20000000 | O_DIRECTORY | O_WRONLY | O_CLOEXEC, 0o600)
        #else
        return -1
        #endif
    }

    private static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }

    private static func reason(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: return "permission denied"
        case ENOSPC: return "no space left on the device"
        case ENOENT: return "its folder does not exist"
        case ELOOP: return "too many levels of symbolic links"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
