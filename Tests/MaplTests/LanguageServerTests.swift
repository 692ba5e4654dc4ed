// `mapl lsp` driven as an editor drives it: the real binary over pipes, with a plan
// split over two files; plus the framing and position conversions on their own.

import Foundation
import Testing
@testable import MaplLSP

/// A minimal LSP client: framed JSON over the server's stdin and stdout.
private final class Client: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe(), output = Pipe()
    private let lock = NSCondition()
    private var messages: [[String: Any]] = []
    private var nextID = 1

    init(in folder: URL) throws {
        process.executableURL = URL(fileURLWithPath: MaplProcess.binary)
        process.arguments = ["lsp"]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["MAPL_TODAY"] = "2026-11-22"
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        let handle = output.fileHandleForReading
        Thread { [weak self] in
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer += chunk
                while let message = Client.take(&buffer) { self?.received(message) }
            }
        }.start()
    }

    /// One framed message off the front of `buffer`, if it is all there.
    private static func take(_ buffer: inout Data) -> [String: Any]? {
        guard let end = buffer.range(of: Data("\r\n\r\n".utf8)) else { return nil }
        let header = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
        guard let length = header.split(separator: "\r\n").compactMap({ line -> Int? in
            let parts = line.split(separator: ":")
            return parts.count == 2 && parts[0].lowercased() == "content-length" ? Int(parts[1].trimmingCharacters(in: .whitespaces)) : nil
        }).first, buffer.count - (end.upperBound - buffer.startIndex) >= length else { return nil }
        let body = buffer[end.upperBound..<end.upperBound + length]
        buffer = Data(buffer[(end.upperBound + length)...])
        return (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }

    private func received(_ message: [String: Any]) {
        lock.lock()
        messages.append(message)
        lock.broadcast()
        lock.unlock()
    }

    func sendRaw(_ body: Data) {
        input.fileHandleForWriting.write(Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    }

    func notify(_ method: String, _ params: Any) {
        sendRaw((try? JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "method": method, "params": params])) ?? Data())
    }

    /// Sends a request and waits for its response.
    @discardableResult
    func request(_ method: String, _ params: Any) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        sendRaw(try JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "id": id, "method": method, "params": params]))
        return try wait { ($0["id"] as? Int) == id }
    }

    /// Waits for (and removes) the first message that matches.
    func wait(_ matches: ([String: Any]) -> Bool) throws -> [String: Any] {
        lock.lock()
        defer { lock.unlock() }
        let deadline = Date().addingTimeInterval(30)
        while true {
            if let index = messages.firstIndex(where: matches) { return messages.remove(at: index) }
            guard lock.wait(until: deadline) else { throw ClientTimeout() }
        }
    }

    /// The next diagnostics published for a file.
    func diagnostics(_ uri: String) throws -> [[String: Any]] {
        let message = try wait { ($0["method"] as? String) == "textDocument/publishDiagnostics" && (($0["params"] as? [String: Any])?["uri"] as? String) == uri }
        return ((message["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]]) ?? []
    }

    func finish() -> Int32 {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

private struct ClientTimeout: Error {}

private func position(_ line: Int, _ character: Int) -> [String: Any] { ["line": line, "character": character] }
private func at(_ uri: String, _ line: Int, _ character: Int) -> [String: Any] {
    ["textDocument": ["uri": uri], "position": position(line, character)]
}

@Suite("mapl lsp")
struct LanguageServerTests {
    private static let people = """
        stakeholder dana "Dana Wright" { title: "COO", support: champion, influence: high }
        stakeholder raj "Raj Patel" { title: "CIO", support: supprter, reports_to: dana }

        """
    private static let plan = """
        import "people.mapl"
        account acme "Acme" { revenue_goal: 2M }
        opportunity big "Big deal" { value: 500k, stage: proposal, close: 2026-12-20, involves: {dana: [economic_buyer]} }
        fn deal_count() => len(opportunities)
        print(dana.title)

        """

    private func setUp() throws -> (Client, URL, String, String) {
        let folder = try scratchFolder("lsp")
        try Self.people.write(to: folder.appendingPathComponent("people.mapl"), atomically: true, encoding: .utf8)
        try Self.plan.write(to: folder.appendingPathComponent("plan.mapl"), atomically: true, encoding: .utf8)
        let client = try Client(in: folder)
        let folderPath = folder.resolvingSymlinksInPath().path
        let initialized = try client.request("initialize", ["processId": NSNull(), "rootUri": "file://" + folderPath, "capabilities": [:]])
        #expect(((initialized["result"] as? [String: Any])?["capabilities"] as? [String: Any])?["hoverProvider"] as? Bool == true)
        client.notify("initialized", [:])
        return (client, folder, "file://" + folderPath + "/people.mapl", "file://" + folderPath + "/plan.mapl")
    }

    @Test func anEditorSession() throws {
        let (client, _, people, plan) = try setUp()
        client.notify("textDocument/didOpen", ["textDocument": ["uri": people, "languageId": "mapl", "version": 1, "text": Self.people]])
        // The misspelt support level, found through the file that imports people.mapl.
        let found = try client.diagnostics(people)
        #expect(found.count == 1)
        let problem = try #require(found.first)
        #expect((problem["message"] as? String)?.hasPrefix("'supprter' is not a support level") == true)
        #expect(problem["code"] as? String == "notOnScale")
        #expect(problem["range"] as? NSDictionary == ["start": position(1, 53), "end": position(1, 61)] as NSDictionary)
        // Its hint names the fix: a quick fix.
        let actions = try client.request("textDocument/codeAction", ["textDocument": ["uri": people], "range": problem["range"] ?? [:],
                                                                     "context": ["diagnostics": [problem]]])
        let action = try #require((actions["result"] as? [[String: Any]])?.first)
        #expect(action["title"] as? String == "Change to 'supporter'")

        // An incremental change fixes it: the error goes; the built-in checks now run on
        // the whole plan and warn (Dana was never contacted).
        client.notify("textDocument/didChange", ["textDocument": ["uri": people, "version": 2],
                                                 "contentChanges": [["range": ["start": position(1, 53), "end": position(1, 61)], "text": "supporter"]]])
        let after = try client.diagnostics(people)
        #expect(after.allSatisfy { $0["severity"] as? Int == 2 } && after.contains { $0["code"] as? String == "key_player_never_contacted" }, "\(after)")

        // Completion: fields after `dana.`, scale words in a declaration field.
        let fields = try client.request("textDocument/completion", at(plan, 4, 11))
        let fieldLabels = (((fields["result"] as? [String: Any])?["items"] as? [[String: Any]]) ?? []).compactMap { $0["label"] as? String }
        #expect(fieldLabels.contains("title") && fieldLabels.contains("support") && fieldLabels.contains("covered_by"), "\(fieldLabels)")
        let levels = try client.request("textDocument/completion", at(people, 0, 58))
        let levelLabels = (((levels["result"] as? [String: Any])?["items"] as? [[String: Any]]) ?? []).compactMap { $0["label"] as? String }
        #expect(levelLabels == ["champion"], "\(levelLabels)")

        // Hover: Dana's card; a built-in's signature.
        let card = try client.request("textDocument/hover", at(plan, 4, 7))
        let cardText = (((card["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String) ?? ""
        #expect(cardText.hasPrefix("**Dana Wright** — stakeholder `dana`"), "\(cardText)")
        #expect(cardText.contains("- title: COO") && cardText.contains("- support: champion"))
        let builtin = try client.request("textDocument/hover", at(plan, 3, 24))
        #expect(((((builtin["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String) ?? "").contains("len("))

        // Go to definition across files; references in both.
        let definition = try client.request("textDocument/definition", at(plan, 4, 7))
        let target = try #require(definition["result"] as? [String: Any])
        #expect(target["uri"] as? String == people)
        #expect((target["range"] as? NSDictionary) == ["start": position(0, 12), "end": position(0, 16)] as NSDictionary, "the id in its declaration")
        let references = try client.request("textDocument/references", ["textDocument": ["uri": people], "position": position(0, 13),
                                                                         "context": ["includeDeclaration": true]])
        #expect((references["result"] as? [[String: Any]])?.count == 4)

        // Rename an id across the plan's files.
        let renamed = try client.request("textDocument/rename", ["textDocument": ["uri": people], "position": position(0, 13), "newName": "dana_w"])
        let changes = try #require((renamed["result"] as? [String: Any])?["changes"] as? [String: [[String: Any]]])
        #expect(changes[people]?.count == 2 && changes[plan]?.count == 2)
        let refused = try client.request("textDocument/rename", ["textDocument": ["uri": people], "position": position(0, 13), "newName": "2x"])
        #expect((refused["error"] as? [String: Any])?["code"] as? Int == -32602)
        let notAName = try client.request("textDocument/prepareRename", at(people, 0, 3))
        #expect(notAName["error"] != nil, "the kind word is not renameable")

        // Outline, workspace symbols, semantic tokens.
        let outline = try client.request("textDocument/documentSymbol", ["textDocument": ["uri": people]])
        #expect((outline["result"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["dana — Dana Wright", "raj — Raj Patel"])
        let symbols = try client.request("workspace/symbol", ["query": "deal"])
        #expect(((symbols["result"] as? [[String: Any]]) ?? []).contains { $0["name"] as? String == "deal_count" })
        let tokens = try client.request("textDocument/semanticTokens/full", ["textDocument": ["uri": people]])
        let data = ((tokens["result"] as? [String: Any])?["data"] as? [Int]) ?? []
        #expect(data.count % 5 == 0 && Array(data.prefix(5)) == [0, 0, 11, 8, 0], "stakeholder is a type token")

        #expect(try client.request("shutdown", NSNull())["error"] == nil)
        client.notify("exit", NSNull())
        #expect(client.finish() == 0)
    }

    @Test func formattingAndUnsavedImports() throws {
        let (client, _, people, plan) = try setUp()
        // An unsaved edit of the imported file is used over the file on disk.
        let morePeople = Self.people.replacingOccurrences(of: "supprter", with: "supporter") + "stakeholder omar \"Omar\"\n"
        client.notify("textDocument/didOpen", ["textDocument": ["uri": people, "languageId": "mapl", "version": 1, "text": morePeople]])
        _ = try client.diagnostics(people)
        let usesOmar = Self.plan.replacingOccurrences(of: "print(dana.title)", with: "print(omar.name)")
        client.notify("textDocument/didOpen", ["textDocument": ["uri": plan, "languageId": "mapl", "version": 1, "text": usesOmar]])
        #expect(try client.diagnostics(plan).isEmpty)
        // Formatting: one edit to the canonical text.
        client.notify("textDocument/didChange", ["textDocument": ["uri": plan, "version": 2], "contentChanges": [["text": "let  x=1\n"]]])
        _ = try client.diagnostics(plan)
        let formatted = try client.request("textDocument/formatting", ["textDocument": ["uri": plan], "options": ["tabSize": 2, "insertSpaces": true]])
        #expect(((formatted["result"] as? [[String: Any]])?.first?["newText"] as? String) == "let x = 1\n")
        client.notify("exit", NSNull())
        #expect(client.finish() == 1, "exit without shutdown")
    }

    /// Inside `import "…"`: the standard library's modules and the folder's plan files;
    /// hover over a standard-library function shows its documentation.
    @Test func importsAndTheStandardLibrary() throws {
        let (client, _, _, plan) = try setUp()
        let text = "import \"std/scoring\"\nimport \"\nlet x = normalise(2, [1, 2, 3])\n"
        client.notify("textDocument/didOpen", ["textDocument": ["uri": plan, "languageId": "mapl", "version": 1, "text": text]])
        _ = try client.diagnostics(plan)
        let completed = try client.request("textDocument/completion", at(plan, 1, 8))
        let labels = (((completed["result"] as? [String: Any])?["items"] as? [[String: Any]]) ?? []).compactMap { $0["label"] as? String }
        #expect(labels.contains("std/scoring") && labels.contains("people.mapl") && labels.contains("plan.mapl"), "\(labels)")
        let hover = try client.request("textDocument/hover", at(plan, 2, 10))
        let shown = (((hover["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String) ?? ""
        #expect(shown.contains("normalise(x, values)") && shown.contains("scaled to 0..1"), "\(shown)")
        client.notify("exit", NSNull())
        _ = client.finish()
    }

    /// Bad input from the client gets an error answer, and the server goes on.
    @Test func badInputIsAnsweredNotFatal() throws {
        let (client, _, people, _) = try setUp()
        client.sendRaw(Data("{ not json".utf8))
        let parseError = try client.wait { ($0["error"] as? [String: Any])?["code"] as? Int == -32700 }
        #expect(parseError["id"] is NSNull)
        let unknown = try client.request("textDocument/unknownThing", [:])
        #expect((unknown["error"] as? [String: Any])?["code"] as? Int == -32601)
        let badParams = try client.request("textDocument/hover", ["textDocument": 5])
        #expect((badParams["error"] as? [String: Any])?["code"] as? Int == -32602)
        client.notify("textDocument/didOpen", ["textDocument": ["uri": people, "languageId": "mapl", "version": 1, "text": "stakeholder é \"x\" {"]])
        _ = try client.diagnostics(people)
        let farAway = try client.request("textDocument/hover", at(people, 900, 900))
        #expect(farAway["error"] == nil)
        let negative = try client.request("textDocument/completion", at(people, -4, -2))
        #expect(negative["error"] == nil)
        #expect(try client.request("shutdown", NSNull())["error"] == nil)
        client.notify("exit", NSNull())
        #expect(client.finish() == 0)
    }
}

@Suite("mapl lsp: framing and positions")
struct LanguageServerPartsTests {
    /// A reader over bytes written to a pipe (then closed).
    private func reader(_ bytes: String) -> MessageReader {
        var ends: [Int32] = [0, 0]
        _ = pipe(&ends)
        let data = Array(bytes.utf8)
        data.withUnsafeBytes { _ = write(ends[1], $0.baseAddress, $0.count) }
        close(ends[1])
        return MessageReader(descriptor: ends[0])
    }

    @Test func framing() throws {
        let two = reader("Content-Length: 2\r\n\r\n{}Content-Type: x\r\ncontent-length:3\r\n\r\n[1]")
        #expect(try two.next() == Array("{}".utf8))
        #expect(try two.next() == Array("[1]".utf8))
        #expect(throws: MessageReader.Failure.endOfInput) { try two.next() }
        #expect(throws: MessageReader.Failure.badFraming("a message without Content-Length")) { try reader("X: 1\r\n\r\n{}").next() }
        #expect(throws: MessageReader.Failure.badFraming("Content-Length is not a number")) { try reader("Content-Length: lots\r\n\r\n").next() }
        #expect(throws: MessageReader.Failure.badFraming("a message of 999999999999 bytes is too large")) {
            try reader("Content-Length: 999999999999\r\n\r\n").next()
        }
        #expect(throws: MessageReader.Failure.badFraming("a header line without ':'")) { try reader("garbage\r\n\r\n").next() }
        #expect(throws: MessageReader.Failure.endOfInput) { try reader("Content-Length: 10\r\n\r\n{}").next() }
    }

    @Test func positionsCountUTF16() {
        let index = LineIndex("é😀x\nsecond\n")
        // é is 2 bytes and 1 unit; 😀 is 4 bytes and 2 units.
        #expect(index.offset(of: Position(line: 0, character: 1)) == 2)
        #expect(index.offset(of: Position(line: 0, character: 3)) == 6)
        #expect(index.position(of: 6) == Position(line: 0, character: 3))
        #expect(index.position(of: 8) == Position(line: 1, character: 0))
        // Out of range: clamped, never a trap.
        #expect(index.offset(of: Position(line: 0, character: 99)) == 7)
        #expect(index.offset(of: Position(line: 99, character: 0)) == index.bytes.count)
        #expect(index.offset(of: Position(line: -1, character: -1)) == 0)
        #expect(index.position(of: 10_000) == Position(line: 2, character: 0))
        #expect(LineIndex.applying("X", at: Range(start: Position(line: 1, character: 0), end: Position(line: 1, character: 6)), to: "é😀x\nsecond\n") == "é😀x\nX\n")
    }
}
