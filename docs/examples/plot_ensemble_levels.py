"""
Ensembles: level statistics from Poisson to Wigner-Dyson
========================================================

A sweep is an observable evaluated on a grid of parameters, many disorder realizations per
point, each realization drawing from its own random stream derived from one root seed: the
numbers do not depend on the executor or the number of workers. Here the observable is the
mean gap ratio ``<r>`` of a closed 8 x 9 Anderson sample (units of ``t``) against disorder,
without and with a magnetic flux: Wigner-Dyson statistics (GOE, then GUE with flux) in the
metal, Poisson in the insulator. The results come back as an :class:`xarray.Dataset`.
"""

import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from weakloc.ensemble import make_sweep, run_sweep
from weakloc.ensemble.levelstats import R_LARGE_N, R_POISSON

sweep = make_sweep("level-ratio",
                   {"disorder": list(np.geomspace(2.0, 200.0, 6)), "flux": [0.0, 0.1]},
                   samples=6, seed=2026, options={"width": 8, "length": 9},
                   same_disorder_along=["flux"])
with tempfile.TemporaryDirectory() as tmp:
    ds = run_sweep(sweep, Path(tmp) / "levels.sweep", executor="serial",
                   progress=False).dataset

fig, ax = plt.subplots(figsize=(6, 4))
for flux in ds["flux"].values:
    sel = ds.sel(flux=flux)
    ax.errorbar(ds["disorder"], sel["r_mean__mean"], sel["r_mean__stderr"], fmt="o-",
                label=f"flux {flux:g} h/e per plaquette")
for name, value in (("Poisson", R_POISSON), ("GOE", R_LARGE_N[1]), ("GUE", R_LARGE_N[2])):
    ax.axhline(value, ls=":", color="gray")
    ax.annotate(name, (2.0, value), fontsize=8, va="bottom")
ax.set_xscale("log")
ax.set_xlabel("W (t)")
ax.set_ylabel(r"$\langle r\rangle$")
ax.legend(fontsize=8)
fig.tight_layout()
