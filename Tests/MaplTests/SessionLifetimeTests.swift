// A session's compiled code holds its machine, and the machine holds that code: in its
// globals (functions), its plan (rules, code fields) and the plans it opened.
// `Machine.clear()` breaks those cycles and `Session.check` clears its scratch session,
// so neither outlives its use. (Found by the fuzzer: check mode leaked a machine, with
// its 24 MB of stack address space, per input that declared a function or a rule.)

import Foundation
import Testing
@testable import Mapl

@Suite("session lifetime")
struct SessionLifetimeTests {
    static let plan = """
        fn double(x) => x * 2
        opportunity a "A" { value: $300k }
        rule big "Deals over $100k" = opportunities where value > $100k
        criterion size "Size" { weight: 1, score: fn(o) => o.value >= $1M }
        print(double(2))

        """

    final class Watch {
        weak var session: Session?
        weak var machine: Machine?
        weak var opened: Machine?
    }

    @Test func checkFreesItsScratchSession() {
        let watch = Watch()
        let diagnostics: [Diagnostic] = withLargeStack {
            let session = Session(output: { _ in })
            session.onScratchSession = { watch.session = $0; watch.machine = $0.machine }
            return session.check(session.addSource(name: "<plan>", text: SessionLifetimeTests.plan))
        }
        #expect(diagnostics.map(\.message) == ["Deals over $100k [big]"])
        #expect(watch.session == nil)
        #expect(watch.machine == nil)
    }

    @Test func aClearedSessionIsFreedWithThePlansItOpened() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-lifetime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("other.mapl")
        try SessionLifetimeTests.plan.write(to: file, atomically: true, encoding: .utf8)
        let watch = Watch()
        var printed = ""
        let ran: Bool = withLargeStack {
            let session = Session(output: { printed += $0 })
            let text = SessionLifetimeTests.plan + "print(len(open_plan(\"\(file.path)\").opportunities))\n"
            guard case .success = session.run(session.addSource(name: "<plan>", text: text)) else { return false }
            watch.machine = session.machine
            watch.opened = session.openedPlans.values.first?.machine
            session.machine.clear()
            return true
        }
        #expect(ran && printed == "4\n1\n")
        #expect(watch.machine == nil)
        #expect(watch.opened == nil)
    }

    /// A function value kept after its machine was cleared (its cell let go) calling
    /// itself fails as a call of nil does, rather than reaching a freed prototype.
    @Test func aFunctionKeptAfterClearFailsCallingItself() {
        let outcome: String = withLargeStack {
            let session = Session(output: { _ in })
            let source = session.addSource(name: "<f>", text: "fn down(n) => if n == 0 { 0 } else { down(n - 1) }\nlet kept = down\n")
            guard case .success = session.run(source), let slot = session.globals.names.firstIndex(of: "kept") else { return "did not run" }
            let kept = session.machine.global(slot)
            let machine = session.machine
            machine.clear()
            do {
                return "\(try machine.call(kept, [.number(0)], top: machine.stack, span: Span(file: 0, start: 0, end: 0)).display), " +
                    "\(try machine.call(kept, [.number(3)], top: machine.stack, span: Span(file: 0, start: 0, end: 0)).display)"
            } catch let error as RuntimeError {
                return "failed: \(error.diagnostic.message)"
            } catch {
                return "\(error)"
            }
        }
        #expect(outcome.hasPrefix("failed: "), "\(outcome)")
    }
}
