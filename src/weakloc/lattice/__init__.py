"""The model layer: disordered tight-binding lattices, described once, read by every engine.

* :class:`Lattice` -- the square strip / cubic bar convenience (describe, then realize);
* :mod:`weakloc.lattice.geometry` -- sites and bonds of a slice (:func:`strip`);
* :mod:`weakloc.lattice.spin` -- spin models as objects (none, SU(2), Ando, Rashba);
* :mod:`weakloc.lattice.disorder` -- onsite disorder as objects (box, Gaussian);
* :mod:`weakloc.lattice.hopping` -- the Peierls phase (one place) and the hopping primitives;
* :mod:`weakloc.lattice.slices` -- the one slice builder (:class:`SliceModel`) behind the
  RGF, the transfer matrices and the finite sample;
* :mod:`weakloc.lattice.honeycomb` -- graphene ribbons (zigzag, armchair, edgeless);
* :mod:`weakloc.lattice.shapes` -- sample shapes (ring, constriction, any predicate);
* :mod:`weakloc.lattice.torus` -- the periodic square lattice of the wave-packet dynamics and
  sparse operators (H, positions, bond displacements) of any model closed into a torus, in a
  field with the total flux quantized (:func:`torus_landau_phase`).
"""

from weakloc.lattice.disorder import BoxDisorder, Disorder, GaussianDisorder
from weakloc.lattice.geometry import SliceGeometry, strip
from weakloc.lattice.hopping import (
    PAULI,
    ando_matrices,
    landau_phase,
    peierls_phase,
    su2_matrices,
    torus_landau_phase,
)
from weakloc.lattice.model import SYMMETRIES, Lattice, Realization, symmetry_class
from weakloc.lattice.slices import (
    SliceModel,
    SliceStream,
    SliceStructure,
    draw_slice_chunk,
    endless_slices,
    slice_structure,
)
from weakloc.lattice.spin import AndoSpin, NoSpin, RashbaSpin, SpinModel, SU2Spin
from weakloc.lattice.torus import TorusOperators, periodic_operators

__all__ = [
    "Lattice", "Realization", "SYMMETRIES", "symmetry_class",
    "PAULI", "landau_phase", "torus_landau_phase", "peierls_phase", "su2_matrices", "ando_matrices",
    "SliceGeometry", "strip", "SliceModel", "SliceStream", "SliceStructure",
    "endless_slices", "draw_slice_chunk", "slice_structure",
    "SpinModel", "NoSpin", "SU2Spin", "AndoSpin", "RashbaSpin",
    "Disorder", "BoxDisorder", "GaussianDisorder",
    "TorusOperators", "periodic_operators",
]
