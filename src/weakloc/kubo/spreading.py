r"""Spreading of energy-projected random states: the raw numbers of the Kubo method.

For a random-phase vector ``|r>`` the projected state is ``|psi> = g(H)|r>`` with
``g(H) = exp(-(H - E)^2/(4 eta^2))``, so ``<psi|psi>`` estimates ``Tr g^2``, the Gaussian
window of width ``eta`` around ``E``. With ``phi(t) = U(t) psi`` and
``chi_mu(t) = [X_mu, U(t)] psi`` (:func:`~weakloc.kubo.chebyshev.evolve_spreading`),

.. math::

    \Delta X_\mu^2(t) = \frac{\|\chi_\mu(t)\|^2}{\|\psi\|^2}, \qquad
    D_\mu(t) = \frac12 \frac{d\,\Delta X_\mu^2}{dt}
      = \frac{\mathrm{Re}\,\langle\chi_\mu(t)|V_\mu|\phi(t)\rangle}{\|\psi\|^2}
      = \int_0^t C_{\mu\mu}(t')\,dt',

with ``V_mu = i[H, X_mu]/hbar`` and ``C`` the symmetrized velocity autocorrelation
(``X(t) - X = U^dagger [X, U]``). ``D(t)`` is evaluated exactly at every time of the grid,
without differentiating or integrating numerically (Fan et al., Phys. Rep. 903, 1 (2021),
Secs. 3-4; Roche and Mayou, PRL 79, 2518 (1997)). Lattice units ``t = a = hbar = 1``.
"""

from __future__ import annotations

import numpy as np

from weakloc.kubo._kernels import comm_apply
from weakloc.kubo.chebyshev import energy_filter, evolve_spreading
from weakloc.kubo.system import random_phase_vectors

__all__ = ["spreading_realization"]


def spreading_realization(system, energy: float, grid, *, vectors: int, rng, width: float,
                          tol: float = 1e-10, progress=None) -> dict:
    """Spreading numbers of ``vectors`` projected random states on one realization.

    Parameters
    ----------
    system : TorusSystem
    energy : float
        ``E`` in units of ``t``.
    grid : ndarray
        Increasing times ``> 0`` (``hbar/t``).
    vectors : int
        Number of random-phase vectors (drawn from ``rng``).
    width : float
        Window width ``eta`` (units of ``t``).
    progress : callable, optional
        Called with no argument after every time step.

    Returns
    -------
    dict of ndarray
        ``norm`` (R,): ``||psi||^2``; ``velocity2`` (R,): ``sum_mu ||V_mu psi||^2 / d``;
        ``current`` (R, T): ``sum_mu Re <chi_mu|V_mu|phi> / d``; ``spread`` (R, T):
        ``sum_mu ||chi_mu||^2 / d``. Divide by ``norm`` for ``<v_mu^2>``, ``D(t)`` and
        ``Delta X_mu^2(t)``.
    """
    n, d = system.size, system.dim
    grid = np.asarray(grid, dtype=float)
    out = {"norm": np.empty(vectors), "velocity2": np.empty(vectors),
           "current": np.empty((vectors, grid.size)), "spread": np.empty((vectors, grid.size))}
    r = random_phase_vectors(n, vectors, rng)
    for k in range(vectors):
        psi = energy_filter(system, r[:, k:k + 1], energy, width, tol=tol)[:, 0]
        out["norm"][k] = np.vdot(psi, psi).real
        out["velocity2"][k] = sum(np.vdot(j, j).real for j in
                                  (comm_apply(system, mu, psi) for mu in range(d))) / d
        phi, chi = psi, np.zeros((n, d), dtype=complex)
        t = 0.0
        for i, tn in enumerate(grid):
            phi, chi = evolve_spreading(system, phi, chi, tn - t, tol=tol)
            t = tn
            # Re <chi|V phi> with V = -i [X, H]: Im <chi|[X, H] phi>
            out["current"][k, i] = sum(
                np.vdot(chi[:, mu], comm_apply(system, mu, phi)).imag for mu in range(d)) / d
            out["spread"][k, i] = float(np.sum(np.abs(chi) ** 2)) / d
            if progress is not None:
                progress()
    return out
