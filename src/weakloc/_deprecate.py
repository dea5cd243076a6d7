"""Old argument and attribute names, kept working for one release with a DeprecationWarning.

The public API speaks with one word per concept (``dim``, ``samples``, ``seed=None``,
``progress=None``); the names it replaced still work for one release and say what to use.
"""

from __future__ import annotations

import functools
import warnings

from weakloc.errors import InputError

__all__ = ["renamed_arguments", "warn_renamed"]


def warn_renamed(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Emit the DeprecationWarning for ``old`` renamed to ``new``."""
    warnings.warn(f"{old} is deprecated and will be removed in the next release; use {new}",
                  DeprecationWarning, stacklevel=stacklevel)


def renamed_arguments(**old_to_new: str):
    """Decorator: keyword arguments ``old=`` still accepted as ``new=``, with a warning.

    Giving both spellings is an :class:`~weakloc.errors.InputError`.
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs:
                        raise InputError(f"{func.__name__}: give {new}= only ({old}= is its "
                                         "deprecated name)")
                    warn_renamed(f"{func.__name__}({old}=...)", f"{new}=...")
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return wrapper

    return decorate
