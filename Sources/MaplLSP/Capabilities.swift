// What the server tells the editor it can do.

struct Capabilities {
    /// The semantic token types, in the order their numbers refer to.
    static let tokenTypes = ["keyword", "string", "number", "variable", "function", "enumMember", "operator", "property", "type"]

    struct InitializeResult: Encodable {
        struct ServerInfo: Encodable { let name = "mapl"; let version = "0.1.0" }
        struct Server: Encodable {
            struct Sync: Encodable { let openClose = true; let change = 2; let save = ["includeText": true] }
            struct CompletionOptions: Encodable { let triggerCharacters = [".", "\"", "/", ":", " "] }
            struct Legend: Encodable { let tokenTypes = Capabilities.tokenTypes; let tokenModifiers: [String] = [] }
            struct SemanticTokensOptions: Encodable { let legend = Legend(); let full = true }
            struct RenameOptions: Encodable { let prepareProvider = true }
            struct CodeActionOptions: Encodable { let codeActionKinds = ["quickfix"] }
            let textDocumentSync = Sync()
            let completionProvider = CompletionOptions()
            let hoverProvider = true
            let definitionProvider = true
            let referencesProvider = true
            let documentSymbolProvider = true
            let workspaceSymbolProvider = true
            let documentFormattingProvider = true
            let renameProvider = RenameOptions()
            let semanticTokensProvider = SemanticTokensOptions()
            let codeActionProvider = CodeActionOptions()
        }
        let capabilities = Server()
        let serverInfo = ServerInfo()
    }

    static let initializeResult = InitializeResult()
}
