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

:class:`Lattice` is the convenience front of the model layer: it builds a
:class:`weakloc.lattice.slices.SliceModel` from a geometry
(:func:`weakloc.lattice.geometry.strip`), a spin model (:mod:`weakloc.lattice.spin`; the
``spin_orbit`` names or any object via ``spin_model``) and a disorder model
(:mod:`weakloc.lattice.disorder`). Every engine reads the slices through that object.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.lattice.disorder import DISORDER_KINDS, onsite_disorder
from weakloc.lattice.geometry import strip
from weakloc.lattice.honeycomb import EDGES, honeycomb_layers
from weakloc.lattice.slices import SliceModel, remove_sites
from weakloc.lattice.spin import SPIN_ORBIT, SpinModel, spin_model
from weakloc.seeding import as_generator

__all__ = ["Lattice", "Realization", "SYMMETRIES", "symmetry_class"]

#: The three Wigner-Dyson classes, in order of Dyson index 1, 2, 4.
SYMMETRIES = ("orthogonal", "unitary", "symplectic")
LATTICES = ("square", "cubic", "honeycomb")
#: slices drawn per call when a realization consumes a passed Generator
_CONSUME_CHUNK = 256


def symmetry_class(flux: float, spin_orbit, soc: float = 0.5, cylinder_flux: float = 0.0
                   ) -> str:
    """Wigner-Dyson class of a lattice with this field and spin-orbit model.

    A field (``flux != 0``) breaks time reversal: 'unitary', whatever the spin-orbit model;
    so does a flux through a cylinder unless it is a multiple of ``h/(2e)`` (the seam
    phase is then real).
    Otherwise the spin model decides (:attr:`SpinModel.time_reversal`): SU(2) hopping, the
    Ando model with ``S > 0`` or a Rashba coupling is 'symplectic'; else 'orthogonal'.
    ``spin_orbit`` is a name ('none', 'su2', 'ando') or a :class:`SpinModel`.
    """
    half = 2.0 * float(cylinder_flux)
    if flux != 0.0 or abs(half - round(half)) > 1e-12:
        return "unitary"
    model = spin_orbit if isinstance(spin_orbit, SpinModel) else spin_model(spin_orbit, soc)
    return model.time_reversal
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
    disorder_kind : {'box', 'gaussian', 'speckle'}
        'gaussian' has standard deviation ``W / sqrt(12)``, the variance of the box;
        'speckle' is the optical speckle potential ``W (I/<I> - 1)``
        (:class:`weakloc.lattice.disorder.Speckle`, needs ``correlation``).
    correlation : float
        Correlation length ``xi`` of the disorder in lattice units (``a``, or ``a_cc`` on
        the honeycomb lattice); 0 (default) is uncorrelated. With 'gaussian' it gives the
        smooth :class:`weakloc.lattice.disorder.CorrelatedGaussian` (strips, ribbons and
        the cubic bar), drawn for the whole sample at :meth:`realize`, periodic across
        periodic transverse boundaries (memory grows with ``length``).
    taper : float
        Length (lattice units) over which a correlated potential rises from 0 at the
        first and last slice, where the clean leads join, to its full strength
        (the window of :mod:`weakloc.lattice.disorder`); 0 (default) switches
        it on abruptly. Needs ``correlation > 0``.
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
    spin_model : SpinModel, optional
        Any spin model object (e.g. :class:`weakloc.lattice.spin.RashbaSpin`); replaces
        ``spin_orbit`` and ``soc`` when given.
    lattice : {'square', 'cubic', 'honeycomb'}, optional
        The lattice; by default square for ``dim=2`` and cubic for ``dim=3``. The
        honeycomb lattice (``dim=2``, :mod:`weakloc.lattice.honeycomb`) has ``a_cc = 1``,
        ``width`` zigzag chains or dimer lines, ``length`` slices of ``2 * width`` sites
        and ``flux`` per hexagon.
    edge : {'zigzag', 'armchair'}
        Edges of a honeycomb ribbon, parallel to the transport direction x.
    shape : callable, optional
        Sample shape: ``keep(positions) -> bool array`` on site positions ``(N, 2)``
        measured from the sample's centre (:mod:`weakloc.lattice.shapes`: ``Ring``,
        ``Constriction``, or any function); removed sites are cut from every bond. The
        first and last slice, which touch the leads, must stay whole.
    cylinder_flux : float
        Aharonov-Bohm flux ``Phi/Phi_0`` through the cylinder that periodic transverse
        boundaries make (along x, in units of ``h/e``), in the sample and the leads
        (:func:`weakloc.lattice.hopping.cylinder_phase`); needs ``boundary='periodic'``.
        ``G`` is periodic in it with period 1 and, on the same disorder, even.
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
    spin_model: SpinModel | None = None
    lattice: str | None = None
    edge: str = "zigzag"
    correlation: float = 0.0
    shape: object = None
    cylinder_flux: float = 0.0
    taper: float = 0.0

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
        v.choice("disorder_kind", self.disorder_kind, DISORDER_KINDS)
        flux = float(v.finite_array("flux", self.flux))
        cylinder_flux = float(v.finite_array("cylinder_flux", self.cylinder_flux))
        if cylinder_flux != 0.0 and self.boundary != "periodic":
            raise InputError("cylinder_flux threads a cylinder: use boundary='periodic' (or "
                             "cylinder_flux=0)")
        v.choice("spin_orbit", self.spin_orbit, SPIN_ORBIT)
        if self.spin_model is not None and not isinstance(self.spin_model, SpinModel):
            raise InputError("spin_model must be a weakloc.lattice.spin.SpinModel (e.g. "
                             "RashbaSpin(0.2)); or use spin_orbit='none'|'su2'|'ando'")
        soc = float(v.in_range("soc", self.soc, 0.0, 1.0, closed=True))
        v.choice("boundary", self.boundary, ("hard", "periodic"))
        hopping = float(v.positive("hopping", self.hopping))
        if self.lattice is not None:
            v.choice("lattice", self.lattice, LATTICES)
            want = {"square": 2, "cubic": 3, "honeycomb": 2}[self.lattice]
            if dim != want:
                raise InputError(f"lattice={self.lattice!r} needs dim={want}")
        v.choice("edge", self.edge, EDGES)
        correlation = float(v.nonnegative("correlation", self.correlation))
        taper = float(v.nonnegative("taper", self.taper))
        onsite_disorder(self.disorder_kind, disorder, correlation, taper)   # validates them
        object.__setattr__(self, "correlation", correlation)
        object.__setattr__(self, "taper", taper)
        if self.shape is not None and not callable(self.shape):
            raise InputError("shape must be a function of the site positions (N, 2) returning "
                             "booleans, e.g. weakloc.lattice.shapes.Ring(5, 12)")
        honeycomb = self.lattice == "honeycomb"
        if self.boundary == "periodic" and not honeycomb:
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
                          ("soc", soc), ("hopping", hopping),
                          ("cylinder_flux", cylinder_flux)):
            object.__setattr__(self, name, val)
        if honeycomb:
            self.slice_model()   # validates width and flux against the boundaries

    # -- derived quantities ------------------------------------------------------------
    @property
    def spin_physics(self) -> SpinModel:
        """The spin model object (``spin_model``, or the one named by ``spin_orbit``)."""
        if self.spin_model is not None:
            return self.spin_model
        return spin_model(self.spin_orbit, self.soc)

    @property
    def spin(self) -> int:
        """Number of spin components per site (2 with spin-orbit, else 1)."""
        return int(self.spin_physics.spin)

    @property
    def sites_per_slice(self) -> int:
        return self.width * self.height

    @property
    def n(self) -> int:
        """Dimension of a slice Hamiltonian: ``width * height * spin``."""
        return self.width * self.height * self.spin

    @property
    def onsite_shape(self) -> tuple:
        """Shape of an explicit onsite array: ``(L, M)`` in 2D, ``(L, M, M2)`` in 3D.

        Honeycomb: ``(L, 2 M)``, sites in the order of :meth:`positions`.
        """
        if self.lattice == "honeycomb":
            return (self.length, 2 * self.width)
        if self.dim == 2:
            return (self.length, self.width)
        return (self.length, self.width, self.height)

    @property
    def symmetry(self) -> str:
        """Wigner-Dyson class: 'orthogonal', 'unitary' or 'symplectic'."""
        return symmetry_class(self.flux, self.spin_physics,
                              cylinder_flux=self.cylinder_flux)

    def with_(self, **changes) -> Lattice:
        """A copy with some fields changed (e.g. ``lat.with_(flux=0.01)``)."""
        out = dataclasses.replace(self, **changes)
        if set(changes) <= {"flux", "length", "cylinder_flux"}:   # share the model's arrays
            object.__setattr__(out, "_slice_model", self.slice_model().with_flux(
                out.flux, out.cylinder_flux))
        return out

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    # -- the model layer -------------------------------------------------------------------
    def slice_model(self) -> SliceModel:
        """The :class:`~weakloc.lattice.slices.SliceModel` every engine reads (cached)."""
        cache = self.__dict__.get("_slice_model")
        if cache is None:
            if self.lattice == "honeycomb":
                geom = honeycomb_layers(self.width, self.edge, self.boundary)
            else:
                geom = strip(self.width, self.height, self.boundary)
            cache = SliceModel(geom, self.spin_physics,
                               onsite_disorder(self.disorder_kind, self.disorder,
                                               self.correlation, self.taper),
                               hopping=self.hopping, flux=self.flux,
                               cylinder_flux=self.cylinder_flux)
            object.__setattr__(self, "_slice_model", cache)
        return cache

    def positions(self) -> np.ndarray:
        """Site positions ``(length, sites per slice, coordinates)`` in lattice units.

        ``[x, y]`` in 2D (``[x, y, z]`` in 3D); the site order within a slice is the order
        of explicit onsite arrays (``[y]`` / ``[y, z]`` flattened on the square and cubic
        lattices, layer by layer on the honeycomb lattice).
        """
        model = self.slice_model()
        cell = np.concatenate([g.positions for g in model.geometries])
        pos = cell[None, :, :] + np.arange(self.length)[:, None, None] * np.array(
            [model.slice_length, 0.0, 0.0])
        return pos[..., : 3 if self.dim == 3 else 2]

    def disorder_periods(self, torus: bool = False) -> tuple:
        """Periods ``(x, y[, z])`` of a correlated potential in lattice units: along x None
        (the sample ends at the leads) or, for a ``torus``, the sample length; None along
        hard walls, the width (height) across periodic boundaries."""
        model = self.slice_model()
        ly = model.geometry.transverse_period
        lx = float(self.length * model.slice_length) if torus else None
        if self.dim == 2:
            return (lx, ly)
        return (lx, ly, None if ly is None else float(self.height))

    def site_mask(self) -> np.ndarray | None:
        """Which sites the shape keeps, ``(length, sites per slice)`` bool (None: all)."""
        if self.shape is None:
            return None
        cache = self.__dict__.get("_site_mask")
        if cache is None:
            pos = self.positions()[..., :2].reshape(-1, 2)
            keep = np.asarray(self.shape(pos - pos.mean(axis=0)), dtype=bool)
            if keep.shape != (pos.shape[0],):
                raise InputError(f"shape returned {keep.shape}, expected one boolean per "
                                 f"site ({pos.shape[0]},)")
            cache = keep.reshape(self.onsite_shape[0], -1)
            if not (cache[0].all() and cache[-1].all()):
                raise InputError("the shape must keep the first and last slice whole (they "
                                 "touch the leads); make the sample longer than the shape")
            cache.setflags(write=False)
            object.__setattr__(self, "_site_mask", cache)
        return cache

    def bonds(self) -> np.ndarray:
        """Nearest-neighbour bonds of the finite sample: pairs ``(i, j)``, ``i < j``, of
        flattened site indices in the order of :meth:`positions` (slice-major)."""
        clean = self.with_(disorder=0.0, flux=0.0, cylinder_flux=0.0, spin_model=None,
                           spin_orbit="none",
                           correlation=0.0, taper=0.0, disorder_kind="box")
        h = clean.realize(onsite=np.zeros(self.onsite_shape)).hamiltonian().tocoo()
        keep = h.row < h.col
        return np.unique(np.stack([h.row[keep], h.col[keep]], 1), axis=0)

    def x_phases(self, flux: float | None = None) -> np.ndarray:
        """Peierls factors of the x-bonds of one slice, one per site (S,), complex."""
        return self.slice_model().phases(flux)

    def lead(self) -> tuple[np.ndarray, np.ndarray]:
        """Clean lead: slice Hamiltonian ``H0`` and hopping ``V0 = H[x+1, x]``, each (n, n).

        Leads carry no disorder and no spin-orbit (spin-degenerate) but the same field.
        ``V0`` is also the coupling from the left lead into slice 0 and from slice ``L-1``
        into the right lead.
        """
        return self.slice_model().lead()

    def realize(self, seed=None, onsite=None, *, torus=False) -> Realization:
        """One disorder realization.

        Parameters
        ----------
        seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
            Source of the random onsite energies (and SU(2) hoppings). A Generator is
            advanced past the numbers this realization uses (numpy's convention: successive
            calls give independent samples); the realization keeps a snapshot, so it can be
            iterated again with identical numbers.
        onsite : array_like, optional
            Explicit onsite energies in units of ``t``, shape :attr:`onsite_shape`, indexed
            ``[x, y(, z)]`` and spin-independent. Replaces the random onsite disorder.
        torus : bool
            Draw a correlated potential periodic along x as well (period ``length`` slices),
            for a sample that :func:`~weakloc.lattice.torus.periodic_operators` closes into
            a torus; the default, open along x, suits a sample between leads. Uncorrelated
            disorder is the same either way.
        """
        if onsite is not None:
            arr = v.finite_array("onsite", onsite)
            if arr.shape != self.onsite_shape:
                raise InputError(
                    f"onsite array has shape {arr.shape}, expected {self.onsite_shape} "
                    f"(length, width{', height' if self.dim == 3 else ''})"
                )
            onsite = arr.copy()
            onsite.setflags(write=False)
        self.site_mask()    # validates a shape before any work
        passed = as_generator(seed)
        model = self.slice_model()
        periods = None
        if onsite is None and model.disorder.correlated:
            # a correlated potential is a function of the whole sample: drawn here, once
            periods = self.disorder_periods(torus=torus)
            field = model.disorder.sample(passed, self.positions().reshape(-1, self.dim),
                                          periods)
            onsite = field.reshape(self.onsite_shape)
            onsite.setflags(write=False)
        real = Realization(self, copy.deepcopy(passed), onsite, periods)
        if isinstance(seed, np.random.Generator):
            for _ in real._draws(seed, _CONSUME_CHUNK):   # advance it past our numbers
                pass
        return real


@dataclass(frozen=True)
class Realization:
    """A lattice plus the random numbers of one disorder realization (see Lattice.realize)."""

    lattice: Lattice
    _rng: np.random.Generator = dataclasses.field(repr=False)
    onsite: np.ndarray | None = dataclasses.field(default=None, repr=False)
    #: periods ``(x, y[, z])`` a correlated potential was drawn with (None: not drawn here)
    field_periods: tuple | None = dataclasses.field(default=None, repr=False)

    def with_flux(self, flux: float, cylinder_flux: float | None = None) -> Realization:
        """Same disorder, another flux per plaquette and, if given, another flux through
        the cylinder (for magnetoconductance on one realization)."""
        changes = {"flux": flux}
        if cylinder_flux is not None:
            changes["cylinder_flux"] = cylinder_flux
        return Realization(self.lattice.with_(**changes), self._rng, self.onsite,
                           self.field_periods)

    def _draws(self, rng: np.random.Generator, chunk: int) -> Iterator[dict]:
        """Raw numbers of the slices, ``chunk`` slices at a time, drawn from ``rng``.

        A static model draws a chunk per call; a random spin model one slice per call
        (onsite, then its bonds), so the numbers do not depend on ``chunk``.
        """
        lat = self.lattice
        model = lat.slice_model()
        explicit = self.onsite is not None
        length = lat.length * model.p
        onsite = self.onsite.reshape(length, model.sites) if explicit else None
        for x0 in range(0, length, chunk):
            k = min(chunk, length - x0)
            if not model.spin.random:
                if explicit:
                    yield {"onsite": onsite[x0:x0 + k]}
                else:
                    yield model.draw(rng, k)
                continue
            per = [model.draw(rng, 1, onsite=not explicit) for _ in range(k)]
            out = {key: np.concatenate([p[key] for p in per]) for key in per[0]}
            if explicit:
                out["onsite"] = onsite[x0:x0 + k]
            yield out

    def site_mask(self) -> np.ndarray | None:
        """The shape's kept sites per engine slice, ``(slices * layers, S)`` (None: all)."""
        mask = self.lattice.site_mask()
        if mask is None:
            return None
        return mask.reshape(-1, self.lattice.slice_model().sites)

    def draws(self, chunk: int) -> Iterator[dict]:
        """Raw numbers of ``chunk`` consecutive slices at a time (replayable).

        Dicts as :meth:`weakloc.lattice.slices.SliceModel.draw` returns them: ``onsite``
        ``(K, S)`` in units of t and, for a random spin model, ``bond_blocks`` and
        ``x_blocks``. The same numbers whatever ``chunk`` (see ``_draws``).
        """
        chunk = v.positive_int("chunk", chunk)
        return self._draws(copy.deepcopy(self._rng), chunk)

    def onsite_chunks(self, chunk: int) -> Iterator[np.ndarray]:
        """Onsite energies of ``chunk`` consecutive slices at a time, shape (K, M, M2).

        Only for models without random hopping (spin-orbit ``'none'`` or ``'ando'``), whose
        onsite energies are the numbers :meth:`slice_bonds` yields.

        Raises
        ------
        InputError
            For a random spin model (SU(2)), whose hoppings are drawn between the slices.
        """
        lat = self.lattice
        if lat.spin_physics.random:
            raise InputError("the SU(2) model draws hoppings between slices: use "
                             "slice_bonds() or draws() instead of onsite_chunks()")
        chunk = v.positive_int("chunk", chunk)
        shape = (lat.width, lat.height)
        for raw in self.draws(chunk):
            yield raw["onsite"].reshape((-1,) + shape)

    def slice_bonds(self) -> Iterator[dict]:
        """Raw per-slice data, in drawing order.

        Yields, for ``x = 0..L-1``, a dict with ``onsite`` (M, M2) in units of ``t`` and, for
        the SU(2) model, ``hop_y``, ``hop_z`` (one 2 x 2 matrix per transverse bond, in the
        order of the geometry's bond families) and ``hop_x`` (M*M2, 2, 2) towards slice
        ``x+1``.
        """
        lat = self.lattice
        ny = lat.slice_model().family_sizes[0]
        shape = (lat.width, lat.height)
        for raw in self.draws(1):
            out = {"onsite": raw["onsite"][0].reshape(shape)}
            if "bond_blocks" in raw:
                out["hop_y"] = raw["bond_blocks"][0, :ny]
                out["hop_z"] = raw["bond_blocks"][0, ny:]
                out["hop_x"] = raw["x_blocks"][0]
            yield out

    def slices(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(H_x, V_x)`` for ``x = 0..L-1``, dense complex (n, n) arrays.

        ``V_x = H[x+1, x]``; for the last slice it is the coupling to the right lead, which
        is the plain lead hopping (see :meth:`Lattice.lead`).
        """
        lat = self.lattice
        model = lat.slice_model()
        p = model.p
        v_lead = model.lead_coupling()
        phases = model.phases()
        v_static = None
        if not model.spin.random:
            v_static = [model.hopping_matrix(None, phases, k) for k in range(p)]
        last = lat.length * p - 1
        mask = self.site_mask()
        x = 0
        for raw in self.draws(64 * p):
            for j in range(raw["onsite"].shape[0]):
                bb = raw["bond_blocks"][j] if "bond_blocks" in raw else None
                h = model.slice_hamiltonian(raw["onsite"][j], bb, x % p)
                if x == last:
                    vx = v_lead
                elif v_static is not None:
                    vx = v_static[x % p]
                else:
                    vx = model.hopping_matrix(raw["x_blocks"][j], phases)
                if mask is not None and x < last:   # the last slice is whole
                    vx = vx.copy()
                    s = model.s
                    blocks = vx.reshape(model.sites, s, model.sites, s)
                    idx = np.arange(model.sites)
                    diag_blocks = blocks[idx, :, idx, :].copy()
                    remove_sites(h, diag_blocks, mask[x], mask[x + 1], s)
                    blocks[idx, :, idx, :] = diag_blocks
                yield h, vx
                x += 1

    def hamiltonian(self):
        """The finite sample's Hamiltonian (no leads) as a scipy.sparse CSR matrix.

        Rows and columns are ordered slice by slice: ``x * n + (y * M2 + z) * spin + s``
        (layer by layer on the honeycomb lattice, as :meth:`Lattice.positions`). Meant for
        small systems (tests, exact diagonalization).
        """
        import scipy.sparse as sp

        lat = self.lattice
        n, length = lat.n, lat.length * lat.slice_model().p
        blocks = [[None] * length for _ in range(length)]
        for x, (h, vx) in enumerate(self.slices()):
            blocks[x][x] = sp.csr_matrix(h)
            if x < length - 1:
                blocks[x + 1][x] = sp.csr_matrix(vx)
                blocks[x][x + 1] = sp.csr_matrix(vx.conj().T)
        if length == 1:
            return sp.csr_matrix(blocks[0][0])
        return sp.bmat(blocks, format="csr", dtype=complex).reshape(n * length, n * length)
