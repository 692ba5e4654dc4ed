// Line editing on a terminal through libedit: emacs keys, history kept in a file,
// Ctrl-R search, Tab completion, and Ctrl-C that abandons the line being typed.

import CEditLine
import Foundation
import Mapl
import Synchronization

/// Where the history is kept: $MAPL_HISTORY, else $XDG_STATE_HOME/mapl/history, else
/// ~/.mapl_history. MAPL_HISTORY set to "" or /dev/null keeps no history; so does a
/// path that exists but is not a regular file.
public enum HistoryFile {
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let path: String
        if let explicit = environment["MAPL_HISTORY"] {
            if explicit.isEmpty || explicit == "/dev/null" { return nil }
            path = explicit.hasPrefix("~/") ? (environment["HOME"] ?? "~") + explicit.dropFirst(1) : explicit
        } else if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            path = state + "/mapl/history"
        } else if let home = environment["HOME"], !home.isEmpty {
            path = home + "/.mapl_history"
        } else {
            return nil
        }
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG { return nil }
        return path
    }
}

/// Set by the SIGWINCH handler; the editor re-reads the terminal size before the next line.
private let windowResized = Atomic<Bool>(false)

private func onInterrupt(_ signal: Int32) {
    maplInterruptRequested.store(true, ordering: .relaxed)
}

private func onResize(_ signal: Int32) {
    windowResized.store(true, ordering: .relaxed)
}

private func editorPrompt(_ el: OpaquePointer?) -> UnsafePointer<CChar>? {
    guard let editor = LineEditor.from(el) else { return nil }
    return UnsafePointer(editor.continuing ? editor.continuationPrompt : editor.primaryPrompt)
}

private func editorComplete(_ el: OpaquePointer?, _ key: Int32) -> UInt8 {
    guard let editor = LineEditor.from(el) else { return UInt8(CC_ERROR) }
    return editor.completeAtCursor()
}

/// A libedit editor on stdin/stdout. One per process; lives as long as the session.
final class LineEditor {
    enum Read {
        case line(String)
        /// Ctrl-C: the line being typed is gone.
        case interrupted
        /// Ctrl-D on an empty line, or the terminal went away.
        case endOfInput
    }

    private let editor: OpaquePointer
    private let history: OpaquePointer
    private let historyPath: String?
    fileprivate let primaryPrompt: UnsafeMutablePointer<CChar>
    fileprivate let continuationPrompt: UnsafeMutablePointer<CChar>
    /// The line continues an unfinished input: show the continuation prompt.
    var continuing = false
    /// Completes (line, UTF-8 cursor offset, continuing); set by the driver.
    var completion: ((String, Int, Bool) -> CompletionResult)?

    init?(historyPath: String?, prompt: String = "mapl> ", continuationPrompt: String = "  ... ") {
        mapl_use_utf8_ctype()  // else multi-byte characters edit byte by byte
        guard let editor = mapl_el_init("mapl"), let history = mapl_history_init(1000) else { return nil }
        self.editor = editor
        self.history = history
        self.historyPath = historyPath
        primaryPrompt = strdup(prompt)
        self.continuationPrompt = strdup(continuationPrompt)

        mapl_el_set_clientdata(editor, Unmanaged.passUnretained(self).toOpaque())
        mapl_el_set_editor(editor, "emacs")
        mapl_el_use_history(editor, history)
        mapl_el_set_prompt(editor, editorPrompt)
        mapl_el_add_function(editor, "mapl-complete", "complete the word before the cursor", editorComplete, "^I")
        mapl_el_bind(editor, "^R", "em-inc-search-prev")
        _ = mapl_el_source(editor)  // ~/.editrc may change bindings
        if let historyPath { _ = mapl_history_load(history, historyPath) }

        // Without SA_RESTART, Ctrl-C makes el_gets return (EINTR); during an
        // evaluation it sets the flag the interpreter polls. A resize restarts the read.
        _ = maplInterruptRequested.load()  // initialised before the handler may store to it
        _ = mapl_set_signal_handler(SIGINT, onInterrupt, 0)
        _ = mapl_set_signal_handler(SIGWINCH, onResize, 1)
    }

    deinit {
        mapl_reset_signal_handler(SIGINT)
        mapl_reset_signal_handler(SIGWINCH)
        el_end(editor)
        history_end(history)
        free(primaryPrompt)
        free(continuationPrompt)
    }

    fileprivate static func from(_ el: OpaquePointer?) -> LineEditor? {
        guard let el, let data = mapl_el_get_clientdata(el) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
    }

    /// Reads one line, edited, without its line break.
    func readLine() -> Read {
        if windowResized.exchange(false, ordering: .relaxed) { el_resize(editor) }
        maplInterruptRequested.store(false, ordering: .relaxed)
        var count: Int32 = 0
        errno = 0
        guard let text = el_gets(editor, &count) else {
            let interrupted = maplInterruptRequested.exchange(false, ordering: .relaxed)
            if count < 0 && (errno == EINTR || interrupted) {
                el_reset(editor)
                return .interrupted
            }
            return .endOfInput
        }
        var line = String(cString: text)
        while line.hasSuffix("\n") || line.hasSuffix("\r") { line.removeLast() }
        return .line(line)
    }

    func addToHistory(_ line: String) {
        mapl_history_enter(history, line)
    }

    /// Writes the history file through the safe writer (a failure only costs history).
    func saveHistory() {
        guard let historyPath else { return }
        let directory = PathNames.directory(of: historyPath)
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var length = 0
        guard let text = mapl_history_text(history, &length) else { return }
        defer { free(text) }
        let bytes = text.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
        try? AtomicFile.write(bytes, to: historyPath)
    }

    /// Tab: inserts the only candidate or the common start of several; lists them
    /// when there is nothing to add. At the start of a line it indents.
    fileprivate func completeAtCursor() -> UInt8 {
        guard let info = el_line(editor)?.pointee, let buffer = info.buffer, let cursor = info.cursor, let last = info.lastchar else {
            return UInt8(CC_ERROR)
        }
        let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(buffer), count: last - buffer)
        let offset = cursor - buffer
        if bytes.prefix(offset).allSatisfy({ $0 == 32 || $0 == 9 }) {
            _ = el_insertstr(editor, "  ")
            return UInt8(CC_REFRESH)
        }
        guard let completion else { return UInt8(CC_ERROR) }
        let result = completion(String(decoding: bytes, as: UTF8.self), offset, continuing)
        // Listing every name for an empty word helps nobody; fields, commands and
        // arguments are few enough to list.
        if result.word.isEmpty, result.context == .name { return UInt8(CC_REFRESH_BEEP) }
        if let insertion = result.insertion {
            _ = el_insertstr(editor, insertion)
            return UInt8(CC_REFRESH)
        }
        guard result.candidates.count > 1 else { return UInt8(CC_REFRESH_BEEP) }
        mapl_flush_stdout()
        let columns = Int(mapl_terminal_columns(STDOUT_FILENO))
        write("\n" + LineEditor.columns(result.candidates.map(\.label), width: columns > 0 ? columns : 80))
        return UInt8(CC_REDISPLAY)
    }

    /// Candidates laid out in columns, as a shell lists them.
    static func columns(_ labels: [String], width: Int, limit: Int = 200) -> String {
        let shown = Array(labels.prefix(limit))
        let cell = (shown.map(\.count).max() ?? 0) + 2
        let perLine = max(1, width / max(1, cell))
        let rows = (shown.count + perLine - 1) / perLine
        var out = ""
        for row in 0..<rows {
            var line = ""
            for column in 0..<perLine {
                let index = column * rows + row
                guard index < shown.count else { continue }
                let label = shown[index]
                line += label + String(repeating: " ", count: cell - label.count)
            }
            out += line.trailingSpacesTrimmed + "\n"
        }
        if labels.count > limit { out += "… and \(labels.count - limit) more\n" }
        return out
    }

    private func write(_ text: String) {
        StreamWriter.standardOutput.write(text)
        StreamWriter.standardOutput.flush()
    }
}
