"""Disordered tight-binding lattices: a frozen description and its realizations.

The Anderson model on the square lattice (2D strip, width ``M``, length ``L``) and on the
cubic lattice (3D bar, cross-section ``M x M2``, length ``L``), in lattice units (hopping
``t = 1``, lattice constant ``a = 1``)::

    H = sum_i eps_i c_i^+ c_i - t sum_<ij> c_i^+ U_ij c_j

* **orthogonal**: ``U = 1``;
* **unitary**: a uniform field, flux ``phi`` per plaquette in units of ``h/e``, as the Peierls
  factor ``exp(2 pi i phi y)`` on the x-bonds (Landau gauge along the transport direction, in
  the leads too, so they stay translation invariant). An electron (charge -e) hopping
  counterclockwise around a plaquette picks up ``exp(-2 pi i phi)``: B along +z for
  ``phi > 0``;
* **symplectic**: spin-1/2 with random SU(2) hoppings (Asada-Slevin-Ohtsuki) or the Ando
  model; combined with a field they fall into the unitary class.

The system is a stack of ``L`` slices along ``x``. Inside a slice, sites are ordered
``index = (y * M2 + z) * spin + s``. A :class:`Realization` yields, slice by slice, the
slice Hamiltonian ``H_x`` and the hopping block ``V_x = H[x+1, x]``, drawing its random
numbers slice by slice, so memory does not grow with ``L`` and streaming and materializing
give the same numbers. Clean semi-infinite leads (no disorder, no spin-orbit, same field)
are attached at both ends; the lead-sample bonds are plain lead bonds.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.lattice.hopping import ando_matrices, peierls_phase, su2_matrices
from weakloc.seeding import as_generator

__all__ = ["Lattice", "Realization", "SYMMETRIES", "symmetry_class"]

#: The three Wigner-Dyson classes, in order of Dyson index 1, 2, 4.
SYMMETRIES = ("orthogonal", "unitary", "symplectic")
_SPIN_ORBIT = ("none", "su2", "ando")


def symmetry_class(flux: float, spin_orbit: str, soc: float) -> str:
    """Wigner-Dyson class of a lattice with this field and spin-orbit model.

    A field (``flux != 0``) breaks time reversal: 'unitary', whatever the spin-orbit model.
    Otherwise SU(2) hopping, or the Ando model with ``S > 0``, is 'symplectic'; else
    'orthogonal'.
    """
    if flux != 0.0:
        return "unitary"
    if spin_orbit == "su2" or (spin_orbit == "ando" and soc > 0):
        return "symplectic"
    return "orthogonal"


@dataclass(frozen=True)
class Lattice:
    """Description of a disordered strip (2D) or bar (3D); realize it with :meth:`realize`.

    Parameters
    ----------
    dim : {2, 3}
        Lattice dimension.
    width : int
        ``M``, sites across (y).
    length : int
        ``L``, slices along the transport direction x.
    height : int, optional
        ``M2``, sites along z (3D; defaults to ``width``). Must be 1 in 2D.
    disorder : float
        ``W`` in units of ``t``: box disorder uniform in ``[-W/2, W/2]``.
    disorder_kind : {'box', 'gaussian'}
        'gaussian' has standard deviation ``W / sqrt(12)``, the variance of the box.
    flux : float
        Flux per plaquette (x-y plane) in units of ``h/e``.
    spin_orbit : {'none', 'su2', 'ando'}
        Spin-orbit model.
    soc : float
        Ando strength ``S = sin(theta)`` (ignored otherwise).
    boundary : {'hard', 'periodic'}
        Transverse boundaries. Periodic needs ``width >= 3`` (and ``height >= 3`` in 3D);
        with a field it needs ``flux * width`` to be an integer.
    hopping : float
        ``t``, the energy unit (keep 1 unless you rescale on purpose).
    """

    dim: int = 2
    width: int = 16
    length: int = 16
    height: int | None = None
    disorder: float = 0.0
    disorder_kind: str = "box"
    flux: float = 0.0
    spin_orbit: str = "none"
    soc: float = 0.5
    boundary: str = "hard"
    hopping: float = 1.0

    def __post_init__(self):
        dim = v.dimension(self.dim, allowed=(2, 3))
        width = v.positive_int("width", self.width)
        length = v.positive_int("length", self.length)
        if self.height is None:
            height = width if dim == 3 else 1
        else:
            height = v.positive_int("height", self.height)
        if dim == 2 and height != 1:
            raise InputError("height is only for dim=3; leave it out (or 1) for a 2D strip")
        disorder = float(v.nonnegative("disorder", self.disorder))
        v.choice("disorder_kind", self.disorder_kind, ("box", "gaussian"))
        flux = float(v.finite_array("flux", self.flux))
        v.choice("spin_orbit", self.spin_orbit, _SPIN_ORBIT)
        soc = float(v.in_range("soc", self.soc, 0.0, 1.0, closed=True))
        v.choice("boundary", self.boundary, ("hard", "periodic"))
        hopping = float(v.positive("hopping", self.hopping))
        if self.boundary == "periodic":
            if width < 3 or (dim == 3 and height < 3):
                raise InputError(
                    "periodic transverse boundaries need width (and height) >= 3; "
                    "use boundary='hard' for narrower systems"
                )
            if abs(flux * width - round(flux * width)) > 1e-9:
                raise InputError(
                    f"with periodic boundaries flux*width must be an integer (flux quantization "
                    f"around the cylinder); use flux = k/{width} or boundary='hard'"
                )
        for name, val in (("dim", dim), ("width", width), ("length", length),
                          ("height", height), ("disorder", disorder), ("flux", flux),
                          ("soc", soc), ("hopping", hopping)):
            object.__setattr__(self, name, val)

    # -- derived quantities ------------------------------------------------------------
    @property
    def spin(self) -> int:
        """Number of spin components per site (2 with spin-orbit, else 1)."""
        return 1 if self.spin_orbit == "none" else 2

    @property
    def sites_per_slice(self) -> int:
        return self.width * self.height

    @property
    def n(self) -> int:
        """Dimension of a slice Hamiltonian: ``width * height * spin``."""
        return self.width * self.height * self.spin

    @property
    def onsite_shape(self) -> tuple:
        """Shape of an explicit onsite array: ``(L, M)`` in 2D, ``(L, M, M2)`` in 3D."""
        if self.dim == 2:
            return (self.length, self.width)
        return (self.length, self.width, self.height)

    @property
    def symmetry(self) -> str:
        """Wigner-Dyson class: 'orthogonal', 'unitary' or 'symplectic'."""
        return symmetry_class(self.flux, self.spin_orbit, self.soc)

    def with_(self, **changes) -> Lattice:
        """A copy with some fields changed (e.g. ``lat.with_(flux=0.01)``)."""
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    # -- structure ------------------------------------------------------------------------
    def _bonds(self, axis: int):
        """Transverse bonds along y (axis 0) or z (axis 1): arrays of (from, to) site indices."""
        m, m2 = self.width, self.height
        y, z = np.meshgrid(np.arange(m), np.arange(m2), indexing="ij")
        size = m if axis == 0 else m2
        coord = y if axis == 0 else z
        keep = coord < size - 1 if self.boundary == "hard" else np.ones_like(coord, bool)
        if size == 1:
            keep = np.zeros_like(coord, bool)
        ny = (y + 1) % m if axis == 0 else y
        nz = z if axis == 0 else (z + 1) % m2
        frm = (y * m2 + z)[keep]
        to = (ny * m2 + nz)[keep]
        return frm, to

    def _x_phases(self) -> np.ndarray:
        """Peierls factors of the x-bonds of one slice, per site (length width*height)."""
        y = np.repeat(np.arange(self.width), self.height)
        return peierls_phase(self.flux, y)

    def _place(self, h: np.ndarray, frm, to, blocks) -> None:
        """Add ``-t U`` at ``h[to, frm]`` and its adjoint at ``h[frm, to]`` (spin blocks)."""
        s = self.spin
        t = self.hopping
        if s == 1:
            blocks = np.broadcast_to(blocks, frm.shape)
            np.add.at(h, (to, frm), -t * blocks)
            np.add.at(h, (frm, to), -t * np.conj(blocks))
            return
        blocks = np.broadcast_to(blocks, frm.shape + (2, 2))
        a = np.arange(2)
        rows = s * to[:, None, None] + a[None, :, None]
        cols = s * frm[:, None, None] + a[None, None, :]
        np.add.at(h, (rows, cols), -t * blocks)
        np.add.at(h, (cols, rows), -t * np.conj(blocks))

    def lead(self) -> tuple[np.ndarray, np.ndarray]:
        """Clean lead: slice Hamiltonian ``H0`` and hopping ``V0 = H[x+1, x]``, each (n, n).

        Leads carry no disorder and no spin-orbit (spin-degenerate) but the same field.
        ``V0`` is also the coupling from the left lead into slice 0 and from slice ``L-1``
        into the right lead.
        """
        n, s = self.n, self.spin
        h0 = np.zeros((n, n), dtype=complex)
        eye = np.eye(2) if s == 2 else 1.0
        for axis in (0, 1):
            frm, to = self._bonds(axis)
            if frm.size:
                self._place(h0, frm, to, eye)
        v0 = np.diag(np.repeat(-self.hopping * self._x_phases(), s))
        return h0, v0

    def realize(self, seed=None, onsite=None) -> Realization:
        """One disorder realization.

        Parameters
        ----------
        seed : int, numpy.random.Generator or None
            Source of the random onsite energies (and SU(2) hoppings). A Generator's state is
            snapshotted, so the realization can be iterated again with identical numbers.
        onsite : array_like, optional
            Explicit onsite energies in units of ``t``, shape :attr:`onsite_shape`, indexed
            ``[x, y(, z)]`` and spin-independent. Replaces the random onsite disorder.
        """
        if onsite is not None:
            arr = v.finite_array("onsite", onsite)
            if arr.shape != self.onsite_shape:
                raise InputError(
                    f"onsite array has shape {arr.shape}, expected {self.onsite_shape} "
                    f"(length, width{', height' if self.dim == 3 else ''})"
                )
            onsite = arr.reshape(self.length, self.width, self.height).copy()
            onsite.setflags(write=False)
        rng = copy.deepcopy(as_generator(seed))
        return Realization(self, rng, onsite)


@dataclass(frozen=True)
class Realization:
    """A lattice plus the random numbers of one disorder realization (see Lattice.realize)."""

    lattice: Lattice
    _rng: np.random.Generator = dataclasses.field(repr=False)
    onsite: np.ndarray | None = dataclasses.field(default=None, repr=False)

    def with_flux(self, flux: float) -> Realization:
        """Same disorder, another flux (for magnetoconductance on one realization)."""
        return Realization(self.lattice.with_(flux=flux), self._rng, self.onsite)

    def onsite_chunks(self, chunk: int) -> Iterator[np.ndarray]:
        """Onsite energies of ``chunk`` consecutive slices at a time, shape (K, M, M2).

        For models without random hopping (spin-orbit ``'none'`` or ``'ando'``) these are
        the numbers :meth:`slice_bonds` yields, drawn in one call per chunk instead of one
        per slice (numpy's Generator fills arrays element by element, so the stream is the
        same).
        """
        lat = self.lattice
        if lat.spin_orbit == "su2":
            raise ValueError("the SU(2) model draws hoppings between slices: use slice_bonds")
        rng = copy.deepcopy(self._rng)
        shape = (lat.width, lat.height)
        sigma = lat.disorder if lat.disorder_kind == "box" else lat.disorder / np.sqrt(12.0)
        for x0 in range(0, lat.length, chunk):
            k = min(chunk, lat.length - x0)
            if self.onsite is not None:
                yield self.onsite[x0:x0 + k]
            elif lat.disorder_kind == "box":
                yield rng.uniform(-0.5 * sigma, 0.5 * sigma, size=(k,) + shape)
            else:
                yield rng.normal(0.0, sigma, size=(k,) + shape)

    def slice_bonds(self) -> Iterator[dict]:
        """Raw per-slice data, in drawing order.

        Yields, for ``x = 0..L-1``, a dict with ``onsite`` (M, M2) in units of ``t`` and, for
        the SU(2) model, ``hop_y``, ``hop_z`` (one 2 x 2 matrix per transverse bond, in the
        order of the lattice's bond list) and ``hop_x`` (M*M2, 2, 2) towards slice ``x+1``.
        """
        lat = self.lattice
        rng = copy.deepcopy(self._rng)
        shape = (lat.width, lat.height)
        bonds_y, bonds_z = lat._bonds(0), lat._bonds(1)
        sigma = lat.disorder if lat.disorder_kind == "box" else lat.disorder / np.sqrt(12.0)
        for x in range(lat.length):
            out = {}
            if self.onsite is not None:
                out["onsite"] = self.onsite[x]
            elif lat.disorder_kind == "box":
                out["onsite"] = rng.uniform(-0.5 * sigma, 0.5 * sigma, size=shape)
            else:
                out["onsite"] = rng.normal(0.0, sigma, size=shape)
            if lat.spin_orbit == "su2":
                out["hop_y"] = su2_matrices(rng, (bonds_y[0].size,))
                out["hop_z"] = su2_matrices(rng, (bonds_z[0].size,))
                out["hop_x"] = su2_matrices(rng, (lat.sites_per_slice,))
            yield out

    def slices(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(H_x, V_x)`` for ``x = 0..L-1``, dense complex (n, n) arrays.

        ``V_x = H[x+1, x]``; for the last slice it is the coupling to the right lead, which
        is the plain lead hopping (see :meth:`Lattice.lead`).
        """
        lat = self.lattice
        s, n = lat.spin, lat.n
        bonds = (lat._bonds(0), lat._bonds(1))
        h_lead, v_lead = lat.lead()
        phases = lat._x_phases()
        static_h = None
        static_v = None
        if lat.spin_orbit in ("none", "ando"):
            if lat.spin_orbit == "none":
                static_h, static_v = h_lead, v_lead
            else:
                u = ando_matrices(lat.soc, lat.dim)
                static_h = np.zeros((n, n), dtype=complex)
                for axis in (0, 1):
                    frm, to = bonds[axis]
                    if frm.size:
                        lat._place(static_h, frm, to, u[axis + 1])
                static_v = np.zeros((n, n), dtype=complex)
                blocks = -lat.hopping * phases[:, None, None] * u[0]
                idx = np.arange(lat.sites_per_slice)
                for a in range(2):
                    for b in range(2):
                        static_v[2 * idx + a, 2 * idx + b] = blocks[:, a, b]
        last = lat.length - 1
        for x, raw in enumerate(self.slice_bonds()):
            diag = np.repeat(raw["onsite"].ravel(), s)
            if static_h is not None:
                h = static_h.copy()
                vx = static_v
            else:
                h = np.zeros((n, n), dtype=complex)
                for axis, key in ((0, "hop_y"), (1, "hop_z")):
                    frm, to = bonds[axis]
                    if frm.size:
                        lat._place(h, frm, to, raw[key])
                blocks = -lat.hopping * phases[:, None, None] * raw["hop_x"]
                vx = np.zeros((n, n), dtype=complex)
                idx = np.arange(lat.sites_per_slice)
                for a in range(2):
                    for b in range(2):
                        vx[2 * idx + a, 2 * idx + b] = blocks[:, a, b]
            h[np.diag_indices(n)] += diag
            yield h, (v_lead if x == last else vx)

    def hamiltonian(self):
        """The finite sample's Hamiltonian (no leads) as a scipy.sparse CSR matrix.

        Rows and columns are ordered slice by slice: ``x * n + (y * M2 + z) * spin + s``.
        Meant for small systems (tests, exact diagonalization).
        """
        import scipy.sparse as sp

        lat = self.lattice
        n, length = lat.n, lat.length
        blocks = [[None] * length for _ in range(length)]
        for x, (h, vx) in enumerate(self.slices()):
            blocks[x][x] = sp.csr_matrix(h)
            if x < length - 1:
                blocks[x + 1][x] = sp.csr_matrix(vx)
                blocks[x][x + 1] = sp.csr_matrix(vx.conj().T)
        if length == 1:
            return sp.csr_matrix(blocks[0][0])
        return sp.bmat(blocks, format="csr", dtype=complex).reshape(n * length, n * length)
