r"""One-parameter scaling from numerics: beta(g) and finite-size scaling near a transition.

* :func:`fss_fit` fits the Slevin-Ohtsuki expansion of ``Lambda(W, M) = xi/M`` from
  transfer matrices near an Anderson transition and returns ``W_c``, ``nu``, ``Lambda_c``
  with confidence intervals (covariance or Monte Carlo resampling of the data).
* :func:`lambda_grid` computes such a grid with transfer matrices through the ensemble
  layer (:mod:`weakloc.ensemble`: any executor, a resumable store).
* :func:`beta_from_conductance` measures the scaling function
  ``beta = d <ln g> / d ln L`` from disorder-averaged Landauer conductances of squares
  (2D) or cubes (3D) of growing side ``L``; :func:`beta_numeric` is the finite-difference
  step on its own, for any table of ``<ln g>(L)``.

Lattice units throughout (``t = 1``, lengths in lattice constants ``a``); conductances in
units of ``e^2/h`` summed over the spin states the model has.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import ConvergenceError, InputError
from weakloc.seeding import as_generator, root_entropy, stream

__all__ = [
    "ScalingFit", "fss_fit", "scaling_model", "initial_critical_disorder", "lambda_grid",
    "BetaResult", "beta_numeric", "beta_from_conductance",
    "drude_mean_free_path", "quasi1d_localization_length",
]


# ---------------------------------------------------------------------------------------
# finite-size scaling
# ---------------------------------------------------------------------------------------
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


def fss_fit(disorder, width, lam, lam_err, *, n_r: int = 3, m_r: int = 1,
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
        per data point.
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


# ---------------------------------------------------------------------------------------
# beta(g)
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BetaResult:
    """``beta(ln g)`` measured from ``<ln g>(L)`` (see :func:`beta_from_conductance`).

    Attributes
    ----------
    lengths : ndarray
        Sides ``L`` of the squares or cubes (lattice constants).
    ln_g, ln_g_err : ndarray
        ``<ln g>`` (g in units of ``e^2/h``) and its standard error, per ``L``.
    ln_g_mid, beta, beta_err : ndarray
        Midpoints ``(<ln g>_i + <ln g>_{i+1})/2`` and
        ``beta = d<ln g>/d ln L`` by finite differences, with errors.
    dim, symmetry : int, str
        Dimension and class.
    samples : int
        Realizations per size.
    seed : int or None
        Root seed: size ``i``, sample ``j`` used ``stream(seed, i, j)``.
    four_terminal : bool
        Whether the contact resistance ``1/N`` was subtracted.
    """

    lengths: np.ndarray
    ln_g: np.ndarray
    ln_g_err: np.ndarray
    ln_g_mid: np.ndarray
    beta: np.ndarray
    beta_err: np.ndarray
    dim: int = 2
    symmetry: str = "orthogonal"
    samples: int = 0
    seed: int | None = None
    four_terminal: bool = True

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def beta_numeric(lengths, mean_ln_g, stderr=None):
    r"""Finite-difference scaling function from a table of ``<ln g>`` against ``L``.

    .. math::

        \beta_{i+1/2} = \frac{\langle\ln g\rangle_{i+1} - \langle\ln g\rangle_i}
                             {\ln L_{i+1} - \ln L_i}

    at ``ln g_{i+1/2} = (<ln g>_i + <ln g>_{i+1})/2``, errors added in quadrature for
    independent sizes.

    Parameters
    ----------
    lengths : array_like
        Increasing sizes ``L`` (any length unit).
    mean_ln_g : array_like
        ``<ln g>`` at each ``L`` (g dimensionless, e.g. in units of ``e^2/h``).
    stderr : array_like, optional
        Standard errors of ``<ln g>``.

    Returns
    -------
    (ndarray, ndarray, ndarray)
        ``ln g`` midpoints, ``beta`` and its standard error (NaN without ``stderr``).
    """
    ls = v.positive("lengths", lengths).ravel()
    lg = v.finite_array("mean_ln_g", mean_ln_g).ravel()
    if ls.size != lg.size or ls.size < 2:
        raise InputError("beta_numeric needs at least two sizes and one <ln g> per size")
    if np.any(np.diff(ls) <= 0):
        raise InputError("lengths must be strictly increasing")
    se = np.full(ls.size, np.nan) if stderr is None else v.nonnegative(
        "stderr", stderr).ravel()
    dl = np.diff(np.log(ls))
    beta = np.diff(lg) / dl
    berr = np.sqrt(se[1:] ** 2 + se[:-1] ** 2) / dl
    return 0.5 * (lg[1:] + lg[:-1]), beta, berr


def beta_from_conductance(lattice, lengths, energy: float, *, samples: int, seed=None,
                          four_terminal: bool = True, progress: bool | None = None
                          ) -> BetaResult:
    r"""Scaling function ``beta(g)`` from Landauer conductances of squares or cubes.

    For each side ``L`` the lattice is resized to ``width = length = L`` (and ``height =
    L`` in 3D), ``samples`` realizations are solved by
    :func:`weakloc.transport.landauer.conductance_ensemble` and ``<ln g>`` is averaged (the
    typical conductance ``exp <ln g>``). With ``four_terminal`` the contact resistance of
    the ``N`` open lead channels is removed, ``1/g_4 = 1/g - 1/N`` (Buttiker), which is what
    the bulk scaling theory describes; it matters only for ``g`` comparable to ``N``.
    Then ``beta = d<ln g>/d ln L`` (:func:`beta_numeric`), to be compared with
    :func:`weakloc.theory.beta_function` (Abrahams et al., PRL 42, 673 (1979)).

    Parameters
    ----------
    lattice : weakloc.lattice.Lattice
        Disorder, class and boundary; ``width``, ``length`` and ``height`` are replaced.
    lengths : array_like of int
        Increasing sides ``L`` (lattice constants).
    energy : float
        Fermi energy in units of ``t``.
    samples : int
        Realizations per size.
    seed : int or None
        Root seed; size ``i`` uses the root ``stream(seed, i)``-derived integer.
    four_terminal : bool
        Subtract the contact resistance.
    progress : bool, optional
        Progress bars on stderr (default: when stderr is a terminal).

    Returns
    -------
    BetaResult
    """
    from weakloc.transport.landauer import conductance_ensemble

    ls = np.asarray(lengths)
    if ls.ndim != 1 or ls.size < 2:
        raise InputError("lengths must list at least two sizes L")
    ls = np.array([v.positive_int("lengths", x) for x in ls.tolist()])
    if np.any(np.diff(ls) <= 0):
        raise InputError("lengths must be strictly increasing")
    samples = v.positive_int("samples", samples, minimum=2)
    root = root_entropy(seed)
    lng, lng_err = [], []
    for i, side in enumerate(ls):
        side = int(side)
        lat = lattice.with_(width=side, length=side,
                            height=side if lattice.dim == 3 else None)
        sub = int(stream(root, i).integers(2**63))
        res = conductance_ensemble(lat, energy, samples=samples, seed=sub, method="caroli",
                                   progress=progress, workers=1)
        g = np.asarray(res.values, float)
        if four_terminal:
            g = 1.0 / np.clip(1.0 / g - 1.0 / res.open_channels, 1e-300, None)
        lg = np.log(g)
        lng.append(lg.mean())
        lng_err.append(lg.std(ddof=1) / math.sqrt(samples))
    lng, lng_err = np.array(lng), np.array(lng_err)
    mid, beta, berr = beta_numeric(ls, lng, lng_err)
    return BetaResult(lengths=ls, ln_g=lng, ln_g_err=lng_err, ln_g_mid=mid, beta=beta,
                      beta_err=berr, dim=lattice.dim, symmetry=lattice.symmetry,
                      samples=samples, seed=root, four_terminal=bool(four_terminal))


# ---------------------------------------------------------------------------------------
# quasi-1D: xi = (beta N + 2 - beta) l
# ---------------------------------------------------------------------------------------
def drude_mean_free_path(lengths, mean_g, stderr, channels: int):
    r"""Mean free path from the Ohmic growth of the resistance of a diffusive wire.

    .. math::

        \frac{1}{\langle g\rangle} = \frac{L + L_0}{N\, l},

    a weighted straight-line fit of ``1/<g>`` against ``L`` (``L_0`` absorbs the contact
    resistance and the leads' mismatch); ``l = 1/(N * slope)``. This ``l`` is the one of
    random-matrix theory, ``<g> = N l/L`` for ``l << L << N l`` (Beenakker, Rev. Mod. Phys.
    69, 731 (1997)): ``(pi/2) l_tr`` in 2D, ``(4/3) l_tr`` in 3D. Fit a broken-time-reversal
    (unitary) ensemble, which has no weak-localization correction, for the cleanest ``l``.

    Parameters
    ----------
    lengths : array_like
        Wire lengths ``L`` (lattice constants).
    mean_g, stderr : array_like
        ``<g>`` (units of ``e^2/h``) and its standard error per length.
    channels : int
        ``N``: the channels ``g`` counts (spin-resolved when ``g`` is summed over spin).

    Returns
    -------
    (float, float)
        ``l`` and its standard error (lattice constants).
    """
    ls = v.positive("lengths", lengths).ravel()
    g = v.positive("mean_g", mean_g).ravel()
    se = v.positive("stderr", stderr).ravel()
    channels = v.positive_int("channels", channels)
    if not (ls.size == g.size == se.size) or ls.size < 2:
        raise InputError("drude_mean_free_path needs at least two lengths, one <g> and one "
                         "stderr per length")
    y = 1.0 / g
    wgt = (g**2 / se) ** 2
    a = np.vstack([np.ones_like(ls), ls]).T
    cov = np.linalg.inv(a.T @ (a * wgt[:, None]))
    p = cov @ (a.T @ (wgt * y))
    slope, slope_err = p[1], math.sqrt(cov[1, 1])
    if slope <= 0:
        raise InputError("1/<g> does not grow with L: the wires are not diffusive; use longer "
                         "wires or stronger disorder")
    mfp = 1.0 / (channels * slope)
    return float(mfp), float(mfp * slope_err / slope)


def quasi1d_localization_length(beta: int, channels, mfp):
    r"""Localization length of a quasi-1D wire, ``xi = (beta N + 2 - beta) l``.

    Dorokhov-Mello-Pereyra-Kumar theory (Beenakker, Rev. Mod. Phys. 69, 731 (1997),
    eq. (5.7)), for ``N >> 1``: ``(N + 1) l`` orthogonal, ``2 N l`` unitary, ``(4N - 2) l``
    symplectic, where for ``beta = 4`` ``N`` counts Kramers-degenerate channel pairs.

    Parameters
    ----------
    beta : {1, 2, 4}
        Dyson index.
    channels : array_like
        ``N`` (for a spinful unitary wire, every spin channel counts).
    mfp : array_like
        ``l`` of :func:`drude_mean_free_path` (any length unit).

    Returns
    -------
    ndarray
        ``xi`` in the unit of ``mfp``.
    """
    beta = int(v.choice("beta", beta, (1, 2, 4)))
    n = v.positive("channels", channels)
    mfp = v.positive("mfp", mfp)
    return (beta * n + 2 - beta) * mfp


# ---------------------------------------------------------------------------------------
# a Lambda(W, M) grid through the ensemble layer
# ---------------------------------------------------------------------------------------
_GRID_LATTICE_KEYS = ("dim", "height", "disorder_kind", "flux", "spin_orbit", "soc",
                      "boundary", "hopping")


def lambda_grid(widths, disorders, *, energy: float = 0.0, precision: float = 0.01,
                max_slices: int = 1_000_000, realizations: int = 1, seed=None,
                executor: str = "processes", workers: int | None = None,
                scheduler: str | None = None, store=None, progress: bool = True,
                **lattice) -> list[dict]:
    r"""Transfer-matrix ``Lambda(W, M)`` on a grid of widths and disorders, as a sweep.

    Runs the ensemble observable ``"localization"``
    (:func:`weakloc.transport.transfer.sweep_task`) over the grid ``width x disorder``
    with :func:`weakloc.ensemble.run_sweep`: realization ``r`` of a point uses the stream
    ``stream(seed, point_key(params), r)`` of :mod:`weakloc.ensemble.tasks`, so the values
    are bit-identical on every executor and worker count. With ``realizations = R > 1``
    each point gets ``R`` independent bars and

    .. math::

        \Lambda = \frac{1}{R}\sum_r \Lambda_r, \qquad
        \sigma_\Lambda = \frac{1}{R}\Big(\sum_r \sigma_r^2\Big)^{1/2}

    (equal weights: the bars run to the same relative precision, and weights
    ``1/sigma_r^2`` would favour the smaller ``Lambda_r``).

    Parameters
    ----------
    widths : sequence of int
        Widths ``M`` (sites across).
    disorders : sequence of float
        Disorders ``W`` (units of ``t``).
    energy : float
        Energy (units of ``t``).
    precision : float
        Relative precision of each bar's ``gamma_min``.
    max_slices : int
        Slice budget per bar.
    realizations : int
        Independent bars per ``(W, M)`` point.
    seed : int, optional
        Root seed; drawn (and recorded) when None, or read from ``store`` when it holds a
        run of this grid.
    executor : {"processes", "serial", "dask"}
        Where the bars run (:mod:`weakloc.ensemble.executors`).
    workers : int, optional
        Worker processes (default: every core).
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a dask scheduler (``executor="dask"``).
    store : str or pathlib.Path, optional
        Sweep store folder (:mod:`weakloc.ensemble.store`). An existing store of the same
        grid is resumed: only the missing bars run. Default: a temporary store, removed.
    progress : bool
        Progress bar on a terminal.
    **lattice
        Other :class:`~weakloc.lattice.Lattice` fields (``dim``, ``height``, ``flux``,
        ``spin_orbit``, ``soc``, ``boundary``, ``disorder_kind``).

    Returns
    -------
    list of dict
        One record per point (widths outermost): ``disorder``, ``width``, ``lambda``,
        ``lambda_stderr``, ``slices`` (total), ``converged`` (all bars), ``realizations``
        (bars that finished), ``seed``; the input of :func:`fss_fit`.
    """
    import json
    import tempfile
    from pathlib import Path

    from weakloc.ensemble.runner import run_sweep
    from weakloc.ensemble.sweepfile import make_sweep
    from weakloc.lattice import Lattice

    unknown = sorted(set(lattice) - set(_GRID_LATTICE_KEYS))
    if unknown:
        raise InputError(f"unknown lattice option {unknown[0]!r}; use "
                         f"{', '.join(_GRID_LATTICE_KEYS)}")
    widths = [v.positive_int("width", m) for m in np.atleast_1d(widths).tolist()]
    disorders = [float(w) for w in v.finite_array("disorders", np.atleast_1d(disorders))]
    if not widths or not disorders:
        raise InputError("give at least one width and one disorder")
    realizations = v.positive_int("realizations", realizations)
    from weakloc.transport.transfer import _check_inputs

    for m in widths:   # bad input fails here, before any store or worker
        for w in disorders:
            _check_inputs(Lattice(width=m, disorder=w, **lattice), energy, precision,
                          max_slices, None)
    if seed is None and store is not None and (Path(store) / "sweep.json").is_file():
        try:
            seed = int(json.loads((Path(store) / "sweep.json").read_text())["root_seed"])
        except (OSError, ValueError, KeyError):
            seed = None
    root = root_entropy(seed)
    # the full, resolved lattice description keys the streams, so that spelling a default
    # out or leaving it to the default gives the same numbers
    template = dataclasses.asdict(Lattice(width=widths[0], disorder=disorders[0], **lattice))
    options = {k: template[k] for k in _GRID_LATTICE_KEYS if k != "height"}
    if lattice.get("height") is not None:
        options["height"] = int(lattice["height"])
    options.update({"energy": float(energy), "precision": float(precision),
               "max_slices": int(max_slices)})
    sweep = make_sweep("localization", {"width": widths, "disorder": disorders},
                       realizations=realizations, seed=root, options=options,
                       description="Lambda(W, M) grid of weakloc.transport.lambda_grid")
    with tempfile.TemporaryDirectory(prefix="weakloc-grid-") as tmp:
        out = Path(store) if store is not None else Path(tmp) / "grid.sweep"
        resume = (out / "sweep.json").is_file()
        summary = run_sweep(sweep, out, executor=executor, workers=workers,
                            scheduler=scheduler, resume=resume, progress=progress)
        ds = summary.dataset
        lam = ds["lambda"].values
        err = ds["lambda_stderr"].values
        sl = ds["slices"].values
        conv = ds["converged"].values
        errors = [e for e in ds["error"].values.ravel() if e]
    if errors:
        raise ConvergenceError(f"{len(errors)} of {sweep.n_tasks} transfer-matrix bars failed; "
                           f"first: {errors[0]}")
    grid = []
    for i, m in enumerate(widths):
        for j, w in enumerate(disorders):
            good = np.isfinite(lam[i, j])
            n = int(good.sum())
            grid.append({
                "disorder": w, "width": m,
                "lambda": float(lam[i, j][good].mean()) if n else math.inf,
                "lambda_stderr": float(np.sqrt((err[i, j][good] ** 2).sum()) / n) if n
                else math.inf,
                "slices": int(sl[i, j][good].sum()),
                "converged": bool(np.all(conv[i, j][good] == 1.0)),
                "realizations": n, "seed": root,
            })
    return grid
