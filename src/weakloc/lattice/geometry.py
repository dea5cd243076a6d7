"""Geometries: the sites of one slice and the bonds inside it and to the next slice.

A sample is a stack of identical slices along the transport direction x. A
:class:`SliceGeometry` holds, for one slice, the site positions and two bond lists:

* transverse bonds ``frm -> to`` inside the slice, grouped in families (on the square
  lattice: the y bonds, then the z bonds), each with its displacement vector;
* x bonds from site ``frm`` of slice ``x`` to site ``to`` of slice ``x + 1``.

Lattice units: positions in lattice constants ``a`` (square, cubic). :func:`strip` builds
the square strip and the cubic bar with hard or periodic transverse boundaries, the site
index in a slice being ``y * M2 + z``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError

__all__ = ["SliceGeometry", "strip", "BOUNDARIES"]

#: transverse boundaries of a strip or bar: hard walls or periodic (a cylinder or torus)
BOUNDARIES = ("hard", "periodic")


@dataclass(frozen=True, eq=False)
class SliceGeometry:
    """Sites and bonds of one slice (see the module docstring).

    Attributes
    ----------
    positions : ndarray, shape (S, 3)
        Site positions ``(x, y, z)`` in slice 0, lattice units.
    period : float
        Length of a slice along x (the x-offset between consecutive slices).
    families : tuple of (frm, to, displacement)
        Transverse bond families; ``frm``, ``to`` index arrays (nb,), ``displacement``
        (nb, 3), the minimum-image vector from ``frm`` to ``to``.
    x_frm, x_to : ndarray
        x bonds: site ``x_frm[k]`` of slice x to site ``x_to[k]`` of slice x + 1.
    x_displacement : ndarray, shape (nx, 3)
    onsite_shape : tuple of int
        Shape in which the onsite energies of one slice are drawn and given.
    cell_area : float
        Area of the cell the flux refers to (1: a square plaquette).
    """

    positions: np.ndarray
    period: float
    families: tuple
    x_frm: np.ndarray
    x_to: np.ndarray
    x_displacement: np.ndarray
    onsite_shape: tuple
    cell_area: float = 1.0
    name: str = field(default="")
    #: transverse period (periodic boundaries; bonds across it are minimum images), or None
    transverse_period: float | None = None

    @property
    def sites(self) -> int:
        """Sites per slice."""
        return int(self.positions.shape[0])

    @property
    def x_diagonal(self) -> bool:
        """Every x bond joins a site to the same site of the next slice (the kernels' form)."""
        return np.array_equal(self.x_frm, self.x_to) and np.unique(self.x_frm).size == \
            self.x_frm.size

    @property
    def x_complete(self) -> bool:
        """Every site has its x bond (``V_x`` invertible: what the transfer matrices need)."""
        return self.x_diagonal and self.x_frm.size == self.sites

    def transverse(self):
        """All transverse bonds: ``frm``, ``to`` (int64) and ``displacement``, families in order."""
        if not self.families:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros((0, 3))
        frm = np.concatenate([f[0] for f in self.families]).astype(np.int64)
        to = np.concatenate([f[1] for f in self.families]).astype(np.int64)
        disp = np.concatenate([f[2] for f in self.families])
        return frm, to, disp


def _axis_bonds(m: int, m2: int, axis: int, boundary: str):
    """Transverse bonds along y (axis 0) or z (axis 1) of an ``m x m2`` cross-section."""
    y, z = np.meshgrid(np.arange(m), np.arange(m2), indexing="ij")
    size = m if axis == 0 else m2
    coord = y if axis == 0 else z
    keep = coord < size - 1 if boundary == "hard" else np.ones_like(coord, bool)
    if size == 1:
        keep = np.zeros_like(coord, bool)
    ny = (y + 1) % m if axis == 0 else y
    nz = z if axis == 0 else (z + 1) % m2
    frm = (y * m2 + z)[keep]
    to = (ny * m2 + nz)[keep]
    disp = np.zeros((frm.size, 3))
    disp[:, 1 + axis] = 1.0
    return frm, to, disp


def strip(width: int, height: int = 1, boundary: str = "hard") -> SliceGeometry:
    """Square strip (``height == 1``) or cubic bar cross-section, lattice constant 1.

    Parameters
    ----------
    width, height : int
        Sites along y and z.
    boundary : {'hard', 'periodic'}
        Transverse boundaries; periodic needs ``width >= 3`` (and ``height >= 3`` if > 1).
    """
    m = v.positive_int("width", width)
    m2 = v.positive_int("height", height)
    v.choice("boundary", boundary, BOUNDARIES)
    if boundary == "periodic" and (m < 3 or (m2 > 1 and m2 < 3)):
        raise InputError("periodic transverse boundaries need width (and height) >= 3; "
                         "use boundary='hard' for narrower systems")
    y, z = np.meshgrid(np.arange(m), np.arange(m2), indexing="ij")
    pos = np.stack([np.zeros(m * m2), y.ravel().astype(float), z.ravel().astype(float)], 1)
    fams = tuple(_axis_bonds(m, m2, axis, boundary) for axis in (0, 1))
    idx = np.arange(m * m2)
    disp = np.zeros((idx.size, 3))
    disp[:, 0] = 1.0
    return SliceGeometry(positions=pos, period=1.0, families=fams, x_frm=idx, x_to=idx,
                         x_displacement=disp, onsite_shape=(m, m2), cell_area=1.0,
                         name="square" if m2 == 1 else "cubic",
                         transverse_period=float(m) if boundary == "periodic" else None)
