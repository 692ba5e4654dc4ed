// `mapl lsp`: the language server on stdin and stdout, for editors.

import ArgumentParser
import Foundation
import Mapl
import MaplLSP

struct Lsp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Run the language server (LSP 3.17 on stdin and stdout) for editors.",
        discussion: """
            Editors start it themselves (see the README's Editors section). It checks \
            plans as you type, with the same diagnostics as `mapl check`, and answers \
            completion, hover, go to definition, references, rename, symbols, \
            formatting, semantic tokens and quick fixes. Exit status: 0 after a \
            shutdown request, 1 when the editor went away without one.
            """
    )

    func run() throws {
        // The editor closing its end of the pipe must not kill the server mid-write.
        signal(SIGPIPE, SIG_IGN)
        let status = LanguageServer().run()
        if status != 0 { throw ExitCode(status) }
    }
}
