r"""Tori: the square lattice of the dynamics, and any lattice of the model layer in a field.

:func:`periodic_operators` closes any :class:`weakloc.lattice.Lattice` (square, cubic,
honeycomb) into a torus and puts the field on every bond from the positions alone
(:func:`weakloc.lattice.hopping.torus_landau_phase`: Landau gauge plus the seam twist, the
total flux quantized); the compiled stencil of the wave-packet dynamics reads the square
torus below, whose phases are the same (a test checks it entry by entry).

Lattice units: hopping ``t = 1``, lattice constant ``a = 1``. The Hamiltonian

.. math::

   H = \sum_r \varepsilon_r c_r^\dagger c_r - \sum_{r,\mu} \left(
       c_{r+e_\mu}^\dagger U_\mu(r) c_r + \mathrm{h.c.}\right)

has periodic boundaries in x and y; ``U`` is the spin model's block
(:mod:`weakloc.lattice.spin`) times the Peierls factor. The field is the Landau gauge of
:mod:`weakloc.lattice.hopping` (:func:`~weakloc.lattice.hopping.peierls_phase`): the x-bond at
row y carries ``exp(2 pi i phi (y - y0))`` with ``y0 = N // 2``; the total flux
``phi N^2`` is an integer and the y-bonds closing the torus (row ``N-1`` to row 0) carry the
twist ``exp(-2 pi i phi N x)``, so every plaquette, those on the seam included, encloses
``phi`` (h/e).

:class:`TorusArrays` holds what a compiled stencil reads; :func:`torus_operators` returns,
for any spin model, the sparse Hamiltonian with each orbital's position and the
minimum-image bond displacements, from which the velocity operator
``v_x = -i [x, H]/hbar`` follows as ``-1j * H.multiply(dx)`` (see :class:`TorusOperators`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.lattice.disorder import Disorder
from weakloc.lattice.hopping import torus_landau_phase
from weakloc.lattice.spin import SpinModel

__all__ = ["TorusArrays", "TorusOperators", "draw_torus", "torus_operators", "periodic_operators"]


@dataclass(frozen=True, eq=False)
class TorusArrays:
    """One realization on the torus, as the stencil reads it.

    ``eps`` (N, N) onsite energies (units of t), indexed ``[x, y]``; ``px`` (N,) x-bond
    phases per row; ``seam`` (N,) phases of the closing y-bonds per column; ``ux``, ``uy``
    (N, N, s, s) spin bond matrices with the phases folded in (None without spin).
    """

    eps: np.ndarray
    px: np.ndarray
    seam: np.ndarray
    ux: np.ndarray | None
    uy: np.ndarray | None

    @property
    def size(self) -> int:
        return int(self.eps.shape[0])

    @property
    def spin(self) -> int:
        return 1 if self.ux is None else int(self.ux.shape[-1])


def draw_torus(size: int, spin: SpinModel, disorder: Disorder, flux: float,
               rng: np.random.Generator) -> TorusArrays:
    """Draw one realization (advancing ``rng``).

    Draw order: onsite energies ``(N, N)`` (a correlated model draws its periodic field
    instead), then for a random spin model the x-bond and the y-bond matrices, each
    ``(N, N)``.
    """
    n = int(size)
    if disorder.correlated:   # a periodic field on the torus
        x, y = np.meshgrid(np.arange(n, dtype=float), np.arange(n, dtype=float),
                           indexing="ij")
        pos = np.stack([x.ravel(), y.ravel()], 1)
        eps = disorder.sample(rng, pos, (float(n), float(n))).reshape(n, n)
    else:
        eps = disorder.draw(rng, (n, n))
    # the one Peierls rule of any torus (torus_landau_phase), on the square lattice's two
    # kinds of bond that carry a phase: x bonds (per row y) and the y bonds of the seam
    y0 = n // 2
    rows = np.arange(n, dtype=float)
    zero = np.zeros(n)
    px = torus_landau_phase(flux, np.stack([zero + 1, rows], 1), np.stack([zero, rows], 1),
                            np.tile([1.0, 0.0], (n, 1)), (n, n), 1.0, y0)
    seam = torus_landau_phase(flux, np.stack([rows, zero], 1),
                              np.stack([rows, zero + n - 1], 1), np.tile([0.0, 1.0], (n, 1)),
                              (n, n), 1.0, y0)
    ux = uy = None
    if spin.random:
        ux = spin.draw(rng, (n, n))
        uy = spin.draw(rng, (n, n))
    elif spin.spin > 1:
        s = spin.spin
        ux = np.broadcast_to(spin.block(np.array([1.0, 0.0, 0.0])), (n, n, s, s)).copy()
        uy = np.broadcast_to(spin.block(np.array([0.0, 1.0, 0.0])), (n, n, s, s)).copy()
    if ux is not None:
        ux = np.ascontiguousarray(ux * px[None, :, None, None])
        uy = uy.copy()
        uy[:, n - 1] *= seam[:, None, None]
    return TorusArrays(eps, px, seam, ux, uy)


@dataclass(frozen=True, eq=False)
class TorusOperators:
    """Sparse operators of one torus realization (basis index ``(x * N + y) * s + a``).

    Attributes
    ----------
    hamiltonian : scipy.sparse.csr_matrix
        ``H`` in units of t.
    positions : ndarray, shape (N * N * s, 2)
        ``(x, y)`` of every orbital, lattice constants, in ``[0, N)``.
    dx, dy : scipy.sparse.csr_matrix
        Same pattern as ``H``: ``d[i, j] = r_i - r_j`` along x (y) for the bond ``j -> i``,
        minimum image on the torus (0 on the diagonal). The velocity (units of ``t a /
        hbar``) is ``v_x = i [H, x] = -1j * H.multiply(dx)``, and likewise for y.
    """

    hamiltonian: object
    positions: np.ndarray
    dx: object
    dy: object


def torus_operators(arrays: TorusArrays) -> TorusOperators:
    """The Hamiltonian of ``arrays`` as CSR, bond by bond, with positions and displacements.

    Independent of any stencil: tests, exact diagonalization and the Kubo solvers use it.
    """
    import scipy.sparse as sp

    n, s = arrays.size, arrays.spin
    x, y = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    site = x * n + y
    rows, cols, vals, ddx, ddy = [], [], [], [], []
    for mu in (0, 1):
        to = ((x + 1) % n) * n + y if mu == 0 else x * n + (y + 1) % n
        if s == 1:
            if mu == 0:
                u = np.broadcast_to(arrays.px[None, :], (n, n)).copy()
            else:
                u = np.ones((n, n), dtype=complex)
                u[:, n - 1] = arrays.seam
            rows.append(to.ravel())
            cols.append(site.ravel())
            vals.append(-u.ravel())
            ddx.append(np.full(n * n, 1.0 if mu == 0 else 0.0))
            ddy.append(np.full(n * n, 0.0 if mu == 0 else 1.0))
        else:
            u = arrays.ux if mu == 0 else arrays.uy
            for a in range(s):
                for b in range(s):
                    rows.append(to.ravel() * s + a)
                    cols.append(site.ravel() * s + b)
                    vals.append(-u[..., a, b].ravel())
                    ddx.append(np.full(n * n, 1.0 if mu == 0 else 0.0))
                    ddy.append(np.full(n * n, 0.0 if mu == 0 else 1.0))
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    dim = n * n * s
    hop = sp.coo_matrix((np.concatenate(vals), (r, c)), shape=(dim, dim)).tocsr()
    onsite = sp.diags(np.repeat(arrays.eps.ravel(), s))
    h = (hop + hop.conj().T + onsite).tocsr()
    # displacements r_to - r_from of the hops from -> to, antisymmetric (adjoint bonds: minus)
    mats = []
    for d in (ddx, ddy):
        dd = sp.coo_matrix((np.concatenate(d), (r, c)), shape=(dim, dim)).tocsr()
        mats.append((dd - dd.T).tocsr())
    pos = np.repeat(np.stack([x.ravel(), y.ravel()], 1).astype(float), s, axis=0)
    return TorusOperators(hamiltonian=h, positions=pos, dx=mats[0], dy=mats[1])


def _coo(rows, cols, vals, dim):
    import scipy.sparse as sp

    return sp.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                         shape=(dim, dim)).tocsr()


def periodic_operators(realization, flux: float | None = None, *, y0: float = 0.0,
                       seam=(0.0, 0.0)) -> TorusOperators:
    r"""Any lattice model closed along x: sparse ``H``, positions and bond displacements.

    The ``length`` slices of a :class:`weakloc.lattice.Realization` (square, cubic or
    honeycomb, any spin model, its disorder) with the last slice bonded to the first, so a
    lattice with ``boundary='periodic'`` becomes a torus (edgeless graphene on the
    honeycomb lattice) and one with hard walls a ribbon closed into a ring. A correlated
    potential must be drawn periodic along x too (``lattice.realize(seed, torus=True)``).
    Basis index: the order of :meth:`Realization.hamiltonian`. A ``cylinder_flux`` of the
    lattice threads the loops around y, as in the strip.

    The field (2D lattices) enters every hopping through
    :func:`weakloc.lattice.hopping.torus_landau_phase`: Landau gauge
    ``A = -B (y - y0) e_x`` from the bond's positions, and on a torus the twist of the
    bonds crossing the seam. On a torus the total flux ``flux * L_x L_y / A_c`` must be an
    integer (``A_c`` the cell area: 1 for the square plaquette, ``3 sqrt(3)/2`` for the
    hexagon); on a ring (hard walls across) any flux is allowed.

    Parameters
    ----------
    realization : weakloc.lattice.Realization
        The disorder (and the lattice); its own ``flux`` is used when ``flux`` is None.
    flux : float, optional
        Flux per cell in units of ``h/e``. The slice engines' stricter condition for an
        endless cylinder (``flux * width`` integer) does not apply to a closed torus, so
        give the field here with a zero-field lattice.
    y0 : float
        Zero line of the vector potential (lattice units).
    seam : (float, float)
        Corner of the torus's fundamental domain: every position is taken modulo the
        periods into ``[seam, seam + L)``. Moving the seam is a gauge transformation (the
        spectrum does not change).

    Returns
    -------
    TorusOperators
        ``hamiltonian`` (units of t), ``positions`` ``(orbitals, 2)`` (x, y in lattice
        units, inside the fundamental domain; the orbitals of a site share its position)
        and ``dx``, ``dy`` with ``d[i, j] = r_i - r_j`` the minimum-image vector of the bond
        ``j -> i``.
    """
    from weakloc.errors import InputError

    lat = realization.lattice
    model = lat.slice_model()
    flux = model.flux if flux is None else float(v.finite_array("flux", flux))
    if lat.shape is not None:
        raise InputError("a sample shape needs leads, not a torus; drop the shape")
    if realization.field_periods is not None and realization.field_periods[0] is None:
        raise InputError("this correlated potential is open along x, so the torus would "
                         "have a seam; draw it with lattice.realize(seed, torus=True)")
    p, s, n, t = model.p, model.s, model.n, model.hopping
    total = lat.length * p
    if total < 3:
        raise InputError("a torus needs at least 3 slices (layers) along x; use a longer "
                         "length")
    periods = (lat.length * model.slice_length, model.geometry.transverse_period)
    cell = model.geometry.cell_area
    if flux != 0.0:
        if lat.dim != 2:
            raise InputError("a field on the torus needs a 2D lattice; use flux=0 in 3D")
        if periods[1] is not None:
            quanta = flux * periods[0] * periods[1] / cell
            if abs(quanta - round(quanta)) > 1e-6:
                cells = periods[0] * periods[1] / cell
                raise InputError(f"the total flux through the torus must be an integer number "
                                 f"of h/e: use flux = m/{round(cells)} per cell (nearest: "
                                 f"m = {round(quanta)})")
    rows, cols, vals, ddx, ddy, diag = [], [], [], [], [], []
    x = 0
    a = np.arange(s)
    for raw in realization.draws(64 * p):
        for j in range(raw["onsite"].shape[0]):
            layer = model.layers[x % p]
            diag.append(np.repeat(raw["onsite"][j], s))
            bb = model.transverse_blocks(raw["bond_blocks"][j] if "bond_blocks" in raw
                                         else None, x % p)
            xb = raw["x_blocks"][j] if "x_blocks" in raw else layer.x_blocks
            sites = np.arange(model.sites)
            nxt = (x + 1) % total
            for frm, to, blocks, disp in (
                    (x * model.sites + layer.frm, x * model.sites + layer.to, bb, layer.disp),
                    (x * model.sites + sites, nxt * model.sites + sites, xb,
                     _full_disp(layer, model.sites))):
                if len(frm) == 0:
                    continue
                r = (s * to[:, None, None] + a[None, :, None]) * np.ones((1, s, s), int)
                c = (s * frm[:, None, None] + a[None, None, :]) * np.ones((1, s, s), int)
                vb = -t * np.broadcast_to(blocks, (len(frm), s, s))
                keep = vb != 0
                rows.append(r[keep])
                cols.append(c[keep])
                vals.append(vb[keep])
                ddx.append(np.broadcast_to(disp[:, 0, None, None], vb.shape)[keep])
                ddy.append(np.broadcast_to(disp[:, 1, None, None], vb.shape)[keep])
            x += 1
    dim = total * n
    pos = np.repeat(lat.positions()[..., :2].reshape(-1, 2), s, axis=0)
    pos = _fold(pos, periods, seam)
    if flux != 0.0:
        r, c = np.concatenate(rows), np.concatenate(cols)
        d = np.stack([np.concatenate(ddx), np.concatenate(ddy)], 1)
        vals = [np.concatenate(vals) * torus_landau_phase(flux, pos[r], pos[c], d, periods,
                                                          cell, y0)]
    hop = _coo(rows, cols, vals, dim)
    h = (hop + hop.conj().T).tocsr()
    h.setdiag(h.diagonal() + np.concatenate(diag))
    mats = []
    for d in (ddx, ddy):
        dd = _coo(rows, cols, d, dim)
        mats.append((dd - dd.T).tocsr())
    return TorusOperators(hamiltonian=h.tocsr(), positions=pos, dx=mats[0], dy=mats[1])


def _fold(pos, periods, seam):
    """Positions taken modulo the periods into ``[seam, seam + L)`` (open directions kept)."""
    out = pos.copy()
    for axis, per in enumerate(periods):
        if per is not None:
            lo = float(seam[axis])
            out[:, axis] = lo + np.mod(out[:, axis] - lo, per)
            # a position a rounding error below the upper end belongs at the lower one
            out[np.isclose(out[:, axis], lo + per, rtol=0, atol=1e-9), axis] = lo
    return out


def _full_disp(layer, sites):
    """x-bond displacement of every site of a layer (zero rows where it has no x bond)."""
    out = np.zeros((sites, 3))
    out[layer.geom.x_frm] = layer.x_disp
    return out
