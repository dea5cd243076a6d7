r"""Coherent backscattering of polarized light by point-dipole (Rayleigh) scatterers.

The vector twin of :mod:`weakloc.montecarlo.cbs`. Each scatterer is a point dipole: the
field it radiates in direction :math:`\hat u` is the part of the exciting field transverse
to :math:`\hat u`, :math:`P(\hat u) = 1 - \hat u\hat u^{T}`, with the dipole phase function
:math:`3|P(\hat u)\hat e|^2/(8\pi)` per steradian (scattering mean free path :math:`l`;
:math:`\langle\cos\theta\rangle = 0`, so :math:`l_{\rm tr} = l`). A path
:math:`r_1, \dots, r_j` with intermediate directions :math:`\hat u_1, \dots, \hat u_{j-1}`
carries :math:`M = P(\hat u_{j-1})\cdots P(\hat u_1)`; toward a detector with analyzer
:math:`\hat e_f`,

.. math::

    A = \hat e_f^{*}\cdot M\,\hat e_i, \qquad A^{\rm rev} = \hat e_f^{*}\cdot M^{T}\hat e_i,

the second being the time-reversed path (every :math:`P` is symmetric). Ladder
:math:`\propto |A|^2`, crossed :math:`\propto {\rm Re}[A A^{{\rm rev}*}
e^{i(\mathbf k_i+\mathbf k_f)\cdot(\mathbf r_1-\mathbf r_j)}]`, single scattering (j = 1,
:math:`M = 1`) apart. Intensities are per steradian per incident photon (sr^-1), as in
:func:`weakloc.montecarlo.cbs.simulate_cbs`.

Four channels from one run (normal incidence along +z, detectors in the x-z plane):

* ``linear_parallel``: incident :math:`\hat x`, analyzer in the plane (:math:`\hat x` at
  exact backscattering);
* ``linear_perpendicular``: incident :math:`\hat x`, analyzer :math:`\hat y`;
* ``helicity_preserving`` and ``helicity_flip``: incident :math:`(\hat x + i\hat y)/\sqrt2`,
  analyzer of the same or the opposite helicity with respect to its own direction of
  propagation.

What reciprocity fixes exactly at backscattering: in the two channels with
:math:`\hat e_f^{*} = \hat e_i` (linear parallel, helicity preserving) :math:`A = A^{\rm rev}`
for every path, so crossed = ladder and the enhancement without single scattering is 2;
in the other two the partners differ and it is below 2. Single scattering of a dipole
returns the incident polarization: it vanishes in the linear perpendicular and the
helicity-preserving channels, so the helicity-preserving enhancement is 2 in total.

References
----------
van Albada and Lagendijk, PRL 55, 2692 (1985) and Wolf and Maret, PRL 55, 2696 (1985)
(polarization channels of CBS); Akkermans, Wolf, Maynard and Maret, J. Phys. France 49, 77
(1988) (theory of the channels); Mishchenko, PRB 44, 12597 (1991) (the reciprocity relation
between ladder and crossed matrices at backscattering); Amic, Luck and Nieuwenhuizen,
J. Phys. I France 7, 445 (1997) (exact solution for Rayleigh scatterers).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from weakloc import _validate as v
from weakloc._deprecate import renamed_arguments, warn_renamed
from weakloc.errors import InputError
from weakloc.montecarlo.cbs import check_run_time, cone_fwhm, run_time_estimate

__all__ = ["PolarizedCBSResult", "simulate_polarized_cbs", "CHANNELS"]

#: Channel names, the order of the channel axis (see the module docstring).
CHANNELS = ("linear_parallel", "linear_perpendicular", "helicity_preserving",
            "helicity_flip")


@dataclasses.dataclass(frozen=True)
class PolarizedCBSResult:
    r"""Polarized backscattering cone of :func:`simulate_polarized_cbs`.

    Attributes
    ----------
    params : dict
        Inputs and the root seed.
    angles_rad : ndarray
        Detector angles from exact backscattering (rad), in the x-z plane.
    channels : tuple of str
        Channel names, the order of the first axis of the intensity arrays.
    single, ladder, crossed : ndarray, shape (4, n_angles)
        Intensities in sr^-1 per incident photon, per channel and angle.
    single_stderr, ladder_stderr, crossed_stderr : ndarray
        Their standard errors.
    enhancement_with_single, enhancement_without_single : dict
        Per channel, (single + ladder + crossed)/(single + ladder) and
        (ladder + crossed)/ladder at exact backscattering.
    enhancement_stderr : dict
        Jackknife (over photon blocks) standard error of ``enhancement_with_single``.
    fwhm_rad : dict
        Full width at half maximum of each channel's crossed cone (rad; NaN if the angles
        do not reach half maximum).
    reflected, transmitted, truncated : float
        Photon fractions.
    events : int
        Scattering events simulated.
    """

    params: dict
    angles_rad: np.ndarray
    channels: tuple
    single: np.ndarray
    ladder: np.ndarray
    crossed: np.ndarray
    single_stderr: np.ndarray
    ladder_stderr: np.ndarray
    crossed_stderr: np.ndarray
    enhancement_with_single: dict
    enhancement_without_single: dict
    enhancement_stderr: dict
    fwhm_rad: dict
    reflected: float
    transmitted: float
    truncated: float
    events: int

    def to_dict(self) -> dict:
        """Deprecated name of :meth:`as_dict`."""
        warn_renamed("PolarizedCBSResult.to_dict()", "as_dict()")
        return self.as_dict()

    def as_dict(self) -> dict:
        """JSON-ready dictionary (lists, per-channel mappings)."""
        out = {"params": self.params, "angles_rad": self.angles_rad.tolist(),
               "intensity_unit": "sr^-1 per incident photon"}
        for name in ("single", "ladder", "crossed"):
            arr, err = getattr(self, name), getattr(self, name + "_stderr")
            out[name] = {c: arr[i].tolist() for i, c in enumerate(self.channels)}
            out[name + "_stderr"] = {c: err[i].tolist() for i, c in enumerate(self.channels)}
        out["enhancement"] = {c: {"with_single": self.enhancement_with_single[c],
                                  "without_single": self.enhancement_without_single[c],
                                  "stderr": self.enhancement_stderr[c]}
                              for c in self.channels}
        out["fwhm_rad"] = dict(self.fwhm_rad)
        out["fractions"] = {"reflected": self.reflected, "transmitted": self.transmitted,
                            "truncated": self.truncated}
        out["events"] = self.events
        return out


@renamed_arguments(photons="samples")
def simulate_polarized_cbs(kl=20.0, *, samples=50000, mean_free_path=1e-6, thickness=None,
                           angles=None, max_orders=20000, seed=None,
                           progress=None, force=False) -> PolarizedCBSResult:
    r"""Monte Carlo CBS cone of polarized light from point dipoles, four channels at once.

    Parameters
    ----------
    kl : float
        :math:`k l`, wave number times scattering mean free path (> 0).
    samples : int
        Number of photon paths (>= 2; formerly ``photons``).
    mean_free_path : float
        Scattering mean free path l in m (sets the length scale only).
    thickness : float, optional
        Slab thickness in m; default semi-infinite.
    angles : array_like, optional
        Detector angles from exact backscattering in rad (increasing, >= 0, < 90 deg);
        default 61 values in :math:`[0, 3/(k l)]`.
    max_orders : int
        Paths are stopped after this many scattering events (fraction in ``truncated``).
    seed : int, SeedSequence or Generator, optional
        Root of the per-photon streams (recorded).
    progress : bool, optional
        progress on stderr by the package rule (:mod:`weakloc.progress`): None (default)
        a bar on a terminal and log lines otherwise, False nothing.
    force : bool
        Run even when :func:`~weakloc.montecarlo.cbs.run_time_estimate` says it would take
        over an hour (:data:`weakloc.resources.TIME_LIMIT`); without it such a run is
        refused up front (:class:`~weakloc.errors.ResourceError`, with the estimate). A run
        of over a minute is announced on stderr unless ``progress=False``.

    Returns
    -------
    PolarizedCBSResult
        Single, ladder and crossed intensity (sr^-1 per incident photon) per channel.

    Notes
    -----
    Directions are drawn from the dipole phase function summed over both input
    polarizations of the path's current matrix (see :mod:`._polkernel`), so every path has
    the same weight; normal incidence only.
    """
    from weakloc.montecarlo._blocks import block_mean, jackknife, run_blocks
    from weakloc.montecarlo._polkernel import polarized_blocks
    from weakloc.montecarlo._rng import walker_keys

    kl = float(v.positive("kl", kl))
    photons = v.positive_int("samples", samples, minimum=2)
    l_m = float(v.positive("mean_free_path", mean_free_path, "m"))
    if thickness is not None:
        thickness = float(v.positive("thickness", thickness, "m"))
    max_orders = v.positive_int("max_orders", max_orders, minimum=2)
    if angles is None:
        angles = np.linspace(0.0, 3.0 / kl, 61)
    ang = v.finite_array("angles", angles)
    if (ang.ndim != 1 or np.any(ang < 0) or np.any(ang >= math.pi / 2)
            or np.any(np.diff(ang) <= 0)):
        raise InputError("angles must be increasing, in rad, in [0, pi/2) (polarized CBS "
                         "runs at normal incidence; the cone is symmetric in the angle)")
    dets = np.stack([-np.sin(ang), np.zeros_like(ang), -np.cos(ang)], axis=1)
    thick_l = math.inf if thickness is None else thickness / l_m
    check_run_time(run_time_estimate(photons, dets.shape[0], max_orders=max_orders,
                                     thickness_l=thick_l, polarized=True),
                   photons, force, progress, what="a polarized CBS run")

    keys, root = walker_keys(seed, photons)
    (S1, S2, L1, L2, X1, X2, stats), counts = run_blocks(
        polarized_blocks, keys, (dets, kl, thick_l, max_orders), desc="polarized photons",
        progress=progress)
    n = float(photons)

    single, single_se = block_mean(S1, S2, n)
    ladder, ladder_se = block_mean(L1, L2, n)
    crossed, crossed_se = block_mean(X1, X2, n)
    i0 = int(np.argmin(ang))
    e_with, e_without, e_se, fwhm = {}, {}, {}, {}
    for c, name in enumerate(CHANNELS):
        s0, l0, x0 = single[c, i0], ladder[c, i0], crossed[c, i0]
        e_with[name] = float((s0 + l0 + x0) / (s0 + l0))
        e_without[name] = float((l0 + x0) / l0)
        e_se[name] = jackknife(lambda s_, l_, x_: (s_ + l_ + x_) / (s_ + l_),
                               (S1[:, c, i0], L1[:, c, i0], X1[:, c, i0]), counts)
        fwhm[name] = float(cone_fwhm(ang, crossed[c]))
    st = stats.sum(0)
    params = {"kl": kl, "samples": photons, "mean_free_path_m": l_m,
              "thickness_m": thickness, "max_orders": max_orders, "seed": root,
              "scatterers": "point dipoles (Rayleigh)", "incidence": "normal"}
    return PolarizedCBSResult(
        params=params, angles_rad=ang, channels=CHANNELS, single=single, ladder=ladder,
        crossed=crossed, single_stderr=single_se, ladder_stderr=ladder_se,
        crossed_stderr=crossed_se, enhancement_with_single=e_with,
        enhancement_without_single=e_without, enhancement_stderr=e_se, fwhm_rad=fwhm,
        reflected=float(st[1] / n), transmitted=float(st[2] / n),
        truncated=float(st[3] / n), events=int(st[0]))
