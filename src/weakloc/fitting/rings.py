r"""Ring oscillations: h/e and h/2e amplitudes from G(B), and L_phi from their temperature
dependence (formulas in :mod:`weakloc.theory.rings`).

**Amplitudes.** The trace is put on an even field grid, a smooth background (polynomial of
order ``detrend``) is removed, a Hann window applied and the spectrum taken in the
frequency conjugate to B (1/T). The harmonic n occupies the band :math:`n e A/h\,(1 \pm
\delta)`, :math:`\delta` the relative spread of the enclosed area (inner to outer edge of the
arms; at least 1.5 frequency bins). Its amplitude is that of the cosine carrying the band's
power, :math:`a^2 = 4\sum_{\rm band}|X_k|^2/(N\sum w^2)`, after subtracting the noise power
expected in the band; the noise level is the median power of the bins between and above the
bands (sample-specific UCF of the arms sits at lower frequencies and is excluded). The
standard error is that of a cosine amplitude in this noise,
:math:`\sqrt{2 N_0/(N \sum w^2)}` per bin of noise power :math:`N_0` (checked by a coverage
test); for the average of an ensemble, whose leftover fluctuations are not white, it is the
larger of that and the jackknife error over the samples.

**Ensembles and the sign.** Given one trace per sample (same field grid), the power
above is that of the ensemble average, and each harmonic also gets a *signed* value at zero
field: the band-passed trace evaluated at :math:`B = 0`,

.. math::

    a_n(0) = \frac{2}{N\,w(0)}\,{\rm Re}\sum_{k \in {\rm band}_n} X_k\,
    e^{2\pi i f_k (0 - B_{\rm first})},

which returns :math:`a` for :math:`a\cos(2\pi n f_1 B)` and is negative for a conductance
minimum at :math:`B = 0` (weak localization). It is linear in the trace, so the value of the
average is the mean of the samples' values and its standard error is that of the mean over
the samples (for one trace, that of white noise at the measured noise level). Fourier
filtering of the h/e and h/2e components is how ring experiments separate them (Washburn
and Webb, Adv. Phys. 35, 375 (1986)).

**Flux traces.** A cylinder or ring simulated (or measured) at fluxes that cover whole
periods of :math:`h/e` is analysed without windows by :func:`flux_harmonics`: the Fourier
series :math:`G(\Phi) = a_0 + \sum_n [a_n \cos(2\pi n\Phi/\Phi_0) + b_n \sin(2\pi n
\Phi/\Phi_0)]`, :math:`\Phi_0 = h/e`, projected exactly on the uniform grid, sample by
sample; the harmonics of the ensemble average carry the standard error of the mean over the
samples. The h/e harmonic (n = 1) of a single sample has a random phase and averages out;
the Altshuler-Aronov-Spivak h/2e harmonic (n = 2) keeps its sign, :math:`a_2 < 0` for weak
localization (conductance minima at :math:`\Phi = 0` and :math:`\Phi_0/2`), :math:`a_2 > 0`
for anti-localization (Altshuler, Aronov and Spivak, JETP Lett. 33, 94 (1981)). The
L_phi of :func:`ring_dephasing` comes from one harmonic, named by its ``harmonic``: the h/e
amplitude of single samples (``harmonic=1``, :math:`e^{-\pi r/L_\varphi}`) or the
ensemble-averaged h/2e one (``harmonic=2``, :math:`e^{-2\pi r/L_\varphi}`).

**Dephasing.** :math:`\ln a(T) = \ln a_0 - c\, r / L_\varphi(T)` with :math:`c = \pi` (h/e) or
:math:`2\pi` (h/2e) and :math:`L_\varphi = L_1 (T/1\,{\rm K})^{-p/2}`; weighted least squares
in :math:`\ln a`, p fixed (given) or fitted (four or more temperatures).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.fitting.results import Estimate
from weakloc.fitting.ucf import detrend_trace, uniform_trace
from weakloc.theory.rings import HARMONIC_PATH, oscillation_period

__all__ = ["RingResult", "ring_harmonics", "RingDephasing", "ring_dephasing",
           "FluxHarmonics", "flux_harmonics"]

_MIN_PERIODS = 3.0


@dataclass(frozen=True)
class RingResult:
    """Outcome of :func:`ring_harmonics`.

    Attributes
    ----------
    h_over_e, h_over_2e : Estimate
        Cosine amplitudes of the two harmonics in S.
    periods : dict
        ``{"h_over_e": T, "h_over_2e": T}`` from the area.
    frequencies, power : ndarray
        Spectrum: frequency (1/T) and power per bin (S^2, the amplitude-squared scale).
    bands : dict
        Harmonic -> (low, high) frequency in 1/T.
    noise_power : float
        Median noise power per bin (S^2).
    field_window : tuple
        (min, max) field in T.
    inputs : dict
    reliable : bool
    notes : tuple of str
    at_zero_field : dict
        ``{"h_over_e": Estimate, "h_over_2e": Estimate}``: the signed value of each
        band-passed harmonic at B = 0 (S; negative h/2e: a weak-localization minimum),
        with the standard error of the mean over the samples (NaN when the window does
        not hold B = 0 in its middle half).
    sample_rms : dict
        ``{"h_over_e": S, "h_over_2e": S}``: root mean square over the single traces of
        their band amplitudes (noise power subtracted): the sample-specific size.
    samples : int
        Independent samples averaged (1 for a single trace).
    """

    h_over_e: Estimate
    h_over_2e: Estimate
    periods: dict
    frequencies: np.ndarray
    power: np.ndarray
    bands: dict
    noise_power: float
    field_window: tuple
    inputs: dict
    reliable: bool
    notes: tuple
    at_zero_field: dict = None
    sample_rms: dict = None
    samples: int = 1

    def as_dict(self) -> dict:
        """JSON-ready summary (SI units)."""
        zero = self.at_zero_field or {}
        rms = self.sample_rms or {}
        return {"h_over_e": self.h_over_e.as_dict(), "h_over_2e": self.h_over_2e.as_dict(),
                "at_zero_field": {k: e.as_dict() for k, e in zero.items()},
                "sample_rms": {k: {"value": r, "unit": "S"} for k, r in rms.items()},
                "samples": self.samples,
                "periods_T": dict(self.periods),
                "bands_per_T": {k: list(b) for k, b in self.bands.items()},
                "noise_power_S2": self.noise_power,
                "field_window": {"min": self.field_window[0], "max": self.field_window[1],
                                 "unit": "T"},
                "inputs": dict(self.inputs), "reliable": self.reliable,
                "notes": list(self.notes)}


def ring_harmonics(field, conductance, *, area, area_spread=0.15, detrend=2) -> RingResult:
    r"""Amplitudes of the h/e and h/2e oscillations of a ring's G(B), of one trace or of
    the average of an ensemble.

    Parameters
    ----------
    field : array_like, shape (N,)
        T.
    conductance : array_like, shape (N,) or (samples, ..., N)
        S. One trace, or one per sample on the same field grid (first axis); axes in
        between (energies, say) are averaged within each sample and count as single
        traces for ``sample_rms``.
    area : float
        Enclosed area in m^2 (mean of the inner and outer areas of the arms).
    area_spread : float
        Relative half-spread of the enclosed area (the arms' width), 0 < spread < 0.5.
    detrend : int
        Order of the polynomial background removed (per trace).

    Returns
    -------
    RingResult
        ``h_over_e``, ``h_over_2e``: band amplitudes of the (average) trace;
        ``at_zero_field``: their signed values at B = 0, the standard error from the
        sample scatter for an ensemble. ``reliable`` is False when the bands overlap or
        when an ensemble average keeps an h/e value at B = 0 above 3 standard errors (a
        sample-independent, classical part that can feed h/2e too).
    """
    area = float(v.positive("area", area, "m^2"))
    spread = float(v.in_range("area_spread", area_spread, 0.0, 0.5))
    B = v.finite_array("field", field).ravel()
    g = v.finite_array("conductance", conductance)
    g = g[None, :] if g.ndim == 1 else g
    if g.shape[-1] != B.size:
        raise InputError(f"conductance has {g.shape[-1]} points per trace but field has "
                         f"{B.size}; the last axis is the field")
    samples = g.shape[0]
    traces = g.reshape(-1, B.size)
    d = np.diff(np.unique(B))
    if d.size < 16:
        raise InputError("a ring trace needs many field points (16 or more distinct fields)")
    step = float(np.median(d))
    grid, _ = uniform_trace(B, traces[0], step, "ring trace")
    n = grid.size
    window = grid[-1] - grid[0]
    p1 = float(oscillation_period(area, 1))
    p2 = p1 / 2
    if window < _MIN_PERIODS * p1 * (1 - 1e-9):   # whole periods: rounding tolerated
        raise InputError(f"the field window ({window * 1e3:.3g} mT) holds {window / p1:.2g} h/e "
                         f"periods of {p1 * 1e3:.3g} mT (area {area:.3g} m^2); need "
                         f"{_MIN_PERIODS:g}: check area=... (m^2) or measure a wider window")
    if step > p2 / 4:
        raise InputError(f"the field step ({step * 1e3:.3g} mT) is too coarse for the h/2e "
                         f"period of {p2 * 1e3:.3g} mT (area {area:.3g} m^2): check area=... or "
                         "measure at least 4 points per h/2e period")
    w = np.hanning(n)
    # the spectrum is linear in the trace: that of the average is the average spectrum
    X = np.array([np.fft.rfft(detrend_trace(grid, uniform_trace(B, t, step, "ring trace")[1],
                                            int(detrend)) * w) for t in traces])
    X_sample = X.reshape(samples, -1, X.shape[-1]).mean(axis=1)
    freqs = np.fft.rfftfreq(n, d=step)
    norm = 4.0 / (n * np.sum(w**2))
    power = norm * np.abs(X_sample.mean(axis=0)) ** 2
    df = freqs[1]
    f1 = 1.0 / p1
    bands = {}
    for name, nh in (("h_over_e", 1), ("h_over_2e", 2)):
        half = max(spread * nh * f1, 1.5 * df)
        bands[name] = (nh * f1 - half, nh * f1 + half)
    b1, b2 = bands["h_over_e"], bands["h_over_2e"]
    gap = 2 * df
    noise_sel = (((freqs > b1[1] + gap) & (freqs < b2[0] - gap))
                 | ((freqs > b2[1] + gap) & (freqs < 3.5 * f1)))
    notes = []
    reliable = True
    if np.sum(noise_sel) < 5:
        noise_sel = (freqs > b2[1] + gap) & (freqs < freqs[-1])
        notes.append("few bins between the harmonics: the noise level comes from above h/2e")
    if np.sum(noise_sel) < 5:
        raise InputError("no clean spectral region to estimate the noise; measure a wider "
                         "field window or with a finer step")
    n0 = float(np.median(power[noise_sel]) / math.log(2))  # median of an exponential
    trace_power = norm * np.abs(X) ** 2
    trace_n0 = np.median(trace_power[:, noise_sel], axis=1) / math.log(2)
    # B = 0 in the window's middle half: the signed, band-passed value there
    w0 = 0.5 - 0.5 * math.cos(2 * math.pi * (0.0 - grid[0]) / window)
    at_zero = 0.0 - grid[0] >= 0.25 * window and grid[-1] - 0.0 >= 0.25 * window
    if not at_zero:
        notes.append("the field window does not hold B = 0 in its middle half: no signed "
                     "value at zero field")
    est, zero, rms = {}, {}, {}
    for name, (lo, hi) in bands.items():
        sel = (freqs >= lo) & (freqs <= hi)
        raw = float(np.sum(power[sel]))
        signal = raw - n0 * np.sum(sel)
        amp = math.sqrt(max(signal, 0.0))
        se = math.sqrt(n0 / 2.0 * max(1.0, np.sum(sel) / 4.0))
        if samples > 1:   # the average's leftover is not white: jackknife over samples
            loo = norm * np.abs((X_sample.sum(axis=0) - X_sample) / (samples - 1)) ** 2
            amp_loo = np.sqrt(np.maximum(np.sum(loo[:, sel], axis=1) - np.median(
                loo[:, noise_sel], axis=1) / math.log(2) * np.sum(sel), 0.0))
            se = max(se, float(np.sqrt((samples - 1) * np.mean((amp_loo - amp_loo.mean())**2))))
        est[name] = Estimate(amp, se, "S")
        if amp < 2 * se:
            notes.append(f"{name.replace('_over_', '/')} amplitude is below twice its error: "
                         "not detected")
        single = np.sum(trace_power[:, sel], axis=1) - trace_n0 * np.sum(sel)
        rms[name] = float(np.sqrt(np.mean(np.maximum(single, 0.0))))
        zero[name] = Estimate(math.nan, math.nan, "S")
        if at_zero:
            phase = np.exp(2j * np.pi * freqs[sel] * (0.0 - grid[0]))
            vals = 2.0 * np.real(X_sample[:, sel] @ phase) / (n * w0)
            if samples > 1:
                zse = float(np.std(vals, ddof=1) / math.sqrt(samples))
            else:   # white noise of the measured level: sigma^2 = n0 N / 4 per point
                c = (2.0 / (n * w0)) * w * np.cos(2 * np.pi * np.outer(grid, freqs[sel])).sum(1)
                zse = math.sqrt(n0 * n / 4.0 * float(np.sum(c**2)))
            zero[name] = Estimate(float(vals.mean()), zse, "S")
    if b1[1] >= b2[0]:
        reliable = False
        notes.append("the area spread makes the h/e and h/2e bands overlap")
    e1 = zero["h_over_e"]
    if samples > 1 and at_zero and abs(e1.value) > 3 * e1.stderr:
        reliable = False
        notes.append("the ensemble average keeps an h/e value at B = 0 above 3 standard "
                     "errors: a sample-independent (classical or lead) field dependence "
                     "survives; average over energies or more samples")
    inputs = {"area_m2": area, "area_spread": spread, "detrend": int(detrend),
              "field_step_T": step}
    return RingResult(h_over_e=est["h_over_e"], h_over_2e=est["h_over_2e"],
                      periods={"h_over_e": p1, "h_over_2e": p2}, frequencies=freqs,
                      power=power, bands=bands, noise_power=n0,
                      field_window=(float(grid[0]), float(grid[-1])), inputs=inputs,
                      reliable=reliable, notes=tuple(notes), at_zero_field=zero,
                      sample_rms=rms, samples=int(samples))


@dataclass(frozen=True)
class RingDephasing:
    """Outcome of :func:`ring_dephasing`: ``l_phi_1k`` (m), ``p``, ``a0`` (S) as
    :class:`Estimate`, ``l_phi`` per temperature (m), harmonic and radius. ``harmonic``
    says which oscillation L_phi comes from: 1, the h/e amplitude of single samples
    (``"from_harmonic": "h_over_e"`` in :meth:`as_dict`); 2, the ensemble-averaged h/2e
    (Altshuler-Aronov-Spivak) one."""

    l_phi_1k: Estimate
    p: Estimate
    a0: Estimate
    temperatures: np.ndarray
    l_phi: np.ndarray
    harmonic: int
    radius: float
    reduced_chi2: float

    def as_dict(self) -> dict:
        """JSON-ready summary (SI units)."""
        return {"l_phi_1k": self.l_phi_1k.as_dict(), "p": self.p.as_dict(),
                "a0": self.a0.as_dict(), "temperatures_K": self.temperatures,
                "l_phi_m": self.l_phi, "harmonic": self.harmonic,
                "from_harmonic": HARMONIC_NAMES[self.harmonic], "radius_m": self.radius,
                "reduced_chi2": self.reduced_chi2}


def ring_dephasing(temperatures, amplitudes, stderr, *, radius, harmonic=1, p=None):
    r"""L_phi(T) from the decay of a ring harmonic with temperature.

    Parameters
    ----------
    temperatures : array_like
        K.
    amplitudes, stderr : array_like
        Harmonic amplitudes and their errors (S), e.g. from :func:`ring_harmonics`.
    radius : float
        Ring radius in m.
    harmonic : {1, 2}
        1 for h/e (:math:`e^{-\pi r/L_\varphi}`), 2 for h/2e (:math:`e^{-2\pi r/L_\varphi}`).
    p : float, optional
        Dephasing exponent; fitted when None (needs 4 temperatures).

    Returns
    -------
    RingDephasing
    """
    T = v.positive("temperatures", temperatures, "K").ravel()
    a = v.positive("amplitudes", amplitudes, "S").ravel()
    s = v.positive("stderr", stderr, "S").ravel()
    r = float(v.positive("radius", radius, "m"))
    if harmonic not in HARMONIC_PATH:
        raise InputError(f"harmonic must be 1 (h/e) or 2 (h/2e), got {harmonic!r}")
    c = HARMONIC_PATH[harmonic] * r
    free_p = p is None
    if T.size < (4 if free_p else 3):
        raise InputError(f"{T.size} temperatures; L_phi(T) needs {4 if free_p else 3} or "
                         "more (or give p)")
    y, sy = np.log(a), s / a

    def model(q):
        pp = q[2] if free_p else p
        return q[0] - c * T ** (pp / 2) / math.exp(q[1])

    # start: p = 1 (or given), L1 from the two ends
    p0 = 1.0 if free_p else float(p)
    slope = (y[0] - y[-1]) / max(T[-1] ** (p0 / 2) - T[0] ** (p0 / 2), 1e-12)
    q0 = [y[0] + slope * T[0] ** (p0 / 2), math.log(c / max(slope, 1e-3 * c / r))]
    if free_p:
        q0.append(p0)
    lo = [-np.inf, -np.inf] + ([0.1] if free_p else [])
    hi = [np.inf, np.inf] + ([6.0] if free_p else [])
    sol = least_squares(lambda q: (model(q) - y) / sy, q0, bounds=(lo, hi))
    dof = T.size - len(q0)
    red = float(np.sum(sol.fun**2) / dof) if dof > 0 else math.nan
    cov = np.linalg.pinv(sol.jac.T @ sol.jac)
    err = np.sqrt(np.diag(cov))
    L1 = math.exp(sol.x[1])
    pp = sol.x[2] if free_p else float(p)
    return RingDephasing(
        l_phi_1k=Estimate(L1, L1 * err[1], "m"),
        p=Estimate(pp, err[2] if free_p else math.nan, "1", fixed=not free_p),
        a0=Estimate(math.exp(sol.x[0]), math.exp(sol.x[0]) * err[0], "S"),
        temperatures=T, l_phi=L1 * T ** (-pp / 2), harmonic=int(harmonic), radius=r,
        reduced_chi2=red)


#: harmonic order -> name: 1 the Aharonov-Bohm h/e, 2 the Altshuler-Aronov-Spivak h/(2e)
HARMONIC_NAMES = {1: "h_over_e", 2: "h_over_2e"}


@dataclass(frozen=True)
class FluxHarmonics:
    """Outcome of :func:`flux_harmonics` (conductances in ``unit``, fluxes in ``h/e``).

    Attributes
    ----------
    average : dict
        Harmonic order ``n`` -> :class:`Estimate` of ``a_n``, the cosine coefficient of the
        ensemble-averaged trace; the standard error is that of the mean over the samples.
    average_sine : dict
        ``n`` -> :class:`Estimate` of ``b_n`` of the average (zero for a trace that is even
        in the flux, as a two-terminal conductance is: Onsager).
    sample_rms : dict
        ``n`` -> root mean square over the single traces of ``sqrt(a_n^2 + b_n^2)``: the
        sample-specific amplitude.
    samples, traces : int
        Independent samples and single traces (samples x energies) analysed.
    flux : ndarray
        The grid (units of ``h/e``).
    mean : ndarray
        The ensemble-averaged trace on it.
    unit : str
    reliable : bool
    notes : tuple of str
    """

    average: dict
    average_sine: dict
    sample_rms: dict
    samples: int
    traces: int
    flux: np.ndarray
    mean: np.ndarray
    unit: str
    reliable: bool
    notes: tuple

    def significance(self, n: int) -> float:
        """``a_n / stderr(a_n)`` of the average (signed)."""
        est = self.average[n]
        return float(est.value / est.stderr) if est.stderr > 0 else math.nan

    def as_dict(self) -> dict:
        """JSON-ready summary, harmonics keyed ``h_over_e``, ``h_over_2e`` (``n<k>`` beyond)."""
        def key(n):
            return HARMONIC_NAMES.get(n, f"n{n}")

        return {"average": {key(n): e.as_dict() for n, e in self.average.items()},
                "average_sine": {key(n): e.as_dict() for n, e in self.average_sine.items()},
                "sample_rms": {key(n): {"value": r, "unit": self.unit}
                               for n, r in self.sample_rms.items()},
                "samples": self.samples, "traces": self.traces, "flux": self.flux,
                "flux_unit": "h/e", "mean": self.mean, "unit": self.unit,
                "reliable": self.reliable, "notes": list(self.notes)}


def _whole_periods(flux: np.ndarray) -> int:
    """Number of h/e periods a uniform grid covers (N points, step d: N d = K); or raise."""
    n = flux.size
    if n < 5:
        raise InputError(f"{n} flux points; the h/e and h/2e harmonics need 5 or more per "
                         "period on a uniform grid")
    step = np.diff(flux)
    d = float(np.mean(step))
    if d <= 0 or np.max(np.abs(step - d)) > 1e-9 * max(1.0, abs(d) * n):
        raise InputError("flux_harmonics needs a uniform, increasing flux grid (e.g. "
                         "(j + 0.5) / N for j = 0..N-1, units of h/e)")
    periods = n * d
    k = round(periods)
    if k < 1 or abs(periods - k) > 1e-6:
        raise InputError(f"the grid covers {periods:.4g} flux quanta; it must cover whole "
                         "periods of h/e: N points with step 1/N (or K/N)")
    return int(k)


def _stderr(x: np.ndarray) -> float:
    """Standard error of the mean (ddof = 1); NaN for one value."""
    return float(np.std(x, ddof=1) / math.sqrt(x.size)) if x.size > 1 else math.nan


def flux_harmonics(flux, conductance, *, harmonics=(1, 2), unit="e2_over_h"
                   ) -> FluxHarmonics:
    r"""Fourier harmonics of G(Phi) traces on whole h/e periods: single samples and average.

    .. math::

        a_n = \frac{2}{N}\sum_j G(\Phi_j)\cos(2\pi n \Phi_j/\Phi_0), \qquad
        b_n = \frac{2}{N}\sum_j G(\Phi_j)\sin(2\pi n \Phi_j/\Phi_0),

    exact for a trace of period :math:`\Phi_0 = h/e` sampled on ``N`` uniform points over
    whole periods (no window, no leakage) while :math:`n < N/(2K)` (``K`` periods).

    Parameters
    ----------
    flux : array_like, shape (N,)
        Flux through the ring or cylinder in units of ``h/e`` (uniform, whole periods).
    conductance : array_like, shape (samples, ..., N)
        One trace per sample (first axis); axes in between (energies, say) are averaged
        within each sample before the ensemble statistics and count as single traces for
        ``sample_rms``. A 1D array is one sample (no standard error).
    harmonics : sequence of int
        Orders to report: 1 is h/e, 2 is h/(2e).
    unit : str
        Unit of the conductances (``'e2_over_h'`` for the lattice engines, ``'S'``).

    Returns
    -------
    FluxHarmonics
        ``reliable`` is False, with the reason in ``notes``, when the average keeps an h/e
        harmonic above 3 standard errors (a classical, band-structure part of G(Phi) that
        the ensemble does not average out, which can feed the h/2e harmonic too) or when a
        single sample gives no standard error.
    """
    phi = v.finite_array("flux", flux).ravel()
    g = v.finite_array("conductance", conductance)
    if g.ndim == 1:
        g = g[None, :]
    if g.shape[-1] != phi.size:
        raise InputError(f"conductance has {g.shape[-1]} points per trace but flux has "
                         f"{phi.size}; the last axis is the flux")
    k = _whole_periods(phi)
    orders = [int(n) for n in harmonics]
    if not orders or min(orders) < 1 or max(orders) >= phi.size / (2 * k):
        raise InputError(f"harmonics must be orders 1 .. {math.ceil(phi.size / (2 * k)) - 1} "
                         f"for {phi.size} points over {k} period(s); add flux points")
    traces = g.reshape(-1, phi.size)
    per_sample = g.reshape(g.shape[0], -1, phi.size).mean(axis=1)
    samples = per_sample.shape[0]
    notes = []
    average, sine, rms = {}, {}, {}
    for n in orders:
        c = 2.0 * np.cos(2 * np.pi * n * phi) / phi.size
        s_ = 2.0 * np.sin(2 * np.pi * n * phi) / phi.size
        a, b = per_sample @ c, per_sample @ s_
        average[n] = Estimate(float(a.mean()), _stderr(a), unit)
        sine[n] = Estimate(float(b.mean()), _stderr(b), unit)
        rms[n] = float(np.sqrt(np.mean((traces @ c) ** 2 + (traces @ s_) ** 2)))
    reliable = samples > 1
    if samples < 2:
        notes.append("one sample: no standard error for the average")
    if 1 in average and samples > 1 and abs(average[1].value) > 3 * average[1].stderr:
        reliable = False
        notes.append("the average keeps an h/e harmonic above 3 standard errors: a classical "
                     "(band-structure) flux dependence survives the ensemble; average over "
                     "energies or use more channels before reading h/2e as interference")
    return FluxHarmonics(average=average, average_sine=sine, sample_rms=rms,
                         samples=samples, traces=traces.shape[0], flux=phi,
                         mean=per_sample.mean(axis=0), unit=str(unit), reliable=reliable,
                         notes=tuple(notes))
