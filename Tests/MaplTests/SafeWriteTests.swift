// The one file writer and the checked standard output: what happens to links, modes,
// read-only files, FIFOs and devices (made here, in a scratch folder: never the real
// /dev), planted temporary names, and a full or closed standard output.

import Foundation
import Testing
@testable import Mapl

@Suite("safe file writing")
struct SafeWriteTests {
    private func contents(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    private func mode(_ url: URL) -> mode_t {
        var status = stat()
        return stat(url.path, &status) == 0 ? status.st_mode : 0
    }

    /// The folder holds exactly these names (no temporary file left behind).
    private func expectOnly(_ names: Set<String>, in folder: URL) throws {
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)) == names)
    }

    @Test func aRegularFileIsReplacedKeepingItsMode() throws {
        let folder = try scratchFolder("write")
        let file = folder.appendingPathComponent("plan.mapl")
        try "old".write(to: file, atomically: false, encoding: .utf8)
        chmod(file.path, 0o600)
        try AtomicFile.write("new", to: file.path)
        #expect(try contents(file) == "new")
        #expect(mode(file) & 0o7777 == 0o600)
        try expectOnly(["plan.mapl"], in: folder)
    }

    @Test func aSymlinkIsFollowedAndKept() throws {
        let folder = try scratchFolder("write")
        let target = folder.appendingPathComponent("real.mapl"), link = folder.appendingPathComponent("link.mapl")
        try "old".write(to: target, atomically: false, encoding: .utf8)
        chmod(target.path, 0o640)
        #expect(symlink("real.mapl", link.path) == 0)
        try AtomicFile.write("new", to: link.path)
        var status = stat()
        #expect(lstat(link.path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK, "the link stays a link")
        #expect(try contents(target) == "new")
        #expect(mode(target) & 0o7777 == 0o640)
        try expectOnly(["real.mapl", "link.mapl"], in: folder)
    }

    @Test func aSymlinkLoopIsReported() throws {
        let folder = try scratchFolder("write")
        let a = folder.appendingPathComponent("a"), b = folder.appendingPathComponent("b")
        #expect(symlink(b.path, a.path) == 0 && symlink(a.path, b.path) == 0)
        #expect(throws: FileWriteError.self) { try AtomicFile.write("x", to: a.path) }
    }

    @Test func aReadOnlyFileIsRefusedAndLeftAlone() throws {
        let folder = try scratchFolder("write")
        let file = folder.appendingPathComponent("ro.mapl")
        try "old".write(to: file, atomically: false, encoding: .utf8)
        chmod(file.path, 0o444)
        let error = #expect(throws: FileWriteError.self) { try AtomicFile.write("new", to: file.path) }
        #expect(error?.reason == "it is read-only")
        #expect(try contents(file) == "old")
        try expectOnly(["ro.mapl"], in: folder)
    }

    @Test func aFIFOIsWrittenThroughNotReplaced() throws {
        let folder = try scratchFolder("write")
        let fifo = folder.appendingPathComponent("pipe")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let received = ReceivedText()
        let thread = Thread {
            let data = FileHandle(forReadingAtPath: fifo.path)?.readDataToEndOfFile() ?? Data()
            received.text = String(decoding: data, as: UTF8.self)
            received.done.signal()
        }
        thread.start()
        try AtomicFile.write("through the pipe", to: fifo.path)
        #expect(received.done.wait(timeout: .now() + 10) == .success)
        #expect(received.text == "through the pipe")
        #expect(mode(fifo) & S_IFMT == S_IFIFO, "still a FIFO")
    }

    @Test func aDeviceIsWrittenThroughNotReplaced() throws {
        let folder = try scratchFolder("write")
        let device = folder.appendingPathComponent("null")
        // The null device (major 1, minor 3), made in the scratch folder.
        try #require(mknod(device.path, S_IFCHR | 0o666, (1 << 8) | 3) == 0, "making a device node needs root")
        try AtomicFile.write("discarded", to: device.path)
        #expect(mode(device) & S_IFMT == S_IFCHR, "still a device")
        try expectOnly(["null"], in: folder)
    }

    @Test func aPlantedTemporaryLinkIsNeverFollowed() throws {
        let folder = try scratchFolder("write")
        let victim = folder.appendingPathComponent("victim"), file = folder.appendingPathComponent("plan.mapl")
        try "precious".write(to: victim, atomically: false, encoding: .utf8)
        try "old".write(to: file, atomically: false, encoding: .utf8)
        for attempt in 0..<3 {
            #expect(symlink(victim.path, folder.appendingPathComponent(".plan.mapl.\(getpid()).\(attempt).tmp").path) == 0)
        }
        try AtomicFile.write("new", to: file.path)
        #expect(try contents(victim) == "precious")
        #expect(try contents(file) == "new")
    }

    @Test func aDirectoryOrAMissingFolderIsRefused() throws {
        let folder = try scratchFolder("write")
        let directoryError = #expect(throws: FileWriteError.self) { try AtomicFile.write("x", to: folder.path) }
        #expect(directoryError?.reason == "it is a directory")
        let missing = folder.appendingPathComponent("no/such/folder/plan.mapl")
        let missingError = #expect(throws: FileWriteError.self) { try AtomicFile.write("x", to: missing.path) }
        #expect(missingError?.reason == "its folder does not exist")
    }

    /// A full disk or a closed standard output is an error and exit 74, for every
    /// command that prints, never a silent success.
    @Test(arguments: [
        "run Tests/golden/units/money_arithmetic.mapl", "export --format json examples/globex/plan.mapl",
        "fmt --stdout examples/demo.mapl", "diff examples/globex/plan.mapl examples/globex/plan.mapl", "",
    ])
    func aFullStandardOutputExits74(_ command: String) throws {
        for redirect in ["> /dev/full", ">&-"] {
            // (An empty command is a scripted REPL session.)
            let shell = try MaplProcess.runShell(command.isEmpty ? "echo 'print(1)' | \"$MAPL\" \(redirect)" : "\"$MAPL\" \(command) \(redirect)")
            #expect(shell.status == 74, "\(command) \(redirect): \(shell.stderr)")
            #expect(shell.stderr.contains("mapl: cannot write to standard output: "), "\(shell.stderr)")
        }
    }
}

/// Text handed from the FIFO's reading thread.
private final class ReceivedText: @unchecked Sendable {
    var text = ""
    let done = DispatchSemaphore(value: 0)
}
