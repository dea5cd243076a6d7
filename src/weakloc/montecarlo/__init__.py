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

#: where each public name lives: imported on first use, so that ``weakloc randomwalk``
#: does not load the CBS code (and the closed forms it imports)
_HOME = {
    "simulate_walks": "randomwalk", "WalkResult": "randomwalk", "sweep_task": "randomwalk",
    "lattice_return": "latticewalk", "LatticeReturn": "latticewalk", "POLYA_3D": "latticewalk",
    "simulate_cbs": "cbs", "CBSConeResult": "cbs", "awm_crossed": "cbs",
    "simulate_polarized_cbs": "polarized", "PolarizedCBSResult": "polarized",
}

__all__ = list(_HOME)


def __getattr__(name: str):
    import importlib

    if name == "CBSResult":   # the cone of light; weakloc.dynamics.CBSResult is in momentum space
        warn_renamed("weakloc.montecarlo.CBSResult", "CBSConeResult")
        name = "CBSConeResult"
    if name in _HOME:
        return getattr(importlib.import_module(f"weakloc.montecarlo.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_HOME))
