// Completion of the account-plan vocabulary: entity kinds (`stakeholder`) and their
// collections (`stakeholders`), scale words (`champion`, `high`), query words, and —
// inside a query clause, where bare names are the item's fields — field names.

import Mapl

/// Words of the plan language that are names to the parser, not reserved keywords.
public struct PlanWordSource: CompletionSource {
    public init() {}

    static let queryWords = ["where", "sort", "by", "desc", "asc", "group", "select", "take", "import", "rule"]

    public func candidates(for request: CompletionRequest) -> [CompletionCandidate] {
        guard request.context == .name else { return [] }
        var words = Schema.kinds.flatMap { [$0.name, $0.plural] }
        words += Scales.all.flatMap(\.allNames).filter { !$0.contains(" ") }
        words += PlanWordSource.queryWords
        if PlanWordSource.isInQueryClause(String(request.line.dropLast(request.word.count))) {
            words += FieldSource.allFields(in: request.repl.session)
        }
        return words.map { CompletionCandidate($0) }
    }

    /// True when a query clause word comes before the word being completed: bare
    /// names there are fields of the current item.
    static func isInQueryClause(_ line: String) -> Bool {
        let words = line.split { !($0.isLetter || $0.isNumber || $0 == "_") }
        return words.contains { $0 == "where" || $0 == "by" || $0 == "select" }
    }
}
