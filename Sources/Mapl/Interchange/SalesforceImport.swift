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
    /// Rows imported without a field whose value could not be read (the field is left
    /// out of `document`; the rest of the row is in).
    public var droppedFields: [ImportProblem] = []
    /// Problems with a whole file (a missing column): nothing can be imported.
    public var fatal: [ImportProblem]
    /// Per imported stakeholder and opportunity id, the fields the export speaks for:
    /// its columns are in the files and the row's value was read (a blank one too). An
    /// update sets these fields and leaves every other as the team wrote it.
    public var crmFields: [String: Set<String>] = [:]
    /// The Salesforce Id (15-character key) of every imported stakeholder and
    /// opportunity, by its id in the plan.
    public var recordKeys: [String: String] = [:]
    /// The Salesforce Id (15-character key) of every row of the account in the files,
    /// imported or not: a record of the plan that is not among them is gone from the CRM.
    public var exportedKeys: Set<String> = []
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

/// How to read an org's exports.
public struct SalesforceImportOptions: Sendable {
    /// Import only rows whose AccountId is this (15 or 18 characters).
    public var account: String?
    /// The org's own stages onto mapl's (`Technical Validation` → `needs_analysis`),
    /// keyed as `SalesforceMapping.key` normalises names.
    public var stageMap: [String: String] = [:]
    /// The plan's currency: amounts in another currency need their converted amount
    /// (in this currency) in the export.
    public var currency: Currency = .usd
    /// The plan being updated (`--update`): its records keep their ids, new ones get
    /// ids of their own.
    public var existing: ExistingRecords?

    public init(account: String? = nil) { self.account = account }

    /// Adds `Org Stage=mapl_stage`; the problem when it cannot.
    public mutating func addStageMapping(_ text: String) -> String? {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty else { return "expected ORG STAGE=STAGE, e.g. \"Technical Validation=needs_analysis\", not '\(text)'" }
        guard let stage = Scales.stage.value(named: SalesforceMapping.key(parts[1])) else {
            return "'\(parts[1])' is not a mapl stage (\(Scales.stage.values.map(\.name).joined(separator: ", ")))"
        }
        stageMap[SalesforceMapping.key(parts[0])] = stage.name
        return nil
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
        ("AccountName", ["Account Name"]),
        ("StageName", ["Stage"]), ("Amount", []), ("ConvertedAmount", ["Amount (converted)", "Amount (Converted)"]),
        ("CurrencyIsoCode", ["Opportunity Currency", "Currency", "Amount Currency"]),
        ("Probability", ["Probability (%)"]), ("CloseDate", ["Close Date"]),
        ("IsWon", ["Won"]), ("IsClosed", ["Closed"]),
        ("Type", ["Opportunity Type"]), ("NextStep", ["Next Step"]), ("ForecastCategoryName", ["Forecast Category"]),
        ("LeadSource", ["Lead Source"]),
    ]

    /// Reads the exports; `account` keeps only rows with that AccountId.
    public static func run(contacts: ImportInput?, opportunities: ImportInput?, account: String?) -> ImportResult {
        run(contacts: contacts, opportunities: opportunities, options: SalesforceImportOptions(account: account))
    }

    public static func run(contacts: ImportInput?, opportunities: ImportInput?, options: SalesforceImportOptions) -> ImportResult {
        var importer = SalesforceImporter(options: options)
        if let contacts { importer.contacts(contacts) }
        if let opportunities { importer.opportunities(opportunities) }
        return importer.result()
    }
}

/// The state of one import: ids handed out so far, entries and problems.
struct SalesforceImporter {
    let options: SalesforceImportOptions
    var account: String? { options.account }
    var ids = IdentifierAllocator()
    var units: [PlanEntry] = []
    var unitByName: [String: String] = [:]
    var people: [PlanEntry] = []
    var deals: [PlanEntry] = []
    var badRows: [ImportProblem] = []
    var droppedFields: [ImportProblem] = []
    var fatal: [ImportProblem] = []
    /// The account's name, when the export has it (report exports do).
    var accountName: String?
    var warnings: [ImportProblem] = []
    /// AccountIds met in the files (keyed by the 15-character form), and rows kept.
    var accountsSeen: [String: String] = [:]
    var rowsKept = 0
    var rowsRead = 0
    var files: [String] = []
    var header: [String] = ["Imported from Salesforce by `mapl import salesforce`."]
    var crmFields: [String: Set<String>] = [:]
    var recordKeys: [String: String] = [:]
    var exportedKeys: Set<String> = []
    var existing: ExistingRecords { options.existing ?? ExistingRecords() }

    init(options: SalesforceImportOptions) {
        self.options = options
        for id in options.existing?.taken ?? [] { ids.claim(id) }
        unitByName = options.existing?.unitsByName ?? [:]
    }

    /// The plan's id for a record: the one it has in the plan being updated (by its
    /// Salesforce Id, else by its name when one record without an Id has it), else a
    /// new one made from its name.
    mutating func id(for key: String, name: String, kind: String, existing known: [String: String], byName: [String: String],
                     nameIsUnique: Bool) -> String {
        let id = known[key] ?? (nameIsUnique ? byName[name.lowercased()] : nil) ?? ids.make(from: name, kind: kind)
        recordKeys[id] = key
        return id
    }

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

    /// The rows of the account asked for that have the header's number of fields (the
    /// others are reported), and how many rows the account has in the file.
    mutating func accountRows(_ table: CSVTable, _ columns: CSVColumns) -> (rows: [(number: Int, fields: [String])], total: Int) {
        files.append(table.file)
        var rows: [(number: Int, fields: [String])] = []
        var total = 0
        for row in table.rows where inAccount(columns, row.fields) {
            total += 1
            if let id = columns.value("Id", in: row.fields) { exportedKeys.insert(SalesforceMapping.recordKey(id)) }
            if let problem = shapeProblem(table, row) { badRows.append(problem) } else { rows.append(row) }
        }
        return (rows, total)
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
        var found: [String: SalesforceContact] = [:]
        var order: [String] = []
        var rowByKey: [String: Int] = [:]
        let (rows, total) = accountRows(table, columns)
        for row in rows {
            func bad(_ message: String, hint: String? = nil) { badRows.append(ImportProblem(file: table.file, row: row.number, message: message, hint: hint)) }
            guard let sfID = columns.value("Id", in: row.fields) else { bad("no Id"); continue }
            let key = SalesforceMapping.recordKey(sfID)
            if let earlier = rowByKey[key] { bad("Id \(sfID) is already used on row \(earlier)"); continue }
            rowByKey[key] = row.number
            let first = columns.value("FirstName", in: row.fields), last = columns.value("LastName", in: row.fields)
            guard let name = columns.value("Name", in: row.fields) ?? [first, last].compactMap({ $0 }).joined(separator: " ").nonEmpty else {
                bad("contact \(sfID) has no name (Name, FirstName and LastName are empty)")
                continue
            }
            var managerID = columns.value("ReportsToId", in: row.fields)
            var manager = managerID.map(SalesforceMapping.recordKey)
            if manager == key {
                droppedFields.append(ImportProblem(file: table.file, row: row.number, message: "\(name): ReportsToId is their own Id"))
                (manager, managerID) = (nil, nil)
            }
            found[key] = SalesforceContact(row: row.number, sfID: sfID, name: name, fields: row.fields, manager: manager, managerID: managerID)
            order.append(key)
        }
        // A report gives the manager's name ("Reports To"), Data Loader their Id.
        var keyByName: [String: String] = [:]
        for key in order { if let name = found[key]?.name { keyByName[name.lowercased()] = keyByName[name.lowercased()] == nil ? key : "" } }
        for key in order {
            guard let contact = found[key], let manager = contact.manager, found[manager] == nil, existing.contacts[manager] == nil else { continue }
            if let named = keyByName[(contact.managerID ?? "").lowercased()], !named.isEmpty, named != key {
                found[key]?.manager = named
                continue
            }
            // A manager outside the export (or on a row that cannot be imported): the
            // person comes in without the line.
            found[key]?.manager = nil
            let managerRow = rowByKey[manager]
            warnings.append(ImportProblem(
                file: table.file, row: contact.row,
                message: "\(contact.name) is imported without reports_to: their manager (\(contact.managerID ?? manager)) "
                    + (managerRow.map { "is the contact on row \($0), which cannot be imported" }
                        ?? "is not a contact\(account.map { " of account \($0)" } ?? "") in \(table.file)"),
                hint: managerRow == nil ? "export the manager too to keep the line" : nil))
        }
        // Ids are handed out only now, to the rows that are imported.
        var idByKey: [String: String] = [:]
        // A record of the plan without an Id is matched by name only when one row has it.
        var nameCounts: [String: Int] = [:]
        for contact in found.values { nameCounts[contact.name.lowercased(), default: 0] += 1 }
        for key in order {
            guard let contact = found[key] else { continue }
            // A manager the export names is still in the CRM, in the export or not.
            if let manager = contact.manager { exportedKeys.insert(manager) }
            idByKey[key] = id(for: key, name: contact.name, kind: "contact", existing: existing.contacts, byName: existing.stakeholdersByName,
                              nameIsUnique: nameCounts[contact.name.lowercased()] == 1)
        }
        for key in order {
            guard let contact = found[key], let id = idByKey[key] else { continue }
            people.append(person(contact, id: id, boss: contact.manager.flatMap { idByKey[$0] ?? existing.contacts[$0] }, columns))
        }
        header.append("Contacts: \(table.file) (\(total) row\(total == 1 ? "" : "s")\(account.map { " of account \($0)" } ?? ""), \(people.count) imported).")
    }

    /// A contact's stakeholder declaration; notes the fields the export speaks for.
    mutating func person(_ contact: SalesforceContact, id: String, boss: String?, _ columns: CSVColumns) -> PlanEntry {
        func value(_ column: String) -> String? { columns.value(column, in: contact.fields) }
        var entry = PlanEntry(kind: "stakeholder", id: id, title: contact.name)
        if let title = value("Title") { entry.fields.append(.init("title", .text(title))) }
        if let department = value("Department") { entry.fields.append(.init("unit", .word(unit(department)))) }
        if let boss { entry.fields.append(.init("reports_to", .word(boss))) }
        if let email = value("Email") { entry.fields.append(.init("email", .text(email))) }
        if let phone = value("Phone") { entry.fields.append(.init("note", .text("Phone: \(phone)"))) }
        entry.fields.append(.init("crm_id", .text(contact.sfID)))
        // A manager the export names but nobody knows stays as the plan has it.
        let spoken: [(String, Bool)] = [("title", columns.has("Title")), ("unit", columns.has("Department")),
                                        ("reports_to", columns.has("ReportsToId") && (contact.managerID == nil || boss != nil)),
                                        ("email", columns.has("Email"))]
        crmFields[id] = Set(["name", "crm_id"] + spoken.filter(\.1).map(\.0))
        return entry
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
        // A plan in another currency than US dollars says so on its account.
        var account: [PlanEntry] = []
        if options.currency != .usd {
            account.append(PlanEntry(kind: "account", id: "account", title: accountName ?? self.account.map { "Account \($0)" } ?? "Imported account",
                                     fields: [.init("currency", .word(options.currency.code))]))
        }
        document.entries = account + units + people + deals
        func ordered(_ problems: [ImportProblem]) -> [ImportProblem] { problems.sorted { ($0.file, $0.row ?? 0) < ($1.file, $1.row ?? 0) } }
        var result = ImportResult(document: document, badRows: ordered(badRows), fatal: fatal, warnings: ordered(warnings))
        result.droppedFields = ordered(droppedFields)
        result.crmFields = crmFields
        result.recordKeys = recordKeys
        result.exportedKeys = exportedKeys
        return result
    }
}

/// One contact row as read, before ids are handed out.
struct SalesforceContact {
    var row: Int
    var sfID: String
    var name: String
    var fields: [String]
    var manager: String?
    var managerID: String?
}

extension String {
    /// The string, or nil when it is empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
