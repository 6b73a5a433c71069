#!/usr/bin/python3
"""1,000 projections asked from Python (bindings/python) beside the same 1,000 asked from C
(bench_query), through the same library calls: a request, its settings, the run, every cell of
the answer read, everything freed. Prints microseconds per call side by side and the ratio
Python / C; a figure, not a test. Both must give the same answer (rows and checksum) first.

    /usr/bin/python3 bench/python_project.py [BUILD_DIR] [--calls N] [--rounds R]

BUILD_DIR (default build-release) holds bench/bench_query; the module loads libbloc as it always
does (BLOC_LIB, pkg-config, the library path, the build tree). The data directory is
bloc_store_default_dir's ($BLOC_DATA, the installed data, ./data), the same for both.
"""

import argparse
import math
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))

import bloc  # noqa: E402

BASE = "ge2024"
SHARES = {"LAB": 34, "CON": 24}
GROUP = {"muslim": {"LAB": -20}}
C_SETTINGS = ["base=ge2024", "shares=LAB=34,CON=24", "group=muslim:LAB=-20"]


def checksum(answer):
    """The sum of the integer and real cells, column by column (as bench_query sums them)."""
    total = 0.0
    if isinstance(answer, bloc.Rows):
        columns = [[row[c] for row in answer] for c in answer.columns]
    else:
        columns = [answer[c].tolist() for c in answer.columns]
    for values in columns:
        for v in values:
            if isinstance(v, (int, float)) and not isinstance(v, bool) and not math.isnan(v):
                total += v
    return total


def time_python(calls, rounds, store, as_frame):
    per_call = []
    answer = None
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(calls):
            answer = bloc.project(BASE, shares=SHARES, group=GROUP, store=store, as_frame=as_frame)
        per_call.append((time.perf_counter() - t0) * 1e6 / calls)
    return statistics.median(per_call), min(per_call), answer


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build", nargs="?", default=os.path.join(ROOT, "build-release"))
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    exe = os.path.join(args.build, "bench", "bench_query")
    if not os.access(exe, os.X_OK):
        sys.exit(f"python_project: {exe} not built (cmake --build {args.build} --target bench_query)")

    done = subprocess.run(
        [exe, "--calls", str(args.calls), "--rounds", str(args.rounds), "project", *C_SETTINGS],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"python_project: bench_query failed: {done.stderr.strip()}")
    c = dict(line.split(" ", 1) for line in done.stdout.splitlines())

    store = bloc.Store()
    bloc.project(BASE, shares=SHARES, group=GROUP, store=store)  # untimed: loads, as in C
    py = {}
    try:
        import pandas  # noqa: F401

        py["Python -> DataFrame"] = time_python(args.calls, args.rounds, store, True)
    except ImportError:
        print("(pandas not importable: the DataFrame row is left out)")
    py["Python -> list of dicts"] = time_python(args.calls, args.rounds, store, False)

    for name, (_, _, answer) in py.items():
        if len(answer) != int(c["rows"]) or abs(checksum(answer) - float(c["checksum"])) > 1e-6:
            sys.exit(f"python_project: {name} and C disagree: {len(answer)} rows, checksum "
                     f"{checksum(answer):.6f}; C {c['rows']} rows, {c['checksum']}")

    print(f"== {args.calls:,} x bloc project {BASE} --shares LAB=34,CON=24 --group "
          f"muslim:LAB=-20 (median of {args.rounds} rounds)")
    print(f"== library: {bloc.library_path()} (bloc {bloc.version()}); C: {exe}")
    print(f"== data: {store.data}; {c['rows']} rows, checksum {float(c['checksum']):.2f} "
          "in every front-end")
    print(f"{'':28s} {'us/call':>9s} {'min':>9s} {'total ms':>9s} {'vs C':>6s}")
    c_us, c_min = float(c["us_per_call"]), float(c["us_per_call_min"])
    print(f"{'C (bench_query)':28s} {c_us:9.1f} {c_min:9.1f} {c_us * args.calls / 1e3:9.1f} "
          f"{1:6.2f}")
    for name, (med, low, _) in py.items():
        print(f"{name:28s} {med:9.1f} {low:9.1f} {med * args.calls / 1e3:9.1f} {med / c_us:6.2f}")


if __name__ == "__main__":
    main()
