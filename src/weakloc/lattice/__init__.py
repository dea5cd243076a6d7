"""Disordered tight-binding lattices: describe (:class:`Lattice`), then realize.

See :mod:`weakloc.lattice.model` for the conventions and :mod:`weakloc.lattice.hopping`
for the Peierls, SU(2) and Ando hopping primitives.
"""

from weakloc.lattice.hopping import PAULI, ando_matrices, peierls_phase, su2_matrices
from weakloc.lattice.model import SYMMETRIES, Lattice, Realization

__all__ = [
    "Lattice", "Realization", "SYMMETRIES",
    "PAULI", "peierls_phase", "su2_matrices", "ando_matrices",
]
