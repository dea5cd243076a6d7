r"""A tight-binding Hamiltonian on a torus, as the Kubo engine consumes it.

The engine needs three things and nothing lattice-specific: the Hamiltonian ``H`` as a
scipy.sparse CSR matrix (energies in units of ``t``), the position of every orbital
(units of ``a``) and the periods of the torus. From them it builds the commutators

.. math::

    [X_\mu, H]_{ij} = H_{ij}\, d_{ij,\mu}, \qquad
    d_{ij} = (r_i - r_j) - L\, \mathrm{round}\!\left((r_i - r_j)/L\right),

the bond displacement by the minimum-image convention (so the velocity
``V_mu = i[H, X_mu]/hbar`` is well defined on the torus although ``X`` is not), in units of
``t a``. Every lattice that hands out a CSR matrix and positions can be studied;
:func:`from_torus` adapts the square torus of :mod:`weakloc.dynamics`,
:class:`ModelTorus` closes any lattice of the model layer (graphene included) into a torus
in a quantized field, and :class:`HypercubicTorus` gives the orthogonal Anderson model on
rectangular and cubic tori.

Orbitals at the same position (spin components) share it; the trace over orbitals is
spin-summed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.seeding import as_generator

__all__ = ["TorusSystem", "from_torus", "as_system", "HypercubicTorus", "ModelTorus",
           "torus_model", "random_phase_vectors"]


@dataclass(frozen=True, eq=False)
class TorusSystem:
    """A Hamiltonian on a torus with orbital positions (lattice units ``t = a = hbar = 1``).

    Parameters
    ----------
    hamiltonian : scipy.sparse matrix
        Hermitian ``H`` (units of ``t``), converted to CSR with sorted int32/int64 indices.
    positions : ndarray, shape (n, d)
        Orbital positions (units of ``a``).
    periods : sequence of d float
        Torus periods (units of ``a``); the area (volume) is their product.
    info : dict
        Description of the model (recorded with results).
    """

    hamiltonian: object = dataclasses.field(repr=False)
    positions: np.ndarray = dataclasses.field(repr=False)
    periods: tuple
    info: dict = dataclasses.field(default_factory=dict)
    displacements: np.ndarray = dataclasses.field(init=False, repr=False)
    values: np.ndarray = dataclasses.field(init=False, repr=False)
    bound: float = dataclasses.field(init=False)

    def __post_init__(self):
        import scipy.sparse as sp

        if not sp.issparse(self.hamiltonian):
            raise InputError("hamiltonian must be a scipy.sparse matrix (CSR); "
                             "convert it with scipy.sparse.csr_matrix")
        h = sp.csr_matrix(self.hamiltonian, dtype=complex)
        h.sum_duplicates()
        h.sort_indices()
        n = h.shape[0]
        if h.shape != (n, n):
            raise InputError(f"hamiltonian must be square, got shape {h.shape}")
        if abs(h - h.conj().T).max() > 1e-10 * max(1.0, abs(h).max()):
            raise InputError("hamiltonian is not Hermitian; check the hopping conjugates")
        pos = np.asarray(self.positions, dtype=float)
        if pos.ndim == 1:
            pos = pos[:, None]
        if pos.shape[0] != n or not np.all(np.isfinite(pos)):
            raise InputError(f"positions must be a finite (n, d) array with n = {n} rows")
        periods = tuple(float(p) for p in np.atleast_1d(v.positive("periods", self.periods)))
        if len(periods) != pos.shape[1]:
            raise InputError(f"give one period per dimension ({pos.shape[1]}), "
                             f"got {len(periods)}")
        rows = np.repeat(np.arange(n), np.diff(h.indptr))
        d = pos[rows] - pos[h.indices]
        per = np.asarray(periods)
        d -= per * np.round(d / per)
        object.__setattr__(self, "hamiltonian", h)
        object.__setattr__(self, "positions", pos)
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "displacements", np.ascontiguousarray(d))
        # the matrix entries the kernels read: real when H is real (half the traffic)
        real = not np.any(h.data.imag)
        object.__setattr__(self, "values", np.ascontiguousarray(h.data.real if real else h.data))
        # Gershgorin bound on ||H||, 0.1% margin (units of t)
        bound = float(np.max(np.asarray(abs(h).sum(axis=1)))) if n else 0.0
        object.__setattr__(self, "bound", 1.001 * bound + 1e-12)

    @property
    def size(self) -> int:
        """Number of orbitals ``n``."""
        return int(self.hamiltonian.shape[0])

    @property
    def dim(self) -> int:
        """Spatial dimension ``d``."""
        return int(self.positions.shape[1])

    @property
    def volume(self) -> float:
        """Torus area (2D) or volume (3D) in units of ``a^d``."""
        return float(np.prod(self.periods))

    def memory_bytes(self, vectors: int = 1) -> int:
        """Bytes of the matrix, the displacements and ``vectors`` complex vectors."""
        h = self.hamiltonian
        return int(self.values.nbytes + h.indices.nbytes + h.indptr.nbytes
                   + self.displacements.nbytes + vectors * 16 * self.size)


def from_torus(real) -> TorusSystem:
    """The :class:`TorusSystem` of a :class:`weakloc.dynamics.TorusRealization`.

    Uses the public CSR matrix :func:`weakloc.dynamics.hamiltonian_matrix` (basis index
    ``(x N + y) spin + s``) and places every orbital on its site ``(x, y)``.
    """
    from weakloc.dynamics import hamiltonian_matrix

    lat = real.lattice
    n, s = lat.size, lat.spin
    x, y = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    pos = np.repeat(np.stack([x.ravel(), y.ravel()], axis=1), s, axis=0).astype(float)
    info = {"lattice": "square", **lat.as_dict(), "symmetry": lat.symmetry}
    return TorusSystem(hamiltonian_matrix(real), pos, (n, n), info)


@dataclass(frozen=True)
class HypercubicTorus:
    """Orthogonal Anderson model on a rectangular (2D) or cubic (3D) torus.

    ``H = sum_r eps_r |r><r| - sum_<rr'> |r><r'|`` with box disorder ``eps_r`` uniform in
    ``[-W/2, W/2]`` (units of ``t``), periodic in every direction (Anderson, Phys. Rev. 109,
    1492 (1958)). For the square torus with flux or spin-orbit use
    :class:`weakloc.dynamics.TorusLattice`. The Hamiltonian comes from the model layer
    (:func:`weakloc.lattice.torus.periodic_operators`), as every other lattice's does.

    Parameters
    ----------
    shape : tuple of int
        Sites along each direction (2 or 3 entries, each at least 3).
    disorder : float
        ``W`` in units of ``t``.
    """

    shape: tuple = (64, 64)
    disorder: float = 0.0

    def __post_init__(self):
        shape = tuple(int(v.positive_int("shape", s, minimum=3)) for s in self.shape)
        if len(shape) not in (2, 3):
            raise InputError(f"shape needs 2 or 3 entries (dimension 2 or 3), got {shape}")
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "disorder",
                           float(v.nonnegative("disorder", self.disorder)))

    @property
    def symmetry(self) -> str:
        return "orthogonal"

    @property
    def spin(self) -> int:
        return 1

    def as_dict(self) -> dict:
        return {"lattice": "hypercubic", "shape": list(self.shape),
                "disorder": self.disorder, "symmetry": "orthogonal"}

    def realize(self, seed=None) -> TorusSystem:
        """One disorder realization, built by the model layer: a periodic strip (2D) or bar
        (3D) of :class:`weakloc.lattice.Lattice` closed along x
        (:func:`weakloc.lattice.torus.periodic_operators`); ``shape`` is (x, y[, z])."""
        from weakloc.lattice import Lattice

        kw = dict(length=self.shape[0], width=self.shape[1], disorder=self.disorder,
                  boundary="periodic")
        if len(self.shape) == 3:
            kw.update(dim=3, height=self.shape[2])
        return ModelTorus(Lattice(**kw))._system(seed, self.as_dict())


@dataclass(frozen=True)
class ModelTorus:
    r"""Any lattice of the model layer closed into a torus, in a uniform field.

    The :class:`weakloc.lattice.Lattice` (``boundary='periodic'``) gives the cross-section,
    the spin model and the disorder; its ``length`` slices are closed along x by
    :func:`weakloc.lattice.torus.periodic_operators`, which puts the field on every bond
    (Landau gauge from the positions, twist on the seam,
    :func:`weakloc.lattice.hopping.torus_landau_phase`). On the honeycomb lattice this is
    edgeless graphene:

    .. math::

        H = \sum_i \varepsilon_i c_i^\dagger c_i
            - t \sum_{\langle ij \rangle} e^{i\varphi_{ij}} c_i^\dagger c_j,

    ``a_cc = 1``, ``t = 1``, periods ``L_x = length sqrt 3`` and ``L_y = 3 width/2`` (zigzag)
    or ``3 length`` and ``sqrt(3) width/2`` (armchair), ``length x width`` hexagons.

    A correlated disorder (``correlation > 0``) is drawn periodic in both directions
    (:func:`weakloc.lattice.disorder.gaussian_field` with the torus periods), so the seams
    carry no step of the potential: a smooth potential stays smooth everywhere and does
    not scatter between graphene's valleys.

    Parameters
    ----------
    lattice : weakloc.lattice.Lattice
        Periodic across (``boundary='periodic'``), 2D for a field, no shape; its own
        ``flux`` must be 0 (give the field here).
    flux : float
        Flux per cell (square plaquette or hexagon) in units of ``h/e``; the total
        ``flux * cells`` must be an integer.
    """

    lattice: object
    flux: float = 0.0

    def __post_init__(self):
        from weakloc.lattice import Lattice

        lat = self.lattice
        if not isinstance(lat, Lattice):
            raise InputError("ModelTorus needs a weakloc.lattice.Lattice with "
                             "boundary='periodic'")
        if lat.boundary != "periodic":
            raise InputError("a torus needs periodic transverse boundaries; build the lattice "
                             "with boundary='periodic'")
        if lat.flux != 0.0:
            raise InputError("give the field to ModelTorus(flux=...) and keep the lattice's "
                             "flux 0 (the torus quantizes the total flux, not flux * width)")
        if lat.shape is not None:
            raise InputError("a sample shape needs leads, not a torus; drop the shape")
        flux = float(v.finite_array("flux", self.flux))
        quanta = flux * self.cells
        if flux != 0.0 and (lat.dim != 2 or abs(quanta - round(quanta)) > 1e-6):
            raise InputError(f"the total flux through the torus must be an integer number of "
                             f"h/e (2D lattices): use flux = m/{self.cells} per cell "
                             f"(nearest: m = {round(quanta)})")
        object.__setattr__(self, "flux", flux)

    @property
    def periods(self) -> tuple:
        """Torus periods (lattice units): ``(L_x, L_y)`` or ``(L_x, L_y, L_z)``."""
        lat = self.lattice
        model = lat.slice_model()
        out = (lat.length * model.slice_length, model.geometry.transverse_period)
        return out if lat.dim == 2 else out + (float(lat.height),)

    @property
    def cell_area(self) -> float:
        """Area of the cell the flux refers to (1, or ``3 sqrt(3)/2`` for the hexagon)."""
        return float(self.lattice.slice_model().geometry.cell_area)

    @property
    def cells(self) -> int:
        """Number of flux cells (plaquettes, hexagons) on the torus."""
        return int(round(self.periods[0] * self.periods[1] / self.cell_area))

    @property
    def symmetry(self) -> str:
        from weakloc.lattice import symmetry_class

        return symmetry_class(self.flux, self.lattice.spin_physics)

    @property
    def spin(self) -> int:
        return self.lattice.spin

    def with_(self, **changes) -> ModelTorus:
        """A copy with ``flux`` (or ``lattice``) changed, e.g. ``torus.with_(flux=m/cells)``."""
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict:
        lat = self.lattice
        doc = {"lattice": lat.lattice or ("square" if lat.dim == 2 else "cubic"),
               "length": lat.length, "width": lat.width, "disorder": lat.disorder,
               "disorder_kind": lat.disorder_kind, "correlation": lat.correlation,
               "flux": self.flux, "spin_orbit": lat.spin_orbit, "soc": lat.soc,
               "periods": list(self.periods), "symmetry": self.symmetry}
        if lat.dim == 3:
            doc["height"] = lat.height
        if lat.lattice == "honeycomb":
            doc["edge"] = lat.edge
        if lat.spin_model is not None:
            doc["spin_model"] = repr(lat.spin_model)
        return doc

    def realize(self, seed=None) -> TorusSystem:
        """One disorder realization (advancing a Generator ``seed``).

        Draw order: the lattice's own (:meth:`weakloc.lattice.Lattice.realize`); a
        correlated potential is one periodic field drawn first.
        """
        return self._system(seed, self.as_dict())

    def _system(self, seed, info: dict) -> TorusSystem:
        from weakloc.lattice.torus import periodic_operators

        lat = self.lattice
        rng = as_generator(seed)
        model = lat.slice_model()
        onsite = None
        if model.disorder.correlated:
            pos = lat.positions()[..., :2].reshape(-1, 2)
            onsite = model.disorder.sample(rng, pos, self.periods[:2]).reshape(
                lat.onsite_shape)
        ops = periodic_operators(lat.realize(rng, onsite=onsite), self.flux)
        return TorusSystem(ops.hamiltonian, ops.positions if lat.dim == 2 else
                           lat.positions().reshape(-1, 3).repeat(lat.spin, axis=0),
                           self.periods, info)


def as_system(obj) -> TorusSystem:
    """A :class:`TorusSystem` from itself or a :class:`~weakloc.dynamics.TorusRealization`."""
    if isinstance(obj, TorusSystem):
        return obj
    if hasattr(obj, "lattice") and hasattr(obj, "eps"):
        return from_torus(obj)
    raise InputError(f"cannot build a torus Hamiltonian from {type(obj).__name__}; give a "
                     "TorusSystem or a realization of weakloc.dynamics.TorusLattice")


def random_phase_vectors(n: int, count: int, rng) -> np.ndarray:
    """``count`` random-phase vectors ``exp(2 pi i u)``, ``u`` uniform, as an (n, count) block.

    Their outer products average to the identity, ``E[|phi><phi|] = 1``, so
    ``<phi|A|phi>`` is an unbiased estimator of ``Tr A`` (Weisse et al., Rev. Mod. Phys. 78,
    275 (2006), Sec. II.C).
    """
    rng = as_generator(rng)
    return np.exp(2j * np.pi * rng.random((n, count)))


def torus_model(*, dim: int = 2, width: int, height=None, depth=None, disorder: float = 0.0,
                flux: float = 0.0, spin_orbit: str = "none", soc: float = 0.5,
                lattice: str = "square", edge: str = "zigzag", length=None,
                correlation: float = 0.0, disorder_kind: str = "box"):
    """The torus description for the Kubo method from plain parameters.

    A square ``width x width`` torus gives :class:`weakloc.dynamics.TorusLattice` (flux per
    plaquette in ``h/e``, spin-orbit 'none', 'su2' or 'ando' of strength ``soc``); a
    rectangular or cubic torus gives :class:`HypercubicTorus` (orthogonal class only).
    ``lattice='honeycomb'`` gives edgeless graphene, a :class:`ModelTorus` (``a_cc = 1``):
    ``width`` zigzag chains (or dimer lines with ``edge='armchair'``) across y, ``length``
    slices along x (default: the torus closest to a square), ``flux`` per hexagon, box
    disorder or, with ``correlation`` (``xi`` in ``a_cc``), smooth Gaussian disorder.
    """
    from weakloc.dynamics import TorusLattice

    if lattice == "honeycomb":
        from weakloc.lattice import Lattice

        if dim != 2 or height is not None or depth is not None:
            raise InputError("the honeycomb torus is 2D: give --width (chains across) and "
                             "--length (slices along x), not --dim 3 or --height")
        width = v.positive_int("width", width, minimum=4)
        if length is None:
            ly = 1.5 * width if edge == "zigzag" else width * np.sqrt(3.0) / 2
            length = max(2, int(round(ly / (np.sqrt(3.0) if edge == "zigzag" else 3.0))))
        kind = "gaussian" if correlation and disorder_kind == "box" else disorder_kind
        lat = Lattice(lattice="honeycomb", edge=edge, width=width,
                      length=v.positive_int("length", length, minimum=2), disorder=disorder,
                      disorder_kind=kind, correlation=correlation, boundary="periodic",
                      spin_orbit=spin_orbit, soc=soc)
        return ModelTorus(lat, flux=flux)
    if lattice != "square" and not (lattice == "cubic" and dim == 3):
        raise InputError(f"the Kubo torus takes lattice square (dim 2), cubic (dim 3) or "
                         f"honeycomb, got {lattice!r} with dim {dim}")
    if correlation:
        raise InputError("correlated disorder on the Kubo torus needs the honeycomb lattice; "
                         "drop --correlation")
    if length is not None:
        raise InputError("--length is for the honeycomb torus; use --width/--height")
    dim = v.dimension(dim, allowed=(2, 3))
    width = v.positive_int("width", width, minimum=4)
    height = width if height is None else v.positive_int("height", height, minimum=4)
    depth = width if depth is None else v.positive_int("depth", depth, minimum=4)
    if dim == 2 and height == width:
        return TorusLattice(size=width, disorder=disorder, flux=flux, spin_orbit=spin_orbit,
                            soc=soc)
    if flux != 0.0 or spin_orbit != "none":
        raise InputError("flux and spin-orbit need the square torus (dim 2, height = width); "
                         "drop --height/--dim 3 or the flux and spin-orbit options")
    shape = (width, height) if dim == 2 else (width, height, depth)
    return HypercubicTorus(shape=shape, disorder=disorder)
