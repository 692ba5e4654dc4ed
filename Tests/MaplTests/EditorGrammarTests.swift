// The highlighting grammars in editors/, held to the language. The Vim syntax is loaded
// in a headless Vim (no terminal, no swap file, no vimrc); the VS Code TextMate grammar
// is run by a small TextMate tokenizer here (its own regular expressions, by ICU rather
// than Oniguruma). Both must highlight a sample as intended, agree with the lexer on every
// literal, string, keyword and operator of the examples and the standard library, and
// know every keyword, entity kind, built-in, scale word, collection and field name.

import Foundation
import Testing
@testable import Mapl

@Suite("Editor grammars (editors/vim, editors/vscode)")
struct EditorGrammarTests {
    // MARK: - The sample

    /// One position of the sample and the highlight both grammars give it: the Vim
    /// group the mapl group links to (or the mapl group, when it has no link; "" for
    /// none) and the TextMate grammar's innermost scope.
    struct Probe: CustomStringConvertible {
        var line: Int
        var text: String
        var offset = 0
        var vim: String
        var textMate: String
        var description: String { "line \(line + 1) at '\(text)'+\(offset)" }
    }

    static let sample = #"""
        #!/usr/bin/env mapl
        # Globex: who matters, and the money.
        import "std/rules"
        account globex "Globex" { revenue_goal: $5.5M, close_ratio: 35%, currency: EUR }
        stakeholder dana "Dana Wright" { title: "COO", support: champion, influence: high, last_contact: 2026-06-01 }
        influence dana -> raj strong
        conflict tom <-> nadia
        plan { review_every: 6w }
        rule big_deals "Large deals need a coach" for o in opportunities {
          when: o.open and o.value > €500k
          expect: coach in o.roles
          message: "{o.name} has no coach\n{ {a: 1}.a } \{x\}"
        }
        fn roti(o) => o.egp / o.hours
        let p = pipeline()
        let xs = [1, 2.5, 1_000, 90d, 3mo, CHF 1,200, £250k, 250k, 1..3, 3m]
        print(stakeholders where support < .neutral sort by influence desc take 3)
        for s in stakeholders { if s.support == nil { continue } }
        let y = p.won ?? 0
        while false { break }
        print(opportunities where len(missing_roles(it)) > 0)
        unit it "IT" { parent: it }
        """#

    static let probes: [Probe] = [
        Probe(line: 0, text: "mapl", vim: "Comment", textMate: "comment.line.number-sign.mapl"),
        Probe(line: 1, text: "Globex", vim: "Comment", textMate: "comment.line.number-sign.mapl"),
        Probe(line: 2, text: "import", vim: "Include", textMate: "keyword.control.import.mapl"),
        Probe(line: 2, text: "std/", vim: "String", textMate: "string.quoted.double.mapl"),
        Probe(line: 3, text: "account", vim: "Structure", textMate: "storage.type.kind.mapl"),
        Probe(line: 3, text: "globex", vim: "Function", textMate: "entity.name.type.mapl"),
        Probe(line: 3, text: "revenue_goal", vim: "Identifier", textMate: "support.type.property-name.mapl"),
        Probe(line: 3, text: "$5.5M", vim: "Number", textMate: "constant.numeric.money.mapl"),
        Probe(line: 3, text: "$5.5M", offset: 4, vim: "Number", textMate: "constant.numeric.money.mapl"),
        Probe(line: 3, text: "35%", offset: 2, vim: "Number", textMate: "constant.numeric.percent.mapl"),
        Probe(line: 3, text: "EUR", vim: "Constant", textMate: "constant.language.currency.mapl"),
        Probe(line: 4, text: "stakeholder", vim: "Structure", textMate: "storage.type.kind.mapl"),
        Probe(line: 4, text: "dana", vim: "Function", textMate: "entity.name.type.mapl"),
        Probe(line: 4, text: "Wright", vim: "String", textMate: "string.quoted.double.mapl"),
        Probe(line: 4, text: "title", vim: "Identifier", textMate: "support.type.property-name.mapl"),
        Probe(line: 4, text: "champion", vim: "Constant", textMate: "constant.language.scale.mapl"),
        Probe(line: 4, text: "high", vim: "Constant", textMate: "constant.language.scale.mapl"),
        Probe(line: 4, text: "2026-06-01", vim: "Number", textMate: "constant.numeric.date.mapl"),
        Probe(line: 4, text: "2026-06-01", offset: 9, vim: "Number", textMate: "constant.numeric.date.mapl"),
        Probe(line: 5, text: "influence", vim: "Structure", textMate: "storage.type.kind.mapl"),
        Probe(line: 5, text: "dana", vim: "", textMate: "source.mapl"),
        Probe(line: 5, text: "->", vim: "Operator", textMate: "keyword.operator.arrow.mapl"),
        Probe(line: 5, text: "strong", vim: "Constant", textMate: "constant.language.scale.mapl"),
        Probe(line: 6, text: "conflict", vim: "Structure", textMate: "storage.type.kind.mapl"),
        Probe(line: 6, text: "<->", offset: 1, vim: "Operator", textMate: "keyword.operator.arrow.mapl"),
        Probe(line: 7, text: "plan", vim: "Structure", textMate: "storage.type.kind.mapl"),
        Probe(line: 7, text: "6w", offset: 1, vim: "Number", textMate: "constant.numeric.duration.mapl"),
        Probe(line: 8, text: "rule", vim: "Structure", textMate: "storage.type.rule.mapl"),
        Probe(line: 8, text: "big_deals", vim: "Function", textMate: "entity.name.function.rule.mapl"),
        Probe(line: 8, text: "Large", vim: "String", textMate: "string.quoted.double.mapl"),
        Probe(line: 8, text: "for", vim: "Repeat", textMate: "keyword.control.loop.mapl"),
        Probe(line: 8, text: " in ", offset: 1, vim: "Operator", textMate: "keyword.operator.logical.mapl"),
        Probe(line: 8, text: "opportunities", vim: "Identifier", textMate: "support.variable.collection.mapl"),
        Probe(line: 9, text: "when", vim: "Identifier", textMate: "support.type.property-name.mapl"),
        Probe(line: 9, text: "open", vim: "maplMember", textMate: "variable.other.property.mapl"),
        Probe(line: 9, text: "and", vim: "Operator", textMate: "keyword.operator.logical.mapl"),
        Probe(line: 9, text: "€500k", vim: "Number", textMate: "constant.numeric.money.mapl"),
        Probe(line: 9, text: "€500k", offset: 4, vim: "Number", textMate: "constant.numeric.money.mapl"),
        Probe(line: 10, text: "coach", vim: "Constant", textMate: "constant.language.scale.mapl"),
        Probe(line: 11, text: "\"{", offset: 1, vim: "SpecialChar", textMate: "punctuation.section.embedded.begin.mapl"),
        Probe(line: 11, text: "o.name", vim: "maplInterpolation", textMate: "meta.embedded.line.mapl"),
        Probe(line: 11, text: "} has", vim: "SpecialChar", textMate: "punctuation.section.embedded.end.mapl"),
        Probe(line: 11, text: "has no", vim: "String", textMate: "string.quoted.double.mapl"),
        Probe(line: 11, text: "\\n", offset: 1, vim: "SpecialChar", textMate: "constant.character.escape.mapl"),
        Probe(line: 11, text: "{a: 1}", offset: 1, vim: "Identifier", textMate: "support.type.property-name.mapl"),
        Probe(line: 11, text: "{a: 1}", offset: 4, vim: "Number", textMate: "constant.numeric.decimal.mapl"),
        Probe(line: 11, text: ".a } ", offset: 3, vim: "SpecialChar", textMate: "punctuation.section.embedded.end.mapl"),
        Probe(line: 11, text: "\\{x", offset: 1, vim: "SpecialChar", textMate: "constant.character.escape.mapl"),
        Probe(line: 11, text: "{x", offset: 1, vim: "String", textMate: "string.quoted.double.mapl"),
        Probe(line: 13, text: "fn", vim: "Keyword", textMate: "storage.type.function.mapl"),
        Probe(line: 13, text: "roti", vim: "Function", textMate: "entity.name.function.mapl"),
        Probe(line: 13, text: "=>", vim: "Operator", textMate: "keyword.operator.arrow.mapl"),
        Probe(line: 14, text: "let", vim: "Keyword", textMate: "storage.type.let.mapl"),
        Probe(line: 14, text: "pipeline", vim: "Function", textMate: "support.function.builtin.mapl"),
        Probe(line: 15, text: "[1", offset: 1, vim: "Number", textMate: "constant.numeric.decimal.mapl"),
        Probe(line: 15, text: "2.5", offset: 2, vim: "Float", textMate: "constant.numeric.decimal.mapl"),
        Probe(line: 15, text: "1_000", offset: 4, vim: "Number", textMate: "constant.numeric.decimal.mapl"),
        Probe(line: 15, text: "90d", offset: 2, vim: "Number", textMate: "constant.numeric.duration.mapl"),
        Probe(line: 15, text: "3mo", offset: 2, vim: "Number", textMate: "constant.numeric.duration.mapl"),
        Probe(line: 15, text: "CHF 1,200", vim: "Number", textMate: "constant.numeric.money.mapl"),
        Probe(line: 15, text: "CHF 1,200", offset: 8, vim: "Number", textMate: "constant.numeric.money.mapl"),
        Probe(line: 15, text: "£250k", offset: 4, vim: "Number", textMate: "constant.numeric.money.mapl"),
        Probe(line: 15, text: " 250k", offset: 4, vim: "Number", textMate: "constant.numeric.money.mapl"),
        Probe(line: 15, text: "..", vim: "Operator", textMate: "keyword.operator.range.mapl"),
        Probe(line: 15, text: ", 3m]", offset: 2, vim: "Error", textMate: "invalid.illegal.number.mapl"),
        Probe(line: 16, text: "print", vim: "Function", textMate: "support.function.builtin.mapl"),
        Probe(line: 16, text: "stakeholders", vim: "Identifier", textMate: "support.variable.collection.mapl"),
        Probe(line: 16, text: "where", vim: "Keyword", textMate: "keyword.other.query.mapl"),
        Probe(line: 16, text: "support", vim: "", textMate: "source.mapl"),
        Probe(line: 16, text: "<", vim: "Operator", textMate: "keyword.operator.comparison.mapl"),
        Probe(line: 16, text: ".neutral", offset: 1, vim: "Constant", textMate: "constant.other.symbol.mapl"),
        Probe(line: 16, text: "sort", vim: "Keyword", textMate: "keyword.other.query.mapl"),
        Probe(line: 16, text: "desc", vim: "Keyword", textMate: "keyword.other.order.mapl"),
        Probe(line: 16, text: " take ", offset: 1, vim: "Keyword", textMate: "keyword.other.query.mapl"),
        Probe(line: 17, text: "if", vim: "Conditional", textMate: "keyword.control.conditional.mapl"),
        Probe(line: 17, text: "==", vim: "Operator", textMate: "keyword.operator.comparison.mapl"),
        Probe(line: 17, text: "nil", vim: "Constant", textMate: "constant.language.nil.mapl"),
        Probe(line: 17, text: "continue", vim: "Keyword", textMate: "keyword.control.loop.mapl"),
        Probe(line: 18, text: "won", vim: "maplMember", textMate: "variable.other.property.mapl"),
        Probe(line: 18, text: "??", vim: "Operator", textMate: "keyword.operator.coalesce.mapl"),
        Probe(line: 19, text: "while", vim: "Repeat", textMate: "keyword.control.loop.mapl"),
        Probe(line: 19, text: "false", vim: "Boolean", textMate: "constant.language.boolean.mapl"),
        Probe(line: 20, text: "missing_roles", vim: "Function", textMate: "support.function.builtin.mapl"),
        Probe(line: 20, text: "(it)", offset: 1, vim: "Special", textMate: "variable.language.it.mapl"),
        Probe(line: 21, text: " it ", offset: 1, vim: "Function", textMate: "entity.name.type.mapl"),
        Probe(line: 21, text: ": it", offset: 2, vim: "", textMate: "source.mapl"),
    ]

    static var sampleLines: [String] { sample.components(separatedBy: "\n") }

    /// The probe's place: its line, its UTF-16 column (TextMate) and byte column from 1 (Vim).
    static func place(_ probe: Probe, in lines: [String]) throws -> (utf16: Int, byteColumn: Int) {
        let line = lines[probe.line]
        let range = try #require(line.range(of: probe.text), "\(probe): text not on its line")
        let prefix = line[..<range.lowerBound]
        let inNeedle = probe.text.prefix(probe.offset)
        return (prefix.utf16.count + inNeedle.utf16.count, prefix.utf8.count + inNeedle.utf8.count + 1)
    }

    // MARK: - The vocabulary

    /// Scale words left out of both grammars on purpose: everyday names of variables and
    /// fields (`let open = …`, `o.done`), words that are also a kind or a built-in, and the
    /// short month names. (A bare one still means the level; it is just not coloured.)
    static let plainScaleWords: Set<String> = [
        "open", "new", "user", "none", "function", "current", "na", "may", "done", "lead", "review",
        "potential", "todo", "pipeline", "strength", "opportunity",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]

    /// Every value name of every scale but the checks' ids (skip_checks), which are many and
    /// plain names; including the currency codes.
    static var scaleWords: Set<String> {
        Set(Scales.all.filter { $0.id != Scales.check.id }.flatMap(\.allNames))
    }

    static var keywords: [String] { TokenKind.keywords.keys.sorted() }
    static var kinds: [String] { Schema.kinds.map(\.name) }
    static var builtins: [String] { Builtins.entries.map(\.name) }
    static var collections: [String] { Schema.kinds.filter { !$0.isSingleton }.map(\.plural) }
    static var fieldNames: [String] {
        Array(Set(Schema.commonFields + Schema.kinds.flatMap { $0.fields.map(\.name) })).sorted()
    }

    /// One line per word, each in a context that shows how it is highlighted, with what the
    /// two grammars must make of it (a predicate over the Vim group and over the scope).
    struct WordProbe {
        var line: String
        var word: String
        var what: String
        var vim: @Sendable (String) -> Bool
        var textMate: @Sendable (String) -> Bool
    }

    static var wordProbes: [WordProbe] {
        var probes: [WordProbe] = []
        let keywordGroups: Set<String> = ["Keyword", "Conditional", "Repeat", "Boolean", "Constant", "Operator"]
        for word in keywords {
            probes.append(WordProbe(line: "x = \(word)", word: word, what: "keyword",
                                    vim: { keywordGroups.contains($0) },
                                    textMate: { ["keyword.", "storage.type.", "constant.language."].contains(where: $0.hasPrefix) }))
        }
        for kind in kinds {
            probes.append(WordProbe(line: "\(kind) x \"Title\"", word: kind, what: "entity kind",
                                    vim: { $0 == "Structure" }, textMate: { $0 == "storage.type.kind.mapl" }))
        }
        for name in builtins {
            probes.append(WordProbe(line: "x = \(name)(1)", word: name, what: "built-in",
                                    vim: { $0 == "Function" }, textMate: { $0 == "support.function.builtin.mapl" }))
        }
        for word in scaleWords.sorted() {
            if plainScaleWords.contains(word) {
                probes.append(WordProbe(line: "x = \(word) + 1", word: word, what: "plain scale word",
                                        vim: { $0 != "Constant" }, textMate: { !$0.hasPrefix("constant.") }))
            } else {
                probes.append(WordProbe(line: "x = \(word) + 1", word: word, what: "scale word",
                                        vim: { $0 == "Constant" }, textMate: { $0.hasPrefix("constant.language.") }))
            }
        }
        for name in collections {
            probes.append(WordProbe(line: "x = \(name) + 1", word: name, what: "collection",
                                    vim: { $0 == "Identifier" }, textMate: { $0 == "support.variable.collection.mapl" }))
        }
        for field in fieldNames where TokenKind.keywords[field] == nil {
            probes.append(WordProbe(line: "  \(field): 1", word: field, what: "field name",
                                    vim: { $0 == "Identifier" }, textMate: { $0 == "support.type.property-name.mapl" }))
        }
        return probes
    }

    // MARK: - Agreement with the lexer

    /// What a token of a kind must look like: its name in messages, the Vim groups that
    /// will do (mapl's own group for literals, as they all link to Number, else the linked
    /// group) and a test of the TextMate scope.
    struct Expectation {
        var name: String
        var vim: Set<String>
        var textMate: @Sendable (String) -> Bool
    }

    static func expectation(for kind: TokenKind) -> Expectation? {
        switch kind {
        case .number: return Expectation(name: "number", vim: ["maplNumber", "maplFloat"], textMate: { $0 == "constant.numeric.decimal.mapl" })
        case .money: return Expectation(name: "money", vim: ["maplMoney"], textMate: { $0 == "constant.numeric.money.mapl" })
        case .percent: return Expectation(name: "percentage", vim: ["maplPercent"], textMate: { $0 == "constant.numeric.percent.mapl" })
        case .date: return Expectation(name: "date", vim: ["maplDate"], textMate: { $0 == "constant.numeric.date.mapl" })
        case .duration: return Expectation(name: "duration", vim: ["maplDuration"], textMate: { $0 == "constant.numeric.duration.mapl" })
        case .string, .stringHead:
            return Expectation(name: "string", vim: ["maplString"], textMate: { $0 == "punctuation.definition.string.begin.mapl" })
        case .kwLet, .kwFn, .kwReturn, .kwIf, .kwElse, .kwFor, .kwIn, .kwWhile, .kwBreak, .kwContinue,
             .kwTrue, .kwFalse, .kwNil, .kwAnd, .kwOr, .kwNot:
            return Expectation(name: "keyword", vim: ["Keyword", "Conditional", "Repeat", "Boolean", "Constant", "Operator"],
                               textMate: { ["keyword.", "storage.type.", "constant.language."].contains(where: $0.hasPrefix) })
        case .rightArrow, .twoWayArrow, .arrow, .questionQuestion, .dotDot, .plus, .minus, .star, .slash, .percentSign,
             .equal, .equalEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual,
             .plusEqual, .minusEqual, .starEqual, .slashEqual:
            return Expectation(name: "operator", vim: ["Operator"], textMate: { $0.hasPrefix("keyword.operator.") })
        default: return nil
        }
    }

    /// A token of an example file to look at: where (line from 0, UTF-16 column, byte
    /// column from 1) and what it must be.
    struct TokenSite {
        var file: String
        var line: Int
        var utf16: Int
        var byteColumn: Int
        var text: String
        var kind: TokenKind
    }

    /// Every example and standard-library file, relative to the repository root.
    static var corpus: [String] {
        let manager = FileManager.default
        var files: [String] = []
        for folder in ["examples", "stdlib"] {
            let base = MaplProcess.root.appendingPathComponent(folder)
            guard let walker = manager.enumerator(atPath: base.path) else { continue }
            for case let path as String in walker where path.hasSuffix(".mapl") { files.append("\(folder)/\(path)") }
        }
        return files.sorted()
    }

    /// The first and last character of every literal, string start, keyword and operator
    /// the lexer finds in a file.
    static func sites(of file: String) throws -> (text: String, sites: [TokenSite]) {
        let text = try String(contentsOf: MaplProcess.root.appendingPathComponent(file), encoding: .utf8)
        let lexed = Lexer.lex(SourceFile(id: 0, name: file, text: text))
        let bytes = Array(text.utf8)
        var lineStarts = [0]
        for (offset, byte) in bytes.enumerated() where byte == 10 { lineStarts.append(offset + 1) }
        func site(_ offset: Int, _ token: Token) -> TokenSite {
            var low = 0, high = lineStarts.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
            }
            let prefix = String(decoding: bytes[lineStarts[low]..<offset], as: UTF8.self)
            let tokenText = String(decoding: bytes[Int(token.start)..<Int(token.end)], as: UTF8.self)
            return TokenSite(file: file, line: low, utf16: prefix.utf16.count, byteColumn: offset - lineStarts[low] + 1,
                             text: tokenText, kind: token.kind)
        }
        var sites: [TokenSite] = []
        for token in lexed.tokens where expectation(for: token.kind) != nil {
            sites.append(site(Int(token.start), token))
            let isLiteral = [.number, .money, .percent, .date, .duration].contains(token.kind)
            if isLiteral && token.end - token.start > 1 { sites.append(site(Int(token.end) - 1, token)) }
        }
        return (text, sites)
    }

    // MARK: - TextMate grammar

    static func loadJSON(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: MaplProcess.root.appendingPathComponent(path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(path) is not a JSON object")
    }

    @Test func textMateGrammarIsWellFormed() throws {
        let grammar = try Self.loadJSON("editors/vscode/syntaxes/mapl.tmLanguage.json")
        #expect(grammar["scopeName"] as? String == "source.mapl")
        #expect(grammar["name"] as? String == "mapl")
        let repository = try #require(grammar["repository"] as? [String: Any])
        for category in ["comment", "string", "interpolation", "number", "keyword", "query", "declaration", "field-name",
                         "function-call", "scale-word", "collection", "symbol", "member", "operator"] {
            #expect(repository[category] != nil, "no repository entry '\(category)'")
        }
        // Every regular expression compiles (by ICU) and every include names a rule.
        var problems: [String] = []
        func walk(_ node: Any, _ path: String) {
            if let rule = node as? [String: Any] {
                for key in ["match", "begin", "end"] {
                    if let pattern = rule[key] as? String, (try? NSRegularExpression(pattern: pattern)) == nil {
                        problems.append("\(path).\(key): \(pattern)")
                    }
                }
                if let include = rule["include"] as? String, include != "$self", include != "$base" {
                    if !include.hasPrefix("#") || repository[String(include.dropFirst())] == nil { problems.append("\(path): include \(include)") }
                }
                for (key, value) in rule { walk(value, "\(path).\(key)") }
            } else if let list = node as? [Any] {
                for (index, value) in list.enumerated() { walk(value, "\(path)[\(index)]") }
            }
        }
        walk(grammar, "grammar")
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func vscodeExtensionManifest() throws {
        let manifest = try Self.loadJSON("editors/vscode/package.json")
        let contributes = try #require(manifest["contributes"] as? [String: Any])
        let language = try #require((contributes["languages"] as? [[String: Any]])?.first)
        #expect(language["id"] as? String == "mapl")
        #expect((language["extensions"] as? [String]) == [".mapl"])
        let grammar = try #require((contributes["grammars"] as? [[String: Any]])?.first)
        #expect(grammar["language"] as? String == "mapl" && grammar["scopeName"] as? String == "source.mapl")
        #expect(grammar["path"] as? String == "./syntaxes/mapl.tmLanguage.json")
        #expect(language["configuration"] as? String == "./language-configuration.json")
        let configuration = try Self.loadJSON("editors/vscode/language-configuration.json")
        #expect((configuration["comments"] as? [String: Any])?["lineComment"] as? String == "#")
        #expect(manifest["main"] as? String == "./extension.js")
        #expect((manifest["dependencies"] as? [String: Any])?["vscode-languageclient"] != nil)
        #expect((manifest["activationEvents"] as? [String])?.contains("onLanguage:mapl") == true)
        let client = try String(contentsOf: MaplProcess.root.appendingPathComponent("editors/vscode/extension.js"), encoding: .utf8)
        #expect(client.contains("vscode-languageclient/node") && client.contains("[\"lsp\""), "extension.js must start `mapl lsp`")
    }

    @Test func textMateGrammarHighlightsTheSample() throws {
        let tokenizer = try TextMateTokenizer(path: "editors/vscode/syntaxes/mapl.tmLanguage.json")
        let lines = Self.sampleLines
        let scopes = tokenizer.tokenize(lines)
        for probe in Self.probes {
            let place = try Self.place(probe, in: lines)
            let stack = scopes[probe.line][place.utf16]
            #expect(stack.last == probe.textMate, "\(probe): \(stack)")
        }
    }

    @Test func textMateGrammarKnowsTheVocabulary() throws {
        let tokenizer = try TextMateTokenizer(path: "editors/vscode/syntaxes/mapl.tmLanguage.json")
        let probes = Self.wordProbes
        let scopes = tokenizer.tokenize(probes.map(\.line))
        for (index, probe) in probes.enumerated() {
            let column = (probe.line as NSString).range(of: probe.word).location
            let scope = scopes[index][column].last ?? ""
            let highlighted = probe.textMate(scope)
            #expect(highlighted, "\(probe.what) '\(probe.word)': \(scope) in `\(probe.line)`")
        }
    }

    @Test func textMateGrammarAgreesWithTheLexer() throws {
        let tokenizer = try TextMateTokenizer(path: "editors/vscode/syntaxes/mapl.tmLanguage.json")
        var checked = 0, wrong = 0
        for file in Self.corpus {
            let (text, sites) = try Self.sites(of: file)
            let scopes = tokenizer.tokenize(text.components(separatedBy: "\n"))
            for site in sites {
                let expected = try #require(Self.expectation(for: site.kind))
                let scope = scopes[site.line][site.utf16].last ?? ""
                checked += 1
                if !expected.textMate(scope) {
                    wrong += 1
                    if wrong <= 10 { Issue.record("\(file):\(site.line + 1): the \(expected.name) \(site.text): \(scope)") }
                }
            }
        }
        #expect(wrong == 0, "\(wrong) of \(checked) tokens")
        #expect(checked > 2_000)
    }

    // MARK: - Vim

    @Test(.enabled(if: Vim.required, "vim (with +syntax) is needed: apt-get install vim"))
    func vimSyntaxHighlightsTheSampleAndKnowsTheVocabulary() throws {
        let folder = try Vim.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sample = folder.appendingPathComponent("sample.mapl")
        try Self.sample.write(to: sample, atomically: true, encoding: .utf8)
        let words = folder.appendingPathComponent("words.mapl")
        let wordProbes = Self.wordProbes
        try wordProbes.map(\.line).joined(separator: "\n").write(to: words, atomically: true, encoding: .utf8)
        // A script without the extension, known by its first line.
        let script = folder.appendingPathComponent("whats-changed")
        try "#!/usr/bin/env mapl\nprint(1)\n".write(to: script, atomically: true, encoding: .utf8)

        var requests: [Vim.Request] = [.options(sample.path), .options(script.path)]
        let lines = Self.sampleLines
        for probe in Self.probes {
            requests.append(.syntax(sample.path, line: probe.line + 1, column: try Self.place(probe, in: lines).byteColumn))
        }
        for (index, probe) in wordProbes.enumerated() {
            let start = try #require(probe.line.range(of: probe.word)).lowerBound
            let column = probe.line[..<start].utf8.count + 1
            requests.append(.syntax(words.path, line: index + 1, column: column))
        }
        let answers = try Vim.ask(requests, in: folder)
        try #require(answers.count == requests.count, "vim gave \(answers.count) answers to \(requests.count) questions")

        // The filetype is detected (by extension and by the #! line); the ftplugin's options.
        #expect(answers[0] == ["mapl", "# %s", "2", "1"], "\(answers[0])")
        #expect(answers[1].first == "mapl", "\(answers[1])")
        for (probe, answer) in zip(Self.probes, answers[2...]) {
            #expect(answer[2] == probe.vim, "\(probe): \(answer)")
        }
        for (probe, answer) in zip(wordProbes, answers[(2 + Self.probes.count)...]) {
            let highlighted = probe.vim(answer[2])
            #expect(highlighted, "\(probe.what) '\(probe.word)': \(answer) in `\(probe.line)`")
        }
    }

    @Test(.enabled(if: Vim.required, "vim (with +syntax) is needed: apt-get install vim"))
    func vimSyntaxAgreesWithTheLexer() throws {
        let folder = try Vim.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var requests: [Vim.Request] = []
        var all: [TokenSite] = []
        for file in Self.corpus {
            let sites = try Self.sites(of: file).sites
            all += sites
            let path = MaplProcess.root.appendingPathComponent(file).path
            requests += sites.map { .syntax(path, line: $0.line + 1, column: $0.byteColumn) }
        }
        let answers = try Vim.ask(requests, in: folder)
        try #require(answers.count == requests.count, "vim gave \(answers.count) answers to \(requests.count) questions")
        var wrong = 0
        for (site, answer) in zip(all, answers) {
            let expected = try #require(Self.expectation(for: site.kind))
            if !expected.vim.contains(answer[1]) && !expected.vim.contains(answer[2]) {
                wrong += 1
                if wrong <= 10 { Issue.record("\(site.file):\(site.line + 1):\(site.byteColumn): the \(expected.name) \(site.text): \(answer)") }
            }
        }
        #expect(wrong == 0, "\(wrong) of \(all.count) tokens")
        #expect(all.count > 2_000)
    }

    // MARK: - Both grammars name every word

    /// Plain text search, without Vim: a new keyword or kind fails here first.
    @Test func bothGrammarsNameEveryKeywordAndKind() throws {
        let vim = try String(contentsOf: Vim.runtime.appendingPathComponent("syntax/mapl.vim"), encoding: .utf8)
        let textMate = try String(contentsOf: MaplProcess.root.appendingPathComponent("editors/vscode/syntaxes/mapl.tmLanguage.json"),
                                  encoding: .utf8)
        func names(_ text: String, _ word: String) -> Bool {
            text.range(of: "(?<![A-Za-z0-9_])\(word)(?![A-Za-z0-9_])", options: .regularExpression) != nil
        }
        for word in Self.keywords + Self.kinds + Self.builtins {
            #expect(names(vim, word), "editors/vim/syntax/mapl.vim does not name '\(word)'")
            #expect(names(textMate, word), "mapl.tmLanguage.json does not name '\(word)'")
        }
    }
}

// MARK: - A headless Vim

enum Vim {
    static let runtime = MaplProcess.root.appendingPathComponent("editors/vim")

    /// Whether the Vim tests run: when vim is here, and always in CI (where `make test`
    /// installs it), so that a missing vim fails there instead of skipping quietly.
    static var required: Bool { path != nil || ProcessInfo.processInfo.environment["CI"] == "true" }

    /// A vim with syntax highlighting on PATH, if there is one.
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in directories {
            let candidate = "\(directory)/vim"
            guard FileManager.default.isExecutableFile(atPath: candidate),
                  let version = try? MaplProcess.run(["--version"], stdin: "", executable: candidate),
                  version.status == 0, version.stdout.contains("+syntax") else { continue }
            return candidate
        }
        return nil
    }()

    enum Request {
        /// The file's &filetype, &commentstring, &shiftwidth, &expandtab.
        case options(String)
        /// The syntax group at a line and byte column (from 1): its name and the group it links to.
        case syntax(String, line: Int, column: Int)
    }

    static func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-vim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Runs Vim in silent Ex mode (no terminal, no vimrc, no viminfo, no swap files) with
    /// only editors/vim and Vim's own runtime on 'runtimepath', and answers the requests,
    /// one list of tab-separated fields each: for a syntax request [filetype, group, linked group].
    static func ask(_ requests: [Request], in folder: URL) throws -> [[String]] {
        let questions = folder.appendingPathComponent("questions.txt")
        let answers = folder.appendingPathComponent("answers.txt")
        let script = folder.appendingPathComponent("ask.vim")
        try requests.map { request -> String in
            switch request {
            case .options(let file): return "options\t\(file)"
            case .syntax(let file, let line, let column): return "syntax\t\(file)\t\(line)\t\(column)"
            }
        }.joined(separator: "\n").write(to: questions, atomically: true, encoding: .utf8)
        try """
        let &runtimepath = '\(runtime.path)' . ',' . $VIMRUNTIME
        filetype plugin on
        syntax on
        function! s:Link(name) abort
          if a:name ==# ''
            return ''
          endif
          let found = matchlist(execute('highlight ' . a:name), 'links to \\(\\w\\+\\)')
          return empty(found) ? a:name : found[1]
        endfunction
        let s:out = []
        for s:question in readfile('\(questions.path)')
          let s:fields = split(s:question, "\\t")
          if fnamemodify(s:fields[1], ':p') !=# expand('%:p')
            execute 'edit ' . fnameescape(s:fields[1])
          endif
          if s:fields[0] ==# 'options'
            call add(s:out, join([&filetype, &commentstring, &shiftwidth, &expandtab], "\\t"))
          else
            let s:name = synIDattr(synID(str2nr(s:fields[2]), str2nr(s:fields[3]), 1), 'name')
            call add(s:out, join([&filetype, s:name, s:Link(s:name)], "\\t"))
          endif
        endfor
        call writefile(s:out, '\(answers.path)')
        qall!
        """.write(to: script, atomically: true, encoding: .utf8)
        let result = try MaplProcess.run(["-N", "-u", "NONE", "-i", "NONE", "-n", "-es", "-X",
                                          "--cmd", "set encoding=utf-8", "-S", script.path],
                                         stdin: "", in: folder, executable: Vim.path ?? "vim")
        guard let text = try? String(contentsOf: answers, encoding: .utf8) else {
            Issue.record("vim wrote no answers (exit \(result.status)): \(result.stdout) \(result.stderr)")
            return []
        }
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        // (split keeps empty fields: a position without a group is "mapl\t\t".)
        return lines.map { $0.components(separatedBy: "\t") }
    }
}

// MARK: - A small TextMate tokenizer

/// Runs a TextMate grammar over lines as VS Code does, for the features mapl's grammar
/// uses: `match` and `begin`/`end` rules, `name`, `contentName`, captures, `patterns` and
/// `include` (`#rule`, `$self`). At each position the earliest match wins; on a tie the
/// end of the open rule, then the first rule listed. Each line is matched with a "\n"
/// after it; lookbehind sees the text before the position.
final class TextMateTokenizer {
    final class Rule {
        var name: String?
        var contentName: String?
        var match: NSRegularExpression?
        var begin: NSRegularExpression?
        var end: NSRegularExpression?
        var captures: [Int: String] = [:]
        var beginCaptures: [Int: String]?
        var endCaptures: [Int: String]?
        var include: String?
        var patterns: [Rule] = []
    }

    let scopeName: String
    let root: Rule
    var repository: [String: Rule] = [:]
    private var flattened: [ObjectIdentifier: [Rule]] = [:]

    init(path: String) throws {
        let grammar = try EditorGrammarTests.loadJSON(path)
        scopeName = try #require(grammar["scopeName"] as? String)
        root = Rule()
        for (key, value) in grammar["repository"] as? [String: Any] ?? [:] {
            repository[key] = try Self.rule(try #require(value as? [String: Any]))
        }
        root.patterns = try (grammar["patterns"] as? [[String: Any]] ?? []).map(Self.rule)
    }

    private static func rule(_ json: [String: Any]) throws -> Rule {
        let rule = Rule()
        rule.name = json["name"] as? String
        rule.contentName = json["contentName"] as? String
        rule.include = json["include"] as? String
        func regex(_ key: String) throws -> NSRegularExpression? {
            guard let pattern = json[key] as? String else { return nil }
            return try NSRegularExpression(pattern: pattern)
        }
        rule.match = try regex("match")
        rule.begin = try regex("begin")
        rule.end = try regex("end")
        func captures(_ key: String) -> [Int: String]? {
            guard let table = json[key] as? [String: Any] else { return nil }
            var result: [Int: String] = [:]
            for (index, value) in table {
                if let number = Int(index), let name = (value as? [String: Any])?["name"] as? String { result[number] = name }
            }
            return result
        }
        rule.captures = captures("captures") ?? [:]
        rule.beginCaptures = captures("beginCaptures")
        rule.endCaptures = captures("endCaptures")
        rule.patterns = try (json["patterns"] as? [[String: Any]] ?? []).map(Self.rule)
        return rule
    }

    /// The match and begin rules a rule's patterns come to, includes followed.
    private func candidates(of container: Rule) -> [Rule] {
        if let known = flattened[ObjectIdentifier(container)] { return known }
        var result: [Rule] = []
        var seen: Set<ObjectIdentifier> = []
        func add(_ patterns: [Rule]) {
            for pattern in patterns {
                var target = pattern
                if let include = pattern.include {
                    if include == "$self" || include == "$base" { target = root }
                    else if include.hasPrefix("#"), let found = repository[String(include.dropFirst())] { target = found }
                    else { continue }
                }
                if target.match != nil || target.begin != nil { result.append(target) }
                else if seen.insert(ObjectIdentifier(target)).inserted { add(target.patterns) }
            }
        }
        add(container.patterns)
        flattened[ObjectIdentifier(container)] = result
        return result
    }

    private struct Frame {
        let rule: Rule
        /// The scopes of the rule's delimiters, and of its content (with contentName).
        let outer: [String]
        let inner: [String]
    }

    /// The scope stack of every UTF-16 unit of every line (with one more for its "\n").
    func tokenize(_ lines: [String]) -> [[[String]]] {
        var stack: [Frame] = []
        var result: [[[String]]] = []
        for line in lines {
            let text = (line + "\n") as NSString
            let length = text.length
            var scopes = Array(repeating: [scopeName], count: length)
            // Per regular expression: where it was last searched from and what it found then.
            var cache: [ObjectIdentifier: (from: Int, found: NSTextCheckingResult?)] = [:]
            func search(_ regex: NSRegularExpression, from position: Int) -> NSTextCheckingResult? {
                if let known = cache[ObjectIdentifier(regex)], known.from <= position,
                   known.found.map({ $0.range.location >= position }) ?? true {
                    return known.found
                }
                let found = regex.firstMatch(in: text as String, options: [.withTransparentBounds, .withoutAnchoringBounds],
                                             range: NSRange(location: position, length: length - position))
                cache[ObjectIdentifier(regex)] = (position, found)
                return found
            }
            func paint(_ range: NSRange, _ stack: [String]) {
                guard range.location != NSNotFound else { return }
                for unit in range.location..<min(range.location + range.length, length) { scopes[unit] = stack }
            }
            func paint(_ match: NSTextCheckingResult, _ captures: [Int: String], over base: [String]) {
                for (index, name) in captures.sorted(by: { $0.key < $1.key }) where index < match.numberOfRanges {
                    let range = match.range(at: index)
                    guard range.location != NSNotFound else { continue }
                    for unit in range.location..<min(range.location + range.length, length) {
                        scopes[unit] = (index == 0 ? base : scopes[unit]) + [name]
                    }
                }
            }
            var position = 0
            while position < length {
                let current = stack.last?.inner ?? [scopeName]
                var best: (match: NSTextCheckingResult, rule: Rule?)?
                if let frame = stack.last, let end = frame.rule.end, let found = search(end, from: position) {
                    best = (found, nil)
                }
                for rule in candidates(of: stack.last?.rule ?? root) {
                    guard let regex = rule.match ?? rule.begin, let found = search(regex, from: position) else { continue }
                    if best == nil || found.range.location < best!.match.range.location { best = (found, rule) }
                }
                guard let (match, rule) = best else {
                    paint(NSRange(location: position, length: length - position), current)
                    break
                }
                paint(NSRange(location: position, length: match.range.location - position), current)
                if let rule, rule.match != nil {
                    let base = current + (rule.name.map { [$0] } ?? [])
                    paint(match.range, base)
                    paint(match, rule.captures, over: base)
                } else if let rule {
                    let outer = current + (rule.name.map { [$0] } ?? [])
                    paint(match.range, outer)
                    paint(match, rule.beginCaptures ?? rule.captures, over: outer)
                    stack.append(Frame(rule: rule, outer: outer, inner: outer + (rule.contentName.map { [$0] } ?? [])))
                } else {
                    let frame = stack.removeLast()
                    paint(match.range, frame.outer)
                    paint(match, frame.rule.endCaptures ?? frame.rule.captures, over: frame.outer)
                }
                if match.range.length == 0 {
                    // An empty match must not stall: the character is the current rule's.
                    paint(NSRange(location: match.range.location, length: 1), stack.last?.inner ?? [scopeName])
                    position = match.range.location + 1
                } else {
                    position = match.range.location + match.range.length
                }
            }
            result.append(scopes)
        }
        return result
    }
}
