"""Closed-form theory: pure, vectorized functions, SI units in and out.

The closed forms in lattice units (``t = a = hbar = 1``) stay in their modules, outside
this namespace: :mod:`~weakloc.theory.born` (Born scales of the 2D Anderson model),
:mod:`~weakloc.theory.momentum_cbs` (Cooperon predictions for momentum-space CBS) and
:mod:`~weakloc.theory.ilp_linear` (the ILP Landau-level series).
"""

import weakloc.theory  # noqa: F401  (for the __all__ bookkeeping below)
from weakloc.theory.cone import *  # noqa: F403
from weakloc.theory.dephasing import *  # noqa: F403
from weakloc.theory.diffusion import *  # noqa: F403
from weakloc.theory.fluctuations import *  # noqa: F403
from weakloc.theory.interaction import *  # noqa: F403
from weakloc.theory.interference import *  # noqa: F403
from weakloc.theory.magnetoconductance import *  # noqa: F403
from weakloc.theory.quasi1d import *  # noqa: F403
from weakloc.theory.rings import *  # noqa: F403

__all__ = []
__all__ += weakloc.theory.diffusion.__all__  # noqa: F405
__all__ += weakloc.theory.interference.__all__  # noqa: F405
__all__ += weakloc.theory.dephasing.__all__  # noqa: F405
__all__ += weakloc.theory.magnetoconductance.__all__  # noqa: F405
__all__ += weakloc.theory.quasi1d.__all__  # noqa: F405
__all__ += weakloc.theory.fluctuations.__all__  # noqa: F405
__all__ += weakloc.theory.interaction.__all__  # noqa: F405
__all__ += weakloc.theory.cone.__all__  # noqa: F405
__all__ += weakloc.theory.rings.__all__  # noqa: F405
