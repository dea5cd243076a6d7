r"""The coherent-backscattering cone of diffusive light: Akkermans-Wolf-Maynard line shape
with absorption, a finite slab and the instrument's angular resolution.

In the diffusion approximation the crossed (coherent) intensity at transverse wave vector
:math:`q = k\sin\theta` is the double integral of the diffusion propagator between the
first and last scattering depths, both distributed as :math:`e^{-z/l_{\rm tr}}`:

.. math::

    \alpha_C \propto \int_0^L\!\!\int_0^L dz\,dz'\, e^{-(z + z')/l_{\rm tr}}\,
    \frac{\sinh\kappa(z_< + z_0)\,\sinh\kappa(L + z_0 - z_>)}{\kappa\,\sinh\kappa(L + 2z_0)},
    \qquad \kappa = \sqrt{q^2 + L_a^{-2}},

with extrapolated boundaries at :math:`-z_0` and :math:`L + z_0` (:math:`z_0 = 0.7104\,
l_{\rm tr}`, Milne), slab thickness L and diffusive absorption length :math:`L_a =
\sqrt{D\tau_a} = \sqrt{l_{\rm tr} l_a/3}` (:math:`l_a` the ballistic absorption length).
For the half-space it is, with :math:`x = \kappa l_{\rm tr}`,

.. math::

    P(x) = \frac{1}{(1 + x)^2}\left[1 + \frac{1 - e^{-2 x z_0/l_{\rm tr}}}{x}\right]

(:func:`crossed_profile`; AWM's :math:`\alpha_C = (3/8\pi) P`). The diffuse (ladder)
background equals the crossed term at :math:`q = 0` (reciprocity), so without single
scattering the enhancement is 2 even with absorption, which only rounds the cusp over
:math:`q \lesssim 1/L_a`. A measured cone is

.. math::

    I(\theta) = A\left[1 + (E - 1)\,\frac{P(\kappa(\theta - \theta_0))}{P(\kappa(0))}\right]
    \otimes \mathcal N(0, \sigma_{\rm res}^2),

background A, enhancement E (below 2 with single scattering, stray light or
polarization channels), centre :math:`\theta_0`, Gaussian resolution of standard deviation
:math:`\sigma_{\rm res}`. Arguments are dimensionless: ``kl`` is :math:`k l_{\rm tr}` (k the
wave number in the medium), lengths are in units of :math:`l_{\rm tr}`, angles in rad.

References
----------
Akkermans, Wolf and Maynard, PRL 56, 1471 (1986); van der Mark, van Albada and Lagendijk,
PRB 37, 3575 (1988) (absorption, finite slabs); Akkermans and Montambaux, *Mesoscopic
Physics of Electrons and Photons* (2007), ch. 8.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import exprel

from weakloc import _validate as v
from weakloc.errors import InputError

__all__ = ["Z0_MILNE", "crossed_profile", "cone_lineshape", "cone_intensity"]

#: Extrapolation length of the isotropic Milne problem, in units of l (0.7104 l).
Z0_MILNE = 0.7104460895

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(48)
_DEPTH = 50.0  # sources deeper than 50 l_tr weigh < e^-50


def _slab_profile(x, z0, thickness):
    """2 x double integral for the slab (units of l_tr), by one analytic and one Gauss-
    Legendre integration (the inner integral removes the kink at z = z')."""
    x = np.maximum(np.asarray(x, dtype=float), 1e-12)[..., None]
    top = min(thickness, _DEPTH)
    edges = [0.0, min(top, 5.0), top] if top > 5.0 else [0.0, top]
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        zp = 0.5 * (hi - lo) * _NODES + 0.5 * (hi + lo)
        w = 0.5 * (hi - lo) * _WEIGHTS
        # P(z') = e^{-kappa(z'+z0)} int_0^z' e^{-z} sinh(kappa(z+z0)) dz, overflow-free
        p = 0.5 * (np.exp(-zp) * zp * exprel(-(x - 1.0) * zp)
                   + np.exp(-2 * x * z0) * np.exp(-x * zp) * np.expm1(-(x + 1.0) * zp)
                   / (x + 1.0))
        ratio = np.expm1(-2 * x * (thickness + z0 - zp)) / np.expm1(-2 * x * (thickness
                                                                              + 2 * z0))
        total = total + np.sum(w * np.exp(-zp) * p * ratio / x, axis=-1)
    return 4.0 * total  # 2 (symmetry z <-> z') x 2 (normalization of P)


def crossed_profile(x, *, z0=Z0_MILNE, thickness=None):
    r"""Crossed-intensity profile :math:`P(x)`, :math:`x = \kappa l_{\rm tr}` (dimensionless).

    Half-space: :math:`P(x) = [1 + (1 - e^{-2 x z_0})/x]/(1 + x)^2`, :math:`P(0) = 1 + 2z_0`.
    A slab of ``thickness`` (units of :math:`l_{\rm tr}`) uses the two-boundary propagator of
    the module docstring; it tends to the half-space as the slab thickens.

    Parameters
    ----------
    x : array_like
        :math:`\kappa l_{\rm tr} \ge 0`.
    z0 : float
        Extrapolation length in units of :math:`l_{\rm tr}` (default 0.7104, Milne).
    thickness : float, optional
        Slab thickness in units of :math:`l_{\rm tr}`; None is the half-space.

    Returns
    -------
    ndarray

    References
    ----------
    Akkermans, Wolf and Maynard, PRL 56, 1471 (1986).
    """
    x = v.nonnegative("x", x)
    z0 = float(v.positive("z0", z0))
    if thickness is not None:
        return _slab_profile(x, z0, float(v.positive("thickness", thickness)))
    with np.errstate(invalid="ignore", divide="ignore"):
        br = np.where(x > 1e-12, -np.expm1(-2 * x * z0) / np.where(x > 0, x, 1.0), 2 * z0)
    return (1.0 + br) / (1.0 + x) ** 2


def cone_lineshape(theta, *, kl, absorption=None, thickness=None, z0=Z0_MILNE):
    r"""Coherent part of the cone normalized to 1 at exact backscattering (dimensionless).

    :math:`P(\kappa(\theta) l_{\rm tr})/P(\kappa(0) l_{\rm tr})` with :math:`\kappa l_{\rm tr}
    = \sqrt{(k l_{\rm tr}\sin\theta)^2 + (l_{\rm tr}/L_a)^2}`.

    Parameters
    ----------
    theta : array_like
        Angle from exact backscattering in rad.
    kl : float
        :math:`k l_{\rm tr}` (k in the medium).
    absorption : float, optional
        Diffusive absorption length :math:`L_a/l_{\rm tr}`; None is no absorption.
    thickness : float, optional
        Slab thickness :math:`L/l_{\rm tr}`; None is the half-space.
    z0 : float
        Extrapolation length in units of :math:`l_{\rm tr}`.
    """
    kl = float(v.positive("kl", kl))
    theta = v.finite_array("theta", theta)
    inv_la = 0.0 if absorption is None else 1.0 / float(v.positive("absorption", absorption))
    x = np.sqrt((kl * np.sin(theta)) ** 2 + inv_la**2)
    prof = crossed_profile(np.append(x.ravel(), inv_la), z0=z0, thickness=thickness)
    return (prof[:-1] / prof[-1]).reshape(x.shape)


def cone_intensity(theta, *, kl, enhancement, background=1.0, center=0.0, absorption=None,
                   thickness=None, resolution=0.0, z0=Z0_MILNE):
    r"""Measured cone :math:`I(\theta)` (module docstring), in the unit of ``background``.

    Parameters
    ----------
    theta : array_like
        Detector angle in rad.
    kl, absorption, thickness, z0
        As :func:`cone_lineshape`.
    enhancement : float
        Peak over background before the resolution convolution (1 <= E, 2 ideal).
    background : float
        Incoherent level A (any intensity unit).
    center : float
        Angle of exact backscattering :math:`\theta_0` in rad.
    resolution : float
        Standard deviation of the Gaussian angular resolution in rad (0: none).

    Returns
    -------
    ndarray
    """
    theta = v.finite_array("theta", theta)
    res = float(v.nonnegative("resolution", resolution))
    e = float(v.finite_array("enhancement", enhancement))
    if res == 0.0:
        shape = cone_lineshape(theta - center, kl=kl, absorption=absorption,
                               thickness=thickness, z0=z0)
    else:
        t = np.linspace(-5.0, 5.0, 201)
        w = np.exp(-0.5 * t**2)
        w /= w.sum()
        grid = (theta - center)[..., None] + res * t
        shape = cone_lineshape(grid, kl=kl, absorption=absorption, thickness=thickness,
                               z0=z0) @ w
    if not math.isfinite(e):  # pragma: no cover - guarded by finite_array
        raise InputError("enhancement must be finite")
    return background * (1.0 + (e - 1.0) * shape)
