"""Per-walker random streams usable inside numba kernels.

Every walker (photon) ``w`` gets its own xoshiro256** generator, seeded by splitmix64 from
a 64-bit key ``keys[w]``; the keys come from :meth:`numpy.random.SeedSequence.generate_state`
of the run's root seed. A walker's random numbers therefore depend only on the root seed
and its index, never on how many threads ran the kernel or in which order.

References
----------
Blackman and Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47, 36
(2021) (xoshiro256** and splitmix64).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from weakloc._jit import serialize_cache_writes
from weakloc.seeding import as_generator

serialize_cache_writes()   # numba's cache, shared between processes

__all__ = ["walker_keys", "seed_state", "next_u64", "uniform", "exponential",
           "exponential_outlined"]

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


def walker_keys(seed, n: int) -> tuple[np.ndarray, int]:
    """``n`` 64-bit stream keys derived from ``seed`` and the integer root they came from.

    ``seed`` may be an int, a SeedSequence or a Generator (then one 63-bit root is drawn
    from it, so the keys are a pure function of the generator's state).
    """
    if isinstance(seed, np.random.Generator):
        root = int(seed.integers(0, 2**63))
    elif isinstance(seed, np.random.SeedSequence):
        root = int(as_generator(seed).integers(0, 2**63))
    else:
        from weakloc.seeding import root_entropy

        root = root_entropy(seed)
    keys = np.random.SeedSequence(root).generate_state(int(n), dtype=np.uint64)
    return keys, root


@nb.njit(cache=True, inline="always")
def _rotl(x, k):
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@nb.njit(cache=True)
def seed_state(key, state):
    """Fill ``state`` (uint64[4]) from ``key`` with splitmix64."""
    z = np.uint64(key)
    for i in range(4):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        x = z
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        state[i] = x ^ (x >> np.uint64(31))


@nb.njit(cache=True, inline="always")
def next_u64(s):
    """One 64-bit output of xoshiro256** (advances ``s`` in place)."""
    result = _rotl(s[1] * np.uint64(5), 7) * np.uint64(9)
    t = s[1] << np.uint64(17)
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return result


@nb.njit(cache=True, inline="always")
def uniform(s):
    """Uniform double in [0, 1) from the top 53 bits."""
    return float(next_u64(s) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@nb.njit(cache=True, inline="always")
def exponential(s):
    """Exponential variate of mean 1."""
    return -np.log(1.0 - uniform(s))


@nb.njit(cache=True)
def exponential_outlined(s):
    """:func:`exponential` as a called (not inlined) function, for kernels without
    ``fastmath``: the same numbers, less to compile at each call site."""
    return exponential(s)
