// A CSV export read into rows with their row numbers and columns found by name, over
// yaslab/CSV.swift (RFC 4180: quoting, embedded line breaks, CRLF). Row numbers are
// what a spreadsheet shows: the header is row 1, a record with a line break inside a
// quoted field is still one row.

import CSV
import Foundation

/// A problem with one row (or the header) of an input file.
public struct ImportProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it.
    public let file: String
    /// The spreadsheet row (1 is the header); nil for the file as a whole.
    public let row: Int?
    /// Where in a structured file: `$.entities.stakeholder[3].fields.support`,
    /// `line 3, column 5`.
    public let place: String?
    public let message: String
    public let hint: String?

    public init(file: String, row: Int? = nil, place: String? = nil, message: String, hint: String? = nil) {
        self.file = file
        self.row = row
        self.place = place
        self.message = message
        self.hint = hint
    }

    /// Where the problem is: `contacts.csv: row 7`, `plan.json: $.entities.unit[2]`.
    public var location: String { file + (row.map { ": row \($0)" } ?? "") + (place.map { ": \($0)" } ?? "") }

    /// `contacts.csv: row 7: ReportsToId '003…' matches no contact`
    public var description: String { location + ": " + message }
}

/// A CSV file's header and records.
struct CSVTable {
    let file: String
    let header: [String]
    /// Records after the header, each with its row number; blank lines left out.
    let rows: [(number: Int, fields: [String])]

    /// Reads `text`; a problem when there is no header row.
    static func read(_ text: String, file: String) -> Result<CSVTable, ImportProblem> {
        var text = text
        // Excel and Salesforce write UTF-8 with a byte-order mark.
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        if let problem = malformedQuoting(text, file: file) { return .failure(problem) }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false)
        } catch {
            return .failure(ImportProblem(file: file, row: nil, message: "cannot read it as CSV (\(error))"))
        }
        var header: [String]?
        var rows: [(Int, [String])] = []
        var number = 0
        while let fields = reader.next() {
            number += 1
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            if header == nil { header = fields.map { $0.trimmingCharacters(in: .whitespaces) } } else { rows.append((number, fields)) }
        }
        guard let header else { return .failure(ImportProblem(file: file, row: nil, message: "is empty: expected a header row with column names")) }
        return .success(CSVTable(file: file, header: header, rows: rows))
    }

    /// The first row where a quoted field's closing quote is followed by more text (not
    /// a comma or a line break), which the reader would read on into the next row
    /// silently. (A quote never closed shows as a row with too few fields.)
    static func malformedQuoting(_ text: String, file: String) -> ImportProblem? {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        let bytes = Array(text.utf8)
        var row = 1, index = 0, fieldStart = true
        while index < bytes.count {
            let byte = bytes[index]
            if fieldStart, byte == quote {
                index += 1
                while true {
                    // (A quote never closed runs to the end: the row's field count tells that.)
                    guard index < bytes.count else { return nil }
                    if bytes[index] == quote {
                        if index + 1 < bytes.count, bytes[index + 1] == quote { index += 2; continue }
                        break
                    }
                    index += 1  // (a line break inside quotes stays in the row)
                }
                index += 1  // past the closing quote
                if index < bytes.count, ![comma, newline, carriageReturn].contains(bytes[index]) {
                    let after = String(decoding: bytes[index..<min(bytes.count, index + 12)], as: UTF8.self).prefix { $0 != "\n" && $0 != "," }
                    return ImportProblem(file: file, row: row, message: "a quoted field's closing quote is followed by '\(after)'",
                                         hint: "quote the whole field, and write a quote inside it twice (\"\")")
                }
                fieldStart = false
                continue
            }
            fieldStart = byte == comma || byte == newline
            if byte == newline { row += 1 }
            index += 1
        }
        return nil
    }

    /// Column names compare without case, spaces or punctuation: `StageName`, `Stage
    /// Name` and `stage_name` are one column.
    static func normalize(_ name: String) -> String {
        String(String.UnicodeScalarView(name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }))
    }

    /// The position of the first column called by one of `names`.
    func column(_ names: [String]) -> Int? {
        let wanted = Set(names.map(CSVTable.normalize))
        return header.firstIndex { wanted.contains(CSVTable.normalize($0)) }
    }
}

/// The columns of one kind of export, found in a table's header.
struct CSVColumns {
    private var positions: [String: Int] = [:]

    /// Finds each column (by its API name and the labels reports use); names the
    /// required ones that are missing.
    init(_ table: CSVTable, columns: [(name: String, aliases: [String])], required: [String]) throws(ImportProblem) {
        for (name, aliases) in columns {
            if let position = table.column([name] + aliases) { positions[name] = position }
        }
        let missing = required.filter { positions[$0] == nil }
        if !missing.isEmpty {
            let list = missing.map { "'\($0)'" }.joined(separator: ", ")
            throw ImportProblem(file: table.file, row: 1, message: "missing required column\(missing.count == 1 ? "" : "s") \(list)",
                                hint: "the header has: " + table.header.joined(separator: ", "))
        }
    }

    /// The trimmed value of a column in a record; nil when absent or blank.
    func value(_ name: String, in fields: [String]) -> String? {
        guard let position = positions[name], position < fields.count else { return nil }
        // Line breaks inside a field become plain "\n", whatever the file's line ends.
        let text = fields[position].trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return text.isEmpty ? nil : text
    }

    func has(_ name: String) -> Bool { positions[name] != nil }
}
