r"""The one slice builder: a geometry, a spin model, a disorder and a field, as slices.

.. math::

    H = \sum_i \varepsilon_i c_i^\dagger c_i
        - t \sum_{\langle ij \rangle} c_j^\dagger\, U_{ij}\, e^{i\varphi_{ij}}\, c_i,

in lattice units (hopping ``t``, lengths in lattice constants). :class:`SliceModel` hands
every engine the same numbers in the form it consumes:

* the finite sample (:class:`weakloc.lattice.Realization`): dense ``(H_x, V_x)`` per slice
  with ``V_x = H[x+1, x]`` (:meth:`SliceModel.slice_hamiltonian`, :meth:`SliceModel.hopping`);
* the RGF sweep (:class:`SliceStream`): chunks ``(h, diag, v)``;
* the transfer matrices (:meth:`SliceModel.structure`, :meth:`SliceModel.draw`): the bond
  lists and blocks of the compiled kernel;
* the clean leads (:meth:`SliceModel.lead`): no disorder, no spin-orbit, the same field.

The Peierls phases come from :func:`weakloc.lattice.hopping.landau_phase` (Landau gauge
along x, so only bonds with an x-extent carry one). Drawing order of ``count`` slices
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
from weakloc.lattice.hopping import landau_phase
from weakloc.lattice.spin import NoSpin, SpinModel
from weakloc.seeding import as_generator

__all__ = ["SliceModel", "SliceStructure", "SliceStream", "slice_structure",
           "draw_slice_chunk", "endless_slices", "place_bonds"]


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


class SliceModel:
    """A slice geometry with a spin model, a disorder model, a hopping and a field.

    Parameters
    ----------
    geometry : SliceGeometry
        Sites and bonds of a slice (e.g. :func:`weakloc.lattice.geometry.strip`).
    spin : SpinModel
        Spin model object (:mod:`weakloc.lattice.spin`); default spinless.
    disorder : Disorder
        Onsite disorder object (:mod:`weakloc.lattice.disorder`); default none.
    hopping : float
        ``t``, the energy unit.
    flux : float
        Flux per cell (``geometry.cell_area``) in units of ``h/e``.
    """

    def __init__(self, geometry: SliceGeometry, spin: SpinModel | None = None,
                 disorder: Disorder | None = None, hopping: float = 1.0, flux: float = 0.0):
        self.geometry = geometry
        self.spin = NoSpin() if spin is None else spin
        self.disorder = BoxDisorder(0.0) if disorder is None else disorder
        self.hopping = float(hopping)
        self.flux = float(flux)
        g = geometry
        if not g.x_diagonal:
            raise InputError("the slice engines need every site to hop to the same site of "
                             "the next slice; order the slice's sites accordingly")
        frm, to, disp = g.transverse()
        if np.any(disp[:, 0] != 0):
            raise InputError("transverse bonds must stay inside the slice (no x-extent)")
        self.frm, self.to, self.displacement = frm, to, disp
        self.family_sizes = tuple(int(f[0].size) for f in g.families)
        self.s = int(self.spin.spin)
        self.sites = g.sites
        self.n = self.sites * self.s
        self.bond_blocks = self.x_blocks = None
        if not self.spin.random:
            self.bond_blocks = self._static_blocks(disp)
            self.x_blocks = self._static_blocks(g.x_displacement)

    def _static_blocks(self, disp) -> np.ndarray:
        """``U(d)`` of every bond, evaluated once per distinct direction."""
        if disp.shape[0] == 0:
            return np.zeros((0, self.s, self.s), dtype=complex)
        unit = disp / np.linalg.norm(disp, axis=1)[:, None]
        dirs, which = np.unique(unit, axis=0, return_inverse=True)
        blocks = np.array([self.spin.block(d) for d in dirs], dtype=complex)
        return blocks[np.asarray(which).ravel()]

    def with_flux(self, flux: float) -> SliceModel:
        """The same model in another field (shares every array)."""
        other = copy.copy(self)
        other.flux = float(flux)
        return other

    # -- the field ---------------------------------------------------------------------
    def phases(self, flux: float | None = None) -> np.ndarray:
        """Peierls factors of the x bonds, (S,) complex, for ``flux`` (default the model's)."""
        g = self.geometry
        f = self.flux if flux is None else float(flux)
        y_mid = 0.5 * (g.positions[g.x_frm, 1] + g.positions[g.x_to, 1])
        return landau_phase(f, y_mid, g.x_displacement[:, 0], g.cell_area)

    # -- random numbers ----------------------------------------------------------------
    def draw(self, rng: np.random.Generator, count: int, *, onsite: bool = True) -> dict:
        """Random numbers of ``count`` consecutive slices (order: module docstring).

        Returns a dict with ``onsite`` ``(count, S)`` in units of t (unless ``onsite`` is
        False: explicit onsite energies replace the draw) and, for a random spin model,
        ``bond_blocks`` ``(count, nb, s, s)`` (families in order) and ``x_blocks``
        ``(count, S, s, s)`` (without Peierls phases).
        """
        count = v.positive_int("count", count)
        out = {}
        if onsite:
            eps = self.disorder.draw(rng, (count,) + tuple(self.geometry.onsite_shape))
            out["onsite"] = eps.reshape(count, self.sites)
        if self.spin.random:
            fams = [self.spin.draw(rng, (count, nb)) for nb in self.family_sizes]
            out["bond_blocks"] = np.concatenate(fams, axis=1)
            out["x_blocks"] = self.spin.draw(rng, (count, self.sites))
        return out

    # -- dense matrices ----------------------------------------------------------------
    def slice_hamiltonian(self, onsite=None, bond_blocks=None) -> np.ndarray:
        """Dense ``H_x`` (n, n): the transverse bonds plus ``diag(onsite)`` (units of t)."""
        blocks = self.bond_blocks if bond_blocks is None else bond_blocks
        h = np.zeros((self.n, self.n), dtype=complex)
        place_bonds(h, self.frm, self.to, blocks, self.s, self.hopping)
        if onsite is not None:
            h[np.diag_indices(self.n)] += np.repeat(np.asarray(onsite).ravel(), self.s)
        return h

    def hopping_matrix(self, x_blocks=None, phases=None) -> np.ndarray:
        """Dense ``V_x = H[x+1, x]`` (n, n): ``-t`` times the phased x-bond blocks."""
        blocks = self.x_blocks if x_blocks is None else x_blocks
        ph = self.phases() if phases is None else phases
        blk = -self.hopping * ph[:, None, None] * blocks
        s = self.s
        out = np.zeros((self.n, self.n), dtype=complex)
        idx = s * self.geometry.x_frm
        for a in range(s):
            for b in range(s):
                out[idx + a, idx + b] = blk[:, a, b]
        return out

    def lead(self, flux: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Clean lead ``(H0, V0)``: no disorder, no spin-orbit (spin-degenerate), the field."""
        s = self.s
        eye = np.eye(s, dtype=complex)
        h0 = np.zeros((self.n, self.n), dtype=complex)
        place_bonds(h0, self.frm, self.to, eye, s, self.hopping)
        v0 = np.diag(np.repeat(-self.hopping * self.phases(flux), s))
        return h0, v0

    # -- transfer-matrix view ----------------------------------------------------------
    def structure(self) -> SliceStructure:
        """The :class:`SliceStructure` of the transfer-matrix kernel."""
        phases = self.phases()
        x_blocks = None if self.x_blocks is None else phases[:, None, None] * self.x_blocks
        static_real = all(b is None or np.all(b.imag == 0) for b in (self.bond_blocks,
                                                                       x_blocks))
        return SliceStructure(frm=self.frm, to=self.to, bond_blocks=self.bond_blocks,
                              x_blocks=x_blocks, phases=phases,
                              n_bonds_y=self.family_sizes[0] if self.family_sizes else 0,
                              spin=self.s, hopping=self.hopping,
                              real=bool(not self.spin.random and static_real))

    def draw_phased(self, rng: np.random.Generator, count: int) -> dict:
        """:meth:`draw` with the Peierls phases folded into ``x_blocks``."""
        raw = self.draw(rng, count)
        if "x_blocks" in raw:
            raw["x_blocks"] = self.phases()[None, :, None, None] * raw["x_blocks"]
        return raw


def _model(lattice) -> SliceModel:
    return lattice if isinstance(lattice, SliceModel) else lattice.slice_model()


def slice_structure(lattice) -> SliceStructure:
    """The :class:`SliceStructure` of a Lattice (or SliceModel); ``length`` is not used."""
    return _model(lattice).structure()


def draw_slice_chunk(lattice, rng: np.random.Generator, count: int) -> dict:
    """Random numbers of ``count`` consecutive slices of an endless bar.

    Returns a dict with ``onsite`` ``(count, S)`` in units of t and, for a random spin
    model, ``bond_blocks`` ``(count, nb, s, s)`` and ``x_blocks`` ``(count, S, s, s)``
    (with the Peierls factors).
    """
    return _model(lattice).draw_phased(rng, count)


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
    while True:
        raw = model.draw(rng, chunk)
        for j in range(chunk):
            bb = raw["bond_blocks"][j] if "bond_blocks" in raw else None
            xb = raw["x_blocks"][j] if "x_blocks" in raw else None
            yield (model.slice_hamiltonian(raw["onsite"][j], bb),
                   model.hopping_matrix(xb, phases))


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
        if chunk is None:
            # about 8 MB of slice matrices per chunk for a random spin model
            chunk = max(1, min(256, int(8e6 // (16 * self.n * self.n))))
        self.chunk = chunk
        self.static = not model.spin.random
        t = model.hopping
        if self.static:
            self.h_static = np.ascontiguousarray(model.slice_hamiltonian()[None])
            self.v_static = np.ascontiguousarray((-t * model.x_blocks)[None])

    def chunks(self):
        """Yield ``(h, diag, v)`` per chunk of slices (see the class docstring)."""
        s = self.spin
        model = self.model
        for raw in self.realization.draws(self.chunk):
            diag = np.ascontiguousarray(np.repeat(raw["onsite"], s, axis=1), dtype=float)
            if self.static:
                yield self.h_static, diag, self.v_static
                continue
            hs = np.array([model.slice_hamiltonian(None, bb) for bb in raw["bond_blocks"]])
            yield (np.ascontiguousarray(hs), diag,
                   np.ascontiguousarray(-model.hopping * raw["x_blocks"]))
