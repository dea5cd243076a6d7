r"""Zero-field :math:`\sigma(T)`: separate weak localization from the electron-electron
interaction (formulas in :mod:`weakloc.theory.interaction`).

* **2D.** Both corrections are :math:`\propto \ln T`. A straight line of
  :math:`\sigma` against :math:`\ln T` at B = 0 gives the slope :math:`G_0(\alpha p +
  A_{ee})`; the same in a field that kills weak localization gives :math:`G_0 A_{ee}`. Their
  difference is :math:`\alpha p`, and :math:`\tilde F_\sigma = \frac43(1 - A_{ee})`. Given
  the dephasing exponent p of the magnetoconductance fit (``weakloc fit`` with a temperature
  series), :math:`\alpha = \alpha p / p` is the cross-check (1 orthogonal, -1/2
  symplectic); without field data, a known p and :math:`\alpha` give :math:`A_{ee}`.
* **1D and 3D.** The interaction term is :math:`a_{ee} T^{\mp 1/2}`; the weak-localization
  term :math:`\propto T^{\mp p/2}` gives :math:`L_\varphi(1\,{\rm K})` (with :math:`\alpha`).
  The field data fix :math:`a_{ee}`; p is taken as given or fitted by a scan. With the
  diffusion constant D, :math:`a_{ee}` becomes :math:`\tilde F_\sigma`
  (:func:`weakloc.theory.interaction.screening_from_amplitude`: 3D
  :math:`a_{ee} = \frac{e^2}{4\pi^2\hbar} 1.294 (\frac43 - \frac32\tilde F_\sigma)
  \sqrt{k_B/2\hbar D}`, 1D :math:`a_{ee} = -\frac{e^2}{h} 0.7816 (4 - \frac32\tilde
  F_\sigma)\sqrt{\hbar D/k_B}`), the errors of :math:`a_{ee}` and D propagated.

Uncertainties: weighted linear least squares, the covariance scaled by the reduced
chi-square when no per-point errors are given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.fitting.results import Estimate
from weakloc.theory.interaction import (
    TEMPERATURE_EXPONENT,
    screening_factor,
    screening_from_amplitude,
)
from weakloc.units import E2_OVER_H, G0

__all__ = ["SigmaTResult", "fit_sigma_t"]

_UNITS = {1: "S m", 2: "S", 3: "S/m"}


@dataclass(frozen=True)
class SigmaTResult:
    """Outcome of :func:`fit_sigma_t`.

    Attributes
    ----------
    dim : int
    parameters : dict
        Name -> :class:`Estimate`. 2D: ``slope_zero_field``, ``slope_field`` (S per ln K),
        ``alpha_p``, ``a_ee``, ``f_sigma``, ``alpha`` (with p). 1D/3D: ``a_ee``,
        ``wl_amplitude``, ``p``, ``l_phi_1k`` (m, with alpha) and, with the diffusion
        constant, ``f_sigma``.
    temperature, sigma, best_fit : ndarray
        Zero-field data and model.
    temperature_field, sigma_field, best_fit_field : ndarray or None
        In-field data and model.
    reduced_chi2 : float
    inputs : dict
    reliable : bool
    notes : tuple of str
    """

    dim: int
    parameters: dict
    temperature: np.ndarray
    sigma: np.ndarray
    best_fit: np.ndarray
    temperature_field: np.ndarray | None
    sigma_field: np.ndarray | None
    best_fit_field: np.ndarray | None
    reduced_chi2: float
    inputs: dict
    reliable: bool
    notes: tuple

    def as_dict(self) -> dict:
        """JSON-ready summary (SI units)."""
        return {"dim": self.dim, **{k: e.as_dict() for k, e in self.parameters.items()},
                "reduced_chi2": self.reduced_chi2, "points": int(self.temperature.size),
                "points_field": (None if self.temperature_field is None
                                 else int(self.temperature_field.size)),
                "unit": _UNITS[self.dim], "inputs": dict(self.inputs),
                "reliable": self.reliable, "notes": list(self.notes)}


def _linfit(X, y, sig):
    """Weighted linear least squares: coefficients, covariance, chi2, dof, model."""
    w = np.ones_like(y) if sig is None else 1.0 / sig
    A = X * w[:, None]
    coef, *_ = np.linalg.lstsq(A, y * w, rcond=None)
    model = X @ coef
    dof = y.size - X.shape[1]
    if dof < 1:
        raise InputError(f"{y.size} temperatures for {X.shape[1]} parameters; measure more "
                         "temperatures")
    chi2 = float(np.sum(((y - model) * w) ** 2))
    cov = np.linalg.pinv(A.T @ A)
    if sig is None:
        cov = cov * chi2 / dof
    return coef, cov, chi2, dof, model


def _data(T, s, err, what):
    T = v.positive(f"{what} temperature", T, "K").ravel()
    s = v.finite_array(f"{what} conductivity", s).ravel()
    if T.shape != s.shape:
        raise InputError(f"{what}: temperature and conductivity differ in length")
    e = None if err is None else v.positive(f"{what} stderr", err).ravel()
    if np.unique(T).size < 3:
        raise InputError(f"{what}: {np.unique(T).size} distinct temperatures; sigma(T) needs "
                         "at least 3 (better a decade of T)")
    return T, s, e


def fit_sigma_t(temperature, sigma, *, dim=2, temperature_field=None, sigma_field=None,
                stderr=None, stderr_field=None, p=None, p_stderr=0.0, alpha=None,
                diffusion=None, diffusion_stderr=0.0) -> SigmaTResult:
    r"""Separate weak localization and electron-electron interaction in :math:`\sigma(T)`.

    Parameters
    ----------
    temperature, sigma : array_like
        Zero-field data: K and the conductivity in the unit of ``dim`` (2D: sheet
        conductance in S; 1D: G L in S m; 3D: S/m).
    dim : {1, 2, 3}
    temperature_field, sigma_field : array_like, optional
        The same in a field that suppresses weak localization.
    stderr, stderr_field : array_like, optional
        Per-point errors (same unit as sigma); default from the scatter.
    p, p_stderr : float, optional
        Dephasing exponent from the magnetoconductance fit (:math:`L_\varphi \propto T^{-p/2}`)
        and its error.
    alpha : float, optional
        1 (orthogonal) or -1/2 (symplectic); with p it gives :math:`A_{ee}` without field
        data, and in 1D/3D it converts the WL amplitude to :math:`L_\varphi`. Default 1 in
        1D/3D.
    diffusion, diffusion_stderr : float, optional
        Diffusion constant D and its error in m^2/s (1D/3D): converts :math:`a_{ee}` to
        :math:`\tilde F_\sigma` (:func:`weakloc.theory.interaction.screening_from_amplitude`).

    Returns
    -------
    SigmaTResult
    """
    dim = v.dimension(dim)
    T, s, e = _data(temperature, sigma, stderr, "zero-field")
    has_field = temperature_field is not None or sigma_field is not None
    if has_field and (temperature_field is None or sigma_field is None):
        raise InputError("field data need both temperatures and conductivities")
    Tf = sf = ef = None
    if has_field:
        Tf, sf, ef = _data(temperature_field, sigma_field, stderr_field, "in-field")
    if p is not None:
        p = float(v.positive("p", p))
    notes = []
    if diffusion is not None:
        if dim == 2:
            raise InputError("the diffusion constant converts the 1D/3D interaction amplitude; "
                             "in 2D F_sigma needs no D: drop diffusion")
        diffusion = float(v.positive("diffusion", diffusion, "m^2/s"))
    diffusion_stderr = float(v.nonnegative("diffusion_stderr", diffusion_stderr, "m^2/s"))
    inputs = {"dim": dim, "p": p, "p_stderr": p_stderr, "alpha": alpha,
              "diffusion_m2_s": diffusion, "diffusion_stderr": diffusion_stderr}
    if dim == 2:
        par, fit0, fitf, red = _two_d(T, s, e, Tf, sf, ef, p, p_stderr, alpha, notes)
    else:
        par, fit0, fitf, red = _wire_or_bulk(dim, T, s, e, Tf, sf, ef, p, p_stderr,
                                             1.0 if alpha is None else float(alpha), notes)
        if diffusion is None:
            notes.append("give the diffusion constant (diffusion=..., m^2/s) to convert a_ee "
                         "to F_sigma")
        else:
            par["f_sigma"] = _f_sigma(dim, par["a_ee"], diffusion, diffusion_stderr, notes)
    if has_field:
        notes.append("the field must kill weak localization (B >> B_phi) and leave the "
                     "interaction term alone (g mu_B B << k_B T): check both")
    reliable = all(np.isfinite(x.stderr) or x.fixed for x in par.values())
    return SigmaTResult(dim=dim, parameters=par, temperature=T, sigma=s, best_fit=fit0,
                        temperature_field=Tf, sigma_field=sf, best_fit_field=fitf,
                        reduced_chi2=red, inputs=inputs, reliable=reliable, notes=tuple(notes))


def _two_d(T, s, e, Tf, sf, ef, p, p_stderr, alpha, notes):
    lnT = np.log(T)
    c0, cov0, chi0, dof0, fit0 = _linfit(np.column_stack([np.ones_like(lnT), lnT]), s, e)
    par = {"slope_zero_field": Estimate(c0[1], math.sqrt(cov0[1, 1]), "S"),
           "sigma_1k": Estimate(c0[0], math.sqrt(cov0[0, 0]), "S")}
    total, s_total = c0[1] / G0, math.sqrt(cov0[1, 1]) / G0
    chi, dof, fitf = chi0, dof0, None
    if Tf is not None:
        lf = np.log(Tf)
        cf, covf, chif, doff, fitf = _linfit(np.column_stack([np.ones_like(lf), lf]), sf, ef)
        chi, dof = chi + chif, dof + doff
        par["slope_field"] = Estimate(cf[1], math.sqrt(covf[1, 1]), "S")
        a_ee, s_ee = cf[1] / G0, math.sqrt(covf[1, 1]) / G0
        ap, s_ap = total - a_ee, math.hypot(s_total, s_ee)
        par["alpha_p"] = Estimate(ap, s_ap, "1")
        if p is not None:
            a = ap / p
            par["alpha"] = Estimate(a, abs(a) * math.hypot(s_ap / ap if ap else math.inf,
                                                           p_stderr / p), "1")
            notes.append(f"alpha = alpha p / p = {a:.3g}: expect 1 (orthogonal) or -1/2 "
                         "(strong spin-orbit)")
    elif p is not None and alpha is not None:
        ap, s_ap = alpha * p, abs(alpha) * p_stderr
        par["alpha_p"] = Estimate(ap, s_ap, "1", fixed=True)
        a_ee, s_ee = total - ap, math.hypot(s_total, s_ap)
        notes.append("no field data: A_ee = total slope - alpha p with the given alpha and p")
    else:
        raise InputError("2D sigma(T) needs either field data (sigma_field=...) or both the "
                         "dephasing exponent p and alpha to separate WL from interactions")
    par["a_ee"] = Estimate(a_ee, s_ee, "1")
    par["f_sigma"] = Estimate(float(screening_factor(a_ee)), 4.0 / 3.0 * s_ee, "1")
    if not -0.5 <= float(screening_factor(a_ee)) <= 1.5:
        notes.append(f"F_sigma = {float(screening_factor(a_ee)):.3g} is outside the usual "
                     "0..1: check the field (WL not fully killed?) or other T dependences")
    return par, fit0, fitf, chi / dof


def _wire_or_bulk(dim, T, s, e, Tf, sf, ef, p, p_stderr, alpha, notes):
    x = TEMPERATURE_EXPONENT[dim]
    chi, dof, fitf = 0.0, 0, None
    par = {}
    if Tf is not None:
        cf, covf, chif, doff, fitf = _linfit(np.column_stack([np.ones_like(Tf), Tf**x]), sf, ef)
        a_ee, s_ee = cf[1], math.sqrt(covf[1, 1])
        par["a_ee"] = Estimate(a_ee, s_ee, f"{_UNITS[dim]} K^{-x:+g}")
        chi, dof = chif, doff
        y = s - a_ee * T**x

        def design(pp):
            return np.column_stack([np.ones_like(T), T ** (x * pp)])
    else:
        y = s

        def design(pp):
            return np.column_stack([np.ones_like(T), T**x, T ** (x * pp)])
    if p is None:
        grid = np.linspace(0.5, 4.0, 71)
        chis = np.array([_linfit(design(pp), y, e)[2] for pp in grid])
        i = int(np.argmin(chis))
        lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
        fine = np.linspace(lo, hi, 41)
        chis = np.array([_linfit(design(pp), y, e)[2] for pp in fine])
        j = int(np.argmin(chis))
        near = slice(max(j - 6, 0), min(j + 7, fine.size))
        curv, lin, _ = np.polyfit(fine[near] - fine[j], chis[near], 2)
        p_fit = float(fine[j] - lin / (2 * curv)) if curv > 0 else float(fine[j])
        p_fit = min(max(p_fit, fine[0]), fine[-1])
        chi_min = _linfit(design(p_fit), y, e)[2]
        scale = 1.0 if e is not None else chi_min / max(y.size - design(p_fit).shape[1] - 1, 1)
        p_err = math.sqrt(scale / curv) if curv > 0 else math.nan
        par["p"] = Estimate(p_fit, p_err, "1")
        if p_fit <= grid[1] or p_fit >= grid[-2] or not np.isfinite(p_err):
            notes.append("p is at the end of the scanned range 0.5..4 or undetermined")
        p, p_stderr = p_fit, p_err
    else:
        par["p"] = Estimate(p, p_stderr, "1", fixed=True)
    c, cov, chi0, dof0, fit0 = _linfit(design(p), y, e)
    if Tf is not None:
        fit0 = fit0 + par["a_ee"].value * T**x
    else:
        par["a_ee"] = Estimate(c[1], math.sqrt(cov[1, 1]), f"{_UNITS[dim]} K^{-x:+g}")
    amp, s_amp = c[-1], math.sqrt(cov[-1, -1])
    par["wl_amplitude"] = Estimate(amp, s_amp, f"{_UNITS[dim]} K^{-x * p:+.3g}")
    if dim == 1:
        L = -amp / (alpha * 2 * E2_OVER_H)
    else:
        L = alpha * G0 / amp if amp != 0 else math.inf
    par["l_phi_1k"] = Estimate(L, abs(L) * s_amp / abs(amp) if amp else math.nan, "m")
    if not L > 0:
        notes.append("the weak-localization term has the wrong sign for this alpha: no "
                     "L_phi; check alpha and the data")
    return par, fit0, fitf, (chi + chi0) / max(dof + dof0, 1)


def _f_sigma(dim, a_ee, diffusion, diffusion_stderr, notes):
    """F_sigma from the 1D/3D amplitude, the errors of a_ee and D propagated (linear in a_ee,
    a_ee per unit bracket ~ D^(+-1/2))."""
    f = float(screening_from_amplitude(a_ee.value, dim=dim, diffusion=diffusion))
    unit = float(screening_from_amplitude(0.0, dim=dim, diffusion=diffusion)
                 - screening_from_amplitude(1.0, dim=dim, diffusion=diffusion))  # -dF/da
    rel_d = 0.5 * diffusion_stderr / diffusion
    err = math.hypot(unit * a_ee.stderr, unit * a_ee.value * rel_d)
    if not -0.5 <= f <= 1.5:
        notes.append(f"F_sigma = {f:.3g} is outside the usual 0..1: check D, the dimension "
                     "(L_T against the sample size) and the field")
    return Estimate(f, err, "1")
