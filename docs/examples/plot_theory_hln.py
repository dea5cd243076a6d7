"""
Closed forms: HLN magnetoconductance
====================================

The Hikami-Larkin-Nagaoka correction of a 2D film, ``dsigma(B) = alpha G0 f(B_phi/B)``
with ``G0 = e^2/(pi h)``, for weak localization (``alpha = 1``, spin degeneracy included)
and anti-localization of one Dirac surface (``alpha = -1/2``), at three dephasing lengths.
The dashed lines are the low-field limit ``f(x) ~ 1/(24 x^2)``: quadratic in ``B``.
"""

import matplotlib.pyplot as plt
import numpy as np

from weakloc import theory
from weakloc.units import G0, length_to_field

B = np.linspace(-0.3, 0.3, 301)                          # T
fig, ax = plt.subplots(figsize=(6, 4))
for l_phi in (100e-9, 200e-9, 400e-9):                   # m
    for alpha, style in ((1.0, "-"), (-0.5, ":")):
        ds = theory.hln(B, alpha=alpha, l_phi=l_phi)     # S per square
        ax.plot(B, ds / G0, style, label=f"alpha = {alpha:+g}, L_phi = {l_phi * 1e9:.0f} nm")
b_phi = length_to_field(200e-9)                          # T, hbar/(4 e L^2)
small = np.abs(B) < 0.3 * b_phi
ax.plot(B[small], B[small] ** 2 / (24 * b_phi**2), "k--", lw=1, label="1/(24 x^2), alpha = 1")
ax.set_xlabel("B (T)")
ax.set_ylabel(r"$\Delta\sigma$ ($e^2/\pi h$)")
ax.legend(fontsize=7)
fig.tight_layout()
