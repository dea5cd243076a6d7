"""Classical Monte Carlo: random walks and the coherent backscattering cone of light.

* :mod:`weakloc.montecarlo.randomwalk`: persistent random walks in d = 1, 2, 3 (VACF,
  Green-Kubo and MSD diffusion constants, return probability, dephasing window);
* :mod:`weakloc.montecarlo.latticewalk`: hypercubic lattice walks and Polya recurrence;
* :mod:`weakloc.montecarlo.cbs`: coherent backscattering of light (ladder, crossed,
  single scattering, AWM line shape);
* :mod:`weakloc.montecarlo.polarized`: the same cone for polarized light and point-dipole
  (Rayleigh) scatterers in four polarization channels.

The compiled kernels (numba, parallel over walkers with one xoshiro256**
stream per walker derived from :class:`numpy.random.SeedSequence`) give results that do
not depend on the number of threads.
"""

from weakloc._deprecate import warn_renamed
from weakloc.montecarlo.cbs import CBSConeResult, awm_crossed, simulate_cbs
from weakloc.montecarlo.latticewalk import POLYA_3D, LatticeReturn, lattice_return
from weakloc.montecarlo.polarized import PolarizedCBSResult, simulate_polarized_cbs
from weakloc.montecarlo.randomwalk import WalkResult, simulate_walks, sweep_task

__all__ = ["simulate_walks", "WalkResult", "sweep_task", "lattice_return", "LatticeReturn",
           "POLYA_3D", "simulate_cbs", "CBSConeResult", "awm_crossed", "simulate_polarized_cbs",
           "PolarizedCBSResult"]


def __getattr__(name: str):
    if name == "CBSResult":   # the cone of light; weakloc.dynamics.CBSResult is in momentum space
        warn_renamed("weakloc.montecarlo.CBSResult", "CBSConeResult")
        return CBSConeResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
