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
PARAMETER_UNITS = {"alpha": "1", "amplitude": "1", "c_bg": "model unit / T^2",
                   "c0": "model unit"}

_FIELD_NAMES = {"l_phi": "b_phi", "l_so": "b_so", "l_so1": "b_so1", "l_s": "b_s",
                "l_e": "b_e", "l_i": "b_i", "l_star": "b_star", "l_asy": "b_asy",
                "l_sym": "b_sym"}
_TIME_NAMES = {"l_phi": "tau_phi", "l_so": "tau_so", "l_so1": "tau_so1", "l_s": "tau_s",
               "l_i": "tau_i", "l_star": "tau_star", "l_asy": "tau_asy", "l_sym": "tau_sym"}


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
    r"""Outcome of one curve fit; plotting and JSON read it, nothing in it plots.

    Attributes
    ----------
    model : str
        Model name.
    parameters : dict
        Name -> :class:`Estimate` (lengths in m).
    correlation : dict
        Name -> name -> correlation coefficient, over the fitted parameters.
    chi2, reduced_chi2 : float
        :math:`\sum_i (r_i / s_i)^2` and its value per degree of freedom, dimensionless:
        the residuals are divided by the noise ``noise`` (the given per-point errors, or
        the point-to-point estimate of :func:`weakloc.fitting.quality.noise_estimate`), in
        a single-curve fit and in every curve of a global fit alike.
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
        Everything worth a second look (correlations, inflated errors, and the reasons).
    noise : float
        The noise level ``reduced_chi2`` is measured against (model unit; the median of
        the per-point errors when they were given).
    noise_source : str
        ``"sigma"`` (given errors), ``"differences"`` (point-to-point estimate from the
        data) or ``"residuals"`` (the fit's scatter, when the data give no estimate).
    reliable : bool
        False when a reason below says the numbers should not be trusted.
    reasons : tuple of str
        Why the result is unreliable (empty when reliable).
    inflation : float
        Factor by which the statistical errors were widened for correlated residuals (1:
        none).
    systematic : dict
        Name -> systematic spread (same unit as the parameter) from the scan of field
        window and ``sigma(0)`` choice (:mod:`weakloc.fitting.systematic`); empty when not
        scanned.
    variants : tuple of dict
        The scan's refits: ``{"variant", "converged", "values"}``.
    covariance : ndarray
        Covariance of the free parameters ``varied`` (after inflation).
    varied : tuple of str
        The free parameters, in the covariance's order.
    options : dict
        What :meth:`eval` needs to rebuild the model (``include``, ``constants``,
        ``background``, ``offset``).
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
    noise: float = float("nan")
    noise_source: str = "differences"
    reliable: bool = True
    reasons: tuple = ()
    inflation: float = 1.0
    systematic: dict = _dc_field(default_factory=dict)
    variants: tuple = ()
    covariance: np.ndarray = _dc_field(default_factory=lambda: np.zeros((0, 0)))
    varied: tuple = ()
    options: dict = _dc_field(default_factory=dict)

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

    def total_error(self, name: str) -> float:
        """Statistical and systematic errors of ``name`` added in quadrature."""
        return float(np.hypot(self.stderr(name), self.systematic.get(name, 0.0)))

    def _function(self):
        from weakloc.fitting.models import build_model

        return build_model(self.model, **self.options)[0]

    def eval(self, B=None, **params) -> np.ndarray:
        """The fitted model at fields ``B`` (T; default the fitted fields), in the model's
        unit; ``params`` override fitted values by name."""
        B = self.field if B is None else np.asarray(B, dtype=float)
        values = {n: e.value for n, e in self.parameters.items()}
        values.update(params)
        return np.asarray(self._function().eval(B=B, **values), dtype=float)

    def band(self, B=None, nsigma: float = 1.0) -> np.ndarray:
        r"""Half-width of the model's uncertainty band at fields ``B`` (T), model unit.

        First-order propagation of the covariance, :math:`\delta f(B) = n_\sigma
        \sqrt{J C J^T}` with :math:`J = \partial f / \partial p` by central differences;
        the band of the curve, not of the data (add ``noise`` for a prediction band).
        """
        B = self.field if B is None else np.asarray(B, dtype=float)
        if not self.varied or self.covariance.size == 0:
            return np.full(np.shape(B), np.nan)
        J = np.empty((np.size(B), len(self.varied)))
        for k, n in enumerate(self.varied):
            v = self.parameters[n].value
            h = 1e-6 * abs(v) if v != 0 else 1e-6 * max(self.stderr(n), 1e-30)
            J[:, k] = (self.eval(B, **{n: v + h}) - self.eval(B, **{n: v - h})) / (2 * h)
        var = np.einsum("ij,jk,ik->i", J, self.covariance, J)
        return nsigma * np.sqrt(np.maximum(var, 0.0)).reshape(np.shape(B))

    def report(self, diffusion=None) -> str:
        """A plain-text summary: parameters with statistical and systematic errors,
        derived fields, goodness of fit, correlations and every warning."""
        head = f"[[fit {self.model}" + ("" if self.temperature is None else
                                        f" at T = {self.temperature:g} K") + "]]"
        lines = [head, f"    points {self.points}, dof {self.dof}, |B| in "
                 f"{self.field_window[0]:.3g}..{self.field_window[1]:.3g} T",
                 f"    reduced chi2 {self.reduced_chi2:.3g} against noise {self.noise:.3g} "
                 f"{self.unit} ({self.noise_source})",
                 f"    reliable: {'yes' if self.reliable else 'NO'}",
                 "[[parameters]]"]
        for n, e in {**self.parameters, **self.derived(diffusion)}.items():
            err = "fixed" if e.fixed else (f"+- {e.stderr:.3g}" if np.isfinite(e.stderr)
                                           else "+- ?")
            sys_ = self.systematic.get(n)
            extra = f" (sys {sys_:.3g})" if sys_ is not None else ""
            lines.append(f"    {n:8s} = {e.value:.6g} {err}{extra} {e.unit}")
        if self.warnings:
            lines.append("[[warnings]]")
            lines += [f"    {w}" for w in self.warnings]
        return "\n".join(lines)

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
            "parameters": {k: {**v.as_dict(), **({"systematic": self.systematic[k]}
                                                 if k in self.systematic else {})}
                           for k, v in self.parameters.items()},
            "derived": {k: v.as_dict() for k, v in self.derived(diffusion).items()},
            "correlation": self.correlation,
            "chi2": self.chi2,
            "reduced_chi2": self.reduced_chi2,
            "noise": self.noise,
            "noise_source": self.noise_source,
            "reliable": self.reliable,
            "reasons": list(self.reasons),
            "error_inflation": self.inflation,
            "systematic": dict(self.systematic),
            "variants": list(self.variants),
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
