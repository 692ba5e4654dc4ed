#!/usr/bin/env python3
"""mapl at scale against networkx: a generated plan of 100k stakeholders, 1M influence
lines and 50k opportunities (about 58 MB of plan text).

Measures, with the release binary:
  * `mapl check big.mapl`: wall time, MB/s of plan text, peak RSS, bytes per stakeholder
    (the targets: >= 50 MB/s and <= 1 KB per stakeholder);
  * `mapl run` of the plan alone (building it), the same with the influence graph built;
  * influencers(s, 3) and strongest_path(a, b) for fixed people, each repeated, timed as
    (script with the queries - script without them) / repetitions, against networkx on
    a DiGraph built from the same data (parallel lines keep their strongest strength,
    which gives the same strongest path and the same reach), timed in-process;
    the target is mapl >= 10x faster;
and checks that both give the same answers (reach as sets and in mapl's documented
order, strongest path as path and strength).

The plan is the same text Benchmarks/MaplBenchmarks/ScalePlan.swift generates (a
counter-based splitmix64 stream; see ScalePlan.swift for the layout).

Usage (from the repository root or anywhere):
  python3 Benchmarks/plan_compare.py                  # builds mapl -c release first
  MAPL_BIN=.build/release/mapl python3 Benchmarks/plan_compare.py
  python3 Benchmarks/plan_compare.py --scale 0.1      # a tenth of the size
  python3 Benchmarks/plan_compare.py --write big.mapl # only write the plan
  python3 Benchmarks/plan_compare.py --runs 3         # best of 3 (default 2)

Exit status: 0 answers agree (targets missed are reported, not failed), 1 answers
differ, 2 mapl failed.
"""

import argparse
import math
import os
import subprocess
import sys
import shutil
import tempfile
import threading
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MASK = (1 << 64) - 1

SUPPORT = ["enemy", "non_supporter", "neutral", "supporter", "champion"]
STAGES = ["prospecting", "qualification", "needs_analysis", "proposal", "negotiation", "won", "lost"]
UNIT_KINDS = ["profit_center", "cost_center", "division", "function"]
RULES = """
rule economic_buyer_known for o in opportunities {
  when: o.open
  expect: economic_buyer in o.roles
  message: "{o.name}: no economic buyer identified"
}
rule next_step_set for o in opportunities {
  when: o.open and o.stage >= needs_analysis
  expect: o.next_step != nil
  message: "{o.name} has no next step"
}
"""


def mix(key):
    """splitmix64 of one 64-bit key (the same function as ScalePlan.swift)."""
    z = (key + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def mix_array(stream, count):
    """mix((stream << 32) | i) for i in 0..<count, vectorised."""
    z = (np.uint64(stream) << np.uint64(32)) | np.arange(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


class ScalePlan:
    def __init__(self, stakeholders=100_000, lines=1_000_000, opportunities=50_000):
        self.n, self.m, self.d = stakeholders, lines, opportunities
        self.units, self.offerings, self.members = 200, 20, 40
        n = np.uint64(self.n)
        a = np.minimum(mix_array(3, self.m) % n, mix_array(4, self.m) % n)
        b = mix_array(5, self.m) % n
        b = np.where(b == a, (b + np.uint64(1)) % n, b)
        self.source = a.astype(np.int64)
        self.target = b.astype(np.int64)
        self.thousandths = (np.uint64(1) + mix_array(6, self.m) % np.uint64(99_999)).astype(np.int64)

    def text(self):
        n, parts = self.n, []
        parts.append(f"# Generated scale plan: {self.n} stakeholders, {self.m} influence lines, {self.d} opportunities.\n")
        parts.append('account acme "Acme Corp" { industry: "Manufacturing", revenue_goal: $50M, close_ratio: 30% }\n')
        for k in range(self.units):
            parent = f", parent: u{(k - 1) // 4}" if k > 0 else ""
            parts.append(f'unit u{k} "Unit {k}" {{ kind: {UNIT_KINDS[k % 4]}{parent} }}\n')
        for k in range(self.offerings):
            parts.append(f'offering f{k} "Offering {k}" {{ family: "Family {k % 4}" }}\n')
        for k in range(self.members):
            parts.append(f'member m{k} "Member {k}" {{ role: "Account manager", capacity: 200 }}\n')
        parents = mix_array(1, n).tolist()
        attributes = mix_array(2, n).tolist()
        for i in range(n):
            r = attributes[i]
            boss = f", reports_to: s{parents[i] % i}" if i > 0 else ""
            parts.append(f'stakeholder s{i} "Person {i}" {{ title: "Title {i % 97}", unit: u{i % self.units}{boss}, '
                         f'influence: {r % 11}, support: {SUPPORT[(r >> 8) % 5]}, '
                         f'last_contact: 2026-{1 + (r >> 16) % 9:02d}-{10 + (r >> 24) % 18} }}\n')
        for a, b, t in zip(self.source.tolist(), self.target.tolist(), self.thousandths.tolist()):
            parts.append(f"influence s{a} -> s{b} {t // 1000}.{t % 1000:03d}%\n")
        deals = mix_array(7, self.d).tolist()
        first = mix_array(8, self.d).tolist()
        second = mix_array(9, self.d).tolist()
        for k in range(self.d):
            r = deals[k]
            x, y = first[k] % n, second[k] % n
            if y == x:
                y = (y + 1) % n
            people = f"s{y}: [coach]" if k % 1000 == 999 else f"s{x}: [economic_buyer], s{y}: [coach]"
            parts.append(f'opportunity o{k} "Deal {k}" {{ value: ${5000 + r % 2_000_000}, stage: {STAGES[(r >> 24) % 7]}, '
                         f'probability: {5 + (r >> 32) % 91}%, close: 2027-{1 + (r >> 40) % 9:02d}-{10 + (r >> 48) % 18}, '
                         f'unit: u{k % self.units}, offering: f{k % self.offerings}, owner: m{k % self.members}, '
                         f'next_step: "Call {k}", involves: {{{people}}} }}\n')
        parts.append(RULES)
        return "".join(parts)

    def queries(self):
        """Fixed people for influencers(s, 3) and pairs for strongest_path (as ScalePlan.swift)."""
        n = self.n
        targets = [n - 1, n // 2, (12_345 % n), 777 % n]
        pairs = [(0, n - 1), (n // 2, 7 % n), (99 % n, 54_321 % n), (31_337 % n, 4_242 % n)]
        return targets, pairs


def run(command, cwd):
    """(seconds, peak RSS in bytes, stdout, stderr, exit status) of one run."""
    environment = dict(os.environ, NO_COLOR="1", MAPL_TODAY="2026-11-22")
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    # Read the pipes on threads so a chatty child cannot stall; reap with wait4 for rusage.
    buffers = {}

    def drain(name, pipe):
        buffers[name] = pipe.read()

    readers = [threading.Thread(target=drain, args=(name, pipe)) for name, pipe in (("out", process.stdout), ("err", process.stderr))]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    for reader in readers:
        reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss * 1024, buffers["out"].decode(), buffers["err"].decode(), process.returncode


def best_of(runs, command, cwd):
    best = None
    for _ in range(runs):
        result = run(command, cwd)
        if result[4] != 0:
            print(f"plan_compare: {' '.join(command)} exited {result[4]}:\n{result[3][:3000]}", file=sys.stderr)
            sys.exit(2)
        if best is None or result[0] < best[0]:
            best = result
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the sizes (default 1: 100k/1M/50k)")
    parser.add_argument("--runs", type=int, default=2, help="best of this many runs of each mapl command")
    parser.add_argument("--repeat", type=int, default=0, help="repetitions of each query in mapl (default: grow until they take seconds)")
    parser.add_argument("--write", metavar="FILE", help="only write the plan to FILE")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()

    plan = ScalePlan(int(100_000 * args.scale), int(1_000_000 * args.scale), int(50_000 * args.scale))
    started = time.perf_counter()
    text = plan.text()
    data = text.encode()
    print(f"generated {len(data) / 1e6:.1f} MB: {plan.n} stakeholders, {plan.m} influence lines, "
          f"{plan.d} opportunities ({time.perf_counter() - started:.1f} s)", flush=True)
    if args.write:
        with open(args.write, "wb") as f:
            f.write(data)
        return 0

    binary = os.environ.get("MAPL_BIN")
    if not binary:
        print("building mapl (release)…", file=sys.stderr, flush=True)
        subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, stdout=sys.stderr)
        binary = os.path.join(ROOT, ".build", "release", "mapl")
    binary = os.path.abspath(binary)

    folder = tempfile.mkdtemp(prefix="mapl-scale-")
    targets, pairs = plan.queries()
    with open(os.path.join(folder, "big.mapl"), "wb") as f:
        f.write(data)
    # Scripts: the plan alone; the plan with its graph built (one tiny query); the same
    # plus the queries repeated. Query time = (with queries - graph built) / repetitions.
    prelude = 'import "big.mapl"\nlet sep = ","\nlet warm = influencers(s0, 1)\n'
    reach = "[" + ", ".join(f"s{t}" for t in targets) + "]"
    sources = "[" + ", ".join(f"s{a}" for a, _ in pairs) + "]"
    sinks = "[" + ", ".join(f"s{b}" for _, b in pairs) + "]"
    scripts = {
        "plan": 'import "big.mapl"\n',
        "graph": prelude,
        "answers": prelude + f"""for p in {reach} {{ print("UP {{p.id}} " + join(influencers(p, 3).id, sep)) }}
let from = {sources}
let to = {sinks}
for i in 0..len(from) - 1 {{
    let p = strongest_path(from[i], to[i])
    if p == nil {{ print("SP nil") }} else {{ print("SP {{join(p.path.id, sep)}} {{number(p.strength)}}") }}
}}
""",
    }
    for name, script in scripts.items():
        with open(os.path.join(folder, f"{name}.mapl"), "w") as f:
            f.write(script)

    megabytes = len(data) / 1e6
    print(f"mapl: {binary}\nfiles: {folder}\n", flush=True)
    check = best_of(args.runs, [binary, "check", "big.mapl"], folder)
    warnings = check[3].count("warning:")
    build = best_of(args.runs, [binary, "run", "plan.mapl"], folder)
    graph = best_of(args.runs, [binary, "run", "graph.mapl"], folder)
    answers = best_of(1, [binary, "run", "answers.mapl"], folder)

    def per_query(name, count, body):
        """Seconds per query: the script's time beyond graph.mapl's, over the repetitions.
        Repetitions grow until the queries take a few seconds (well above the noise)."""
        repetitions = args.repeat or 10
        while True:
            with open(os.path.join(folder, f"{name}.mapl"), "w") as f:
                f.write(prelude + body(repetitions))
            extra = best_of(args.runs, [binary, "run", f"{name}.mapl"], folder)[0] - graph[0]
            if args.repeat or extra >= 2.0 or repetitions >= 10_000_000:
                return max(extra, 1e-9) / (repetitions * count), repetitions
            repetitions = int(repetitions * min(100, max(2, 3.0 / max(extra, 0.03))))

    mapl_reach, reach_repetitions = per_query("influencers", len(targets), lambda r:
        f"for r in 1..{r} {{ for p in {reach} {{ let found = influencers(p, 3) }} }}\n")
    mapl_path, path_repetitions = per_query("paths", len(pairs), lambda r:
        f"let from = {sources}\nlet to = {sinks}\n"
        f"for r in 1..{r} {{ for i in 0..len(from) - 1 {{ let p = strongest_path(from[i], to[i]) }} }}\n")

    # networkx on the same data.
    import networkx as nx
    started = time.perf_counter()
    strongest = {}
    for a, b, t in zip(plan.source.tolist(), plan.target.tolist(), plan.thousandths.tolist()):
        s = float(f"{t // 1000}.{t % 1000:03d}") / 100  # as mapl reads "12.345%"
        if strongest.get((a, b), 0) < s:
            strongest[(a, b)] = s
    G = nx.DiGraph()
    G.add_nodes_from(range(plan.n))
    G.add_edges_from((a, b, {"weight": s, "cost": -math.log(s)}) for (a, b), s in strongest.items())
    nx_build = time.perf_counter() - started
    R = G.reverse(copy=False)

    def timed(function, repetitions):
        best = float("inf")
        result = None
        for _ in range(repetitions):
            start = time.perf_counter()
            result = function()
            best = min(best, time.perf_counter() - start)
        return best, result

    nx_reach_answers, nx_reach = [], 0.0
    for t in targets:
        seconds, lengths = timed(lambda: nx.single_source_shortest_path_length(R, t, cutoff=3), 3)
        nx_reach += seconds
        nx_reach_answers.append(sorted((p for p in lengths if p != t), key=lambda p: (lengths[p], p)))
    nx_reach /= len(targets)
    nx_path_answers, nx_path = [], 0.0
    for a, b in pairs:
        def query():
            try:
                return nx.dijkstra_path(G, a, b, weight="cost")
            except nx.NetworkXNoPath:
                return None
        seconds, path = timed(query, 3)
        nx_path += seconds
        nx_path_answers.append(path)
    nx_path /= len(pairs)

    # Compare answers.
    problems = []
    lines = answers[2].splitlines()
    for t, expected, line in zip(targets, nx_reach_answers, lines[:len(targets)]):
        got = [int(p[1:]) for p in line.split(" ", 2)[2].split(",") if p] if line.count(" ") >= 2 else []
        if set(got) != set(expected):
            problems.append(f"influencers(s{t}, 3): mapl {len(got)} people, networkx {len(expected)}")
        elif got != expected:
            problems.append(f"influencers(s{t}, 3): same people, different order")
    path_lines = lines[len(targets):]
    for (a, b), expected, line in zip(pairs, nx_path_answers, path_lines):
        if line == "SP nil" or expected is None:
            if (line == "SP nil") != (expected is None):
                problems.append(f"strongest_path(s{a}, s{b}): mapl {line}, networkx {expected}")
            continue
        ids, strength = line[3:].rsplit(" ", 1)
        got = [int(p[1:]) for p in ids.split(",")]
        product = math.prod(G[u][v]["weight"] for u, v in zip(expected, expected[1:]))
        if got != expected and abs(-math.log(float(strength)) + math.log(product)) > 1e-9:
            problems.append(f"strongest_path(s{a}, s{b}): mapl {got} {strength}, networkx {expected} {product!r}")
    if len(lines) != len(targets) + len(pairs):
        problems.append(f"answers.mapl printed {len(lines)} lines, expected {len(targets) + len(pairs)}")

    def mb(byte_count):
        return f"{byte_count / 1e6:,.0f} MB"

    reach_sizes = [len(x) for x in nx_reach_answers]
    path_lengths = [len(p) - 1 if p else None for p in nx_path_answers]
    print(f"plan: {megabytes:.1f} MB, {plan.n:,} stakeholders, {plan.m:,} influence lines, {plan.d:,} opportunities")
    print(f"                                   wall s     MB/s    peak RSS   RSS/stakeholder")
    for label, result in (("mapl check big.mapl", check), ("mapl run (build the plan)", build),
                          ("mapl run (plan + graph)", graph)):
        print(f"  {label:<30} {result[0]:>8.2f} {megabytes / result[0]:>8.1f} {mb(result[1]):>11} {result[1] / plan.n:>13,.0f} B")
    print(f"  (check printed {warnings} rule warnings)")
    print(f"  graph build in mapl ≈ {graph[0] - build[0]:.2f} s; networkx DiGraph from the same data: {nx_build:.2f} s")
    print(f"\nqueries (mapl: {reach_repetitions} / {path_repetitions} repetitions of each, timed as the run beyond "
          f"graph.mapl's; networkx: best of 3, in process)")
    print(f"  influencers(s, 3)  reach sizes {reach_sizes}: mapl {mapl_reach * 1e3:8.3f} ms, networkx {nx_reach * 1e3:8.3f} ms, "
          f"networkx/mapl = {nx_reach / mapl_reach:6.1f}x (target >= 10x)")
    print(f"  strongest_path     path lengths {path_lengths}: mapl {mapl_path * 1e3:8.3f} ms, networkx {nx_path * 1e3:8.3f} ms, "
          f"networkx/mapl = {nx_path / mapl_path:6.1f}x (target >= 10x)")
    print(f"\ntargets: parse+check {megabytes / check[0]:.1f} MB/s (>= 50: {'met' if megabytes / check[0] >= 50 else 'MISSED'}), "
          f"{check[1] / plan.n:,.0f} B/stakeholder at check (<= 1024: {'met' if check[1] / plan.n <= 1024 else 'MISSED'}), "
          f"influencers {nx_reach / mapl_reach:.1f}x ({'met' if nx_reach / mapl_reach >= 10 else 'MISSED'}), "
          f"strongest path {nx_path / mapl_path:.1f}x ({'met' if nx_path / mapl_path >= 10 else 'MISSED'})")
    if problems:
        print("\nANSWERS DIFFER:")
        for problem in problems:
            print(f"  {problem}")
    else:
        print(f"answers: mapl and networkx agree ({len(targets)} reach sets in order, {len(pairs)} strongest paths)")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
