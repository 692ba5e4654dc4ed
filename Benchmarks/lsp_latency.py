#!/usr/bin/env python3
"""How fast `mapl lsp` answers an editor, on a realistic plan.

Generates a 2,000-stakeholder account plan (Benchmarks/portfolio/generate.py), starts the
release `mapl lsp`, opens the plan, then measures from the moment a message is written
to the moment its answer arrives:
  - diagnostics after a change (an incremental edit of one field; the whole plan is
    checked again as `mapl check` checks it),
  - completion of a stakeholder's fields after `id.`,
  - hover over a stakeholder id.
Prints the median and the worst of RUNS rounds; targets: diagnostics within 50 ms,
completion and hover within 20 ms.

  python3 Benchmarks/lsp_latency.py [--runs 30] [--mapl .build/release/mapl]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


class Server:
    def __init__(self, binary):
        self.process = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 1

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self):
        length = None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise SystemExit("the server stopped")
            if line == b"\r\n":
                break
            name, value = line.decode().split(":", 1)
            if name.strip().lower() == "content-length":
                length = int(value)
        return json.loads(self.process.stdout.read(length))

    def request(self, method, params):
        ident = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == ident:
                return message

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics_for(self, uri):
        while True:
            message = self.receive()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                return message["params"]["diagnostics"]


def timed(action):
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--mapl", default=os.path.join(ROOT, ".build", "release", "mapl"))
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="mapl-lsp-bench-")
    subprocess.run([sys.executable, os.path.join(HERE, "portfolio", "generate.py"), "1", "2000", folder], check=True, stdout=subprocess.DEVNULL)
    path = os.path.realpath(os.path.join(folder, "plan_000.mapl"))
    text = open(path).read()
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("stakeholder "))
    ident = lines[first].split()[1]
    # A script line at the end to complete and hover on.
    text += "\nprint(%s.title)\n" % ident
    lines = text.split("\n")
    probe = len(lines) - 2
    uri = "file://" + path
    server = Server(options.mapl)
    server.request("initialize", {"processId": None, "rootUri": "file://" + folder, "capabilities": {}})
    server.notify("initialized", {})
    opened = timed(lambda: (server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "mapl", "version": 1, "text": text}}),
                            server.diagnostics_for(uri)))
    # The edit: the first stakeholder's influence, back and forth.
    field_line = next(i for i in range(first, first + 8) if "influence:" in lines[i])
    column = lines[field_line].index("influence:") + len("influence: ")
    old = lines[field_line][column:].split(",")[0].split(" ")[0].rstrip("}")
    samples = {"diagnostics after a change": [], "completion after id.": [], "hover over an id": []}
    version = 1
    for run in range(options.runs):
        version += 1
        new = "high" if run % 2 == 0 else old
        current = old if run % 2 == 0 else "high"
        change = {"range": {"start": {"line": field_line, "character": column}, "end": {"line": field_line, "character": column + len(current)}}, "text": new}
        samples["diagnostics after a change"].append(timed(lambda: (
            server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
            server.diagnostics_for(uri))))
        at = {"textDocument": {"uri": uri}, "position": {"line": probe, "character": len("print(%s." % ident)}}
        samples["completion after id."].append(timed(lambda: server.request("textDocument/completion", at)))
        on = {"textDocument": {"uri": uri}, "position": {"line": probe, "character": len("print(") + 1}}
        samples["hover over an id"].append(timed(lambda: server.request("textDocument/hover", on)))
    server.request("shutdown", None)
    server.notify("exit", None)
    server.process.wait()
    targets = {"diagnostics after a change": 50, "completion after id.": 20, "hover over an id": 20}
    print(f"mapl lsp on a plan of 2,000 stakeholders ({len(text) // 1024} KB), {options.runs} rounds; opening took {opened:.0f} ms")
    print(f"{'':30} {'median':>8} {'worst':>8} {'target':>8}")
    met = True
    for name, values in samples.items():
        median = statistics.median(values)
        met = met and median <= targets[name]
        print(f"{name:30} {median:7.1f}ms {max(values):7.1f}ms {targets[name]:6d}ms")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
