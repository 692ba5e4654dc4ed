// Source texts: line and column from the sampled line starts, large files mapped and
// their pages handed back, read errors, and a large plan checked end to end.

import Foundation
import Testing
@testable import Mapl

@Suite("source text")
struct SourceTextTests {
    /// Lines of random lengths: empty ones, CRLF ends, two- and three-byte characters.
    private static func randomText(seed: UInt64, lines: Int) -> String {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let pieces = ["a", "bc", "é", "日本", " ", "{", "x1"]
        var text = ""
        for _ in 0..<lines {
            for _ in 0..<next(6) { text += pieces[next(pieces.count)] }
            text += next(5) == 0 ? "\r\n" : "\n"
        }
        if next(2) == 0 { text += "last line without a break" }
        return text
    }

    /// Line and column counted the plain way: line breaks before the offset, scalars
    /// since the last one.
    private static func naiveLocation(_ bytes: [UInt8], _ offset: Int) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0
        for index in 0..<offset where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let scalars = bytes[lineStart..<offset].filter { $0 & 0xC0 != 0x80 }.count
        return (line, scalars + 1)
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func sampledLineStartsMatchACountFromTheStart(seed: UInt64) {
        let text = SourceTextTests.randomText(seed: seed, lines: 60 + Int(seed) * 7)
        let file = SourceFile(id: 0, name: "t", text: text)
        let bytes = Array(text.utf8)
        for offset in 0...bytes.count where offset == bytes.count || bytes[offset] & 0xC0 != 0x80 {
            let found = file.location(of: Int32(offset))
            let expected = SourceTextTests.naiveLocation(bytes, offset)
            #expect(found == expected, "offset \(offset)")
        }
        // (Split as bytes: to a String, "\r\n" is one character, not a "\n".)
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        #expect(file.lineCount == lines.count)
        for (index, line) in lines.enumerated() {
            let shown = String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
            #expect(file.lineText(index + 1) == shown, "line \(index + 1)")
        }
        #expect(file.lineText(lines.count + 1) == "")
        #expect(file.lineText(0) == "")
    }

    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-source-\(UUID().uuidString).mapl").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func illFormedUTF8InALargeFileIsRepairedInACopy() throws {
        var bytes = Array(String(repeating: "influence a -> b\n", count: 70_000).utf8)
        bytes[bytes.count - 3] = 0xFF
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard case .success(let mapped) = SourceBytes.contents(ofFile: path) else {
            Issue.record("cannot read \(path)")
            return
        }
        let file = SourceFile(id: 0, name: path, bytes: mapped)
        #expect(file.bytes.count == bytes.count + 2)
        #expect(file.lineText(file.lineCount - 1) == "influence a ->\u{FFFD}b")
    }

    @Test func smallFilesAreReadAndErrorsSayWhy() throws {
        let path = try temporaryFile(Array("let a = 1\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard case .success(let small) = SourceBytes.contents(ofFile: path) else {
            Issue.record("cannot read \(path)")
            return
        }
        #expect(Array(small) == Array("let a = 1\n".utf8))
        guard case .failure(let missing) = SourceBytes.contents(ofFile: path + ".missing"),
              case .failure(let directory) = SourceBytes.contents(ofFile: FileManager.default.temporaryDirectory.path) else {
            Issue.record("a missing file and a directory were read")
            return
        }
        #expect(missing.code == ENOENT)
        #expect(directory.code == EISDIR)
        #expect(directory.reason == "it is a directory")
    }

    /// Only regular files are sources: a FIFO (which would block), a device (endless
    /// /dev/zero) and a link loop are refused at once, each with its own reason; a file
    /// past the size limit is refused before it is read.
    @Test func onlyRegularFilesAreReadWithTheRealReason() throws {
        let folder = try scratchFolder("read")
        defer { try? FileManager.default.removeItem(at: folder) }
        func reason(_ name: String) -> String? {
            guard case .failure(let error) = SourceBytes.contents(ofFile: folder.appendingPathComponent(name).path) else { return nil }
            return error.reason
        }
        #expect(mkfifo(folder.appendingPathComponent("fifo").path, 0o600) == 0)
        try #require(mknod(folder.appendingPathComponent("zero").path, S_IFCHR | 0o666, (1 << 8) | 5) == 0, "making a device node needs root")
        #expect(symlink("loop_b", folder.appendingPathComponent("loop_a").path) == 0)
        #expect(symlink("loop_a", folder.appendingPathComponent("loop_b").path) == 0)
        let sparse = folder.appendingPathComponent("sparse.mapl").path
        let descriptor = open(sparse, O_CREAT | O_WRONLY, 0o600)
        #expect(ftruncate(descriptor, 3 << 30) == 0)
        close(descriptor)
        #expect(reason("fifo") == "it is a named pipe (FIFO), not a file")
        #expect(reason("zero") == "it is a device, not a file")
        #expect(reason("loop_a") == "too many levels of symbolic links")
        #expect(reason("sparse.mapl") == "larger than 2 GB")
    }

    /// A stream is cut off at the limit while it is read, not after (stdin may never end).
    @Test func aStreamStopsAtTheLimit() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        let writer = Thread {
            let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 65_536)
            // Far more than the limit; the writes fail once the reader closes its end.
            for _ in 0..<64 where chunk.withUnsafeBytes({ write(writeEnd, $0.baseAddress, $0.count) }) > 0 {}
            close(writeEnd)
        }
        signal(SIGPIPE, SIG_IGN)
        writer.start()
        let result = SourceBytes.contents(ofDescriptor: readEnd, limit: 200_000)
        close(readEnd)
        guard case .failure(let error) = result else {
            Issue.record("a stream past the limit was read whole")
            return
        }
        #expect(error.code == EFBIG)
    }

    /// A file that is not text is one error, however large: NUL bytes, or mostly bytes
    /// that are not UTF-8.
    @Test func aBinaryFileIsOneError() throws {
        var withNul = Array("let a = 1\n".utf8)
        withNul += [0, 1, 2] + Array(repeating: UInt8(ascii: "@"), count: 10_000)
        var notUTF8: [UInt8] = []
        for index in 0..<30_000 { notUTF8.append(UInt8(0x80 + index % 64)) }
        for (bytes, reason) in [(withNul, "it holds NUL bytes"), (notUTF8, "most of it is not UTF-8")] {
            let path = try temporaryFile(bytes)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let result = try MaplProcess.run(["check", path], stdin: "")
            #expect(result.status == 65)
            #expect(result.stderr.hasPrefix("\(path):1:1: error: this file is not text: \(reason)\n"), "\(result.stderr.prefix(300))")
            #expect(result.stderr.hasSuffix("\(path): 1 error\n"))
        }
    }

    /// A plan large enough to slide the parser's token window many times: the warning at
    /// the end still shows the right line and column.
    @Test func aLargePlanIsCheckedWithItsWarningsInPlace() throws {
        // (About the rule's warning: the built-in checks that would fire are switched off.)
        var plan = "plan { skip_checks: [self_influence, key_player_never_contacted] }\n"
        plan += "rule titled for s in stakeholders {\n  expect: s.title != nil\n  message: \"{s.name} has no title\"\n}\n"
        for index in 0..<30_000 {
            plan += "stakeholder s\(index) \"Person \(index)\" { title: \"Title\", influence: \(index % 11) }\n"
            plan += "influence s\(index) -> s\(index / 2) strong\n"
        }
        plan += "stakeholder last \"Last\" { influence: 3 }\n"
        let path = try temporaryFile(Array(plan.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(plan.utf8.count >= 1 << 20)
        let result = try MaplProcess.run(["check", path], stdin: "")
        #expect(result.status == 0)
        #expect(result.stderr == """
            \(path):60006:1: warning: Last has no title [titled]
             60006 | stakeholder last "Last" { influence: 3 }
                   | ^^^^^^^^^^^^^^^^^^^^^^^
            \(path): 1 warning

            """)
    }
}
