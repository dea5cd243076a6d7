"""
Wave-packet dynamics: coherent backscattering in momentum space
===============================================================

A plane wave ``k0`` launched into a disordered torus (2D Anderson model, units of ``t``,
``a`` and ``hbar``; times in ``hbar/t``) is evolved by a Chebyshev series. After a few
scattering times the disorder-averaged momentum distribution ``n(k, t)`` is a ring of
elastically scattered waves, with a coherent backscattering peak at ``-k0``: twice the
ring's height in the orthogonal class, for times well beyond the Born time ``tau``
(:mod:`weakloc.theory.born`).
"""

import matplotlib.pyplot as plt
import numpy as np

from weakloc.dynamics import TorusLattice, cbs_momentum
from weakloc.theory import born

SIZE, DISORDER = 32, 2.5
k0 = 2 * np.pi * np.array([8, 5]) / SIZE
energy = float(-2 * np.cos(k0).sum())                  # t
tau = float(born.scattering_time(energy, DISORDER))    # hbar/t
times = tau * np.array([1.0, 4.0])
res = cbs_momentum(TorusLattice(size=SIZE, disorder=DISORDER), k0, times, samples=24,
                   seed=1, progress=False)

fig, axes = plt.subplots(1, 2, figsize=(8, 4))
for ax, t, n_k, contrast in zip(axes, res.times, res.n_k, res.contrast):
    ax.imshow(np.log10(np.fft.fftshift(n_k).T + 1e-8), origin="lower", cmap="magma",
              vmin=-5,
              extent=(-np.pi, np.pi, -np.pi, np.pi))
    ax.plot(*(-k0), "c+", ms=12)
    ax.set_title(f"t = {t / tau:.0f} tau, CBS contrast {contrast:.2f}", fontsize=9)
    ax.set_xlabel(r"$k_x a$")
axes[0].set_ylabel(r"$k_y a$")
fig.suptitle(r"$\log_{10} n(k, t)$; + marks $-k_0$", fontsize=9)
fig.tight_layout()
