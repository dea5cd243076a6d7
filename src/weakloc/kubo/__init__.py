"""Real-space Kubo conductivity: weak localization watched in time.

Linear-scaling Kubo method on a torus (lattice units ``t = a = hbar = 1``; times in
``hbar/t``, conductivities in ``e^2/h``, spin-summed where the model has spin):

* :mod:`~weakloc.kubo.system`: a CSR Hamiltonian with orbital positions and periods, the
  bond commutators ``[X, H]`` by the minimum-image convention; :class:`ModelTorus` closes
  any lattice of the model layer (graphene included) into a torus in a quantized field;
* :mod:`~weakloc.kubo.chebyshev`: Chebyshev series on blocks, energy filter, evolution of
  ``U(t) psi`` and ``[X, U(t)] psi`` (compiled CSR step in ``_kernels``);
* :mod:`~weakloc.kubo.kpm`: density of states by the kernel polynomial method;
* :mod:`~weakloc.kubo.spreading`: energy-projected random states and their spreading;
* :mod:`~weakloc.kubo.conductivity`: ``D(E, t)``, ``sigma(E, t)``, the ``ln t`` slope;
* :mod:`~weakloc.kubo.dephasing`: ``sigma`` at a phase-coherence time ``tau_phi``;
* :mod:`~weakloc.kubo.crossover`: elastic time and mean free path from ``D(t)``;
* :mod:`~weakloc.kubo.magneto`: ``sigma(B; tau_phi)`` on the torus and its HLN fit,
  reweighted to any ``tau_phi`` from the kept ``sigma(t; B)`` curves;
* :mod:`~weakloc.kubo.sweep`: the ``"kubo"`` observable of the ensemble layer.
"""

from weakloc.kubo.conductivity import KuboResult, kubo_conductivity, log_slope, time_grid
from weakloc.kubo.kpm import kpm_dos
from weakloc.kubo.magneto import (
    MagnetoResult,
    kubo_magnetoconductance,
    magnetoconductance_from_curves,
)
from weakloc.kubo.system import (
    HypercubicTorus,
    ModelTorus,
    TorusSystem,
    as_system,
    from_torus,
    torus_model,
)

__all__ = [
    "TorusSystem", "HypercubicTorus", "ModelTorus", "from_torus", "as_system", "torus_model",
    "kpm_dos", "KuboResult", "kubo_conductivity", "log_slope", "time_grid",
    "MagnetoResult", "kubo_magnetoconductance", "magnetoconductance_from_curves",
]
