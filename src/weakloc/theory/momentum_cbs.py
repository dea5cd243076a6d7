r"""Diffusive (Cooperon) predictions for momentum-space CBS on the torus.

Lattice units ``t = a = hbar = 1``; flux ``phi`` per plaquette in units of ``h/e``.

The crossed (Cooperon) term at ``k = -k0 + q`` pairs every path from ``r1`` to ``rN`` with
its time reverse; their phase difference is ``q.(r1 - rN) + 2 Phi[path]`` with ``Phi`` the
Peierls phase collected along the path. Diffusive paths of duration ``t`` are Brownian
with ``<dx^2> = 2 D t_eff`` per direction, where ``t_eff = t - tau (1 - exp(-t/tau))`` is
the persistent-random-walk correction of the ballistic start (``<r^2> = 4 D t_eff``).

* **Zero field**: the excess is ``C exp(-D t_eff q^2)``, a Gaussian of width
  ``sigma = 1/sqrt(2 D t_eff)`` (Akkermans and Montambaux, *Mesoscopic Physics of Electrons
  and Photons*, Ch. 8; Cherroret et al., PRA 85, 011604 (2012)).
* **Uniform field, gauge-invariant part**: ``2 Phi = 4 pi phi A`` with ``A`` Levy's
  stochastic area between the path and its chord; for an unconditioned planar Brownian
  motion ``E[exp(i lam A)] = 1/cosh(lam D t)`` (Levy 1951), so the contrast at ``-k0``
  falls as ``1/cosh(u)``, ``u = 4 pi phi D t_eff``.
* **Uniform field, canonical momentum in the Landau gauge** (what ``|FFT psi|^2``
  measures): the x-bonds of row ``y`` carry ``2 pi phi (y - y0)``, so
  ``2 Phi = 4 pi phi [(y1 - y0) dx + int eta d xi]`` depends also on the start row ``y1``
  of the path. Averaging Levy's conditional law
  ``E[e^{i lam A} | dr] = (u/sinh u) exp(-(|dr|^2/4Dt)(u coth u - 1))`` over the Gaussian
  end point ``dr`` and over ``y1`` uniform on the torus (a plane wave), derived here:

  .. math::

     \frac{C(\phi, t)}{C(0, t)} = \frac{1}{\sqrt{\cosh 2u}}\;
     \frac{1}{N} \sum_{y=-N/2}^{N/2-1}
     \exp\!\left(-\frac{u \tanh 2u}{2 D t_{\rm eff}}\, y^2\right).

  At ``y1 = y0`` this is ``1/sqrt(cosh 2u)``; for small ``u`` both factors start as
  ``1 - O(u^2)``. Paths that cross the torus seam of the twisted gauge are neglected
  (a fraction ``~ sqrt(D t)/N``).
"""

from __future__ import annotations

import numpy as np

from weakloc import _validate as v

__all__ = ["effective_time", "peak_width", "levy_area_suppression",
           "landau_gauge_suppression"]


def effective_time(t, tau):
    """``t_eff = t - tau (1 - exp(-t/tau))`` (units of ``hbar/t``): ``<r^2> = 4 D t_eff``."""
    t = v.nonnegative("t", t)
    tau = v.positive("tau", tau)
    return t - tau * (1.0 - np.exp(-t / tau))


def peak_width(t, diffusion, tau):
    """Diffusive CBS width ``sigma = 1/sqrt(2 D t_eff)`` (units of ``1/a``).

    Parameters
    ----------
    t : array_like
        Time (``hbar/t``).
    diffusion : float
        ``D`` (``t a^2/hbar``).
    tau : float
        Elastic time (``hbar/t``).
    """
    d = v.positive("diffusion", diffusion)
    with np.errstate(divide="ignore"):
        return 1.0 / np.sqrt(2.0 * d * effective_time(t, tau))


def levy_area_suppression(flux, t, diffusion, tau):
    """Gauge-invariant Cooperon suppression ``1/cosh(4 pi phi D t_eff)`` (dimensionless)."""
    u = 4 * np.pi * v.finite_array("flux", flux) * float(diffusion) * effective_time(t, tau)
    return 1.0 / np.cosh(u)


def landau_gauge_suppression(flux, t, diffusion, tau, size: int):
    """``C(phi, t)/C(0, t)`` for ``|FFT psi|^2`` of a plane wave in the Landau gauge.

    Parameters
    ----------
    flux : array_like
        ``phi`` per plaquette (``h/e``).
    t : float
        Time (``hbar/t``).
    diffusion, tau : float
        ``D`` (``t a^2/hbar``) and ``tau`` (``hbar/t``), e.g. from
        :mod:`weakloc.theory.born`.
    size : int
        ``N`` of the torus (rows ``y - y0`` from ``-N/2`` to ``N/2 - 1``).

    Returns
    -------
    ndarray
        The suppression factor (see the module docstring for the derivation).
    """
    phi = np.atleast_1d(v.finite_array("flux", flux))
    dt = float(diffusion) * float(effective_time(t, tau))
    u = 4 * np.pi * np.abs(phi) * dt
    y = np.arange(-(size // 2), size - size // 2, dtype=float)
    gamma = np.where(u > 0, u * np.tanh(2 * u) / (2 * dt), 0.0)
    rows = np.exp(-gamma[:, None] * y[None, :] ** 2).mean(axis=1)
    out = rows / np.sqrt(np.cosh(2 * u))
    return out if np.ndim(flux) else out[0]
