// Tokens: a kind, a byte-offset span, and an index into the lexer's literal table.

/// Every kind of token. Keywords are reserved; plan words (stakeholder, opportunity, …)
/// stay ordinary identifiers so that users may also use them as names.
public enum TokenKind: UInt8, Sendable, CaseIterable {
    // Literals and names
    case identifier
    case number      // 42, 3.5, 1_000
    case money       // $1,200  $1.2M  250k
    case percent     // 40%  12.5%
    case date        // 2027-03-31
    case duration    // 90d 6w 3mo 2q 1y
    case string      // a whole string, or the last piece of an interpolated one
    case stringHead  // the text of a string up to an interpolation `{`
    case stringMiddle  // after an interpolation's `}`, up to the next `{`
    case stringTail  // after the last interpolation's `}`, to the closing quote

    // Keywords
    case kwLet, kwFn, kwReturn, kwIf, kwElse, kwFor, kwIn, kwWhile, kwBreak, kwContinue
    case kwTrue, kwFalse, kwNil, kwAnd, kwOr, kwNot

    // Punctuation and operators
    case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
    case comma, dot, dotDot, colon, semicolon, arrow, rightArrow, twoWayArrow
    case plus, minus, star, slash, percentSign
    case equal, equalEqual, bangEqual, less, lessEqual, greater, greaterEqual
    case plusEqual, minusEqual, starEqual, slashEqual, questionQuestion

    case endOfFile
    /// A byte sequence the lexer rejected; already reported, so the parser stays quiet.
    case invalid

    /// The words shown in "expected …, found …" messages.
    public var display: String {
        switch self {
        case .identifier: return "a name"
        case .number: return "a number"
        case .money: return "a money amount"
        case .percent: return "a percentage"
        case .date: return "a date"
        case .duration: return "a duration"
        case .string, .stringHead: return "a string"
        case .stringMiddle, .stringTail: return "'}'"
        case .kwLet: return "'let'"
        case .kwFn: return "'fn'"
        case .kwReturn: return "'return'"
        case .kwIf: return "'if'"
        case .kwElse: return "'else'"
        case .kwFor: return "'for'"
        case .kwIn: return "'in'"
        case .kwWhile: return "'while'"
        case .kwBreak: return "'break'"
        case .kwContinue: return "'continue'"
        case .kwTrue: return "'true'"
        case .kwFalse: return "'false'"
        case .kwNil: return "'nil'"
        case .kwAnd: return "'and'"
        case .kwOr: return "'or'"
        case .kwNot: return "'not'"
        case .leftParen: return "'('"
        case .rightParen: return "')'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .leftBrace: return "'{'"
        case .rightBrace: return "'}'"
        case .comma: return "','"
        case .dot: return "'.'"
        case .dotDot: return "'..'"
        case .colon: return "':'"
        case .semicolon: return "';'"
        case .arrow: return "'=>'"
        case .rightArrow: return "'->'"
        case .twoWayArrow: return "'<->'"
        case .plus: return "'+'"
        case .minus: return "'-'"
        case .star: return "'*'"
        case .slash: return "'/'"
        case .percentSign: return "'%'"
        case .equal: return "'='"
        case .equalEqual: return "'=='"
        case .bangEqual: return "'!='"
        case .less: return "'<'"
        case .lessEqual: return "'<='"
        case .greater: return "'>'"
        case .greaterEqual: return "'>='"
        case .plusEqual: return "'+='"
        case .minusEqual: return "'-='"
        case .starEqual: return "'*='"
        case .slashEqual: return "'/='"
        case .questionQuestion: return "'??'"
        case .endOfFile: return "end of input"
        case .invalid: return "an invalid token"
        }
    }

    static let keywords: [String: TokenKind] = [
        "let": .kwLet, "fn": .kwFn, "return": .kwReturn, "if": .kwIf, "else": .kwElse,
        "for": .kwFor, "in": .kwIn, "while": .kwWhile, "break": .kwBreak,
        "continue": .kwContinue, "true": .kwTrue, "false": .kwFalse, "nil": .kwNil,
        "and": .kwAnd, "or": .kwOr, "not": .kwNot,
    ]
}

/// One token. 16 bytes: literal values and names live in the lexer's side tables.
public struct Token: Sendable {
    public var kind: TokenKind
    /// True when a line break separates this token from the one before it.
    public var startsLine: Bool
    public var start: Int32
    public var end: Int32
    /// For literal tokens, the index of the value in `LexedSource.literals`; for names,
    /// the name's number in `LexedSource.names` (see `literal` and `name`); else -1.
    public var index: Int32

    /// For literal tokens: the index of the value in `LexedSource.literals`; else -1.
    public var literal: Int32 { kind == .identifier ? -1 : index }
    /// For a name: its number in the lexer's names, the same for every token that spells
    /// it; else -1.
    var name: Int32 { kind == .identifier ? index : -1 }
}

/// The decoded value of a literal token.
public enum Literal: Sendable, Equatable {
    case number(Double)
    case money(Money)
    case percent(Double)
    case date(Day)
    case duration(Duration)
    case string(String)
}

extension Token {
    /// A token from `start` to `end` (byte offsets), not marked as starting a line.
    @inline(__always)
    init(_ kind: TokenKind, _ start: Int, _ end: Int, index: Int32 = -1) {
        // (0 ≤ start ≤ end: when end fits in 32 bits, so does start.)
        self.init(kind: kind, startsLine: false, start: Int32(truncatingIfNeeded: start), end: Int32(end), index: index)
    }
}
