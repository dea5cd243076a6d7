r"""Temperature series: per-temperature and global fits, L_phi(T) power law, mechanism.

Dephasing rates grow as a power of temperature, :math:`1/\tau_\phi \propto T^p`, so
:math:`L_\phi = \sqrt{D\tau_\phi} = A\,T^{-p/2}`. Electron-electron (Nyquist) dephasing gives
``p = 1`` in 2D (Altshuler, Aronov, Khmelnitsky, J. Phys. C 15, 7367 (1982)), ``p = 2/3`` in
a wire and ``p = 3/2`` in 3D; electron-phonon scattering gives ``p = 2`` to ``4``. A
:math:`L_\phi` that stops growing at low temperature (saturation) points to a
temperature-independent dephasing (magnetic impurities, heating, noise).

The power law is a weighted straight-line fit of :math:`\ln L_\phi` against
:math:`\ln T` with :math:`s_{\ln L} = s_L/L`; its covariance is scaled by the reduced
:math:`\chi^2` when that exceeds one (scatter beyond the error bars widens the error on
``p``, it never narrows it).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from weakloc.errors import ConvergenceError, InputError
from weakloc.fitting.data import Curve
from weakloc.fitting.fit import fit_curve, split_fixed
from weakloc.fitting.models import build_model, model_spec
from weakloc.fitting.results import PARAMETER_UNITS, Estimate, FitResult

__all__ = ["SeriesResult", "fit_series", "fit_global", "fit_power_law", "mechanism_hint"]

#: Electron-electron exponent p of L_phi ~ T^(-p/2) by dimension.
P_ELECTRON_ELECTRON = {1: 2.0 / 3.0, 2: 1.0, 3: 1.5}


@dataclass(frozen=True)
class SeriesResult:
    """Fits of a temperature series and the dephasing analysis.

    Attributes
    ----------
    model : str
        Model name.
    fits : list of FitResult
        One per temperature (sorted by temperature).
    shared : tuple of str
        Parameters shared across temperatures (empty: independent fits).
    dephasing : dict or None
        Output of :func:`fit_power_law` (None without temperatures).
    reduced_chi2 : float
        Global reduced chi^2 (global fit) or the mean of the per-curve values.
    """

    model: str
    fits: list
    shared: tuple
    dephasing: dict | None
    reduced_chi2: float

    def as_dict(self, diffusion=None) -> dict:
        """JSON-ready summary."""
        return {"model": self.model, "shared": list(self.shared),
                "fits": [f.as_dict(diffusion) for f in self.fits],
                "reduced_chi2": self.reduced_chi2, "dephasing": self.dephasing}


def _check_curves(curves):
    curves = list(curves)
    if not curves:
        raise InputError("no curves to fit")
    for c in curves:
        if not isinstance(c, Curve):
            raise InputError("fit_series needs Curve objects (see weakloc.fitting.data)")
    return curves


def fit_series(curves, model="hln", *, shared=(), fix=None, include=(), constants=None,
               background=False, offset=True, strict=True, max_nfev=None,
               dimension=None) -> SeriesResult:
    """Fit every curve of a temperature series, independently or globally.

    Parameters
    ----------
    curves : list of Curve
        Curves with temperatures (K) for the dephasing analysis.
    model : str
        Model name.
    shared : iterable of str
        Parameters shared by all curves (global fit), e.g. ``("alpha",)`` or
        ``("l_so",)``; empty (default) fits each curve on its own.
    fix, include, constants, background, offset, max_nfev
        As in :func:`weakloc.fitting.fit.fit_curve`.
    strict : bool
        Raise :class:`ConvergenceError` on a failed fit (default).
    dimension : int, optional
        Dimension for the mechanism hint (default: the model's).

    Returns
    -------
    SeriesResult
    """
    curves = _check_curves(curves)
    shared = tuple(shared)
    kw = dict(fix=fix, include=include, constants=constants, background=background,
              offset=offset, max_nfev=max_nfev)
    if shared:
        fits, red = fit_global(curves, model, shared=shared, strict=strict, **kw)
    else:
        fits = [fit_curve(c, model, strict=strict, **kw) for c in curves]
        red = float(np.mean([f.reduced_chi2 for f in fits]))
    dep = None
    if len(fits) >= 3 and all(f.temperature is not None for f in fits) \
            and "l_phi" in fits[0].parameters and not fits[0].parameters["l_phi"].fixed:
        T = np.array([f.temperature for f in fits])
        L = np.array([f.value("l_phi") for f in fits])
        sL = np.array([f.stderr("l_phi") for f in fits])
        if np.all(np.isfinite(sL) & (sL > 0)) and np.all(T > 0):
            dep = fit_power_law(T, L, sL, dimension=dimension or model_spec(model).dimension)
    return SeriesResult(model, fits, shared, dep, red)


def fit_global(curves, model="hln", *, shared=(), fix=None, include=(), constants=None,
               background=False, offset=True, strict=True, max_nfev=None):
    """Global fit of several curves sharing the parameters named in ``shared``.

    Each curve is first fitted on its own (giving starting values and, from its residual
    scatter, the noise level that weights it in the global chi^2); then one least-squares
    problem over all curves is solved. Curves whose own parameters did not change since the
    last evaluation are not recomputed, so the Jacobian costs about one evaluation per
    curve and per shared parameter rather than one per parameter and curve.

    Returns
    -------
    (list of FitResult, float)
        Per-curve results (shared parameters carry the global estimate and error) and the
        global reduced chi^2.
    """
    import lmfit

    curves = _check_curves(curves)
    spec = model_spec(model)
    fixed, inf_consts, include = split_fixed(model, fix, include)
    consts = dict(constants or {})
    consts.update(inf_consts)
    _, names = build_model(model, include=include, constants=consts, background=background,
                           offset=offset)
    shared = tuple(shared)
    bad = [s for s in shared if s not in names or s in fixed]
    if bad:
        raise InputError(f"cannot share {bad[0]!r}: free parameters of {model!r} are "
                         f"{', '.join(n for n in names if n not in fixed)}")
    first = [fit_curve(c, model, fix=fix, include=include, constants=constants,
                       background=background, offset=offset, strict=False, max_nfev=max_nfev)
             for c in curves]
    noise = [np.sqrt(f.chi2 / max(f.dof, 1)) for f in first]
    if not all(np.isfinite(s) and s > 0 for s in noise):
        raise ConvergenceError("a per-curve fit gave no noise estimate; check the data")
    local = [n for n in names if n not in shared and n not in fixed]
    params = lmfit.Parameters()
    for s in shared:
        vals = np.array([f.value(s) for f in first])
        errs = np.array([f.stderr(s) for f in first])
        w = np.where(np.isfinite(errs) & (errs > 0), 1.0 / np.maximum(errs, 1e-300) ** 2, 0.0)
        v = float(np.sum(w * vals) / np.sum(w)) if np.sum(w) > 0 else float(np.median(vals))
        lo, hi = _bounds(s)
        params.add(s, value=float(np.clip(v, lo, hi)) if lo is not None else v,
                   min=lo if lo is not None else -np.inf, max=hi if hi is not None else np.inf)
    for i, f in enumerate(first):
        for n in local:
            lo, hi = _bounds(n)
            params.add(f"{n}__{i}", value=f.value(n),
                       min=lo if lo is not None else -np.inf,
                       max=hi if hi is not None else np.inf)
    funcs = [build_model(model, include=include, constants=consts, background=background,
                         offset=offset)[0] for _ in curves]
    cache = [None] * len(curves)

    def curve_values(pv, i):
        kw = {n: pv[n] for n in shared}
        kw.update({n: pv[f"{n}__{i}"] for n in local})
        kw.update({n: v for n, v in fixed.items() if n in names})
        key = tuple(sorted(kw.items()))
        if cache[i] is not None and cache[i][0] == key:
            return cache[i][1]
        out = funcs[i].eval(B=curves[i].field, **kw)
        cache[i] = (key, out)
        return out

    def residual(p):
        pv = p.valuesdict()
        return np.concatenate([(c.dsigma - curve_values(pv, i)) / noise[i]
                               for i, c in enumerate(curves)])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = lmfit.minimize(residual, params, method="leastsq", max_nfev=max_nfev,
                             scale_covar=True)
    ok = bool(res.success) and bool(res.errorbars)
    if strict and not ok:
        raise ConvergenceError(f"global fit of {model!r} did not converge ({res.message}): "
                               "share fewer parameters or fix some with --fix NAME=VALUE")
    var = list(res.var_names)
    cov = np.asarray(res.covar) if res.covar is not None else None
    pv = res.params.valuesdict()
    fits = []
    for i, c in enumerate(curves):
        mine = [n if n in shared else f"{n}__{i}" for n in names if n not in fixed]
        pars, idx = {}, {}
        for n in names:
            if n in fixed:
                pars[n] = Estimate(fixed[n], np.nan, _unit(n, spec), True)
                continue
            key = n if n in shared else f"{n}__{i}"
            err = res.params[key].stderr
            pars[n] = Estimate(float(pv[key]), float(err) if err is not None else np.nan,
                               _unit(n, spec), False)
            if key in var:
                idx[n] = var.index(key)
        corr = {}
        if cov is not None:
            sd = np.sqrt(np.diag(cov))
            corr = {a: {b: float(cov[idx[a], idx[b]] / (sd[idx[a]] * sd[idx[b]]))
                        for b in idx} for a in idx}
        best = curve_values(pv, i)
        chi2 = float(np.sum(((c.dsigma - best) / noise[i]) ** 2))
        dof = max(c.points - len([m for m in mine if "__" in m]) - len(shared) / len(curves), 1)
        fits.append(FitResult(
            model=model, parameters=pars, correlation=corr, chi2=chi2,
            reduced_chi2=float(chi2 / dof), points=c.points, dof=int(round(dof)),
            field_window=c.field_window, temperature=c.temperature, converged=ok,
            message=f"global fit: {res.message}", nfev=int(res.nfev), unit=spec.unit,
            steps=c.steps + (f"global fit sharing {', '.join(shared)}",), field=c.field,
            data=c.dsigma, best_fit=best))
    return fits, float(res.redchi)


def _bounds(name):
    from weakloc.fitting.models import ALPHA_BOUNDS, LENGTH_BOUNDS

    if name == "alpha":
        return ALPHA_BOUNDS
    if name.startswith("l_"):
        return LENGTH_BOUNDS
    return (None, None)


def _unit(name, spec):
    if name == "c_bg":
        return f"{spec.unit}/T^2"
    if name == "c0":
        return spec.unit
    return PARAMETER_UNITS.get(name, "m")


def _line_fit(x, y, s):
    w = 1.0 / s**2
    A = np.stack([np.ones_like(x), x], axis=1)
    F = A.T @ (A * w[:, None])
    cov = np.linalg.inv(F)
    coef = cov @ (A.T @ (w * y))
    chi2 = float(np.sum(w * (y - A @ coef) ** 2))
    return coef, cov, chi2


def _saturating_fit(T, L, sL, p0, A0):
    """Fit ``L^-2 = A^-2 T^p + L_sat^-2`` (in logs); returns (coef, cov, chi2) or None."""
    from scipy.optimize import curve_fit

    def f(lnT, lnA, p, g):
        return -0.5 * np.log(np.exp(p * lnT - 2.0 * lnA) + g)

    g0 = 0.1 / np.max(L) ** 2
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            coef, cov = curve_fit(f, np.log(T), np.log(L), p0=[np.log(A0), p0, g0],
                                  sigma=sL / L, absolute_sigma=True,
                                  bounds=([-np.inf, 0.0, 0.0], [np.inf, 10.0, np.inf]),
                                  x_scale=[1.0, 1.0, g0], max_nfev=2000)
    except (RuntimeError, ValueError):
        return None
    if not np.all(np.isfinite(cov)):
        return None
    chi2 = float(np.sum(((np.log(L) - f(np.log(T), *coef)) / (sL / L)) ** 2))
    return coef, cov, chi2


def fit_power_law(T, l_phi, l_phi_stderr, *, dimension=2, saturation_sigma=3.0) -> dict:
    r"""Fit :math:`L_\phi = A\,T^{-p/2}`, detect low-temperature saturation, hint a mechanism.

    First a straight line in :math:`(\ln T, \ln L_\phi)`. With four or more temperatures
    the saturating form :math:`L_\phi^{-2} = A^{-2} T^p + L_{sat}^{-2}` (a
    temperature-independent dephasing rate added to the power law) is fitted as well;
    saturation is reported when :math:`L_{sat}^{-2}` differs from zero by more than
    ``saturation_sigma`` standard errors and lowers :math:`\chi^2` by more than
    ``saturation_sigma**2``; then ``p`` and ``A`` come from that fit.

    Parameters
    ----------
    T : array_like
        Temperatures in K (at least 3, positive).
    l_phi, l_phi_stderr : array_like
        Phase-coherence lengths and their standard errors in m.
    dimension : int
        Dimension of the dephasing (1, 2 or 3) for the hint.
    saturation_sigma : float
        Significance (in standard errors) of ``L_sat^-2 > 0`` that marks saturation.

    Returns
    -------
    dict
        ``p``, ``p_stderr``, ``prefactor`` (A in m K^(p/2)) with ``prefactor_stderr``,
        ``reduced_chi2``, ``points``, ``saturation`` (``detected``, ``l_sat`` and
        ``l_sat_stderr`` in m, ``below_temperature`` in K: where the two rates are equal),
        the plain power law as ``power_law`` and a plain-language ``hint``.
    """
    T = np.asarray(T, dtype=float)
    L = np.asarray(l_phi, dtype=float)
    sL = np.asarray(l_phi_stderr, dtype=float)
    if T.size < 3 or T.shape != L.shape or L.shape != sL.shape:
        raise InputError("the power law needs at least 3 temperatures with l_phi and stderr")
    if np.any(T <= 0) or np.any(L <= 0) or np.any(~(sL > 0)):
        raise InputError("temperatures, l_phi and their errors must be positive")
    x, y, s = np.log(T), np.log(L), sL / L
    coef, cov, chi2 = _line_fit(x, y, s)
    dof = T.size - 2
    red = chi2 / dof if dof > 0 else float("nan")
    if dof > 0 and red > 1:
        cov = cov * red
    p, p_err = -2.0 * coef[1], 2.0 * np.sqrt(cov[1, 1])
    A, A_err = np.exp(coef[0]), np.exp(coef[0]) * np.sqrt(cov[0, 0])
    plain = {"p": float(p), "p_stderr": float(p_err), "prefactor": float(A),
             "prefactor_stderr": float(A_err), "reduced_chi2": float(red)}
    sat = {"detected": False, "l_sat": None, "l_sat_stderr": None, "below_temperature": None}
    out_red = red
    if T.size >= 4:
        fit = _saturating_fit(T, L, sL, max(p, 0.1), A)
        if fit is not None:
            c3, cov3, chi3 = fit
            dof3 = T.size - 3
            red3 = chi3 / dof3
            if red3 > 1:
                cov3 = cov3 * red3
            g, sg = c3[2], np.sqrt(cov3[2, 2])
            # significant, resolved (non-zero error) and a better fit by more than
            # saturation_sigma^2 in chi^2 (one extra parameter)
            if (sg > 0 and g > saturation_sigma * sg and g * np.max(L) ** 2 > 1e-3
                    and chi2 - chi3 > saturation_sigma**2):
                lsat = g**-0.5
                sat = {"detected": True, "l_sat": float(lsat),
                       "l_sat_stderr": float(0.5 * lsat * sg / g),
                       "below_temperature": float((g * np.exp(2 * c3[0])) ** (1.0 / c3[1]))}
                p, p_err = c3[1], np.sqrt(cov3[1, 1])
                A, A_err = np.exp(c3[0]), np.exp(c3[0]) * np.sqrt(cov3[0, 0])
                out_red = red3
    return {"p": float(p), "p_stderr": float(p_err), "prefactor": float(A),
            "prefactor_stderr": float(A_err), "prefactor_unit": "m K^(p/2)",
            "reduced_chi2": float(out_red), "points": int(T.size), "dimension": int(dimension),
            "saturation": sat, "power_law": plain,
            "hint": mechanism_hint(p, p_err, dimension, sat)}


def mechanism_hint(p, p_stderr, dimension=2, saturation=None) -> str:
    """A plain-language reading of the exponent ``p`` of ``L_phi ~ T^(-p/2)``.

    Parameters
    ----------
    p, p_stderr : float
        Exponent and its standard error.
    dimension : int
        1 (wire), 2 (film) or 3 (bulk).
    saturation : dict, optional
        The ``saturation`` entry of :func:`fit_power_law`.

    Returns
    -------
    str
    """
    pee = P_ELECTRON_ELECTRON.get(int(dimension), 1.0)
    tol = max(2.0 * p_stderr, 0.15)
    where = {1: "a wire", 2: "2D", 3: "3D"}.get(int(dimension), "2D")
    if p_stderr > 0.5:
        text = (f"p = {p:.3g} +- {p_stderr:.2g} is too uncertain to name a dephasing mechanism "
                "(more temperatures, or tighter L_phi, needed)")
    elif abs(p - pee) <= tol:
        text = (f"p = {p:.3g} +- {p_stderr:.2g} is consistent with electron-electron "
                f"(Nyquist) dephasing, p = {pee:.3g} in {where}")
    elif p - 2.0 >= -tol:
        text = (f"p = {p:.3g} +- {p_stderr:.2g} points to electron-phonon dephasing "
                "(p = 2 to 4)")
    elif p < pee:
        text = (f"p = {p:.3g} +- {p_stderr:.2g} is weaker than electron-electron dephasing "
                f"(p = {pee:.3g} in {where}): a temperature-independent rate (magnetic "
                "impurities, heating) may contribute")
    else:
        text = (f"p = {p:.3g} +- {p_stderr:.2g} lies between electron-electron "
                f"(p = {pee:.3g}) and electron-phonon (p >= 2): both likely contribute")
    if saturation and saturation.get("detected"):
        text += (f"; L_phi saturates at low temperature (L_sat = "
                 f"{saturation['l_sat'] * 1e9:.0f} nm, dominant below about "
                 f"{saturation['below_temperature']:.2g} K)")
    return text
