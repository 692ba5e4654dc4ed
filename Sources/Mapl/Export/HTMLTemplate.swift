// The Mustache template of the HTML plan report: one self-contained page (inline CSS
// and SVG, no scripts, no external resources). Values are HTML-escaped by Mustache;
// only the SVG pictures, which mapl escapes itself, are inserted raw ({{{…}}}).

enum HTMLTemplate {
    static let report = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="generator" content="mapl">
    <title>{{title}}</title>
    <style>
    body { font-family: Helvetica, Arial, sans-serif; color: #212121; margin: 0 auto; max-width: 1200px; padding: 24px; line-height: 1.4; }
    h1 { margin-bottom: 0; }
    .stamp { color: #757575; margin-top: 4px; }
    nav { margin: 16px 0 8px; }
    nav a { margin-right: 14px; color: #1565c0; text-decoration: none; }
    section { margin-top: 32px; }
    h2 { border-bottom: 2px solid #cfd8dc; padding-bottom: 4px; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
    dl.facts dt { font-weight: bold; color: #455a64; }
    dl.facts dd { margin: 0; }
    table { border-collapse: collapse; margin: 12px 0; font-size: 13px; }
    caption { text-align: left; font-weight: bold; padding: 4px 0; }
    th, td { border: 1px solid #e0e0e0; padding: 4px 8px; vertical-align: top; text-align: left; }
    th { background: #eceff1; }
    td.num, th.num { text-align: right; white-space: nowrap; }
    tr:nth-child(even) td { background: #fafafa; }
    .picture { overflow-x: auto; margin: 12px 0; }
    .picture svg { display: block; }
    td.support-champion { background: #81c784 !important; }
    td.support-supporter { background: #c5e1a5 !important; }
    td.support-neutral { background: #fff59d !important; }
    td.support-non_supporter { background: #ffcc80 !important; }
    td.support-enemy { background: #ef9a9a !important; }
    td.ws-current { background: #90caf9 !important; }
    td.ws-open { background: #ffe082 !important; }
    td.ws-potential { background: #a5d6a7 !important; }
    td.ws-na { background: #e0e0e0 !important; color: #757575; }
    td.conflict { color: #d32f2f; font-weight: bold; }
    td.warning { color: #e65100; }
    td.error { color: #b71c1c; font-weight: bold; }
    </style>
    </head>
    <body>
    <h1>{{title}}</h1>
    <p class="stamp">Exported by mapl on {{today}}.{{#findings}} {{findings}}.{{/findings}}</p>
    <nav>{{#sections}}<a href="#{{id}}">{{title}}</a>{{/sections}}</nav>
    {{#sections}}
    <section id="{{id}}">
    <h2>{{title}}</h2>
    {{#hasFacts}}
    <dl class="facts">
    {{#facts}}
    <dt>{{label}}</dt><dd>{{value}}</dd>
    {{/facts}}
    </dl>
    {{/hasFacts}}
    {{#paragraphs}}
    <p>{{text}}</p>
    {{/paragraphs}}
    {{#picture}}
    <div class="picture">
    {{{picture}}}
    </div>
    {{/picture}}
    {{#tables}}
    <table>
    {{#caption}}<caption>{{caption}}</caption>{{/caption}}
    <thead><tr>{{#columns}}<th{{#numeric}} class="num"{{/numeric}}>{{title}}</th>{{/columns}}</tr></thead>
    <tbody>
    {{#rows}}
    <tr>{{#cells}}<td{{#classes}} class="{{classes}}"{{/classes}}>{{text}}</td>{{/cells}}</tr>
    {{/rows}}
    </tbody>
    </table>
    {{/tables}}
    {{#hasItems}}
    <ul>
    {{#items}}
    <li>{{text}}</li>
    {{/items}}
    </ul>
    {{/hasItems}}
    </section>
    {{/sections}}
    </body>
    </html>

    """
}
