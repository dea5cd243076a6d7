r"""The one slice builder: a geometry, a spin model, a disorder and a field, as slices.

.. math::

    H = \sum_i \varepsilon_i c_i^\dagger c_i
        - t \sum_{\langle ij \rangle} c_j^\dagger\, U_{ij}\, e^{i\varphi_{ij}}\, c_i,

in lattice units (hopping ``t``, lengths in lattice constants). :class:`SliceModel` hands
every engine the same numbers in the form it consumes:

* the finite sample (:class:`weakloc.lattice.Realization`): dense ``(H_x, V_x)`` per slice
  with ``V_x = H[x+1, x]`` (:meth:`SliceModel.slice_hamiltonian`,
  :meth:`SliceModel.hopping_matrix`);
* the RGF sweep (:class:`SliceStream`): chunks ``(h, diag, v)``;
* the transfer matrices (:meth:`SliceModel.structure`, :meth:`SliceModel.draw`): the bond
  lists and blocks of the compiled kernel;
* the clean leads (:meth:`SliceModel.lead`): no disorder, no spin-orbit, the same field.

The Peierls phases come from :func:`weakloc.lattice.hopping.landau_phase` (Landau gauge
along x, so only bonds with an x-extent carry one); an Aharonov-Bohm flux through a
cylinder (periodic transverse boundaries, ``cylinder_flux``) from
:func:`weakloc.lattice.hopping.cylinder_phase`, on the transverse bonds that cross the seam,
in the sample and the leads alike. Drawing order of ``count`` slices
(:meth:`SliceModel.draw`): the onsite energies ``(count, *onsite_shape)``, then for a
random spin model each transverse bond family ``(count, nb_f)`` in turn and the x bonds
``(count, S)``. A finite sample of a random model draws one slice at a time, an endless bar
(transfer matrices) a chunk at a time; with static bonds the two coincide.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.lattice.disorder import BoxDisorder, Disorder
from weakloc.lattice.geometry import SliceGeometry
from weakloc.lattice.hopping import cylinder_phase, landau_phase
from weakloc.lattice.spin import NoSpin, SpinModel
from weakloc.seeding import as_generator

__all__ = ["SliceModel", "SliceStructure", "SliceStream", "slice_structure",
           "draw_slice_chunk", "endless_slices", "place_bonds", "remove_sites",
           "REMOVED_ENERGY"]

#: onsite energy (units of t) of a site a shape removes; it is cut from every bond, so the
#: value only has to differ from the energies asked for
REMOVED_ENERGY = 1.0e4


def remove_sites(h: np.ndarray, v: np.ndarray, keep, keep_next, spin: int):
    """Cut the sites a shape removes from a slice, in place.

    ``h`` (n, n) loses the rows and columns of removed orbitals and gets
    :data:`REMOVED_ENERGY` on their diagonal; ``v`` (S, s, s), the x bonds to the next
    slice, loses every bond whose end is removed here (``keep``) or there (``keep_next``).
    """
    gone = np.repeat(~np.asarray(keep, bool), spin)
    if gone.any():
        h[gone, :] = 0.0
        h[:, gone] = 0.0
        h[gone, gone] = REMOVED_ENERGY
    cut = ~(np.asarray(keep, bool) & np.asarray(keep_next, bool))
    if cut.any():
        v[cut] = 0.0


def place_bonds(h: np.ndarray, frm, to, blocks, spin: int, hopping: float) -> None:
    """Add ``-t U`` at ``h[to, frm]`` and ``-t U^+`` at ``h[frm, to]`` (``spin`` blocks).

    ``blocks`` broadcasts to ``(nb, spin, spin)``; ``h`` is ``(S * spin, S * spin)``.
    """
    frm = np.asarray(frm)
    to = np.asarray(to)
    if frm.size == 0:
        return
    s = spin
    blocks = np.broadcast_to(blocks, frm.shape + (s, s))
    a = np.arange(s)
    rows = s * to[:, None, None] + a[None, :, None]
    cols = s * frm[:, None, None] + a[None, None, :]
    np.add.at(h, (rows, cols), -hopping * blocks)
    np.add.at(h, (cols, rows), -hopping * np.conj(blocks))


@dataclass(frozen=True)
class SliceStructure:
    """Static structure of one slice, in the form the transfer-matrix kernel consumes.

    The slice Hamiltonian is ``H_x = diag(eps) - t sum_b (U_b at [to_b, frm_b] + h.c.)``
    over the transverse bonds ``b`` and the hopping to the next slice is the block diagonal
    ``V_x = -t diag(X_i)`` with one ``spin x spin`` block ``X_i`` per site (Peierls phase
    times the spin rotation). ``bond_blocks`` and ``x_blocks`` are ``None`` for a random
    spin model, whose blocks come with each chunk (:meth:`SliceModel.draw`).
    """

    frm: np.ndarray          # (nb,) site index the transverse bond leaves
    to: np.ndarray           # (nb,) site index it arrives at
    bond_blocks: np.ndarray | None   # (nb, s, s) U_b, static models only
    x_blocks: np.ndarray | None      # (S, s, s) X_i with phases, static models only
    phases: np.ndarray       # (S,) Peierls factors of the x-bonds
    n_bonds_y: int           # the first n_bonds_y bonds are the first family (y)
    spin: int
    hopping: float
    real: bool               # every block is real: the transfer matrix is real


class _Layer:
    """Arrays of one layer (engine slice) of a model."""

    def __init__(self, geom: SliceGeometry, nxt: SliceGeometry, spin: SpinModel):
        if not geom.x_diagonal:
            raise InputError("the slice engines need every x bond to join a site to the site "
                             "of the same index in the next slice; order the sites so")
        self.geom = geom
        self.frm, self.to, self.disp = geom.transverse()
        self.family_sizes = tuple(int(f[0].size) for f in geom.families)
        i = geom.x_frm
        xd = geom.x_displacement.copy()
        xd[:, 1] = nxt.positions[i, 1] - geom.positions[i, 1]
        self.x_disp = xd
        self.x_mask = np.zeros(geom.sites, dtype=bool)
        self.x_mask[i] = True
        self.bond_blocks = self.x_blocks = None
        if not spin.random:
            self.bond_blocks = _static_blocks(spin, self.disp)
            self.x_blocks = _static_blocks(spin, xd, at=i, sites=geom.sites)


def _static_blocks(spin: SpinModel, disp, at=None, sites=None) -> np.ndarray:
    """``U(d)`` of every bond, evaluated once per distinct direction.

    With ``at`` the blocks are scattered into ``(sites, s, s)`` (zero where no bond).
    """
    s = int(spin.spin)
    if disp.shape[0] == 0:
        out = np.zeros((0, s, s), dtype=complex)
    else:
        unit = disp / np.linalg.norm(disp, axis=1)[:, None]
        dirs, which = np.unique(unit, axis=0, return_inverse=True)
        blocks = np.array([spin.block(d) for d in dirs], dtype=complex)
        out = blocks[np.asarray(which).ravel()]
    if at is None or (len(at) == sites and np.array_equal(at, np.arange(sites))):
        return out
    full = np.zeros((sites, s, s), dtype=complex)
    full[at] = out
    return full


class SliceModel:
    """A slice geometry with a spin model, a disorder model, a hopping and a field.

    Parameters
    ----------
    geometry : SliceGeometry or tuple of SliceGeometry
        Sites and bonds of a slice (e.g. :func:`weakloc.lattice.geometry.strip`); a tuple
        gives the layers of a slice whose engine slices alternate (the honeycomb lattice,
        :func:`weakloc.lattice.honeycomb.honeycomb_layers`): the x bonds of layer ``k`` go
        to layer ``k + 1``, those of the last layer to layer 0 of the next slice.
    spin : SpinModel
        Spin model object (:mod:`weakloc.lattice.spin`); default spinless.
    disorder : Disorder
        Onsite disorder object (:mod:`weakloc.lattice.disorder`); default none.
    hopping : float
        ``t``, the energy unit.
    flux : float
        Flux per cell (``geometry.cell_area``) in units of ``h/e``.
    cylinder_flux : float
        Aharonov-Bohm flux ``Phi/Phi_0`` along the axis of a cylinder (a geometry with
        periodic transverse boundaries), in units of ``h/e``; any value, not quantized.

    Notes
    -----
    Bonds inside a slice that have an x-extent (the honeycomb lattice) would carry Landau
    phases that change with the field; a gauge transformation ``c_i -> exp(i chi_i) c_i``
    inside each slice (:meth:`gauge`, the same in every slice and in the leads) moves them
    onto the x bonds, so a slice Hamiltonian never depends on the field.
    """

    def __init__(self, geometry, spin: SpinModel | None = None,
                 disorder: Disorder | None = None, hopping: float = 1.0, flux: float = 0.0,
                 cylinder_flux: float = 0.0):
        geoms = tuple(geometry) if isinstance(geometry, (tuple, list)) else (geometry,)
        if len({g.sites for g in geoms}) != 1:
            raise InputError("every layer of a slice needs the same number of sites")
        self.geometries = geoms
        self.geometry = geoms[0]
        self.spin = NoSpin() if spin is None else spin
        self.disorder = BoxDisorder(0.0) if disorder is None else disorder
        self.hopping = float(hopping)
        self.flux = float(flux)
        self.p = len(geoms)
        if self.p > 1 and self.spin.random:
            raise InputError("random spin models (SU(2)) need one-layer slices (square or "
                             "cubic lattices); use a static spin model here")
        self.layers = tuple(_Layer(g, geoms[(k + 1) % self.p], self.spin)
                            for k, g in enumerate(geoms))
        first = self.layers[0]
        self.frm, self.to, self.displacement = first.frm, first.to, first.disp
        self.family_sizes = first.family_sizes
        self.bond_blocks, self.x_blocks = first.bond_blocks, first.x_blocks
        self.gauged = any(np.any(L.disp[:, 0] != 0) for L in self.layers)
        self.s = int(self.spin.spin)
        self.sites = self.geometry.sites
        self.n = self.sites * self.s
        self.phases()   # validates the field (flux quantization with periodic boundaries)
        self._set_cylinder(cylinder_flux)

    @property
    def slice_length(self) -> float:
        """Length of one slice (all its layers) along x, lattice units."""
        return float(sum(g.period for g in self.geometries))

    def with_flux(self, flux: float, cylinder_flux: float | None = None) -> SliceModel:
        """The same model in another field and, if given, another cylinder flux (shares
        every array of the disorder and spin model)."""
        other = copy.copy(self)
        other.flux = float(flux)
        other.phases()
        if cylinder_flux is not None:
            other._set_cylinder(cylinder_flux)
        return other

    # -- the Aharonov-Bohm flux through a cylinder -----------------------------------------
    def _set_cylinder(self, cylinder_flux: float) -> None:
        """Store the cylinder flux and the factors of each layer's transverse bonds."""
        phi = float(cylinder_flux)
        if not np.isfinite(phi):
            raise InputError(f"cylinder_flux must be finite (units of h/e), got {cylinder_flux!r}")
        ly = self.geometry.transverse_period
        if phi != 0.0 and ly is None:
            raise InputError("a flux through a cylinder needs periodic transverse boundaries; "
                             "use boundary='periodic' (or cylinder_flux=0)")
        self.cylinder_flux = phi
        factors = []
        for L in self.layers:
            if phi == 0.0 or L.frm.size == 0:
                factors.append(None)
                continue
            y = L.geom.positions[:, 1]
            f = cylinder_phase(phi, y[L.frm], y[L.to], L.disp[:, 1], ly)
            factors.append(None if np.all(f == 1.0) else f)
        self._cylinder = tuple(factors)

    def transverse_blocks(self, bond_blocks=None, layer: int = 0) -> np.ndarray:
        """Blocks ``U_b`` of a layer's transverse bonds with the cylinder's phases.

        ``bond_blocks`` (nb, s, s) or (count, nb, s, s) are a random model's drawn blocks;
        default the layer's static ones. Returned as given when no bond carries a phase.
        """
        blocks = self.layers[layer].bond_blocks if bond_blocks is None else bond_blocks
        f = self._cylinder[layer]
        if f is None:
            return blocks
        return blocks * f[:, None, None]

    # -- the field ---------------------------------------------------------------------
    def gauge(self, layer: int = 0, flux: float | None = None) -> np.ndarray:
        """Gauge angles ``chi`` (S,) that remove the Landau phases of a layer's own bonds."""
        f = self.flux if flux is None else float(flux)
        L = self.layers[layer]
        g = L.geom
        chi = np.full(g.sites, np.nan)
        if not self.gauged or f == 0.0 or L.frm.size == 0:
            return np.zeros(g.sites)
        y_mid = g.positions[L.frm, 1] + 0.5 * L.disp[:, 1]
        theta = 2 * np.pi * f / g.cell_area * y_mid * L.disp[:, 0]
        adj = [[] for _ in range(g.sites)]
        for k, (a, b) in enumerate(zip(L.frm, L.to)):
            adj[a].append((b, theta[k]))
            adj[b].append((a, -theta[k]))
        for root in range(g.sites):
            if not np.isnan(chi[root]):
                continue
            chi[root] = 0.0
            todo = [root]
            while todo:
                a = todo.pop()
                for b, th in adj[a]:
                    if np.isnan(chi[b]):
                        chi[b] = chi[a] + th
                        todo.append(b)
                    elif abs(np.exp(1j * (chi[a] + th - chi[b])) - 1) > 1e-9:
                        raise InputError(
                            "this flux does not fit around the periodic cross-section (a "
                            "ring of bonds in a slice encloses a fractional flux); use "
                            "boundary='hard' or a commensurate flux")
        return chi

    def phases(self, flux: float | None = None) -> np.ndarray:
        """Peierls factors of the x bonds, (S,) complex, for ``flux`` (default the model's).

        Entry ``i`` is the factor of the bond from site ``i`` to site ``i`` of the next
        layer (1 where site ``i`` has none), after the gauge of :meth:`gauge`.
        """
        g = self.geometry
        f = self.flux if flux is None else float(flux)
        if self.p == 1 and not self.gauged:
            y_mid = 0.5 * (g.positions[g.x_frm, 1] + g.positions[g.x_to, 1])
            out = landau_phase(f, y_mid, g.x_displacement[:, 0], g.cell_area)
            if g.x_frm.size != self.sites:
                full = np.ones(self.sites, dtype=complex)
                full[g.x_frm] = out
                out = full
            return out
        chis = [self.gauge(k, f) for k in range(self.p)]
        out = np.ones(self.sites, dtype=complex)
        seen = np.zeros(self.sites, dtype=bool)
        for k, L in enumerate(self.layers):
            i = L.geom.x_frm
            y_mid = L.geom.positions[i, 1] + 0.5 * L.x_disp[:, 1]
            ph = landau_phase(f, y_mid, L.x_disp[:, 0], L.geom.cell_area)
            ph = ph * np.exp(1j * (chis[k][i] - chis[(k + 1) % self.p][i]))
            clash = seen[i] & (np.abs(out[i] - ph) > 1e-12)
            if np.any(clash):
                raise InputError("the layers' x bonds of one site index need the same Peierls "
                                 "phase; order the layers' sites so that they do")
            out[i] = ph
            seen[i] = True
        ly = g.transverse_period
        if ly is not None and f != 0.0:
            for L in self.layers:
                q = f / L.geom.cell_area * ly * L.x_disp[:, 0]
                if np.any(np.abs(q - np.round(q)) > 1e-9):
                    raise InputError(
                        "with periodic boundaries the flux through the cylinder's strip "
                        "must be quantized (flux * width-related integer); use a "
                        "commensurate flux or boundary='hard'")
        return out

    # -- random numbers ----------------------------------------------------------------
    def draw(self, rng: np.random.Generator, count: int, *, onsite: bool = True) -> dict:
        """Random numbers of ``count`` consecutive slices (order: module docstring).

        Returns a dict with ``onsite`` ``(count, S)`` in units of t (unless ``onsite`` is
        False: explicit onsite energies replace the draw) and, for a random spin model,
        ``bond_blocks`` ``(count, nb, s, s)`` (families in order) and ``x_blocks``
        ``(count, S, s, s)`` (without Peierls phases). With layers, ``count`` counts
        layers (engine slices).
        """
        count = v.positive_int("count", count)
        out = {}
        if onsite and self.disorder.correlated:
            raise InputError("correlated disorder is drawn for a whole finite sample "
                             "(Lattice.realize); the endless bar of the transfer matrices "
                             "needs uncorrelated disorder")
        if onsite:
            eps = self.disorder.draw(rng, (count,) + tuple(self.geometry.onsite_shape))
            out["onsite"] = eps.reshape(count, self.sites)
        if self.spin.random:
            fams = [self.spin.draw(rng, (count, nb)) for nb in self.family_sizes]
            out["bond_blocks"] = np.concatenate(fams, axis=1)
            out["x_blocks"] = self.spin.draw(rng, (count, self.sites))
        return out

    # -- dense matrices ----------------------------------------------------------------
    def slice_hamiltonian(self, onsite=None, bond_blocks=None, layer: int = 0) -> np.ndarray:
        """Dense ``H_x`` (n, n) of a layer: its own bonds plus ``diag(onsite)`` (units of t)."""
        L = self.layers[layer]
        blocks = self.transverse_blocks(bond_blocks, layer)
        h = np.zeros((self.n, self.n), dtype=complex)
        place_bonds(h, L.frm, L.to, blocks, self.s, self.hopping)
        if onsite is not None:
            h[np.diag_indices(self.n)] += np.repeat(np.asarray(onsite).ravel(), self.s)
        return h

    def hopping_matrix(self, x_blocks=None, phases=None, layer: int = 0) -> np.ndarray:
        """Dense ``V_x = H[x+1, x]`` (n, n): ``-t`` times the phased x-bond blocks."""
        L = self.layers[layer]
        blocks = L.x_blocks if x_blocks is None else x_blocks
        ph = self.phases() if phases is None else phases
        blk = -self.hopping * ph[:, None, None] * blocks
        s = self.s
        out = np.zeros((self.n, self.n), dtype=complex)
        idx = s * np.arange(self.sites)
        for a in range(s):
            for b in range(s):
                out[idx + a, idx + b] = blk[:, a, b]
        return out

    def lead_coupling(self, flux: float | None = None) -> np.ndarray:
        """``V`` from the last layer of a slice into the next one, clean and spin-degenerate."""
        if self.p == 1:
            return self.lead(flux)[1]
        L = self.layers[-1]
        eye = np.broadcast_to(np.eye(self.s, dtype=complex), (self.sites, self.s, self.s))
        return self.hopping_matrix(eye * L.x_mask[:, None, None], self.phases(flux), self.p - 1)

    def lead(self, flux: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Clean lead ``(H0, V0)``: no disorder, no spin-orbit (spin-degenerate), the field
        and the cylinder flux.

        One slice of the lead, all its layers: ``(p n, p n)`` matrices.
        """
        s = self.s
        eye = np.eye(s, dtype=complex)

        def unit(k):   # the layer's transverse blocks without spin: 1, or the seam phases
            f = self._cylinder[k]
            return eye if f is None else f[:, None, None] * eye

        if self.p == 1:
            h0 = np.zeros((self.n, self.n), dtype=complex)
            place_bonds(h0, self.frm, self.to, unit(0), s, self.hopping)
            v0 = np.diag(np.repeat(-self.hopping * self.phases(flux), s))
            return h0, v0
        n, p = self.n, self.p
        ph = self.phases(flux)
        h0 = np.zeros((p * n, p * n), dtype=complex)
        v0 = np.zeros((p * n, p * n), dtype=complex)
        for k, L in enumerate(self.layers):
            blk = slice(k * n, (k + 1) * n)
            place_bonds(h0[blk, blk], L.frm, L.to, unit(k), s, self.hopping)
            vx = self.hopping_matrix(np.broadcast_to(eye, (self.sites, s, s))
                                     * L.x_mask[:, None, None], ph, k)
            if k + 1 < p:
                nxt = slice((k + 1) * n, (k + 2) * n)
                h0[nxt, blk] += vx
                h0[blk, nxt] += vx.conj().T
            else:
                v0[0:n, blk] = vx
        return h0, v0

    def reduced_lead(self, energy: float, flux: float | None = None) -> dict:
        r"""The clean lead of a layered slice reduced to an invertible hopping (decimation).

        A slice of several layers couples to the next one through a few sites only, so the
        lead's ``V0`` is singular. Keeping the sites ``I`` of layer 0 that the previous slice
        hops into and eliminating the rest ``R`` of each slice at ``energy`` (Schur
        complement, ``G_R = (E - H_RR)^{-1}``) leaves a chain of ``I`` blocks with

        .. math::

            h_\mathrm{eff} = H_{II} + H_{IR} G_R H_{RI} + W G_{OO} W^\dagger, \qquad
            v_\mathrm{eff} = W G_{O\cdot} H_{RI},

        ``W = V0[I, O]`` the hopping from the out-sites ``O`` of the last layer. Returns a
        dict with ``h_eff``, ``v_eff``, ``left_extra`` (``W G_OO W^+``, added to the left
        self-energy on ``I``), ``right_onsite`` (``H_II + H_IR G_R H_RI``), ``w``, ``inn``
        (orbital indices of ``I`` in layer 0) and ``out`` (of ``O`` in the last layer).
        """
        h0, v0 = self.lead(flux)
        n, p = self.n, self.p
        rows = np.flatnonzero(np.any(v0 != 0, axis=1))
        cols = np.flatnonzero(np.any(v0 != 0, axis=0))
        if rows.size != cols.size or np.any(rows >= n) or np.any(cols < (p - 1) * n):
            raise InputError("this layered lead cannot be reduced: its slices must couple "
                             "the last layer's sites one to one into layer 0")
        rest = np.setdiff1d(np.arange(p * n), rows)
        pos_o = np.searchsorted(rest, cols)
        e = float(energy)
        g_r = np.linalg.inv(e * np.eye(rest.size) - h0[np.ix_(rest, rest)])
        w = v0[np.ix_(rows, cols)]
        h_ri = h0[np.ix_(rest, rows)]
        own = h0[np.ix_(rows, rows)] + h_ri.conj().T @ g_r @ h_ri
        extra = w @ g_r[np.ix_(pos_o, pos_o)] @ w.conj().T
        return {"h_eff": own + extra, "v_eff": w @ g_r[pos_o] @ h_ri,
                "left_extra": extra, "right_onsite": own, "w": w, "inn": rows,
                "out": cols - (p - 1) * n}

    # -- transfer-matrix view ----------------------------------------------------------
    def structure(self) -> SliceStructure:
        """The :class:`SliceStructure` of the transfer-matrix kernel.

        Every site must hop to the next slice (``V_x`` invertible): the square and cubic
        lattices and the zigzag honeycomb ribbon (whose two layers alternate; their bonds
        then come with each chunk, :meth:`draw_phased`), not the armchair ribbon.
        """
        if not all(L.geom.x_complete for L in self.layers):
            raise InputError("the transfer matrices need every site to hop to the next slice "
                             "(square, cubic, zigzag honeycomb); use the Landauer conductance "
                             "for this lattice")
        phases = self.phases()
        if self.p > 1:
            frm, to, blocks = self._union_bonds()
            xb = np.array([phases[:, None, None] * L.x_blocks for L in self.layers])
            real = bool(np.all(blocks.imag == 0) and np.all(xb.imag == 0))
            return SliceStructure(frm=frm, to=to, bond_blocks=None, x_blocks=None,
                                  phases=phases, n_bonds_y=int(frm.size), spin=self.s,
                                  hopping=self.hopping, real=real)
        x_blocks = None if self.x_blocks is None else phases[:, None, None] * self.x_blocks
        bond_blocks = None if self.bond_blocks is None else self.transverse_blocks()
        static_real = all(b is None or np.all(b.imag == 0) for b in (bond_blocks, x_blocks))
        return SliceStructure(frm=self.frm, to=self.to, bond_blocks=bond_blocks,
                              x_blocks=x_blocks, phases=phases,
                              n_bonds_y=self.family_sizes[0] if self.family_sizes else 0,
                              spin=self.s, hopping=self.hopping,
                              real=bool(not self.spin.random and static_real))

    def _union_bonds(self):
        """Every layer's bonds on one list: ``frm``, ``to`` and blocks ``(p, nb, s, s)``
        (zero where a layer lacks the bond)."""
        pairs = sorted({(int(a), int(b)) for L in self.layers for a, b in zip(L.frm, L.to)})
        frm = np.array([a for a, _ in pairs], dtype=np.int64)
        to = np.array([b for _, b in pairs], dtype=np.int64)
        where = {pair: k for k, pair in enumerate(pairs)}
        blocks = np.zeros((self.p, len(pairs), self.s, self.s), dtype=complex)
        for k, L in enumerate(self.layers):
            for a, b, u in zip(L.frm, L.to, self.transverse_blocks(layer=k)):
                blocks[k, where[(int(a), int(b))]] = u
        return frm, to, blocks

    def draw_phased(self, rng: np.random.Generator, count: int, start: int = 0) -> dict:
        """:meth:`draw` with the Peierls phases folded into ``x_blocks``.

        With layers, ``bond_blocks`` (on ``_union_bonds``) and ``x_blocks`` come per
        slice too, the first slice being layer ``start``.
        """
        raw = self.draw(rng, count)
        if "x_blocks" in raw:
            raw["x_blocks"] = self.phases()[None, :, None, None] * raw["x_blocks"]
        if "bond_blocks" in raw and self.p == 1 and self._cylinder[0] is not None:
            raw["bond_blocks"] = raw["bond_blocks"] * self._cylinder[0][None, :, None, None]
        if self.p > 1:
            layer = (start + np.arange(count)) % self.p
            ph = self.phases()
            raw["bond_blocks"] = self._union_bonds()[2][layer]
            raw["x_blocks"] = np.array([ph[:, None, None] * L.x_blocks
                                        for L in self.layers])[layer]
        return raw


def _model(lattice) -> SliceModel:
    return lattice if isinstance(lattice, SliceModel) else lattice.slice_model()


def slice_structure(lattice) -> SliceStructure:
    """The :class:`SliceStructure` of a Lattice (or SliceModel); ``length`` is not used."""
    if getattr(lattice, "shape", None) is not None:
        raise InputError("a sample shape needs a finite sample (Landauer conductance); the "
                         "transfer matrices run along an endless uniform bar")
    return _model(lattice).structure()


def draw_slice_chunk(lattice, rng: np.random.Generator, count: int, start: int = 0) -> dict:
    """Random numbers of ``count`` consecutive slices of an endless bar.

    Returns a dict with ``onsite`` ``(count, S)`` in units of t and, for a random spin
    model or a layered slice (first slice: layer ``start``), ``bond_blocks``
    ``(count, nb, s, s)`` and ``x_blocks`` ``(count, S, s, s)`` (with the Peierls factors).
    """
    return _model(lattice).draw_phased(rng, count, start)


def endless_slices(lattice, seed=None, *, chunk: int = 256
                   ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield dense ``(H_x, V_x)`` of disordered slices without end (``length`` ignored).

    The slow reference of the transfer-matrix kernel: the numbers :func:`draw_slice_chunk`
    draws, as dense matrices (same site order and ``V_x = H[x+1, x]`` as
    :meth:`weakloc.lattice.Realization.slices`, but every ``V_x`` is the slice's own).

    Parameters
    ----------
    lattice : Lattice or SliceModel
        Cross-section, disorder and symmetry.
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        Source of randomness; a Generator is used (and advanced) in place.
    chunk : int
        Slices drawn per call; the numbers depend on it.
    """
    rng = as_generator(seed)
    model = _model(lattice)
    phases = model.phases()
    x = 0
    while True:
        raw = model.draw(rng, chunk)
        for j in range(chunk):
            bb = raw["bond_blocks"][j] if "bond_blocks" in raw else None
            xb = raw["x_blocks"][j] if "x_blocks" in raw else None
            layer = x % model.p
            yield (model.slice_hamiltonian(raw["onsite"][j], bb, layer),
                   model.hopping_matrix(xb, phases, layer))
            x += 1


class SliceStream:
    """Chunks of slice data of one realization, shared by every flux and energy (RGF view).

    Each chunk is ``(h, diag, v)``: ``h`` of shape ``(K, n, n)`` (``K = 1`` when the slice
    Hamiltonian has no random hopping and only the onsite diagonal changes, given then by
    ``diag`` of shape ``(C, n)``) and ``v`` of shape ``(K', sites, s, s)``, the x-hoppings
    ``-t X_i`` without Peierls phases (the sweep multiplies them in per member).
    """

    def __init__(self, realization, chunk: int | None = None):
        lat = realization.lattice
        model = lat.slice_model()
        self.realization = realization
        self.lattice = lat
        self.model = model
        self.n = model.n
        self.spin = model.s
        self.sites = model.sites
        #: engine slices of the sample (layers included)
        self.length = lat.length * model.p
        p = model.p
        if chunk is None:
            # about 8 MB of slice matrices per chunk for a random spin model
            chunk = max(1, min(256, int(8e6 // (16 * self.n * self.n))))
        self.chunk = -(-chunk // p) * p     # whole slices: every chunk starts at layer 0
        self.static = not model.spin.random
        t = model.hopping
        if self.static:
            hs = np.array([model.slice_hamiltonian(layer=k) for k in range(p)])
            vs = np.array([-t * L.x_blocks for L in model.layers])
            reps = self.chunk // p if p > 1 else 1
            self.h_static = np.ascontiguousarray(np.tile(hs, (reps, 1, 1)))
            self.v_static = np.ascontiguousarray(np.tile(vs, (reps, 1, 1, 1)))

    def chunks(self):
        """Yield ``(h, diag, v)`` per chunk of slices (see the class docstring)."""
        s = self.spin
        model = self.model
        mask = self.realization.site_mask()
        x0 = 0
        for raw in self.realization.draws(self.chunk):
            diag = np.ascontiguousarray(np.repeat(raw["onsite"], s, axis=1), dtype=float)
            k = diag.shape[0]
            if self.static:
                if self.h_static.shape[0] == 1:
                    out = (self.h_static, diag, self.v_static)
                else:
                    out = (self.h_static[:k], diag, self.v_static[:k])
            else:
                hs = np.array([model.slice_hamiltonian(None, bb) for bb in raw["bond_blocks"]])
                out = (np.ascontiguousarray(hs), diag,
                       np.ascontiguousarray(-model.hopping * raw["x_blocks"]))
            if mask is not None:
                out = self._cut(out, mask, x0)
            x0 += k
            yield out

    def _cut(self, chunk, mask, x0):
        """Per-slice copies of a chunk with the shape's removed sites cut out."""
        h, diag, v = chunk
        k = diag.shape[0]
        keep = mask[x0:x0 + k]
        nxt = np.ones_like(keep)
        nxt[: min(k, mask.shape[0] - x0 - 1)] = mask[x0 + 1:x0 + k + 1]
        if keep.all() and nxt.all():
            return chunk
        h = np.array(np.broadcast_to(h, (k,) + h.shape[1:]))
        v = np.array(np.broadcast_to(v, (k,) + v.shape[1:]))
        for j in range(k):
            remove_sites(h[j], v[j], keep[j], nxt[j], self.spin)
        diag = diag.copy()
        diag[np.repeat(~keep, self.spin, axis=1)] = 0.0
        return np.ascontiguousarray(h), diag, np.ascontiguousarray(v)
