"""Typed exceptions raised by weakloc.

Every message names the fix. The command line turns any :class:`WeaklocError` into one
line on stderr and exit code 2, except :class:`InfrastructureError` (lost cluster, exit
code 4; see :mod:`weakloc.cli`).
"""

from __future__ import annotations

__all__ = ["WeaklocError", "InputError", "ConvergenceError", "ResourceError",
           "InfrastructureError"]


class WeaklocError(Exception):
    """Base class of every error weakloc raises on purpose."""


class InputError(WeaklocError, ValueError):
    """An argument is out of range, of the wrong shape, non-finite or inconsistent."""


class ConvergenceError(WeaklocError, RuntimeError):
    """A fit or an iterative computation did not reach the requested accuracy."""


class ResourceError(WeaklocError, MemoryError):
    """The requested computation would need more memory or time than is available."""


class InfrastructureError(WeaklocError, RuntimeError):
    """The machinery a run depends on went away (every Dask worker lost, the scheduler
    gone); nothing is wrong with the input, and the message says how to resume."""
