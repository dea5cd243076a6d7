"""weakloc: quantum interference in disordered conductors.

Weak localization (WL), weak anti-localization (WAL) and coherent backscattering (CBS):
closed-form theory, fits of measured magnetoconductance, disordered tight-binding
transport, Monte Carlo and wave-packet dynamics.

Subpackages are imported lazily so that ``import weakloc`` stays fast::

    import weakloc
    weakloc.theory.hln(...)        # imports weakloc.theory on first use
"""

from __future__ import annotations

import importlib

from weakloc._version import __version__
from weakloc.errors import (
    ConvergenceError,
    InfrastructureError,
    InputError,
    ResourceError,
    WeaklocError,
)

__all__ = [
    "__version__",
    "WeaklocError",
    "InputError",
    "ConvergenceError",
    "ResourceError",
    "InfrastructureError",
    "units",
    "theory",
    "fitting",
    "lattice",
    "transport",
    "montecarlo",
    "dynamics",
    "ensemble",
    "kubo",
    "plots",
]

_SUBMODULES = {
    "units", "theory", "fitting", "lattice", "transport", "montecarlo", "dynamics",
    "ensemble", "kubo", "plots", "seeding", "io", "progress",
}


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"weakloc.{name}")
    raise AttributeError(f"module 'weakloc' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)
