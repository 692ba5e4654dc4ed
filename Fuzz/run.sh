#!/usr/bin/env bash
# Builds the mapl fuzzer and runs it.
#
#   Fuzz/run.sh [SECONDS] [MODE] [extra libFuzzer flags or input files…]
#
#   SECONDS  how long to fuzz (default 60)
#   MODE     repl  (default) whole pipeline; one Session serves 256 inputs, REPL-style
#            run   whole pipeline, a fresh Session per input, as `mapl run` (slower)
#            check lex, parse, resolve, render diagnostics, as `mapl check`
#
# Environment:
#   SANITIZE=fuzzer          build without ASan: 5-10x more inputs per second (Swift's own
#                            traps and stack overflows are still caught); the default is
#                            fuzzer,address
#   JOBS=N                   libFuzzer fork mode with N workers: keeps going after crashes,
#                            timeouts and OOMs (each one is still saved as an artifact)
#   SKIP_BUILD=1             reuse the last build
#   SNAPSHOT=1               build from a copy of the sources taken now (in
#                            .build-fuzz/snapshot), so edits made during the build do
#                            not break it and the binary matches one known state
#   MAPL_FUZZ_BUDGET_MS=200  how long a program may run before the harness interrupts it
#
# Corpus: Fuzz/corpus/MODE (gitignored); seeds (read only): Fuzz/seeds, examples/ and
# Tests/golden/.
# Crashes, timeouts and OOMs: Fuzz/artifacts/MODE/ (gitignored).
#
# Other commands:
#   Fuzz/run.sh regress [FILE…]   replay Fuzz/regressions/*.mapl (or FILEs) through the
#                                 harness, one process each, in check and run mode;
#                                 prints PASS or the crash/timeout/OOM line per file
#   Fuzz/run.sh replay FILE…      what mapl says about an input (output, diagnostics,
#                                 runtime error), without sanitizers
# Replay one input by hand (prints the stack trace):
#   MAPL_FUZZ_MODE=run SWIFT_BACKTRACE=enable=off .build-fuzz/mapl-fuzz-address FILE
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
package="$here"  # the directory whose Package.swift is built

if [[ "${SNAPSHOT:-0}" == 1 ]]; then
    snapshot="$root/.build-fuzz/snapshot"
    rm -rf "$snapshot" && mkdir -p "$snapshot/Fuzz"
    cp -rp "$root/Package.swift" "$root/Sources" "$root/Tests" "$snapshot/"
    [[ -f "$root/Package.resolved" ]] && cp -p "$root/Package.resolved" "$snapshot/"
    cp -rp "$here/Package.swift" "$here/Sources" "$snapshot/Fuzz/"
    (cd "$root" && git diff HEAD -- Sources Package.swift | sha1sum | cut -c1-12) > "$snapshot/STATE"
    echo "building from a snapshot of the sources (diff against HEAD $(git -C "$root" rev-parse --short HEAD): $(cat "$snapshot/STATE"))" >&2
    package="$snapshot/Fuzz"
fi

if [[ "${1:-}" == replay ]]; then
    shift
    scratch="$root/.build-fuzz-replay"
    (cd "$package" && swift build -c release --scratch-path "$scratch" --product mapl-replay >&2)
    exec "$scratch/release/mapl-replay" "$@"
fi

build_fuzzer() {
    if [[ "${SKIP_BUILD:-0}" == 1 && -x "$binary" ]]; then return; fi
    # 1. Compile the harness and the library with coverage instrumentation (and ASan)
    #    into a static library: an executable target would bring SwiftPM's own main, and
    #    libFuzzer's would never run.
    (cd "$package" && swift build -c release --scratch-path "$scratch" --product MaplFuzz \
        -Xswiftc -sanitize="$sanitize" -Xswiftc -g)
    # 2. Link it with libFuzzer's main. (ld.gold warns once per ASan helper symbol.)
    if ! swiftc -sanitize="$sanitize" -g \
        "$scratch/x86_64-unknown-linux-gnu/release/libMaplFuzz.a" -lFoundation \
        -o "$binary" 2>"$scratch/link.log"; then
        cat "$scratch/link.log" >&2
        exit 1
    fi
    grep -v "Cannot export local symbol" "$scratch/link.log" >&2 || true
}

sanitize="${SANITIZE:-fuzzer,address}"
flavour="${sanitize#fuzzer}"; flavour="${flavour#,}"; flavour="${flavour:-plain}"
scratch="$root/.build-fuzz-$flavour"
binary="$root/.build-fuzz/mapl-fuzz-$flavour"
mkdir -p "$root/.build-fuzz"

# The Swift runtime's own crash reporter misbehaves under ASan (and can hold the output
# pipe); libFuzzer prints the stack itself.
export SWIFT_BACKTRACE=enable=off
# malloc_context_size=0 halves the cost of each allocation; replay a crash without it
# (ASAN_OPTIONS=detect_leaks=0) to see where freed or overflowed memory came from.
# Leaks are off: closures and their environments form cycles by design.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:malloc_context_size=0:handle_abort=1}"

if [[ "${1:-}" == regress ]]; then
    shift
    build_fuzzer
    files=("$@")
    [[ ${#files[@]} -gt 0 ]] || files=("$here"/regressions/*.mapl)
    failures=0
    for file in "${files[@]}"; do
        modes=(check run)
        for mode in "${modes[@]}"; do
            log="$(mktemp)"
            # A generous budget: a regression should show its crash, not be interrupted.
            if MAPL_FUZZ_MODE=$mode MAPL_FUZZ_LEAKS=1 MAPL_FUZZ_BUDGET_MS=${MAPL_FUZZ_BUDGET_MS:-60000} \
                "$binary" -timeout=60 -rss_limit_mb=4096 "$file" >"$log" 2>&1; then
                printf 'PASS  %-5s %s\n' "$mode" "$(basename "$file")"
            else
                failures=$((failures + 1))
                reason="$(grep -m1 -E 'ERROR: (AddressSanitizer|libFuzzer)|Fatal error|SUMMARY' "$log" || tail -n 1 "$log")"
                printf 'FAIL  %-5s %s: %s\n' "$mode" "$(basename "$file")" "$reason"
            fi
            rm -f "$log"
        done
    done
    echo "$failures failure(s)"
    exit $(( failures > 0 ))
fi

seconds="${1:-60}"
mode="${2:-repl}"
shift $(( $# > 2 ? 2 : $# )) || true
build_fuzzer

corpus="$here/corpus/$mode"
artifacts="$here/artifacts/$mode"
mkdir -p "$corpus" "$artifacts"

export MAPL_FUZZ_MODE="$mode"

flags=(
    -max_total_time="$seconds"
    -timeout=10
    -rss_limit_mb=4096
    -max_len=4096
    -detect_leaks=0
    -dict="$here/mapl.dict"
    -artifact_prefix="$artifacts/"
    -print_final_stats=1
    # Inputs that run long (to the budget, or through 64 MiB of text) get less fuzzing
    # time: otherwise a few of them take most of it.
    -entropic_scale_per_exec_time=1
)
if [[ -n "${JOBS:-}" ]]; then
    flags+=(-fork="$JOBS" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi

# New inputs go to the first directory only; the seed directories are never written.
# Relative `import` paths in inputs resolve against the working directory: run there.
mkdir -p "$root/.build-fuzz/cwd"
cd "$root/.build-fuzz/cwd"
# (Fuzz/regressions is not a seed directory: its inputs crash until they are fixed.)
exec "$binary" "${flags[@]}" "$@" "$corpus" "$here/seeds" "$root/examples" "$root/Tests/golden"
