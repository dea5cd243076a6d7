r"""Fit one magnetoconductance curve: automatic guesses, bounds, honest uncertainties.

The fit minimizes :math:`\chi^2 = \sum_i [(y_i - f(B_i))/s_i]^2` with lmfit's
Levenberg-Marquardt (``leastsq``). With per-point errors ``sigma`` the covariance is the
inverse curvature of :math:`\chi^2` (absolute errors); without them every point gets the
same unknown error and the covariance is scaled by the residual variance, the usual
estimate of the noise from the scatter. :func:`build_result` is the one place where a
:class:`~weakloc.fitting.results.FitResult` is made, for single and global fits: it runs the
checks of :mod:`weakloc.fitting.quality` (bounds, correlations, correlated residuals,
plausibility) and reports ``reduced_chi2`` against one noise definition.
"""

from __future__ import annotations

import warnings

import numpy as np

from weakloc.errors import ConvergenceError, InputError
from weakloc.fitting.data import Curve
from weakloc.fitting.models import build_model, guess_parameters, model_spec
from weakloc.fitting.quality import PLAUSIBLE_L_PHI, assess, noise_estimate
from weakloc.fitting.results import PARAMETER_UNITS, Estimate, FitResult

__all__ = ["FitWarning", "fit_curve", "split_fixed", "build_result", "parameter_unit",
           "PLAUSIBLE_L_PHI"]


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


def parameter_unit(name: str, unit: str) -> str:
    """Unit of parameter ``name`` of a model whose ``dsigma`` is in ``unit``."""
    if name == "c_bg":
        return f"{unit}/T^2"
    if name in ("c0", "amplitude"):
        return unit if name == "c0" else "1"
    return PARAMETER_UNITS.get(name, "m")


def _as_xy(data):
    if isinstance(data, Curve):
        return data.field, data.dsigma, data.temperature, data.steps
    B, y = data
    return np.asarray(B, dtype=float), np.asarray(y, dtype=float), None, ()


def fit_curve(data, model: str = "hln", *, fix=None, include=(), constants=None,
              background=False, sigma=None, start=None, max_nfev=None, strict=True,
              temperature=None, n_starts=4, offset=False, systematic=False) -> FitResult:
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
        Optional parameters to fit (``l_s``, ``l_e``, ``l_so1``, ``amplitude``).
    constants : dict, optional
        Model constants such as ``{"width": 50e-9}`` (m).
    background : bool
        Fit a classical ``c_bg B^2`` background too.
    offset : bool
        Fit a constant ``c0`` (default False): the error of the subtracted ``sigma(0)``.
        It is nearly degenerate with ``l_phi`` when the field window starts above
        ``B_phi``; the systematic scan tries it instead (see ``systematic``).
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
        Raise :class:`ConvergenceError` when the optimizer fails (default); otherwise
        return the result with ``converged = False``. An unreliable but converged fit is
        returned with ``reliable = False`` and its reasons either way.
    temperature : float, optional
        Temperature in K (overrides the curve's).
    systematic : bool
        Refit with the field window halved and doubled and with ``sigma(0)`` varied, and
        report the spread per parameter (:mod:`weakloc.fitting.systematic`); needs a
        :class:`~weakloc.fitting.data.Curve`.

    Returns
    -------
    FitResult
    """
    kw = dict(fix=fix, include=include, constants=constants, background=background,
              sigma=sigma, start=start, max_nfev=max_nfev, n_starts=n_starts)
    result = _fit_one(data, model, strict=strict, temperature=temperature, offset=offset,
                      **kw)
    if systematic:
        from weakloc.fitting.systematic import scan

        if not isinstance(data, Curve):
            raise InputError("the systematic scan needs a Curve (weakloc.fitting.data."
                             "prepare_curve), which keeps sigma(0) and the whole sweep")
        if sigma is not None:
            raise InputError("the systematic scan refits other field windows; give no "
                             "per-point sigma with systematic=True")

        def refit(curves, offset):
            kw2 = dict(kw, start={n: e.value for n, e in result.parameters.items()
                                  if n in result.varied and n != "c0"})
            return [_fit_one(curves[0], model, strict=False, temperature=temperature,
                             offset=offset, **kw2)]

        result = scan(refit, [data], [result], offset=offset)[0]
    return result


def _fit_one(data, model, *, fix, include, constants, background, sigma, start, max_nfev,
             strict, temperature, n_starts, offset):
    B, y, T, steps = _as_xy(data)
    if temperature is not None:
        T = temperature
    if B.shape != y.shape or B.ndim != 1:
        raise InputError("field and dsigma must be 1D arrays of equal length")
    if B.size == 0 or not np.all(np.isfinite(B)) or not np.all(np.isfinite(y)):
        raise InputError("field and dsigma must be finite and non-empty; drop NaN rows first "
                         "(weakloc.fitting.data.prepare_curve does)")
    fixed, inf_consts, include = split_fixed(model, fix, include)
    consts = dict(constants or {})
    consts.update(inf_consts)
    lm, names = build_model(model, include=include, constants=consts, background=background,
                            offset=offset)
    free = [n for n in names if n not in fixed]
    if not free:
        raise InputError(f"every parameter of {model!r} is fixed ({', '.join(names)}); "
                         "free at least one")
    if B.size < len(free) + 2:
        raise InputError(
            f"only {B.size} points for {len(free)} free parameters of {model!r}: widen "
            "the field window (bmax=...), add data, or hold parameters with fix={name: value}")
    weights, s = None, None
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
            g.update({k: v for k, v in (start or {}).items() if k in names})
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
    varied = tuple(res.var_names)
    return build_result(
        model=model, names=names, fixed=fixed,
        values={n: float(res.params[n].value) for n in names},
        stderrs={n: res.params[n].stderr for n in varied},
        covariance=None if res.covar is None else np.asarray(res.covar), varied=varied,
        bounds={n: (res.params[n].min, res.params[n].max) for n in varied},
        B=B, y=y, best_fit=np.asarray(res.best_fit, dtype=float), sigma=s,
        dof=int(max(res.nfree, 0)), temperature=T, steps=steps,
        converged=bool(res.success) and bool(res.errorbars), message=str(res.message),
        nfev=int(res.nfev), strict=strict,
        options=dict(include=include, constants=consts, background=background,
                     offset=offset))


def build_result(*, model, names, fixed, values, stderrs, covariance, varied, bounds, B, y,
                 best_fit, dof, temperature, steps, converged, message, nfev, options,
                 sigma=None, noise=None, noise_source="differences",
                 strict=True) -> FitResult:
    """The one constructor of :class:`FitResult` (single-curve and global fits).

    Parameters
    ----------
    model : str
        Model name.
    names : sequence of str
        Every parameter of the model (fixed ones included).
    fixed : dict
        Fixed parameters and their values.
    values, stderrs : dict
        Fitted values (all names) and standard errors (free ones; None when unknown).
    covariance : ndarray or None
        Covariance of ``varied``, in that order.
    varied : sequence of str
        Free parameters.
    bounds : dict
        Free parameter -> ``(lo, hi)``.
    B, y, best_fit : ndarray
        Field (T), data and model (model unit).
    dof : int
        Degrees of freedom of this curve.
    temperature : float or None
        In K.
    steps : tuple of str
        Preparation steps (and the fit's own).
    converged : bool
        Whether the optimizer succeeded and estimated a covariance.
    message : str
        The optimizer's message.
    nfev : int
        Function evaluations.
    options : dict
        ``include``, ``constants``, ``background``, ``offset`` (to rebuild the model).
    sigma : ndarray, optional
        Per-point errors, when given.
    noise : float, optional
        Noise level to measure ``reduced_chi2`` against (default: ``sigma``, else
        :func:`~weakloc.fitting.quality.noise_estimate`).
    noise_source : str
        How ``noise`` was obtained (``"differences"`` or ``"residuals"``), when given.
    strict : bool
        Raise :class:`ConvergenceError` when not converged.

    Returns
    -------
    FitResult
    """
    spec = model_spec(model)
    T = temperature
    varied = tuple(varied)
    resid = y - best_fit
    rough = {n: Estimate(float(values[n]), np.nan if stderrs.get(n) is None
                         else float(stderrs[n]), parameter_unit(n, spec.unit), n in fixed)
             for n in names}
    cov = np.full((len(varied), len(varied)), np.nan) if covariance is None else \
        np.asarray(covariance, dtype=float)
    corr = _correlation(cov, varied)
    warns, reasons, _, factor = assess(model, rough, varied, corr, bounds, B, resid, dof, T)
    pars = {n: Estimate(e.value, e.stderr * factor if n in varied else e.stderr, e.unit,
                        e.fixed) for n, e in rough.items()}
    cov = cov * factor**2
    if sigma is not None:
        noise_src, s = "sigma", np.asarray(sigma, dtype=float)
        noise = float(np.median(s))
    else:
        noise_src = noise_source if noise is not None else "differences"
        noise = noise_estimate(B, y) if noise is None else float(noise)
        s = noise
    chi2 = float(np.sum((resid / s) ** 2)) if np.all(np.asarray(s) > 0) else float("nan")
    if not converged:
        reasons = [f"the fit did not converge ({message})"] + reasons
    result = FitResult(
        model=model, parameters=pars, correlation=corr, chi2=chi2,
        reduced_chi2=float(chi2 / dof) if dof > 0 else float("nan"), points=int(B.size),
        dof=int(dof), field_window=(float(np.abs(B).min()), float(np.abs(B).max())),
        temperature=None if T is None else float(T), converged=bool(converged),
        message=message, nfev=int(nfev), unit=spec.unit, steps=tuple(steps), field=B,
        data=y, best_fit=best_fit, warnings=tuple(dict.fromkeys(warns)), noise=noise,
        noise_source=noise_src, reliable=bool(converged) and not reasons,
        reasons=tuple(reasons), inflation=float(factor), covariance=cov, varied=varied,
        options=dict(options))
    if strict and not converged:
        hint = ("hold the unidentifiable parameters with fix={name: value}, widen the "
                "field window (bmax=...) or try another model")
        where = "" if T is None else f" at T = {T:g} K"
        raise ConvergenceError(f"fit of {model!r}{where} did not converge ({message}): {hint}")
    for text in reasons:
        warnings.warn(text, FitWarning, stacklevel=3)
    return result


def _correlation(cov, varied) -> dict:
    if cov.size == 0 or not np.all(np.isfinite(cov)):
        return {}
    sd = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        c = cov / np.outer(sd, sd)
    return {a: {b: float(c[i, j]) for j, b in enumerate(varied)} for i, a in enumerate(varied)}
