"""Warm speed of the kernel-using commands' work, this checkout against another one (the
code before a change), alternately in the same run: the guard that cutting compile time
(benchmarks/bench_first_run.py) did not cost run time.

Each tree runs in its own process (its own numba cache, warmed first); every workload is
timed best of three, wall clock, with numba's default thread count (the Monte Carlo blocks
run in parallel) and BLAS on one thread (the transport code sets that itself).
Run: python benchmarks/bench_warm_kernels.py --against OTHER/src [--rounds N] [--threads N]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKLOADS = r"""
import json, sys, time
import numpy as np
from weakloc.lattice import Lattice, RashbaSpin
from weakloc.montecarlo import simulate_cbs, simulate_walks
from weakloc.transport.landauer import conductance_ensemble
from weakloc.transport.transfer import localization_length

cases = {
    "walk d=1, 20000 walkers": lambda: simulate_walks(1, samples=20000, seed=1, progress=False),
    "walk d=2, 20000 walkers": lambda: simulate_walks(2, samples=20000, seed=1, progress=False),
    "walk d=3 g=0.5, 20000 walkers": lambda: simulate_walks(3, samples=20000, anisotropy=0.5,
                                                            seed=1, progress=False),
    "cbs kl=20, 4000 photons, 31 detectors": lambda: simulate_cbs(
        20.0, samples=4000, max_orders=5000, seed=1, progress=False,
        angles=np.linspace(0, 0.15, 31)),
    "localization strip M=8, 1%": lambda: localization_length(
        Lattice(width=8, disorder=5.0), 0.0, seed=1, precision=0.01, progress=False),
    "localization bar 8x8, 3%": lambda: localization_length(
        Lattice(dim=3, width=8, height=8, disorder=16.5), 0.0, seed=1, precision=0.03,
        progress=False),
    "conductance 32x96, 2 fluxes x 10": lambda: conductance_ensemble(
        Lattice(width=32, length=96, disorder=2.0), 0.5, samples=10, seed=7,
        fluxes=[0.0, 0.01], progress=False, workers=1),
    "conductance Rashba 16x48, 2 fluxes x 10": lambda: conductance_ensemble(
        Lattice(width=16, length=48, disorder=2.0, spin_model=RashbaSpin(0.2)), 0.5,
        samples=10, seed=7, fluxes=[0.0, 0.01], progress=False, workers=1),
}
out = {}
for name, run in cases.items():
    run()   # compile or load the kernels
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    out[name] = best
print(json.dumps(out))
"""


def run_tree(src, cache, threads=None):
    env = dict(os.environ, NUMBA_CACHE_DIR=cache,
               PYTHONPATH=str(src) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if threads:
        env["NUMBA_NUM_THREADS"] = str(threads)
    r = subprocess.run([sys.executable, "-c", WORKLOADS], env=env, capture_output=True,
                       text=True)
    if r.returncode != 0:
        raise SystemExit(f"{src}: {r.stderr.strip()}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", metavar="SRC", required=True,
                    help="another checkout's src folder, measured alternately with this one")
    ap.add_argument("--rounds", type=int, default=2, help="alternations (the best is kept)")
    ap.add_argument("--threads", type=int, default=None,
                    help="NUMBA_NUM_THREADS for both (default: numba's own choice)")
    args = ap.parse_args(argv)
    trees = {"this": ROOT / "src", "other": Path(args.against)}
    best = {}
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as c1, tempfile.TemporaryDirectory() as c2:
        caches = {"this": c1, "other": c2}
        for _ in range(args.rounds):
            for label, src in trees.items():
                for name, t in run_tree(src, caches[label], args.threads).items():
                    key = (name, label)
                    best[key] = min(best.get(key, float("inf")), t)
    names = list(dict.fromkeys(name for name, _ in best))
    print(f"{'workload':<42} {'this (s)':>9} {'other (s)':>10} {'this/other':>11}")
    for name in names:
        a, b = best[(name, "this")], best[(name, "other")]
        print(f"{name:<42} {a:>9.3f} {b:>10.3f} {a / b:>11.2f}")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
