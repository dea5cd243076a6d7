"""Solvers over lattice systems: Landauer conductance, transfer matrices, scaling."""

import weakloc.transport  # noqa: F401  (for the __all__ bookkeeping below)
from weakloc.transport.landauer import *  # noqa: F403
from weakloc.transport.scaling import *  # noqa: F403
from weakloc.transport.transfer import *  # noqa: F403

__all__ = []
__all__ += weakloc.transport.landauer.__all__  # noqa: F405
__all__ += weakloc.transport.transfer.__all__  # noqa: F405
__all__ += weakloc.transport.scaling.__all__  # noqa: F405
