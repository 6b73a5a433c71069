#!/usr/bin/python3
"""1,000 projections asked from Python (bindings/python) beside the same 1,000 asked from C
(bench_query), through the same library calls: a request, its settings, the run, every cell of
the answer read, everything freed. Prints microseconds per call side by side and the ratio
Python / C; a figure, not a test. Both must give the same answer (rows and checksum) first.

    /usr/bin/python3 bench/python_project.py [BUILD_DIR] [--calls N] [--rounds R]

BUILD_DIR (default build-release) holds bench/bench_query and libbloc.so, which the module loads
unless BLOC_LIB names another. The data directory is bloc_store_default_dir's for both ($BLOC_DATA,
else the installed data, else the source tree's data/).
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
BASELINE = "survey:LAB=86,CON=9,LD=3,GRN=2"
C_SETTINGS = ["base=ge2024", "shares=LAB=34,CON=24", "group=muslim:LAB=-20", "baseline=survey:LAB=86,CON=9,LD=3,GRN=2"]


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
    """(median wall us per call, min, median CPU us per call, last answer)."""
    wall, cpu = [], []
    answer = None
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(calls):
            answer = bloc.project(BASE, shares=SHARES, group=GROUP, baseline=BASELINE, store=store, as_frame=as_frame)
        wall.append((time.perf_counter() - t0) * 1e6 / calls)
        cpu.append((time.process_time() - c0) * 1e6 / calls)
    return statistics.median(wall), min(wall), statistics.median(cpu), answer


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build", nargs="?", default=os.path.join(ROOT, "build-release"))
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    exe = os.path.join(args.build, "bench", "bench_query")
    lib = os.path.join(args.build, "libbloc.so")
    if "BLOC_LIB" not in os.environ and os.path.exists(lib):
        os.environ["BLOC_LIB"] = lib  # the same build's library as bench_query's
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
    bloc.project(BASE, shares=SHARES, group=GROUP, baseline=BASELINE, store=store)  # untimed: loads, as in C
    py = {}
    try:
        import pandas  # noqa: F401

        py["Python -> DataFrame"] = time_python(args.calls, args.rounds, store, True)
    except ImportError:
        print("(pandas not importable: the DataFrame row is left out)")
    py["Python -> list of dicts"] = time_python(args.calls, args.rounds, store, False)

    for name, (_, _, _, answer) in py.items():
        if len(answer) != int(c["rows"]) or abs(checksum(answer) - float(c["checksum"])) > 1e-6:
            sys.exit(f"python_project: {name} and C disagree: {len(answer)} rows, checksum "
                     f"{checksum(answer):.6f}; C {c['rows']} rows, {c['checksum']}")

    print(f"== {args.calls:,} x bloc project {BASE} --shares LAB=34,CON=24 --group "
          f"muslim:LAB=-20 (median of {args.rounds} rounds)")
    print(f"== library: {bloc.library_path()} (bloc {bloc.version()}); C: {exe}")
    print(f"== data: {store.data}; {c['rows']} rows, checksum {float(c['checksum']):.2f} "
          "in every front-end")
    print(f"{'':26s} {'us/call':>8s} {'min':>8s} {'total ms':>9s} {'vs C':>6s} "
          f"{'CPU us':>8s} {'vs C':>6s}")
    c_us, c_min, c_cpu = (float(c[k]) for k in ("us_per_call", "us_per_call_min", "cpu_us_per_call"))
    rows = [("C (bench_query)", c_us, c_min, c_cpu)]
    rows += [(name, med, low, cpu) for name, (med, low, cpu, _) in py.items()]
    for name, med, low, cpu in rows:
        print(f"{name:26s} {med:8.1f} {low:8.1f} {med * args.calls / 1e3:9.1f} "
              f"{med / c_us:6.2f} {cpu:8.1f} {cpu / c_cpu:6.2f}")


if __name__ == "__main__":
    main()
