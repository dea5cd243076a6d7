"""The model layer against the code before it: time per realization, side by side.

Times realizing plus solving one realization of the 64 x 256 strip (box disorder W = 1.5,
E = 0.5, leads cached) with the Landauer RGF, for the spinless and the SU(2) model, and a
transfer-matrix run of 32 chunks of 1024 slices of a width-16 strip, in this checkout and
in another source tree (default: ``main``, extracted with ``git archive`` into a temporary folder).
The two run in alternating child processes (``--rounds`` each), on one BLAS thread, so both
see the same machine load; reported: the ratio new/old of the best times and, for the
spinless strip, of the median over 20 realizations (median over the rounds).

Run: ``PYTHONPATH=src python benchmarks/bench_model_layer.py [--old PATH/src] [--rounds N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

CHILD = r"""
import json, sys, time
import numpy as np
from threadpoolctl import threadpool_limits
from weakloc.lattice import Lattice
from weakloc.transport.landauer import conductance
from weakloc.transport.transfer import _Bar

out = {}
with threadpool_limits(1, user_api="blas"):
    for name, kw in (("strip 64x256", {}), ("strip 64x256 su2", {"spin_orbit": "su2"})):
        lat = Lattice(width=64, length=256, disorder=1.5, **kw)
        conductance(lat.realize(0), 0.5)           # JIT and leads
        best = []
        for seed in range(1, 21 if not kw else 6):
            t0 = time.perf_counter()
            conductance(lat.realize(seed), 0.5)
            best.append(time.perf_counter() - t0)
        out[name] = min(best)
        out[name + " (median)"] = float(np.median(best))
    # the model layer's own share: building the slice stream and drawing its numbers
    try:
        from weakloc.lattice import SliceStream
    except ImportError:
        from weakloc.transport.rgf import SliceStream
    real = Lattice(width=64, length=256, disorder=1.5).realize(1)
    best = []
    for _ in range(30):
        t0 = time.perf_counter()
        for c in SliceStream(real.with_flux(0.0)).chunks():
            pass
        best.append(time.perf_counter() - t0)
    out["slice stream 64x256 (build + draw)"] = min(best)
    lat = Lattice(width=16, disorder=4.0)
    _Bar(lat, 0.1, np.random.default_rng(0)).advance(64, 8)
    best = []
    for seed in range(1, 4):
        t0 = time.perf_counter()
        bar = _Bar(lat, 0.1, np.random.default_rng(seed))
        for _ in range(32):
            bar.advance(1024, 8)
        best.append(time.perf_counter() - t0)
    out["transfer 16 x 32768"] = min(best)
print(json.dumps(out))
"""


def run(src: str) -> dict:
    env = dict(os.environ, PYTHONPATH=src, OMP_NUM_THREADS="1")
    res = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True,
                         text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", help="source folder of the old package (default: git main)")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    with tempfile.TemporaryDirectory() as tmp:
        old = args.old
        if old is None:
            arch = subprocess.run(["git", "archive", "main", "src"], capture_output=True,
                                  check=True).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=arch, check=True)
            old = os.path.join(tmp, "src")
        rows = {"old": [], "new": []}
        for _ in range(args.rounds):
            rows["old"].append(run(old))
            rows["new"].append(run(here))
    best = {k: {name: (float(np.median([r[name] for r in v])) if "median" in name
                       else min(r[name] for r in v)) for name in v[0]}
            for k, v in rows.items()}
    report = {name: {"old_s": best["old"][name], "new_s": best["new"][name],
                     "new_over_old": best["new"][name] / best["old"][name]}
              for name in best["old"]}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
