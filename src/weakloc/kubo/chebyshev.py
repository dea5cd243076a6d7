r"""Chebyshev series of a :class:`~weakloc.kubo.system.TorusSystem` on blocks of vectors.

With the spectrum inside ``[-w, w]`` (``w`` the Gershgorin bound) and ``X = H/w``, a
function ``f(H) = sum_n c_n T_n(X)`` is applied by the three-term recursion
``T_{n+1} = 2 X T_n - T_{n-1}``. Commuting the recursion with a position operator gives

.. math::

    [X_\mu, T_{n+1}] = \frac{2}{w}[X_\mu, H]\, T_n + 2 X\, [X_\mu, T_n] - [X_\mu, T_{n-1}],

so ``[X_mu, f(H)] psi`` comes out of the same pass that computes ``f(H) psi``, with only the
bond commutator ``[X_mu, H]`` (:mod:`weakloc.kubo.system`), never ``X`` itself: this is the
linear-scaling spreading method of Roche and Mayou, PRL 79, 2518 (1997), in the Chebyshev
form of Fan et al., Phys. Rep. 903, 1 (2021). The time-evolution coefficients are those of
:func:`weakloc.dynamics.chebyshev.evolution_coefficients` (Tal-Ezer and Kosloff 1984).
Units: energies in ``t``, times in ``hbar/t``, lengths in ``a``.
"""

from __future__ import annotations

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.kubo._kernels import block_step

__all__ = ["block_series", "gaussian_coefficients", "energy_filter", "evolve_spreading"]


def block_series(system, block, coef, *, ncomm: int = 0) -> np.ndarray:
    """``sum_n coef[n] T_n(H/w)`` applied to every column of ``block`` (shape (n, K)).

    With ``ncomm = m``, columns ``1..m`` receive in addition ``[X_mu, f(H)]`` applied to
    column 0 (``mu = k - 1``): they must start as the zero vector, or hold vectors whose
    own series is wanted plus the commutator term.
    """
    block = np.ascontiguousarray(block, dtype=complex)
    coef = np.asarray(coef, dtype=complex)
    w = system.bound
    acc = coef[0] * block
    if coef.size == 1:
        return acc
    a = block.copy()
    b = np.zeros_like(block)
    block_step(system, a, b, acc, 1.0 / w, 0.0, 0.0, coef[1], ncomm)
    for n in range(2, coef.size):
        block_step(system, b, a, acc, 2.0 / w, 0.0, 1.0, coef[n], ncomm)
        a, b = b, a
    return acc


def gaussian_coefficients(energy: float, width: float, half_width: float,
                          tol: float = 1e-10) -> np.ndarray:
    """Chebyshev coefficients of ``exp(-(E' - E)^2/(2 sigma^2))`` on ``[-w, w]``.

    By the discrete cosine transform on Chebyshev nodes, doubling the node count until the
    coefficient tail sums below ``tol`` (the Gaussian is entire, so the series converges
    geometrically once ``n >> w/sigma``).

    Parameters
    ----------
    energy, width, half_width : float
        ``E``, ``sigma`` and ``w`` in units of ``t``.
    """
    from scipy.fft import dct

    m = int(8.0 * half_width / width) + 64
    for _ in range(8):
        nodes = np.cos(np.pi * (np.arange(m) + 0.5) / m)
        f = np.exp(-((half_width * nodes - energy) ** 2) / (2.0 * width * width))
        coef = dct(f, type=2) / m
        coef[0] *= 0.5
        tail = np.cumsum(np.abs(coef[::-1]))[::-1]
        ok = np.nonzero(tail < tol)[0]
        if ok.size and ok[0] < m // 2:
            return coef[: max(int(ok[0]), 1)]
        m *= 2
    raise InputError("energy filter did not converge; widen it")  # pragma: no cover


def energy_filter(system, block, energy: float, width: float, *, tol: float = 1e-10):
    """``exp(-(H - E)^2/(4 eta^2))`` on every column: its square is the Gaussian window
    ``exp(-(H - E)^2/(2 eta^2))`` of width ``eta`` (units of ``t``) that projects on ``E``."""
    energy = float(v.finite_array("energy", energy))
    width = float(v.positive("filter_width", width, "t"))
    if abs(energy) >= system.bound:
        raise InputError(f"energy {energy:g} t lies outside the spectrum bound "
                         f"+-{system.bound:.3g} t; choose an energy inside the band")
    coef = gaussian_coefficients(energy, np.sqrt(2.0) * width, system.bound, tol)
    return block_series(system, block, coef)


def evolve_spreading(system, phi, chi, dt: float, *, tol: float = 1e-10):
    """Advance ``phi = U(t) psi`` and ``chi_mu = [X_mu, U(t)] psi`` by ``dt`` (``hbar/t``).

    ``U(t + dt) = U(dt) U(t)`` gives ``chi_mu(t + dt) = [X_mu, U(dt)] phi + U(dt) chi_mu``;
    all ``1 + 2 d`` series share the coefficients and run as one block.

    Parameters
    ----------
    phi : ndarray (n,)
    chi : ndarray (n, d)

    Returns
    -------
    phi, chi : the advanced vectors
    """
    from weakloc.dynamics.chebyshev import evolution_coefficients

    d = chi.shape[1]
    block = np.empty((phi.shape[0], 1 + 2 * d), dtype=complex)
    block[:, 0] = phi
    block[:, 1:1 + d] = 0.0
    block[:, 1 + d:] = chi
    coef = evolution_coefficients(system.bound * dt, tol)
    acc = block_series(system, block, coef, ncomm=d)
    return acc[:, 0].copy(), np.ascontiguousarray(acc[:, 1:1 + d] + acc[:, 1 + d:])
