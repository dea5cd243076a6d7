r"""The disordered square lattice on an N x N torus, applied as a compiled stencil.

The description (:class:`TorusLattice`) and its realizations come from the model layer
(:mod:`weakloc.lattice.torus`: arrays, sparse operators, positions); this module applies
the Hamiltonian by the compiled stencils of :mod:`weakloc.dynamics._kernels`.

Lattice units throughout: hopping ``t = 1``, lattice constant ``a = 1``, ``hbar = 1`` (times
in units of ``hbar/t``). The Hamiltonian is

.. math::

   H = \sum_r \varepsilon_r c_r^\dagger c_r - \sum_{r,\mu} \left(
       c_{r+e_\mu}^\dagger U_\mu(r) c_r + \mathrm{h.c.}\right),

with box disorder ``eps_r`` uniform in ``[-W/2, W/2]`` and periodic boundaries in x and y.
Arrays are indexed ``[x, y]`` (scalar) or ``[x, y, s]`` (spin-1/2), as in
:mod:`weakloc.lattice`.

* **orthogonal**: ``U = 1``.
* **unitary**: flux ``phi`` per plaquette (units of ``h/e``) in the Landau gauge of
  :mod:`weakloc.lattice`: the x-bond at row y carries ``exp(2 pi i phi (y - y0))`` with the
  zero line ``y0 = N // 2`` in the middle of the torus. On a torus the total flux
  ``phi N^2`` must be an integer; the y-bonds that close the torus (row ``N-1`` to row 0)
  carry the twist ``exp(-2 pi i phi N x)`` so that every plaquette, those on the seam
  included, encloses ``phi`` (counterclockwise hopping picks up ``exp(-2 pi i phi)``).
* **symplectic**: spin-1/2 with an independent Haar-random SU(2) matrix on every bond
  (Asada, Slevin and Ohtsuki, PRL 89, 256601 (2002)) or the Ando hoppings
  ``exp(i theta sigma_y)`` (x) and ``exp(-i theta sigma_x)`` (y) (Ando, PRB 40, 5325
  (1989)); with a field both are unitary.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.lattice.disorder import onsite_disorder
from weakloc.lattice.model import symmetry_class
from weakloc.lattice.spin import SPIN_ORBIT, SpinModel, spin_model
from weakloc.lattice.torus import TorusArrays, TorusOperators, draw_torus, torus_operators
from weakloc.seeding import as_generator

__all__ = ["TorusLattice", "TorusRealization", "apply_hamiltonian", "hamiltonian_matrix",
           "torus_operators"]


@dataclass(frozen=True)
class TorusLattice:
    """Description of a disordered N x N square lattice with periodic boundaries.

    Parameters
    ----------
    size : int
        ``N`` (sites along x and along y), at least 4.
    disorder : float
        ``W`` in units of ``t``: box disorder uniform in ``[-W/2, W/2]``.
    flux : float
        Flux per plaquette in units of ``h/e``; ``flux * size**2`` must be an integer.
    spin_orbit : {'none', 'su2', 'ando'}
        Spin-orbit model (spin-1/2 wavefunctions unless 'none').
    soc : float
        Ando strength ``S = sin(theta)`` in ``[0, 1]`` (used by 'ando' only).
    spin_model : SpinModel, optional
        Any spin model object of :mod:`weakloc.lattice.spin` (replaces ``spin_orbit``).
    disorder_kind : {'box', 'gaussian', 'speckle'}
        'box' (default) as above; 'gaussian' with ``correlation > 0`` a smooth Gaussian
        potential of std ``W/sqrt(12)``; 'speckle' the optical speckle potential
        ``W (I/<I> - 1)`` of the cold-atom experiments (:mod:`weakloc.lattice.disorder`),
        both periodic on the torus.
    correlation : float
        Correlation length ``xi`` (lattice constants) of 'gaussian' and 'speckle'.
    """

    size: int = 64
    disorder: float = 0.0
    flux: float = 0.0
    spin_orbit: str = "none"
    soc: float = 0.5
    spin_model: SpinModel | None = None
    disorder_kind: str = "box"
    correlation: float = 0.0

    def __post_init__(self):
        size = v.positive_int("size", self.size, minimum=4)
        disorder = float(v.nonnegative("disorder", self.disorder))
        flux = float(v.finite_array("flux", self.flux))
        v.choice("spin_orbit", self.spin_orbit, SPIN_ORBIT)
        if self.spin_model is not None and not isinstance(self.spin_model, SpinModel):
            raise InputError("spin_model must be a weakloc.lattice.spin.SpinModel (e.g. "
                             "RashbaSpin(0.2)); or use spin_orbit='none'|'su2'|'ando'")
        soc = float(v.in_range("soc", self.soc, 0.0, 1.0, closed=True))
        quanta = flux * size * size
        if abs(quanta - round(quanta)) > 1e-9 * max(1.0, abs(quanta)):
            raise InputError(
                f"on an {size} x {size} torus the total flux flux*size^2 must be an integer; "
                f"use flux = m/{size * size} (nearest: {round(quanta)}/{size * size})"
            )
        correlation = float(v.nonnegative("correlation", self.correlation))
        onsite_disorder(self.disorder_kind, disorder, correlation)   # validates the pair
        object.__setattr__(self, "correlation", correlation)
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "disorder", disorder)
        object.__setattr__(self, "flux", flux)
        object.__setattr__(self, "soc", soc)

    @property
    def spin_physics(self) -> SpinModel:
        """The spin model object (``spin_model``, or the one named by ``spin_orbit``)."""
        if self.spin_model is not None:
            return self.spin_model
        return spin_model(self.spin_orbit, self.soc)

    @property
    def spin(self) -> int:
        """Spin components per site: 2 with spin-orbit, else 1."""
        return int(self.spin_physics.spin)

    @property
    def shape(self) -> tuple:
        """Shape of a wavefunction: ``(N, N)`` or ``(N, N, 2)``."""
        n = self.size
        return (n, n) if self.spin == 1 else (n, n, 2)

    @property
    def symmetry(self) -> str:
        """Wigner-Dyson class: 'orthogonal', 'unitary' or 'symplectic'."""
        return symmetry_class(self.flux, self.spin_physics)

    @property
    def disorder_model(self):
        """The onsite disorder object (:mod:`weakloc.lattice.disorder`)."""
        return onsite_disorder(self.disorder_kind, self.disorder, self.correlation)

    def hopping_bound(self) -> float:
        """``4 t max||U||``: the hopping part of the Gershgorin bound."""
        model = self.spin_physics
        norm = 1.0
        if not model.random and model.spin > 1:
            norm = max(np.linalg.norm(model.block(np.eye(3)[k]), 2) for k in (0, 1))
        norm = float(norm) if norm > 1.0 + 1e-12 else 1.0
        return 4.0 * norm

    def spectral_bound(self) -> float:
        """Gershgorin bound ``||H|| <= 4 t max||U|| + W/2`` (``||U|| = 1`` if unitary).

        Raises
        ------
        InputError
            For Gaussian or speckle potentials, which are unbounded: the bound of a
            realization is :meth:`TorusRealization.spectral_bound`.
        """
        if self.disorder_kind != "box":
            raise InputError(f"a {self.disorder_kind} potential is unbounded: take the bound "
                             "of a realization, TorusRealization.spectral_bound()")
        return self.hopping_bound() + 0.5 * self.disorder

    def with_(self, **changes) -> TorusLattice:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    def realize(self, seed=None) -> TorusRealization:
        """One disorder realization (a passed Generator is advanced).

        Draw order from the generator: onsite energies ``(N, N)``, then (random spin model)
        the x-bond and the y-bond matrices, each ``(N, N, 2, 2)``
        (:func:`weakloc.lattice.torus.draw_torus`).
        """
        arrays = draw_torus(self.size, self.spin_physics, self.disorder_model, self.flux,
                            as_generator(seed))
        return TorusRealization(self, arrays.eps, arrays.px, arrays.seam, arrays.ux,
                                arrays.uy)


@dataclass(frozen=True, eq=False)
class TorusRealization:
    """A :class:`TorusLattice` with the arrays of one realization (see ``realize``).

    ``eps`` (N, N) onsite energies; ``px`` (N,) x-bond phases per row; ``seam`` (N,) phases
    of the closing y-bonds per column; ``ux``, ``uy`` (N, N, 2, 2) spin bond matrices with
    the phases folded in (None without spin).
    """

    lattice: TorusLattice
    eps: np.ndarray = dataclasses.field(repr=False)
    px: np.ndarray = dataclasses.field(repr=False)
    seam: np.ndarray = dataclasses.field(repr=False)
    ux: np.ndarray | None = dataclasses.field(default=None, repr=False)
    uy: np.ndarray | None = dataclasses.field(default=None, repr=False)

    @property
    def arrays(self) -> TorusArrays:
        """The realization's arrays as the model layer holds them."""
        return TorusArrays(self.eps, self.px, self.seam, self.ux, self.uy)

    def spectral_bound(self) -> float:
        """Gershgorin bound of this realization: the lattice's for box disorder, else
        ``4 t max||U|| + max |eps|`` (units of t)."""
        if self.lattice.disorder_kind == "box":
            return self.lattice.spectral_bound()
        return self.lattice.hopping_bound() + float(np.abs(self.eps).max())

    def operators(self) -> TorusOperators:
        """Sparse Hamiltonian, orbital positions and bond displacements (model layer)."""
        return torus_operators(self.arrays)

    def step(self, cur, prev, acc, alpha, shift, gamma, coef) -> None:
        """One fused Chebyshev step in place (see :mod:`weakloc.dynamics._kernels`)."""
        from weakloc.dynamics import _kernels as k

        par = self.eps.size >= k.PARALLEL_MIN_SITES
        if self.ux is None:
            fn = k.step_scalar_parallel if par else k.step_scalar
            fn(cur, prev, acc, self.eps, self.px, self.seam,
               float(alpha), float(shift), float(gamma), complex(coef))
        else:
            fn = k.step_spinor_parallel if par else k.step_spinor
            fn(cur, prev, acc, self.eps, self.ux, self.uy,
               float(alpha), float(shift), float(gamma), complex(coef))


def _check_state(real: TorusRealization, psi) -> np.ndarray:
    psi = np.asarray(psi)
    if psi.shape != real.lattice.shape:
        raise InputError(
            f"wavefunction has shape {psi.shape}, expected {real.lattice.shape} "
            "([x, y] or [x, y, spin])"
        )
    return np.ascontiguousarray(psi, dtype=complex)


def apply_hamiltonian(real: TorusRealization, psi) -> np.ndarray:
    """``H psi`` by the compiled stencil (energy in units of ``t``)."""
    psi = _check_state(real, psi)
    out = np.zeros_like(psi)
    dummy = np.zeros_like(psi)
    real.step(psi, out, dummy, 1.0, 0.0, 0.0, 0.0)
    return out


def hamiltonian_matrix(real: TorusRealization):
    """The same Hamiltonian as a scipy.sparse CSR matrix, built bond by bond.

    Independent of the stencil (for tests and exact diagonalization on small lattices).
    Basis index ``(x * N + y) * spin + s``. Positions and bond displacements (for velocity
    operators) come with :func:`weakloc.lattice.torus.torus_operators`.
    """
    return torus_operators(real.arrays).hamiltonian
