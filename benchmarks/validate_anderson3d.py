"""Reproduce the 3D Anderson transition (orthogonal, E = 0): W_c = 16.54, nu = 1.57.

Slevin and Ohtsuki, PRL 82, 382 (1999); NJP 16, 015012 (2014): W_c = 16.54 +- 0.02,
nu = 1.571. Target here: within +-0.15 in W_c and +-0.1 in nu.

Full run (about an hour on 2 free cores; resumable, each finished point is appended to
the journal and skipped on the next start)::

    PYTHONPATH=src nice -n 10 python benchmarks/validate_anderson3d.py

Reduced run (M = 4 to 10 at 1%, a few CPU-minutes)::

    PYTHONPATH=src nice -n 10 python benchmarks/validate_anderson3d.py --reduced

Options: ``--widths``, ``--disorders START STOP STEP``, ``--precision``, ``--workers``,
``--journal FILE`` (JSON lines), ``--n-r``, ``--m-r``, ``--n-i`` (-1: no irrelevant term),
``--seed``. Point (M, W) uses the random stream ``stream(seed, M, round(1000 W))``, so
adding points or changing the worker count does not change the others.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np

PUBLISHED = {"w_c": 16.54, "nu": 1.57}
TOLERANCE = {"w_c": 0.15, "nu": 0.1}
FULL = {"widths": [6, 8, 10, 12, 14], "disorders": (15.5, 17.5, 0.25), "precision": 0.003,
        "n_r": 3, "m_r": 1, "n_i": 0}
REDUCED = {"widths": [4, 6, 8, 10], "disorders": (15.5, 17.5, 0.25), "precision": 0.01,
           "n_r": 3, "m_r": 1, "n_i": 0}


def _point(args):
    m, w, precision, seed = args
    from weakloc.lattice import Lattice
    from weakloc.seeding import stream
    from weakloc.transport.transfer import localization_length

    lat = Lattice(dim=3, width=m, disorder=w, boundary="periodic")
    t0 = time.process_time()
    r = localization_length(lat, 0.0, seed=stream(seed, m, int(round(1000 * w))),
                            precision=precision, max_slices=20_000_000, progress=False,
                            force=True)   # hours per point are expected here
    return {"width": m, "disorder": w, "precision": precision, "seed": seed,
            "lambda": r.lambda_, "lambda_stderr": r.lambda_stderr, "slices": r.slices,
            "converged": r.converged, "qr_interval": r.qr_interval,
            "cpu_s": time.process_time() - t0}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reduced", action="store_true", help="the ~10 CPU-minute preset")
    ap.add_argument("--widths", type=int, nargs="+")
    ap.add_argument("--disorders", type=float, nargs=3, metavar=("START", "STOP", "STEP"))
    ap.add_argument("--precision", type=float)
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--journal", default=None, help="JSON-lines journal (resumable)")
    ap.add_argument("--n-r", type=int)
    ap.add_argument("--m-r", type=int)
    ap.add_argument("--n-i", type=int, help="-1 for no irrelevant correction")
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--figure", default=None, help="collapse figure (PNG)")
    a = ap.parse_args(argv)
    cfg = dict(REDUCED if a.reduced else FULL)
    for key in ("widths", "disorders", "precision", "n_r", "m_r", "n_i"):
        if getattr(a, key) is not None:
            cfg[key] = getattr(a, key)
    n_i = None if cfg["n_i"] is not None and cfg["n_i"] < 0 else cfg["n_i"]
    start, stop, step = cfg["disorders"]
    ws = np.round(np.arange(start, stop + 1e-9, step), 6)
    journal = Path(a.journal or ("anderson3d_reduced.jsonl" if a.reduced
                                 else "anderson3d_full.jsonl"))
    done = {}
    if journal.exists():
        for line in journal.read_text().splitlines():
            if line.strip():
                rec = json.loads(line)
                done[(rec["width"], rec["disorder"], rec["precision"], rec["seed"])] = rec
    todo = [(m, float(w), cfg["precision"], a.seed) for m in cfg["widths"] for w in ws
            if (m, float(w), cfg["precision"], a.seed) not in done]
    todo.sort(key=lambda t: -t[0])  # largest first: better load balance
    print(f"{len(done)} points in {journal}, {len(todo)} to run on {a.workers} workers",
          file=sys.stderr, flush=True)
    t0 = time.time()
    if todo:
        with ProcessPoolExecutor(a.workers) as ex, journal.open("a") as fh:
            futs = [ex.submit(_point, t) for t in todo]
            for i, fut in enumerate(as_completed(futs), 1):
                rec = fut.result()
                fh.write(json.dumps(rec) + "\n")
                fh.flush()
                done[(rec["width"], rec["disorder"], rec["precision"], rec["seed"])] = rec
                print(f"[{i}/{len(todo)}] M={rec['width']} W={rec['disorder']:.2f} "
                      f"Lambda={rec['lambda']:.4f}+-{rec['lambda_stderr']:.4f} "
                      f"({rec['slices']} slices, {rec['cpu_s']:.0f} CPU-s)",
                      file=sys.stderr, flush=True)
    recs = [r for k, r in done.items() if k[2] == cfg["precision"] and k[3] == a.seed
            and k[0] in cfg["widths"] and np.any(np.isclose(k[1], ws))]
    from weakloc.finitesize import fss_fit

    arr = {k: np.array([r[k] for r in recs]) for k in ("disorder", "width", "lambda",
                                                       "lambda_stderr")}
    fit = fss_fit(arr["disorder"], arr["width"], arr["lambda"], arr["lambda_stderr"],
                  n_r=cfg["n_r"], m_r=cfg["m_r"], n_i=n_i, y=2.0)
    ok = {k: abs(getattr(fit, k) - PUBLISHED[k]) <= TOLERANCE[k] for k in PUBLISHED}
    out = {"config": {**cfg, "seed": a.seed, "workers": a.workers, "journal": str(journal)},
           "points": len(recs), "cpu_s_total": float(sum(r["cpu_s"] for r in recs)),
           "wall_s_this_run": time.time() - t0,
           "w_c": fit.w_c, "w_c_ci": fit.w_c_ci, "nu": fit.nu, "nu_ci": fit.nu_ci,
           "lambda_c": fit.lambda_c, "lambda_c_ci": fit.lambda_c_ci, "y": fit.y,
           "chi2": fit.chi2, "dof": fit.dof, "p_value": fit.p_value,
           "published": PUBLISHED, "tolerance": TOLERANCE, "within_tolerance": ok}
    if a.figure:
        from weakloc.plots import savefig
        from weakloc.plots.localization import collapse_figure

        savefig(collapse_figure(fit, "3D Anderson transition"), a.figure)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
