"""Explicit, reproducible randomness.

Nothing in weakloc seeds globally. Every stochastic function takes ``seed`` (an int, a
:class:`numpy.random.SeedSequence`, a :class:`numpy.random.Generator` or None) and
ensembles derive one independent stream per realization with :func:`stream`, so a result
does not depend on how many workers computed it or in which order.
"""

from __future__ import annotations

import numpy as np

from weakloc.errors import InputError

__all__ = ["as_generator", "stream", "root_entropy"]


def root_entropy(seed) -> int:
    """Return an integer root seed; draw a fresh one from the OS when ``seed`` is None.

    The returned integer is what results record, so a run without a seed can be repeated.
    """
    if seed is None:
        return int(np.random.SeedSequence().entropy)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise InputError(f"seed must be a non-negative integer, got {seed!r}")
    if seed < 0:
        raise InputError(f"seed must be a non-negative integer, got {seed}")
    return int(seed)


def stream(root_seed: int, *key: int) -> np.random.Generator:
    """Independent random stream number ``key`` under ``root_seed``.

    ``stream(s, i)`` is realization ``i``; ``stream(s, p, i)`` realization ``i`` of grid
    point ``p``. Built on :class:`numpy.random.SeedSequence` spawn keys, so streams with
    different keys are statistically independent and each is a pure function of its key.
    """
    keys = tuple(int(k) for k in key)
    if any(k < 0 for k in keys):
        raise InputError(f"stream keys must be non-negative, got {keys}")
    seq = np.random.SeedSequence(entropy=root_entropy(root_seed), spawn_key=keys)
    return np.random.Generator(np.random.PCG64(seq))


def as_generator(seed) -> np.random.Generator:
    """A :class:`numpy.random.Generator` from a seed, SeedSequence or Generator."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.SeedSequence):
        return np.random.Generator(np.random.PCG64(seed))
    return np.random.Generator(np.random.PCG64(root_entropy(seed)))
