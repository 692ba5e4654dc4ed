// `mapl lsp`: the language server. One thread reads a message, handles it and answers
// before reading the next, so every answer is about the text as the editor last sent
// it. Bad input from the client (malformed JSON, an unknown method, a position out of
// range) gets a JSON-RPC error, never a crash.

import Foundation
import Mapl

public final class LanguageServer {
    private let reader: MessageReader
    private let writer: MessageWriter
    let workspace = Workspace()
    /// The latest analysis of each root, and the latest one that set up its plan (what
    /// completion and hover ask while the text has errors).
    private(set) var analyses: [String: Analysis] = [:]
    private(set) var usable: [String: Analysis] = [:]
    /// Which files each root last published diagnostics for (to clear them).
    private var publishedFiles: [String: Set<String>] = [:]
    private var initialized = false
    private var shuttingDown = false
    let today: Day

    /// - Parameters: the streams to read requests from and write answers to.
    public init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, today: Day = Session.today()) {
        reader = MessageReader(descriptor: input)
        writer = MessageWriter(descriptor: output)
        self.today = today
    }

    /// Serves until `exit` or the end of input; returns the exit status (0 after a
    /// `shutdown`, 1 otherwise, as the protocol asks).
    public func run() -> Int32 {
        while true {
            let body: [UInt8]
            do throws(MessageReader.Failure) {
                body = try reader.next()
            } catch {
                switch error {
                case .endOfInput: return shuttingDown ? 0 : 1
                case .badFraming(let reason):
                    // The stream cannot be followed any further.
                    reply(id: nil, error: ResponseError(ResponseError.parseError, "bad message framing: \(reason)"))
                    return 1
                }
            }
            if let status = handle(Data(body)) { return status }
        }
    }

    /// Handles one message; an exit status when the server should stop.
    func handle(_ body: Data) -> Int32? {
        let decoder = JSONDecoder()
        guard let header = try? decoder.decode(IncomingHeader.self, from: body) else {
            reply(id: nil, error: ResponseError(ResponseError.parseError, "the message is not a JSON-RPC object"))
            return nil
        }
        guard let method = header.method else { return nil }  // a response to us: none expected
        if method == "exit" { return shuttingDown ? 0 : 1 }
        guard let id = header.id else {
            notification(method, body)
            return nil
        }
        guard initialized || method == "initialize" else {
            reply(id: id, error: ResponseError(ResponseError.serverNotInitialized, "initialize first"))
            return nil
        }
        do {
            let result = try request(method, body)
            reply(id: id, result: result)
        } catch let error as ResponseError {
            reply(id: id, error: error)
        } catch {
            reply(id: id, error: ResponseError(ResponseError.invalidParams, "invalid params for \(method): \(LanguageServer.describe(error))"))
        }
        return nil
    }

    /// The params of a message, as `P`.
    func params<P: Decodable>(_ body: Data, as type: P.Type = P.self) throws -> P {
        try JSONDecoder().decode(IncomingParams<P>.self, from: body).params
    }

    private func request(_ method: String, _ body: Data) throws -> (any Encodable)? {
        switch method {
        case "initialize":
            initialized = true
            return Capabilities.initializeResult
        case "shutdown":
            shuttingDown = true
            return nil
        case "textDocument/completion": return try completion(params(body))
        case "textDocument/hover": return try hover(params(body))
        case "textDocument/definition": return try definition(params(body))
        case "textDocument/references": return try references(params(body))
        case "textDocument/documentSymbol": return try documentSymbols(params(body))
        case "workspace/symbol": return try workspaceSymbols(params(body))
        case "textDocument/formatting": return try formatting(params(body))
        case "textDocument/prepareRename": return try prepareRename(params(body))
        case "textDocument/rename": return try rename(params(body))
        case "textDocument/semanticTokens/full": return try semanticTokens(params(body))
        case "textDocument/codeAction": return try codeActions(params(body))
        default: throw ResponseError(ResponseError.methodNotFound, "mapl lsp does not handle '\(method)'")
        }
    }

    private func notification(_ method: String, _ body: Data) {
        guard initialized else { return }
        switch method {
        case "textDocument/didOpen":
            guard let opened = try? params(body, as: DidOpenParams.self), let path = DocumentURI.path(opened.textDocument.uri) else { return }
            workspace.open(path, text: opened.textDocument.text, version: opened.textDocument.version)
            analyse(path)
        case "textDocument/didChange":
            guard let changed = try? params(body, as: DidChangeParams.self), let path = DocumentURI.path(changed.textDocument.uri) else { return }
            workspace.change(path, changed.contentChanges, version: changed.textDocument.version)
            analyse(path)
        case "textDocument/didSave":
            guard let saved = try? params(body, as: DidSaveParams.self), let path = DocumentURI.path(saved.textDocument.uri) else { return }
            if let text = saved.text { workspace.open(path, text: text, version: nil) }
            analyse(path)
        case "textDocument/didClose":
            guard let closed = try? params(body, as: DidCloseParams.self), let path = DocumentURI.path(closed.textDocument.uri) else { return }
            workspace.close(path)
            analyse(path)
        default:
            break  // $/cancelRequest, workspace/didChangeConfiguration, …: nothing to do
        }
    }

    /// Checks the plan `path` belongs to and publishes its diagnostics, file by file.
    func analyse(_ path: String) {
        let root = workspace.root(of: path)
        let analysis = Analysis(root: root, workspace: workspace, today: today)
        let replaced = [analyses[root], usable[root]].compactMap { $0 }
        analyses[root] = analysis
        if analysis.hasPlan || usable[root] == nil { usable[root] = analysis }
        // A session's code holds its machine: one no longer kept is cleared to be freed.
        var cleared: Set<ObjectIdentifier> = []
        for old in replaced where old !== analyses[root] && old !== usable[root] && cleared.insert(ObjectIdentifier(old)).inserted {
            old.session.machine.clear()
        }
        let byPath = analysis.published()
        let files = Set(byPath.keys)
        for stale in (publishedFiles[root] ?? []).subtracting(files) { publish(stale, []) }
        for (file, diagnostics) in byPath { publish(file, diagnostics) }
        publishedFiles[root] = files
    }

    private func publish(_ path: String, _ diagnostics: [LSPDiagnostic]) {
        let version = workspace.documents[path]?.version
        send(Notification(method: "textDocument/publishDiagnostics",
                          params: PublishDiagnosticsParams(uri: DocumentURI.uri(path), version: version, diagnostics: diagnostics)))
    }

    // MARK: - Answers

    private func reply(id: RequestID?, result: (any Encodable)?) {
        send(Response(id: id, result: result.map(AnyEncodable.init), error: nil))
    }

    private func reply(id: RequestID?, error: ResponseError) {
        send(Response(id: id, result: nil, error: error))
    }

    private func send(_ message: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        guard let data = try? encoder.encode(message) else { return }
        writer.send(data)
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "'\(key.stringValue)' is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        default: return "\(error)"
        }
    }

    // MARK: - Looking things up for a request

    /// The analysis a document is part of (the latest that set up its plan), its file
    /// in it, and the document's text and line index.
    func context(_ uri: String) throws -> (analysis: Analysis, file: SourceFile?, index: LineIndex, path: String) {
        guard let path = DocumentURI.path(uri) else { throw ResponseError(ResponseError.invalidParams, "not a file URI: \(uri)") }
        let root = workspace.root(of: path)
        if usable[root] == nil { analyse(path) }
        guard let analysis = usable[root] ?? analyses[root] else { throw ResponseError(ResponseError.requestFailed, "no analysis for \(uri)") }
        let text = workspace.text(of: path) ?? ""
        return (analysis, analysis.file(at: path), LineIndex(text), path)
    }
}

/// A response: `result` (null when there is none) or `error`.
struct Response: Encodable {
    let id: RequestID?
    let result: AnyEncodable?
    let error: ResponseError?

    enum Keys: String, CodingKey { case jsonrpc, id, result, error }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode("2.0", forKey: .jsonrpc)
        if let id { try container.encode(id, forKey: .id) } else { try container.encodeNil(forKey: .id) }
        if let error { try container.encode(error, forKey: .error) } else if let result { try container.encode(result, forKey: .result) } else {
            try container.encodeNil(forKey: .result)
        }
    }
}

struct Notification<P: Encodable>: Encodable {
    let jsonrpc = "2.0"
    let method: String
    let params: P
}

/// Any encodable value, for results of different types.
struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}
