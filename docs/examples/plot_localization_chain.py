"""
Localization: the Anderson chain
================================

Localization length of the 1D Anderson model (hopping ``t = 1``, box disorder of width
``W``) from transfer matrices, against energy. Weak disorder perturbation theory
(Thouless) gives ``xi = 24 (4 - E^2) / W^2`` lattice constants inside the band
``|E| < 2 t``, away from its centre and its edges; at ``E = 0`` the Kappus-Wegner anomaly
raises it to about ``105/W^2``.
"""

import matplotlib.pyplot as plt
import numpy as np

from weakloc.lattice import Lattice
from weakloc.transport.transfer import localization_length

W = 1.0
energies = np.linspace(-1.8, 1.8, 13)             # the band is |E| < 2 t
chain = Lattice(width=1, disorder=W)
res = [localization_length(chain, float(e), seed=1, precision=0.03) for e in energies]
xi = np.array([r.xi for r in res])
xi_err = np.array([r.xi_stderr for r in res])

fine = np.linspace(-2.0, 2.0, 400)
fig, ax = plt.subplots(figsize=(6, 4))
ax.errorbar(energies, xi * W**2, xi_err * W**2, fmt="o", label="transfer matrices")
ax.plot(fine, 24 * (4 - fine**2), "-", label=r"$24(4-E^2)/W^2$ (Thouless)")
ax.axhline(105, ls=":", color="gray", label="Kappus-Wegner, E = 0")
ax.set_xlabel("E (t)")
ax.set_ylabel(r"$\xi W^2$ ($a\,t^2$)")
ax.legend()
fig.tight_layout()
