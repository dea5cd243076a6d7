"""Demo section: a checkpointed sweep on local worker processes (level statistics)."""

from __future__ import annotations

import tempfile
import textwrap
import time
from pathlib import Path

TITLE = "Ensemble sweep: Poisson to Wigner-Dyson level statistics on 2 worker processes"
ORDER = 50

SWEEP = """
description = "2D Anderson model, 8 x 9 closed sample: gap ratio against disorder"
observable = "level-ratio"
realizations = 12
seed = {seed}
same_disorder_along = ["flux"]

[grid]
disorder = {{start = 2.0, stop = 200.0, num = 6, log = true}}
flux = [0.0, 0.1]

[options]
width = 8
length = 9
"""


def run(outdir: Path, seed: int) -> dict:
    """Run a small sweep through :func:`weakloc.ensemble.run_sweep` and plot it."""
    import numpy as np

    from weakloc.ensemble import load_sweep, run_batch, run_sweep
    from weakloc.ensemble.levelstats import R_LARGE_N, R_POISSON
    from weakloc.ensemble.tasks import point_key
    from weakloc.io import write_text
    from weakloc.plots import savefig
    from weakloc.plots.ensemble import level_ratio_figure

    outdir = Path(outdir)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "levels.toml"
        write_text(path, textwrap.dedent(SWEEP.format(seed=seed)))
        t0 = time.perf_counter()
        summary = run_sweep(path, Path(tmp) / "levels.sweep", executor="processes",
                            workers=2, progress=False)
        elapsed = time.perf_counter() - t0
        ds = summary.dataset
        sweep = load_sweep(path)
    # recompute one grid point serially here: the numbers must be identical
    p = 0
    pt = sweep.points()[p]
    tasks = [(p, r, sweep.params(pt), point_key(sweep.key_params(pt)))
             for r in range(sweep.realizations)]
    again = np.array([vals["r_mean"] for _, _, vals, _ in run_batch("level-ratio", sweep.seed,
                                                                    tasks)])
    stored = ds["r_mean"].sel(pt).values
    identical = bool(np.array_equal(again, stored))

    refs = {"Poisson": R_POISSON, "GOE": R_LARGE_N[1], "GUE": R_LARGE_N[2]}
    fig = level_ratio_figure(ds, references=refs)
    name = Path(savefig(fig, outdir / "ensemble_level_ratio.png")).name
    m = ds["r_mean__mean"]
    w_lo, w_hi = float(ds["disorder"][0]), float(ds["disorder"][-1])
    highlights = [
        f"{summary.n_tasks} tasks on {summary.workers} processes in {elapsed:.1f} s "
        f"(batches of {summary.batch_size}); serial re-run of one point bit-identical: "
        f"{identical}",
        f"<r> at W = {w_lo:g}: {float(m.sel(disorder=w_lo, flux=0.0)):.3f} (GOE "
        f"{R_LARGE_N[1]}), with flux {float(m.sel(disorder=w_lo, flux=0.1)):.3f} (GUE "
        f"{R_LARGE_N[2]}); at W = {w_hi:g}: {float(m.sel(disorder=w_hi, flux=0.0)):.3f} "
        f"(Poisson {R_POISSON:.4f})",
    ]
    return {
        "figures": [name],
        "highlights": highlights,
        "n_tasks": summary.n_tasks,
        "sweep_elapsed_s": elapsed,
        "bit_identical_serial_rerun": identical,
        "r_mean": {f"W={float(w):.3g},flux={float(f):g}": float(m.sel(disorder=w, flux=f))
                   for w in ds["disorder"].values for f in ds["flux"].values},
    }
