"""
Real-space Kubo: weak localization watched in time
==================================================

The Kubo conductivity ``sigma(E, t) = e^2 rho(E) D(E, t)`` of a disordered torus, from
Chebyshev propagation of random-phase vectors projected on the energy ``E``
(:func:`weakloc.kubo.kubo_conductivity`; energies in units of ``t``, times in ``hbar/t``,
conductivity in ``e^2/h``, spin-summed with spin). After the ballistic rise, ``D(t)`` turns
diffusive and the returning time-reversed loops bend ``sigma`` down (orthogonal class) or up
(symplectic class, SU(2) spin-orbit scattering) linearly in ``ln t``, with slopes
``-1/(2 pi)`` and ``+1/(2 pi)`` ``e^2/h`` at one loop.
"""

import matplotlib.pyplot as plt

from weakloc.dynamics import TorusLattice
from weakloc.kubo import kubo_conductivity, log_slope

SIZE, W, E, T_MAX = 48, 4.0, -1.0, 30.0
fig, ax = plt.subplots(figsize=(6, 4))
for i, (label, options) in enumerate((("orthogonal", {}), ("symplectic (SU(2))",
                                                          {"spin_orbit": "su2"}))):
    lat = TorusLattice(size=SIZE, disorder=W, **options)
    res = kubo_conductivity(lat, E, [T_MAX], vectors=1, samples=4, seed=10 + i,
                            dos_moments=None, progress=False)
    t, s, ds = res.times, res.conductivity, res.conductivity_stderr
    ax.fill_between(t, s - ds, s + ds, alpha=0.3)
    ax.plot(t, s, label=label)
    tau = res.crossover["tau"] or 1.0
    fit = log_slope(res, 5 * tau, T_MAX)
    print(f"{label}: 2 pi d sigma/d ln t = {fit['in_2pi']:+.2f} +- {fit['in_2pi_stderr']:.2f}")
ax.set_xscale("log")
ax.set_xlabel(r"$t$ ($\hbar/t$)")
ax.set_ylabel(r"$\sigma(E, t)$ ($e^2/h$)")
ax.set_title(f"{SIZE}x{SIZE} torus, W = {W:g} t, E = {E:g} t, 4 realizations", fontsize=9)
ax.legend()
fig.tight_layout()
