r"""Onsite disorder as objects: the random energy ``eps_i`` of every site.

A disorder model draws the onsite energies of ``count`` consecutive slices from the
realization's stream in one call, filling the array in C order (slice, then site), so a
slice-by-slice draw and a chunked draw give the same numbers.

* :class:`BoxDisorder`: ``eps`` uniform in ``[-W/2, W/2]`` (Anderson, Phys. Rev. 109, 1492
  (1958)); variance ``W^2/12``.
* :class:`GaussianDisorder`: ``eps`` normal with standard deviation ``W/sqrt(12)``, the
  variance of the box of the same ``W``.

``W`` is in units of the hopping ``t``.

Spatially correlated models need the site positions of the whole sample
(:meth:`CorrelatedGaussian.sample`, :meth:`Speckle.sample`): a realization computes them
once, in lattice units (2D and 3D samples alike).

* :class:`CorrelatedGaussian`: a Gaussian random field, standard deviation ``W/sqrt(12)``
  and covariance ``<eps(r) eps(r')> = (W^2/12) exp(-|r - r'|^2 / (2 xi^2))`` (a smooth
  potential for ``xi`` of a few lattice constants; on the honeycomb lattice it hardly
  scatters between the valleys, Ando and Nakanishi, JPSJ 67, 1704 (1998); McCann et al.,
  PRL 97, 146805 (2006));
* :class:`Speckle`: an optical speckle potential ``V(r) = V0 (I(r)/<I> - 1)``, the intensity
  ``I = |E|^2`` of a complex Gaussian field, so ``I/<I>`` is exponentially distributed
  (``V0 > 0`` blue-detuned, ``< 0`` red-detuned) with the intensity covariance
  ``<dI dI'>/<I>^2 = exp(-|r - r'|^2 / (2 xi^2))`` of a Gaussian pupil (Goodman, *Speckle
  Phenomena in Optics* (2007); the cold-atom experiments, e.g. Jendrzejewski et al., PRL
  109, 195302 (2012)).

Both take a ``taper`` length ``lambda`` (lattice units, default 0: none). A sample open
along x (between leads) then has its potential multiplied by the window

.. math::

    w(x) = \sin^2\Big(\frac{\pi}{2}\min\big(1, d(x)/\lambda\big)\Big),
    \qquad d(x) = \min(x - x_{\min},\ x_{\max} - x),

which rises smoothly from 0 at the first and last slice (the interfaces with the clean
leads) to 1 at a distance ``lambda`` from them. A potential switched on abruptly at an
interface is a step, and a step scatters between the graphene valleys however smooth the
potential is inside; with ``lambda`` of a few ``xi`` the sample's ends do not (McCann et al.,
PRL 97, 146805 (2006), need intervalley scattering to be absent for antilocalization). The
window is applied to the potential, so a speckle's mean stays zero but its distribution near
the ends is narrower. Along a periodic x (a torus) there are no ends and the taper is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError

__all__ = ["Disorder", "BoxDisorder", "GaussianDisorder", "CorrelatedGaussian", "Speckle",
           "gaussian_field", "onsite_disorder", "DISORDER_KINDS"]

#: the disorder distributions ``Lattice(disorder_kind=...)`` accepts by name
DISORDER_KINDS = ("box", "gaussian", "speckle")


class Disorder:
    """Interface: ``strength`` ``W`` (units of t) and :meth:`draw` (uncorrelated models) or
    ``sample`` (``correlated = True``: a function of the positions)."""

    strength: float = 0.0
    correlated: bool = False

    def draw(self, rng: np.random.Generator, shape) -> np.ndarray:
        """Onsite energies of shape ``shape`` (units of t), drawn in C order."""
        raise NotImplementedError


@dataclass(frozen=True)
class BoxDisorder(Disorder):
    """Uniform in ``[-W/2, W/2]``; ``strength`` is ``W`` in units of t."""

    strength: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "strength", float(v.nonnegative("disorder", self.strength)))

    def draw(self, rng, shape) -> np.ndarray:
        w = self.strength
        return rng.uniform(-0.5 * w, 0.5 * w, size=shape)


@dataclass(frozen=True)
class GaussianDisorder(Disorder):
    """Normal, standard deviation ``W/sqrt(12)``; ``strength`` is ``W`` in units of t."""

    strength: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "strength", float(v.nonnegative("disorder", self.strength)))

    def draw(self, rng, shape) -> np.ndarray:
        return rng.normal(0.0, self.strength / np.sqrt(12.0), size=shape)


def gaussian_field(rng: np.random.Generator, positions, xi: float, periods=(None, None),
                   count: int = 1) -> np.ndarray:
    r"""Unit-variance Gaussian random fields at 2D or 3D positions, covariance
    ``exp(-r^2/(2 xi^2))``.

    .. math::

        f(r_i) = c_i \sum_g w_g\, e^{-|r_i - R_g|^2/\xi^2}, \qquad
        c_i = \Big(\sum_g e^{-2|r_i - R_g|^2/\xi^2}\Big)^{-1/2},

    with ``w_g`` independent standard normal numbers on a square (cubic) grid ``R_g`` of
    spacing at most ``min(xi, 1)/2`` covering the positions plus a margin of ``4 xi`` (one
    period, with minimum-image distances, along a periodic direction). The Gaussian kernel
    convolved with itself gives the covariance above in any dimension; ``c_i`` makes every
    variance 1. The kernel factorizes over the axes, so the field is a product of one
    small matrix per axis with the grid noise.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of the grid noise (``count`` grids, drawn in one call).
    positions : array_like, shape (N, d)
        Positions in lattice units, d = 2 or 3.
    xi : float
        Correlation length, same unit (> 0).
    periods : tuple of (float or None), one per axis
        Period along x, y (and z) (None: open). Only the first d are read, so a 2D call
        may pass ``(px, py)``.
    count : int
        Independent fields to return.

    Returns
    -------
    ndarray, shape (count, N)
    """
    pos = np.asarray(positions, dtype=float)
    if pos.ndim != 2 or pos.shape[1] not in (2, 3):
        raise InputError(f"positions must have shape (N, 2) or (N, 3), got {pos.shape}")
    dim = pos.shape[1]
    periods = tuple(periods) + (None,) * (dim - len(tuple(periods)))
    xi = float(v.positive("correlation", xi))
    h = min(0.5 * xi, 0.5)
    factors, index = [], []
    for axis in range(dim):
        coords, inv = np.unique(np.round(pos[:, axis], 9), return_inverse=True)
        index.append(np.asarray(inv).ravel())
        per = periods[axis]
        if per is None:
            lo, hi = coords.min() - 4 * xi, coords.max() + 4 * xi
            ng = int(np.ceil((hi - lo) / h)) + 1
            grid = lo + (hi - lo) * np.arange(ng) / max(ng - 1, 1)
            d = coords[:, None] - grid[None, :]
        else:
            ng = int(np.ceil(per / h))
            grid = per * np.arange(ng) / ng
            d = coords[:, None] - grid[None, :]
            d -= per * np.round(d / per)
        factors.append(np.exp(-(d / xi) ** 2))
    w = rng.standard_normal((count,) + tuple(k.shape[1] for k in factors))
    sq = [(k ** 2).sum(1) for k in factors]
    if dim == 2:
        kx, ky = factors
        # separable: F[a, b] = sum_gh Kx[a, g] w[g, h] Ky[b, h] on the distinct coordinates
        field = kx[None] @ w @ ky.T[None]
        norm = 1.0 / np.sqrt(np.outer(*sq))
        return (field * norm[None])[:, index[0], index[1]]
    kx, ky, kz = factors
    # F[a, b, c] = sum_ghk Kx[a, g] Ky[b, h] Kz[c, k] w[g, h, k], one axis at a time
    field = np.einsum("nghk,ck->nghc", w, kz, optimize=True)
    field = np.einsum("nghc,bh->ngbc", field, ky, optimize=True)
    field = np.einsum("ngbc,ag->nabc", field, kx, optimize=True)
    norm = 1.0 / np.sqrt(sq[0][:, None, None] * sq[1][None, :, None] * sq[2][None, None, :])
    return (field * norm[None])[:, index[0], index[1], index[2]]


class _Correlated(Disorder):
    """Shared validation of the correlated models: ``strength``, ``correlation`` > 0 and
    ``taper`` >= 0; the taper window (see the module docstring)."""

    correlated = True
    signed = False   # whether a negative strength means something

    def __post_init__(self):
        check = v.finite_array if self.signed else v.nonnegative
        object.__setattr__(self, "strength", float(check("disorder", self.strength)))
        object.__setattr__(self, "correlation",
                           float(v.positive("correlation", self.correlation)))
        object.__setattr__(self, "taper", float(v.nonnegative("taper", self.taper)))

    def window(self, positions, periods=(None, None)) -> np.ndarray:
        """The taper ``w(x)`` at ``positions`` (N, d): 1 everywhere without a taper or
        along a periodic x, else ``sin^2(pi/2 min(1, d(x)/taper))``."""
        x = np.asarray(positions, dtype=float)[:, 0]
        if not self.taper > 0 or tuple(periods)[0] is not None:
            return np.ones_like(x)
        d = np.minimum(x - x.min(), x.max() - x)
        return np.sin(0.5 * np.pi * np.minimum(1.0, d / self.taper)) ** 2


@dataclass(frozen=True)
class CorrelatedGaussian(_Correlated):
    """Smooth Gaussian disorder: std ``W/sqrt(12)``, correlation length ``xi`` (lattice units)."""

    strength: float = 0.0
    correlation: float = 1.0
    taper: float = 0.0

    def sample(self, rng, positions, periods=(None, None)) -> np.ndarray:
        """Onsite energies (units of t) at ``positions`` (N, 2) or (N, 3)."""
        sigma = self.strength / np.sqrt(12.0)
        field = gaussian_field(rng, positions, self.correlation, periods)[0]
        return sigma * field * self.window(positions, periods)


@dataclass(frozen=True)
class Speckle(_Correlated):
    """Speckle potential ``V0 (I/<I> - 1)``; ``strength`` is ``V0`` (units of t, signed)."""

    strength: float = 0.0
    correlation: float = 1.0
    taper: float = 0.0
    signed = True

    def sample(self, rng, positions, periods=(None, None)) -> np.ndarray:
        """Potential (units of t) at ``positions`` (N, 2) or (N, 3)."""
        # field covariance exp(-r^2 / (4 xi^2)): intensity covariance exp(-r^2 / (2 xi^2))
        re, im = gaussian_field(rng, positions, np.sqrt(2.0) * self.correlation, periods, 2)
        return (self.strength * (0.5 * (re ** 2 + im ** 2) - 1.0)
                * self.window(positions, periods))


def onsite_disorder(kind: str, strength: float, correlation: float = 0.0,
                    taper: float = 0.0) -> Disorder:
    """The disorder object behind the names 'box', 'gaussian' and 'speckle'.

    ``correlation > 0`` makes 'gaussian' the :class:`CorrelatedGaussian`; 'speckle' needs it.
    ``taper > 0`` (lattice units) windows a correlated potential near the leads.
    """
    v.choice("disorder_kind", kind, DISORDER_KINDS)
    taper = float(v.nonnegative("taper", taper))
    if kind == "speckle":
        if not correlation > 0:
            raise InputError("speckle disorder needs a correlation length > 0 (lattice units)")
        return Speckle(strength, correlation, taper)
    if correlation > 0:
        if kind == "box":
            raise InputError("correlated disorder is Gaussian: use disorder_kind='gaussian' "
                             "with correlation > 0, or correlation=0 for box disorder")
        return CorrelatedGaussian(strength, correlation, taper)
    if taper > 0:
        raise InputError("taper windows a correlated potential: give correlation > 0, or "
                         "taper=0 for uncorrelated disorder")
    return BoxDisorder(strength) if kind == "box" else GaussianDisorder(strength)

