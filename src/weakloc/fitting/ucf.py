r"""Conductance-fluctuation analysis: correlation field, rms amplitude and L_phi from G(B).

From one or several magnetofingerprints :math:`G_j(B)` (several gate voltages or cooldowns
form an ensemble) the analysis

1. puts each trace on an evenly spaced field grid and removes a smooth background (a
   polynomial of order ``detrend``, default 1: mean and slope), leaving :math:`\delta G_j`;
2. forms the autocorrelation :math:`F(\Delta B) = \langle \delta G(B)\,\delta G(B + \Delta
   B)\rangle`, averaged over all pairs of points of all traces at lag :math:`\Delta B`;
3. reads the correlation field :math:`B_c` where :math:`F` falls to :math:`F(0)/2` (linear
   interpolation) and the rms :math:`\sqrt{F(0)}`;
4. converts both to :math:`L_\varphi` with :mod:`weakloc.theory.fluctuations` (the film's
   :math:`B_c` needs no geometry; the rms needs the width and the length).

Finite windows: the detrending removes variance and shortens the apparent correlation
(strongly in 2D, where :math:`F \propto 1/\Delta B` at large lags). :math:`L_\varphi` is
therefore solved from the theory seen through the same windows and detrending
(:func:`expected_autocorrelation`), not from the infinite-window formula.

Uncertainties: a field window of width :math:`\Delta` holds about :math:`\Delta/B_c`
independent fluctuations, so a handful of traces gives errors of tens of percent. They are
the exact second moments of Gaussian fingerprints with the fitted correlation function
(:math:`{\rm Cov}(x^T A x, x^T B x) = 2\,{\rm tr}(AMBM)`, M the windowed covariance),
propagated to the half crossing; a delete-one-block jackknife (blocks of four correlation
fields) is the fallback when no :math:`L_\varphi` models the data and a cross-check
otherwise. With fewer than ``min_fluctuations`` independent fluctuations in all (default
10) the analysis refuses: a :math:`B_c` from fewer is not a measurement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.fitting.results import Estimate
from weakloc.theory import fluctuations as th

__all__ = ["UCFResult", "analyze_ucf", "autocorrelation", "uniform_trace", "detrend_trace",
           "expected_autocorrelation"]

_BLOCK_BC = 4.0


@dataclass(frozen=True)
class UCFResult:
    """Outcome of :func:`analyze_ucf`.

    Attributes
    ----------
    correlation_field : Estimate
        :math:`B_c` in T.
    rms : Estimate
        :math:`\\sqrt{F(0)}` in S.
    l_phi : Estimate or None
        :math:`L_\\varphi` in m from :math:`B_c` (None when the geometry is missing).
    l_phi_rms : Estimate or None
        :math:`L_\\varphi` in m from the rms (needs width and length).
    lags : ndarray
        Field lags in T.
    correlation : ndarray
        :math:`F(\\Delta B)` in S^2.
    theory : ndarray or None
        The theory's :math:`F` at ``lags`` for the :math:`L_\\varphi` from :math:`B_c`,
        scaled to the measured :math:`F(0)` (S^2).
    independent_fluctuations : float
        Sum over traces of field window / :math:`B_c`.
    traces : int
        Number of traces.
    field_step : float
        Common grid step in T.
    inputs : dict
        dim, width_m, length_m, l_t_m, spin_degeneracy, detrend.
    reliable : bool
        False when a warning below applies.
    notes : tuple of str
        Plain-language caveats.
    """

    correlation_field: Estimate
    rms: Estimate
    l_phi: Estimate | None
    l_phi_rms: Estimate | None
    lags: np.ndarray
    correlation: np.ndarray
    theory: np.ndarray | None
    independent_fluctuations: float
    traces: int
    field_step: float
    inputs: dict
    reliable: bool
    notes: tuple

    def as_dict(self) -> dict:
        """JSON-ready summary (SI units)."""
        est = {k: (None if e is None else e.as_dict()) for k, e in (
            ("correlation_field", self.correlation_field), ("rms", self.rms),
            ("l_phi", self.l_phi), ("l_phi_rms", self.l_phi_rms))}
        return {**est, "independent_fluctuations": self.independent_fluctuations,
                "traces": self.traces, "field_step_T": self.field_step,
                "inputs": dict(self.inputs), "reliable": self.reliable,
                "notes": list(self.notes),
                "autocorrelation": {"lag_T": self.lags, "F_S2": self.correlation,
                                    "theory_S2": self.theory}}


def uniform_trace(B, G, step, source):
    """Sort a trace, average repeated fields and interpolate it onto an even grid of
    ``step`` (T) from its first field; returns ``(grid, values)``."""
    B = v.finite_array(f"{source} field", B).ravel()
    G = v.finite_array(f"{source} conductance", G).ravel()
    if B.shape != G.shape:
        raise InputError(f"{source}: field and conductance differ in length")
    order = np.argsort(B, kind="stable")
    B, G = B[order], G[order]
    Bu, idx = np.unique(B, return_inverse=True)
    Gu = np.bincount(idx, weights=G) / np.bincount(idx)
    if Bu.size < 8:
        raise InputError(f"{source}: {Bu.size} distinct fields; a fingerprint needs many "
                         "points per correlation field")
    n = int(math.floor((Bu[-1] - Bu[0]) / step + 1e-9)) + 1
    grid = Bu[0] + step * np.arange(n)
    return grid, np.interp(grid, Bu, Gu)


def detrend_trace(B, G, order):
    """Subtract a least-squares polynomial of ``order`` in B (the smooth background)."""
    x = (B - B.mean()) / max(np.ptp(B), 1e-300)
    return G - np.polyval(np.polyfit(x, G, order), x)


def autocorrelation(dg, max_lag):
    """Lag sums and pair counts ``(S[k], n[k])`` of one evenly spaced trace, k < max_lag."""
    n = dg.size
    k = np.arange(min(max_lag, n))
    s = np.array([np.dot(dg[: n - j], dg[j:]) for j in k])
    return s, (n - k).astype(float)


def _half_crossing(F, step):
    r = F / F[0]
    below = np.flatnonzero(r <= 0.5)
    if below.size == 0:
        return math.nan
    k = below[0]
    return step * (k - 1 + (r[k - 1] - 0.5) / (r[k - 1] - r[k]))


def _block_sums(dg, max_lag, nblocks):
    """Lag sums and counts per block of first indices (for the jackknife)."""
    n = dg.size
    edges = np.linspace(0, n, nblocks + 1).astype(int)
    S = np.zeros((nblocks, max_lag))
    N = np.zeros((nblocks, max_lag))
    for b in range(nblocks):
        lo, hi = edges[b], edges[b + 1]
        for j in range(max_lag):
            top = min(hi, n - j)
            if top > lo:
                S[b, j] = np.dot(dg[lo:top], dg[lo + j: top + j])
                N[b, j] = top - lo
    return S, N


def _window_covariances(l_phi, geo, sizes, step, detrend):
    """Covariance (units of F_true(0)) of each detrended trace: P C P for every size."""
    nmax = max(sizes)
    c = th.ucf_shape(step * np.arange(nmax), l_phi=l_phi, **geo)
    out = {}
    for n in set(sizes):
        idx = np.arange(n)
        C = c[np.abs(idx[:, None] - idx[None, :])]
        x = (idx - idx.mean()) / max(n - 1, 1)
        Q, _ = np.linalg.qr(np.vander(x, detrend + 1))
        CQ = C @ Q
        out[n] = C - Q @ CQ.T - CQ @ Q.T + Q @ (Q.T @ CQ) @ Q.T
    return out


def expected_autocorrelation(l_phi, geo, sizes, step, detrend, max_lag):
    """Expected measured F(k) / F_true(0) for traces of ``sizes`` points at ``step`` (T):
    the theory's covariance (``geo``: dim, width, length, l_t of
    :func:`weakloc.theory.fluctuations.ucf_shape`) seen through each trace's window and
    detrending projection P (E[dg dg^T] = P C P), pooled over traces as the data are."""
    Ms = _window_covariances(l_phi, geo, sizes, step, detrend)
    S = np.zeros(max_lag)
    N = np.zeros(max_lag)
    for n in sizes:
        for k in range(min(max_lag, n)):
            S[k] += np.trace(Ms[n], offset=k)
            N[k] += n - k
    return S / N


def _lag_covariance(l_phi, geo, sizes, step, detrend, lags):
    """Covariance of the pooled estimates F(k), k in ``lags``, for Gaussian fingerprints
    (units of F_true(0)^2): Cov(x'A x, x'B x) = 2 tr(A M B M), A_k the symmetrized lag-k
    shift over the pooled pair count."""
    Ms = _window_covariances(l_phi, geo, sizes, step, detrend)
    counts = [sum(max(n - k, 0) for n in sizes) for k in lags]
    cov = np.zeros((len(lags), len(lags)))
    for n in sizes:
        M = Ms[n]
        B = []
        for k, cnt in zip(lags, counts):
            b = np.zeros_like(M)
            if k < n:
                b[: n - k] += M[k:]
                b[k:] += M[: n - k]
            B.append(b / (2.0 * cnt))
        for i in range(len(lags)):
            for j in range(i, len(lags)):
                cov[i, j] += 2.0 * np.sum(B[i] * B[j].T)
                cov[j, i] = cov[i, j]
    return cov


def _gaussian_errors(F, step, l_phi, geo, sizes, detrend, f_true0):
    """Standard errors of B_c (T) and of F(0) (S^2) for Gaussian fingerprints whose
    correlation is the theory at ``l_phi`` (delta method on the half crossing)."""
    k = int(np.flatnonzero(F / F[0] <= 0.5)[0])
    cov = _lag_covariance(l_phi, geo, sizes, step, detrend, [0, k - 1, k]) * f_true0**2
    f0, fa, fb = F[0], F[k - 1], F[k]
    d = fa - fb
    # B_c = step (k - 1 + (fa/f0 - 1/2) / ((fa - fb)/f0)) = step (k - 1 + (fa - f0/2)/d)
    grad = step * np.array([-0.5 / d, 1.0 / d - (fa - f0 / 2) / d**2, (fa - f0 / 2) / d**2])
    return math.sqrt(max(grad @ cov @ grad, 0.0)), math.sqrt(cov[0, 0])


def _solve(fun, target, what, guess):
    """L_phi (m) with fun(L_phi) = target near ``guess``; fun is monotonic in L_phi (a
    correlation field that never falls to half counts as infinite)."""
    def g(x):
        val = fun(math.exp(x))
        return (math.log(val) if np.isfinite(val) and val > 0 else 50.0) - math.log(target)
    a, b = math.log(guess / 20), math.log(guess * 20)
    ga, gb = g(a), g(b)
    if ga * gb > 0:
        raise InputError(f"no L_phi between 1 nm and 1 cm gives this {what}; check the "
                         "geometry (width=..., length=...) and the units of the data")
    return math.exp(brentq(g, a, b, xtol=1e-6))


def _l_phi_solution(fun, target, what, guess, notes):
    """``(L_phi, dL_phi/dtarget)`` with fun(L_phi) = target; None (and a note) when no
    L_phi reproduces the target."""
    try:
        L = _solve(fun, target, what, guess())
        return L, (_solve(fun, target * 1.01, what, L) - L) / (0.01 * target)
    except InputError as exc:
        notes.append(f"L_phi from the {what}: {exc}")
        return None


def analyze_ucf(traces, *, dim=2, width=None, length=None, l_t=None, spin_degeneracy=2,
                detrend=1, min_fluctuations=10.0) -> UCFResult:
    r"""Correlation field, rms and :math:`L_\varphi` from conductance fingerprints.

    Parameters
    ----------
    traces : sequence of (field, conductance)
        Each a pair of arrays: field in T, conductance in S (one trace per gate voltage,
        cooldown or sample); traces may have different windows and steps.
    dim : {1, 2}
        Wire (width << L_phi) or film (width, length >> L_phi), as in
        :func:`weakloc.theory.fluctuations.ucf_correlation`.
    width, length : float, optional
        Sample width and length between the contacts in m; the wire's :math:`B_c` needs the
        width, the rms conversion both.
    l_t : float, optional
        Thermal length in m (:func:`weakloc.theory.fluctuations.thermal_length`); None
        assumes :math:`L_T \gg L_\varphi`.
    spin_degeneracy : int
        2 without Zeeman or spin-orbit splitting (the rms scales with it).
    detrend : int
        Order of the polynomial background removed from each trace (0: the mean).
    min_fluctuations : float
        Fewest independent fluctuations (window / B_c, all traces) accepted.

    Returns
    -------
    UCFResult
    """
    if not traces:
        raise InputError("no traces given; pass at least one (field, conductance) pair")
    dim = v.dimension(dim, allowed=(1, 2))
    detrend = int(detrend)
    if not 0 <= detrend <= 3:
        raise InputError(f"detrend must be a polynomial order 0..3, got {detrend}")
    steps = []
    for j, tr in enumerate(traces):
        B = np.asarray(tr[0], dtype=float)
        if B.size >= 2:
            d = np.diff(np.unique(B[np.isfinite(B)]))
            if d.size:
                steps.append(float(np.median(d)))
        if not steps or len(steps) != j + 1:
            raise InputError(f"trace {j + 1}: fewer than two distinct fields")
    step = min(steps)
    grids = [uniform_trace(tr[0], tr[1], step, f"trace {j + 1}") for j, tr in enumerate(traces)]
    dgs = [detrend_trace(B, G, detrend) for B, G in grids]
    max_lag = min(g.size for g in dgs) // 2
    if max_lag < 4:
        raise InputError("the traces are too short for an autocorrelation; measure wider "
                         "field windows")
    S = np.zeros(max_lag)
    N = np.zeros(max_lag)
    for dg in dgs:
        s, n = autocorrelation(dg, max_lag)
        S += s
        N += n
    F = S / N
    lags = step * np.arange(max_lag)
    bc = _half_crossing(F, step)
    windows = np.array([step * (g.size - 1) for g in dgs])
    if not np.isfinite(bc):
        raise InputError("the autocorrelation does not fall to half within half the field "
                         f"window ({lags[-1]:.3g} T): too few independent fluctuations for "
                         "B_c; measure a wider field window or more traces")
    n_ind = float(np.sum(windows / bc))
    if n_ind < min_fluctuations:
        raise InputError(f"only {n_ind:.1f} independent fluctuations (field window / B_c) in "
                         f"the data; B_c needs at least {min_fluctuations:g}: measure a wider "
                         "field window or more traces (gate voltages)")
    if bc < 3 * step:
        raise InputError(f"B_c = {bc:.3g} T spans fewer than 3 field steps ({step:.3g} T); "
                         "measure with a finer field step")
    # jackknife over blocks of >= 4 B_c
    blocks = [max(1, int(w // (_BLOCK_BC * bc))) for w in windows]
    parts = [_block_sums(dg, max_lag, nb) for dg, nb in zip(dgs, blocks)]
    Sb = np.concatenate([p[0] for p in parts])
    Nb = np.concatenate([p[1] for p in parts])
    m = Sb.shape[0]
    notes = []
    reliable = True
    if m < 5:
        reliable = False
        notes.append(f"only {m} jackknife blocks of {_BLOCK_BC:g} B_c: the uncertainties are "
                     "rough")
        se_bc = se_var = math.nan
    else:
        Fj = (S - Sb) / np.maximum(N - Nb, 1.0)
        bcj = np.array([_half_crossing(f, step) for f in Fj])
        var_j = Fj[:, 0]
        if not np.all(np.isfinite(bcj)):
            bcj = bcj[np.isfinite(bcj)]
            reliable = False
            notes.append("some jackknife replicas never fall to half: B_c is poorly defined")
        se_bc = math.sqrt((m - 1) / m * np.sum((bcj - bcj.mean()) ** 2))
        se_var = math.sqrt((m - 1) / m * np.sum((var_j - var_j.mean()) ** 2))
    rms = math.sqrt(F[0])
    sizes = [g.size for g in dgs]
    geo = dict(dim=dim, width=width, length=length if dim == 1 else None, l_t=l_t)
    sol_bc = sol_rms = None
    theory = None
    if dim == 2 or width is not None:
        def bc_of(L):
            e = expected_autocorrelation(L, geo, sizes, step, detrend, max_lag)
            return _half_crossing(e, step)
        sol_bc = _l_phi_solution(bc_of, bc, "correlation field",
                                 lambda: th.l_phi_from_correlation_field(bc, **geo), notes)
        reliable = reliable and sol_bc is not None
    else:
        notes.append("the wire's B_c needs the width for L_phi; pass width")
    if sol_bc is not None:
        L = sol_bc[0]
        expected = expected_autocorrelation(L, geo, sizes, step, detrend, max_lag)
        theory = F[0] * expected / expected[0]
        shift = bc / th.ucf_correlation_field(l_phi=L, **geo) - 1
        notes.append(f"the finite windows and the detrending (order {detrend}) keep "
                     f"{100 * expected[0]:.0f}% of the variance and put the measured B_c "
                     f"{100 * shift:+.0f}% off the infinite-window one; L_phi accounts for both")
        # errors of Gaussian fingerprints with the fitted correlation (exact second moments)
        jk_bc = se_bc
        se_bc, se_var = _gaussian_errors(F, step, L, geo, sizes, detrend, F[0] / expected[0])
        if np.isfinite(jk_bc) and not 0.4 < jk_bc / se_bc < 2.5:
            notes.append(f"the block jackknife gives a B_c error of {jk_bc:.3g} T against "
                         f"{se_bc:.3g} T for Gaussian fingerprints: the data may not be "
                         "stationary or Gaussian")
    else:
        notes.append("errors from a block jackknife (no L_phi to model the correlation)")
    se_rms = 0.5 * se_var / rms
    lp = None if sol_bc is None else Estimate(sol_bc[0], abs(sol_bc[1]) * se_bc, "m")
    if l_t is None:
        notes.append("no thermal smearing (L_T >> L_phi assumed); give the temperature and D "
                     "for L_T")
    lp_rms = None
    if width is not None and length is not None:
        kw = dict(dim=dim, width=width, length=length, l_t=l_t,
                  spin_degeneracy=spin_degeneracy)

        def rms_of(L):
            e = expected_autocorrelation(L, geo, sizes, step, detrend, 1)[0]
            return th.ucf_rms(l_phi=L, **kw) * math.sqrt(e)
        sol_rms = _l_phi_solution(rms_of, rms, "fluctuation amplitude",
                                  lambda: th.l_phi_from_rms(rms, **kw), notes)
        reliable = reliable and sol_rms is not None
        if sol_rms is not None:
            lp_rms = Estimate(sol_rms[0], abs(sol_rms[1]) * se_rms, "m")
    if lp is not None and (dim == 1 and width > 0.3 * lp.value):
        reliable = False
        notes.append(f"the wire formula needs W << L_phi; W = {width:.3g} m, "
                     f"L_phi = {lp.value:.3g} m")
    inputs = {"dim": dim, "width_m": width, "length_m": length, "l_t_m": l_t,
              "spin_degeneracy": spin_degeneracy, "detrend": detrend}
    return UCFResult(correlation_field=Estimate(bc, se_bc, "T"), rms=Estimate(rms, se_rms, "S"),
                     l_phi=lp, l_phi_rms=lp_rms, lags=lags, correlation=F, theory=theory,
                     independent_fluctuations=n_ind, traces=len(dgs), field_step=step,
                     inputs=inputs, reliable=reliable, notes=tuple(notes))
