// The REPL's session logic without a terminal: when an input is complete, how lines
// gather into inputs, completion candidates, every meta command, and :save round trips.

import Foundation
import Testing
import Mapl
@testable import MaplREPL

/// What a session wrote, split by stream.
final class ReplCapture: @unchecked Sendable {
    var out = ""
    var err = ""

    func take() -> (out: String, err: String) {
        defer { out = ""; err = "" }
        return (out, err)
    }
}

func makeRepl(_ inputs: [String] = []) -> (ReplSession, ReplCapture) {
    let capture = ReplCapture()
    let repl = ReplSession(writeOutput: { capture.out += $0 }, writeError: { capture.err += $0 })
    for input in inputs { repl.submit(input) }
    _ = capture.take()
    return (repl, capture)
}

/// The repository root, found from this file's place in it.
let replRepositoryRoot = MaplProcess.root.path

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-repl-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("REPL: input completeness")
struct ReplCompletenessTests {
    @Test(arguments: [
        "fn f(x) {", "fn f(x) {\n  return x", "fn f(x)", "[1, 2,", "[1, 2", "(1 +", "f(1,", "{a: 1,",
        "\"unterminated", "\"line one\nline two", "\"text {x", "let x =", "let x", "if ready {", "1 +",
        "for o in xs {", "while true {", "if a { 1 } else {", "xs[",
    ])
    func incomplete(_ text: String) {
        #expect(InputCompleteness.isIncomplete(text), "\(text)")
    }

    @Test(arguments: [
        "1 + 2", "let x = 1", "fn f(x) => x * 2", "fn f(x) {\n  return x\n}", "# a comment", "",
        "\"closed\"", "\"a {1 + 2} b\"", "[1, 2]", "{a: 1}",
        // Errors that more lines cannot fix are complete: they are reported at once.
        "1 +* 2", ")", "let = 3", "]", "1 2",
    ])
    func complete(_ text: String) {
        #expect(!InputCompleteness.isIncomplete(text), "\(text)")
    }

    @Test func assemblerGathersLinesUntilComplete() {
        var assembler = InputAssembler()
        #expect(assembler.add("") == nil)
        #expect(assembler.add("fn f(x) {") == nil)
        #expect(assembler.isContinuing)
        #expect(assembler.add("  :not a command inside a block") == nil)
        #expect(assembler.add("") == nil)
        #expect(assembler.add("}") == "fn f(x) {\n  :not a command inside a block\n\n}\n")
        #expect(!assembler.isContinuing)
        #expect(assembler.add("  :help roti") == "  :help roti")
        #expect(assembler.add("1 + 2") == "1 + 2\n")
    }

    @Test func assemblerFinishAndClear() {
        var assembler = InputAssembler()
        _ = assembler.add("[1,")
        #expect(assembler.finish() == "[1,")
        _ = assembler.add("[1,")
        assembler.clear()
        #expect(assembler.finish() == nil)
    }

    @Test func twoBlankLinesSubmitOnlyWhenAsked() {
        var plain = InputAssembler()
        _ = plain.add("(1 +")
        #expect(plain.add("") == nil)
        #expect(plain.add("") == nil)
        var terminal = InputAssembler(blankLinesSubmit: true)
        _ = terminal.add("(1 +")
        #expect(terminal.add("") == nil)
        #expect(terminal.add("") == "(1 +\n\n\n")
    }
}

@Suite("REPL: completion")
struct ReplCompletionTests {
    static let setup = [
        "let goal = $2.5M",
        "let goals_met = 3",
        "let deals = [{name: \"Renewal\", value: 1200, stage: .proposal}, {name: \"Upsell\", value: 450, stage: .zebra_stage}]",
        "let account_info = {name: \"Acme\", hq: {city: \"Oslo\", country: \"Norway\"}}",
        "fn weighted(d) => d.value * 2",
    ]

    func texts(_ line: String, continuing: Bool = false, _ repl: ReplSession? = nil) -> [String] {
        let repl = repl ?? makeRepl(Self.setup).0
        return repl.complete(line: line, continuing: continuing).candidates.map(\.text)
    }

    @Test func globalsKeywordsAndBuiltins() {
        let (repl, _) = makeRepl(Self.setup)
        #expect(texts("go", repl) == ["goal", "goals_met"])
        let result = repl.complete(line: "let x = go")
        #expect(result.word == "go" && result.start == 8)
        #expect(result.insertion == "al")  // the common start of goal and goals_met
        #expect(texts("whi", repl).contains("while"))
        #expect(texts("so", repl).contains("sort_desc"))
        let weighted = repl.complete(line: "wei").candidates.first { $0.text == "weighted" }
        #expect(weighted?.suffix == "(")  // functions complete with a parenthesis
        #expect(repl.complete(line: "sort_d").insertion == "esc(")
        #expect(repl.complete(line: "goal").candidates.first?.suffix == "")
    }

    @Test func completesAtTheCursorNotTheEndOfLine() {
        let (repl, _) = makeRepl(Self.setup)
        let line = "go + 1"
        let result = repl.complete(line: line, cursor: 2)
        #expect(result.word == "go")
        #expect(result.candidates.map(\.text) == ["goal", "goals_met"])
    }

    @Test func fieldsAfterADot() {
        let (repl, _) = makeRepl(Self.setup)
        #expect(texts("account_info.", repl) == ["hq", "name"])
        #expect(texts("account_info.hq.c", repl) == ["city", "country"])
        #expect(texts("print(account_info.hq.co", repl) == ["country"])
        #expect(repl.complete(line: "account_info.n").insertion == "ame")
        // A local (the comprehension's `d`) or an index: the fields of every record held.
        #expect(texts("[d.st", repl) == ["stage"])
        #expect(texts("deals[0].va", repl) == ["value"])
        // A value without fields offers none.
        #expect(texts("goal.", repl).isEmpty)
    }

    @Test func symbolsAndRanges() {
        let (repl, _) = makeRepl(Self.setup)
        #expect(texts("let s = .zeb", repl) == ["zebra_stage"])
        #expect(repl.complete(line: "for i in 1..go").context == .name)
        #expect(texts("for i in 1..go", repl) == ["goal", "goals_met"])
    }

    @Test func metaCommandsAndTheirArguments() {
        let (repl, _) = makeRepl(Self.setup)
        #expect(texts(":he", repl) == [":help"])
        #expect(repl.complete(line: ":he").insertion == "lp ")
        #expect(texts(":re", repl) == [":reload", ":reset"])
        #expect(texts(":help stra", repl) == ["strategies"])
        #expect(texts(":help so", repl).contains("sort"))
        #expect(texts(":ls fun", repl) == ["function"])
        #expect(texts(":show go", repl) == ["goal", "goals_met"])
        #expect(texts(":show wh", repl).isEmpty)  // :show wants a name, not a keyword
        #expect(texts(":type account_info.h", repl) == ["hq"])
        // In the middle of an unfinished input, ':' is not a meta command.
        #expect(repl.complete(line: ":he", continuing: true).context == .name)
    }

    @Test func filesAfterLoadAndSave() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = FileManager.default.createFile(atPath: directory.path + "/plan.mapl", contents: Data())
        _ = FileManager.default.createFile(atPath: directory.path + "/notes.txt", contents: Data())
        try FileManager.default.createDirectory(atPath: directory.path + "/people", withIntermediateDirectories: false)
        let (repl, _) = makeRepl()
        let base = directory.path + "/"
        #expect(texts(":load " + base, repl) == [base + "people/", base + "plan.mapl"])
        #expect(repl.complete(line: ":save " + base + "pl").insertion == "an.mapl")
        #expect(repl.complete(line: ":load " + base + "pe").candidates.first?.label == "people/")
    }

    @Test func moreSourcesPlugIn() {
        struct AccountIDs: CompletionSource {
            func candidates(for request: CompletionRequest) -> [CompletionCandidate] {
                request.context == .name ? [CompletionCandidate("acme_emea"), CompletionCandidate("acme_apac")] : []
            }
        }
        let (repl, _) = makeRepl(Self.setup)
        repl.completer.register(AccountIDs())
        #expect(texts("acme", repl) == ["acme_apac", "acme_emea"])
        // Candidates already offered by another source are not repeated.
        struct Duplicate: CompletionSource {
            func candidates(for request: CompletionRequest) -> [CompletionCandidate] { [CompletionCandidate("goal")] }
        }
        repl.completer.register(Duplicate())
        #expect(texts("goal", repl) == ["goal", "goals_met"])
    }

    @Test func planEntityIdsAndFields() {
        let (repl, capture) = makeRepl()
        repl.submit("stakeholder dana \"Dana Wright\" { title: \"CFO\" }")
        #expect(capture.err.isEmpty, "\(capture.err)")
        #expect(texts("da", repl).contains("dana"))
        #expect(texts("dana.ti", repl) == ["title"])
        #expect(texts("stakeh", repl).contains("stakeholders"))
        repl.submit(":show dana")
        let shown = capture.take().out
        #expect(shown.hasPrefix("# stakeholder dana \"Dana Wright\", declared at <repl:1>:1:13\n"), "\(shown)")
        #expect(shown.contains("title") && shown.contains("\"CFO\""))
        repl.submit(":ls stakeholders")
        #expect(capture.take().out == "dana  stakeholder  Dana Wright\n")
    }

    @Test func checkRunsTheBuiltInChecksAndRules() {
        let (repl, capture) = makeRepl()
        repl.submit(":check")
        #expect(capture.take().out == "no problems found\n")
        repl.submit("stakeholder ann \"Ann\" { influence: high }")
        repl.submit("influence ann -> ann strong")
        repl.submit("rule titled for s in stakeholders { expect: s.title != nil }")
        _ = capture.take()
        repl.submit(":check")
        let shown = capture.take().out
        #expect(shown.contains("warning: key player Ann has never been contacted [key_player_never_contacted]"), "\(shown)")
        #expect(shown.contains("warning: Ann influences themselves [self_influence]"), "\(shown)")
        #expect(shown.contains("[titled]"), "\(shown)")
        #expect(shown.hasSuffix("3 warnings\n"), "\(shown)")
    }

    @Test func aTextOfSeveralLinesIsEchoedAsItsLines() {
        let (repl, capture) = makeRepl()
        repl.submit("\"Deal sheet\\n  Value  $5\"")
        #expect(capture.take().out == "Deal sheet\n  Value  $5\n")
        repl.submit("\"one line\"")
        #expect(capture.take().out == "\"one line\"\n")
    }

    /// A long flat sum is evaluated and logged without running out of stack.
    @Test func aLongSumInTheREPL() {
        let (repl, capture) = makeRepl()
        repl.submit("1" + String(repeating: " + 1", count: 5_000))
        #expect(capture.take().out == "5001\n")
    }

    @Test func candidatesListInColumns() {
        let text = LineEditor.columns(["alpha", "beta", "gamma", "delta", "epsilon"], width: 20)
        #expect(text == "alpha    delta\nbeta     epsilon\ngamma\n")
        #expect(LineEditor.columns(Array(repeating: "x", count: 5), width: 80, limit: 3).hasSuffix("… and 2 more\n"))
    }
}

@Suite("REPL: evaluation and meta commands")
struct ReplCommandTests {
    @Test func valuesPrintAndDeclarationsPersist() {
        let (repl, capture) = makeRepl()
        repl.submit("let x = 20\n")
        repl.submit("fn f(y) {\n  return x + y\n}\n")
        repl.submit("f(1)\n")
        repl.submit("print(\"hi\")\n")
        repl.submit("nil\n")
        let (out, err) = capture.take()
        #expect(out == "21\nhi\n")
        #expect(err.isEmpty)
        #expect(repl.status == 0)
    }

    @Test func listsOfRecordsPrintAsTables() {
        let (repl, capture) = makeRepl()
        repl.submit("[{name: \"Renewal\", value: $1.2M}, {name: \"Upsell\", value: 450k}]")
        #expect(capture.take().out == """
            name          value
            -------  ----------
            Renewal  $1,200,000
            Upsell     $450,000

            """)
        // Too wide for the terminal: one record a line instead.
        repl.width = 10
        repl.submit("[{name: \"Renewal\", value: $1.2M}]")
        #expect(capture.take().out == "[\n  {name: \"Renewal\", value: $1,200,000},\n]\n")
    }

    @Test func errorsAreReportedAndTheSessionGoesOn() {
        let (repl, capture) = makeRepl(["let a = 1"])
        repl.submit("let b = a +* 2")
        var (out, err) = capture.take()
        #expect(out.isEmpty)
        #expect(err.contains("<repl:2>:1:12: error:"), "\(err)")
        #expect(err.contains(" 1 | let b = a +* 2\n"))
        #expect(repl.status == 65)
        repl.submit("a / 0")
        (out, err) = capture.take()
        #expect(err.contains("division by zero"))
        #expect(repl.status == 70)
        repl.submit("a + 1")
        #expect(capture.take().out == "2\n")
    }

    @Test func aRejectedInputDeclaresNothing() {
        let (repl, capture) = makeRepl()
        repl.submit("let y = undefined_thing")
        _ = capture.take()
        repl.submit("y")
        let err = capture.take().err
        // Not "'y' is used before its declaration": the rejected let left nothing behind.
        #expect(err.contains("undefined name 'y'"), "\(err)")
        #expect(repl.session.declaredGlobals.allSatisfy { $0.name != "y" })
    }

    @Test func helpAndTopics() {
        let (repl, capture) = makeRepl()
        repl.submit(":help")
        let general = capture.take().out
        for command in repl.commands { #expect(general.contains(":" + command.name), "\(command.name)") }
        #expect(general.contains("strategies") && general.contains("sort_desc"))
        let topics: [(String, String)] = [
            ("support scale", "non-supporter"), ("support", "mentor / champion"), ("buying roles", "economic buyer"),
            ("roles", "coach"), ("seven strategies", "land and expand"),
            ("strategies", "change the game"), ("white space", "not applicable"), ("whitespace", "potential"),
            ("ROTI", "expected gross profit"), ("pipeline", "close ratio"), ("relationship", "trusted advisor"),
            ("status", "inner circle"), ("coverage", "in depth"), ("influence", "reports_to"), ("keys", "Ctrl-R"),
        ]
        for (topic, phrase) in topics {
            repl.submit(":help \(topic)")
            let (out, err) = capture.take()
            #expect(out.contains(phrase), "\(topic): \(out)")
            #expect(err.isEmpty)
        }
        repl.submit(":help sum")
        #expect(capture.take().out.hasPrefix("sum(list):"))
        repl.submit(":help :load")
        #expect(capture.take().out.hasPrefix(":load FILE"))
        repl.submit(":help strategys")
        #expect(capture.take().err.contains("Did you mean 'strategies'?"))
    }

    @Test func unknownAndAmbiguousCommands() {
        let (repl, capture) = makeRepl()
        #expect(repl.submit(":q") == .quit)
        #expect(repl.submit(":quit") == .quit)
        #expect(repl.submit(":hepl") == .proceed)
        #expect(capture.take().err.contains("unknown command ':hepl'; did you mean ':help'?"))
        repl.submit(":re")
        #expect(capture.take().err.contains("':re' could be :reload, :reset"))
        repl.submit(":reset now")
        #expect(capture.take().err.contains(":reset takes no argument"))
    }

    @Test func loadReloadAndReset() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = directory.appendingPathComponent("plan.mapl")
        try "let goal = $1M\nprint(\"loading\")\n".write(to: plan, atomically: true, encoding: .utf8)
        let (repl, capture) = makeRepl()
        repl.submit(":load \(plan.path)")
        #expect(capture.take().out == "loading\nloaded \(plan.path)\n")
        repl.submit("let mine = 1")
        repl.submit("goal")
        #expect(capture.take().out == "$1,000,000\n")

        try "let goal = $2M\n".write(to: plan, atomically: true, encoding: .utf8)
        repl.submit(":reload")
        #expect(capture.take().out.contains("reloaded 1 of 1 file"))
        repl.submit("goal")
        #expect(capture.take().out == "$2,000,000\n")
        repl.submit("mine")
        #expect(capture.take().err.contains("undefined name 'mine'"))

        repl.submit(":reset")
        #expect(repl.session.declaredGlobals.isEmpty)
        #expect(repl.loadedFiles.isEmpty)
        repl.submit(":load \(directory.path)/missing.mapl")
        #expect(capture.take().err.contains("cannot open"))
        repl.submit(":load")
        #expect(capture.take().err.contains(":load needs a file"))
    }

    @Test func listShowAndType() {
        let (repl, capture) = makeRepl([
            "let goal = $2.5M", "let deals = [{name: \"A\", value: 1}, {name: \"B\", value: 2}]",
            "fn double(x) => x * 2", "let plan = {owner: \"Kim\", review: 2027-01-15}",
        ])
        repl.submit(":ls")
        #expect(capture.take().out == """
            goal    money     $2,500,000
            deals   list      [{name: "A", value: 1}, {name: "B", value: 2}]
            double  function  fn double(x) => x * 2
            plan    record    {owner: "Kim", review: 2027-01-15}

            """)
        repl.submit(":ls functions")
        #expect(capture.take().out == "double  function  fn double(x) => x * 2\n")
        repl.submit(":ls dates")
        #expect(capture.take().out == "no date values\n")
        repl.submit(":ls widgets")
        #expect(capture.take().err.contains(":ls: no kind 'widgets'"))

        repl.submit(":show plan")
        #expect(capture.take().out == """
            # plan: record with fields owner, review, declared at <repl:4>:1:5
            owner   "Kim"
            review  2027-01-15

            """)
        repl.submit(":show deals")
        #expect(capture.take().out.contains("name  value\n----  -----\nA         1\n"))
        repl.submit(":show double")
        #expect(capture.take().out == "fn double(x) => x * 2\n# declared at <repl:3>:1:4\n")
        repl.submit(":show deal")
        let unknown = capture.take().err
        #expect(unknown.contains("<show>:1:1: error: undefined name 'deal'") && unknown.contains("did you mean 'deals'?"), "\(unknown)")
        repl.submit(":show deals[1]")
        #expect(capture.take().out == "name   \"B\"\nvalue  2\n")

        repl.submit(":type deals")
        #expect(capture.take().out == "list of 2 records\n")
        repl.submit(":type goal * 2")
        #expect(capture.take().out == "money\n")
        repl.submit(":type double")
        #expect(capture.take().out == "function of 1 argument\n")
        repl.submit(":type [1, \"a\"]")
        #expect(capture.take().out == "list of 2 values (mixed: number, string)\n")
        repl.submit(":type let x = 1")
        #expect(capture.take().err.contains(":type takes an expression"))
        repl.submit(":type nope")
        #expect(capture.take().err.contains("undefined name 'nope'"))
    }
}

@Suite("REPL: :save")
struct ReplSaveTests {
    /// The names and values of a session, for comparing two sessions.
    func state(_ repl: ReplSession) -> [String] {
        repl.session.declaredGlobals.filter(\.isInitialized).map { "\($0.name) = \($0.value.repr)" }.sorted()
    }

    @Test func roundTrip() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (repl, capture) = makeRepl()
        repl.submit(":load \(replRepositoryRoot)/Tests/repl/account.mapl")
        repl.submit("let target = $3M  # a stretch goal")
        repl.submit("let target = target + 100k")             // redeclared: saved as an assignment
        repl.submit("fn bonus(o) => o.value * 1%")
        repl.submit("fn bonus(o) => o.value * 2%")             // the last definition wins
        repl.submit("push(opportunities, {name: \"Pilot\", value: 50k, probability: 50%, close: 2027-02-01, egp: 10k, hours: 40})")
        repl.submit("let tally = 0\nfor o in opportunities { tally += 1 }")
        repl.submit("opportunities[0].value = $1.3M")
        repl.submit("sum([bonus(o) for o in opportunities])")  // a query: not saved
        repl.submit("print(target)")                         // output: not saved
        repl.submit("let half = 1\nlet broken = 1 / 0")       // failed at run time: keeps `half`
        repl.submit("let rejected = nowhere")                // rejected: nothing to save
        let before = state(repl)
        _ = capture.take()

        let file = directory.appendingPathComponent("saved.mapl")
        repl.submit(":save \(file.path)")
        let (out, err) = capture.take()
        #expect(err.isEmpty, "\(err)")
        #expect(out.hasPrefix("saved ") && out.hasSuffix(" to \(file.path)\n"))
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("let target = $3M  # a stretch goal\n"))
        #expect(text.contains("\ntarget = target + 100k\n"))
        #expect(!text.contains("1%"))
        #expect(!text.contains("print("))
        #expect(!text.contains("sum([bonus"))
        #expect(!text.contains("rejected"))
        #expect(text.contains("let half = 1") && !text.contains("broken"))
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["saved.mapl"])

        // Loaded into a fresh session, it gives the same names and values …
        let (fresh, freshCapture) = makeRepl()
        fresh.submit(":load \(file.path)")
        #expect(freshCapture.take().err.isEmpty)
        var after = state(fresh)
        // (`broken` was declared by the failed input but never got a value.)
        #expect(before.filter { !$0.hasPrefix("broken ") } == after)

        // … and it is a valid plan file for `mapl run`/`check`: no name twice.
        let strict = Session(output: { _ in })
        let source = strict.addSource(name: file.path, text: text)
        if case .rejected(let diagnostics) = strict.run(source) {
            Issue.record("saved file rejected: \(diagnostics.map(\.message))")
        }

        // Saving the reloaded session again gives the same statements.
        let again = directory.appendingPathComponent("again.mapl")
        fresh.submit(":save \(again.path)")
        let (round2, _) = makeRepl([":load \(again.path)"])
        after = state(round2)
        #expect(before.filter { !$0.hasPrefix("broken ") } == after)
    }

    @Test func refusesToOverwriteALoadedFileOrADirectory() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = directory.appendingPathComponent("plan.mapl")
        try "let a = 1\n".write(to: plan, atomically: true, encoding: .utf8)
        let (repl, capture) = makeRepl([":load \(plan.path)"])
        repl.submit(":save \(plan.path)")
        #expect(capture.take().err.contains("which this session loaded"))
        #expect(try String(contentsOf: plan, encoding: .utf8) == "let a = 1\n")
        repl.submit(":save \(directory.path)")
        #expect(capture.take().err.contains("is a directory"))
        repl.submit(":save \(directory.path)/no/such/dir/x.mapl")
        #expect(capture.take().err.contains("cannot write"))
        repl.submit(":save")
        #expect(capture.take().err.contains(":save needs a file"))
    }

    @Test func kindsOfRedeclaration() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (repl, capture) = makeRepl([
            "let f = 1", "let g = f + 1",   // g keeps the value computed from the first f
            "fn f() => 5",                  // f becomes a function: the let is dropped
            "fn h() => 1", "let h = 7",     // h becomes a value: the fn is dropped
        ])
        let file = directory.appendingPathComponent("s.mapl")
        repl.submit(":save \(file.path)")
        #expect(capture.take().err.isEmpty)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(!text.contains("let f = 1") && text.contains("fn f() => 5"))
        #expect(!text.contains("fn h") && text.contains("let h = 7"))
    }

    /// A plan that imports a standard-library module and a file of its own, saved to
    /// another folder: the module stays `std/…`, the file is reached from the new place.
    @Test func savedElsewhereTheImportsStillResolve() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let acme = directory.appendingPathComponent("acme"), elsewhere = directory.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: acme, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try "import \"std/rules\"\nimport \"people.mapl\"\nstakeholder a \"A\"\n".write(to: acme.appendingPathComponent("plan.mapl"), atomically: true, encoding: .utf8)
        try "stakeholder b \"B\"\n".write(to: acme.appendingPathComponent("people.mapl"), atomically: true, encoding: .utf8)
        let (repl, capture) = makeRepl([])
        repl.submit(":load \(acme.appendingPathComponent("plan.mapl").path)")
        let saved = elsewhere.appendingPathComponent("saved.mapl")
        repl.submit(":save \(saved.path)")
        #expect(capture.take().err.isEmpty)
        let text = try String(contentsOf: saved, encoding: .utf8)
        #expect(text.contains("\nimport \"std/rules\"\n") && text.contains("\nimport \"../acme/people.mapl\"\n"), "\(text)")
        let check = try MaplProcess.run(["check", saved.path], stdin: "")
        #expect(check.status == 0, "\(check.stderr)")
    }

    /// Amounts already declared keep their currency: the account cannot change it under
    /// them (they would be relabelled), but may name it before any amount.
    @Test func currencyIsSetBeforeAmounts() {
        let (repl, capture) = makeRepl(["account a \"A\" { currency: GBP, rates: {EUR: 0.86} }", "opportunity x \"X\" { value: €100k }"])
        repl.submit("x.value")
        #expect(capture.take().out.contains("£86,000"))
        repl.submit("account a \"A\" { currency: EUR }")
        #expect(capture.take().err.contains("the plan's currency cannot change from GBP to EUR once amounts are declared in it"))
        repl.submit("pipeline().open")
        #expect(capture.take().out.contains("£86,000"))
    }

    @Test func shorthandLinesAcrossInputsAndAReset() {
        let (repl, capture) = makeRepl([
            "stakeholder ann \"Ann\"", "stakeholder ben \"Ben\"",
            "influence ann -> ben strong", "influence ben -> ann 40%",
        ])
        repl.submit("influencers(ben).id")
        #expect(capture.take().out.contains("[\"ann\"]"))
        repl.submit("stakeholder cy \"Cy\"")
        repl.submit("influence cy -> ben")
        repl.submit("influencers(ben).id")
        #expect(capture.take().out.contains("[\"ann\", \"cy\"]"))
        repl.submit("[l.from.id + \">\" + l.to.id for l in influences]")
        #expect(capture.take().out.contains("[\"ann>ben\", \"ben>ann\", \"cy>ben\"]"))
        repl.submit(":reset")
        _ = capture.take()
        repl.submit("stakeholder dee \"Dee\"")
        repl.submit("stakeholder eve \"Eve\"")
        repl.submit("influence eve -> dee")
        repl.submit("[len(influences), len(influencers(dee))]")
        #expect(capture.take().out.contains("[1, 1]"))
    }

    @Test func linesWithoutAnIdAreEachKeptAndSingletonsReplaced() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (repl, capture) = makeRepl([
            "stakeholder ann \"Ann\"", "stakeholder ben \"Ben\"",
            "influence ann -> ben strong", "influence ben -> ann 40%", "conflict ann <-> ben",
            "account acme \"Acme\"", "account acme \"Acme Corp\"",
        ])
        let file = directory.appendingPathComponent("lines.mapl")
        repl.submit(":save \(file.path)")
        #expect(capture.take().err.isEmpty)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("influence ann -> ben strong") && text.contains("influence ben -> ann 40%"))
        #expect(text.contains("conflict ann <-> ben"))
        #expect(!text.contains("\"Acme\"") && text.contains("\"Acme Corp\""))
    }
}

@Suite("REPL: history file")
struct ReplHistoryTests {
    @Test func pathFromTheEnvironment() {
        #expect(HistoryFile.path(environment: ["MAPL_HISTORY": "/tmp/h", "HOME": "/home/kim"]) == "/tmp/h")
        #expect(HistoryFile.path(environment: ["MAPL_HISTORY": "~/h", "HOME": "/home/kim"]) == "/home/kim/h")
        #expect(HistoryFile.path(environment: ["MAPL_HISTORY": "/dev/null", "HOME": "/home/kim"]) == nil)
        #expect(HistoryFile.path(environment: ["MAPL_HISTORY": "", "HOME": "/home/kim"]) == nil)
        #expect(HistoryFile.path(environment: ["XDG_STATE_HOME": "/home/kim/.state", "HOME": "/home/kim"])
            == "/home/kim/.state/mapl/history")
        #expect(HistoryFile.path(environment: ["XDG_STATE_HOME": "relative", "HOME": "/home/kim"]) == "/home/kim/.mapl_history")
        #expect(HistoryFile.path(environment: ["HOME": "/home/kim"]) == "/home/kim/.mapl_history")
        #expect(HistoryFile.path(environment: [:]) == nil)
        // Any path that is not a regular file (a device, a directory) keeps no history.
        #expect(HistoryFile.path(environment: ["MAPL_HISTORY": "/dev/zero"]) == nil)
        #expect(HistoryFile.path(environment: ["MAPL_HISTORY": "/tmp"]) == nil)
    }
}
