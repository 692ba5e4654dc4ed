// The value stack (Machine.swift) starts small and is initialized further on demand,
// doubling: a session, and every plan opened with open_plan, touches stack memory in
// proportion to the depth its code reaches. Frames are checked before use.

import Foundation
import Testing
@testable import Mapl

@Suite("value stack")
struct ValueStackTests {
    static let span = Span(file: 0, start: 0, end: 0)

    static func ready(_ machine: Machine) -> Int { machine.registers.pointee.stackReady - machine.stack }

    @Test func aSessionStartsWithAFewSlots() {
        let session = Session(output: { _ in })
        #expect(ValueStackTests.ready(session.machine) == Machine.initialStackSlots)
    }

    @Test func deeperCallsDoubleWhatIsReady() {
        var printed = ""
        let ready: Int = withLargeStack {
            let session = Session(output: { printed += $0 })
            let source = session.addSource(name: "<deep>", text: "fn d(n) => if n == 0 { 0 } else { 1 + d(n - 1) }\nprint(d(3000))\n")
            guard case .success = session.run(source) else { return 0 }
            return ValueStackTests.ready(session.machine)
        }
        #expect(printed == "3000\n")
        // Each call's frame is far smaller than what is ready, so every step doubles.
        #expect(ready >= 3000 && ready < Machine.stackCapacity)
        #expect(ready % Machine.initialStackSlots == 0 && (ready / Machine.initialStackSlots).nonzeroBitCount == 1)
    }

    /// A machine that is gone gives its stack back for the next (a session costs no
    /// allocation): the next starts as a new one would, its slots empty.
    @Test func aStackGivenBackStartsAsANewOne() {
        withLargeStack {
            for _ in 0..<3 {
                let session = Session(output: { _ in })
                #expect(ValueStackTests.ready(session.machine) == Machine.initialStackSlots)
                let held = (0..<Machine.initialStackSlots).filter { if case .nil = session.machine.stack[$0] { false } else { true } }
                #expect(held.isEmpty)
                let source = session.addSource(name: "<deep>", text: "fn d(n, s) => if n == 0 { [s] } else { d(n - 1, s + \"x\") }\nlet r = d(2000, \"\")\n")
                guard case .success = session.run(source) else { Issue.record("did not run"); return }
                #expect(ValueStackTests.ready(session.machine) > Machine.initialStackSlots)
            }
        }
    }

    @Test func anOpenedPlanStartsWithAFewSlots() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-stack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = folder.appendingPathComponent("small.mapl")
        try "account small \"Small\" { revenue_goal: $1M }\n".write(to: plan, atomically: true, encoding: .utf8)
        var printed = ""
        let opened: [Int] = withLargeStack {
            let session = Session(output: { printed += $0 })
            let source = session.addSource(name: "<opener>", text: "print(open_plan(\"\(plan.path)\").account.name)\n")
            guard case .success = session.run(source) else { return [] }
            return session.openedPlans.values.map { ValueStackTests.ready($0.machine) }
        }
        #expect(printed == "Small\n")
        #expect(opened == [Machine.initialStackSlots])
    }

    @Test func aFrameOutsideTheMachinesStackIsRefused() {
        let one = Session(output: { _ in }).machine, other = Session(output: { _ in }).machine
        // Another machine's stack lies wholly below or above this one's: either way refused.
        #expect(throws: RuntimeError.self) { try one.reserve(other.stack + 8, ValueStackTests.span) }
        #expect(throws: RuntimeError.self) { try other.reserve(one.stack + 8, ValueStackTests.span) }
        #expect(throws: RuntimeError.self) { try one.reserve(one.stackEnd + 1, ValueStackTests.span) }
        #expect(throws: Never.self) { try one.reserve(one.stack + 1000, ValueStackTests.span) }
        #expect(ValueStackTests.ready(one) == 1000)
    }
}
