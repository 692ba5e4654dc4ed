// Ctrl-C (the interrupt flag its handler sets) stops native work that runs no mapl
// code: a sort of millions of items, and setting up a large plan (`:load`,
// `open_plan`). A watchdog thread keeps the flag set while the work runs, as a user
// holding Ctrl-C would.

import Foundation
import Synchronization
import Testing
@testable import Mapl

@Suite("interrupting native work", .serialized)
struct InterruptTests {
    /// A session with an interrupt flag of its own (not the process's: other tests run
    /// at the same time).
    private func makeSession() -> Session {
        let session = Session(output: { _ in }, today: Day(year: 2026, month: 11, day: 22)!)
        session.machine.interruptFlag = InterruptFlag()
        return session
    }

    /// Runs `body` while another thread sets the session's interrupt flag every few
    /// milliseconds.
    private func whileInterrupting<T>(_ session: Session, _ body: () -> T) -> T {
        let running = Atomic<Bool>(true)
        let flag = session.machine.interruptFlag
        let watchdog = Thread {
            while running.load(ordering: .relaxed) {
                usleep(5_000)
                flag.store(true)
            }
        }
        watchdog.start()
        let result = withLargeStack(body)
        running.store(false, ordering: .relaxed)
        return result
    }

    @Test(arguments: ["let sorted = sort_desc(1..3000000)", "let numbers = 1..3000000\nlet sorted = numbers sort by it desc"])
    func aLongSortStops(_ program: String) {
        let session = makeSession()
        let source = session.addSource(name: "sort.mapl", text: program)
        let outcome = whileInterrupting(session) { session.run(source) }
        guard case .failed(let error) = outcome else {
            Issue.record("the sort ran to the end: \(outcome)")
            return
        }
        #expect(error.diagnostic.message == "interrupted")
    }

    @Test(arguments: ["json", "markdown", "html", "csv\", \"stakeholder"])
    func aLongExportStops(_ format: String) {
        var text = ""
        for index in 0..<20_000 {
            text += "stakeholder s\(index) \"Person \(index)\" { influence: \(index % 10), support: neutral, reports_to: s\(index / 2) }\n"
        }
        let session = makeSession()
        let plan = session.addSource(name: "large.mapl", text: text)
        #expect(withLargeStack { session.run(plan) }.isSuccess)
        let script = session.addSource(name: "export.mapl", text: "let doc = export(\"\(format)\")")
        let outcome = whileInterrupting(session) { session.run(script) }
        guard case .failed(let error) = outcome else {
            Issue.record("the export ran to the end: \(outcome)")
            return
        }
        #expect(error.diagnostic.message == "interrupted")
    }

    @Test func settingUpALargePlanStops() {
        var text = ""
        for index in 0..<60_000 { text += "stakeholder s\(index) \"Person \(index)\" { influence: \(index % 10), support: neutral }\n" }
        let session = makeSession()
        let source = session.addSource(name: "large.mapl", text: text)
        let problems = whileInterrupting(session) { session.loadPlan(source) }
        #expect(problems.contains { $0.message == "interrupted" }, "\(problems.prefix(3).map(\.message))")
    }
}

extension Outcome {
    var isSuccess: Bool { if case .success = self { return true } else { return false } }
}
