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
test).

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

__all__ = ["RingResult", "ring_harmonics", "RingDephasing", "ring_dephasing"]

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

    def as_dict(self) -> dict:
        """JSON-ready summary (SI units)."""
        return {"h_over_e": self.h_over_e.as_dict(), "h_over_2e": self.h_over_2e.as_dict(),
                "periods_T": dict(self.periods),
                "bands_per_T": {k: list(b) for k, b in self.bands.items()},
                "noise_power_S2": self.noise_power,
                "field_window": {"min": self.field_window[0], "max": self.field_window[1],
                                 "unit": "T"},
                "inputs": dict(self.inputs), "reliable": self.reliable,
                "notes": list(self.notes)}


def ring_harmonics(field, conductance, *, area, area_spread=0.15, detrend=2) -> RingResult:
    r"""Amplitudes of the h/e and h/2e oscillations of a ring's G(B).

    Parameters
    ----------
    field, conductance : array_like
        T and S.
    area : float
        Enclosed area in m^2 (mean of the inner and outer areas of the arms).
    area_spread : float
        Relative half-spread of the enclosed area (the arms' width), 0 < spread < 0.5.
    detrend : int
        Order of the polynomial background removed.

    Returns
    -------
    RingResult
    """
    area = float(v.positive("area", area, "m^2"))
    spread = float(v.in_range("area_spread", area_spread, 0.0, 0.5))
    B = v.finite_array("field", field).ravel()
    d = np.diff(np.unique(B))
    if d.size < 16:
        raise InputError("a ring trace needs many field points (16 or more distinct fields)")
    step = float(np.median(d))
    grid, G = uniform_trace(B, conductance, step, "ring trace")
    dg = detrend_trace(grid, G, int(detrend))
    n = dg.size
    window = grid[-1] - grid[0]
    p1 = float(oscillation_period(area, 1))
    p2 = p1 / 2
    if window < _MIN_PERIODS * p1:
        raise InputError(f"the field window ({window * 1e3:.3g} mT) holds {window / p1:.2g} h/e "
                         f"periods of {p1 * 1e3:.3g} mT (area {area:.3g} m^2); need "
                         f"{_MIN_PERIODS:g}: check area=... (m^2) or measure a wider window")
    if step > p2 / 4:
        raise InputError(f"the field step ({step * 1e3:.3g} mT) is too coarse for the h/2e "
                         f"period of {p2 * 1e3:.3g} mT (area {area:.3g} m^2): check area=... or "
                         "measure at least 4 points per h/2e period")
    w = np.hanning(n)
    X = np.fft.rfft(dg * w)
    freqs = np.fft.rfftfreq(n, d=step)
    norm = 4.0 / (n * np.sum(w**2))
    power = norm * np.abs(X) ** 2
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
    est = {}
    for name, (lo, hi) in bands.items():
        sel = (freqs >= lo) & (freqs <= hi)
        raw = float(np.sum(power[sel]))
        signal = raw - n0 * np.sum(sel)
        amp = math.sqrt(max(signal, 0.0))
        se = math.sqrt(n0 / 2.0 * max(1.0, np.sum(sel) / 4.0))
        est[name] = Estimate(amp, se, "S")
        if amp < 2 * se:
            notes.append(f"{name.replace('_over_', '/')} amplitude is below twice its error: "
                         "not detected")
    if b1[1] >= b2[0]:
        reliable = False
        notes.append("the area spread makes the h/e and h/2e bands overlap")
    inputs = {"area_m2": area, "area_spread": spread, "detrend": int(detrend),
              "field_step_T": step}
    return RingResult(h_over_e=est["h_over_e"], h_over_2e=est["h_over_2e"],
                      periods={"h_over_e": p1, "h_over_2e": p2}, frequencies=freqs,
                      power=power, bands=bands, noise_power=n0,
                      field_window=(float(grid[0]), float(grid[-1])), inputs=inputs,
                      reliable=reliable, notes=tuple(notes))


@dataclass(frozen=True)
class RingDephasing:
    """Outcome of :func:`ring_dephasing`: ``l_phi_1k`` (m), ``p``, ``a0`` (S) as
    :class:`Estimate`, ``l_phi`` per temperature (m), harmonic and radius."""

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
                "l_phi_m": self.l_phi, "harmonic": self.harmonic, "radius_m": self.radius,
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
