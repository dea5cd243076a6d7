r"""Fit of a measured coherent-backscattering cone: k l_tr, absorption length, enhancement.

The model is :func:`weakloc.theory.cone.cone_intensity` (Akkermans-Wolf-Maynard with
absorption, an optional finite slab and the Gaussian angular resolution); the free
parameters are :math:`k l_{\rm tr}`, the enhancement E, the background A, the centre
:math:`\theta_0` and (unless switched off or fixed) the diffusive absorption length
:math:`L_a/l_{\rm tr}`. With the wavelength in the medium :math:`\lambda`,
:math:`l_{\rm tr} = k l_{\rm tr}\,\lambda/2\pi` and :math:`L_a` follow in m. Standard errors
come from the covariance of the least-squares solution, scaled by the reduced chi-square
when no per-point errors are given (the usual "errors from the scatter"); lengths are fitted
on a log scale and their errors propagated to first order.

One channel per call, and the channel says which line shape applies:

* ``channel="co"`` (the reciprocal channels: helicity preserving, linear parallel, or a
  scalar wave): every path meets its reversed partner with the same amplitude, the cusp is
  sharp and the enhancement near 2 (less only through single scattering and stray light);
* ``channel="cross"`` (helicity flip, linear perpendicular): a reduced cone, E well below
  2, whose top is rounded even without absorption, because the short paths that make the
  cusp hardly leave the incident polarization. In the effective-absorption picture of
  Akkermans, Wolf, Maynard and Maret (J. Phys. France 49, 77 (1988)) the crossed intensity
  of the channel is the diffusion profile with :math:`q^2 \to q^2 + L_d^{-2}`, a
  depolarization length :math:`L_d`, which is fitted (``depolarization``,
  :math:`L_d/l_{\rm tr}`) in place of an absorption length. Absorption adds to the same
  mass (:math:`L_a^{-2} + L_d^{-2}`), so the cross channel alone cannot tell them apart: hold
  :math:`L_a` at the co channel's value or leave it out. A cross cone pins :math:`k l_{\rm
  tr}` loosely; ``kl=`` holds it at the co channel's value.

Without absorption (``absorption=False``) the model has no absorption length at all: the
result carries ``absorption`` and ``absorption_length`` as fixed, infinite (``null`` in
JSON), and a note says that the fit assumed none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.fitting.results import Estimate
from weakloc.theory.cone import Z0_MILNE, cone_intensity, cone_lineshape

__all__ = ["ConeResult", "fit_cone", "CHANNELS"]

_MIN_REACH = 0.35  # the data must reach angles where the coherent part is below 35 %

#: Polarization channels of :func:`fit_cone`: 'co' (reciprocal: helicity preserving,
#: linear parallel, scalar) and 'cross' (helicity flip, linear perpendicular).
CHANNELS = ("co", "cross")


def _mass_length(la, ld):
    """The one length of the diffusion mass: L^-2 = L_a^-2 + L_d^-2 (None: no mass)."""
    inv = sum(1.0 / x**2 for x in (la, ld) if x is not None)
    return None if inv == 0 else 1.0 / math.sqrt(inv)


@dataclass(frozen=True)
class ConeResult:
    """Outcome of :func:`fit_cone`.

    Attributes
    ----------
    parameters : dict
        ``kl`` (1), ``enhancement`` (1), ``background`` (intensity unit), ``center`` (rad),
        ``absorption`` (:math:`L_a/l_{\\rm tr}`, 1; inf when switched off), in the cross
        channel ``depolarization`` (:math:`L_d/l_{\\rm tr}`, 1), and with the wavelength
        ``l_tr``, ``absorption_length`` (and ``depolarization_length``) in m, each an
        :class:`Estimate`.
    reduced_chi2 : float
        Weighted residual sum per degree of freedom (residual variance without errors).
    points, dof : int
    angles, data, best_fit : ndarray
        Angles (rad), measured and fitted intensities.
    inputs : dict
        wavelength_m, resolution_rad, thickness_m, z0, absorption mode ('fitted',
        'fixed' or 'none'), channel, kl_mode ('fitted' or 'fixed').
    reliable : bool
    notes : tuple of str
    """

    parameters: dict
    reduced_chi2: float
    points: int
    dof: int
    angles: np.ndarray
    data: np.ndarray
    best_fit: np.ndarray
    inputs: dict
    reliable: bool
    notes: tuple

    def value(self, name):
        """Value of parameter ``name``."""
        return self.parameters[name].value

    def stderr(self, name):
        """Standard error of parameter ``name``."""
        return self.parameters[name].stderr

    def as_dict(self) -> dict:
        """JSON-ready summary (SI units)."""
        return {**{k: e.as_dict() for k, e in self.parameters.items()},
                "reduced_chi2": self.reduced_chi2, "points": self.points, "dof": self.dof,
                "inputs": dict(self.inputs), "reliable": self.reliable,
                "notes": list(self.notes)}


def _guess(theta, y):
    """Centre, background, enhancement and k l from the data's peak and wings."""
    i = int(np.argmax(y))
    far = np.abs(theta - theta[i])
    wing = y[far >= np.quantile(far, 0.8)]
    bg = float(np.median(wing))
    peak = float(y[i])
    half = bg + 0.5 * (peak - bg)
    inside = far[y >= half]
    hw = max(float(inside.max()) if inside.size else 0.0, float(np.min(far[far > 0])))
    # half width of the AWM cusp: q l_tr ~ 0.36 at half height
    return float(theta[i]), bg, max(peak / bg, 1.05), 0.36 / max(math.sin(hw), 1e-12)


def fit_cone(angles, intensity, *, wavelength=None, stderr=None, resolution=0.0,
             absorption=True, thickness=None, z0=Z0_MILNE, fit_center=True, channel="co",
             kl=None) -> ConeResult:
    r"""Fit a backscattering cone :math:`I(\theta)`.

    Parameters
    ----------
    angles : array_like
        Detector angles in rad (either side of backscattering or one side).
    intensity : array_like
        Measured intensity (any unit).
    wavelength : float, optional
        Wavelength in the medium in m; adds :math:`l_{\rm tr}` and :math:`L_a` in m.
    stderr : array_like, optional
        Per-point standard errors (same unit as ``intensity``).
    resolution : float
        Standard deviation of the angular resolution in rad.
    absorption : bool or float
        True: fit :math:`L_a/l_{\rm tr}`; False: no absorption; a number: hold
        :math:`L_a/l_{\rm tr}` there.
    thickness : float, optional
        Slab thickness in m (needs ``wavelength``); None is the half-space.
    z0 : float
        Extrapolation length in units of :math:`l_{\rm tr}`.
    fit_center : bool
        Fit the angle of exact backscattering (else 0).
    channel : {'co', 'cross'}
        Polarization channel (module docstring): 'co' for the reciprocal channels (and
        scalar waves), 'cross' for the helicity-flip or perpendicular channel, whose rounded
        top is fitted with a depolarization length; there ``absorption=True`` is refused.
    kl : float, optional
        Hold :math:`k l_{\rm tr}` at this value (e.g. the co channel's) instead of fitting.

    Returns
    -------
    ConeResult
    """
    th = v.finite_array("angles", angles).ravel()
    y = v.finite_array("intensity", intensity).ravel()
    if th.shape != y.shape:
        raise InputError("angles and intensity differ in length")
    if th.size < 8:
        raise InputError(f"{th.size} angles; a cone fit needs at least 8 (better 30+)")
    if np.any(np.abs(th) >= math.pi / 2):
        raise InputError("angles must be in rad and below 90 degrees "
                         "(angles in another unit? convert them to rad)")
    sig = None if stderr is None else v.positive("stderr", stderr).ravel()
    res = float(v.nonnegative("resolution", resolution, "rad"))
    k = None if wavelength is None else 2 * math.pi / float(v.positive("wavelength",
                                                                       wavelength, "m"))
    if thickness is not None and k is None:
        raise InputError("a slab thickness needs the wavelength (to express it in l_tr); "
                         "pass wavelength=... (m)")
    v.choice("channel", channel, CHANNELS)
    cross = channel == "cross"
    if cross and absorption is True:
        raise InputError("in the cross channel absorption and depolarization round the cusp "
                         "alike and cannot be told apart: fit the co channel for L_a and pass "
                         "it here (absorption=L_a/l_tr), or absorption=False")
    fixed_la = None
    if absorption is not True and absorption is not False:
        fixed_la = float(v.positive("absorption", absorption))
    fixed_kl = None if kl is None else float(v.positive("kl", kl))
    c0, a0, e0, kl0 = _guess(th, y)
    peak = int(np.argmax(y))
    if fit_center and peak in (int(np.argmin(th)), int(np.argmax(th))):
        raise InputError("the intensity peaks at the edge of the angles: the centre of the "
                         "cone cannot be fitted; measure both sides of the peak or pass "
                         "fit_center=False for angles from exact backscattering")
    names = ["enhancement", "background"]
    p0 = [e0, a0]
    lo, hi = [1.0, 0.0], [np.inf, np.inf]
    if fixed_kl is None:
        names.append("log_kl")
        p0.append(math.log(kl0))
        lo.append(-np.inf)
        hi.append(np.inf)
    if fit_center:
        names.append("center")
        p0.append(c0)
        lo.append(-np.inf)
        hi.append(np.inf)
    for name, start, fitted in (("log_la", 30.0, absorption is True), ("log_ld", 3.0, cross)):
        if fitted:
            names.append(name)
            p0.append(math.log(start))
            lo.append(math.log(0.05 if name == "log_ld" else 0.5))
            hi.append(math.log(1e6))

    def unpack(p):
        d = dict(zip(names, p))
        kl = fixed_kl if fixed_kl is not None else math.exp(d["log_kl"])
        la = (math.exp(d["log_la"]) if "log_la" in d else fixed_la)
        ld = math.exp(d["log_ld"]) if "log_ld" in d else None
        thick = None if thickness is None else thickness * k / kl
        return kl, d, _mass_length(la, ld), thick

    def model(p):
        kl, d, la, thick = unpack(p)
        return cone_intensity(th, kl=kl, enhancement=d["enhancement"],
                              background=d["background"], center=d.get("center", 0.0),
                              absorption=la, thickness=thick, resolution=res, z0=z0)

    w = 1.0 if sig is None else 1.0 / sig
    p0 = np.clip(p0, np.array(lo) + 1e-9, np.array(hi) - 1e-9)
    starts = [p0]
    if cross:   # the rounding trades against the width: start from a sharp and a round top
        for ld in (0.5, 30.0):
            alt = p0.copy()
            alt[names.index("log_ld")] = math.log(ld)
            starts.append(alt)
    sol = min((least_squares(lambda p: (model(p) - y) * w, x0, bounds=(lo, hi),
                             x_scale="jac", max_nfev=2000) for x0 in starts),
              key=lambda r: r.cost)
    dof = th.size - len(names)
    if dof < 1:
        raise InputError("fewer angles than free parameters; give more angles")
    chi2 = float(np.sum(sol.fun**2))
    red = chi2 / dof
    try:
        cov = np.linalg.inv(sol.jac.T @ sol.jac)
    except np.linalg.LinAlgError:
        cov = np.full((len(names), len(names)), np.nan)
    if sig is None:
        cov = cov * red
    err = dict(zip(names, np.sqrt(np.abs(np.diag(cov)))))
    err.setdefault("log_kl", 0.0)      # held k l: no error of its own
    kl, d, la, _ = unpack(sol.x)
    notes = []
    reliable = bool(sol.success)
    if not sol.success:
        notes.append(f"the optimizer did not converge: {sol.message}")
    # reach of the data around the peak
    centre = d.get("center", 0.0)
    reach = float(np.max(np.abs(th - centre)))
    left = float(cone_lineshape(reach, kl=kl, absorption=la, z0=z0))
    if left > _MIN_REACH:
        need = 1.5 / kl
        raise InputError(f"the cone is not resolved: the data reach {reach * 1e3:.3g} mrad from "
                         f"the peak, where the cone still has {100 * left:.0f}% of its height; "
                         f"measure out to at least {need * 1e3:.2g} mrad")
    inside = int(np.sum(cone_lineshape(th - centre, kl=kl, absorption=la, z0=z0) > 0.5))
    if inside < 3:
        raise InputError(f"only {inside} angle(s) inside the half width of the cone; measure "
                         "with a finer angular step around the peak")
    par = {"kl": Estimate(kl, kl * err["log_kl"], "1", fixed=fixed_kl is not None),
           "enhancement": Estimate(d["enhancement"], err["enhancement"], "1"),
           "background": Estimate(d["background"], err["background"], "intensity")}
    par["center"] = (Estimate(d["center"], err["center"], "rad") if fit_center
                     else Estimate(0.0, math.nan, "rad", fixed=True))
    if absorption is True:
        par["absorption"] = Estimate(la, la * err["log_la"], "1")
        if la > 1e5:
            notes.append("no measurable absorption (L_a at the upper bound)")
    else:
        par["absorption"] = Estimate(math.inf if fixed_la is None else fixed_la, math.nan,
                                     "1", fixed=True)
    if absorption is False:
        notes.append("fitted without absorption (absorption=False): no absorption length in "
                     "the model; absorption and absorption_length are reported as infinite "
                     "(null in JSON)")
    cov_kl_ld = 0.0
    if cross and fixed_kl is None:
        i, j = names.index("log_kl"), names.index("log_ld")
        cov_kl_ld = float(cov[i, j])
        corr = cov_kl_ld / math.sqrt(abs(cov[i, i] * cov[j, j])) if cov[i, i] * cov[j, j] \
            else math.nan
        rel_kl = err["log_kl"]
        if not rel_kl < 0.2:
            reliable = False
            notes.append(f"k l_tr is poorly determined by this cross-channel cone (relative "
                         f"error {rel_kl:.2g}, correlation with L_d {corr:.2f}): the rounding "
                         "trades against the width; hold k l_tr at the co channel's value "
                         "(kl=...)")
        notes.append("k l_tr from a cross-channel cone alone rests on the one-mass model of "
                     "its rounded top; hold it at the co channel's value (kl=...) when you "
                     "have that channel")
    if cross:
        ld = math.exp(d["log_ld"])
        par["depolarization"] = Estimate(ld, ld * err["log_ld"], "1")
        if ld > 1e5:
            notes.append("no rounding of the cross-channel cone (L_d at the upper bound): "
                         "is this the co channel?")
    if k is not None:
        l_tr = kl / k
        par["l_tr"] = Estimate(l_tr, l_tr * err["log_kl"], "m", fixed=fixed_kl is not None)
        a = par["absorption"]
        rel = math.hypot(err["log_kl"], a.stderr / a.value) if np.isfinite(a.stderr) else \
            err["log_kl"]
        par["absorption_length"] = Estimate(a.value * l_tr, a.value * l_tr * rel, "m",
                                            fixed=a.fixed)
        if cross:
            dp = par["depolarization"]
            # L_d = (L_d/l_tr)(k l_tr)/k: both logs fitted together, their covariance counts
            rel = math.sqrt(max(err["log_kl"]**2 + err["log_ld"]**2 + 2 * cov_kl_ld, 0.0))
            par["depolarization_length"] = Estimate(dp.value * l_tr, dp.value * l_tr * rel,
                                                    "m")
    if res > 0 and res * kl > 0.5:
        notes.append("the resolution is comparable to the cone width: k l_tr and E correlate "
                     "strongly with it; check the resolution")
    if cross and d["enhancement"] > 1.9:
        notes.append(f"enhancement {d['enhancement']:.3g} in the cross channel: a "
                     "helicity-flip or perpendicular cone stays well below 2; is this the co "
                     "channel (channel='co')?")
    if d["enhancement"] > 2.05:
        reliable = False
        notes.append("enhancement above 2: check the background subtraction")
    inputs = {"wavelength_m": wavelength, "resolution_rad": res, "thickness_m": thickness,
              "z0": z0, "absorption": ("fitted" if absorption is True else
                                       "none" if absorption is False else "fixed"),
              "channel": channel, "kl_mode": "fitted" if fixed_kl is None else "fixed"}
    return ConeResult(parameters=par, reduced_chi2=red, points=int(th.size), dof=dof,
                      angles=th, data=y, best_fit=model(sol.x), inputs=inputs,
                      reliable=reliable, notes=tuple(notes))
