" Vim syntax file
" Language:     mapl, a plain-text language for major account planning
" Filenames:    *.mapl
" Maintainer:   the mapl authors
"
" Follows grammar.md. Keep the word lists in step with the language:
" Tests/MaplTests/EditorGrammarTests.swift checks every keyword, entity kind, built-in
" function and scale word against this file (and highlights a sample in a headless Vim).

if exists("b:current_syntax")
  finish
endif

scriptencoding utf-8
let s:cpo_save = &cpo
set cpo&vim

syn iskeyword @,48-57,_,192-255
syn case match

" Comments (a `#!` first line too); `##` lines above a fn are its documentation.
syn keyword maplTodo TODO FIXME XXX NOTE contained
syn match maplComment /#.*$/ contains=maplTodo,@Spell

" Numeric literals. When several start at the same column the one defined last wins,
" so the general error (a number run into letters: 3m, 1.5y) comes first.
syn match maplNumberError /\v<\d\w*(\.\d\w*)?/
syn match maplNumber /\v<\d(_?\d)*>(\.\d)@!/
syn match maplFloat /\v<\d(_?\d)*\.\d(_?\d)*>/
syn match maplPercent /\v<\d(_?\d)*(\.\d(_?\d)*)?\%/
syn match maplDuration /\v<\d(_?\d)*(d|w|mo|q|y)>/
syn match maplMoney /\v<\d(_?\d)*(\.\d(_?\d)*)?(k|K|M|B|bn)>/
syn match maplMoney /\v[$€£¥₹₩₪]\d(\d|_\d|,\d{3}\d@!)*(\.\d+)?(k|K|M|B|bn)?>/
syn match maplDate /\v<\d{4}-\d{2}-\d{2}>/

" Operators and punctuation.
syn match maplOperator /\v\<-\>|-\>|\=\>|\?\?|\.\.|[=!<>+\-*/]\=|[<>+\-*/%=]/
syn keyword maplWordOperator and or not in

" Keywords (reserved).
syn keyword maplKeyword let return break continue
syn keyword maplKeyword fn nextgroup=maplFunctionName skipwhite
syn match maplFunctionName /\v<\h\w*>/ contained
syn keyword maplConditional if else
syn keyword maplRepeat for while
syn keyword maplBoolean true false
syn keyword maplNil nil

" Query clauses (not reserved): where, sort by, group by, select, take; asc, desc; `it`,
" the current item.
syn match maplQuery /\v<(where|select|take|asc|desc)>/
syn match maplQuery /\v<(sort|group)\s+by>/
" (`unit: it`, a field's value, is more likely an id: the IT unit.)
syn match maplIt /\v(:\s*)@<!<it>/

" Built-in functions, where they are called.
syn match maplBuiltin /\v<(abs|assert|ceil|centrality|chain_of_command|convert|date|days|deal_sheet|deals_at_risk|export|filter|floor|influenced|influencers|join|key_players|keys|len|lower|map|max|min|missing_roles|money|month|not_contacted|number|open_plan|pad|percent|pipeline|pipeline_by|plan_changes|pop|pow|print|push|rank|recurring|replace|reverse|roti|round|share_of_wallet|sort|sort_desc|split|sqrt|starts_with|str|strongest_path|sum|supportive_key_players|table|today|trim|type|uncovered_key_players|unit_figures|upper|values|whitespace_cells|whitespace_matrix|whitespace_potential|year)>\ze\s*\(/

" Scale words: the levels of the methodology's scales (support, influence, roles, stage,
" …) and the currency codes. Left out on purpose, as everyday names of variables and
" fields: open new user none function current na may done lead review potential todo
" pipeline strength opportunity (also a kind), the aliases jan … dec, and the built-in
" checks' ids.
syn match maplScale /\v<(enemy|blocker|non_supporter|neutral|supporter|champion|mentor|low|medium|high|outside|political_structure|inner_circle|unknown|brief|multiple|in_depth|vendor|credible_source|problem_solver|trusted_advisor|economic_buyer|final_authority|technical|advisor|coach|approver|evaluator|lost|closed_lost|prospecting|qualification|qualify|needs_analysis|discovery|develop|proposal|propose|negotiation|negotiate|won|closed_won|new_business|upsell|cross_sell|renewal|planned|in_progress|started|blocked|complete|cancelled|dropped|draft|submitted|in_review|rejected|approved|profit_center|cost_center|division|business_unit|department|absent|weak|moderate|strong|dominant|defend_and_grow|land_and_expand|direct_attack|niche|change_the_game|maintain_and_support|develop_over_time|installed|not_applicable|weakness|threat|january|february|march|april|june|july|august|september|october|november|december)>/
syn match maplScale /\v<(USD|EUR|GBP|JPY|INR|KRW|ILS|CHF|CAD|AUD|NZD|SEK|NOK|DKK|PLN|CZK|HUF|CNY|HKD|SGD|BRL|MXN|ZAR|AED|SAR|TRY)>/
" (An amount after a currency code, CHF 1,200, is money: defined after the code alone.)
syn match maplMoney /\v<(USD|EUR|GBP|JPY|INR|KRW|ILS|CHF|CAD|AUD|NZD|SEK|NOK|DKK|PLN|CZK|HUF|CNY|HKD|SGD|BRL|MXN|ZAR|AED|SAR|TRY) \d(\d|_\d|,\d{3}\d@!)*(\.\d+)?(k|K|M|B|bn)?>/

" The plan's collections, and the single entities reached by their kind (account.name).
syn match maplCollection /\v<(events|units|offerings|stakeholders|influences|conflicts|team|partners|drivers|initiatives|pains|opportunities|contracts|competitors|whitespace|criteria|objectives|actions|milestones)>/
syn match maplCollection /\v<(account|swot|strategy|plan)>\ze\./

" A symbol (.champion) and a field reached with a dot (o.value: the name is no scale
" word or built-in there).
syn match maplSymbol /\v([[:alnum:]_)\]}".])@1<!\.\h\w*/
syn match maplMember /\v([[:alnum:]_)\]}"])@1<=\.\h\w*/

" A field name before `:` (in a declaration, a record, a select clause).
syn match maplField /\v<\h\w*>\ze\s*:/

" Declarations: a kind at the start of a line, then its id (and a title string, fields).
syn match maplKind /\v^\s*\zs<(account|event|unit|offering|stakeholder|member|partner|driver|initiative|pain|opportunity|contract|competitor|swot|whitespace|criterion|strategy|objective|action|milestone|plan)>\ze\s+[[:alpha:]_"{]/ nextgroup=maplDeclName skipwhite
syn match maplKind /\v^\s*\zs<(influence|conflict)>\ze\s+[[:alpha:]_]/
syn match maplKind /\v^\s*\zs<rule>\ze\s+[[:alpha:]_]/ nextgroup=maplDeclName skipwhite
syn match maplDeclName /\v<\h\w*>/ contained
syn match maplImport /\v^\s*\zs<import>\ze\s*"/

" Strings: escapes and `{expression}` interpolation (which may hold strings and records).
syn match maplEscapeError /\\./ contained
syn match maplEscape /\v\\([ntr0"\\{}]|u\{\x+\})/ contained
syn region maplString start=/"/ skip=/\\\\\|\\"/ end=/"/ contains=maplEscapeError,maplEscape,maplInterpolation,@Spell
syn cluster maplExpression contains=maplNumberError,maplNumber,maplFloat,maplPercent,maplDuration,maplMoney,maplDate,maplOperator,maplWordOperator,maplKeyword,maplConditional,maplRepeat,maplBoolean,maplNil,maplQuery,maplIt,maplBuiltin,maplScale,maplCollection,maplSymbol,maplMember,maplField,maplString,maplInterpolationBraces
syn region maplInterpolation matchgroup=maplInterpolationDelimiter start=/{/ end=/}/ contained contains=@maplExpression
syn region maplInterpolationBraces start=/{/ end=/}/ contained transparent contains=@maplExpression

syn sync minlines=200

hi def link maplComment Comment
hi def link maplTodo Todo
hi def link maplString String
hi def link maplEscape SpecialChar
hi def link maplEscapeError Error
hi def link maplInterpolationDelimiter SpecialChar
hi def link maplNumber Number
hi def link maplFloat Float
hi def link maplPercent Number
hi def link maplMoney Number
hi def link maplDate Number
hi def link maplDuration Number
hi def link maplNumberError Error
hi def link maplOperator Operator
hi def link maplWordOperator Operator
hi def link maplKeyword Keyword
hi def link maplConditional Conditional
hi def link maplRepeat Repeat
hi def link maplBoolean Boolean
hi def link maplNil Constant
hi def link maplQuery Keyword
hi def link maplIt Special
hi def link maplFunctionName Function
hi def link maplBuiltin Function
hi def link maplScale Constant
hi def link maplSymbol Constant
hi def link maplCollection Identifier
hi def link maplField Identifier
hi def link maplKind Structure
hi def link maplDeclName Function
hi def link maplImport Include

let b:current_syntax = "mapl"

let &cpo = s:cpo_save
unlet s:cpo_save
