// Breaking lines longer than the line width, only where a line break never changes how
// mapl parses: after an opening bracket, after a separating `,` or `;`, before a
// closing bracket, and before a query's `where`, `sort by` or `group by`.

extension Layout {
    /// Breaks over-long lines until every line fits or cannot be broken further. A line
    /// with a trailing comment is never broken: the comment annotates that line (golden
    /// tests put `# expect error:` there), so its tokens stay together.
    mutating func breakLongLines() {
        var changed = true
        while changed {
            changed = false
            let levels = indentLevels()
            var result: [LayoutLine] = []
            result.reserveCapacity(lines.count)
            for (number, line) in lines.enumerated() {
                if case .code(let first, let last, .none) = line,
                   let pieces = split(first, last, indent: levels[number] * options.indentWidth) {
                    result += pieces.map { LayoutLine.code(first: $0.first, last: $0.last, comment: nil) }
                    changed = true
                } else {
                    result.append(line)
                }
            }
            lines = result
        }
    }

    /// The pieces a too-long line breaks into, or nil when it fits or cannot be broken.
    /// The widest breakable region of the line is broken: a bracket that opens and
    /// closes on the line (its items are filled onto lines one level deeper, and its
    /// closing bracket starts a line), or a query (its `where`, `sort by` and `group by`
    /// clauses are filled onto continuation lines). Nothing inside a string
    /// interpolation is broken, nor a bracket whose opening would not fit.
    private func split(_ first: Int, _ last: Int, indent: Int) -> [(first: Int, last: Int)]? {
        let (text, columns) = lineText(first, last, lineStart: first)
        guard indent + (columns.last ?? 0) > options.lineWidth, !text.contains(10) else { return nil }
        func width(_ from: Int, _ to: Int) -> Int { columns[to + 1 - first] - columns[from - first] }
        var best: (width: Int, pieces: () -> [(first: Int, last: Int)])?
        for index in first...last where interpolationDepth[index] == 0 {
            if Layout.isOpener(tokens[index].kind) {
                let close = partner[index]
                guard close > index + 1, close <= last, indent + columns[index - first] + 1 <= options.lineWidth,
                      width(index, close) > best?.width ?? 0 else { continue }
                best = (width(index, close), { bracketPieces(first, last, open: index, indent: indent) })
            }
            for query in queries[index] ?? [] where query.last <= last && width(index, query.last) > best?.width ?? 0 {
                let breaks = query.breaks.filter { $0 > first }
                guard !breaks.isEmpty else { continue }
                best = (width(index, query.last), { clausePieces(first, last, breaks: breaks, indent: indent) })
            }
        }
        return best?.pieces()
    }

    /// `f(` + the items filled one level deeper + `)…`.
    private func bracketPieces(_ first: Int, _ last: Int, open: Int, indent: Int) -> [(first: Int, last: Int)] {
        let items = items(inside: open)
        // Statements of a block go one to a line; other items are filled.
        let room = tokens[open].kind == .leftBrace && braceKind(open) == .block ? 0 : options.lineWidth - indent - options.indentWidth
        return [(first, open)] + fill(items, room: room) + [(partner[open], last)]
    }

    /// The line up to the query's first clause, then its clauses, filled onto
    /// continuation lines.
    private func clausePieces(_ first: Int, _ last: Int, breaks: [Int], indent: Int) -> [(first: Int, last: Int)] {
        let room = options.lineWidth - indent - options.indentWidth
        let starts = [first] + breaks
        let segments = zip(starts, breaks.map { $0 - 1 } + [last]).map { (first: $0, last: $1) }
        return fill(segments, room: room)
    }

    /// Consecutive items joined on one line while they fit in `room`.
    private func fill(_ items: [(first: Int, last: Int)], room: Int) -> [(first: Int, last: Int)] {
        guard var current = items.first else { return [] }
        var pieces: [(first: Int, last: Int)] = []
        var width = itemWidth(current)
        for item in items.dropFirst() {
            let added = itemWidth(item)
            if width + 1 + added <= room {
                current.last = item.last
                width += 1 + added
            } else {
                pieces.append(current)
                current = item
                width = added
            }
        }
        return pieces + [current]
    }

    private func itemWidth(_ item: (first: Int, last: Int)) -> Int {
        lineText(item.first, item.last, lineStart: item.first).columns.last ?? 0
    }

    /// The items between a bracket and its partner, each with its separator. A block's
    /// statements are separated by `;` (its commas belong to `for i, x` or `sort by`); a
    /// comprehension is one item; lists, records, calls and field blocks split at `,`
    /// and `;`.
    private func items(inside open: Int) -> [(first: Int, last: Int)] {
        let close = partner[open]
        var separators: Set<TokenKind> = [.comma, .semicolon]
        if tokens[open].kind == .leftBrace, braceKind(open) == .block { separators = [.semicolon] }
        var level = 0
        var items: [(first: Int, last: Int)] = []
        var start = open + 1
        for index in open + 1..<close {
            switch Layout.nesting(tokens[index].kind) {
            case .opens: level += 1
            case .closes: level -= 1
            case .reopens, .none: break
            }
            if level == 0, tokens[index].kind == .kwFor, tokens[open].kind == .leftBracket {
                return [(open + 1, close - 1)]  // a comprehension
            }
            if level == 0, separators.contains(tokens[index].kind), !clauseCommas.contains(index) {
                items.append((start, index))
                start = index + 1
            }
        }
        if start < close { items.append((start, close - 1)) }
        return items
    }
}
