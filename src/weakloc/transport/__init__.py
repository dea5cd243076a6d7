"""Solvers over lattice systems: Landauer conductance, transfer matrices, beta(g).

The finite-size-scaling fit (:mod:`weakloc.finitesize`), the quasi-1D closed forms
(:mod:`weakloc.theory.quasi1d`) and the ``Lambda(W, M)`` grid
(:mod:`weakloc.ensemble.grids`) are re-exported here under their old names.

Each solver module defines its ensemble observable as ``sweep_task`` (the name the
:mod:`weakloc.ensemble.observables` registry looks up); here they are re-exported under
distinct names, :func:`conductance_task` and :func:`localization_task`.
"""

import weakloc.transport  # noqa: F401  (for the __all__ bookkeeping below)
from weakloc.transport.landauer import *  # noqa: F403
from weakloc.transport.landauer import sweep_task as conductance_task
from weakloc.transport.scaling import *  # noqa: F403
from weakloc.transport.transfer import *  # noqa: F403
from weakloc.transport.transfer import sweep_task as localization_task

del sweep_task  # noqa: F821  (ambiguous here: one per solver module, see above)

__all__ = ["conductance_task", "localization_task"]
for _module in (weakloc.transport.landauer, weakloc.transport.transfer,  # noqa: F405
                weakloc.transport.scaling):  # noqa: F405
    __all__ += [name for name in _module.__all__ if name != "sweep_task"]
del _module
