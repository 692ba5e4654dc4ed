// The parser's expressions: one function per grammar rule (see grammar.md), lowest
// precedence first, each nesting level counted against `Parser.nestingLimit`.

extension Parser {
    /// An expression in an `if`/`while`/`for` head, where `{` starts the body.
    mutating func headExpression() throws(Abandon) -> Expr {
        let saved = allowRecordLiteral
        allowRecordLiteral = false
        defer { allowRecordLiteral = saved }
        return try expression()
    }

    /// expression = orExpr { queryClause } ;
    mutating func expression() throws(Abandon) -> Expr {
        try nest()
        defer { depth -= 1 }
        var expr = try orExpr()
        var inQuery = false
        let base = chainDepth
        defer { chainDepth = base }
        while let clause = try queryClause(continuing: inQuery) {
            try chain()
            expr = Expr(kind: .query(expr, clause), span: expr.span.to(clause.span))
            inQuery = true
        }
        return expr
    }

    /// queryClause = "where" orExpr | "sort" "by" sortKey { "," sortKey } | "group" "by" orExpr
    ///             | "select" selectItem { "," selectItem } | "take" additive ;
    /// sortKey = orExpr [ "desc" | "asc" ] ;  selectItem = IDENT [ ":" orExpr ] ;
    /// The clause words are not reserved: `where` always starts a clause after an
    /// expression, `sort`/`group` when `by` follows, `select`/`take` on the same line or
    /// on a line continuing a query.
    mutating func queryClause(continuing: Bool) throws(Abandon) -> QueryClause? {
        guard check(.identifier) else { return nil }
        let word = text(peek)
        let followedByBy = token(after: 1).kind == .identifier && text(token(after: 1)) == "by"
        let start = peek
        switch word {
        case "where":
            advance()
            let condition = try orExpr()
            return QueryClause(kind: .filter(condition), span: span(from: start))
        case "sort" where followedByBy:
            advance(); advance()
            var keys: [SortKey] = []
            repeat {
                let key = try orExpr()
                var descending = false
                if check(.identifier), !peek.startsLine, text(peek) == "desc" || text(peek) == "asc" {
                    descending = text(advance()) == "desc"
                }
                keys.append(SortKey(key: key, descending: descending))
            } while match(.comma)
            return QueryClause(kind: .sort(keys), span: span(from: start))
        case "group" where followedByBy:
            advance(); advance()
            let key = try orExpr()
            return QueryClause(kind: .group(key), span: span(from: start))
        case "select" where !peek.startsLine || continuing:
            advance()
            var items: [RecordField] = []
            repeat {
                let name = try identifier("a field name to select")
                if match(.colon) {
                    items.append(RecordField(key: name, value: try orExpr()))
                } else {
                    items.append(RecordField(key: name, value: Expr(kind: .variable(name), span: name.span)))
                }
            } while match(.comma)
            return QueryClause(kind: .select(items), span: span(from: start))
        case "take" where !peek.startsLine || continuing:
            advance()
            let count = try additive()
            return QueryClause(kind: .take(count), span: span(from: start))
        default:
            return nil
        }
    }

    mutating func binary(_ op: BinaryOperator, _ left: Expr, _ right: Expr) -> Expr {
        Expr(kind: .binary(op, left, right), span: left.span.to(right.span))
    }

    /// orExpr = andExpr { "or" andExpr } ;
    mutating func orExpr() throws(Abandon) -> Expr {
        let base = chainDepth
        defer { chainDepth = base }
        var left = try andExpr()
        while match(.kwOr) { try chain(); left = binary(.or, left, try andExpr()) }
        return left
    }

    /// andExpr = notExpr { "and" notExpr } ;
    mutating func andExpr() throws(Abandon) -> Expr {
        let base = chainDepth
        defer { chainDepth = base }
        var left = try notExpr()
        while match(.kwAnd) { try chain(); left = binary(.and, left, try notExpr()) }
        return left
    }

    /// notExpr = "not" notExpr | comparison ;
    mutating func notExpr() throws(Abandon) -> Expr {
        if check(.kwNot) { return try prefixed(.not) { parser throws(Abandon) in try parser.notExpr() } }
        return try comparison()
    }

    /// The prefix operator at `peek` applied to its operand, read by `operand`.
    private mutating func prefixed(_ op: UnaryOperator, _ operand: (inout Parser) throws(Abandon) -> Expr) throws(Abandon) -> Expr {
        let start = advance()
        try nest()
        defer { depth -= 1 }
        let value = try operand(&self)
        return Expr(kind: .unary(op, value), span: span(start).to(value.span))
    }

    /// comparison = coalesce { compareOp coalesce } ;
    /// compareOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in" ;
    mutating func comparison() throws(Abandon) -> Expr {
        let base = chainDepth
        defer { chainDepth = base }
        var left = try coalesce()
        while true {
            let op: BinaryOperator
            var negate = false
            switch peek.kind {
            case .equalEqual: op = .equal
            case .bangEqual: op = .notEqual
            case .less: op = .less
            case .lessEqual: op = .lessEqual
            case .greater: op = .greater
            case .greaterEqual: op = .greaterEqual
            case .kwIn: op = .contains
            case .kwNot where token(after: 1).kind == .kwIn:
                advance()
                op = .contains
                negate = true
            default: return left
            }
            advance()
            try chain()
            let combined = binary(op, left, try coalesce())
            left = negate ? Expr(kind: .unary(.not, combined), span: combined.span) : combined
        }
    }

    /// coalesce = range { "??" range } ;
    mutating func coalesce() throws(Abandon) -> Expr {
        let base = chainDepth
        defer { chainDepth = base }
        var left = try range()
        while match(.questionQuestion) { try chain(); left = binary(.coalesce, left, try range()) }
        return left
    }

    /// range = additive [ ".." additive ] ;
    mutating func range() throws(Abandon) -> Expr {
        let left = try additive()
        guard match(.dotDot) else { return left }
        let right = try additive()
        return Expr(kind: .range(left, right), span: left.span.to(right.span))
    }

    /// additive = multiplicative { ( "+" | "-" ) multiplicative } ;
    mutating func additive() throws(Abandon) -> Expr {
        // Each operator of a chain deepens the (left-leaning) tree; given back after.
        let base = chainDepth
        defer { chainDepth = base }
        var left = try multiplicative()
        while true {
            // A '+' or '-' that starts a line begins a new statement (`-5` on its own).
            if peek.startsLine { return left }
            switch peek.kind {
            case .plus: advance(); try chain(); left = binary(.add, left, try multiplicative())
            case .minus: advance(); try chain(); left = binary(.subtract, left, try multiplicative())
            default: return left
            }
        }
    }

    /// multiplicative = unary { ( "*" | "/" | "%" ) unary } ;
    mutating func multiplicative() throws(Abandon) -> Expr {
        let base = chainDepth
        defer { chainDepth = base }
        var left = try unary()
        while true {
            switch peek.kind {
            case .star: advance(); try chain(); left = binary(.multiply, left, try unary())
            case .slash: advance(); try chain(); left = binary(.divide, left, try unary())
            case .percentSign: advance(); try chain(); left = binary(.remainder, left, try unary())
            default: return left
            }
        }
    }

    /// unary = "-" unary | postfix ;
    mutating func unary() throws(Abandon) -> Expr {
        if check(.minus) { return try prefixed(.negate) { parser throws(Abandon) in try parser.unary() } }
        return try postfix()
    }

    /// postfix = primary { "(" arguments ")" | "[" expression "]" | "." IDENT } ;
    /// A "(" or "[" that starts a new line begins a new statement instead.
    mutating func postfix() throws(Abandon) -> Expr {
        // Each call, index or field deepens the tree; the depth is given back after.
        let base = chainDepth
        defer { chainDepth = base }
        var expr = try primary()
        while true {
            if check(.leftParen), !peek.startsLine {
                advance()
                let saved = allowRecordLiteral
                allowRecordLiteral = true
                defer { allowRecordLiteral = saved }
                var arguments: [Expr] = []
                while !check(.rightParen) {
                    arguments.append(try expression())
                    if !match(.comma) { break }
                }
                try expect(.rightParen, "')' after the arguments")
                expr = Expr(kind: .call(callee: expr, arguments: arguments), span: expr.span.to(span(previous)))
            } else if check(.leftBracket), !peek.startsLine {
                advance()
                let saved = allowRecordLiteral
                allowRecordLiteral = true
                defer { allowRecordLiteral = saved }
                let index = try expression()
                try expect(.rightBracket, "']' after the index")
                expr = Expr(kind: .index(expr, index), span: expr.span.to(span(previous)))
            } else if match(.dot) {
                let name = try identifier("a field name after '.'")
                expr = Expr(kind: .field(expr, name), span: expr.span.to(name.span))
            } else {
                return expr
            }
            try chain()  // each postfix level deepens the tree
        }
    }

    /// primary = NUMBER | MONEY | PERCENT | DATE | DURATION | string | "true" | "false"
    ///         | "nil" | "." IDENT | IDENT | "(" expression ")" | list | record
    ///         | functionExpr | conditional ;
    mutating func primary() throws(Abandon) -> Expr {
        let token = peek
        switch token.kind {
        case .number, .money, .percent, .date, .duration, .string:
            advance()
            if token.kind == .string, case .string(let text) = literal(token) {
                return Expr(kind: .interpolation([.text(text)]), span: span(token))
            }
            return Expr(kind: .literal(literal(token)), span: span(token))
        case .stringHead:
            return try interpolatedString()
        case .kwTrue: advance(); return Expr(kind: .bool(true), span: span(token))
        case .kwFalse: advance(); return Expr(kind: .bool(false), span: span(token))
        case .kwNil: advance(); return Expr(kind: .nilLiteral, span: span(token))
        case .dot:
            advance()
            let name = try identifier("a symbol name after '.'")
            return Expr(kind: .symbol(name.text), span: span(token).to(name.span))
        case .identifier:
            advance()
            let name = Name(text: nameText(token), span: span(token))
            return Expr(kind: .variable(name), span: name.span)
        case .leftParen:
            advance()
            let saved = allowRecordLiteral
            allowRecordLiteral = true
            defer { allowRecordLiteral = saved }
            let inner = try expression()
            try expect(.rightParen, "')' to close '('")
            return Expr(kind: inner.kind, span: span(from: token))
        case .leftBracket:
            return try list()
        case .leftBrace where allowRecordLiteral:
            return try record()
        case .kwFn:
            let start = advance()
            let function = try functionRest(name: nil, start: start)
            return Expr(kind: .function(function), span: function.span)
        case .kwIf:
            return try conditional()
        case .stringMiddle, .stringTail:
            // What follows the '}' of an interpolation: the expression before it is missing.
            throw failure(.expectedExpression(found: "'}'"), at: Token(kind: token.kind, startsLine: false, start: token.start, end: token.start + 1, index: -1))
        case .leftBrace, .rightParen, .rightBracket, .rightBrace, .comma, .dotDot, .colon, .semicolon,
             .arrow, .rightArrow, .twoWayArrow, .plus, .minus, .star, .slash, .percentSign, .equal, .equalEqual, .bangEqual,
             .less, .lessEqual, .greater, .greaterEqual, .plusEqual, .minusEqual, .starEqual,
             .slashEqual, .questionQuestion, .kwLet, .kwReturn, .kwElse, .kwFor, .kwIn, .kwWhile,
             .kwBreak, .kwContinue, .kwAnd, .kwOr, .kwNot, .endOfFile, .invalid:
            throw failure(.expectedExpression(found: describe(token)), at: token)
        }
    }

    /// string = STRING | { STRING_HEAD expression } STRING ;
    mutating func interpolatedString() throws(Abandon) -> Expr {
        let start = peek
        var parts: [InterpolationPart] = []
        let saved = allowRecordLiteral
        allowRecordLiteral = true
        defer { allowRecordLiteral = saved }
        var piece = advance()  // the STRING_HEAD
        while true {
            if case .string(let text) = literal(piece), !text.isEmpty { parts.append(.text(text)) }
            if piece.kind == .stringTail { break }
            parts.append(.expression(try expression()))
            guard check(.stringMiddle) || check(.stringTail) else {
                throw failure(.expected(what: "'}' to close the interpolation", found: describe(peek)), at: peek)
            }
            piece = advance()
        }
        return Expr(kind: .interpolation(parts), span: span(from: start))
    }

    /// list = "[" [ expression ( comprehension | { "," expression } [ "," ] ) ] "]" ;
    /// comprehension = "for" binding "in" expression [ "if" expression ] ;
    mutating func list() throws(Abandon) -> Expr {
        let open = advance()
        let saved = allowRecordLiteral
        allowRecordLiteral = true
        defer { allowRecordLiteral = saved }
        var items: [Expr] = []
        if !check(.rightBracket) {
            let first: Expr
            if let single = try singleTokenItem() { first = single } else { first = try expression() }
            if match(.kwFor) {
                let binding = try loopBinding()
                try expect(.kwIn, "'in' after the variable in a comprehension")
                let sequence = try expression()
                let condition = match(.kwIf) ? try expression() : nil
                try expect(.rightBracket, "']' to close the comprehension")
                return Expr(kind: .comprehension(element: first, binding: binding, sequence: sequence, condition: condition), span: span(from: open))
            }
            items.append(first)
            while match(.comma) {
                if check(.rightBracket) { break }
                if let single = try singleTokenItem() { items.append(single) } else { items.append(try expression()) }
            }
        }
        try expect(.rightBracket, "']' or ',' in the list")
        return Expr(kind: .list(items), span: span(from: open))
    }

    /// The next item of a list, record or field block when it is a single token before
    /// ',', ';', ']' or '}' (most values of a large plan): read with `primary` at once,
    /// since no operator can follow it and descending through every precedence level
    /// would find the same. Nil otherwise. (Its own function, so that parsing deeply
    /// nested lists costs no more stack per level.)
    mutating func singleTokenItem() throws(Abandon) -> Expr? {
        let next = token(after: 1).kind
        guard next == .comma || next == .semicolon || next == .rightBracket || next == .rightBrace else { return nil }
        let kind = peek.kind
        guard kind == .identifier || kind == .number || kind == .money || kind == .percent || kind == .date
            || kind == .duration || kind == .string || kind == .kwTrue || kind == .kwFalse || kind == .kwNil else { return nil }
        return try primary()
    }

    /// record = "{" [ field { "," field } [ "," ] ] "}" ;   field = ( IDENT | STRING ) ":" expression ;
    mutating func record() throws(Abandon) -> Expr {
        let open = advance()
        var fields: [RecordField] = []
        while !check(.rightBrace) {
            let key: Name
            if check(.string), case .string(let text) = literal(peek) {
                let token = advance()
                key = Name(text: text, span: span(token))
            } else {
                key = try identifier("a field name in the record")
            }
            try expect(.colon, "':' after the field name")
            let value: Expr
            if let single = try singleTokenItem() { value = single } else { value = try expression() }
            fields.append(RecordField(key: key, value: value))
            if !match(.comma) { break }
        }
        try expect(.rightBrace, "'}' or ',' in the record")
        return Expr(kind: .record(fields), span: span(from: open))
    }

    /// conditional = "if" expression block [ "else" ( conditional | block ) ] ;
    mutating func conditional() throws(Abandon) -> Expr {
        let start = advance()
        try nest()
        defer { depth -= 1 }
        let condition = try headExpression()
        let then = try block("'{' after the condition")
        var otherwise: Block?
        if match(.kwElse) {
            if check(.kwIf) {
                let nested = try conditional()
                otherwise = Block(statements: [Stmt(kind: .expression(nested), span: nested.span)], span: nested.span)
            } else {
                otherwise = try block("'{' or 'if' after 'else'")
            }
        }
        return Expr(kind: .conditional(condition: condition, then: then, otherwise: otherwise), span: span(from: start))
    }
}
