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

One channel per call: fit each polarization channel (helicity preserving or flipping,
parallel or crossed linear) separately; their ``kl`` agree while E differs.
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

__all__ = ["ConeResult", "fit_cone"]

_MIN_REACH = 0.35  # the data must reach angles where the coherent part is below 35 %


@dataclass(frozen=True)
class ConeResult:
    """Outcome of :func:`fit_cone`.

    Attributes
    ----------
    parameters : dict
        ``kl`` (1), ``enhancement`` (1), ``background`` (intensity unit), ``center`` (rad),
        ``absorption`` (:math:`L_a/l_{\\rm tr}`, 1; inf when switched off), and with the
        wavelength ``l_tr`` and ``absorption_length`` (m), each an :class:`Estimate`.
    reduced_chi2 : float
        Weighted residual sum per degree of freedom (residual variance without errors).
    points, dof : int
    angles, data, best_fit : ndarray
        Angles (rad), measured and fitted intensities.
    inputs : dict
        wavelength_m, resolution_rad, thickness_m, z0, absorption mode.
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
             absorption=True, thickness=None, z0=Z0_MILNE, fit_center=True) -> ConeResult:
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
    fixed_la = None
    if absorption is not True and absorption is not False:
        fixed_la = float(v.positive("absorption", absorption))
    c0, a0, e0, kl0 = _guess(th, y)
    peak = int(np.argmax(y))
    if fit_center and peak in (int(np.argmin(th)), int(np.argmax(th))):
        raise InputError("the intensity peaks at the edge of the angles: the centre of the "
                         "cone cannot be fitted; measure both sides of the peak or pass "
                         "fit_center=False for angles from exact backscattering")
    names = ["log_kl", "enhancement", "background"]
    p0 = [math.log(kl0), e0, a0]
    if fit_center:
        names.append("center")
        p0.append(c0)
    if absorption is True:
        names.append("log_la")
        p0.append(math.log(30.0))

    def unpack(p):
        d = dict(zip(names, p))
        kl = math.exp(d["log_kl"])
        la = (math.exp(d["log_la"]) if "log_la" in d else fixed_la)
        thick = None if thickness is None else thickness * k / kl
        return kl, d, la, thick

    def model(p):
        kl, d, la, thick = unpack(p)
        return cone_intensity(th, kl=kl, enhancement=d["enhancement"],
                              background=d["background"], center=d.get("center", 0.0),
                              absorption=la, thickness=thick, resolution=res, z0=z0)

    w = 1.0 if sig is None else 1.0 / sig
    lo = [-np.inf, 1.0, 0.0] + ([-np.inf] if fit_center else []) + \
        ([math.log(0.5)] if absorption is True else [])
    hi = [np.inf, np.inf, np.inf] + ([np.inf] if fit_center else []) + \
        ([math.log(1e6)] if absorption is True else [])
    p0 = np.clip(p0, np.array(lo) + 1e-9, np.array(hi) - 1e-9)
    sol = least_squares(lambda p: (model(p) - y) * w, p0, bounds=(lo, hi), x_scale="jac",
                        max_nfev=2000)
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
    par = {"kl": Estimate(kl, kl * err["log_kl"], "1"),
           "enhancement": Estimate(d["enhancement"], err["enhancement"], "1"),
           "background": Estimate(d["background"], err["background"], "intensity")}
    par["center"] = (Estimate(d["center"], err["center"], "rad") if fit_center
                     else Estimate(0.0, math.nan, "rad", fixed=True))
    if absorption is True:
        par["absorption"] = Estimate(la, la * err["log_la"], "1")
        if la > 1e5:
            notes.append("no measurable absorption (L_a at the upper bound)")
    else:
        par["absorption"] = Estimate(math.inf if la is None else la, math.nan, "1", fixed=True)
    if k is not None:
        l_tr = kl / k
        par["l_tr"] = Estimate(l_tr, l_tr * err["log_kl"], "m")
        a = par["absorption"]
        rel = math.hypot(err["log_kl"], a.stderr / a.value) if np.isfinite(a.stderr) else \
            err["log_kl"]
        par["absorption_length"] = Estimate(a.value * l_tr, a.value * l_tr * rel, "m",
                                            fixed=a.fixed)
    if res > 0 and res * kl > 0.5:
        notes.append("the resolution is comparable to the cone width: k l_tr and E correlate "
                     "strongly with it; check the resolution")
    if d["enhancement"] > 2.05:
        reliable = False
        notes.append("enhancement above 2: check the background subtraction")
    inputs = {"wavelength_m": wavelength, "resolution_rad": res, "thickness_m": thickness,
              "z0": z0, "absorption": ("fitted" if absorption is True else
                                       "none" if absorption is False else "fixed")}
    return ConeResult(parameters=par, reduced_chi2=red, points=int(th.size), dof=dof,
                      angles=th, data=y, best_fit=model(sol.x), inputs=inputs,
                      reliable=reliable, notes=tuple(notes))
