// Unit tests of the formatter: layout rules, comments, long lines, odd inputs.

import Testing
@testable import Mapl

/// The formatted text, or nil when the formatter refused (the reason is recorded).
func formatted(_ text: String, width: Int = 120) -> String? {
    switch SourceFormatter.format(SourceFile(id: 0, name: "t.mapl", text: text), options: FormatOptions(lineWidth: width)) {
    case .formatted(let result): return result
    case .rejected(let diagnostics):
        Issue.record("rejected: \(diagnostics.map(\.message))")
        return nil
    case .unsafe(let problem):
        Issue.record("unsafe: \(problem)")
        return nil
    }
}

@Suite("formatter")
struct FormatterTests {
    @Test func spacingAroundOperators() {
        #expect(formatted("let x=1+2*3-  4/5 %6\n") == "let x = 1 + 2 * 3 - 4 / 5 % 6\n")
        #expect(formatted("print(a==b,a!=b,a<=b,a>=b,a<b,a>b,a??b)\n") == "print(a == b, a != b, a <= b, a >= b, a < b, a > b, a ?? b)\n")
        #expect(formatted("x+=1;y-=2;z*=3;w/=4\n") == "x += 1; y -= 2; z *= 3; w /= 4\n")
        #expect(formatted("print( 1 .. 3 , not  true , 1 in [ 1 ] , 2 not in [ ] )\n") == "print(1..3, not true, 1 in [1], 2 not in [])\n")
    }

    @Test func unaryMinusStaysAttached() {
        #expect(formatted("print(- 3, 2 - -1, -( 3 - 5 ), - -3, -[5][0], x * -y)\n")
            == "print(-3, 2 - -1, -(3 - 5), - -3, -[5][0], x * -y)\n")
        #expect(formatted("fn f(x) { return - x }\n") == "fn f(x) { return -x }\n")
        // A '-' starting a line starts a statement: it stays unary.
        #expect(formatted("let a = 1\n- a\n") == "let a = 1\n-a\n")
    }

    @Test func callsFieldsSymbolsAndFunctions() {
        #expect(formatted("print (f (1) [ 0 ] . name , .champion, r . x)\n") == "print(f(1)[0].name, .champion, r.x)\n")
        #expect(formatted("let f = fn ( x , y ) => x*y\n") == "let f = fn(x, y) => x * y\n")
        #expect(formatted("fn add (a,b) {return a+b}\n") == "fn add(a, b) { return a + b }\n")
        #expect(formatted("if(a) { b }\n") == "if (a) { b }\n")
    }

    @Test func recordsAndBlocksAndFieldBlocks() {
        #expect(formatted("let r = { a : 1 , \"b c\" : [ ] , d: {} }\n") == "let r = {a: 1, \"b c\": [], d: {}}\n")
        #expect(formatted("for x in xs {print(x)}\n") == "for x in xs { print(x) }\n")
        #expect(formatted("fn nothing() {}\n") == "fn nothing() { }\n")
        #expect(formatted("stakeholder dana \"Dana\" {title:\"CFO\",influence:high}\n")
            == "stakeholder dana \"Dana\" { title: \"CFO\", influence: high }\n")
        #expect(formatted("let f = fn(x) => {v: x}\nprint(({a: 1}).a, {v: 3}.v)\n") == "let f = fn(x) => {v: x}\nprint(({a: 1}).a, {v: 3}.v)\n")
        #expect(formatted("influence  a->b  strong\nconflict a<->b\n") == "influence a -> b strong\nconflict a <-> b\n")
    }

    @Test func indentationByBracketsAndContinuations() {
        let input = """
            fn f(xs) {
                    for x in xs {
              if x > 1 {
            print(x)
                  } else if x < 0 {
            print(-x)
            }
              else { print(0) }
             }
            }
            let total = 1 +
            2 +
                    3
            let q = opportunities
            where open
                sort by value desc
            let r = [
            {a: 1},
                {a: [
            2,
            3
                ]},
            ]

            """
        #expect(formatted(input) == """
            fn f(xs) {
              for x in xs {
                if x > 1 {
                  print(x)
                } else if x < 0 {
                  print(-x)
                }
                else { print(0) }
              }
            }
            let total = 1 +
              2 +
              3
            let q = opportunities
              where open
              sort by value desc
            let r = [
              {a: 1},
              {a: [
                2,
                3
              ]},
            ]

            """)
    }

    @Test func declarationFieldsOnTheirOwnLines() {
        let input = "stakeholder dana \"Dana\" {\ntitle: \"CFO\", unit: finance\n    roles: [economic_buyer,\napprover]\n}\n"
        #expect(formatted(input) == "stakeholder dana \"Dana\" {\n  title: \"CFO\", unit: finance\n  roles: [economic_buyer,\n    approver]\n}\n")
        let rule = "rule big for o in opportunities where o.open {\nwhen: o.value > 250k\n expect: coach in o.roles\n}\n"
        #expect(formatted(rule) == "rule big for o in opportunities where o.open {\n  when: o.value > 250k\n  expect: coach in o.roles\n}\n")
    }

    @Test func blankLinesAndWhitespace() {
        #expect(formatted("\n\n\nlet a = 1   \n\n\n\nlet b = 2\t\n\n\n") == "let a = 1\n\nlet b = 2\n")
        #expect(formatted("fn f() {\n\n  return 1\n\n}\n") == "fn f() {\n  return 1\n}\n")
        #expect(formatted("let a = 1") == "let a = 1\n")
        #expect(formatted("") == "")
        #expect(formatted("\n\n  \n") == "")
    }

    @Test func crlfBecomesLf() {
        #expect(formatted("let a = 1\r\n\r\n\r\nprint(a)  # one\r\n") == "let a = 1\n\nprint(a)  # one\n")
        // A line break inside a string is the string's content: kept as written.
        #expect(formatted("print(\"a\r\nb\")\r\n") == "print(\"a\r\nb\")\n")
    }

    @Test func commentsAreKept() {
        let input = """
            #!/usr/bin/env mapl run
            # a header

               # indented like the code after it
            let a = 1 # trailing
            fn f() {
            # inside
              return a    # aligned
            # before the closing brace
            }
            print(a)  # expect: 1
            #last line without newline
            """
        #expect(formatted(input) == """
            #!/usr/bin/env mapl run
            # a header

            # indented like the code after it
            let a = 1  # trailing
            fn f() {
              # inside
              return a    # aligned
              # before the closing brace
            }
            print(a)  # expect: 1
            #last line without newline

            """)
        #expect(formatted("# only\n#   comments   \n\n\n# here") == "# only\n#   comments\n\n# here\n")
    }

    @Test func trailingCommentsKeepTheirColumn() {
        let input = "print(1+2)       # expect: 3\nprint(10   /   4)# expect: 2.5\n"
        #expect(formatted(input) == "print(1 + 2)     # expect: 3\nprint(10 / 4)    # expect: 2.5\n")
    }

    @Test func stringsAndInterpolation() {
        let input = "print(\"a { b + 1 } c\", \"x\\n\\t\\\"\\{\\}\\u{41}\", \"{ {k: 1}.k }\", \"{\"inner {1}\"}\")\n"
        #expect(formatted(input) == "print(\"a {b + 1} c\", \"x\\n\\t\\\"\\{\\}\\u{41}\", \"{{k: 1}.k}\", \"{\"inner {1}\"}\")\n")
        let multiline = "let s = \"first\n   second  \n third\"\n  print(s)\n"
        #expect(formatted(multiline) == "let s = \"first\n   second  \n third\"\nprint(s)\n")
    }

    @Test func lineBreaksThatCarryMeaningAreKept() {
        // '(' or '[' on a new line starts a new statement; so does '+' or '-'.
        let input = "let r = f\n(5)\nlet item = list\n[0]\nlet n = 1\n-2\n"
        #expect(formatted(input) == input)
        #expect(formatted("return\n") == "return\n")
    }

    @Test func longLinesBreakInsideBrackets() {
        let input = "initiative digital \"Digital Plant\" { driver: margin, sponsor: omar, unit: ops, budget: $8M, due: 2027-12-31 }\n"
        #expect(formatted(input, width: 60) == """
            initiative digital "Digital Plant" {
              driver: margin, sponsor: omar, unit: ops, budget: $8M,
              due: 2027-12-31
            }

            """)
        let call = "print(join([\"alpha\", \"beta\", \"gamma\"], \", \"), upper(\"delta\"), lower(\"EPSILON\"))\n"
        #expect(formatted(call, width: 40) == """
            print(
              join(
                ["alpha", "beta", "gamma"], ", "
              ),
              upper("delta"), lower("EPSILON")
            )

            """)
        // A line with a trailing comment is left whole: the comment annotates it.
        let annotated = "print([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])  # expect: [1, 2, 3]\n"
        #expect(formatted(annotated, width: 30) == annotated)
        // A comprehension is one item; a block splits at ';' only.
        #expect(formatted("let xs = [x * 2 for i, x in items if x > 100]\n", width: 30)
            == "let xs = [\n  x * 2 for i, x in items if x > 100\n]\n")
        #expect(formatted("fn f(a) { let b = a * 2; return b + 1 }\n", width: 30)
            == "fn f(a) {\n  let b = a * 2;\n  return b + 1\n}\n")
    }

    @Test func longQueriesBreakBeforeClauses() {
        let input = "let top = opportunities where open and value > 100k sort by value desc, close select name, value take 5\n"
        #expect(formatted(input, width: 50) == """
            let top = opportunities
              where open and value > 100k
              sort by value desc, close select name, value take 5

            """)
    }

    @Test func longLinesThatCannotBreakStay() {
        let input = "let a_very_long_name_indeed = another_very_long_name_that_goes_on + yet_another_long_name\n"
        #expect(formatted(input, width: 40) == input)
        let string = "print(\"a very long string that cannot be broken at all because it is one token\")\n"
        #expect(formatted(string, width: 40) == "print(\n  \"a very long string that cannot be broken at all because it is one token\"\n)\n")
    }

    @Test func deeplyNestedBrackets() {
        // `mapl fmt` formats on a large stack (`withLargeStack`), as here: a test thread's
        // own stack holds only about 200 levels of a debug build's parser.
        let depth = 200
        let input = "print(" + String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth) + ")\n"
        #expect(withLargeStack { formatted(input, width: 10000) } == input)
        // Broken at a narrow width, it still formats, and formats stably.
        let narrow = String(repeating: "[", count: 30) + "1, 2" + String(repeating: "]", count: 30) + "\n"
        let once = formatted("let x = " + narrow, width: 40)
        #expect(once != nil)
        if let once { #expect(formatted(once, width: 40) == once) }
    }

    @Test(arguments: [
        "print(\"unterminated\n",
        "print(\"total: {1 + 2\")\n",
        "let x = (1 + \n",
        "fn f( {\n",
        "let r = {a: 1\n",
        "let d = 2027-02-30\n",
        "let y = 1 +\n",
        "}\n",
    ])
    func syntaxErrorsAreRejected(_ input: String) {
        guard case .rejected(let diagnostics) = SourceFormatter.format(SourceFile(id: 0, name: "t", text: input)) else {
            Issue.record("not rejected: \(input)")
            return
        }
        #expect(!diagnostics.isEmpty)
    }

    @Test func verificationCatchesChangedTokens() {
        let source = SourceFile(id: 0, name: "t", text: "let a = 10 % 3\n")
        let lexed = Lexer.lex(source)
        func verify(_ text: String) -> String? {
            SourceFormatter.verify(original: source, lexed: lexed, comments: [], formatted: text)
        }
        #expect(verify("let a = 10 % 3\n") == nil)
        #expect(verify("let a = 10% 3\n") != nil)
        #expect(verify("let a =\n10 % 3\n") != nil)
        #expect(verify("let a = 10 % 3  # new\n") != nil)
        #expect(verify("let a = 10 % (3)\n") != nil)
    }
}
