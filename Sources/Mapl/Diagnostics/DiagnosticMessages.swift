// The one place that owns the wording of every diagnostic.

extension DiagnosticKind {
    /// The one-line message shown after `error:`.
    public var message: String {
        switch self {
        case .unexpectedCharacter(let text): return "unexpected character '\(text)'"
        case .unexpectedCharacters(let text): return "unexpected characters '\(text)'"
        case .notText(let reason): return "this file is not text: \(reason)"
        case .moreErrors(let count): return "… and \(count) more syntax error\(count == 1 ? "" : "s") in this file"
        case .invalidUTF8: return "source is not valid UTF-8"
        case .unterminatedString: return "unterminated string"
        case .invalidEscape(let text):
            let visible = text == "\n" ? "n' (a line break)" : text == "\r" ? "r' (a line break)" : text + "'"
            return text == "\n" || text == "\r" ? "invalid escape: '\\' at the end of a line" : "invalid escape '\\\(visible) in string"
        case .malformedNumber(let text): return "malformed number '\(text)'"
        case .unknownSuffix(let literal, let suffix): return "unknown suffix '\(suffix)' on '\(literal)'"
        case .ambiguousSuffix(let literal): return "ambiguous suffix 'm' on '\(literal)'"
        case .invalidDate(let literal, let reason): return "invalid date '\(literal)': \(reason)"
        case .malformedMoney(let text): return "malformed money amount '\(text)'"
        case .numberTooLarge(let text): return "number '\(text.count > 24 ? text.prefix(20) + "…" : text)' is too large"
        case .expected(let what, let found): return "expected \(what), found \(found)"
        case .expectedExpression(let found): return "expected an expression, found \(found)"
        case .nestingTooDeep(let limit): return "nesting is too deep (more than \(limit) levels)"
        case .comparisonTooDeep(let limit): return "these values are nested too deep to compare (more than \(limit) levels of lists or records)"
        case .expressionTooLong(let limit): return "this expression is too long (more than \(limit) operators, calls or clauses in a row)"
        case .invalidAssignmentTarget: return "cannot assign to this expression"
        case .callOnNewLine: return "'(' or '[' on a new line starts a new statement"
        case .unknownField(let kind, let field, _): return "\(kind) has no field '\(field)'"
        case .missingField(let kind, let field): return "\(article(kind)) needs \(article(field).prefix(while: { $0 != " " })) '\(field)' field"
        case .duplicateField(let field): return "field '\(field)' is given twice"
        case .notOnScale(let value, let scale, _, _): return "'\(value)' is not \(article(scale)) level"
        case .unknownEntity(let kind, let id, _): return "unknown \(kind) '\(id)'"
        case .wrongFieldType(let field, let expected, let found): return "'\(field)' must be \(expected), found \(found)"
        case .outOfRange(let field, let value, let range): return "'\(field)' is \(value), outside \(range)"
        case .singletonRedeclared(let kind): return "the plan already has \(article(kind))"
        case .idRequired(let kind): return "\(article(kind)) needs an id"
        case .importNotFound(let path, let reason): return "cannot import '\(path)': \(reason)"
        case .importCycle(let path, let direct): return direct ? "'\(path)' imports itself" : "'\(path)' imports itself (through other files)"
        case .stdlibModuleNotFound(let path, let modules):
            return modules.isEmpty ? "cannot import '\(path)': the standard library was not found" : "cannot import '\(path)': the standard library has no such module"
        case .ruleViolation(let rule, let message): return "\(message) [\(rule)]"
        case .checkFinding(let check, let message, _): return "\(message) [\(check)]"
        case .idleStatement: return "this line computes a value and does nothing with it"
        case .declarationInBlock(let kind): return "'\(kind)' must be declared at the top level of a file"
        case .undefinedName(let name, _): return "undefined name '\(name)'"
        case .duplicateDeclaration(let name): return "'\(name)' is already declared in this scope"
        case .duplicateKey(let name): return "duplicate field '\(name)' in record"
        case .wrongArity(let name, let expected, let got):
            return "'\(name)' takes \(expected), but \(got) \(got == 1 ? "was" : "were") given"
        case .returnOutsideFunction: return "'return' outside a function"
        case .loopControlOutsideLoop(let keyword): return "'\(keyword)' outside a loop"
        case .controlFlowInValueIf(let keyword): return "'\(keyword)' cannot leave an 'if' whose value is used"
        case .assignToConstant(let name, let what): return "cannot assign to \(what) '\(name)'"
        case .usedBeforeDeclaration(let name): return "'\(name)' is used before its declaration"
        case .typeMismatch(let operation, let left, let right):
            if operation == "look for" { return "cannot look for \(article(left)) in \(article(right))" }
            return "cannot \(operation) \(left) and \(right)"
        case .currencyMismatch(let operation, let left, let right): return "cannot \(operation) amounts in \(left) and \(right)"
        case .noExchangeRate(let from, let to): return "an amount in \(from) in a plan in \(to), with no rate for \(from)"
        case .currencyChanged(let from, let to): return "the plan's currency cannot change from \(from) to \(to) once amounts are declared in it"
        case .unaryTypeMismatch(let operation, let operand): return "cannot \(operation) \(operand)"
        case .divisionByZero: return "division by zero"
        case .notCallable(let type): return "\(type) is not a function"
        case .indexOutOfRange(let index, let count):
            return "index \(index) is out of range for a list of \(count) item\(count == 1 ? "" : "s")"
        case .stringIndexOutOfRange(let index, let count):
            return "index \(index) is out of range for a string of \(count) character\(count == 1 ? "" : "s")"
        case .invalidIndex(let container, let index): return "cannot index \(container) with \(index)"
        case .noSuchField(let field, let on, _): return "\(on) has no field '\(field)'"
        case .assertionFailed(let message): return message.map { "assertion failed: \($0)" } ?? "assertion failed"
        case .callDepthExceeded(let limit): return "call depth exceeded (limit \(limit) nested calls)"
        case .overflow(let what): return what == "date" ? "date is out of range (years 1 to 9999)" : "\(what) is too large"
        case .sizeLimit(let what): return what
        case .memoryBudget(let budget): return "the program's values take more than \(budget) of memory"
        case .notIterable(let type): return "cannot loop over \(type)"
        case .invalidArgument(let function, let message): return "\(function): \(message)"
        case .conditionNotBool(let type): return "condition must be true or false, found \(type)"
        case .interrupted: return "interrupted"
        }
    }

    /// An optional second line telling the user how to fix it.
    public var hint: String? {
        switch self {
        case .unexpectedCharacter, .unexpectedCharacters: return nil
        case .notText: return "mapl reads plan and script files: UTF-8 text"
        case .moreErrors: return "fix the first errors: later ones often follow from them"
        case .invalidUTF8: return "save the file as UTF-8"
        case .unterminatedString: return "close the string with '\"'"
        case .invalidEscape: return "valid escapes are \\n \\t \\r \\0 \\\" \\\\ \\{ \\} and \\u{XXXX}"
        case .malformedNumber: return nil
        case .unknownSuffix:
            return "amounts take k, M or B (250k, $1.2M); durations take d, w, mo, q or y (90d, 3mo); percentages take %"
        case .ambiguousSuffix: return "write M for millions ($1.2M) or mo for months (3mo)"
        case .invalidDate: return "dates are written YYYY-MM-DD, e.g. 2027-03-31"
        case .malformedMoney: return "write amounts like $1,200, $1.2M or 250k"
        case .numberTooLarge: return nil
        case .expected, .expectedExpression: return nil
        case .comparisonTooDeep: return nil
        case .nestingTooDeep, .expressionTooLong: return "split the expression with 'let' bindings or helper functions"
        case .invalidAssignmentTarget: return "assign to a name, a field (r.x) or an item (xs[0])"
        case .callOnNewLine: return "put '(' or '[' on the same line as what it calls or indexes"
        case .unknownField(_, _, let suggestion): return suggestion.map { "did you mean '\($0)'?" }
        case .missingField: return nil
        case .duplicateField: return nil
        case .notOnScale(_, _, let suggestion, let values):
            return (suggestion.map { "did you mean '\($0)'? " } ?? "") + "the levels are " + values.joined(separator: ", ")
        case .unknownEntity(_, _, let suggestion): return suggestion.map { "did you mean '\($0)'?" }
        case .wrongFieldType(_, let expected, let found):
            if expected == "money" && found == "number" { return "write amounts with '$' or a k/M/B suffix, e.g. $100 or 250k" }
            if expected == "a percentage" && found == "number" { return "write percentages with '%', e.g. 40%" }
            return nil
        case .outOfRange: return nil
        case .singletonRedeclared: return "put all of its fields in one declaration"
        case .idRequired(let kind): return "write '\(kind) some_id \"Title\" { … }'"
        case .importNotFound(_, let reason): return reason == "no such file" ? "import paths are relative to the importing file" : nil
        case .importCycle: return nil
        case .stdlibModuleNotFound(let path, let modules):
            guard !modules.isEmpty else { return "set MAPL_STDLIB to the folder that holds its .mapl files" }
            let near = suggestion(for: path, among: modules.map { Stdlib.importPrefix + $0 }).map { "did you mean '\($0)'? " } ?? ""
            return near + "the modules are " + modules.map { Stdlib.importPrefix + $0 }.joined(separator: ", ")
        case .ruleViolation: return nil
        case .idleStatement(let startsWithSign):
            return startsWithSign
                ? "a line starting with + or - begins a new statement: to go on with the line above, end that line with the operator"
                : "keep the value (let x = …) or show it (print(…))"
        case .checkFinding(let check, _, let hint): return "\(hint) (plan { skip_checks: [\(check)] } turns this check off)"
        case .declarationInBlock: return nil
        case .undefinedName(_, let suggestion): return suggestion.map { "did you mean '\($0)'?" }
        case .duplicateDeclaration: return "choose another name (a variable declared with 'let' is changed with '=')"
        case .duplicateKey: return nil
        case .wrongArity: return nil
        case .returnOutsideFunction: return nil
        case .loopControlOutsideLoop: return nil
        case .controlFlowInValueIf: return "write the 'if' as a statement of its own"
        case .assignToConstant: return "declare a new name with 'let'"
        case .usedBeforeDeclaration: return "move the 'let' above its first use"
        case .typeMismatch(let operation, let left, let right):
            if left == "string" || right == "string", operation == "add" {
                return "use interpolation to join text and values: \"total: {x}\""
            }
            if (left == "money" && right == "number") || (left == "number" && right == "money"),
               ["add", "subtract", "compare"].contains(operation) {
                return "write amounts with a '$' or a k/M/B suffix, e.g. $0 or 250k"
            }
            return nil
        case .currencyMismatch(_, let left, _): return "convert one amount first: convert(amount, \"\(left)\") uses the rates the plan's account declares"
        case .noExchangeRate(let from, let to):
            return "declare the rate on the account, rates: { \(from): N } where one \(from) is worth N \(to), or write the amount in \(to)"
        case .currencyChanged: return "declare the account's currency before the amounts, or :reset and :load the plan again"
        case .unaryTypeMismatch: return nil
        case .divisionByZero: return nil
        case .notCallable: return nil
        case .indexOutOfRange, .stringIndexOutOfRange: return "indexes start at 0; negative indexes count from the end"
        case .invalidIndex: return nil
        case .noSuchField(_, _, let suggestion): return suggestion.map { "did you mean '\($0)'?" }
        case .assertionFailed: return nil
        case .callDepthExceeded: return "a function probably calls itself without end"
        case .overflow: return nil
        case .sizeLimit: return "a loop that doubles a list or a text never ends well; check its condition"
        case .memoryBudget: return "keep fewer values at once, or allow more with mapl --max-memory SIZE (e.g. 8G)"
        case .notIterable: return "loop over a list, a range (1..10), a record or a string"
        case .invalidArgument: return nil
        case .conditionNotBool: return "compare explicitly, e.g. 'if x != nil' or 'if n > 0'"
        case .interrupted: return nil
        }
    }
}

/// The closest candidate to a misspelt name, if one is close enough to suggest.
public func suggestion(for name: String, among candidates: some Sequence<String>) -> String? {
    let target = Array(name.lowercased().unicodeScalars)
    var best: (name: String, distance: Int)?
    for candidate in candidates where candidate != name {
        let distance = editDistance(target, Array(candidate.lowercased().unicodeScalars))
        let limit = max(1, min(target.count, candidate.count) / 3)
        if distance <= limit, best.map({ distance < $0.distance || (distance == $0.distance && candidate < $0.name) }) ?? true {
            best = (candidate, distance)
        }
    }
    return best?.name
}

/// Levenshtein distance with adjacent transpositions counted as one edit.
func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previousPrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = Swift.min(current[j], previousPrevious[j - 2] + 1)
            }
        }
        (previousPrevious, previous, current) = (previous, current, previousPrevious)
    }
    return previous[b.count]
}
