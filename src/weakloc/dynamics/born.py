"""Moved to :mod:`weakloc.theory.born`; this name is kept so that old imports keep working."""

from weakloc.theory.born import *  # noqa: F403
from weakloc.theory.born import __all__  # noqa: F401


def __getattr__(name: str):
    from weakloc.theory import born

    return getattr(born, name)   # the deprecated names warn there
