r"""Time evolution and spectral filters by Chebyshev expansion.

With the spectrum of ``H`` inside ``[c - w, c + w]`` and ``X = (H - c)/w``,

.. math::

   e^{-iHt} = e^{-ict} \left[ J_0(wt) + 2 \sum_{n \ge 1} (-i)^n J_n(wt)\, T_n(X) \right],

(Tal-Ezer and Kosloff, J. Chem. Phys. 81, 3967 (1984)). Since ``||T_n(X)|| <= 1``, cutting
the series after ``M`` terms makes an error of at most ``2 sum_{n >= M} |J_n(wt)|`` in the
2-norm of a normalized state; ``M`` is chosen as the smallest number of moments with that
tail below the requested tolerance. Units: energies in ``t``, times in ``hbar/t``.
"""

from __future__ import annotations

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError

__all__ = [
    "evolution_coefficients", "moments_needed", "chebyshev_series", "evolve",
    "gaussian_filter",
]


def _bound(real) -> tuple[float, float]:
    """Center ``c`` and half-width ``w`` of the spectral interval (Gershgorin, 0.1% margin)."""
    return 0.0, real.spectral_bound() * 1.001


def evolution_coefficients(z: float, tol: float) -> np.ndarray:
    """Coefficients ``(2 - delta_n0) (-i)^n J_n(z)`` of ``exp(-i z X)``, cut at ``tol``.

    Parameters
    ----------
    z : float
        ``w t``: half-width of the spectral interval (units of ``t``) times the time
        (units of ``hbar/t``); dimensionless.
    tol : float
        Bound on ``2 sum_{n >= M} |J_n(z)|``, the 2-norm error of the truncated series.

    Returns
    -------
    ndarray of complex, length ``M``
    """
    from scipy.special import jv

    z = float(abs(z))
    nmax = int(z + 12.0 * max(z, 1.0) ** (1.0 / 3.0) + 60)
    n = np.arange(nmax + 1)
    j = np.abs(jv(n, z))
    tail = 2.0 * np.cumsum(j[::-1])[::-1]      # tail[m] = 2 sum_{n >= m} |J_n|
    ok = np.nonzero(tail < tol)[0]
    m = int(ok[0]) if ok.size else nmax + 1
    m = max(m, 1)
    coef = (2.0 * (-1j) ** n[:m]) * jv(n[:m], z)
    coef[0] *= 0.5
    return coef


def moments_needed(z: float, tol: float) -> int:
    """Number of Chebyshev moments for ``exp(-i z X)`` at 2-norm accuracy ``tol``."""
    return int(evolution_coefficients(z, tol).size)


def chebyshev_series(real, psi, coef, shift: float, scale: float) -> np.ndarray:
    """``sum_n coef[n] T_n((H - shift)/scale) psi`` by the three-term recursion.

    Each step is one fused pass of the stencil (``phi_{n+1} = 2 X phi_n - phi_{n-1}``,
    accumulated on the fly).
    """
    from weakloc.dynamics.hamiltonian import _check_state

    psi = _check_state(real, psi)
    coef = np.asarray(coef, dtype=complex)
    acc = coef[0] * psi
    if coef.size == 1:
        return acc
    a = psi.copy()                 # phi_{n-1}
    b = np.zeros_like(psi)         # becomes phi_1
    real.step(a, b, acc, 1.0 / scale, shift, 0.0, coef[1])
    for n in range(2, coef.size):
        # a <- 2 X b - a ; the newest vector alternates between a and b
        real.step(b, a, acc, 2.0 / scale, shift, 1.0, coef[n])
        a, b = b, a
    return acc


def evolve(real, psi, times, *, tol: float = 1e-12, n_moments=None, t0: float = 0.0):
    """States ``exp(-i H (t_j - t0)) psi`` at increasing times ``t_j``.

    Parameters
    ----------
    real : TorusRealization
        The lattice realization.
    psi : ndarray
        Initial state at ``t0``, shape ``real.lattice.shape``.
    times : sequence of float
        Increasing times ``>= t0`` in units of ``hbar/t``.
    tol : float
        2-norm accuracy of every step between consecutive times (relative to ``||psi||``).
    n_moments : int, optional
        Force this number of moments per step; raises :class:`InputError` when it is too
        few for ``tol`` on the longest step.

    Returns
    -------
    list of ndarray
        One state per time, same shape as ``psi``.
    """
    times = v.finite_array("times", times)
    tol = float(v.in_range("tol", tol, 0.0, 1.0))
    if times.ndim != 1:
        raise InputError("times must be a 1D sequence of times (units of hbar/t)")
    if np.any(np.diff(times) < 0) or times[0] < t0:
        raise InputError(f"times must be increasing and >= {t0:g} (units of hbar/t)")
    c, w = _bound(real)
    steps = np.diff(np.concatenate([[t0], times]))
    if n_moments is not None:
        n_moments = v.positive_int("n_moments", n_moments)
        need = moments_needed(w * steps.max(), tol)
        if n_moments < need:
            raise InputError(
                f"n_moments={n_moments} is too few for tol={tol:g} over a time step "
                f"{steps.max():g} hbar/t: need at least {need} (or raise tol, or shorten steps)"
            )
    out = []
    cur = np.ascontiguousarray(psi, dtype=complex)
    for dt in steps:
        if dt == 0.0:
            out.append(cur.copy())
            continue
        coef = evolution_coefficients(w * dt, tol)
        if n_moments is not None:
            from scipy.special import jv

            n = np.arange(max(n_moments, coef.size))[:n_moments]
            coef = 2.0 * (-1j) ** n * jv(n, w * dt)
            coef[0] *= 0.5
        cur = chebyshev_series(real, cur, coef * np.exp(-1j * c * dt), c, w)
        out.append(cur)
    return out


def gaussian_filter(real, psi, energy: float, width: float, *, tol: float = 1e-10):
    """``exp(-(H - E)^2 / (2 sigma^2)) psi`` by a Chebyshev series (not normalized).

    Parameters
    ----------
    energy : float
        Filter center ``E`` in units of ``t``.
    width : float
        Filter width ``sigma`` in units of ``t``.
    tol : float
        Series cut where the remaining coefficients sum below ``tol``.
    """
    from scipy.fft import dct

    energy = float(v.finite_array("energy", energy))
    width = float(v.positive("width", width))
    c, w = _bound(real)
    m = int(8.0 * w / width) + 64
    for _ in range(6):
        nodes = np.cos(np.pi * (np.arange(m) + 0.5) / m)
        f = np.exp(-((w * nodes + c - energy) ** 2) / (2 * width * width))
        coef = dct(f, type=2) / m
        coef[0] *= 0.5
        tail = np.cumsum(np.abs(coef[::-1]))[::-1]
        ok = np.nonzero(tail < tol)[0]
        if ok.size and ok[0] < m // 2:
            coef = coef[: max(int(ok[0]), 1)]
            break
        m *= 2
    else:  # pragma: no cover - the Gaussian is entire; the loop always converges
        raise InputError("energy filter did not converge; widen it")
    return chebyshev_series(real, psi, coef, c, w)
