r"""Density of states by the kernel polynomial method with random-phase vectors.

With ``X = H/w`` (spectrum inside ``[-w, w]``) the moments

.. math::

    \mu_n = \frac{1}{\Omega}\,\mathrm{Tr}\, T_n(X)
          \approx \frac{1}{R\,\Omega}\sum_{r=1}^{R} \langle r|T_n(X)|r\rangle

(random-phase vectors ``|r>``, ``Omega`` the torus area or volume in ``a^d``) give

.. math::

    \rho(E) = \frac{g_0\mu_0 + 2\sum_{n\ge1} g_n \mu_n T_n(E/w)}{\pi\sqrt{w^2 - E^2}},

with the Jackson kernel ``g_n`` (Weisse, Wellein, Alvermann and Fehske, Rev. Mod. Phys.
78, 275 (2006), Eqs. (71), (32)). Two moments come from each recursion step:
``mu_{2n} = 2 <T_n|T_n> - mu_0`` and ``mu_{2n+1} = 2 <T_{n+1}|T_n> - mu_1``. The result is
per unit area (volume) and energy, units ``1/(t a^d)``, summed over every orbital (spin
included); on the square lattice (``a = 1``) it is the DOS per site.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc._results import MappingResult
from weakloc.kubo._kernels import block_step
from weakloc.kubo.system import random_phase_vectors
from weakloc.seeding import as_generator

__all__ = ["kpm_moments", "jackson_kernel", "dos_from_moments", "kpm_dos", "KPMDensity"]


def kpm_moments(system, moments: int, *, vectors: int = 4, seed=None) -> np.ndarray:
    """Stochastic Chebyshev moments ``<r|T_n(H/w)|r>/Omega``, one row per vector.

    Returns
    -------
    ndarray, shape (vectors, moments)
    """
    m = v.positive_int("moments", moments, minimum=2)
    vectors = v.positive_int("vectors", vectors)
    rng = as_generator(seed)
    r = random_phase_vectors(system.size, vectors, rng)
    w = system.bound
    mu = np.empty((vectors, m))
    dot = lambda x, y: np.einsum("ik,ik->k", x.conj(), y).real  # noqa: E731
    a = r.copy()                                              # T_{n-1} r
    b = np.zeros_like(r)                                      # T_n r
    dummy = np.zeros_like(r)
    block_step(system, a, b, dummy, 1.0 / w, 0.0, 0.0, 0.0)   # b = T_1 r
    mu[:, 0] = dot(r, r)
    mu[:, 1] = dot(r, b)
    n = 1
    while 2 * n - 1 < m:
        if 2 * n < m:
            mu[:, 2 * n] = 2.0 * dot(b, b) - mu[:, 0]
        if n > 1:
            mu[:, 2 * n - 1] = 2.0 * dot(b, a) - mu[:, 1]
        block_step(system, b, a, dummy, 2.0 / w, 0.0, 1.0, 0.0)   # a = T_{n+1} r
        a, b = b, a
        n += 1
    return mu / system.volume


def jackson_kernel(m: int) -> np.ndarray:
    """Jackson damping factors ``g_n``, ``n = 0..m-1`` (Weisse et al. 2006, Eq. (71))."""
    n = np.arange(m)
    q = np.pi / (m + 1)
    return ((m - n + 1) * np.cos(q * n) + np.sin(q * n) / np.tan(q)) / (m + 1)


def dos_from_moments(mu, energies, half_width: float) -> np.ndarray:
    """``rho(E)`` from moments (last axis) on ``energies`` (units of ``t``) inside
    ``(-w, w)``; result in ``1/(t a^d)``."""
    mu = np.asarray(mu, dtype=float)
    e = np.asarray(energies, dtype=float)
    x = e / half_width
    g = jackson_kernel(mu.shape[-1])
    n = np.arange(mu.shape[-1])
    tn = np.cos(n[:, None] * np.arccos(np.clip(x, -1, 1))[None, :])
    c = (mu * g).copy()
    c[..., 1:] *= 2.0
    return c @ tn / (np.pi * half_width * np.sqrt(1.0 - x * x))


@dataclass(frozen=True)
class KPMDensity(MappingResult):
    """KPM density of states at a set of energies.

    Attributes
    ----------
    energy : ndarray
        Energies (``t``).
    value, stderr : ndarray
        Density of states and its standard error over the random vectors
        (``1/(t a^d)``, spin-summed).
    moments, vectors : int
        Chebyshev moments and random-phase vectors used.
    resolution : float
        ``pi w / M`` (``t``).
    unit : str
    """

    energy: np.ndarray
    value: np.ndarray
    stderr: np.ndarray
    moments: int
    vectors: int
    resolution: float
    unit: str


def kpm_dos(system, energies, *, moments: int = 512, vectors: int = 4,
            seed=None) -> KPMDensity:
    """KPM density of states with its standard error over the random vectors.

    Parameters
    ----------
    system : TorusSystem
    energies : array_like
        Energies (units of ``t``) strictly inside the spectrum bound.
    moments : int
        Number of Chebyshev moments ``M`` (energy resolution about ``pi w / M``).
    vectors : int
        Random-phase vectors (at least 2 for a standard error).
    seed : int, SeedSequence or Generator

    Returns
    -------
    KPMDensity
        ``energy`` (t), ``value`` and ``stderr`` (``1/(t a^d)``, spin-summed),
        ``moments``, ``vectors``, ``resolution`` (``pi w/M`` in t).
    """
    from weakloc.errors import InputError

    e = np.atleast_1d(v.finite_array("energies", energies))
    if np.any(np.abs(e) >= system.bound):
        raise InputError(f"energies must lie inside the spectrum bound +-{system.bound:.3g} t")
    mu = kpm_moments(system, moments, vectors=vectors, seed=seed)
    per = dos_from_moments(mu, e, system.bound)
    err = (per.std(axis=0, ddof=1) / np.sqrt(per.shape[0]) if per.shape[0] > 1
           else np.full(e.shape, np.nan))
    return KPMDensity(energy=e, value=per.mean(axis=0), stderr=err, moments=int(moments),
                      vectors=int(vectors), resolution=float(np.pi * system.bound / moments),
                      unit="1/(t a^d)")
