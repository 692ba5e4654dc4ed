// Shorthand influence and conflict lines and plain declarations are held compactly
// when a plan is read (LineBatch.swift, LineColumns.swift, DeclarationBatch.swift). Over
// every .mapl file in the repository, that must change nothing users see: the same
// check diagnostics, the same plan exported as JSON, and (for the golden tests) the same
// output of `mapl run`, as when every declaration is read as a syntax tree; and the
// declarations rebuilt from the compact forms must be the syntax trees the parser builds.

import Foundation
import Testing
@testable import Mapl

@Suite("compact lines and declarations agree with syntax trees")
struct CompactPlanTests {
    /// `mapl check`'s diagnostics, then the plan as JSON (or why it could not be set up).
    static func outcome(of path: String, compact: Bool) -> String {
        withLargeStack {
            let text = (try? FormatCorpus.read(path)) ?? ""
            let fullPath = MaplProcess.root.appendingPathComponent(path).path
            let checking = Session(output: { _ in }, today: Day(year: 2026, month: 11, day: 22) ?? Session.today())
            checking.compactsDeclarations = compact
            let renderer = DiagnosticRenderer(sources: checking.sources)
            var report = checking.check(checking.addSource(name: fullPath, text: text)).map(renderer.render).joined()
            let declaring = Session(output: { _ in }, today: Day(year: 2026, month: 11, day: 22) ?? Session.today())
            declaring.compactsDeclarations = compact
            let problems = declaring.declarePlan(declaring.addSource(name: fullPath, text: text))
            if problems.isEmpty, case .text(let json)? = try? declaring.export.render(.json) {
                report += json
            } else {
                report += "no plan: \(problems.count) problems"
            }
            return report
        }
    }

    @Test(arguments: FormatCorpus.files())
    func sameDiagnosticsAndPlan(_ file: CorpusFile) {
        let compact = CompactPlanTests.outcome(of: file.path, compact: true)
        let written = CompactPlanTests.outcome(of: file.path, compact: false)
        #expect(compact == written)
    }

    /// What `mapl run` prints for a file, then how the run ended.
    static func runOutput(of path: String, compact: Bool) -> String {
        withLargeStack {
            let text = (try? FormatCorpus.read(path)) ?? ""
            var printed = ""
            let session = Session(output: { printed += $0 }, today: Day(year: 2026, month: 11, day: 22) ?? Session.today())
            session.compactsDeclarations = compact
            let renderer = DiagnosticRenderer(sources: session.sources)
            switch session.run(session.addSource(name: MaplProcess.root.appendingPathComponent(path).path, text: text)) {
            case .success: printed += "\n(ran)"
            case .rejected(let problems): printed += problems.map(renderer.render).joined()
            case .failed(let error): printed += renderer.render(error.diagnostic)
            }
            return printed
        }
    }

    /// The corpus files that are golden tests run as `mapl run` (they end; none read stdin).
    static let runnable = FormatCorpus.files().filter { file in
        guard let text = try? FormatCorpus.read(file.path) else { return false }
        return text.contains("# expect") && !text.contains("# stdin:") && !text.contains("# command:")
    }

    @Test(arguments: runnable)
    func sameRunOutput(_ file: CorpusFile) {
        #expect(CompactPlanTests.runOutput(of: file.path, compact: true) == CompactPlanTests.runOutput(of: file.path, compact: false))
    }

    /// The top-level declarations of a file, each dumped, in order: as parsed, or rebuilt
    /// from the compact forms.
    static func declarations(of path: String, compact: Bool) -> [String] {
        // (Deeply nested test files need a large stack to parse and dump.)
        withLargeStack {
            let source = SourceFile(id: 0, name: path, text: (try? FormatCorpus.read(path)) ?? "")
            return dumpedDeclarations(Parser.parse(source, compact: compact).0)
        }
    }

    /// A program's top-level declarations, written out or rebuilt from compact forms,
    /// each dumped, in order.
    static func dumpedDeclarations(_ program: Program) -> [String] {
        var dumped: [String] = []
        func add(_ declaration: Declaration) {
            var text = ""
            dump(declaration, to: &text)
            dumped.append(text)
        }
        for statement in program.statements {
            switch statement.kind {
            case .declaration(let declaration): add(declaration)
            case .lines(let batch):
                for line in 0..<batch.count {
                    if let declaration = batch.declaration(line) { add(declaration) } else { dumped.append("line \(line) not read again") }
                }
            case .declarations(let batch): for index in 0..<batch.count { add(batch.declaration(index)) }
            default: break
            }
        }
        return dumped
    }

    @Test(arguments: FormatCorpus.files())
    func rebuiltDeclarationsAreTheParsedOnes(_ file: CorpusFile) {
        let compact = CompactPlanTests.declarations(of: file.path, compact: true)
        let written = CompactPlanTests.declarations(of: file.path, compact: false)
        #expect(compact.count == written.count)
        for (rebuilt, parsed) in zip(compact, written) where rebuilt != parsed {
            Issue.record("rebuilt:\n\(rebuilt)\nparsed:\n\(parsed)")
            return
        }
    }

    @Test(arguments: FormatCorpus.files())
    func declarationsReadAgainAreTheOnesRead(_ file: CorpusFile) {
        // Once a batch lets go of its places, they are read again from the source.
        withLargeStack {
            let source = SourceFile(id: 0, name: file.path, text: (try? FormatCorpus.read(file.path)) ?? "")
            for statement in Parser.parse(source, compact: true).0.statements {
                guard case .declarations(let batch) = statement.kind else { continue }
                for index in 0..<batch.count {
                    var read = "", reread = ""
                    dump(batch.declaration(index), to: &read)
                    if let again = Parser.reread(at: batch.headerStart[index], in: source) { dump(again, to: &reread) }
                    if read != reread {
                        Issue.record("read:\n\(read)\nread again:\n\(reread)")
                        return
                    }
                }
            }
        }
    }

    @Test func readingAgainAnywhereIsSafe() throws {
        // At any offset (a file changed on disk since it was read): a declaration that
        // starts there, or nothing, and never a trap.
        let text = try FormatCorpus.read("examples/globex/people.mapl")
        let source = SourceFile(id: 0, name: "plan.mapl", text: text)
        let starts = withLargeStack {
            (-2...text.utf8.count + 2).compactMap { offset in Parser.reread(at: Int32(offset), in: source).map { (offset, $0.span.start) } }
        }
        #expect(starts.allSatisfy { offset, start in start >= Int32(offset) })
        #expect(Set(starts.map(\.1)).count >= 30, "the plan's declarations are found")
    }

    @Test func theCorpusHasPlainDeclarations() throws {
        // The comparisons mean something only if most declarations are compacted.
        var compacted = 0, written = 0, roleMaps = 0
        for file in FormatCorpus.files() {
            let source = SourceFile(id: 0, name: file.path, text: try FormatCorpus.read(file.path))
            for statement in withLargeStack({ Parser.parse(source, compact: true).0.statements }) {
                if case .declarations(let batch) = statement.kind {
                    compacted += batch.count
                    for index in 0..<batch.count {
                        for field in batch.fields(of: index) { if case .roleMap = batch.value(field) { roleMaps += 1 } }
                    }
                }
                if case .declaration(let declaration) = statement.kind, !["influence", "conflict"].contains(declaration.kind.text) {
                    written += 1
                }
            }
        }
        #expect(compacted >= 900)
        #expect(compacted >= 4 * written)
        #expect(roleMaps >= 50, "deals' role maps are compacted too")
    }

    @Test func theCorpusHasShorthandLines() throws {
        // The comparison above means something only if the corpus uses the shorthand.
        let withLines = try FormatCorpus.files().filter { try FormatCorpus.read($0.path).contains("\ninfluence ") }
        #expect(withLines.count >= 20)
    }

    /// A plan with more lines and declarations than one batch holds, and a line in the
    /// middle of a batch that goes the ordinary way (its end is a `let`, not an id).
    static func batchedPlan(people: Int, lines: Int) -> String {
        var text = ""
        for index in 0..<people { text += "stakeholder s\(index) \"P \(index)\" { influence: \(index % 11), support: neutral }\n" }
        text += "let lead = s0\n"
        for index in 0..<lines {
            let strength = ["strong", "40%", ""][index % 3]
            let from = index == 1 ? "lead" : "s\(index % people)"
            text += "influence \(from) -> s\((index * 7 + 1) % people) \(strength)\n"
        }
        return text
    }

    @Test func batchesAreSplitCutToSizeAndFilledInOrLetGo() throws {
        let people = DeclarationBatch.maximumCount + 808, lines = LineBatch.maximumCount + 3_000
        let text = CompactPlanTests.batchedPlan(people: people, lines: lines)
        let statements = withLargeStack { Parser.parse(SourceFile(id: 0, name: "t", text: text), compact: true).0.statements }
        let declarationBatches = statements.compactMap { if case .declarations(let batch) = $0.kind { batch } else { nil } }
        let lineBatches = statements.compactMap { if case .lines(let batch) = $0.kind { batch } else { nil } }
        #expect(declarationBatches.map(\.count) == [DeclarationBatch.maximumCount, 808])
        #expect(lineBatches.map(\.count) == [LineBatch.maximumCount, 3_000])
        // Closed batches are cut to size (grown by appending, they had up to twice as much room).
        #expect(lineBatches[1].headerStart.capacity < 3_000 + 3_000 / 8 + 16)
        #expect(declarationBatches[1].headerStart.capacity < 808 + 808 / 8 + 16)

        let session = Session(output: { _ in })
        session.compactsDeclarations = true
        let source = session.addSource(name: "plan.mapl", text: text)
        guard case .success = withLargeStack({ session.run(source) }) else {
            Issue.record("the plan did not run")
            return
        }
        let plan = session.machine.plan
        let stakeholder = try #require(Schema.kind(named: "stakeholder")), influence = try #require(Schema.kind(named: "influence"))
        let first = plan.entities(of: stakeholder)[0], last = plan.entities(of: stakeholder)[people - 1]
        for person in [first, last] {
            guard case .compact(let batch, _) = person.origin else {
                Issue.record("\(person.id) is not from a batch")
                continue
            }
            #expect(batch.valuesReleased)
            let support = try #require(stakeholder.index["support"])
            #expect(person.fieldSpans[support].map(source.text(of:)) == "neutral", "places stay")
        }
        let made = plan.entities(of: influence)
        #expect(made.count == lines)
        let strength = try #require(influence.index["strength"]), from = try #require(influence.index["from"])
        // Every line's strength and ends, also those after the one that went the ordinary way.
        for index in [0, 1, 2, 3, 4, LineBatch.maximumCount - 1, LineBatch.maximumCount, lines - 1] {
            let line = made[index]
            let expected = ["strong", "40%", ""][index % 3]
            var shown = ""
            if case .level = line.fields[strength] { shown = line.fieldSpans[strength].map(source.text(of:)) ?? "no place" }
            #expect(shown == expected, "line \(index)")
            guard case .entity(let person) = line.fields[from] else {
                Issue.record("line \(index) has no from")
                continue
            }
            #expect(person.id == "s\(index % people)" || (index == 1 && person.id == "s0"))
            #expect(line.fieldSpans[from].map(source.text(of:)) == (index == 1 ? "lead" : person.id))
            // (Line 0 was made an entity before it was filled in, when the written line 1
            // was declared: its ends went to the entity.)
            if index != 0, case .line(let batch, let number) = line.origin {
                #expect(batch.from[Int(number)] == plan.existingSerial(of: person), "line \(index) is filled in in place")
            }
        }
        session.machine.clear()
    }
}
