"""Unbounded slice streams of a lattice, for transfer matrices along an infinite bar.

:meth:`Realization.slices` walks a finite sample of :attr:`Lattice.length` slices between
two clean leads. A transfer-matrix run instead needs as many disordered slices as it takes
to converge, so this module draws them in chunks, without end, and ignores ``length``.

The raw data of a chunk (:func:`draw_slice_chunk`) are the numbers a fast kernel consumes;
:func:`endless_slices` turns the same numbers into the dense ``(H_x, V_x)`` pairs of
:meth:`Realization.slices` (same site order, same ``V_x = H[x+1, x]`` convention), which is
the slow reference the fast kernels are tested against. Every slice is disordered: there
are no leads, and ``V_x`` of every slice carries the slice's own x-hoppings.

Drawing order within a chunk of ``c`` slices: the onsite energies ``(c, M, M2)``, then for
the SU(2) model the y-bond, z-bond and x-bond hoppings as arrays ``(c, bonds)``, drawn as
:func:`weakloc.lattice.su2_matrices` draws them (the same numbers to rounding).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.lattice.hopping import ando_matrices
from weakloc.lattice.model import Lattice
from weakloc.seeding import as_generator

__all__ = ["SliceStructure", "slice_structure", "draw_slice_chunk", "endless_slices"]


@dataclass(frozen=True)
class SliceStructure:
    """Static structure of one slice of a lattice, in the form a slice kernel consumes.

    The slice Hamiltonian is ``H_x = diag(eps) - t sum_b (U_b at [to_b, frm_b] + h.c.)``
    over the transverse bonds ``b`` and the hopping to the next slice is the block diagonal
    ``V_x = -t diag(X_i)`` with one ``spin x spin`` block ``X_i`` per site (Peierls phase
    times the spin rotation). ``bond_blocks`` and ``x_blocks`` are ``None`` for the SU(2)
    model, whose blocks are random and come with each chunk.
    """

    frm: np.ndarray          # (nb,) site index the transverse bond leaves
    to: np.ndarray           # (nb,) site index it arrives at
    bond_blocks: np.ndarray | None   # (nb, s, s) U_b, static models only
    x_blocks: np.ndarray | None      # (S, s, s) X_i, static models only
    phases: np.ndarray       # (S,) Peierls factors of the x-bonds
    n_bonds_y: int           # the first n_bonds_y bonds are along y, the rest along z
    spin: int
    hopping: float
    real: bool               # every block is real: the transfer matrix is real


def slice_structure(lattice: Lattice) -> SliceStructure:
    """The :class:`SliceStructure` of ``lattice`` (``length`` is not used)."""
    lat = lattice
    s = lat.spin
    (fy, ty), (fz, tz) = lat._bonds(0), lat._bonds(1)
    frm = np.concatenate([fy, fz]).astype(np.int64)
    to = np.concatenate([ty, tz]).astype(np.int64)
    phases = lat._x_phases()
    nsites = lat.sites_per_slice
    bond_blocks = x_blocks = None
    if lat.spin_orbit == "none":
        bond_blocks = np.ones((frm.size, 1, 1), dtype=complex)
        x_blocks = phases.reshape(nsites, 1, 1).astype(complex)
    elif lat.spin_orbit == "ando":
        u = ando_matrices(lat.soc, 3)
        bond_blocks = np.concatenate([np.broadcast_to(u[1], (fy.size, 2, 2)),
                                      np.broadcast_to(u[2], (fz.size, 2, 2))]).astype(complex)
        x_blocks = phases[:, None, None] * u[0]
    static_real = all(b is None or np.all(b.imag == 0) for b in (bond_blocks, x_blocks))
    real = lat.spin_orbit != "su2" and static_real
    return SliceStructure(frm=frm, to=to, bond_blocks=bond_blocks, x_blocks=x_blocks,
                          phases=phases, n_bonds_y=int(fy.size), spin=s,
                          hopping=lat.hopping, real=bool(real))


def _su2_fast(rng: np.random.Generator, shape) -> np.ndarray:
    """:func:`su2_matrices` from the same draws, with real cos/sin instead of complex exp."""
    a = rng.uniform(0.0, 2 * np.pi, size=shape)
    b = 0.5 * np.arccos(1.0 - 2.0 * rng.uniform(0.0, 1.0, size=shape))
    g = rng.uniform(0.0, 2 * np.pi, size=shape)
    cb, sb = np.cos(b), np.sin(b)
    ca, sa = np.cos(a), np.sin(a)
    cg, sg = np.cos(g), np.sin(g)
    u = np.empty(shape + (2, 2), dtype=complex)
    u[..., 0, 0].real, u[..., 0, 0].imag = ca * cb, sa * cb
    u[..., 0, 1].real, u[..., 0, 1].imag = cg * sb, sg * sb
    u[..., 1, 0].real, u[..., 1, 0].imag = -cg * sb, sg * sb
    u[..., 1, 1].real, u[..., 1, 1].imag = ca * cb, -sa * cb
    return u


def draw_slice_chunk(lattice: Lattice, rng: np.random.Generator, count: int) -> dict:
    """Random numbers of ``count`` consecutive slices.

    Returns a dict with ``onsite`` of shape ``(count, M * M2)`` in units of ``t`` and, for
    the SU(2) model, ``bond_blocks`` ``(count, nb, 2, 2)`` (y bonds, then z bonds) and
    ``x_blocks`` ``(count, M * M2, 2, 2)`` (SU(2) hoppings times the Peierls factor).
    """
    lat = lattice
    count = v.positive_int("count", count)
    shape = (count, lat.width, lat.height)
    if lat.disorder_kind == "box":
        eps = rng.uniform(-0.5 * lat.disorder, 0.5 * lat.disorder, size=shape)
    else:
        eps = rng.normal(0.0, lat.disorder / np.sqrt(12.0), size=shape)
    out = {"onsite": eps.reshape(count, lat.sites_per_slice)}
    if lat.spin_orbit == "su2":
        nby, nbz = lat._bonds(0)[0].size, lat._bonds(1)[0].size
        hy = _su2_fast(rng, (count, nby))
        hz = _su2_fast(rng, (count, nbz))
        hx = _su2_fast(rng, (count, lat.sites_per_slice))
        out["bond_blocks"] = np.concatenate([hy, hz], axis=1)
        out["x_blocks"] = lat._x_phases()[None, :, None, None] * hx
    return out


def _dense(struct: SliceStructure, eps, bond_blocks, x_blocks):
    """Dense ``(H_x, V_x)`` of one slice from its onsite energies and blocks."""
    s, t = struct.spin, struct.hopping
    nsites = eps.size
    n = nsites * s
    h = np.zeros((n, n), dtype=complex)
    h[np.diag_indices(n)] = np.repeat(eps, s)
    for f, to_, u in zip(struct.frm, struct.to, bond_blocks):
        h[s * to_:s * to_ + s, s * f:s * f + s] += -t * u
        h[s * f:s * f + s, s * to_:s * to_ + s] += -t * np.conj(u.T)
    vx = np.zeros((n, n), dtype=complex)
    for i, blk in enumerate(x_blocks):
        vx[s * i:s * i + s, s * i:s * i + s] = -t * blk
    return h, vx


def endless_slices(lattice: Lattice, seed=None, *, chunk: int = 256
                   ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield dense ``(H_x, V_x)`` of disordered slices without end (``length`` ignored).

    Parameters
    ----------
    lattice : Lattice
        The cross-section, disorder and symmetry; ``length`` is irrelevant here.
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        Source of randomness; a Generator is used (and advanced) in place.
    chunk : int
        Slices drawn per call of :func:`draw_slice_chunk`; the numbers depend on it, so a
        kernel reproducing this stream must draw in the same chunks.

    Yields
    ------
    (ndarray, ndarray)
        ``H_x`` and ``V_x = H[x+1, x]``, complex ``(n, n)``, in units of ``t``.
    """
    rng = as_generator(seed)
    struct = slice_structure(lattice)
    while True:
        raw = draw_slice_chunk(lattice, rng, chunk)
        for j in range(chunk):
            bb = struct.bond_blocks if struct.bond_blocks is not None else raw["bond_blocks"][j]
            xb = struct.x_blocks if struct.x_blocks is not None else raw["x_blocks"][j]
            yield _dense(struct, raw["onsite"][j], bb, xb)
