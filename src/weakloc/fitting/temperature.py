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
from dataclasses import asdict, dataclass

import numpy as np

from weakloc._deprecate import renamed_arguments, warn_renamed
from weakloc._results import MappingResult
from weakloc.errors import ConvergenceError, InputError
from weakloc.fitting.data import Curve
from weakloc.fitting.fit import build_result, fit_curve, split_fixed
from weakloc.fitting.models import build_model, model_spec, parameter_bounds
from weakloc.fitting.quality import noise_estimate
from weakloc.progress import progress_bar

__all__ = ["SeriesResult", "PowerLawResult", "fit_series", "fit_global", "per_curve_fix",
           "fit_power_law", "mechanisms", "mechanism_hint"]

#: Electron-electron exponent p of L_phi ~ T^(-p/2) by dimension.
P_ELECTRON_ELECTRON = {1: 2.0 / 3.0, 2: 1.0, 3: 1.5}


@dataclass(frozen=True)
class SeriesResult:
    r"""Fits of a temperature series and the dephasing analysis.

    Attributes
    ----------
    model : str
        Model name.
    fits : list of FitResult
        One per temperature (sorted by temperature).
    shared : tuple of str
        Parameters shared across temperatures (empty: independent fits).
    dephasing : PowerLawResult or None
        Output of :func:`fit_power_law` (None with fewer than three temperatures).
    reduced_chi2 : float
        Dimensionless: the sum of every curve's :math:`\chi^2` (residuals over each
        curve's reported ``noise``) over the total degrees of freedom.
    """

    model: str
    fits: list
    shared: tuple
    dephasing: PowerLawResult | None
    reduced_chi2: float

    @property
    def reliable(self) -> bool:
        """True when every curve's fit is reliable."""
        return all(f.reliable for f in self.fits)

    def as_dict(self, diffusion=None) -> dict:
        """JSON-ready summary."""
        return {"model": self.model, "shared": list(self.shared),
                "fits": [f.as_dict(diffusion) for f in self.fits],
                "reduced_chi2": self.reduced_chi2, "reliable": self.reliable,
                "dephasing": None if self.dephasing is None else self.dephasing.as_dict()}


def _check_curves(curves):
    curves = list(curves)
    if not curves:
        raise InputError("no curves to fit")
    for c in curves:
        if not isinstance(c, Curve):
            raise InputError("fit_series needs Curve objects (see weakloc.fitting.data)")
    return curves


def per_curve_fix(curves, fix_at, rtol=0.02) -> list:
    """``{T: {name: value}}`` -> one dict of fixed values per curve.

    ``T`` (K) selects the curve whose temperature is nearest, within ``rtol`` relative;
    otherwise, or when two curves qualify, an :class:`InputError` lists the temperatures.
    """
    out = [{} for _ in curves]
    temps = np.array([np.nan if c.temperature is None else c.temperature for c in curves])
    for T, pars in dict(fix_at or {}).items():
        T = float(T)
        near = np.flatnonzero(np.abs(temps - T) <= rtol * abs(T))
        if near.size != 1:
            have = ", ".join(f"{t:g}" for t in temps if np.isfinite(t)) or "none"
            raise InputError(f"fix_at={{T: {{name: value}}}}: "
                             f"{'no' if near.size == 0 else 'more than one'}"
                             f" curve at T = {T:g} K (curves at {have} K)")
        out[int(near[0])].update(pars)
    return out


@renamed_arguments(dimension="dim")
def fit_series(curves, model="hln", *, shared=(), fix=None, fix_at=None, include=(),
               constants=None, background=False, offset=False, strict=True, max_nfev=None,
               dim=None, systematic=False, progress=None) -> SeriesResult:
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
    fix : dict, optional
        Parameters held fixed on every curve.
    fix_at : dict, optional
        Per-curve constraints ``{T: {name: value}}``: ``name`` fixed on the curve at
        temperature ``T`` (K) only, e.g. the base temperature's ``l_phi`` as a published
        protocol holds it (see :func:`per_curve_fix`).
    include, constants, background, offset, max_nfev
        As in :func:`weakloc.fitting.fit.fit_curve`.
    strict : bool
        Raise :class:`ConvergenceError` on a failed fit (default).
    dim : int, optional
        Dimension for the mechanism hint (default: the model's). ``dimension=`` is its
        deprecated name.
    systematic : bool
        Run the systematic scan (:mod:`weakloc.fitting.systematic`) over the whole series;
        the power law then weighs each ``L_phi`` by its statistical and systematic errors
        in quadrature.
    progress : bool, optional
        Progress of the curve fits on stderr by the package rule (:mod:`weakloc.progress`):
        ``None`` (default) a bar on a terminal and log lines otherwise, ``False`` nothing.
        A callable is still accepted and called as ``progress(done, total)`` after each
        curve fit.

    Returns
    -------
    SeriesResult
    """
    curves = _check_curves(curves)
    shared = tuple(shared)
    per = per_curve_fix(curves, fix_at)
    kw = dict(include=include, constants=constants, background=background,
              max_nfev=max_nfev)
    if callable(progress):
        report = progress
    else:
        bar = progress_bar(progress if len(curves) > 1 and not shared else False,
                           total=len(curves), desc="fit", unit="curve")

        def report(done, total):
            bar.update(done - bar.n)
            if done >= total:
                bar.close()

    def run(cs, off, strict_=strict):
        if shared:
            return fit_global(cs, model, shared=shared, fix=fix, fix_at_curve=per,
                              offset=off, strict=strict_, **kw)[0]
        out = []
        for i, c in enumerate(cs):
            out.append(fit_curve(c, model, fix={**(fix or {}), **per[i]}, offset=off,
                                 strict=strict_, **kw))
            if off == offset and cs is curves:
                report(i + 1, len(cs))
        return out

    fits = run(curves, offset)
    if systematic:
        from weakloc.fitting.systematic import scan

        fits = scan(lambda cs, off: run(cs, off, False), curves, fits, offset=offset)
    chi2 = sum(f.chi2 for f in fits)
    dof = sum(f.dof for f in fits)
    red = float(chi2 / dof) if dof > 0 else float("nan")
    dep = None
    free_lphi = [f for f in fits if "l_phi" in f.parameters and not f.parameters["l_phi"].fixed]
    if len(free_lphi) >= 3 and all(f.temperature is not None for f in free_lphi):
        T = np.array([f.temperature for f in free_lphi])
        L = np.array([f.value("l_phi") for f in free_lphi])
        sL = np.array([f.total_error("l_phi") for f in free_lphi])
        if np.all(np.isfinite(sL) & (sL > 0)) and np.all(T > 0):
            dep = fit_power_law(T, L, sL, dim=dim or model_spec(model).dimension)
    return SeriesResult(model, fits, shared, dep, red)


def fit_global(curves, model="hln", *, shared=(), fix=None, fix_at_curve=None, include=(),
               constants=None, background=False, offset=False, strict=True, max_nfev=None):
    r"""Global fit of several curves sharing the parameters named in ``shared``.

    Each curve is first fitted on its own (giving starting values); its point-to-point
    noise (:func:`weakloc.fitting.quality.noise_estimate`) weights it in the global
    :math:`\chi^2`; then one least-squares problem over all curves is solved. Curves
    whose own parameters did not change since the last evaluation are not recomputed, so
    the Jacobian costs about one evaluation per curve and per shared parameter rather than
    one per parameter and curve. Every curve's result is built by
    :func:`weakloc.fitting.fit.build_result`, with the same checks as a single fit.

    Parameters
    ----------
    fix_at_curve : list of dict, optional
        Per-curve fixed values (one dict per curve), see :func:`per_curve_fix`.

    Returns
    -------
    (list of FitResult, float)
        Per-curve results (shared parameters carry the global estimate and error) and the
        global reduced chi^2 (dimensionless).
    """
    import lmfit

    curves = _check_curves(curves)
    fixed, inf_consts, include = split_fixed(model, fix, include)
    consts = dict(constants or {})
    consts.update(inf_consts)
    _, names = build_model(model, include=include, constants=consts, background=background,
                           offset=offset)
    per = list(fix_at_curve or [{} for _ in curves])
    if len(per) != len(curves):
        raise InputError("fix_at_curve needs one dict per curve")
    for p in per:
        split_fixed(model, {**(fix or {}), **p}, include)  # same checks as fix=
    shared = tuple(shared)
    bad = [s for s in shared if s not in names or s in fixed]
    if bad:
        raise InputError(f"cannot share {bad[0]!r}: free parameters of {model!r} are "
                         f"{', '.join(n for n in names if n not in fixed)}")
    clash = sorted({n for p in per for n in p if n in shared})
    if clash:
        raise InputError(f"{clash[0]} is shared by all curves and cannot be fixed on one; "
                         "drop it from shared=... or from fix_at={T: {name: value}}")
    if not [n for n in names if n not in fixed]:
        raise InputError(f"every parameter of {model!r} is fixed; free at least one")
    with warnings.catch_warnings():  # starting values only; the global results warn
        warnings.simplefilter("ignore")
        first = [fit_curve(c, model, fix={**(fix or {}), **per[i]}, include=include,
                           constants=constants, background=background, offset=offset,
                           strict=False, max_nfev=max_nfev)
                 for i, c in enumerate(curves)]
    noise, source = [], []
    for c, f in zip(curves, first):
        s = noise_estimate(c.field, c.dsigma)
        source.append("differences")
        if not (np.isfinite(s) and s > 0):  # e.g. exactly linear data: the fit's scatter
            s = float(np.sqrt(np.sum(f.residual**2) / max(f.dof, 1)))
            source[-1] = "residuals"
        if not (np.isfinite(s) and s > 0):
            raise ConvergenceError("a curve gave no noise estimate (constant data?); "
                                   "check the data")
        noise.append(s)
    local = [n for n in names if n not in shared and n not in fixed]
    params = lmfit.Parameters()
    trusted = [f for f in first if f.reliable] or first
    for s in shared:
        # the median over the curves whose own fit is reliable: one bad curve with a
        # deceptively small error must not pull the start into a wrong minimum
        v = float(np.median([f.value(s) for f in trusted]))
        lo, hi = parameter_bounds(s)
        params.add(s, value=float(np.clip(v, lo, hi)) if lo is not None else v,
                   min=lo if lo is not None else -np.inf, max=hi if hi is not None else np.inf)
    for i, f in enumerate(first):
        for n in local:
            lo, hi = parameter_bounds(n)
            held = n in per[i]
            params.add(f"{n}__{i}", value=float(per[i][n]) if held else f.value(n),
                       vary=not held, min=lo if lo is not None else -np.inf,
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

    if not any(p.vary for p in params.values()):
        raise InputError(f"every parameter of {model!r} is fixed on every curve; free at "
                         "least one")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = lmfit.minimize(residual, params, method="leastsq", max_nfev=max_nfev,
                             scale_covar=True)
    ok = bool(res.success) and bool(res.errorbars)
    if strict and not ok:
        raise ConvergenceError(f"global fit of {model!r} did not converge ({res.message}): "
                               "share fewer parameters or fix some with fix={name: value}")
    var = list(res.var_names)
    cov = np.asarray(res.covar) if res.covar is not None else None
    pv = res.params.valuesdict()
    fits = []
    options = dict(include=include, constants=consts, background=background, offset=offset)
    for i, c in enumerate(curves):
        keys = {n: (n if n in shared else f"{n}__{i}") for n in names if n not in fixed}
        mine = [n for n, k in keys.items() if k in var]
        held = {n: float(per[i][n]) for n in keys if n in per[i]}
        sub = None
        if cov is not None:
            idx = [var.index(keys[n]) for n in mine]
            sub = cov[np.ix_(idx, idx)]
        values = {n: float(pv[keys[n]]) if n in keys else fixed[n] for n in names}
        n_own = len([n for n in mine if n not in shared])
        dof = max(c.points - n_own - len(shared) / len(curves), 1)
        fits.append(build_result(
            model=model, names=names, fixed={**fixed, **held}, values=values,
            stderrs={n: res.params[keys[n]].stderr for n in mine}, covariance=sub,
            varied=mine, bounds={n: parameter_bounds(n) for n in mine}, B=c.field, y=c.dsigma,
            best_fit=np.asarray(curve_values(pv, i), dtype=float), dof=int(round(dof)),
            temperature=c.temperature, noise=noise[i], noise_source=source[i],
            steps=c.steps + (f"global fit sharing {', '.join(shared)}",),
            converged=ok, message=f"global fit: {res.message}", nfev=int(res.nfev),
            options=options, strict=False))
    return fits, float(res.redchi)


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


@dataclass(frozen=True)
class PowerLawResult(MappingResult):
    """The ``L_phi(T)`` analysis of :func:`fit_power_law`; also readable as a mapping
    (``result["p"]``) as the dict it replaces was.

    Attributes
    ----------
    p, p_stderr : float
        Exponent of ``L_phi = A T^(-p/2)`` and its standard error.
    prefactor, prefactor_stderr : float
        ``A`` in m K^(p/2).
    prefactor_unit : str
        ``"m K^(p/2)"``.
    reduced_chi2 : float
        Of the chosen fit (dimensionless; NaN without degrees of freedom).
    points, dof : int
        Temperatures used and degrees of freedom of the chosen fit.
    dim : int
        Dimension of the dephasing used by the hint (``dimension`` is its deprecated name).
    saturation : dict
        ``detected``, ``l_sat``, ``l_sat_stderr`` (m), ``below_temperature`` (K).
    power_law : dict
        The plain power law (``p``, ``p_stderr``, ``prefactor``, ``prefactor_stderr``,
        ``reduced_chi2``), also when saturation was detected.
    mechanisms : tuple of str
        Every mechanism whose exponent lies within two standard errors of ``p`` (empty:
        undetermined).
    hint : str
        The same in words.
    """

    p: float
    p_stderr: float
    prefactor: float
    prefactor_stderr: float
    prefactor_unit: str
    reduced_chi2: float
    points: int
    dof: int
    dim: int
    saturation: dict
    power_law: dict
    mechanisms: tuple
    hint: str

    @property
    def dimension(self) -> int:
        """Deprecated name of :attr:`dim`."""
        warn_renamed("PowerLawResult.dimension", "dim")
        return self.dim

    def as_dict(self) -> dict:
        """JSON-ready dict of every field."""
        d = asdict(self)
        d["mechanisms"] = list(self.mechanisms)
        return d


@renamed_arguments(dimension="dim")
def fit_power_law(T, l_phi, l_phi_stderr, *, dim=2,
                  saturation_sigma=3.0) -> PowerLawResult:
    r"""Fit :math:`L_\phi = A\,T^{-p/2}`, detect low-temperature saturation, hint a mechanism.

    First a straight line in :math:`(\ln T, \ln L_\phi)`. With four or more temperatures
    the saturating form :math:`L_\phi^{-2} = A^{-2} T^p + L_{sat}^{-2}` (a
    temperature-independent dephasing rate added to the power law) is fitted as well;
    saturation is reported when :math:`L_{sat}^{-2}` differs from zero by more than
    ``saturation_sigma`` standard errors and lowers :math:`\chi^2` by more than
    ``saturation_sigma**2``; then ``p`` and ``A`` come from that fit. A mechanism is named
    only when the chosen fit has at least two degrees of freedom.

    Parameters
    ----------
    T : array_like
        Temperatures in K (at least 3, positive).
    l_phi, l_phi_stderr : array_like
        Phase-coherence lengths and their errors in m (statistical, or statistical and
        systematic in quadrature).
    dim : int
        Dimension of the dephasing (1, 2 or 3) for the hint (``dimension=`` is its
        deprecated name).
    saturation_sigma : float
        Significance (in standard errors) of ``L_sat^-2 > 0`` that marks saturation.

    Returns
    -------
    PowerLawResult
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
    out_red, out_dof = red, dof
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
                out_red, out_dof = red3, dof3
    names = mechanisms(p, p_err, dim) if out_dof >= 2 else ()
    return PowerLawResult(
        p=float(p), p_stderr=float(p_err), prefactor=float(A), prefactor_stderr=float(A_err),
        prefactor_unit="m K^(p/2)", reduced_chi2=float(out_red), points=int(T.size),
        dof=int(out_dof), dim=int(dim), saturation=sat, power_law=plain,
        mechanisms=tuple(names),
        hint=mechanism_hint(p, p_err, dim, sat, dof=out_dof))


@renamed_arguments(dimension="dim")
def mechanisms(p, p_stderr, dim=2) -> list:
    """Every dephasing mechanism whose exponent lies within two standard errors of ``p``.

    Exponents of ``L_phi ~ T^(-p/2)``: ``temperature-independent`` ``p = 0`` (magnetic
    impurities, heating, saturation); ``electron-electron`` ``p = 2/3, 1, 3/2`` in 1D, 2D,
    3D; ``electron-phonon`` ``2 <= p <= 4``.
    """
    tol = 2.0 * p_stderr
    pee = P_ELECTRON_ELECTRON.get(int(dim), 1.0)
    out = []
    if abs(p) <= tol:
        out.append("temperature-independent")
    if abs(p - pee) <= tol:
        out.append("electron-electron")
    if 2.0 - tol <= p <= 4.0 + tol:
        out.append("electron-phonon")
    return out


@renamed_arguments(dimension="dim")
def mechanism_hint(p, p_stderr, dim=2, saturation=None, dof=2) -> str:
    """A plain-language reading of the exponent ``p`` of ``L_phi ~ T^(-p/2)``.

    Names every mechanism of :func:`mechanisms` within two standard errors; says
    "undetermined" when the fit has fewer than two degrees of freedom, when ``p`` is too
    uncertain to tell the mechanisms apart, or when none matches.

    Parameters
    ----------
    p, p_stderr : float
        Exponent and its standard error.
    dim : int
        1 (wire), 2 (film) or 3 (bulk); ``dimension=`` is its deprecated name.
    saturation : dict, optional
        The ``saturation`` entry of :func:`fit_power_law`.
    dof : int
        Degrees of freedom of the fit that gave ``p``.

    Returns
    -------
    str
    """
    pee = P_ELECTRON_ELECTRON.get(int(dim), 1.0)
    where = {1: "a wire", 2: "2D", 3: "3D"}.get(int(dim), "2D")
    head = f"p = {p:.3g} +- {p_stderr:.2g}"
    found = mechanisms(p, p_stderr, dim)
    if dof < 2:
        text = (f"{head}: mechanism undetermined, the fit has {dof} degree(s) of freedom "
                "(at least two needed: measure more temperatures)")
    elif len(found) == 3 or p_stderr > 0.5:
        text = (f"{head}: mechanism undetermined, too uncertain to tell the mechanisms "
                "apart (more temperatures, or tighter L_phi, needed)")
    elif not found:
        text = (f"{head}: mechanism undetermined, no single one matches within two standard "
                f"errors (electron-electron p = {pee:.3g} in {where}, electron-phonon p = 2 "
                "to 4, temperature-independent p = 0); both e-e and e-ph may contribute")
    else:
        words = {"electron-electron": f"electron-electron (Nyquist), p = {pee:.3g} in {where}",
                 "electron-phonon": "electron-phonon, p = 2 to 4",
                 "temperature-independent": "a temperature-independent rate (magnetic "
                 "impurities, heating), p = 0"}
        text = f"{head} is consistent with " + " or ".join(words[m] for m in found)
    if saturation and saturation.get("detected"):
        text += (f"; L_phi saturates at low temperature (L_sat = "
                 f"{saturation['l_sat'] * 1e9:.0f} nm, dominant below about "
                 f"{saturation['below_temperature']:.2g} K)")
    return text
