r"""Finite-size scaling near a transition: the Slevin-Ohtsuki fit, pure statistics.

:func:`fss_fit` fits the Slevin-Ohtsuki expansion of ``Lambda(W, M) = xi/M`` (any table
of Lambda, errors, disorders and widths: from transfer matrices,
:func:`weakloc.ensemble.lambda_grid`, or elsewhere) and returns ``W_c``, ``nu``,
``Lambda_c`` with confidence intervals (covariance or Monte Carlo resampling of the data).
Nothing here solves a lattice; disorders are in the unit of the data (``t`` for weakloc's
lattices), widths in lattice constants.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import ConvergenceError, InputError
from weakloc.seeding import as_generator

__all__ = ["ScalingFit", "fss_fit", "scaling_model", "initial_critical_disorder",
           "grid_arrays"]


def grid_arrays(grid):
    """``(disorder, width, lambda, lambda_stderr)``, one entry per point, from a grid.

    ``grid`` is an :class:`xarray.Dataset` with ``lambda`` and ``lambda_stderr`` over the
    dimensions ``width`` and ``disorder`` (what :func:`weakloc.ensemble.lambda_grid`
    returns); points are ordered widths outermost.
    """
    missing = {"lambda", "lambda_stderr"} - set(grid.data_vars)
    if missing or set(grid["lambda"].dims) != {"width", "disorder"}:
        raise InputError("the grid needs 'lambda' and 'lambda_stderr' over the dimensions "
                         "'width' and 'disorder'")
    lam = grid["lambda"].transpose("width", "disorder").values
    err = grid["lambda_stderr"].transpose("width", "disorder").values
    w, m = np.meshgrid(grid["disorder"].values, grid["width"].values)
    return w.ravel(), m.ravel(), lam.ravel(), err.ravel()


def _unpack(p, n_r, m_r, n_i):
    w_c, nu = p[0], p[1]
    i = 2
    f = p[i:i + n_r + 1]
    i += n_r + 1
    b = p[i:i + m_r - 1]
    i += m_r - 1
    if n_i is None:
        return w_c, nu, f, b, None, None
    y = p[i]
    g = p[i + 1:i + 2 + n_i]
    return w_c, nu, f, b, y, g


def _phi(w, m, w_c, nu, b):
    dw = w - w_c
    u = dw.copy()
    for k, bk in enumerate(b, start=2):
        u = u + bk * dw**k
    return u * m ** (1.0 / nu)


def scaling_model(params, disorder, width, *, n_r: int, m_r: int = 1,
                  n_i: int | None = None) -> np.ndarray:
    r"""Slevin-Ohtsuki finite-size scaling form of ``ln Lambda``.

    .. math::

        \ln\Lambda = \sum_{j=0}^{n_R} F_j \phi_1^j
            + M^{-y} \sum_{j=0}^{n_I} G_j \phi_1^j, \qquad
        \phi_1 = u_1(w) M^{1/\nu}, \quad u_1 = w + \sum_{k=2}^{m_R} b_k w^k,
        \quad w = W - W_c,

    Slevin and Ohtsuki, Phys. Rev. Lett. 82, 382 (1999) (the irrelevant term with
    ``u_2 = 1``, absorbed into the ``G_j``).

    Parameters
    ----------
    params : array_like
        ``[W_c, nu, F_0..F_nR, b_2..b_mR, (y, G_0..G_nI)]``.
    disorder, width : array_like
        ``W`` (units of ``t``) and ``M`` (lattice constants).
    n_r, m_r, n_i : int
        Orders of the expansion; ``n_i=None``: no irrelevant correction.

    Returns
    -------
    ndarray
        ``ln Lambda`` (dimensionless).
    """
    w = np.asarray(disorder, float)
    m = np.asarray(width, float)
    w_c, nu, f, b, y, g = _unpack(np.asarray(params, float), n_r, m_r, n_i)
    phi = _phi(w, m, w_c, nu, b)
    out = np.polynomial.polynomial.polyval(phi, f)
    if n_i is not None:
        out = out + m ** (-y) * np.polynomial.polynomial.polyval(phi, g)
    return out


@dataclass(frozen=True)
class ScalingFit:
    """Result of :func:`fss_fit`.

    Attributes
    ----------
    w_c, nu, lambda_c : float
        Critical disorder (units of ``t``), critical exponent, ``Lambda_c = exp(F_0)``.
    w_c_ci, nu_ci, lambda_c_ci : tuple of float
        Confidence intervals at ``level``.
    w_c_stderr, nu_stderr : float
        Standard errors.
    y, y_ci : float or None
        Irrelevant exponent and its interval (None without the correction).
    params : ndarray
        All fit parameters (see :func:`scaling_model`).
    cov : ndarray
        Their covariance from the Jacobian (data errors taken at face value).
    chi2, dof, p_value : float
        Goodness of fit.
    n_r, m_r, n_i : int
        Expansion orders.
    ci_method : str
        'covariance' or 'bootstrap'.
    level : float
        Confidence level.
    disorder, width, lambda_, lambda_err : ndarray
        The data fitted.
    reliable : bool
        False when the fit cannot be trusted; ``reasons`` says why (an exponent at the
        bound of its search range, ``W_c`` outside the data, no crossing of the
        ``Lambda(W)`` curves, a p-value below 1e-3).
    reasons : tuple of str
        One sentence per reason.
    """

    w_c: float
    w_c_ci: tuple
    w_c_stderr: float
    nu: float
    nu_ci: tuple
    nu_stderr: float
    lambda_c: float
    lambda_c_ci: tuple
    y: float | None
    y_ci: tuple | None
    params: np.ndarray
    cov: np.ndarray
    chi2: float
    dof: int
    p_value: float
    n_r: int
    m_r: int
    n_i: int | None
    ci_method: str
    level: float
    disorder: np.ndarray
    width: np.ndarray
    lambda_: np.ndarray
    lambda_err: np.ndarray
    reliable: bool = True
    reasons: tuple = ()

    def scaling_variable(self, disorder=None, width=None) -> np.ndarray:
        """``phi_1 = u_1(W - W_c) M^(1/nu)`` at the data (or at given W, M)."""
        w = self.disorder if disorder is None else np.asarray(disorder, float)
        m = self.width if width is None else np.asarray(width, float)
        w_c, nu, _, b, _, _ = _unpack(self.params, self.n_r, self.m_r, self.n_i)
        return _phi(w, m, w_c, nu, b)

    def corrected_lambda(self) -> np.ndarray:
        """Data with the irrelevant correction removed: ``exp(ln Lambda - M^-y G(phi))``."""
        lnl = np.log(self.lambda_)
        if self.n_i is None:
            return self.lambda_.copy()
        *_, y, g = _unpack(self.params, self.n_r, self.m_r, self.n_i)
        phi = self.scaling_variable()
        return np.exp(lnl - self.width ** (-y) * np.polynomial.polynomial.polyval(phi, g))

    def scaling_function(self, phi) -> np.ndarray:
        """The fitted ``Lambda = exp(sum F_j phi^j)`` (no irrelevant part)."""
        f = _unpack(self.params, self.n_r, self.m_r, self.n_i)[2]
        return np.exp(np.polynomial.polynomial.polyval(np.asarray(phi, float), f))

    def as_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["lambda"] = d.pop("lambda_")
        return d


def initial_critical_disorder(disorder, width, lam) -> float:
    """Where ``d ln Lambda / d ln M`` changes sign: a starting value for ``W_c``.

    At each disorder with at least two widths the slope of ``ln Lambda`` against ``ln M`` is
    fitted; ``W_c`` is the linear interpolation of its sign change (the middle of the
    disorder range when there is none).
    """
    w = np.asarray(disorder, float)
    m = np.asarray(width, float)
    lnl = np.log(np.asarray(lam, float))
    ws, slopes = [], []
    for wv in np.unique(w):
        sel = w == wv
        if np.unique(m[sel]).size >= 2:
            slopes.append(np.polyfit(np.log(m[sel]), lnl[sel], 1)[0])
            ws.append(wv)
    ws, slopes = np.array(ws), np.array(slopes)
    for i in range(ws.size - 1):
        if slopes[i] == 0:
            return float(ws[i])
        if np.sign(slopes[i]) != np.sign(slopes[i + 1]):
            return float(ws[i] - slopes[i] * (ws[i + 1] - ws[i]) / (slopes[i + 1] - slopes[i]))
    return float(0.5 * (w.min() + w.max()))


def _check_fss(disorder, width, lam, err, n_r, m_r, n_i):
    w = v.finite_array("disorder", disorder).ravel()
    m = v.positive("width", width).ravel()
    lam = v.positive("lambda", lam).ravel()
    err = v.positive("lambda_err", err).ravel()
    if not (w.size == m.size == lam.size == err.size):
        raise InputError(f"disorder, width, lambda and lambda_err must have equal lengths, "
                         f"got {w.size}, {m.size}, {lam.size}, {err.size}")
    n_r = v.positive_int("n_r", n_r)
    m_r = v.positive_int("m_r", m_r)
    if n_i is not None:
        n_i = v.positive_int("n_i", n_i, minimum=0)
    if np.unique(m).size < 2:
        raise InputError("finite-size scaling needs at least two widths M; add more sizes")
    rows = np.stack([w, m, lam, err], axis=1)
    n_dup = rows.shape[0] - np.unique(rows, axis=0).shape[0]
    if n_dup:
        raise InputError(f"{n_dup} data row(s) repeat another row exactly; a copy is not an "
                         "independent measurement and would narrow the intervals: remove "
                         "the duplicates")
    npar = 2 + n_r + 1 + m_r - 1 + (0 if n_i is None else n_i + 2)
    if w.size <= npar:
        raise InputError(f"{w.size} data points cannot fit {npar} parameters; add points or "
                         "lower n_r, m_r, n_i")
    return w, m, lam, err, n_r, m_r, n_i, npar


#: search range of the exponents nu and y in :func:`fss_fit`
EXPONENT_BOUNDS = (0.05, 20.0)


def _unreliable(p, w, m, lam, pval, n_r, m_r, n_i) -> list[str]:
    """Why a scaling fit cannot be trusted (empty when it can)."""
    reasons = []
    lo, hi = EXPONENT_BOUNDS
    names = [(1, "nu")] + ([(2 + n_r + m_r, "y")] if n_i is not None else [])
    for i, name in names:
        if min(p[i] - lo, hi - p[i]) < 1e-3 * p[i]:
            reasons.append(f"{name} = {p[i]:.4g} sits at the bound of its search range "
                           f"[{lo:g}, {hi:g}]: the data show no transition to fit")
    if not w.min() <= p[0] <= w.max():
        reasons.append(f"W_c = {p[0]:.4g} lies outside the disorder range of the data "
                       f"[{w.min():g}, {w.max():g}]")
    trends = []
    for wv in np.unique(w):
        sel = w == wv
        if np.unique(m[sel]).size >= 2:
            trends.append(np.sign(np.polyfit(np.log(m[sel]), np.log(lam[sel]), 1)[0]))
    if trends and (min(trends) > 0 or max(trends) < 0):
        reasons.append("Lambda grows with M at every disorder, or falls at every disorder: "
                       "the curves do not cross, so there is no transition in this range")
    if pval < 1e-3:
        reasons.append(f"chi^2 p-value {pval:.2g} < 1e-3: the model does not describe the "
                       "data (raise n_r, add the irrelevant term, or check the errors)")
    return reasons


def _fit_once(p0, w, m, lnl, sig, n_r, m_r, n_i):
    from scipy.optimize import least_squares

    def resid(p):
        return (scaling_model(p, w, m, n_r=n_r, m_r=m_r, n_i=n_i) - lnl) / sig

    lo = np.full(p0.size, -np.inf)
    hi = np.full(p0.size, np.inf)
    lo[1], hi[1] = EXPONENT_BOUNDS
    if n_i is not None:
        lo[2 + n_r + m_r], hi[2 + n_r + m_r] = EXPONENT_BOUNDS
    p0 = np.clip(p0, lo + 1e-9, hi - 1e-9)
    return least_squares(resid, p0, bounds=(lo, hi), x_scale="jac", method="trf",
                         max_nfev=4000)


def _linear_start(w_c, nu, w, m, lnl, sig, n_r, m_r, n_i, y):
    """Given W_c, nu (and y), the F and G coefficients are a linear least-squares problem."""
    phi = (w - w_c) * m ** (1.0 / nu)
    cols = [phi**j for j in range(n_r + 1)]
    if n_i is not None:
        cols += [m ** (-y) * phi**j for j in range(n_i + 1)]
    a = np.array(cols).T / sig[:, None]
    coef = np.linalg.lstsq(a, lnl / sig, rcond=None)[0]
    p = [w_c, nu, *coef[:n_r + 1], *np.zeros(m_r - 1)]
    if n_i is not None:
        p += [y, *coef[n_r + 1:]]
    return np.array(p, float)


def fss_fit(disorder, width=None, lam=None, lam_err=None, *, n_r: int = 3, m_r: int = 1,
            n_i: int | None = None, w_c=None, nu: float = 1.5, y: float = 2.0,
            ci: str = "covariance", n_boot: int = 200, level: float = 0.95,
            seed=None) -> ScalingFit:
    r"""Finite-size scaling fit of ``Lambda(W, M)`` (Slevin and Ohtsuki 1999).

    Weighted least squares of ``ln Lambda`` (error ``Lambda_err / Lambda``) against
    :func:`scaling_model` with :func:`scipy.optimize.least_squares`, from a few starting
    values of ``nu``.

    Parameters
    ----------
    disorder, width, lam, lam_err : array_like
        ``W`` (units of ``t``), ``M``, ``Lambda = xi/M`` and its standard error, one entry
        per data point. Or ``disorder`` alone: a grid as :func:`weakloc.ensemble.lambda_grid`
        returns it (an :class:`xarray.Dataset` with ``lambda`` and ``lambda_stderr`` over
        ``width`` and ``disorder``).
    n_r, m_r : int
        Order of the expansion in ``phi_1`` and of ``u_1`` in ``W - W_c``.
    n_i : int, optional
        Order in ``phi_1`` of the irrelevant term ``M^-y (G_0 + G_1 phi_1 + ...)``;
        None (default) leaves it out.
    w_c : float, optional
        Starting ``W_c``; by default from :func:`initial_critical_disorder`.
    nu, y : float
        Starting exponents.
    ci : {'covariance', 'bootstrap'}
        Intervals from the covariance (Jacobian; normal quantiles) or from refitting
        ``n_boot`` Monte Carlo data sets ``ln Lambda + sigma z`` (percentiles).
    n_boot : int
        Resampled data sets for ``ci='bootstrap'``.
    level : float
        Confidence level of the intervals, in (0, 1).
    seed : int, numpy.random.Generator or None
        Randomness of the resampling.

    Returns
    -------
    ScalingFit

    Raises
    ------
    InputError
        Mismatched or non-positive data, fewer points than parameters, one width only.
    ConvergenceError
        When no start converges.
    """
    from scipy import stats

    if hasattr(disorder, "data_vars"):
        if not (width is None and lam is None and lam_err is None):
            raise InputError("give the grid Dataset alone, or the four arrays disorder, "
                             "width, lam, lam_err")
        disorder, width, lam, lam_err = grid_arrays(disorder)
    elif width is None or lam is None or lam_err is None:
        raise InputError("give width, lam and lam_err with the disorders (or a grid Dataset)")
    w, m, lam, err, n_r, m_r, n_i, npar = _check_fss(disorder, width, lam, lam_err,
                                                    n_r, m_r, n_i)
    v.choice("ci", ci, ("covariance", "bootstrap"))
    level = float(v.in_range("level", level, 0.0, 1.0))
    nu = float(v.positive("nu", nu))
    y = float(v.positive("y", y))
    lnl = np.log(lam)
    sig = err / lam
    w0 = initial_critical_disorder(w, m, lam) if w_c is None else float(
        v.finite_array("w_c", w_c))
    best = None
    for nu0 in (nu, 1.0, 2.5):
        for wc0 in (w0, w0 - 0.02 * abs(w0) - 0.05, w0 + 0.02 * abs(w0) + 0.05):
            p0 = _linear_start(wc0, nu0, w, m, lnl, sig, n_r, m_r, n_i, y)
            res = _fit_once(p0, w, m, lnl, sig, n_r, m_r, n_i)
            if res.success and (best is None or res.cost < best.cost):
                best = res
    if best is None:
        raise ConvergenceError("the scaling fit did not converge; check the data or give a "
                               "starting w_c inside the disorder range")
    p = best.x
    jac = best.jac
    try:
        cov = np.linalg.pinv(jac.T @ jac)
    except np.linalg.LinAlgError:
        raise ConvergenceError("singular scaling fit; lower n_r or m_r") from None
    chi2 = float(2 * best.cost)
    dof = int(w.size - npar)
    pval = float(stats.chi2.sf(chi2, dof))
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    z = stats.norm.ppf(0.5 + level / 2)
    iy = 2 + n_r + m_r
    if ci == "covariance":
        def interval(i):
            return (float(p[i] - z * se[i]), float(p[i] + z * se[i]))

        w_ci, nu_ci = interval(0), interval(1)
        lc_ci = (float(np.exp(p[2] - z * se[2])), float(np.exp(p[2] + z * se[2])))
        y_ci = interval(iy) if n_i is not None else None
    else:
        n_boot = v.positive_int("n_boot", n_boot, minimum=10)
        rng = as_generator(seed)
        boots = []
        for _ in range(n_boot):
            lnl_b = lnl + sig * rng.standard_normal(lnl.size)
            r = _fit_once(p.copy(), w, m, lnl_b, sig, n_r, m_r, n_i)
            if r.success:
                boots.append(r.x)
        boots = np.array(boots)
        qs = (50 * (1 - level), 50 * (1 + level))

        def interval(i):
            lo_, hi_ = np.percentile(boots[:, i], qs)
            return (float(lo_), float(hi_))

        w_ci, nu_ci = interval(0), interval(1)
        lo_, hi_ = np.percentile(np.exp(boots[:, 2]), qs)
        lc_ci = (float(lo_), float(hi_))
        y_ci = interval(iy) if n_i is not None else None
        se = np.std(boots, axis=0, ddof=1)
    reasons = _unreliable(p, w, m, lam, pval, n_r, m_r, n_i)
    return ScalingFit(
        reliable=not reasons, reasons=tuple(reasons),
        w_c=float(p[0]), w_c_ci=w_ci, w_c_stderr=float(se[0]), nu=float(p[1]), nu_ci=nu_ci,
        nu_stderr=float(se[1]), lambda_c=float(np.exp(p[2])), lambda_c_ci=lc_ci,
        y=float(p[iy]) if n_i is not None else None, y_ci=y_ci, params=p, cov=cov,
        chi2=chi2, dof=dof, p_value=pval, n_r=n_r, m_r=m_r, n_i=n_i, ci_method=ci,
        level=level, disorder=w, width=m, lambda_=lam, lambda_err=err)
