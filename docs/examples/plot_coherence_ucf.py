"""
Conductance fluctuations: L_phi from a magnetofingerprint
=========================================================

Universal conductance fluctuations measured the way a lab does: several ``G(B)`` traces
(here: disordered lattice strips swept in flux with the RGF engine, one trace per
realization, the lattice constant read as 1 nm so that fields come out in tesla) go into
:func:`weakloc.fitting.ucf.analyze_ucf`, which returns the rms amplitude and the
correlation field ``B_c`` (where the autocorrelation of ``delta G`` falls to half), each
with an uncertainty that counts the independent fluctuations in the window. The strip is
shorter than ``L_phi``, so the rms is the coherent ``sqrt(1/15)`` ``e^2/h`` of a wire.
"""

import matplotlib.pyplot as plt
import numpy as np

from weakloc.fitting.ucf import analyze_ucf
from weakloc.lattice import Lattice
from weakloc.transport.landauer import conductance_ensemble
from weakloc.units import E2_OVER_H, FLUX_QUANTUM

W, L, a = 12, 48, 1e-9
B = np.linspace(1.0, 120.0, 100)                               # T
res = conductance_ensemble(Lattice(width=W, length=L, disorder=2.0), 0.5, samples=6,
                           seed=2, fluxes=B * a**2 / FLUX_QUANTUM, progress=False)
u = analyze_ucf([(B, g * E2_OVER_H) for g in res.values], dim=1, width=W * a,
                length=L * a, spin_degeneracy=1)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
for g in res.values[:3]:
    left.plot(B, g - g.mean())
left.set_xlabel("B (T)")
left.set_ylabel(r"$\delta g$ ($e^2/h$)")
lags = np.asarray(u.lags)
right.plot(lags, np.asarray(u.correlation) / u.correlation[0], "o-", ms=3)
right.axhline(0.5, color="0.6", lw=0.8)
right.set_xlabel(r"field lag $\Delta B$ (T)")
right.set_ylabel(r"$F(\Delta B)/F(0)$")
c, r = u.correlation_field, u.rms
right.set_title(f"B_c = {c.value:.3g} +- {c.stderr:.2g} T, rms = "
                f"{r.value / E2_OVER_H:.3f} +- {r.stderr / E2_OVER_H:.3f} e^2/h", fontsize=8)
fig.tight_layout()
