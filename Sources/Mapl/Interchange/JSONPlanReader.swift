// Reads the JSON that `mapl export --format json` writes (docs/json-schema.md) back
// into a plan document. Every problem names its place as a JSON path
// (`$.entities.stakeholder[3].fields.support`); members the schema does not know are
// ignored, as the schema asks of readers, except inside an entity's `fields` and the
// kinds under `entities`, where an unknown name is an error.

import Foundation

public enum JSONPlanReader {
    /// The plan in `text`; every problem found is in `fatal` (then the document is
    /// not to be written: nothing is half read).
    public static func read(_ text: String, file: String) -> ImportResult {
        switch JSONParser.parse(text) {
        case .failure(let error):
            let problem = ImportProblem(file: file, place: "line \(error.line), column \(error.column)", message: error.message)
            return ImportResult(document: PlanDocument(), badRows: [], fatal: [problem], warnings: [])
        case .success(let json):
            var reader = PlanJSONDecoder(file: file)
            let document = reader.document(json)
            return ImportResult(document: document, badRows: [], fatal: reader.problems, warnings: [])
        }
    }
}

struct PlanJSONDecoder {
    let file: String
    var problems: [ImportProblem] = []
    /// Declared ids and their kinds, for checking references.
    var kindOfID: [String: String] = [:]
    /// The plan's currency: every amount in the document is in it.
    var currency = Currency.usd

    init(file: String) { self.file = file }

    mutating func fail(_ path: String, _ message: String, hint: String? = nil) {
        problems.append(ImportProblem(file: file, place: path, message: message, hint: hint))
    }

    static func member(_ json: JSON, _ name: String) -> JSON? {
        guard case .object(let members) = json else { return nil }
        return members.first { $0.0 == name }?.1
    }

    static func describe(_ json: JSON) -> String {
        switch json {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text): return "the number \(text)"
        case .string(let text): return "the string \(quote(text))"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    // MARK: - The document

    mutating func document(_ json: JSON) -> PlanDocument {
        var document = PlanDocument()
        guard case .object = json else { fail("$", "expected an object with \"format\": \"mapl-plan\", found \(PlanJSONDecoder.describe(json))"); return document }
        if PlanJSONDecoder.member(json, "format") != .string("mapl-plan") {
            fail("$.format", "expected \"mapl-plan\", found \(PlanJSONDecoder.member(json, "format").map(PlanJSONDecoder.describe) ?? "nothing")",
                 hint: "this reads the JSON that `mapl export --format json` writes")
            return document
        }
        switch PlanJSONDecoder.member(json, "version") {
        case .number("1")?: break
        case let other?:
            fail("$.version", "unsupported version \(PlanJSONDecoder.describe(other)); this mapl reads version \(PlanExport.jsonVersion)")
            return document
        case nil:
            fail("$.version", "missing: expected \"version\": \(PlanExport.jsonVersion)")
            return document
        }
        guard case .object(let kinds)? = PlanJSONDecoder.member(json, "entities") else {
            fail("$.entities", "expected an object of entities by kind, found \(PlanJSONDecoder.member(json, "entities").map(PlanJSONDecoder.describe) ?? "nothing")")
            return document
        }
        switch PlanJSONDecoder.member(json, "currency") {
        case .string(let code)?:
            guard let named = Currency(code: code) else {
                fail("$.currency", "'\(code)' is not a currency mapl knows", hint: "one of \(Scales.currency.values.map(\.name).joined(separator: ", "))")
                return document
            }
            currency = named
        case let other?:
            fail("$.currency", "expected a currency code such as \"EUR\", found \(PlanJSONDecoder.describe(other))")
            return document
        case nil:
            break  // written before plans had currencies: US dollars
        }
        // Ids first, so that references may point forward.
        var entities: [(kind: EntityKind, path: String, json: JSON)] = []
        for (name, list) in kinds {
            let path = "$.entities.\(name)"
            guard let kind = Schema.kind(named: name) else {
                fail(path, "unknown kind '\(name)'", hint: suggestion(for: name, among: Schema.kinds.map(\.name)).map { "did you mean '\($0)'?" })
                continue
            }
            guard case .array(let items) = list else { fail(path, "expected an array of \(kind.plural), found \(PlanJSONDecoder.describe(list))"); continue }
            if kind.isSingleton && items.count > 1 { fail(path, "a plan has at most one \(kind.name), found \(items.count)") }
            for (index, item) in items.enumerated() {
                let itemPath = "\(path)[\(index)]"
                entities.append((kind, itemPath, item))
                declare(kind, itemPath, item)
            }
        }
        for (kind, path, item) in entities {
            if let entry = entry(kind, path, item) { document.entries.append(entry) }
        }
        document.imports = imports(json)
        document.definitions = code(json, "definitions")
        document.rules = code(json, "rules")
        return document
    }

    /// Records an entity's id (checked: a valid, unique identifier).
    mutating func declare(_ kind: EntityKind, _ path: String, _ json: JSON) {
        switch PlanJSONDecoder.member(json, "id") {
        case .string(let id)?:
            guard IdentifierAllocator.isValidID(id) else {
                fail("\(path).id", "'\(id)' is not a valid id", hint: "ids are letters, digits and '_', not starting with a digit, and not a keyword")
                return
            }
            if let other = kindOfID[id] { fail("\(path).id", "id '\(id)' is already used by \(article(other))"); return }
            kindOfID[id] = kind.name
        case .null?, nil:
            if !Resolver.idOptional.contains(kind.name) { fail("\(path).id", "\(article(kind.name)) needs an id") }
        case let other?:
            fail("\(path).id", "expected a string or null, found \(PlanJSONDecoder.describe(other))")
        }
    }

    mutating func entry(_ kind: EntityKind, _ path: String, _ json: JSON) -> PlanEntry? {
        guard case .object = json else { fail(path, "expected an object with id, title and fields, found \(PlanJSONDecoder.describe(json))"); return nil }
        var entry = PlanEntry(kind: kind.name)
        if case .string(let id)? = PlanJSONDecoder.member(json, "id") { entry.id = id }
        switch PlanJSONDecoder.member(json, "title") {
        case .string(let title)?: entry.title = title
        case .null?, nil: break
        case let other?: fail("\(path).title", "expected a string or null, found \(PlanJSONDecoder.describe(other))")
        }
        switch PlanJSONDecoder.member(json, "fields") {
        case .object(let fields)?:
            var seen: Set<String> = []
            for (name, value) in fields {
                let fieldPath = "\(path).fields.\(name)"
                guard let spec = kind.field(name) else {
                    fail(fieldPath, "\(kind.name) has no field '\(name)'", hint: suggestion(for: name, among: kind.fields.map(\.name)).map { "did you mean '\($0)'?" })
                    continue
                }
                guard seen.insert(name).inserted else { fail(fieldPath, "field '\(name)' is given twice"); continue }
                if case .null = value { continue }  // the schema leaves unset fields out; null means the same
                if let decoded = self.value(value, spec.type, fieldPath) { entry.fields.append(.init(name, decoded)) }
            }
        case .null?, nil: break
        case let other?: fail("\(path).fields", "expected an object, found \(PlanJSONDecoder.describe(other))")
        }
        return entry
    }

    // MARK: - Values

    /// A field value decoded by its schema type; nil (with a problem) when it does not fit.
    /// An object read as a map: each key a value of `keys` (an id, a level), each value
    /// of `values`; nil (with every problem reported) when any is wrong.
    private mutating func map(_ members: [(String, JSON)], keys: FieldType, values valueType: FieldType, _ path: String) -> FieldValue? {
        var entries: [FieldValue.MapEntry] = []
        var complete = true
        for (key, item) in members {
            let keyPath = "\(path).\(key)"
            if value(.string(key), keys, keyPath) == nil { complete = false; continue }
            guard let decoded = value(item, valueType, keyPath) else { complete = false; continue }
            entries.append(.init(key, decoded))
        }
        return complete ? .map(entries) : nil
    }

    mutating func value(_ json: JSON, _ type: FieldType, _ path: String) -> FieldValue? {
        // The self-describing forms are accepted wherever their type is expected.
        if case .object(let members) = json, members.count == 1, let (tag, inner) = members.first,
           let innerType = PlanJSONDecoder.tagged(tag, fits: type) {
            return value(inner, innerType, "\(path).\(tag)")
        }
        func wrong() -> FieldValue? {
            fail(path, "expected \(PlanJSONDecoder.expectation(type)), found \(PlanJSONDecoder.describe(json))")
            return nil
        }
        switch (type, json) {
        case (.text, .string(let text)): return .text(text)
        case (.number, .number(let text)), (.measure, .number(let text)):
            guard let number = Double(text), number.isFinite else { return wrong() }
            return .number(number)
        case (.money, .number(let text)):
            guard let money = PlanJSONDecoder.money(text) else { fail(path, "\(text) is not an amount of money (at most two decimals)"); return nil }
            return .money(Money(cents: money.cents, currency: currency))
        case (.percent, .number(let text)):
            guard let fraction = Double(text), (0...1).contains(fraction) else { fail(path, "expected a fraction from 0 to 1 (40% is 0.4), found \(text)"); return nil }
            return .percent(fraction)
        case (.date, .string(let text)):
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard text.count == 10, parts.count == 3, let day = Day(year: Int(parts[0]) ?? 0, month: Int(parts[1]) ?? 0, day: Int(parts[2]) ?? 0) else {
                fail(path, "'\(text)' is not a date (YYYY-MM-DD)")
                return nil
            }
            return .date(day)
        case (.duration, .string(let text)):
            guard let duration = PlanJSONDecoder.duration(text) else { fail(path, "'\(text)' is not an ISO 8601 duration like P90D or P1Y6M"); return nil }
            return .duration(duration)
        case (.bool, .bool(let flag)): return .bool(flag)
        case (.level(let scale), .string(let name)):
            guard let level = scale.value(named: name) else {
                fail(path, "'\(name)' is not \(article(scale.name)) level",
                     hint: (suggestion(for: name, among: scale.allNames).map { "did you mean '\($0)'? " } ?? "") + "the levels are " + scale.values.map(\.name).joined(separator: ", "))
                return nil
            }
            return .word(level.name)
        case (.level(let scale), .number(let text)):
            guard let range = scale.numericRange else { return wrong() }
            guard let number = Double(text), range.contains(number) else { fail(path, "\(text) is outside \(formatNumber(range.lowerBound)) to \(formatNumber(range.upperBound))"); return nil }
            return range == 0...1 ? .percent(number) : .number(number)
        case (.ref(let kinds), .string(let id)):
            guard let kind = kindOfID[id] else {
                fail(path, "unknown \(kinds.joined(separator: " or ")) '\(id)'", hint: suggestion(for: id, among: kindOfID.filter { kinds.contains($0.value) }.keys).map { "did you mean '\($0)'?" })
                return nil
            }
            guard kinds.contains(kind) else { fail(path, "'\(id)' is \(article(kind)), expected \(kinds.map(article).joined(separator: " or "))"); return nil }
            return .word(id)
        case (.texts, .array(let items)), (.levels, .array(let items)), (.refs, .array(let items)):
            let itemType: FieldType
            switch type {
            case .levels(let scale): itemType = .level(scale)
            case .refs(let kinds): itemType = .ref(kinds)
            default: itemType = .text
            }
            let decoded = items.enumerated().map { value($1, itemType, "\(path)[\($0)]") }
            let found = decoded.compactMap { $0 }
            return found.count == decoded.count ? .list(found) : nil
        case (.refMap(let kinds, let valueType), .object(let members)):
            return map(members, keys: .ref(kinds), values: valueType, path)
        case (.levelMap(let scale, let valueType), .object(let members)):
            return map(members, keys: .level(scale), values: valueType, path)
        case (.function, .object):
            guard case .string(let source)? = PlanJSONDecoder.member(json, "source") else { fail(path, "expected {\"source\": \"fn(o) => …\"}"); return nil }
            return .code(source)
        default:
            return wrong()
        }
    }

    /// The type of the value inside a self-describing form like `{"money": 5}`, when
    /// the form stands for a value of `type`.
    static func tagged(_ tag: String, fits type: FieldType) -> FieldType? {
        switch (tag, type) {
        case ("money", .money), ("money", .measure): return .money
        case ("percent", .percent), ("percent", .measure): return .percent
        case ("number", .number), ("number", .measure): return .number
        case ("date", .date), ("duration", .duration), ("level", .level), ("symbol", .level), ("ref", .ref): return type
        default: return nil
        }
    }

    /// What a type looks like in JSON, for messages.
    static func expectation(_ type: FieldType) -> String {
        switch type {
        case .text: return "a string"
        case .texts: return "an array of strings"
        case .number: return "a number"
        case .money: return "an amount of money (a number)"
        case .percent: return "a fraction from 0 to 1"
        case .date: return "a date string (YYYY-MM-DD)"
        case .duration: return "an ISO 8601 duration string (P90D)"
        case .bool: return "true or false"
        case .level(let scale): return article(scale.name) + " level name" + (scale.numericRange == nil ? "" : " or a number")
        case .levels(let scale): return "an array of \(scale.name) level names"
        case .ref(let kinds): return "the id of " + kinds.map(article).joined(separator: " or ")
        case .refs: return "an array of ids"
        case .refMap: return "an object from ids to values"
        case .levelMap(let scale, _): return "an object from \(scale.name) level names to values"
        case .function: return "{\"source\": \"fn(o) => …\"}"
        case .measure: return "{\"money\": N}, {\"number\": N} or {\"percent\": F}"
        }
    }

    /// An exact amount from JSON number text (`1100000`, `99.95`, `-0.5`); other
    /// spellings (exponents) through a double, rounded to the cent.
    /// An amount with its currency unstated: the document's (see `currency`).
    static func money(_ text: String) -> Money? {
        let negative = text.hasPrefix("-")
        let digits = negative ? String(text.dropFirst()) : text
        if digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
            let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, parts.count < 2 || parts[1].count <= 2, let money = Lexer.money(digits: digits, scale: 1, currency: .unstated) else { return nil }
            return negative ? money.with(cents: -money.cents) : money
        }
        return Double(text).flatMap { Money(amount: $0, currency: .unstated) }
    }

    /// `P90D`, `P1Y6M`, `P2W`, `-P3M`.
    static func duration(_ text: String) -> Duration? {
        var rest = Substring(text)
        let negative = rest.hasPrefix("-")
        if negative { rest = rest.dropFirst() }
        guard rest.hasPrefix("P"), rest.count > 1 else { return nil }
        rest = rest.dropFirst()
        var months = 0, days = 0, number = ""
        for character in rest {
            if character.isASCII && character.isNumber { number.append(character); continue }
            guard let count = Int(number), count < 1_000_000 else { return nil }
            number = ""
            switch character {
            case "Y": months += count * 12
            case "M": months += count
            case "W": days += count * 7
            case "D": days += count
            default: return nil
            }
        }
        guard number.isEmpty else { return nil }
        return Duration(months: Int32(negative ? -months : months), days: Int32(negative ? -days : days))
    }
}
