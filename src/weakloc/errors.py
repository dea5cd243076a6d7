"""Typed exceptions raised by weakloc.

Every message names the fix. The command line turns any :class:`WeaklocError` into one
line on stderr and exit code 2.
"""

from __future__ import annotations

__all__ = ["WeaklocError", "InputError", "ConvergenceError", "ResourceError"]


class WeaklocError(Exception):
    """Base class of every error weakloc raises on purpose."""


class InputError(WeaklocError, ValueError):
    """An argument is out of range, of the wrong shape, non-finite or inconsistent."""


class ConvergenceError(WeaklocError, RuntimeError):
    """A fit or an iterative computation did not reach the requested accuracy."""


class ResourceError(WeaklocError, MemoryError):
    """The requested computation would need more memory or time than is available."""
