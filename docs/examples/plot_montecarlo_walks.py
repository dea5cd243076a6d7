"""
Monte Carlo: diffusion and the return probability
=================================================

Persistent random walks (speed ``v``, exponential free flights of mean ``tau``, isotropic
scattering) in one, two and three dimensions. The probability density of being back at
the origin falls as ``P(0, t) = (4 pi D t)^(-d/2)`` once ``t >> tau``, with
``D = v^2 tau / d``: the integral over this return probability is what sets the size of
the weak-localization correction (:func:`weakloc.theory.return_probability`).
"""

import matplotlib.pyplot as plt

from weakloc.montecarlo import simulate_walks
from weakloc.theory import return_probability

TAU, SPEED = 1e-13, 1e5                 # s, m/s
fig, ax = plt.subplots(figsize=(6, 4))
for dim in (1, 2, 3):
    r = simulate_walks(dim, samples=4000, tau=TAU, speed=SPEED, seed=dim)
    ell = (SPEED * TAU) ** dim                       # m^d: P(0, t) in units of 1/l^d
    line, = ax.loglog(r.times / TAU, r.p0 * ell, ".", ms=3,
                      label=f"d = {dim}: slope {r.return_exponent:.2f} "
                            f"+- {r.return_exponent_stderr:.2f}")
    ax.loglog(r.times / TAU, return_probability(r.times, r.d_theory, dim) * ell, "-",
              color=line.get_color(), lw=1)
ax.set_xlabel(r"$t/\tau$")
ax.set_ylabel(r"$P(0, t)\,l^d$, $l = v\tau$")
ax.legend(fontsize=8)
fig.tight_layout()
