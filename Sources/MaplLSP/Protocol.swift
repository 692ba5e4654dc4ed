// The Language Server Protocol 3.17 types mapl uses, written by hand (no LSP package is
// on the list): only the members mapl reads or sends. Positions are zero-based lines
// and UTF-16 code units, as the protocol says.

import Foundation

public struct Position: Codable, Equatable, Sendable {
    public var line: Int
    public var character: Int
    public init(line: Int, character: Int) { (self.line, self.character) = (line, character) }
}

public struct Range: Codable, Equatable, Sendable {
    public var start: Position
    public var end: Position
    public init(start: Position, end: Position) { (self.start, self.end) = (start, end) }
}

public struct Location: Codable, Equatable, Sendable {
    public var uri: String
    public var range: Range
}

struct TextDocumentIdentifier: Codable { var uri: String }

struct TextDocumentItem: Codable {
    var uri: String
    var languageId: String?
    var version: Int?
    var text: String
}

struct VersionedTextDocumentIdentifier: Codable {
    var uri: String
    var version: Int?
}

struct TextDocumentContentChangeEvent: Codable {
    /// Absent: the change is the whole text.
    var range: Range?
    var text: String
}

struct DidOpenParams: Codable { var textDocument: TextDocumentItem }
struct DidChangeParams: Codable {
    var textDocument: VersionedTextDocumentIdentifier
    var contentChanges: [TextDocumentContentChangeEvent]
}
struct DidCloseParams: Codable { var textDocument: TextDocumentIdentifier }
struct DidSaveParams: Codable { var textDocument: TextDocumentIdentifier; var text: String? }

struct TextDocumentPositionParams: Codable {
    var textDocument: TextDocumentIdentifier
    var position: Position
}

struct ReferenceParams: Codable {
    struct Context: Codable { var includeDeclaration: Bool }
    var textDocument: TextDocumentIdentifier
    var position: Position
    var context: Context?
}

struct RenameParams: Codable {
    var textDocument: TextDocumentIdentifier
    var position: Position
    var newName: String
}

struct DocumentParams: Codable { var textDocument: TextDocumentIdentifier }
struct WorkspaceSymbolParams: Codable { var query: String }

struct CodeActionParams: Codable {
    struct Context: Codable { var diagnostics: [LSPDiagnostic] }
    var textDocument: TextDocumentIdentifier
    var range: Range
    var context: Context
}

struct LSPDiagnostic: Codable, Equatable {
    struct Related: Codable, Equatable {
        var location: Location
        var message: String
    }
    var range: Range
    /// 1 error, 2 warning, 3 information, 4 hint.
    var severity: Int
    var code: String?
    var source: String?
    var message: String
    var relatedInformation: [Related]?
    /// The fix a hint names ("did you mean 'supporter'?"), for code actions.
    var data: String?
}

struct PublishDiagnosticsParams: Codable {
    var uri: String
    var version: Int?
    var diagnostics: [LSPDiagnostic]
}

struct MarkupContent: Codable {
    var kind = "markdown"
    var value: String
}

struct Hover: Codable {
    var contents: MarkupContent
    var range: Range?
}

struct CompletionItem: Codable, Equatable {
    /// 3 function, 5 field, 6 variable, 12 value, 14 keyword, 9 module, 17 file, 21 constant.
    var label: String
    var kind: Int?
    var detail: String?
    var documentation: String?
    var textEdit: TextEdit?
}

struct CompletionList: Codable {
    var isIncomplete: Bool
    var items: [CompletionItem]
}

struct TextEdit: Codable, Equatable {
    var range: Range
    var newText: String
}

struct WorkspaceEdit: Codable {
    var changes: [String: [TextEdit]]
}

struct DocumentSymbol: Codable {
    var name: String
    var detail: String?
    /// 2 module, 5 class, 12 function, 13 variable, 14 constant, 23 struct, 24 event.
    var kind: Int
    var range: Range
    var selectionRange: Range
    var children: [DocumentSymbol]?
}

struct SymbolInformation: Codable {
    var name: String
    var kind: Int
    var location: Location
    var containerName: String?
}

struct SemanticTokens: Codable { var data: [Int] }

struct CodeAction: Codable {
    var title: String
    var kind: String
    var diagnostics: [LSPDiagnostic]?
    var edit: WorkspaceEdit
    var isPreferred: Bool?
}

struct PrepareRenameResult: Codable {
    var range: Range
    var placeholder: String
}

struct FormattingParams: Codable { var textDocument: TextDocumentIdentifier }
