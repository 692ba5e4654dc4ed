// Opening another plan file from a running script: `open_plan(path)`. A session holds
// one plan; a manager's portfolio script needs several. Each opened file gets a session
// of its own (its declarations checked and set up, its statements not run), and the
// script receives a record of that plan's collections. Entities remember their plan, so
// derived fields (`o.roles`, `s.covered_by`, …) are computed in the plan they come from,
// while `rank(list)` scores them by the script's own criteria: one prioritization over
// many accounts.

import Foundation

extension Session {
    /// Opens the plan file at `path` for the program running in this session.
    ///
    /// A relative path is taken from the folder of the file that makes the call, as
    /// `import` does; if there is no such file there, from the current directory (so a
    /// path typed on the command line and passed through `args` works too). Each file
    /// is set up once per session; a second call returns a new record over the same plan.
    /// Errors in the opened file become one runtime error at the call, with each of the
    /// file's errors as a note at its own place.
    /// The opened plan runs its code on this session's value stack, in frames from `top`
    /// (the caller's first free slot).
    func openPlan(_ path: String, at span: Span, top: Frame) throws -> Value {
        try openedSession(path, at: span, top: top).planRecord(file: path, at: span, top: top)
    }

    /// The session holding the plan file at `path`, set up on first use (see `openPlan`).
    func openedSession(_ path: String, at span: Span, top: Frame) throws -> Session {
        guard let full = resolvePlanPath(path, calledFrom: span) else {
            let folder = callerDirectory(span)
            let places = folder.isEmpty ? "the current directory" : "\(folder)/ and the current directory"
            throw RuntimeError(.invalidArgument(function: "open_plan", message: "cannot read '\(path)': no such file (looked in \(places))"), at: span)
        }
        let key = Session.canonicalPath(full)
        if openingChain.contains(key) {
            throw RuntimeError(.invalidArgument(function: "open_plan", message: "'\(path)' opens itself"), at: span)
        }
        let opened: Session
        if let known = openedPlans[key] {
            opened = known
        } else {
            opened = try load(full, key: key, named: path, at: span, top: top)
            openedPlans[key] = opened
        }
        return opened
    }

    /// The directory of the file a span is in ("" for standard input and the REPL).
    private func callerDirectory(_ span: Span) -> String {
        guard let name = sources.file(span.file)?.name, !name.hasPrefix("<") else { return "" }
        return PathNames.directory(of: name)
    }

    /// The path to read: beside the calling file first, then from the current directory.
    /// (Whatever is there is read: a folder or a device is then refused with its reason.)
    private func resolvePlanPath(_ path: String, calledFrom span: Span) -> String? {
        func readable(_ candidate: String) -> Bool { FileManager.default.fileExists(atPath: candidate) }
        let directory = callerDirectory(span)
        if path.hasPrefix("/") || directory.isEmpty { return readable(path) ? path : nil }
        let beside = directory + "/" + path
        if readable(beside) { return beside }
        return readable(path) ? path : nil
    }

    /// Reads, checks and sets up a plan file in a new session sharing this one's sources
    /// (so messages about it show its lines), its date, its output and its value stack (so
    /// the opened plan's functions can be called from here), set up from `top`. Once set
    /// up, the texts of the file and its imports are let go (see `SourceMap.release`).
    private func load(_ full: String, key: String, named path: String, at span: Span, top: Frame) throws -> Session {
        let bytes: SourceBytes
        switch SourceBytes.contents(ofFile: full) {
        case .success(let read): bytes = read
        case .failure(let error): throw RuntimeError(.invalidArgument(function: "open_plan", message: "cannot read '\(path)': \(error.reason)"), at: span)
        }
        let child = Session(output: machine.output, today: machine.today, sources: sources, sharingStackOf: machine)
        child.openingChain = openingChain + [key]
        let file = sources.add(name: full, bytes: bytes, readFrom: full)
        let errors = child.loadPlan(file, from: top)
        if errors.isEmpty {
            child.settleOpenedPlan(sources: file.id..<FileID(sources.count))
            return child
        }
        var error = RuntimeError(.invalidArgument(function: "open_plan",
                                                  message: "'\(path)' has \(errors.count == 1 ? "an error" : "\(errors.count) errors")"), at: span)
        let shown = 10
        error.diagnostic.notes = errors.prefix(shown).map { problem in
            Diagnostic.Note(span: problem.span, message: problem.message + (problem.hint.map { " (hint: \($0))" } ?? ""))
        }
        if errors.count > shown {
            error.diagnostic.notes.append(Diagnostic.Note(span: span, message: "… and \(errors.count - shown) more errors in '\(path)'"))
        }
        throw error
    }

    /// Lets go of what a plan opened with `open_plan` no longer needs once set up (its
    /// statements never run, and no more code is resolved in its session): the texts of
    /// its file and imports (`sources`; they are read again to show a line in a message
    /// or a function's code in an export), its global names (its code reaches globals
    /// by slot, in the machine) and its warnings (never shown for an opened plan).
    private func settleOpenedPlan(sources ids: Range<FileID>) {
        sources.release(ids)
        globals = GlobalScope()
        warnings = []
    }

    /// `{file, account, stakeholders, opportunities, …, pipeline}`: every collection and
    /// singleton of this session's plan by the name a script uses for it, plus the
    /// plan's `pipeline()` computed in the plan itself.
    func planRecord(file: String, at span: Span, top: Frame) throws -> Value {
        let plan = machine.plan
        var pairs: [(String, Value)] = [("file", .string(file))]
        for kind in Schema.kinds {
            if kind.isSingleton {
                pairs.append((kind.name, plan.singleton(kind).map(Value.entity) ?? .nil))
            } else {
                pairs.append((kind.plural, .list(plan.collection(kind))))
            }
        }
        if let pipeline = Builtins.signatures["pipeline"]?.index {
            let context = CallContext(machine: machine, span: span, top: top)
            pairs.append(("pipeline", try Builtins.call(pipeline, UnsafeBufferPointer(start: nil, count: 0), context)))
        }
        return .record(RecordObject(pairs))
    }
}

extension Builtins {
    /// The plan an entity belongs to: its own (also when opened with `open_plan`), else
    /// the running session's.
    static func home(_ entity: Entity, _ context: CallContext) -> Plan {
        entity.plan ?? context.machine.plan
    }

    static let planLoadingEntries: [Entry] = [
        Entry(name: "open_plan", arity: Arity(1), doc: "open_plan(path): another plan file, checked and set up in a session of its own (its statements do not run), as {file, account, stakeholders, opportunities, …, pipeline}; a relative path is taken from this file's folder, else the current directory") { args, context in
            let path = try string("open_plan", args[0], context)
            guard let session = context.machine.session else {
                throw context.fail("open_plan", "no session to open plans in")
            }
            return try session.openPlan(path, at: context.span, top: context.top)
        },
    ]
}
