"""Wave-packet dynamics in disordered lattices: coherent backscattering in momentum space.

Lattice units: hopping ``t = 1``, lattice constant ``a = 1``, ``hbar = 1`` (times in units
of ``hbar/t``, momenta in ``1/a``, energies in ``t``).

* :mod:`~weakloc.dynamics.hamiltonian`: the periodic N x N lattice (orthogonal, field,
  SU(2) and Ando spin-orbit) applied as a compiled stencil;
* :mod:`~weakloc.dynamics.chebyshev`: ``exp(-iHt)`` and energy filters by Chebyshev series;
* :mod:`~weakloc.dynamics.states`: plane waves, Gaussian packets, energy shells;
* :mod:`~weakloc.dynamics.momentum`: disorder-averaged ``n(k, t)`` and CBS observables;
* :mod:`~weakloc.dynamics.born`, :mod:`~weakloc.dynamics.cooperon`: the scales and
  diffusive predictions the numerics are compared with.
"""

from weakloc.dynamics.chebyshev import evolve, gaussian_filter, moments_needed
from weakloc.dynamics.hamiltonian import (
    TorusLattice,
    TorusRealization,
    apply_hamiltonian,
    hamiltonian_matrix,
    torus_operators,
)
from weakloc.dynamics.momentum import CBSResult, cbs_momentum, momentum_distribution
from weakloc.dynamics.states import energy_filtered, gaussian_packet, plane_wave

__all__ = [
    "TorusLattice", "TorusRealization", "apply_hamiltonian", "hamiltonian_matrix",
    "torus_operators",
    "evolve", "gaussian_filter", "moments_needed",
    "plane_wave", "gaussian_packet", "energy_filtered",
    "momentum_distribution", "cbs_momentum", "CBSResult",
]
