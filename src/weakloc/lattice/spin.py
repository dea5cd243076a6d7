r"""Spin models as objects: what a bond does to the spin of an electron hopping along it.

Every model answers two questions for a bond of unit direction ``d`` (the displacement of
the hop divided by its length, a 3-vector): its ``spin x spin`` hopping matrix ``U(d)``
(the block ``H[r + d, r] = -t U(d)``) and whether that matrix is random. A model with
random bonds draws a fresh matrix for each bond from the realization's stream.

- :class:`NoSpin`: ``U(d) = 1`` (spinless or spin-degenerate: one orbital per site); not
  random.
- :class:`SU2Spin`: a Haar-random SU(2) matrix per bond (Asada, Slevin and Ohtsuki, PRL 89,
  256601 (2002)); random.
- :class:`AndoSpin`: ``exp(i theta sigma_y)`` along x, ``exp(-i theta sigma_x)`` along y,
  ``exp(i theta sigma_z)`` along z, with ``S = sin theta`` (Ando, PRB 40, 5325 (1989)); not
  random.
- :class:`RashbaSpin`: ``1 + i (lambda_R / t) (sigma_x d_y - sigma_y d_x)`` for any bond
  direction (Bychkov-Rashba coupling on a lattice); not random.

Lattice units: energies in units of the hopping ``t``. A user model is a frozen dataclass
with the same four members (``spin``, ``random``, ``time_reversal`` and ``block`` or
``draw``); the engines call nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.lattice.hopping import PAULI, ando_matrices, su2_matrices

__all__ = ["SpinModel", "NoSpin", "SU2Spin", "AndoSpin", "RashbaSpin", "SpinDegenerate",
           "spin_model",
           "SPIN_ORBIT"]

#: names the string convenience ``Lattice(spin_orbit=...)`` accepts
SPIN_ORBIT = ("none", "su2", "ando")


class SpinModel:
    """Interface of a spin model (see the module docstring).

    Attributes
    ----------
    spin : int
        Orbitals per site (1 or 2).
    random : bool
        Whether every bond draws its own matrix (:meth:`draw`); else :meth:`block` is used.
    """

    spin: int = 1
    random: bool = False

    @property
    def time_reversal(self) -> str:
        """Wigner-Dyson class without a field: 'orthogonal' or 'symplectic'."""
        return "orthogonal"

    def block(self, direction) -> np.ndarray:
        """Hopping matrix ``U(d)`` of a bond along the unit vector ``direction``, (s, s)."""
        raise NotImplementedError

    def draw(self, rng: np.random.Generator, shape) -> np.ndarray:
        """Random bond matrices of shape ``(*shape, s, s)`` (random models only)."""
        raise NotImplementedError



@dataclass(frozen=True)
class NoSpin(SpinModel):
    """One orbital per site, ``U = 1``."""

    def block(self, direction) -> np.ndarray:
        return np.ones((1, 1), dtype=complex)


@dataclass(frozen=True)
class SU2Spin(SpinModel):
    """Haar-random SU(2) hopping on every bond (the symplectic Asada-Slevin-Ohtsuki model)."""

    spin = 2
    random = True

    @property
    def time_reversal(self) -> str:
        return "symplectic"

    def draw(self, rng, shape) -> np.ndarray:
        return su2_matrices(rng, tuple(shape))



def _axis(direction) -> int:
    d = np.asarray(direction, dtype=float)
    hit = np.flatnonzero(np.abs(d) > 1e-12)
    if hit.size != 1 or abs(abs(d[hit[0]]) - 1.0) > 1e-12:
        raise InputError("the Ando model is defined on bonds along x, y or z; use RashbaSpin "
                         "for other lattices")
    if d[hit[0]] < 0:
        raise InputError("bond directions must point along +x, +y or +z (the adjoint is "
                         "added automatically)")
    return int(hit[0])


@dataclass(frozen=True)
class AndoSpin(SpinModel):
    """Ando's spin-orbit model, ``S = sin(theta)`` in ``[0, 1]`` (0.5 is the usual choice)."""

    soc: float = 0.5
    spin = 2

    def __post_init__(self):
        object.__setattr__(self, "soc", float(v.in_range("soc", self.soc, 0.0, 1.0,
                                                         closed=True)))

    @property
    def time_reversal(self) -> str:
        return "symplectic" if self.soc > 0 else "orthogonal"

    def block(self, direction) -> np.ndarray:
        return ando_matrices(self.soc, 3)[_axis(direction)]



@dataclass(frozen=True)
class RashbaSpin(SpinModel):
    r"""Rashba coupling ``lambda_R`` (units of ``t``) for bonds in any in-plane direction.

    .. math::

        H[r + d, r] = -t\,\sigma_0 - i \lambda_R (\sigma_x d_y - \sigma_y d_x),

    the tight-binding form of ``alpha (sigma x p)_z`` with ``lambda_R = alpha / (2a)``
    (Bychkov and Rashba, JETP Lett. 39, 78 (1984); the lattice form as in Kane and Mele,
    PRL 95, 226801 (2005)). ``U(d) = 1 + i (lambda_R/t) (sigma_x d_y - sigma_y d_x)`` is
    not unitary: the Gershgorin bound grows with ``lambda_R``.
    """

    rashba: float = 0.1
    spin = 2

    def __post_init__(self):
        object.__setattr__(self, "rashba", float(v.finite_array("rashba", self.rashba)))

    @property
    def time_reversal(self) -> str:
        return "symplectic" if self.rashba != 0 else "orthogonal"

    def block(self, direction) -> np.ndarray:
        d = np.asarray(direction, dtype=float)
        return PAULI[0] + 1j * self.rashba * (PAULI[1] * d[1] - PAULI[2] * d[0])



@dataclass(frozen=True)
class SpinDegenerate(SpinModel):
    """``spin`` degenerate orbitals per site, ``U = 1``: what the clean leads carry."""

    spin: int = 2

    def block(self, direction) -> np.ndarray:
        return np.eye(self.spin, dtype=complex)


def spin_model(spin_orbit: str, soc: float = 0.5) -> SpinModel:
    """The model object behind the string names ``'none'``, ``'su2'`` and ``'ando'``."""
    v.choice("spin_orbit", spin_orbit, SPIN_ORBIT)
    if spin_orbit == "su2":
        return SU2Spin()
    if spin_orbit == "ando":
        return AndoSpin(soc)
    return NoSpin()
