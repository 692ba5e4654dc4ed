#!/usr/bin/env python3
"""A manager's portfolio in mapl against the same work in plain Python 3, and the
time `mapl check` takes for one 2,000-stakeholder plan.

1. Generates --plans account plans of --stakeholders people each
   (Benchmarks/portfolio/generate.py; 300 x 200 by default, about 28 MB of plan text)
   in a temporary folder, and exports each to JSON once (`mapl export --format json`;
   not timed).
2. Runs `mapl run Benchmarks/portfolio/portfolio.mapl plan_*.mapl` and
   `python3 Benchmarks/portfolio/portfolio.py plan_*.json` once each and checks that
   they print the same bytes (exit 1 if not).
3. Runs each --runs times, alternately, under /usr/bin/time -f %M, and reports the
   CPU time of the child (user + sys, from os.wait4) and its peak RSS (what
   /usr/bin/time reports), medians over the runs, with the ratios
   mapl CPU / Python CPU (target <= 1.0) and mapl peak RSS / plan text size
   (target <= 3.0).
4. Times `mapl check` of one plan of --check-stakeholders people (2,000 by default;
   same generator) against `mapl check` of an empty file, --check-runs runs each
   (hyperfine when installed, else a loop here), and reports the difference of the
   median wall times in ms (target <= 25 ms), and of the CPU times beside it.

Uses the binary in MAPL_BIN (default .build/release/mapl); builds nothing. `make
portfolio` builds the release binary first.

Usage (from the repository root or anywhere):
  python3 Benchmarks/portfolio_compare.py
  python3 Benchmarks/portfolio_compare.py --plans 30 --stakeholders 200 --runs 3
  python3 Benchmarks/portfolio_compare.py --keep      # keep (and print) the temporary folder

Exit status: 0 outputs agree (targets missed are reported, not failed), 1 outputs
differ, 2 a program failed or is missing.
"""

import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GENERATE = os.path.join(HERE, "portfolio", "generate.py")
SCRIPT_MAPL = os.path.join(HERE, "portfolio", "portfolio.mapl")
SCRIPT_PY = os.path.join(HERE, "portfolio", "portfolio.py")
TIME = "/usr/bin/time"


def fail(message, code=2):
    print(f"portfolio_compare: {message}", file=sys.stderr)
    sys.exit(code)


def run_measured(argv, out_path, rss_path):
    """Runs argv under /usr/bin/time -f %M with stdout to out_path; returns
    (CPU seconds of the child and its descendants, peak RSS in KB from /usr/bin/time,
    ru_maxrss from wait4 as a cross-check)."""
    err_path = rss_path + ".stderr"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen([TIME, "-f", "%M", "-o", rss_path] + argv, stdout=out, stderr=err,
                                   env=dict(os.environ, SWIFT_BACKTRACE="enable=off"))
        # /usr/bin/time reaps the program, so wait4 on it counts the program's CPU too.
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        with open(err_path, "rb") as f:
            errors = f.read().decode(errors="replace")
        fail(f"{' '.join(argv[:3])} … exited with {process.returncode}:\n{errors[-3000:]}")
    with open(rss_path) as f:
        lines = [line for line in f.read().split() if line.strip().isdigit()]
    return usage.ru_utime + usage.ru_stime, int(lines[-1]), usage.ru_maxrss


def megabytes(n_bytes):
    return n_bytes / 1e6


def time_checks(mapl, big, empty, runs):
    """Median wall (and, with the loop, CPU) time of `mapl check` on big and on empty."""
    env = dict(os.environ, SWIFT_BACKTRACE="enable=off")
    if shutil.which("hyperfine"):
        export = os.path.join(os.path.dirname(big), "hyperfine.json")
        subprocess.run(["hyperfine", "-N", "--style", "none", "--warmup", "3", "--runs", str(runs),
                        "--export-json", export, f"{mapl} check {empty}", f"{mapl} check {big}"],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        with open(export) as f:
            results = json.load(f)["results"]
        empty_s, big_s = results[0]["median"], results[1]["median"]
        cpu = [r["user"] + r["system"] for r in results]   # hyperfine's means (it keeps no per-run CPU)
        return "hyperfine", (empty_s, big_s), (cpu[0], cpu[1])
    walls = {big: [], empty: []}
    cpus = {big: [], empty: []}
    for _ in range(3):
        for path in (empty, big):
            subprocess.run([mapl, "check", path], check=True, env=env, stdout=subprocess.DEVNULL)
    for _ in range(runs):
        for path in (empty, big):                           # alternately, so drift cancels
            before = os.times()
            start = time.perf_counter()
            subprocess.run([mapl, "check", path], check=True, env=env, stdout=subprocess.DEVNULL)
            walls[path].append(time.perf_counter() - start)
            after = os.times()
            cpus[path].append((after.children_user - before.children_user) + (after.children_system - before.children_system))
    return ("loop", (statistics.median(walls[empty]), statistics.median(walls[big])),
            (statistics.median(cpus[empty]), statistics.median(cpus[big])))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=int, default=300)
    parser.add_argument("--stakeholders", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each program (default 5)")
    parser.add_argument("--check-stakeholders", type=int, default=2000)
    parser.add_argument("--check-runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()

    mapl = os.path.abspath(os.environ.get("MAPL_BIN", os.path.join(ROOT, ".build", "release", "mapl")))
    if not os.access(mapl, os.X_OK):
        fail(f"no mapl binary at {mapl} (run `swift build -c release` or `make portfolio`, or set MAPL_BIN)")
    if not os.access(TIME, os.X_OK):
        fail(f"{TIME} is missing (apt-get install time)")
    python = sys.executable or "python3"

    work = tempfile.mkdtemp(prefix="mapl-portfolio-")
    try:
        # 1. The plans, and their JSON (not timed).
        plans_dir = os.path.join(work, "plans")
        subprocess.run([python, GENERATE, str(args.plans), str(args.stakeholders), plans_dir,
                        "--seed", str(args.seed)], check=True)
        plans = sorted(glob.glob(os.path.join(plans_dir, "plan_*.mapl")))
        jsons = []
        for plan in plans:
            target = plan[:-len(".mapl")] + ".json"
            with open(target, "wb") as out:
                done = subprocess.run([mapl, "export", "--format", "json", plan], stdout=out, stderr=subprocess.PIPE)
            if done.returncode != 0:
                fail(f"mapl export {plan} exited with {done.returncode}:\n{done.stderr.decode(errors='replace')[-3000:]}")
            jsons.append(target)
        text_bytes = sum(os.path.getsize(p) for p in plans)
        json_bytes = sum(os.path.getsize(p) for p in jsons)
        print(f"exported {len(jsons)} plans to JSON ({megabytes(json_bytes):.1f} MB)")

        commands = {
            "mapl": [mapl, "run", SCRIPT_MAPL] + plans,
            "python": [python, SCRIPT_PY] + jsons,
        }

        # 2. Same output? (These runs are the warm-up too.)
        outputs = {}
        for name, argv in commands.items():
            out_path = os.path.join(work, f"{name}.out")
            run_measured(argv, out_path, os.path.join(work, f"{name}.rss"))
            with open(out_path, "rb") as f:
                outputs[name] = f.read()
        if outputs["mapl"] != outputs["python"]:
            print("mapl and Python print different things:", file=sys.stderr)
            for name, data in outputs.items():
                print(f"--- {name}\n{data.decode(errors='replace')}", file=sys.stderr)
            sys.exit(1)
        print("mapl and Python print the same:")
        print("  " + outputs["mapl"].decode().rstrip("\n").replace("\n", "\n  "))

        # 3. Timed runs, alternately.
        cpu = {name: [] for name in commands}
        rss = {name: [] for name in commands}
        maxrss = {name: [] for name in commands}
        for i in range(args.runs):
            for name, argv in commands.items():
                seconds, peak_kb, ru_kb = run_measured(argv, os.devnull, os.path.join(work, f"{name}.rss"))
                cpu[name].append(seconds)
                rss[name].append(peak_kb)
                maxrss[name].append(ru_kb)
            print(f"run {i + 1}/{args.runs}: " + ", ".join(
                f"{name} {cpu[name][-1]:.3f} s CPU, {rss[name][-1] / 1024:.1f} MiB" for name in commands))

        # 4. mapl check: a 2,000-stakeholder plan against an empty file.
        check_dir = os.path.join(work, "check")
        subprocess.run([python, GENERATE, "1", str(args.check_stakeholders), check_dir, "--seed", str(args.seed)],
                       check=True)
        big = os.path.join(check_dir, "plan_000.mapl")
        empty = os.path.join(check_dir, "empty.mapl")
        open(empty, "w").close()
        tool, (empty_s, big_s), (empty_cpu, big_cpu) = time_checks(mapl, big, empty, args.check_runs)
        big_bytes = os.path.getsize(big)
        check_delta_ms = (big_s - empty_s) * 1000

        # The summary.
        med = {name: statistics.median(values) for name, values in cpu.items()}
        best = {name: min(values) for name, values in cpu.items()}
        peak = {name: statistics.median(values) * 1024 for name, values in rss.items()}   # bytes
        cpu_ratio = med["mapl"] / med["python"]
        peak_ratio = peak["mapl"] / text_bytes

        def verdict(ok):
            return "ok" if ok else "MISSED"

        rows = [
            ("plans x stakeholders", f"{args.plans} x {args.stakeholders}", ""),
            ("plan text (.mapl)", f"{megabytes(text_bytes):.1f} MB", f"JSON {megabytes(json_bytes):.1f} MB"),
            ("open deals ranked", outputs["mapl"].decode().split("Open deals: ")[1].split()[0], ""),
            ("mapl CPU (user+sys)", f"{med['mapl']:.3f} s", f"median of {args.runs}, best {best['mapl']:.3f} s"),
            ("Python CPU (user+sys)", f"{med['python']:.3f} s", f"median of {args.runs}, best {best['python']:.3f} s"),
            ("mapl CPU / Python CPU", f"{cpu_ratio:.2f}",
             f"target <= 1.0: {verdict(cpu_ratio <= 1.0)} (best / best: {best['mapl'] / best['python']:.2f})"),
            ("mapl peak RSS", f"{peak['mapl'] / 1e6:.1f} MB", f"{peak['mapl'] / 2**20:.1f} MiB, /usr/bin/time %M"),
            ("Python peak RSS", f"{peak['python'] / 1e6:.1f} MB", f"{peak['python'] / 2**20:.1f} MiB"),
            ("mapl peak / plan text", f"{peak_ratio:.2f}", f"target <= 3.0: {verdict(peak_ratio <= 3.0)}"),
            (f"check, {args.check_stakeholders} people", f"{big_s * 1000:.1f} ms",
             f"{megabytes(big_bytes):.2f} MB, median of {args.check_runs} ({tool}), CPU {big_cpu * 1000:.1f} ms"),
            ("check, empty file", f"{empty_s * 1000:.1f} ms", f"CPU {empty_cpu * 1000:.1f} ms"),
            ("check difference", f"{check_delta_ms:.1f} ms", f"target <= 25 ms: {verdict(check_delta_ms <= 25)}"),
            ("check difference, CPU", f"{(big_cpu - empty_cpu) * 1000:.1f} ms",
             "user+sys (steadier than wall time on a busy machine)"),
        ]
        width = max(len(r[0]) for r in rows)
        value_width = max(len(r[1]) for r in rows)
        print()
        print(f"{'measure':<{width}}  {'value':>{value_width}}  notes")
        print(f"{'-' * width}  {'-' * value_width}  {'-' * 40}")
        for label, value, note in rows:
            print(f"{label:<{width}}  {value:>{value_width}}  {note}")
        if args.keep:
            print(f"\nfiles kept in {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
