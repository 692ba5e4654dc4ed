#!/usr/bin/env python3
"""Cross-checks mapl's influence-graph built-ins against networkx.

For each seed a random plan is generated (30-300 stakeholders; random influence lines
with distinct percentage strengths, except that one graph in four takes most of its
strengths from weak/medium/strong so that paths tie; a few parallel lines, self-loops
and 100% lines; reporting lines that may form cycles), written with a query script to
a temporary folder and run through the mapl binary. Every answer is compared with
networkx on the same graph:

  influencers(p, k) / influenced(p, k)
      the set of people within k lines upstream / downstream equals the set networkx's
      single_source_shortest_path_length finds on the reversed / forward graph (the
      person itself excluded), and the order is nearest first, then declaration order
      (which also checks every distance);
  strongest_path(a, b)
      nil exactly when networkx finds no path; otherwise mapl's path is a real path
      from a to b, its printed strength is the product of its lines, and its cost
      -ln(strength) equals nx.dijkstra_path's optimum within 1e-9 (the same path, or a
      different path of equal cost: a tie);
  centrality()
      every score is within 1e-6 of nx.pagerank(G, alpha=0.85, weight="weight") on the
      multigraph (parallel lines add up, as networkx does for multigraphs), and the list
      is sorted by score, highest first, ties in declaration order;
  chain_of_command(p)
      the reports_to chain, stopping before a person already in it (cycles).

Usage (from the repository root):
  python3 Tests/graph/crosscheck.py                 # the default seeds
  python3 Tests/graph/crosscheck.py --seeds 1 2 3   # chosen seeds
  python3 Tests/graph/crosscheck.py --keep          # keep the generated files
  MAPL_BIN=/path/to/mapl python3 Tests/graph/crosscheck.py

Exit status: 0 all equal, 1 some answer differs, 2 mapl failed to run or check the
plan, 77 python lacks networkx or scipy (nothing was compared).
"""

import argparse
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

try:
    import networkx as nx
    import scipy  # noqa: F401  (nx.pagerank needs it)
except ImportError as error:  # pragma: no cover
    print(f"crosscheck: SKIP: {error} (pip install networkx scipy)", file=sys.stderr)
    sys.exit(77)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_SEEDS = list(range(1, 13))
NAMED = {"weak": 0.3, "medium": 0.6, "strong": 0.9}
PAGERANK_TOLERANCE = 1e-6
COST_TOLERANCE = 1e-9
SHOW = 8  # differences shown per seed and kind


class Graph:
    """One generated plan: people in declaration order, lines, managers."""

    def __init__(self, seed):
        rng = random.Random(seed)
        self.seed = seed
        n = rng.randint(30, 300)
        # Ids in shuffled numbering so declaration order is not id order.
        numbers = list(range(n))
        rng.shuffle(numbers)
        self.people = [f"p{number}" for number in numbers]
        self.index = {person: i for i, person in enumerate(self.people)}

        # Reporting lines: most people have a manager, usually declared before them; the
        # odd manager declared after them can close a cycle.
        self.manager = {}
        for i, person in enumerate(self.people):
            if rng.random() < 0.7:
                if rng.random() < 0.9 and i > 0:
                    boss = self.people[rng.randrange(0, i)]
                else:
                    boss = self.people[rng.randrange(0, n)]
                if boss != person:
                    self.manager[person] = boss

        # Influence lines: density varies by seed, so some graphs have many unreachable
        # pairs and others are dense. Strengths are distinct percentages with 3 decimals,
        # plus a few named strengths and 100% lines (ties; zero-cost lines).
        density = rng.choice([0.8, 1.5, 3.0, 6.0])
        m = max(1, int(n * density))
        # One graph in four draws most strengths from weak/medium/strong, so that many
        # paths tie and the tie rule of the strongest-path check is exercised.
        named_share = 0.6 if rng.random() < 0.25 else 0.04
        used = set()
        self.lines = []  # (from, to, text, strength)
        while len(self.lines) < m:
            a, b = rng.randrange(n), rng.randrange(n)
            if a == b and rng.random() < 0.9:
                continue
            roll = rng.random()
            if roll < named_share:
                text = rng.choice(list(NAMED))
                strength = NAMED[text]
            elif roll < named_share + 0.01:
                text, strength = "100%", 1.0
            else:
                while True:
                    thousandths = rng.randint(1, 99_999)  # 0.001% .. 99.999%
                    text = f"{thousandths // 1000}.{thousandths % 1000:03d}%"
                    if text not in used:
                        break
                used.add(text)
                strength = float(text[:-1]) / 100  # as mapl reads it: digits, then / 100
            self.lines.append((self.people[a], self.people[b], text, strength))
            # Now and then a parallel line between the same two people.
            if rng.random() < 0.02:
                thousandths = rng.randint(1, 99_999)
                text = f"{thousandths // 1000}.{thousandths % 1000:03d}%"
                if text not in used:
                    used.add(text)
                    self.lines.append((self.people[a], self.people[b], text, float(text[:-1]) / 100))

        self.G = nx.MultiDiGraph()
        self.G.add_nodes_from(self.people)
        for a, b, _, s in self.lines:
            self.G.add_edge(a, b, weight=s, cost=-math.log(s))

        # Queries.
        sample = rng.sample(self.people, min(n, 40))
        self.reach_queries = [(p, k) for p in sample for k in (1, 2, 3, 4, n)]
        self.default_reach = sample[:5]  # influencers(p) with no steps: 1
        self.path_queries = [(rng.choice(self.people), rng.choice(self.people)) for _ in range(150)]
        self.path_queries += [(p, p) for p in sample[:3]]

    def plan_text(self):
        out = [f"# crosscheck seed {self.seed}: {len(self.people)} stakeholders, {len(self.lines)} influence lines\n"]
        # Reporting loops and self-influence are generated on purpose (the answers must stay
        # right), so the checks that flag them are switched off.
        out.append("plan { skip_checks: [reports_to_cycle, self_influence, duplicate_line] }\n")
        for person in self.people:
            fields = []
            if person in self.manager:
                fields.append(f"reports_to: {self.manager[person]}")
            block = " { " + ", ".join(fields) + " }" if fields else ""
            out.append(f'stakeholder {person} "Person {person[1:]}"{block}\n')
        for a, b, text, _ in self.lines:
            out.append(f"influence {a} -> {b} {text}\n")
        return "".join(out)

    def query_text(self):
        # The queries are data (lists of people) walked by a few loops, not one
        # statement per query: the script stays small whatever the number of queries.
        def people(items):
            return "[" + ", ".join(items) + "]"

        reach_people = people(p for p, _ in self.reach_queries)
        reach_steps = "[" + ", ".join(str(k) for _, k in self.reach_queries) + "]"
        return f"""import "plan.mapl"
let sep = ","
let reach_people = {reach_people}
let reach_steps = {reach_steps}
for i in 0..len(reach_people) - 1 {{
    let p = reach_people[i]
    let k = reach_steps[i]
    print("UP {{p.id}} {{k}} " + join(influencers(p, k).id, sep))
    print("DOWN {{p.id}} {{k}} " + join(influenced(p, k).id, sep))
}}
for p in {people(self.default_reach)} {{
    print("UP {{p.id}} 1 " + join(influencers(p).id, sep))
    print("DOWN {{p.id}} 1 " + join(influenced(p).id, sep))
}}
let path_from = {people(a for a, _ in self.path_queries)}
let path_to = {people(b for _, b in self.path_queries)}
for i in 0..len(path_from) - 1 {{
    let x = path_from[i]
    let y = path_to[i]
    let p = strongest_path(x, y)
    if p == nil {{ print("SP {{x.id}} {{y.id}} nil") }} else {{ print("SP {{x.id}} {{y.id}} {{join(p.path.id, sep)}} {{number(p.strength)}}") }}
}}
for c in centrality() {{ print("PR {{c.stakeholder.id}} {{number(c.score)}}") }}
for x in stakeholders {{ print("CC {{x.id}} " + join(chain_of_command(x).id, sep)) }}
"""


def split_ids(text):
    return [] if text == "" else text.split(",")


def compare(graph, output):
    """Compares mapl's output with networkx; returns {kind: [differences]}, counts."""
    G, order = graph.G, graph.index
    R = G.reverse(copy=False)
    problems = {"reach": [], "path": [], "pagerank": [], "chain": [], "output": []}
    counts = {"reach": 0, "path": 0, "path ties": 0, "unreachable": 0, "pagerank": 0, "chain": 0}
    max_pagerank_error = 0.0
    max_cost_error = 0.0
    ranks = []
    expected_lines = 2 * (len(graph.reach_queries) + len(graph.default_reach)) + len(graph.path_queries) + 2 * len(graph.people)
    lines = output.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != expected_lines:
        problems["output"].append(f"mapl printed {len(lines)} lines, expected {expected_lines}")

    for line in lines:
        tag, _, rest = line.partition(" ")
        if tag in ("UP", "DOWN"):
            person, k, found = rest.split(" ", 2) if rest.count(" ") >= 2 else (rest.split(" ") + [""])[:3]
            k = int(k)
            counts["reach"] += 1
            lengths = nx.single_source_shortest_path_length(R if tag == "UP" else G, person, cutoff=k)
            expected = sorted((p for p in lengths if p != person), key=lambda p: (lengths[p], order[p]))
            got = split_ids(found)
            name = "influencers" if tag == "UP" else "influenced"
            if set(got) != set(expected) or len(got) != len(set(got)):
                missing = [p for p in expected if p not in set(got)]
                extra = [p for p in got if p not in lengths or p == person]
                problems["reach"].append(f"{name}({person}, {k}): {len(got)} people, networkx {len(expected)}; "
                                         f"missing {missing[:10]}, extra {extra[:10]}")
            elif got != expected:
                first = next(i for i, (x, y) in enumerate(zip(got, expected)) if x != y)
                problems["reach"].append(f"{name}({person}, {k}): same people, order differs at position {first}: "
                                         f"mapl {got[first]} (distance {lengths[got[first]]}), "
                                         f"networkx {expected[first]} (distance {lengths[expected[first]]})")
        elif tag == "SP":
            a, b, found = rest.split(" ", 2)
            counts["path"] += 1
            try:
                best = nx.dijkstra_path(G, a, b, weight="cost")
            except nx.NetworkXNoPath:
                best = None
            if found == "nil" or best is None:
                if found != "nil":
                    problems["path"].append(f"strongest_path({a}, {b}): mapl {found}, networkx finds no path")
                elif best is not None:
                    problems["path"].append(f"strongest_path({a}, {b}): mapl nil, networkx {best}")
                else:
                    counts["unreachable"] += 1
                continue
            ids, strength_text = found.rsplit(" ", 1)
            path, strength = ids.split(","), float(strength_text)
            best_cost = sum(min(d["cost"] for d in G[u][v].values()) for u, v in zip(best, best[1:]))
            if path[0] != a or path[-1] != b or any(not G.has_edge(u, v) for u, v in zip(path, path[1:])):
                problems["path"].append(f"strongest_path({a}, {b}): mapl {path} is not a path of the graph (networkx {best})")
                continue
            product = 1.0
            for u, v in zip(path, path[1:]):
                product *= max(d["weight"] for d in G[u][v].values())
            if not math.isclose(product, strength, rel_tol=1e-12, abs_tol=1e-300):
                problems["path"].append(f"strongest_path({a}, {b}): printed strength {strength!r}, but its lines multiply to {product!r}")
            cost = -math.log(product)
            error = abs(cost - best_cost)
            max_cost_error = max(max_cost_error, error)
            if error > COST_TOLERANCE:
                problems["path"].append(f"strongest_path({a}, {b}): mapl {path} strength {product!r}, "
                                        f"networkx {best} strength {math.exp(-best_cost)!r}")
            elif path != best:
                counts["path ties"] += 1
        elif tag == "PR":
            person, score = rest.split(" ")
            ranks.append((person, float(score)))
        elif tag == "CC":
            person, found = (rest.split(" ", 1) + [""])[:2]
            counts["chain"] += 1
            chain = []
            boss = graph.manager.get(person)
            while boss is not None and boss != person and boss not in chain:
                chain.append(boss)
                boss = graph.manager.get(boss)
            # networkx: the reporting graph's nodes reachable upwards, in depth-first order.
            formal = nx.DiGraph()
            formal.add_nodes_from(graph.people)
            formal.add_edges_from(graph.manager.items())
            walk = list(nx.dfs_preorder_nodes(formal, person))[1:]
            if chain != walk:  # pragma: no cover (a bug in this script)
                problems["chain"].append(f"chain_of_command({person}): the two references disagree: {chain} vs {walk}")
            if split_ids(found) != walk:
                problems["chain"].append(f"chain_of_command({person}): mapl {split_ids(found)}, networkx {walk}")
        else:
            problems["output"].append(f"unexpected line: {line!r}")

    expected_ranks = nx.pagerank(G, alpha=0.85, weight="weight")
    counts["pagerank"] = len(ranks)
    if sorted(p for p, _ in ranks) != sorted(graph.people):
        problems["pagerank"].append(f"centrality() lists {len(ranks)} entries for {len(graph.people)} people")
    for person, score in ranks:
        error = abs(score - expected_ranks.get(person, float("nan")))
        max_pagerank_error = max(max_pagerank_error, error) if error == error else float("inf")
        if not error <= PAGERANK_TOLERANCE:
            problems["pagerank"].append(f"centrality() {person}: mapl {score!r}, networkx {expected_ranks.get(person)!r}")
    wanted_order = sorted(ranks, key=lambda r: (-r[1], order.get(r[0], 0)))
    if ranks != wanted_order:
        first = next(i for i, (x, y) in enumerate(zip(ranks, wanted_order)) if x != y)
        problems["pagerank"].append(f"centrality() is not sorted by score then declaration order at position {first}: "
                                    f"{ranks[first]} vs {wanted_order[first]}")
    return problems, counts, max_pagerank_error, max_cost_error


def run(command, cwd):
    environment = dict(os.environ, NO_COLOR="1", MAPL_TODAY="2026-11-22", MAPL_HISTORY="/dev/null")
    for attempt in range(10):
        try:
            return subprocess.run(command, cwd=cwd, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except OSError as error:  # "text file busy": the binary is being relinked right now
            if error.errno != 26 or attempt == 9:
                raise
            time.sleep(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=DEFAULT_SEEDS)
    parser.add_argument("--keep", action="store_true", help="keep the generated plans and print where")
    args = parser.parse_args()

    binary = os.environ.get("MAPL_BIN") or os.path.join(ROOT, ".build", "debug", "mapl")
    if not os.access(binary, os.X_OK):
        print(f"crosscheck: no mapl binary at {binary} (swift build, or set MAPL_BIN)", file=sys.stderr)
        return 2
    folder = tempfile.mkdtemp(prefix="mapl-crosscheck-")
    failed, broken = False, False
    totals = {}
    started = time.perf_counter()
    try:
        for seed in args.seeds:
            graph = Graph(seed)
            where = os.path.join(folder, f"seed{seed}")
            os.makedirs(where)
            with open(os.path.join(where, "plan.mapl"), "w") as f:
                f.write(graph.plan_text())
            with open(os.path.join(where, "query.mapl"), "w") as f:
                f.write(graph.query_text())
            checked = run([binary, "check", "plan.mapl"], where)
            if checked.returncode != 0 or "error" in checked.stderr:
                print(f"seed {seed}: `mapl check plan.mapl` exited {checked.returncode}:\n{checked.stderr[:2000]}", flush=True)
                broken = True
                continue
            done = run([binary, "run", "query.mapl"], where)
            if done.returncode != 0 or done.stderr:
                print(f"seed {seed}: `mapl run query.mapl` exited {done.returncode}:\n{done.stderr[:2000]}", flush=True)
                broken = True
                continue
            problems, counts, pagerank_error, cost_error = compare(graph, done.stdout)
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
            bad = sum(len(v) for v in problems.values())
            status = "ok" if bad == 0 else f"{bad} DIFFERENCES"
            print(f"seed {seed:>3}: {len(graph.people):>3} people, {len(graph.lines):>4} lines, "
                  f"{counts['reach']} reach, {counts['path']} paths ({counts['unreachable']} nil, {counts['path ties']} ties), "
                  f"{counts['pagerank']} ranks (max error {pagerank_error:.1e}), {counts['chain']} chains, "
                  f"max path cost error {cost_error:.1e}: {status}", flush=True)
            if bad:
                failed = True
                for kind, items in problems.items():
                    for item in items[:SHOW]:
                        print(f"    {kind}: {item}")
                    if len(items) > SHOW:
                        print(f"    {kind}: … and {len(items) - SHOW} more")
                print(f"    (plan and queries: {where})" if args.keep else "    (rerun with --keep to keep the files)")
    finally:
        if args.keep:
            print(f"generated files kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{value} {key}" for key, value in totals.items())
    verdict = "mapl FAILED to run" if broken else "DIFFERENCES FOUND" if failed else "all equal to networkx"
    print(f"crosscheck: {len(args.seeds)} seeds, {summary}; {verdict} ({elapsed:.1f} s, networkx {nx.__version__})")
    return 2 if broken else 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
