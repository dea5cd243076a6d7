r"""The disordered square lattice on an N x N torus, applied as a compiled stencil.

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
from weakloc.lattice.hopping import ando_matrices, su2_matrices
from weakloc.lattice.model import symmetry_class
from weakloc.seeding import as_generator

__all__ = ["TorusLattice", "TorusRealization", "apply_hamiltonian", "hamiltonian_matrix"]

_SPIN_ORBIT = ("none", "su2", "ando")


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
    """

    size: int = 64
    disorder: float = 0.0
    flux: float = 0.0
    spin_orbit: str = "none"
    soc: float = 0.5

    def __post_init__(self):
        size = v.positive_int("size", self.size, minimum=4)
        disorder = float(v.nonnegative("disorder", self.disorder))
        flux = float(v.finite_array("flux", self.flux))
        v.choice("spin_orbit", self.spin_orbit, _SPIN_ORBIT)
        soc = float(v.in_range("soc", self.soc, 0.0, 1.0, closed=True))
        quanta = flux * size * size
        if abs(quanta - round(quanta)) > 1e-9 * max(1.0, abs(quanta)):
            raise InputError(
                f"on an {size} x {size} torus the total flux flux*size^2 must be an integer; "
                f"use flux = m/{size * size} (nearest: {round(quanta)}/{size * size})"
            )
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "disorder", disorder)
        object.__setattr__(self, "flux", flux)
        object.__setattr__(self, "soc", soc)

    @property
    def spin(self) -> int:
        """Spin components per site: 2 with spin-orbit, else 1."""
        return 1 if self.spin_orbit == "none" else 2

    @property
    def shape(self) -> tuple:
        """Shape of a wavefunction: ``(N, N)`` or ``(N, N, 2)``."""
        n = self.size
        return (n, n) if self.spin == 1 else (n, n, 2)

    @property
    def symmetry(self) -> str:
        """Wigner-Dyson class: 'orthogonal', 'unitary' or 'symplectic'."""
        return symmetry_class(self.flux, self.spin_orbit, self.soc)

    def spectral_bound(self) -> float:
        """Gershgorin bound ``||H|| <= 4 t + W/2`` (every bond matrix is unitary)."""
        return 4.0 + 0.5 * self.disorder

    def with_(self, **changes) -> TorusLattice:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    def realize(self, seed=None) -> TorusRealization:
        """One disorder realization.

        Draw order from the generator: onsite energies ``(N, N)``, then (SU(2) model) the
        x-bond and the y-bond matrices, each ``(N, N, 2, 2)`` via
        :func:`weakloc.lattice.hopping.su2_matrices`.
        """
        rng = as_generator(seed)
        n = self.size
        eps = rng.uniform(-0.5 * self.disorder, 0.5 * self.disorder, size=(n, n))
        y0 = n // 2
        px = np.exp(2j * np.pi * self.flux * (np.arange(n) - y0))
        seam = np.exp(-2j * np.pi * self.flux * n * np.arange(n))
        ux = uy = None
        if self.spin_orbit == "su2":
            ux = su2_matrices(rng, (n, n))
            uy = su2_matrices(rng, (n, n))
        elif self.spin_orbit == "ando":
            u = ando_matrices(self.soc, 2)
            ux = np.broadcast_to(u[0], (n, n, 2, 2)).copy()
            uy = np.broadcast_to(u[1], (n, n, 2, 2)).copy()
        if ux is not None:
            ux = np.ascontiguousarray(ux * px[None, :, None, None])
            uy = uy.copy()
            uy[:, n - 1] *= seam[:, None, None]
        return TorusRealization(self, eps, px, seam, ux, uy)


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
    Basis index ``(x * N + y) * spin + s``.
    """
    import scipy.sparse as sp

    lat = real.lattice
    n, s = lat.size, lat.spin
    x, y = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    site = x * n + y
    rows, cols, vals = [], [], []
    for mu in (0, 1):
        to = ((x + 1) % n) * n + y if mu == 0 else x * n + (y + 1) % n
        if s == 1:
            u = np.broadcast_to(real.px[None, :], (n, n)).copy() if mu == 0 else np.ones((n, n))
            if mu == 1:
                u = u.astype(complex)
                u[:, n - 1] = real.seam
            rows.append(to.ravel())
            cols.append(site.ravel())
            vals.append(-u.ravel())
        else:
            u = real.ux if mu == 0 else real.uy
            for a in range(2):
                for b in range(2):
                    rows.append(to.ravel() * 2 + a)
                    cols.append(site.ravel() * 2 + b)
                    vals.append(-u[..., a, b].ravel())
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    val = np.concatenate(vals)
    dim = n * n * s
    hop = sp.coo_matrix((val, (r, c)), shape=(dim, dim)).tocsr()
    onsite = sp.diags(np.repeat(real.eps.ravel(), s))
    return (hop + hop.conj().T + onsite).tocsr()
