"""
Lattice transport: the weak-localization dip
============================================

Landauer conductance of a disordered 2D strip (Anderson model, units of ``t`` and ``a``)
from recursive Green's functions, against the flux through the sample. Every row of the
ensemble uses the same disorder at all fluxes, so the field dependence is measured on
identical samples. Orthogonal class: a dip at zero flux (weak localization); with SU(2)
spin-orbit scattering (symplectic class) a peak (anti-localization). Conductance in
``e^2/h``, spin-summed where the model has spin.
"""

import matplotlib.pyplot as plt
import numpy as np

from weakloc.lattice import Lattice
from weakloc.transport.landauer import conductance_ensemble

WIDTH, LENGTH, SAMPLES = 12, 24, 80
quanta = np.linspace(-3, 3, 13)                    # flux quanta through the sample
fluxes = quanta / (WIDTH * LENGTH)                 # per plaquette, h/e
fig, ax = plt.subplots(figsize=(6, 4))
for label, options in (("orthogonal", {}), ("symplectic (SU(2))", {"spin_orbit": "su2"})):
    lat = Lattice(width=WIDTH, length=LENGTH, disorder=2.0, **options)
    res = conductance_ensemble(lat, 0.5, samples=SAMPLES, seed=7, fluxes=fluxes)
    dg = res.values - res.values.mean(axis=1, keepdims=True)   # remove sample offsets
    mean, err = dg.mean(axis=0), dg.std(axis=0, ddof=1) / np.sqrt(SAMPLES)
    ax.errorbar(quanta, mean, err, fmt="o-", ms=3, label=label)
ax.set_xlabel(r"flux through the sample ($h/e$)")
ax.set_ylabel(r"$g - \langle g\rangle_\phi$ ($e^2/h$)")
ax.set_title(f"{WIDTH} x {LENGTH} strip, W = 2 t, E = 0.5 t, {SAMPLES} samples", fontsize=9)
ax.legend()
fig.tight_layout()
