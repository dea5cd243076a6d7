r"""The honeycomb lattice (graphene) as a stack of slices: zigzag and armchair ribbons.

Conventions (so results compare with other codes): nearest-neighbour distance
``a_cc = 1``, hopping ``-t`` with ``t = 1``, transport along x, flux ``phi`` through one
hexagon (area ``3 sqrt(3)/2``) in units of ``h/e``.

* **zigzag** (zigzag edges parallel to x): ``width = N`` zigzag chains ``j = 0..N-1``; site
  ``(c, j)`` at ``x = c sqrt(3)/2``, ``y = 3j/2 + (1/2 if c + j is odd)``; chain bonds join
  ``(c, j)`` to ``(c + 1, j)``, vertical bonds ``(c, j)`` to ``(c, j + 1)`` when ``c + j``
  is odd. A slice is one period ``sqrt(3)`` along x: columns ``c = 2k, 2k + 1``, ``2N``
  sites.
* **armchair** (armchair edges parallel to x): ``width = N`` dimer lines (rows
  ``r = 0..N-1`` at ``y = r sqrt(3)/2``); odd rows hold sites at ``x = 0, -1`` and even rows
  at ``x = 0.5, 1.5`` (mod 3), horizontal bonds inside a row, 60-degree bonds between rows. A
  slice is one period 3 along x with ``2N`` sites; the ribbon is metallic exactly for
  ``N = 3m + 2`` (Brey and Fertig, PRB 73, 235411 (2006)).

The engines see each slice as two *layers* of ``N`` sites, ordered by chain (zigzag:
the columns ``c = 2k`` and ``2k + 1``) or by row (armchair: ``{odd rows at x = 3k, even rows
at 3k + 1/2}`` and ``{even rows at 3k + 3/2, odd rows at 3k + 2}``), so that every bond to
the next layer joins a site to the site of the same index, the form the recursive Green's
function sweep consumes. The site order of a slice (what ``weakloc sites`` prints and what
``--onsite`` arrays follow) is layer 0, then layer 1, each by chain or row index.

Periodic transverse boundaries (``boundary='periodic'``, edgeless graphene) need ``N`` even.
"""

from __future__ import annotations

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.lattice.geometry import SliceGeometry

__all__ = ["honeycomb_layers", "graphene_dos", "landau_levels", "HEXAGON_AREA", "FERMI_VELOCITY",
           "EDGES"]

#: area of one hexagon for a_cc = 1
HEXAGON_AREA = 1.5 * np.sqrt(3.0)
#: ribbon edges along the transport direction x
EDGES = ("zigzag", "armchair")
#: Dirac velocity hbar v_F = 3 t a_cc / 2 in units of t a_cc (Wallace, Phys. Rev. 71, 622 (1947))
FERMI_VELOCITY = 1.5


def graphene_dos(energy) -> np.ndarray:
    r"""Density of states of clean graphene (nearest-neighbour honeycomb lattice), per spin.

    The Hobson-Nierenberg closed form (Phys. Rev. 89, 662 (1953); as written by Castro Neto
    et al., Rev. Mod. Phys. 81, 109 (2009), Eq. (14), which counts both spins per unit
    cell), here per unit area and per spin:

    .. math::

        \rho(E) = \frac{1}{2A_c}\,\frac{4}{\pi^2}\frac{|E|}{t^2}\frac{1}{\sqrt{Z_0}}
                  K\!\left(\frac{Z_1}{Z_0}\right),
        \qquad
        q = (1 + |\epsilon|)^2 - \frac{(\epsilon^2 - 1)^2}{4},\ \epsilon = E/t,

    ``(Z_0, Z_1) = (q, 4|eps|)`` for ``|E| <= t`` and ``(4|eps|, q)`` for
    ``t <= |E| <= 3t``, ``K(m)`` the complete elliptic integral of the first kind
    (parameter ``m``), ``A_c = 3 sqrt(3)/2`` the cell area. Near the Dirac point
    ``rho = |E|/(pi (hbar v_F)^2)`` with ``hbar v_F = 3 t a_cc/2``; logarithmic van Hove
    singularities at ``|E| = t``; zero outside ``[-3t, 3t]``.

    Parameters
    ----------
    energy : array_like
        ``E`` in units of ``t``.

    Returns
    -------
    ndarray
        ``rho(E)`` in ``1/(t a_cc^2)``, both sublattices, one spin: the unit of
        :func:`weakloc.kubo.kpm_dos` for a spinless honeycomb torus.
    """
    from scipy.special import ellipk

    e = np.abs(np.asarray(v.finite_array("energy", energy), dtype=float))
    q = (1.0 + e) ** 2 - (e * e - 1.0) ** 2 / 4.0
    inner = e <= 1.0
    z0 = np.where(inner, q, 4.0 * e)
    z1 = np.where(inner, 4.0 * e, q)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 4.0 / np.pi**2 * e / np.sqrt(z0) * ellipk(z1 / z0) / (2.0 * HEXAGON_AREA)
    return np.where((e > 0) & (e < 3.0), out, 0.0)


def landau_levels(flux: float, count: int) -> np.ndarray:
    r"""Relativistic Landau levels of graphene, ``E_n = sqrt(2 n) hbar v_F / l_B``.

    .. math::

        E_n = \operatorname{sgn}(n)\sqrt{2|n|}\,\frac{\hbar v_F}{l_B},\qquad
        l_B^2 = \frac{\hbar}{eB} = \frac{A_c}{2\pi\phi},\qquad
        \hbar v_F = \frac{3}{2} t a_{cc},

    (McClure, Phys. Rev. 104, 666 (1956)) for ``phi`` flux quanta ``h/e`` per hexagon of
    area ``A_c = 3 sqrt(3)/2``. Each level holds ``2 phi`` states per hexagon per spin
    (both valleys), ``n = 0`` included. Valid while ``E_n << t`` (weak field); the lattice
    shifts the higher levels down (trigonal warping).

    Parameters
    ----------
    flux : float
        ``phi`` in ``h/e`` per hexagon (> 0).
    count : int
        Levels ``n = 0 .. count - 1``.

    Returns
    -------
    ndarray
        ``E_n >= 0`` in units of ``t`` (the negative levels mirror them).
    """
    phi = float(v.positive("flux", flux, "h/e per hexagon"))
    n = np.arange(v.positive_int("count", count))
    return np.sqrt(2.0 * n * 2.0 * np.pi * phi / HEXAGON_AREA) * FERMI_VELOCITY


def _layer(pos, bonds, x_sites, dx, period, n, name, ly):
    """A SliceGeometry of ``n`` sites from positions and (frm, to, displacement) bonds."""
    pos3 = np.zeros((n, 3))
    pos3[:, :2] = pos
    if bonds:
        frm = np.array([b[0] for b in bonds], dtype=np.int64)
        to = np.array([b[1] for b in bonds], dtype=np.int64)
        disp = np.array([[b[2][0], b[2][1], 0.0] for b in bonds])
        fams = ((frm, to, disp),)
    else:
        fams = ()
    xs = np.asarray(x_sites, dtype=np.int64)
    xdisp = np.zeros((xs.size, 3))
    xdisp[:, 0] = dx
    return SliceGeometry(positions=pos3, period=period, families=fams, x_frm=xs, x_to=xs,
                         x_displacement=xdisp, onsite_shape=(n,), cell_area=HEXAGON_AREA,
                         name=name, transverse_period=ly)


def honeycomb_layers(width: int, edge: str = "zigzag", boundary: str = "hard") -> tuple:
    """The two layers of one honeycomb slice (see the module docstring).

    Returns
    -------
    tuple of SliceGeometry
        Layer 0 and layer 1, ``N`` sites each, positions within the slice; the layers'
        ``period`` add up to the slice period (``sqrt 3`` or 3).
    """
    n = v.positive_int("width", width)
    v.choice("edge", edge, EDGES)
    v.choice("boundary", boundary, ("hard", "periodic"))
    periodic = boundary == "periodic"
    if periodic and (n < 4 or n % 2):
        raise InputError(f"periodic honeycomb ribbons need an even width >= 4 (got {n}); "
                         "use an even width or boundary='hard'")
    layers = []
    if edge == "zigzag":
        h = np.sqrt(3.0) / 2
        ly = 1.5 * n if periodic else None
        for c in (0, 1):
            j = np.arange(n)
            y = 1.5 * j + 0.5 * ((c + j) % 2)
            pos = np.stack([np.full(n, c * h), y], 1)
            bonds = [(int(a), int((a + 1) % n), (0.0, 1.0)) for a in j
                     if (c + a) % 2 == 1 and (a + 1 < n or periodic)]
            layers.append(_layer(pos, bonds, j, h, h, n, "honeycomb-zigzag", ly))
        return tuple(layers)
    # armchair: layer 0 = odd rows at x = 0, even rows at 1/2; layer 1 = even rows at 3/2,
    # odd rows at 2; x bonds: even rows 1/2 -> 3/2, odd rows 2 -> 3 (next slice). The
    # slice boundary cuts the bonds of the floor(N/2) odd rows, the narrower set, so the
    # reduced lead (SliceModel.reduced_lead) has an invertible hopping for odd N too.
    r = np.arange(n)
    y = r * np.sqrt(3.0) / 2
    ly = n * np.sqrt(3.0) / 2 if periodic else None
    for base, shift, x_rows in ((0.0, 0.5, r[r % 2 == 0]), (2.0, -0.5, r[r % 2 == 1])):
        x = np.where(r % 2 == 1, base, base + shift)
        pos = np.stack([x, y], 1)
        bonds = []
        for a in r:
            b = a + 1
            if b == n and not periodic:
                continue
            b %= n
            bonds.append((int(a), int(b), (float(x[b] - x[a]), np.sqrt(3.0) / 2)))
        layers.append(_layer(pos, bonds, x_rows, 1.0, 1.5, n, "honeycomb-armchair", ly))
    return tuple(layers)
