r"""How far a fit can be trusted: noise, residual structure, bounds, correlations, plausibility.

Every :class:`~weakloc.fitting.results.FitResult` passes through :func:`assess`, for a single
curve and for each curve of a global fit alike, so the two never drift apart.

Noise. Without per-point errors the noise :math:`s` is estimated from the data alone, from
the deviation of each point from the straight line through its two neighbours,
:math:`e_i = y_i - (w_- y_{i-1} + w_+ y_{i+1})`, whose variance is :math:`s^2 (1 + w_-^2 +
w_+^2)` for white noise; the median absolute deviation makes it robust to the few points
where the curve bends sharply (the low-field cusp). Then
:math:`\chi^2_\nu = \sum_i r_i^2 / (s^2 \nu)` is dimensionless: about 1 when the model
describes the data down to the noise, above 1 for a misfit or a smooth structure in the
residuals that point-to-point noise does not show (conductance fluctuations).

Correlated residuals. The lag-1 autocorrelation :math:`\rho_1` of the residuals (ordered in
field) is :math:`\approx 0 \pm N^{-1/2}` for white noise. Beyond :math:`3 N^{-1/2}` (and 0.2)
the residuals are treated as a first-order autoregressive process, whose :math:`N` points
carry the information of :math:`N_{eff} = N (1 - \rho_1)/(1 + \rho_1)` independent ones
(Bartlett 1946; Bayley and Hammersley, JRSS Suppl. 8, 184 (1946)); the standard errors are
multiplied by :math:`\sqrt{N / N_{eff}}`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["noise_estimate", "residual_inflation", "near_bound", "assess",
           "CORRELATION_LIMIT", "PLAUSIBLE_L_PHI", "PLAUSIBLE_ALPHA"]

#: ``|r|`` above which two fitted parameters are reported as correlated.
CORRELATION_LIMIT = 0.9
#: Range of phase-coherence lengths (m) outside which a fit is implausible.
PLAUSIBLE_L_PHI = (5e-9, 1e-3)
#: Largest plausible ``|alpha|`` of a sheet conductance in units of G0 = e^2/(pi h) (a few
#: coherent channels, e.g. two decoupled surfaces give -1).
PLAUSIBLE_ALPHA = 2.0
#: Fraction of the bound range (logarithmic for lengths) within which a value is at a bound.
BOUND_FRACTION = 0.005


def noise_estimate(B, y) -> float:
    """Point-to-point noise of ``y(B)`` (same unit as ``y``), robust to a few sharp bends.

    Parameters
    ----------
    B, y : array_like
        Field (any unit, only the order and spacing matter) and values.

    Returns
    -------
    float
        The estimated standard deviation of one point (NaN with fewer than 5 points or
        repeated fields only).
    """
    B = np.asarray(B, dtype=float)
    y = np.asarray(y, dtype=float)
    order = np.argsort(B, kind="stable")
    B, y = B[order], y[order]
    if B.size < 5:
        return float("nan")
    h1, h2 = B[1:-1] - B[:-2], B[2:] - B[1:-1]
    ok = (h1 > 0) & (h2 > 0)
    if not np.any(ok):
        return float("nan")
    wm, wp = h2[ok] / (h1 + h2)[ok], h1[ok] / (h1 + h2)[ok]
    e = y[1:-1][ok] - (wm * y[:-2][ok] + wp * y[2:][ok])
    scaled = e / np.sqrt(1.0 + wm**2 + wp**2)
    return float(1.482602218505602 * np.median(np.abs(scaled - np.median(scaled))))


def residual_inflation(B, residual):
    """Lag-1 autocorrelation of the residuals and the error inflation it implies.

    Returns
    -------
    (rho1, factor) : (float, float)
        ``factor = sqrt((1 + rho1) / (1 - rho1))`` when the correlation is significant
        (``rho1 > max(3 / sqrt(N), 0.2)``), else 1.
    """
    r = np.asarray(residual, dtype=float)[np.argsort(np.asarray(B), kind="stable")]
    n = r.size
    if n < 10 or not np.any(r != r.mean()):
        return 0.0, 1.0
    d = r - r.mean()
    rho = float(np.sum(d[1:] * d[:-1]) / np.sum(d * d))
    if rho > max(3.0 / np.sqrt(n), 0.2):
        rho_c = min(rho, 0.98)
        return rho, float(np.sqrt((1.0 + rho_c) / (1.0 - rho_c)))
    return rho, 1.0


def near_bound(name, value, lo, hi) -> str | None:
    """``'lower'``/``'upper'`` when ``value`` lies within ``BOUND_FRACTION`` of the bound
    range from a bound (on a log scale for lengths, named ``l_*``), else None."""
    if lo is None or hi is None or not (np.isfinite(lo) and np.isfinite(hi)):
        return None
    if name.startswith("l_") and lo > 0 and value > 0:
        v, lo, hi = np.log(value), np.log(lo), np.log(hi)
    else:
        v = value
    tol = BOUND_FRACTION * (hi - lo)
    if v - lo <= tol:
        return "lower"
    if hi - v <= tol:
        return "upper"
    return None


def assess(model, estimates, varied, correlation, bounds, B, residual, dof, temperature=None):
    """Warnings and reasons for distrust of one fitted curve.

    Parameters
    ----------
    model : str
        Model name.
    estimates : dict
        Name -> :class:`~weakloc.fitting.results.Estimate`.
    varied : sequence of str
        The fitted (free) parameters.
    correlation : dict
        Name -> name -> correlation coefficient.
    bounds : dict
        Name -> ``(lo, hi)``.
    B, residual : ndarray
        Field (T) and data minus model.
    dof : int
        Degrees of freedom.
    temperature : float, optional
        For messages.

    Returns
    -------
    (warnings, reasons, rho1, inflation) : (list of str, list of str, float, float)
        ``reasons`` lists why the result should not be trusted (empty: reliable);
        ``warnings`` also holds notes that do not make it unreliable.
    """
    where = "" if temperature is None else f" at T = {temperature:.4g} K"
    warns, reasons = [], []
    if dof < 1:
        reasons.append(f"no degrees of freedom left{where}: add points or fix parameters")
    alpha_bad = False
    for n in varied:
        side = near_bound(n, estimates[n].value, *bounds.get(n, (None, None)))
        if side is None:
            continue
        if n == "alpha":
            alpha_bad = True
            continue
        reasons.append(f"{n} = {estimates[n].value:.4g} at its {side} bound{where}: the data "
                       "do not determine it; fix it (fix={name: value}, inf allowed) or widen "
                       "the field window")
    if "alpha" in varied and (alpha_bad or abs(estimates["alpha"].value) > PLAUSIBLE_ALPHA):
        alpha_bad = True
        reasons.insert(0 if dof >= 1 else 1,  # the root cause first
            f"alpha = {estimates['alpha'].value:.4g}{where} is far beyond the |alpha| <= "
            f"{PLAUSIBLE_ALPHA:g} of a few coherent channels: the data are probably not a "
            "sheet conductance in S (a bulk sample: use the kawabata-so or kawabata model with "
            "include=('amplitude',); a missing aspect=...; a value in another unit: "
            "value_unit=...), "
            "not a wrong field unit")
    loose = [n for n in varied if n.startswith("l_") and np.isfinite(estimates[n].stderr)
             and estimates[n].stderr > 0.5 * estimates[n].value]
    if loose:
        reasons.append(f"{', '.join(loose)} not determined by the data (stderr above half the "
                       f"value){where}: hold with fix={{name: value}} (inf allowed) or widen the "
                       "field window")
    if "l_phi" in estimates and not alpha_bad:
        lphi = estimates["l_phi"].value
        if not PLAUSIBLE_L_PHI[0] <= lphi <= PLAUSIBLE_L_PHI[1]:
            reasons.append(f"fitted l_phi = {lphi:.3g} m{where} is implausible for fields up "
                           f"to {np.abs(B).max():.3g} T: check field_unit=... (Oe read as T?)")
    done = set()
    for a in correlation:
        for b, r in correlation[a].items():
            if a != b and (b, a) not in done and np.isfinite(r) and abs(r) > CORRELATION_LIMIT:
                done.add((a, b))
                warns.append(f"{a} and {b} are correlated (r = {r:+.3f}){where}: the data "
                             "hardly separate them; fix one, or widen the field window")
    rho, factor = residual_inflation(B, residual)
    if factor > 1.0:
        n = residual.size
        warns.append(f"residuals are correlated (lag-1 r = {rho:.2f}){where}: conductance "
                     "fluctuations or a model misfit; errors inflated x"
                     f"{factor:.2g} (about {n / factor**2:.0f} of {n} points independent)")
    return warns + reasons, reasons, rho, factor
