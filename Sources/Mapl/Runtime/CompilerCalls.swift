// Closure compilation of calls. Calls with up to two arguments have their own closures:
// a mapl function's frame is written in place and its body entered directly, a built-in
// is called without an argument array, and a capture-free function calling itself
// skips reading and checking the callee.

extension Compiler {
    func compileCall(_ calleeExpr: Expr, _ argumentExprs: [Expr], span: Span) -> ExprCode {
        let callee = compileCallee(calleeExpr)
        // Arguments are evaluated into locals before the callee's frame is written,
        // because evaluating one may itself call functions that use that stack space.
        switch argumentExprs.count {
        case 0:
            return compileCallWithoutArguments(callee, span: span)
        case 1:
            let argument = compileExpr(argumentExprs[0])  // direct, not from the array
            if case .variable(let name) = calleeExpr.kind, case .currentFunction? = resolution.reference(name), let cell = selfCell {
                return compileSelfCall(cell, argument, span: span)
            }
            return compileCallWithOneArgument(callee, argument, span: span)
        case 2:
            let first = compileExpr(argumentExprs[0]), second = compileExpr(argumentExprs[1])
            return compileCallWithTwoArguments(callee, first, second, span: span)
        default:
            return compileCallWithArgumentList(callee, ContiguousArray(argumentExprs.map(compileExpr)), span: span)
        }
    }

    /// `f()`.
    private func compileCallWithoutArguments(_ callee: @escaping ExprCode, span: Span) -> ExprCode {
        let machine = self.machine
        let frameSize = self.frameSize
        return { frame in
            let function = try callee(frame)
            if case .function(let closure) = function, closure.proto.arity == 0 {
                let proto = closure.proto
                let next = frame + frameSize
                try machine.prepareFrame(for: proto, at: next, span: span)
                if proto.needsSelfSlot { next[0] = function }
                return try machine.enter(proto, frame: next, span: span)
            }
            return try machine.call(function, [], top: frame + frameSize, span: span)
        }
    }

    /// A capture-free function calling itself with one argument: no callee to read or
    /// check (the resolver has checked the argument count).
    private func compileSelfCall(_ cell: SelfCell, _ argument: @escaping ExprCode, span: Span) -> ExprCode {
        let machine = self.machine
        let frameSize = self.frameSize
        return { frame in
            let a = try argument(frame)
            guard let proto = cell.proto.pointee?.takeUnretainedValue(), proto.arity == 1 else {
                return try machine.call(cell.pointer.pointee, [a], top: frame + frameSize, span: span)
            }
            let next = frame + frameSize
            try machine.prepareFrame(for: proto, at: next, span: span)
            next[1] = a
            return try machine.enter(proto, frame: next, span: span)
        }
    }

    /// `f(a)`.
    private func compileCallWithOneArgument(_ callee: @escaping ExprCode, _ argument: @escaping ExprCode, span: Span) -> ExprCode {
        let machine = self.machine
        let frameSize = self.frameSize
        return { frame in
            let function = try callee(frame)
            let a = try argument(frame)
            if case .function(let closure) = function, closure.proto.arity == 1 {
                let proto = closure.proto
                let next = frame + frameSize
                try machine.prepareFrame(for: proto, at: next, span: span)
                if proto.needsSelfSlot { next[0] = function }
                next[1] = a
                return try machine.enter(proto, frame: next, span: span)
            }
            if case .builtin(let index) = function {
                return try machine.callBuiltin(index, a, top: frame + frameSize, span: span)
            }
            return try machine.call(function, [a], top: frame + frameSize, span: span)
        }
    }

    /// `f(a, b)`.
    private func compileCallWithTwoArguments(_ callee: @escaping ExprCode, _ first: @escaping ExprCode, _ second: @escaping ExprCode,
                                             span: Span) -> ExprCode {
        let machine = self.machine
        let frameSize = self.frameSize
        return { frame in
            let function = try callee(frame)
            let a = try first(frame), b = try second(frame)
            if case .function(let closure) = function, closure.proto.arity == 2 {
                let proto = closure.proto
                let next = frame + frameSize
                try machine.prepareFrame(for: proto, at: next, span: span)
                if proto.needsSelfSlot { next[0] = function }
                next[1] = a
                next[2] = b
                return try machine.enter(proto, frame: next, span: span)
            }
            if case .builtin(let index) = function {
                return try machine.callBuiltin(index, a, b, top: frame + frameSize, span: span)
            }
            return try machine.call(function, [a, b], top: frame + frameSize, span: span)
        }
    }

    /// `f(a, b, c, …)`: the arguments gathered in an array, the call made by the machine.
    private func compileCallWithArgumentList(_ callee: @escaping ExprCode, _ arguments: ContiguousArray<ExprCode>, span: Span) -> ExprCode {
        let machine = self.machine
        let frameSize = self.frameSize
        let count = arguments.count
        return { frame in
            let function = try callee(frame)
            var values: [Value] = []
            values.reserveCapacity(count)
            for argument in arguments { values.append(try argument(frame)) }
            try machine.poll(span)
            return try machine.call(function, values, top: frame + frameSize, span: span)
        }
    }

    /// Reads what is called. A function calling itself or a set global is read in place,
    /// not through another closure call (the hottest path of recursive code).
    func compileCallee(_ calleeExpr: Expr) -> ExprCode {
        let general = compileExpr(calleeExpr)
        guard case .variable(let name) = calleeExpr.kind else { return general }
        let machine = self.machine
        switch resolution.reference(name) {
        case .currentFunction?:
            // A function without captures is one constant closure: read it from its
            // cell, so calls need not keep the closure in frame slot 0.
            if let cell = selfCell { return { _ in cell.pointer.pointee } }
            return { frame in frame[0] }
        case .global(let slot)?:
            return { frame in
                let value = machine.globals[slot]
                if case .function = value { return value }
                return try general(frame)
            }
        default:
            return general
        }
    }
}
