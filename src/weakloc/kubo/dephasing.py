r"""Dephasing: the Kubo conductivity at a phase-coherence time tau_phi.

Phase breaking that destroys coherence after a time ``tau_phi`` (Altshuler and Aronov's
picture of the interference correction as the return probability integrated from ``tau``
to ``tau_phi``) weights the velocity autocorrelation with ``exp(-t/tau_phi)``:

.. math::

    D(\tau_\phi) = \int_0^\infty C(t)\, e^{-t/\tau_\phi}\,dt
                 = \frac{1}{\tau_\phi}\int_0^\infty D(t)\, e^{-t/\tau_\phi}\,dt,

(integration by parts, ``D(0) = 0``), and ``sigma(tau_phi) = e^2 rho D(tau_phi)``. The
second form needs only ``D(t)`` on the time grid: the exact integral of its linear
interpolant (so a grid step of ``tau_phi/2`` costs only the curvature of ``D``) up to the
last time ``T``, plus the tail ``D(T) exp(-T/tau_phi)`` (``D`` frozen after ``T``), so
``T`` must be several ``tau_phi``. Times in ``hbar/t``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["exponential_average", "TAIL_FACTOR"]

#: the grid must reach this many tau_phi for the tail estimate to be negligible
TAIL_FACTOR = 8.0


def exponential_average(times, values, tau_phi: float) -> np.ndarray:
    """``(1/tau_phi) int_0^inf f(t) exp(-t/tau_phi) dt`` for ``f`` sampled on ``times``
    (linear between the samples, constant after the last).

    Parameters
    ----------
    times : ndarray (T,)
        Increasing times ``> 0`` (``hbar/t``); ``f(0) = 0`` is assumed.
    values : ndarray (..., T)
        ``f`` at those times (any unit; the result has the same).
    tau_phi : float
        ``tau_phi`` in ``hbar/t``.

    Returns
    -------
    ndarray (...)
    """
    t = np.concatenate([[0.0], np.asarray(times, dtype=float)])
    f = np.asarray(values, dtype=float)
    f = np.concatenate([np.zeros(f.shape[:-1] + (1,)), f], axis=-1)
    h = np.diff(t)
    u = np.exp(-t[:-1] / tau_phi)
    du = -u * np.expm1(-h / tau_phi)                 # e^{-a/tau} - e^{-b/tau}, accurately
    v = u - du
    # exact integral of the linear interpolant times e^{-t/tau}/tau on every segment
    slope = np.diff(f, axis=-1) / h
    body = np.sum(f[..., :-1] * du + slope * (tau_phi * du - h * v), axis=-1)
    return body + f[..., -1] * np.exp(-t[-1] / tau_phi)
