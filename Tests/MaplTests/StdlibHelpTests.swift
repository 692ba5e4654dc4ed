// The standard library seen from the REPL: `:help NAME` shows a function's `##` doc
// (loaded or not), `:help std/NAME` lists a module, and every stdlib function has a doc.

import Foundation
import Testing
import Mapl
@testable import MaplREPL

@Suite("Standard library: docs and :help")
struct StdlibHelpTests {
    @Test func everyModuleIsFoundAndEveryFunctionDocumented() throws {
        let modules = Stdlib.modules
        #expect(modules == ["execution", "rules", "scoring", "strategy"])
        for module in modules {
            let docs = try #require(Stdlib.functionDocs(ofModule: module))
            #expect(!docs.isEmpty, "\(module)")
            for doc in docs {
                // The first line gives the call shape, then what the function gives.
                #expect(doc.doc.hasPrefix(doc.signature + ": "), "\(module): \(doc.name) has no proper ## doc: \(doc.doc)")
                #expect(!doc.summary.isEmpty && doc.summary.count <= 90, "\(module): \(doc.name) summary: \(doc.summary)")
            }
        }
    }

    @Test func helpOnAStdlibFunctionBeforeAndAfterImport() {
        let (repl, capture) = makeRepl()
        repl.submit(":help pipeline_needed")
        var (out, err) = capture.take()
        #expect(out.hasPrefix("pipeline_needed(goal, won, close_ratio): the open pipeline the goal needs."), "\(out)")
        #expect(out.contains("(goal − won) ÷ close ratio"))
        #expect(out.contains("not loaded: import \"std/scoring\""))
        #expect(err.isEmpty)
        repl.submit("import \"std/scoring\"")
        repl.submit("pipeline_needed($1M, $300k, 35%)")
        #expect(capture.take().out == "$2,000,000\n")
        repl.submit(":help pipeline_needed")
        (out, err) = capture.take()
        #expect(out.hasPrefix("pipeline_needed(goal, won, close_ratio):"))
        #expect(out.contains("(std/scoring)") && !out.contains("not loaded"), "\(out)")
        #expect(err.isEmpty)
    }

    @Test func helpListsModulesAndTheirFunctions() {
        let (repl, capture) = makeRepl()
        repl.submit(":help std")
        let listing = capture.take().out
        for module in ["std/execution", "std/rules", "std/scoring", "std/strategy"] { #expect(listing.contains(module), "\(listing)") }
        repl.submit(":help std/strategy")
        let strategy = capture.take().out
        #expect(strategy.contains("suggest_strategies()") && strategy.contains("candidate primary strategies, each with its reasons."), "\(strategy)")
        repl.submit(":help std/rules")
        let rules = capture.take().out
        #expect(rules.contains("no_coach_on_large_deal(threshold)") && rules.contains("stale_contact(days)"))
        repl.submit(":help")
        #expect(capture.take().out.contains("std/strategy"))
        repl.submit(":help std/strategi")
        #expect(capture.take().err.contains("Did you mean 'std/strategy'?"))
    }

    @Test func helpOnUserFunctionsFromFilesAndTypedInput() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("score.mapl")
        try """
            # not part of the doc: a blank line follows

            ## Our deal score, from 0 to 1.
            ##   score(deal)   # 0.7
            fn score(o) => 0.7

            fn undocumented(a, b) => a
            """.write(to: file, atomically: true, encoding: .utf8)
        let (repl, capture) = makeRepl()
        repl.load(file.path)
        _ = capture.take()
        repl.submit(":help score")
        let out = capture.take().out
        #expect(out == "score(o)  (\(file.path))\n  Our deal score, from 0 to 1.\n    score(deal)   # 0.7\n", "\(out)")
        // An undocumented function does not hide a topic of the same name.
        repl.submit("fn roti(o) => o.egp / o.hours")
        repl.submit(":help roti")
        #expect(capture.take().out.hasPrefix("ROTI: return on time invested"))
        repl.submit(":help undocumented")
        #expect(capture.take().out.hasPrefix("undocumented(a, b)  (\(file.path):7; no ## doc comment)"))
        // Doc lines typed alone document the next input.
        repl.submit("## Doubles x.")
        repl.submit("fn twice(x) => x * 2")
        repl.submit(":help twice")
        #expect(capture.take().out == "twice(x)  (<repl:2>)\n  Doubles x.\n")
        repl.submit("twice(4)")
        #expect(capture.take().out == "8\n")
    }

    @Test func aSessionFunctionShadowsTheStdlibsDoc() {
        let (repl, capture) = makeRepl()
        repl.submit("## My own normalise.\nfn normalise(x, values) => x")
        repl.submit(":help normalise")
        #expect(capture.take().out == "normalise(x, values)  (<repl:1>)\n  My own normalise.\n")
    }
}
