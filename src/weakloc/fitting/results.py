r"""Fit results: values, standard errors, correlations, and derived fields and times.

Derived quantities carry first-order propagated uncertainties: a length ``L +- s_L`` gives
the characteristic field :math:`B = \hbar/(4 e L^2)` with :math:`s_B = 2 B s_L / L`, and
with a diffusion constant ``D`` the time :math:`\tau = L^2/D` with :math:`s_\tau = 2\tau
s_L/L` (relative errors of ``D`` add in quadrature when given).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _dc_field

import numpy as np

from weakloc.units import length_to_field

__all__ = ["Estimate", "FitResult", "PARAMETER_UNITS"]

#: Units of the fit parameters (``c_bg`` is in the model's unit per T^2).
PARAMETER_UNITS = {"alpha": "1", "c_bg": "model unit / T^2", "c0": "model unit"}

_FIELD_NAMES = {"l_phi": "b_phi", "l_so": "b_so", "l_so1": "b_so1", "l_s": "b_s",
                "l_e": "b_e", "l_i": "b_i", "l_star": "b_star"}
_TIME_NAMES = {"l_phi": "tau_phi", "l_so": "tau_so", "l_so1": "tau_so1", "l_s": "tau_s",
               "l_i": "tau_i", "l_star": "tau_star"}


@dataclass(frozen=True)
class Estimate:
    """One parameter: value, standard error (NaN when unknown), unit, fixed or fitted."""

    value: float
    stderr: float
    unit: str
    fixed: bool = False

    def as_dict(self) -> dict:
        """``{"value", "stderr", "unit", "fixed"}`` (stderr None when unknown)."""
        err = None if not np.isfinite(self.stderr) else float(self.stderr)
        return {"value": float(self.value), "stderr": err, "unit": self.unit,
                "fixed": self.fixed}


@dataclass(frozen=True)
class FitResult:
    """Outcome of one curve fit; plotting and JSON read it, nothing in it plots.

    Attributes
    ----------
    model : str
        Model name.
    parameters : dict
        Name -> :class:`Estimate` (lengths in m).
    correlation : dict
        Name -> name -> correlation coefficient, over the fitted parameters.
    chi2, reduced_chi2 : float
        Weighted sum of squared residuals and its value per degree of freedom. Without
        per-point errors the weights are 1, so ``reduced_chi2`` is the residual variance in
        the model's unit squared (``noise`` is its square root).
    points, dof : int
        Number of points fitted and degrees of freedom.
    field_window : tuple
        ``(min |B|, max |B|)`` in T.
    temperature : float or None
        Temperature in K.
    converged : bool
        Whether the optimizer reported success and the covariance could be estimated.
    message : str
        The optimizer's message.
    nfev : int
        Function evaluations.
    unit : str
        Unit of the data and model.
    steps : tuple of str
        Data preparation steps.
    field, data, best_fit : ndarray
        The fitted data and the model at the solution.
    warnings : tuple of str
        Plausibility warnings raised for this fit.
    """

    model: str
    parameters: dict
    correlation: dict
    chi2: float
    reduced_chi2: float
    points: int
    dof: int
    field_window: tuple
    temperature: float | None
    converged: bool
    message: str
    nfev: int
    unit: str
    steps: tuple = ()
    field: np.ndarray = _dc_field(default_factory=lambda: np.zeros(0))
    data: np.ndarray = _dc_field(default_factory=lambda: np.zeros(0))
    best_fit: np.ndarray = _dc_field(default_factory=lambda: np.zeros(0))
    warnings: tuple = ()

    @property
    def residual(self) -> np.ndarray:
        """``data - best_fit``."""
        return self.data - self.best_fit

    def value(self, name: str) -> float:
        """Value of parameter ``name``."""
        return self.parameters[name].value

    def stderr(self, name: str) -> float:
        """Standard error of parameter ``name`` (NaN when not estimated)."""
        return self.parameters[name].stderr

    def derived(self, diffusion=None, diffusion_stderr=0.0) -> dict:
        """Characteristic fields of every length, and times given ``D``.

        Parameters
        ----------
        diffusion : float, optional
            Diffusion constant in m^2/s; adds ``tau_* = L^2/D`` in s.
        diffusion_stderr : float
            Its standard error in m^2/s.

        Returns
        -------
        dict
            ``{"b_phi": Estimate (T), ..., "tau_phi": Estimate (s), ...}``.
        """
        out = {}
        for name, est in self.parameters.items():
            if name not in _FIELD_NAMES:
                continue
            L, sL = est.value, est.stderr
            rel = 2.0 * sL / L if np.isfinite(sL) else np.nan
            Bf = float(length_to_field(L))
            out[_FIELD_NAMES[name]] = Estimate(Bf, Bf * rel, "T", est.fixed)
            if diffusion is not None and name in _TIME_NAMES:
                tau = L**2 / diffusion
                rel_t = np.hypot(rel, diffusion_stderr / diffusion)
                out[_TIME_NAMES[name]] = Estimate(tau, tau * rel_t, "s", est.fixed)
        return out

    def as_dict(self, diffusion=None) -> dict:
        """JSON-ready summary (snake_case keys, SI units)."""
        return {
            "model": self.model,
            "temperature": self.temperature,
            "parameters": {k: v.as_dict() for k, v in self.parameters.items()},
            "derived": {k: v.as_dict() for k, v in self.derived(diffusion).items()},
            "correlation": self.correlation,
            "chi2": self.chi2,
            "reduced_chi2": self.reduced_chi2,
            "noise": float(np.sqrt(self.reduced_chi2)) if self.reduced_chi2 >= 0 else None,
            "points": self.points,
            "dof": self.dof,
            "field_window": {"min": self.field_window[0], "max": self.field_window[1],
                             "unit": "T"},
            "unit": self.unit,
            "converged": self.converged,
            "message": self.message,
            "nfev": self.nfev,
            "preparation": list(self.steps),
            "warnings": list(self.warnings),
        }
