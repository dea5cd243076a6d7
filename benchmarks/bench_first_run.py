"""First-call time of each kernel-using command: a fresh install (empty numba cache) against
the second call (kernels cached), side by side in one run, optionally against another
checkout of weakloc (the code before a change) measured alternately in the same run.

Each command runs twice as a separate process with ``NUMBA_CACHE_DIR`` pointing at a new,
empty folder: the first process compiles (as on a fresh install) and says so on stderr, the
second loads the cache. The work itself is tiny, so the times are start-up plus compilation.
Wall-clock and CPU time (user + system of the child) are both given: on a loaded machine the
wall time grows with the load and the CPU time much less.

Run: python benchmarks/bench_first_run.py [COMMAND ...] [--against OTHER/src] [--repeat N]
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMMANDS = {
    "randomwalk": ["randomwalk", "--dim", "2", "--walkers", "200", "--seed", "1"],
    "cbs": ["cbs", "--kl", "10", "--photons", "2000", "--seed", "1"],
    "conductance": ["conductance", "--width", "8", "--length", "8", "--energy", "0.5",
                    "--disorder", "1", "--seed", "1"],
    "localization": ["localization", "--width", "4", "--disorder", "5", "--energy", "0",
                     "--precision", "0.1", "--seed", "1"],
}


def timed(argv, env):
    """(wall s, CPU s, announced) of one ``weakloc`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "weakloc", *argv, "--json"], env=env,
                       capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"{argv[0]} failed: {r.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, "compiling numerical kernels" in r.stderr


def first_and_second(name, src):
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache,
                   PYTHONPATH=str(src) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        cold = timed(COMMANDS[name], env)
        warm = timed(COMMANDS[name], env)
    return cold, warm


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("commands", nargs="*", choices=[[], *COMMANDS], default=[])
    ap.add_argument("--against", metavar="SRC", default=None,
                    help="another checkout's src folder, measured alternately with this one")
    ap.add_argument("--repeat", type=int, default=1, help="runs per tree (the best is shown)")
    args = ap.parse_args(argv)
    trees = [("this", ROOT / "src")] + ([("other", Path(args.against))] if args.against else [])
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print(f"{'command':<13} {'tree':<6} {'first wall':>10} {'first CPU':>10} "
          f"{'second wall':>12} {'second CPU':>11}  announced")
    for name in args.commands or COMMANDS:
        best = {}
        for _ in range(args.repeat):
            for label, src in trees:    # alternate, so a change of load hits both alike
                cold, warm = first_and_second(name, src)
                old = best.get(label)
                if old is None or cold[0] < old[0][0]:
                    best[label] = (cold, warm)
        for label, _src in trees:
            (cw, cc, said), (ww, wc, said_again) = best[label]
            note = "first only" if said and not said_again else (said, said_again)
            print(f"{name:<13} {label:<6} {cw:>9.1f}s {cc:>9.1f}s {ww:>11.1f}s {wc:>10.1f}s  "
                  f"{note}")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
