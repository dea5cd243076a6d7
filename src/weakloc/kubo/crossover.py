r"""Elastic time and mean free path from the ballistic-to-diffusive crossover of D(t).

For isotropic elastic scattering (Boltzmann, no interference) the velocity autocorrelation
decays as ``C(t) = <v_mu^2> exp(-t/tau)``, so

.. math::

    D_\mu(t) = \int_0^t C(t')\,dt' = \langle v_\mu^2\rangle\, \tau\,(1 - e^{-t/\tau}),

ballistic (``D = <v_mu^2> t``) for ``t << tau`` and the Drude value
``D_0 = <v_mu^2> tau`` for ``t >> tau``. With ``<v_mu^2>`` measured at ``t = 0``, the one
parameter ``tau`` is fitted to ``D(t)`` over ``t <= 3 tau``; the mean free path is
``l = sqrt(d <v_mu^2>) tau = v tau`` (as :func:`weakloc.dynamics.born.mean_free_path`).
Interference corrections enter only at ``t >> tau`` and do not bias the fit
(Fan et al., Phys. Rep. 903, 1 (2021), Sec. 4.3). Units: ``hbar/t``, ``a``, ``t a^2/hbar``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from weakloc._results import MappingResult

__all__ = ["Crossover", "crossover_fit"]


@dataclass(frozen=True)
class Crossover(MappingResult):
    """Elastic scales from the ballistic-to-diffusive crossover of ``D(t)``.

    Attributes
    ----------
    tau : float or None
        Elastic time (``hbar/t``).
    mean_free_path : float or None
        ``sqrt(d <v_mu^2>) tau`` (``a``).
    drude_diffusion : float or None
        ``<v_mu^2> tau`` (``t a^2/hbar``).
    fit_window : list or None
        First and last time fitted (``hbar/t``).
    reliable : bool
        False with ``reasons`` when there is no crossover or it is not resolved.
    reasons : tuple of str
    """

    tau: float | None
    mean_free_path: float | None
    drude_diffusion: float | None
    fit_window: list | None
    reliable: bool
    reasons: tuple


def crossover_fit(times, diffusion, velocity2: float, dim: int) -> Crossover:
    """Fit ``tau`` to ``D(t) = <v_mu^2> tau (1 - exp(-t/tau))``.

    Parameters
    ----------
    times : ndarray
        Increasing times (``hbar/t``).
    diffusion : ndarray
        ``D_mu(t)`` (``t a^2/hbar``), direction-averaged.
    velocity2 : float
        ``<v_mu^2>`` (``(t a/hbar)^2``), per direction.
    dim : int
        Spatial dimension ``d``.

    Returns
    -------
    Crossover
        ``tau`` (``hbar/t``), ``mean_free_path`` (``a``), ``drude_diffusion``
        (``<v_mu^2> tau``, ``t a^2/hbar``), ``fit_window`` (``hbar/t``) and ``reliable``
        with ``reasons``: None values when ``D(t)`` is still ballistic (no crossover
        within the times) or the grid is too coarse to resolve it.
    """
    from scipy.optimize import minimize_scalar

    t = np.asarray(times, dtype=float)
    dd = np.asarray(diffusion, dtype=float)
    out = {"tau": None, "mean_free_path": None, "drude_diffusion": None,
           "fit_window": None, "reliable": False, "reasons": []}
    if velocity2 <= 0 or t.size < 3:
        out["reasons"].append("no velocity at this energy or too few times")
        return _result(out)
    peak = int(np.argmax(dd))
    tau0 = dd[peak] / velocity2
    if peak == t.size - 1 and dd[peak] > 0.5 * velocity2 * t[peak]:
        out["reasons"].append("D(t) still ballistic at the last time: no crossover; "
                              "evolve longer or add disorder")
        return _result(out)
    window = t <= 3.0 * tau0
    if np.count_nonzero(window) < 3:
        out["reasons"].append(f"fewer than 3 times below 3 tau ~ {3 * tau0:.3g} hbar/t; "
                              "add earlier times")
        return _result(out)

    def cost(tau):
        return np.sum((dd[window] - velocity2 * tau * (1.0 - np.exp(-t[window] / tau))) ** 2)

    res = minimize_scalar(cost, bounds=(0.2 * tau0, 5.0 * tau0), method="bounded",
                          options={"xatol": 1e-6 * tau0})
    tau = float(res.x)
    out.update(tau=tau, mean_free_path=float(np.sqrt(dim * velocity2) * tau),
               drude_diffusion=float(velocity2 * tau),
               fit_window=[float(t[window][0]), float(t[window][-1])], reliable=True)
    if t[0] > 0.5 * tau:
        out["reliable"] = False
        out["reasons"].append(f"first time {t[0]:.3g} > tau/2: the ballistic part is not "
                              "resolved")
    return _result(out)


def _result(out: dict) -> Crossover:
    return Crossover(**{**out, "reasons": tuple(out["reasons"])})
