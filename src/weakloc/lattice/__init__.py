"""Disordered tight-binding lattices: describe (:class:`Lattice`), then realize.

See :mod:`weakloc.lattice.model` for the conventions and :mod:`weakloc.lattice.hopping`
for the Peierls, SU(2) and Ando hopping primitives.
"""

from weakloc.lattice.hopping import PAULI, ando_matrices, peierls_phase, su2_matrices
from weakloc.lattice.model import SYMMETRIES, Lattice, Realization, symmetry_class
from weakloc.lattice.stream import draw_slice_chunk, endless_slices, slice_structure

__all__ = [
    "Lattice", "Realization", "SYMMETRIES", "symmetry_class",
    "PAULI", "peierls_phase", "su2_matrices", "ando_matrices",
    "endless_slices", "draw_slice_chunk", "slice_structure",
]
