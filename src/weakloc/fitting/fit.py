r"""Fit one magnetoconductance curve: automatic guesses, bounds, honest uncertainties.

The fit minimizes :math:`\chi^2 = \sum_i [(y_i - f(B_i))/s_i]^2` with lmfit's
Levenberg-Marquardt (``leastsq``). With per-point errors ``sigma`` the covariance is the
inverse curvature of :math:`\chi^2` (absolute errors); without them every point gets the
same unknown error and the covariance is scaled by the reduced :math:`\chi^2`, the usual
estimate of the noise from the scatter.
"""

from __future__ import annotations

import warnings

import numpy as np

from weakloc.errors import ConvergenceError, InputError
from weakloc.fitting.data import Curve
from weakloc.fitting.models import build_model, guess_parameters, model_spec
from weakloc.fitting.results import PARAMETER_UNITS, Estimate, FitResult

__all__ = ["FitWarning", "fit_curve", "split_fixed", "PLAUSIBLE_L_PHI"]

#: Range of phase-coherence lengths (m) outside which a fit warns about the field unit.
PLAUSIBLE_L_PHI = (5e-9, 1e-3)


class FitWarning(UserWarning):
    """A fit result looks implausible (e.g. a wrong field unit); the message says why."""


def split_fixed(name: str, fix=None, include=()):
    """Split ``fix`` into lmfit-fixed values and infinite lengths passed as constants.

    Returns ``(fixed, constants, include)``: finite fixed values, ``inf`` lengths (taken
    out of the fit) and the optional parameters that fixing implies.
    """
    spec = model_spec(name)
    fix = dict(fix or {})
    allowed = spec.params + spec.optional + ("c_bg", "c0")
    for k, v in fix.items():
        if k not in allowed:
            raise InputError(f"cannot fix {k!r}: model {name!r} has {', '.join(allowed)}")
        if not isinstance(v, (int, float)) or np.isnan(v):
            raise InputError(f"fixed value of {k} must be a number, got {v!r}")
        if np.isinf(v) and not k.startswith("l_"):
            raise InputError(f"only lengths can be fixed to inf, not {k}")
    fixed = {k: float(v) for k, v in fix.items() if np.isfinite(v)}
    consts = {k: float(v) for k, v in fix.items() if not np.isfinite(v)}
    include = tuple(include) + tuple(k for k in fix if k in spec.optional)
    return fixed, consts, tuple(dict.fromkeys(include))


def _as_xy(data):
    if isinstance(data, Curve):
        return data.field, data.dsigma, data.temperature, data.steps
    B, y = data
    return np.asarray(B, dtype=float), np.asarray(y, dtype=float), None, ()


def fit_curve(data, model: str = "hln", *, fix=None, include=(), constants=None,
              background=False, sigma=None, start=None, max_nfev=None, strict=True,
              temperature=None, n_starts=4, offset=True) -> FitResult:
    """Fit a magnetoconductance model to one curve.

    Parameters
    ----------
    data : Curve or (B, dsigma)
        Field in T and ``sigma(B) - sigma(0)`` in the model's unit.
    model : str
        Model name (see :mod:`weakloc.fitting.models`).
    fix : dict, optional
        Parameters held fixed, e.g. ``{"alpha": -0.5}`` or ``{"l_so": inf}``.
    include : iterable of str
        Optional parameters to fit (``l_s``, ``l_e``, ``l_so1``).
    constants : dict, optional
        Model constants such as ``{"width": 50e-9}`` (m).
    background : bool
        Fit a classical ``c_bg B^2`` background too.
    offset : bool
        Fit a constant ``c0`` (default True): the subtracted ``sigma(0)`` is a measured,
        noisy value, so every point of ``dsigma`` shares its error; pinning the curve at
        zero would bias ``L_phi`` beyond its error bar.
    sigma : array_like, optional
        Standard error of each point (absolute covariance when given).
    start : dict, optional
        Starting values; the automatic guess fills the rest.
    max_nfev : int, optional
        Limit on function evaluations.
    n_starts : int
        With two or more free lengths, fit from this many of the best grid points of the
        automatic guess and keep the lowest chi^2 (default 4).
    strict : bool
        Raise :class:`ConvergenceError` when the fit fails (default); otherwise return the
        result with ``converged = False``.
    temperature : float, optional
        Temperature in K (overrides the curve's).

    Returns
    -------
    FitResult
    """
    B, y, T, steps = _as_xy(data)
    if temperature is not None:
        T = temperature
    if B.shape != y.shape or B.ndim != 1:
        raise InputError("field and dsigma must be 1D arrays of equal length")
    if B.size == 0 or not np.all(np.isfinite(B)) or not np.all(np.isfinite(y)):
        raise InputError("field and dsigma must be finite and non-empty; drop NaN rows first "
                         "(weakloc.fitting.data.prepare_curve does)")
    spec = model_spec(model)
    fixed, inf_consts, include = split_fixed(model, fix, include)
    consts = dict(constants or {})
    consts.update(inf_consts)
    lm, names = build_model(model, include=include, constants=consts, background=background,
                            offset=offset)
    free = [n for n in names if n not in fixed]
    if B.size < len(free) + 2:
        raise InputError(
            f"only {B.size} points for {len(free)} free parameters of {model!r}: widen "
            "--bmax, add data, or hold parameters with --fix NAME=VALUE")
    if not free:
        raise InputError("every parameter is fixed; free at least one")
    weights = None
    if sigma is not None:
        s = np.broadcast_to(np.asarray(sigma, dtype=float), B.shape)
        if not np.all(np.isfinite(s) & (s > 0)):
            raise InputError("sigma must be positive and finite at every point")
        weights = 1.0 / s
    nl = sum(1 for n in free if n.startswith("l_"))
    if start and all(n in start for n in free):
        starts = [dict(start)]
    else:
        starts = guess_parameters(model, B, y, names=names, fixed=fixed, constants=consts,
                                  background=background, weights=weights,
                                  n_best=n_starts if nl > 1 else 1)
        starts = starts if isinstance(starts, list) else [starts]
        for g in starts:
            g.update(start or {})
    res = None
    for g in starts:
        params = lm.make_params()
        for n in names:
            if n in fixed:
                params[n].set(value=fixed[n], vary=False)
            else:
                params[n].set(value=g[n])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            r = lm.fit(y, params, B=B, weights=weights, scale_covar=sigma is None,
                       max_nfev=max_nfev, nan_policy="raise")
        if res is None or (np.isfinite(r.chisqr) and r.chisqr < res.chisqr):
            res = r
    return _result(res, model, names, fixed, B, y, T, steps, spec, strict)


def _at_bound(p) -> bool:
    for b in (p.min, p.max):
        if np.isfinite(b) and abs(p.value - b) <= 1e-6 * abs(b):
            return True
    return False


def _result(res, model, names, fixed, B, y, T, steps, spec, strict):
    varied = list(res.var_names)
    pars = {}
    for n in names:
        p = res.params[n]
        unit = PARAMETER_UNITS.get(n, "m")
        if n == "c_bg":
            unit = f"{spec.unit}/T^2"
        elif n == "c0":
            unit = spec.unit
        err = p.stderr if (p.stderr is not None and n in varied) else np.nan
        pars[n] = Estimate(float(p.value), float(err), unit, n in fixed)
    corr = {}
    if res.covar is not None:
        cov = np.asarray(res.covar)
        sd = np.sqrt(np.diag(cov))
        with np.errstate(invalid="ignore", divide="ignore"):
            c = cov / np.outer(sd, sd)
        corr = {a: {b: float(c[i, j]) for j, b in enumerate(varied)}
                for i, a in enumerate(varied)}
    converged = bool(res.success) and res.errorbars and all(
        np.isfinite(pars[n].stderr) for n in varied)
    msg = str(res.message)
    at_bound = [n for n in varied if _at_bound(res.params[n])]
    if at_bound:
        converged = False
        msg = f"{msg}; {', '.join(at_bound)} at a bound"
    dof = int(max(res.nfree, 0))
    chi2 = float(res.chisqr)
    warns = []
    loose = [n for n in varied if n.startswith("l_") and np.isfinite(pars[n].stderr)
             and pars[n].stderr > 0.5 * pars[n].value]
    if loose:
        text = (f"{', '.join(loose)} not determined by the data (stderr above half the value)"
                f"{'' if T is None else f' at T = {T:g} K'}: hold with --fix NAME=VALUE "
                "(inf allowed) or widen the field window")
        warns.append(text)
        warnings.warn(text, FitWarning, stacklevel=3)
    if "l_phi" in pars:
        lphi = pars["l_phi"].value
        if not PLAUSIBLE_L_PHI[0] <= lphi <= PLAUSIBLE_L_PHI[1]:
            text = (f"fitted l_phi = {lphi:.3g} m is implausible for fields up to "
                    f"{np.abs(B).max():.3g} T: check --field-unit (Oe read as T?)")
            warns.append(text)
            warnings.warn(text, FitWarning, stacklevel=3)
    result = FitResult(
        model=model, parameters=pars, correlation=corr, chi2=chi2,
        reduced_chi2=float(chi2 / dof) if dof > 0 else float("nan"), points=int(B.size),
        dof=dof, field_window=(float(np.abs(B).min()), float(np.abs(B).max())),
        temperature=None if T is None else float(T), converged=converged, message=msg,
        nfev=int(res.nfev), unit=spec.unit, steps=tuple(steps), field=B, data=y,
        best_fit=np.asarray(res.best_fit, dtype=float), warnings=tuple(warns))
    if strict and not converged:
        hint = ("hold the unidentifiable parameters with --fix NAME=VALUE, widen the field "
                "window (--bmax) or try another model")
        where = "" if T is None else f" at T = {T:g} K"
        raise ConvergenceError(f"fit of {model!r}{where} did not converge ({msg}): {hint}")
    return result
