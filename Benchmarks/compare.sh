#!/usr/bin/env bash
# Runs the same workloads in mapl, python3 and lua5.4, checks that all three print the
# same output, and prints the best wall-clock time of each with the ratios to mapl.
#
#   Benchmarks/compare.sh                 # build mapl (release) if needed, 5 runs each
#   RUNS=3 Benchmarks/compare.sh fib      # fewer runs, one workload
#   MAPL_BIN=/path/to/mapl Benchmarks/compare.sh   # use that binary, build nothing
#
# Workloads are Benchmarks/scripts/NAME.{mapl,py,lua}. Exits 1 when outputs disagree
# or a run fails. Absolute times drift on a shared machine; the ratios drift less.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
scripts="$here/scripts"
runs="${RUNS:-5}"

if [[ -z "${MAPL_BIN:-}" ]]; then
    echo "building mapl (release)…" >&2
    (cd "$root" && swift build -c release >&2)
    MAPL_BIN="$(cd "$root" && swift build -c release --show-bin-path)/mapl"
fi
if [[ ! -x "$MAPL_BIN" ]]; then
    echo "compare.sh: no mapl binary at $MAPL_BIN" >&2
    exit 2
fi

if ! command -v lua5.4 >/dev/null 2>&1; then
    echo "installing lua5.4…" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lua5.4 >&2
fi
command -v python3 >/dev/null 2>&1 || { echo "compare.sh: python3 is needed" >&2; exit 2; }

if [[ $# -gt 0 ]]; then
    workloads=("$@")
else
    workloads=(fib scoring strings records loops closures)
fi

exec python3 - "$MAPL_BIN" "$scripts" "$runs" "${workloads[@]}" <<'PY'
import resource
import subprocess
import sys
import time

mapl, scripts, runs, workloads = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
languages = [
    ("mapl", lambda name: [mapl, "run", f"{scripts}/{name}.mapl"]),
    ("python", lambda name: [sys.executable, f"{scripts}/{name}.py"]),
    ("lua", lambda name: ["lua5.4", f"{scripts}/{name}.lua"]),
]


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best_of(command):
    """The best wall-clock and the best CPU (user + system) time of `runs` runs, and the
    output (which must be the same every run)."""
    best_wall, best_cpu, output = float("inf"), float("inf"), None
    for _ in range(runs):
        cpu_before = children_cpu()
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - start
        cpu = children_cpu() - cpu_before
        if done.returncode != 0:
            sys.exit(f"compare.sh: {' '.join(command)} exited {done.returncode}:\n{done.stderr}")
        if output is not None and done.stdout != output:
            sys.exit(f"compare.sh: {' '.join(command)} printed different output on two runs")
        output = done.stdout
        best_wall, best_cpu = min(best_wall, elapsed), min(best_cpu, cpu)
    return best_wall, best_cpu, output


rows, agree = [], True
for name in workloads:
    wall, cpu, outputs = {}, {}, {}
    for language, command in languages:
        print(f"running {name} in {language} ({runs} runs)…", file=sys.stderr, flush=True)
        wall[language], cpu[language], outputs[language] = best_of(command(name))
    same = all(outputs[language] == outputs["mapl"] for language in outputs)
    for language in ("python", "lua"):
        if outputs[language] != outputs["mapl"]:
            agree = False
            print(f"\nMISMATCH in {name}: {language} and mapl print different output", file=sys.stderr)
            print(f"--- mapl\n{outputs['mapl']}--- {language}\n{outputs[language]}", file=sys.stderr)
    rows.append((name, wall, cpu, "yes" if same else "NO"))


def table(title, times):
    print(f"\n{title}\n")
    print(f"{'workload':<10} {'mapl s':>8} {'python s':>9} {'lua s':>8} {'python/mapl':>12} {'lua/mapl':>9} {'same output':>12}")
    for name, wall, cpu, same in rows:
        t = wall if times == "wall" else cpu
        print(f"{name:<10} {t['mapl']:>8.3f} {t['python']:>9.3f} {t['lua']:>8.3f} "
              f"{t['python'] / t['mapl']:>12.2f} {t['lua'] / t['mapl']:>9.2f} {same:>12}")


table(f"best of {runs} runs, wall clock (a ratio above 1 means mapl is faster)", "wall")
table(f"best of {runs} runs, CPU time user+system (steadier on a busy machine)", "cpu")
sys.exit(0 if agree else 1)
PY
