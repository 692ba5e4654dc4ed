// Salesforce opportunities → mapl opportunities: the org's stages onto mapl's (the
// standard ones, the user's --stage-map, or what the row's IsWon / IsClosed /
// Probability / Forecast Category columns say), amounts in the plan's currency (a row in
// another currency through its converted amount), and fields that cannot be read left
// out of an otherwise good row, each reported.

extension SalesforceImporter {
    mutating func opportunities(_ input: ImportInput) {
        guard let (table, columns) = table(input, SalesforceImport.opportunityColumns, required: ["Id", "Name", "StageName"]) else { return }
        var seen: [String: Int] = [:]
        var inferred: [String: (stages: Set<String>, rows: [Int])] = [:]
        let (rows, total) = accountRows(table, columns)
        // A deal of the plan without an Id is matched by name only when one row has it.
        var nameCounts: [String: Int] = [:]
        for row in rows { if let name = columns.value("Name", in: row.fields) { nameCounts[name.lowercased(), default: 0] += 1 } }
        for row in rows {
            func bad(_ message: String, hint: String? = nil) { badRows.append(ImportProblem(file: table.file, row: row.number, message: message, hint: hint)) }
            func value(_ column: String) -> String? { columns.value(column, in: row.fields) }
            guard let sfID = value("Id") else { bad("no Id"); continue }
            guard let name = value("Name") else { bad("opportunity \(sfID) has no Name"); continue }
            if let earlier = seen[SalesforceMapping.recordKey(sfID)] { bad("Id \(sfID) is already used on row \(earlier)"); continue }
            guard let stageName = value("StageName") else { bad("'\(name)' has no StageName"); continue }
            if accountName == nil { accountName = value("AccountName") }
            var fields: [PlanEntry.Field] = []
            // What the org calls the stage and type, when mapl calls them otherwise.
            var comments: [String] = []
            var spoken = SalesforceImporter.dealFields(columns)
            /// A field that cannot be read: the row can come in without it, and an update
            /// leaves the plan's value.
            func drop(_ field: String, _ message: String, hint: String? = nil) {
                spoken.remove(field)
                droppedFields.append(ImportProblem(file: table.file, row: row.number, message: "'\(name)': \(message)", hint: hint))
            }
            var probability: Double?
            if let text = value("Probability") {
                if let fraction = SalesforceMapping.probability(text) { probability = fraction } else { drop("probability", "Probability '\(text)' is not a percentage from 0 to 100") }
            }
            guard let stage = stage(stageName, probability: probability, value) else {
                bad("'\(name)': unknown stage '\(stageName)', and the row's IsWon, IsClosed, Probability and Forecast Category do not say which mapl stage it is",
                    hint: "map it: --stage-map \"\(stageName)=needs_analysis\" (any of \(Scales.stage.values.map(\.name).joined(separator: ", ")))")
                continue
            }
            fields.append(.init("stage", .word(stage)))
            if SalesforceMapping.key(stageName) != stage { comments.append("stage \"\(stageName)\"") }
            if options.stageMap[SalesforceMapping.key(stageName)] == nil, SalesforceMapping.stage(stageName) == nil {
                inferred[stageName, default: ([], [])].stages.insert(stage)
                inferred[stageName, default: ([], [])].rows.append(row.number)
            }
            switch amount(value) {
            case .some(.success(let amount)): fields.append(.init("value", .money(amount)))
            case .some(.failure(let problem)): drop("value", problem.message, hint: problem.hint)
            case nil: break
            }
            // A blank probability is left out: the deal takes its stage's chance.
            if let probability { fields.append(.init("probability", .percent(probability))) }
            if let text = value("CloseDate") {
                if let day = SalesforceMapping.date(text) { fields.append(.init("close", .date(day))) } else {
                    drop("close", "CloseDate '\(text)' is not a date", hint: "write dates as YYYY-MM-DD (or M/D/YYYY)")
                }
            }
            if let text = value("Type") {
                if let type = SalesforceMapping.type(text) {
                    fields.append(.init("type", .word(type)))
                    if SalesforceMapping.key(text) != type { comments.append("type \"\(text)\"") }
                } else {
                    spoken.remove("type")
                    comments.append("type \"\(text)\" (no mapl type: set new, upsell, cross_sell or renewal)")
                }
            }
            if let step = value("NextStep") { fields.append(.init("next_step", .text(step))) }
            let notes = [value("ForecastCategoryName").map { "Forecast category: \($0)." }, value("LeadSource").map { "Lead source: \($0)." }].compactMap { $0 }
            if !notes.isEmpty { fields.append(.init("note", .text(notes.joined(separator: " ")))) }
            fields.append(.init("crm_id", .text(sfID)))
            let key = SalesforceMapping.recordKey(sfID)
            seen[key] = row.number
            let id = id(for: key, name: name, kind: "deal", existing: existing.deals, byName: existing.dealsByName,
                        nameIsUnique: nameCounts[name.lowercased()] == 1)
            crmFields[id] = spoken
            deals.append(PlanEntry(kind: "opportunity", id: id, title: name, fields: fields,
                                   comments: comments.isEmpty ? [] : ["Salesforce " + comments.joined(separator: ", ")]))
        }
        reportInferredStages(table.file, inferred)
        header.append("Opportunities: \(table.file) (\(total) row\(total == 1 ? "" : "s")\(account.map { " of account \($0)" } ?? ""), \(deals.count) imported).")
    }

    /// The fields an export with these columns speaks for (see `ImportResult.crmFields`).
    static func dealFields(_ columns: CSVColumns) -> Set<String> {
        var spoken: Set<String> = ["name", "crm_id", "stage"]
        for (field, column) in [("probability", "Probability"), ("close", "CloseDate"), ("type", "Type"), ("next_step", "NextStep")] where columns.has(column) {
            spoken.insert(field)
        }
        if columns.has("Amount") || columns.has("ConvertedAmount") { spoken.insert("value") }
        return spoken
    }

    /// The mapl stage of a row: the user's mapping first, then the standard stages, then
    /// what the row's own columns imply.
    private func stage(_ stageName: String, probability: Double?, _ value: (String) -> String?) -> String? {
        if let mapped = options.stageMap[SalesforceMapping.key(stageName)] { return mapped }
        if let standard = SalesforceMapping.stage(stageName) { return standard }
        return SalesforceMapping.inferredStage(isWon: value("IsWon"), isClosed: value("IsClosed"), probability: probability,
                                               forecast: value("ForecastCategoryName"))
    }

    /// Says, once per stage name, which org stages were taken as which mapl stage from
    /// their rows' columns (a mapping may be wanted).
    mutating func reportInferredStages(_ file: String, _ inferred: [String: (stages: Set<String>, rows: [Int])]) {
        for (name, found) in inferred.sorted(by: { $0.value.rows[0] < $1.value.rows[0] }) {
            let stages = found.stages.sorted().joined(separator: " or ")
            warnings.append(ImportProblem(file: file, row: found.rows[0],
                message: "stage '\(name)' is not one of Salesforce's standard stages: taken as \(stages) from the row\(found.rows.count == 1 ? "'s" : "s'") IsWon, IsClosed, Probability or Forecast Category (\(found.rows.count) row\(found.rows.count == 1 ? "" : "s"))",
                hint: "to choose, map it: --stage-map \"\(name)=STAGE\""))
        }
    }

    /// The row's amount in the plan's currency: Amount when the row is in it, else the
    /// converted amount; nil when the row has none.
    private func amount(_ value: (String) -> String?) -> Result<Money, ImportProblem>? {
        guard let text = value("Amount") ?? value("ConvertedAmount") else { return nil }
        let planCurrency = options.currency
        let rowCurrency = value("CurrencyIsoCode").flatMap { Currency(code: $0.uppercased()) } ?? SalesforceMapping.currency(before: text) ?? planCurrency
        func read(_ text: String) -> Result<Money, ImportProblem> {
            guard let amount = SalesforceMapping.amount(text) else { return .failure(ImportProblem(file: "", message: "Amount '\(text)' is not an amount of money")) }
            return .success(Money(cents: amount.cents, currency: planCurrency))
        }
        if rowCurrency == planCurrency, value("Amount") != nil { return read(text) }
        // Converted amounts are in the org's corporate currency: the plan's, unless they say otherwise.
        guard let converted = value("ConvertedAmount") else {
            return .failure(ImportProblem(file: "", message: "Amount is in \(rowCurrency.code), the plan in \(planCurrency.code), and the row has no converted amount",
                                          hint: "export 'Amount (converted)' (in \(planCurrency.code)) too, or import with --currency \(rowCurrency.code)"))
        }
        if let written = SalesforceMapping.currency(before: converted), written != planCurrency {
            return .failure(ImportProblem(file: "", message: "Amount (converted) is in \(written.code), not the plan's \(planCurrency.code)",
                                          hint: "import with --currency \(written.code)"))
        }
        return read(converted)
    }
}
