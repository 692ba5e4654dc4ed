// Salesforce Contact and Opportunity CSV exports → a plan document: contacts become
// stakeholders (Department → units, ReportsToId → reports_to), opportunities become
// opportunities on mapl's stage scale. A row that cannot be imported is a problem
// with its row number; the caller decides whether to skip such rows or write nothing.

/// One input file: the name to report it by and its text.
public struct ImportInput: Sendable {
    public let name: String
    public let text: String
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// What an import came to.
public struct ImportResult: Sendable {
    /// The plan built from the rows that could be imported.
    public var document: PlanDocument
    /// Rows that could not be imported (each left out of `document`).
    public var badRows: [ImportProblem]
    /// Problems with a whole file (a missing column): nothing can be imported.
    public var fatal: [ImportProblem]
    /// Things worth knowing that stop nothing (rows of several accounts).
    public var warnings: [ImportProblem]
    /// How many entities of each kind the document holds, for the summary line.
    public var counts: [(kind: String, count: Int)] {
        Schema.kinds.compactMap { kind in
            let count = document.entries.filter { $0.kind == kind.name }.count
            return count > 0 ? (count == 1 ? kind.name : kind.plural == "team" ? "members" : kind.plural, count) : nil
        }
    }
}

public enum SalesforceImport {
    static let contactColumns: [(name: String, aliases: [String])] = [
        ("Id", ["Contact ID", "ContactId"]), ("FirstName", ["First Name"]), ("LastName", ["Last Name"]),
        ("Name", ["Full Name", "Contact Name"]), ("Title", []), ("Department", []),
        ("ReportsToId", ["Reports To ID", "Reports To"]), ("AccountId", ["Account ID"]), ("Email", []), ("Phone", []),
    ]
    static let opportunityColumns: [(name: String, aliases: [String])] = [
        ("Id", ["Opportunity ID", "OpportunityId"]), ("Name", ["Opportunity Name"]), ("AccountId", ["Account ID"]),
        ("StageName", ["Stage"]), ("Amount", []), ("Probability", ["Probability (%)"]), ("CloseDate", ["Close Date"]),
        ("Type", ["Opportunity Type"]), ("NextStep", ["Next Step"]), ("ForecastCategoryName", ["Forecast Category"]),
        ("LeadSource", ["Lead Source"]),
    ]

    /// Reads the exports; `account` keeps only rows with that AccountId.
    public static func run(contacts: ImportInput?, opportunities: ImportInput?, account: String?) -> ImportResult {
        var importer = Importer(account: account)
        if let contacts { importer.contacts(contacts) }
        if let opportunities { importer.opportunities(opportunities) }
        return importer.result()
    }
}

/// The state of one import: ids handed out so far, entries and problems.
private struct Importer {
    let account: String?
    var ids = IdentifierAllocator()
    var units: [PlanEntry] = []
    var unitByName: [String: String] = [:]
    var people: [PlanEntry] = []
    var deals: [PlanEntry] = []
    var badRows: [ImportProblem] = []
    var fatal: [ImportProblem] = []
    var warnings: [ImportProblem] = []
    /// AccountIds met in the files (keyed by the 15-character form), and rows kept.
    var accountsSeen: [String: String] = [:]
    var rowsKept = 0
    var rowsRead = 0
    var files: [String] = []
    var header: [String] = ["Imported from Salesforce by `mapl import salesforce`."]

    init(account: String?) { self.account = account }

    /// Reads a file's table and columns, or records why it cannot be read.
    mutating func table(_ input: ImportInput, _ columns: [(name: String, aliases: [String])], required: [String]) -> (CSVTable, CSVColumns)? {
        switch CSVTable.read(input.text, file: input.name) {
        case .failure(let problem):
            fatal.append(problem)
            return nil
        case .success(let table):
            do {
                return (table, try CSVColumns(table, columns: columns, required: required + (account == nil ? [] : ["AccountId"])))
            } catch {
                fatal.append(error)
                return nil
            }
        }
    }

    /// Whether the row belongs to the account asked for (15- and 18-character ids match).
    mutating func inAccount(_ columns: CSVColumns, _ fields: [String]) -> Bool {
        rowsRead += 1
        let rowAccount = columns.value("AccountId", in: fields)
        if let rowAccount { accountsSeen[SalesforceMapping.recordKey(rowAccount)] = rowAccount }
        if let account, rowAccount.map(SalesforceMapping.recordKey) != SalesforceMapping.recordKey(account) { return false }
        rowsKept += 1
        return true
    }

    /// A problem when the row's field count differs from the header's (most often a
    /// quote that is not closed, which swallows the rows after it).
    func shapeProblem(_ table: CSVTable, _ row: (number: Int, fields: [String])) -> ImportProblem? {
        guard row.fields.count != table.header.count else { return nil }
        return ImportProblem(file: table.file, row: row.number,
                             message: "has \(row.fields.count) field\(row.fields.count == 1 ? "" : "s"), the header has \(table.header.count)",
                             hint: "check the quotes on this row: a field with a comma or a line break must be in double quotes, and a quote inside it doubled (\"\")")
    }

    // MARK: - Contacts

    mutating func contacts(_ input: ImportInput) {
        guard let (table, columns) = table(input, SalesforceImport.contactColumns, required: ["Id"]) else { return }
        if !columns.has("Name") && !columns.has("LastName") {
            fatal.append(ImportProblem(file: table.file, row: 1, message: "missing required column 'Name' (or 'LastName')",
                                       hint: "the header has: " + table.header.joined(separator: ", ")))
            return
        }
        struct Contact { var row: Int; var sfID: String; var name: String; var fields: [String]; var manager: String?; var managerID: String? }
        var found: [String: Contact] = [:]
        var order: [String] = []
        var rowByKey: [String: Int] = [:]
        var total = 0
        files.append(table.file)
        for row in table.rows where inAccount(columns, row.fields) {
            total += 1
            func bad(_ message: String, hint: String? = nil) { badRows.append(ImportProblem(file: table.file, row: row.number, message: message, hint: hint)) }
            if let problem = shapeProblem(table, row) { badRows.append(problem); continue }
            guard let sfID = columns.value("Id", in: row.fields) else { bad("no Id"); continue }
            let key = SalesforceMapping.recordKey(sfID)
            if let earlier = rowByKey[key] { bad("Id \(sfID) is already used on row \(earlier)"); continue }
            rowByKey[key] = row.number
            let first = columns.value("FirstName", in: row.fields), last = columns.value("LastName", in: row.fields)
            guard let name = columns.value("Name", in: row.fields) ?? [first, last].compactMap({ $0 }).joined(separator: " ").nonEmpty else {
                bad("contact \(sfID) has no name (Name, FirstName and LastName are empty)")
                continue
            }
            let managerID = columns.value("ReportsToId", in: row.fields)
            let manager = managerID.map(SalesforceMapping.recordKey)
            if manager == key { bad("\(name) reports to themselves (ReportsToId is their own Id)"); continue }
            found[key] = Contact(row: row.number, sfID: sfID, name: name, fields: row.fields, manager: manager, managerID: managerID)
            order.append(key)
        }
        // Lines to managers: a manager must be an imported contact. Leaving out a bad
        // row can leave another without its manager, so this repeats until it settles.
        var changed = true
        while changed {
            changed = false
            for key in order {
                guard let contact = found[key], let manager = contact.manager, found[manager] == nil else { continue }
                let managerRow = rowByKey[manager]
                badRows.append(ImportProblem(
                    file: table.file, row: contact.row,
                    message: "\(contact.name): ReportsToId \(contact.managerID ?? manager) " + (managerRow.map { "is the contact on row \($0), which cannot be imported" }
                        ?? "matches no contact\(account.map { " of account \($0)" } ?? "") in \(table.file)"),
                    hint: managerRow == nil ? "export the manager too, or clear ReportsToId on this row" : nil))
                found[key] = nil
                changed = true
            }
        }
        // Ids are handed out only now, to the rows that are imported.
        var idByKey: [String: String] = [:]
        for key in order where found[key] != nil {
            idByKey[key] = ids.make(from: found[key]?.name ?? "", kind: "contact")
        }
        for key in order {
            guard let contact = found[key], let id = idByKey[key] else { continue }
            func value(_ column: String) -> String? { columns.value(column, in: contact.fields) }
            var entry = PlanEntry(kind: "stakeholder", id: id, title: contact.name, comments: ["Salesforce Contact \(contact.sfID)"])
            if let title = value("Title") { entry.fields.append(.init("title", .text(title))) }
            if let department = value("Department") { entry.fields.append(.init("unit", .word(unit(department)))) }
            if let boss = contact.manager.flatMap({ idByKey[$0] }) { entry.fields.append(.init("reports_to", .word(boss))) }
            if let email = value("Email") { entry.fields.append(.init("email", .text(email))) }
            if let phone = value("Phone") { entry.fields.append(.init("note", .text("Phone: \(phone)"))) }
            people.append(entry)
        }
        header.append("Contacts: \(table.file) (\(total) row\(total == 1 ? "" : "s")\(account.map { " of account \($0)" } ?? ""), \(people.count) imported).")
    }

    /// The unit id for a department, declared on first use.
    mutating func unit(_ department: String) -> String {
        let name = department.lowercased()
        if let id = unitByName[name] { return id }
        let id = ids.make(from: department, kind: "unit")
        unitByName[name] = id
        units.append(PlanEntry(kind: "unit", id: id, title: department, fields: [.init("kind", .word("function"))]))
        return id
    }

    // MARK: - Opportunities

    mutating func opportunities(_ input: ImportInput) {
        guard let (table, columns) = table(input, SalesforceImport.opportunityColumns, required: ["Id", "Name", "StageName"]) else { return }
        var seen: [String: Int] = [:]
        var total = 0
        files.append(table.file)
        for row in table.rows where inAccount(columns, row.fields) {
            total += 1
            func bad(_ message: String, hint: String? = nil) { badRows.append(ImportProblem(file: table.file, row: row.number, message: message, hint: hint)) }
            func value(_ column: String) -> String? { columns.value(column, in: row.fields) }
            if let problem = shapeProblem(table, row) { badRows.append(problem); continue }
            guard let sfID = value("Id") else { bad("no Id"); continue }
            guard let name = value("Name") else { bad("opportunity \(sfID) has no Name"); continue }
            if let earlier = seen[SalesforceMapping.recordKey(sfID)] { bad("Id \(sfID) is already used on row \(earlier)"); continue }
            guard let stageName = value("StageName") else { bad("'\(name)' has no StageName"); continue }
            guard let stage = SalesforceMapping.stage(stageName) else {
                bad("'\(name)': unknown stage '\(stageName)'", hint: "known stages: \(SalesforceMapping.stageNames)")
                continue
            }
            var fields: [PlanEntry.Field] = [.init("stage", .word(stage))]
            var comments = ["Salesforce Opportunity \(sfID)"]
            if SalesforceMapping.key(stageName) != stage { comments[0] += ", stage \"\(stageName)\"" }
            if let text = value("Amount") {
                guard let amount = SalesforceMapping.amount(text) else { bad("'\(name)': Amount '\(text)' is not an amount of money"); continue }
                fields.append(.init("value", .money(amount)))
            }
            if let text = value("Probability") {
                guard let fraction = SalesforceMapping.probability(text) else { bad("'\(name)': Probability '\(text)' is not a percentage from 0 to 100"); continue }
                fields.append(.init("probability", .percent(fraction)))
            }
            if let text = value("CloseDate") {
                guard let day = SalesforceMapping.date(text) else {
                    bad("'\(name)': CloseDate '\(text)' is not a date", hint: "write dates as YYYY-MM-DD (or M/D/YYYY)")
                    continue
                }
                fields.append(.init("close", .date(day)))
            }
            if let text = value("Type") {
                if let type = SalesforceMapping.type(text) {
                    fields.append(.init("type", .word(type)))
                    if SalesforceMapping.key(text) != type { comments[0] += ", type \"\(text)\"" }
                } else {
                    comments[0] += ", type \"\(text)\" (no mapl type: set new, upsell, cross_sell or renewal)"
                }
            }
            if let step = value("NextStep") { fields.append(.init("next_step", .text(step))) }
            let notes = [value("ForecastCategoryName").map { "Forecast category: \($0)." }, value("LeadSource").map { "Lead source: \($0)." }].compactMap { $0 }
            if !notes.isEmpty { fields.append(.init("note", .text(notes.joined(separator: " ")))) }
            seen[SalesforceMapping.recordKey(sfID)] = row.number
            deals.append(PlanEntry(kind: "opportunity", id: ids.make(from: name, kind: "deal"), title: name, fields: fields, comments: comments))
        }
        header.append("Opportunities: \(table.file) (\(total) row\(total == 1 ? "" : "s")\(account.map { " of account \($0)" } ?? ""), \(deals.count) imported).")
    }

    func result() -> ImportResult {
        var fatal = self.fatal, warnings = self.warnings
        let seen = accountsSeen.values.sorted()
        if let account, fatal.isEmpty, rowsRead > 0, rowsKept == 0 {
            fatal.append(ImportProblem(file: files.joined(separator: ", "), row: nil, message: "no row has AccountId \(account)",
                                       hint: seen.isEmpty ? nil : "the AccountIds in the files: " + seen.joined(separator: ", ")))
        }
        if account == nil, seen.count > 1 {
            warnings.append(ImportProblem(file: files.joined(separator: ", "), row: nil,
                                          message: "the rows belong to \(seen.count) accounts (\(seen.joined(separator: ", "))); all are imported into one plan",
                                          hint: "import one account with --account ID"))
        }
        var document = PlanDocument(header: header + [
            "Salesforce does not know what matters most in a plan: add each person's roles,",
            "influence, support and coverage, the lines of influence, and the account's goals.",
        ])
        document.entries = units + people + deals
        return ImportResult(document: document, badRows: badRows.sorted { ($0.file, $0.row ?? 0) < ($1.file, $1.row ?? 0) }, fatal: fatal, warnings: warnings)
    }
}

extension String {
    /// The string, or nil when it is empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
