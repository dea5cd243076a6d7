"""Moved to :mod:`weakloc.theory.momentum_cbs`; this name is kept so that old imports work."""

from weakloc.theory.momentum_cbs import *  # noqa: F403
from weakloc.theory.momentum_cbs import __all__  # noqa: F401
