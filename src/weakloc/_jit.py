"""First runs: say on stderr that numerical kernels are being compiled.

weakloc's numba kernels are compiled on their first call and cached on disk
(``cache=True``), so a fresh install spends a few seconds more in the first call of a
command than afterwards (each command compiles only its own kernels; see BENCHMARKS.md,
"First calls"). Silence during that time looks like a hang; :func:`announce_compile`
prints one line when a command's kernels have no cache yet.

Several processes compiling at once (a sweep's workers on a fresh install, two commands run
side by side) share that cache, and numba's cache writes are not safe between processes:
each writer reads a kernel's index file, picks the first free data-file number and writes
index and data file, so two processes compiling different variants of one kernel (the
closures of ``_make_kernel``-style factories share one index) can both pick number 1, and
the index of one can end up pointing at the machine code of the other: wrong numbers or a
segfault on every later run, until the cache is deleted. :func:`serialize_cache_writes`
puts an exclusive file lock (``<index>.lock`` next to the index) around each write, so the
second writer sees the first one's entry and picks another number. Every kernel module
calls it before its first compilation.

A second hazard of the same cache, numba's open issue 10486: a kernel made by a factory
(``_make_kernel(d)`` and the like) has one qualified name for all its variants, and numba
names the machine code of each compilation ``<qualified name>$<counter>``, the counter
counting compilations in the process. Two processes that compile different variants in the
same order give them the same symbol; a later process that loads both from the cache links
both callers to whichever body it loaded first, and computes with the wrong variant (seen
here: a spin-1/2 transport sweep running the spinless slice assembly, g = 0.015 for 2). The
factories therefore give each variant a qualified name of its own with :func:`variant`
before numba sees it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["KERNELS", "has_cache", "announce_compile", "announce_if_slow", "NOTICE_AFTER",
           "serialize_cache_writes", "variant"]

#: seconds a command with uncompiled kernels runs before the notice is printed: a bad
#: input refused in its first second gets its one-line error and nothing else
NOTICE_AFTER = 2.0

#: command -> the kernel modules (relative to the package) its first call compiles
KERNELS = {
    "randomwalk": ("montecarlo/_walkkernel.py",),
    "cbs": ("montecarlo/_cbskernel.py",),
    "conductance": ("transport/rgf.py",),
    "localization": ("transport/_tmkernel.py",),
    "scaling": ("transport/_tmkernel.py",),
    "cbs-momentum": ("dynamics/_kernels.py",),
}


def has_cache(module: str) -> bool:
    """Whether numba's on-disk cache holds an index for some kernel of ``module``."""
    import weakloc

    src = Path(weakloc.__file__).parent / module
    pattern = f"{src.stem}.*.nbi"
    if os.environ.get("NUMBA_CACHE_DIR"):    # numba then caches there only, mirroring paths
        place = Path(os.environ["NUMBA_CACHE_DIR"])
        found = place.rglob(pattern) if place.is_dir() else iter(())
    else:
        place = src.parent / "__pycache__"
        found = place.glob(pattern) if place.is_dir() else iter(())
    return next(iter(found), None) is not None


def announce_compile(command: str, stream=None) -> bool:
    """Print one line on stderr when ``command``'s kernels are not compiled yet; returns
    whether it did."""
    modules = KERNELS.get(command, ())
    if not modules or all(has_cache(m) for m in modules):
        return False
    _notice(command, stream)
    return True


def _notice(command: str, stream=None) -> None:
    print(f"weakloc {command}: compiling numerical kernels (once per install, a few "
          "seconds) ...", file=sys.stderr if stream is None else stream, flush=True)


def announce_if_slow(command: str, delay: float = NOTICE_AFTER, stream=None):
    """Print :func:`announce_compile`'s line only if the command is still running after
    ``delay`` seconds (the kernels are then being compiled). Returns a timer to ``cancel()``
    when the command ends, or None when nothing would be printed."""
    import threading

    modules = KERNELS.get(command, ())
    if not modules or all(has_cache(m) for m in modules):
        return None
    # the cache is checked now: once compiling has begun numba writes its index files
    timer = threading.Timer(delay, _notice, args=(command, stream))
    timer.daemon = True
    timer.start()
    return timer


def serialize_cache_writes() -> bool:
    """Make numba's on-disk cache writes safe between processes (see the module docstring).

    Wraps ``numba.core.caching.IndexDataCacheFile.save`` once per process with an exclusive
    ``fcntl`` lock on ``<index file>.lock``. Returns whether the lock is in place: False on
    a platform without ``fcntl`` or a numba whose cache class has another shape (numba's
    own behaviour then, unchanged). A cache folder where the lock file cannot be created
    (read-only) is left to numba, which then does not write either.
    """
    try:
        import fcntl

        from numba.core.caching import IndexDataCacheFile
    except ImportError:
        return False
    save = IndexDataCacheFile.save
    if getattr(save, "_weakloc_locked", False):
        return True

    def locked_save(self, key, data):
        index = getattr(self, "_index_path", None)
        try:
            handle = open(f"{index}.lock", "a") if index else None
        except OSError:
            handle = None
        if handle is None:
            return save(self, key, data)
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)   # released when the file is closed
            return save(self, key, data)

    locked_save._weakloc_locked = True
    IndexDataCacheFile.save = locked_save
    return True


def variant(**constants):
    """Decorator, placed *under* ``numba.njit`` in a kernel factory: give the function a
    qualified name that spells out its compile-time constants (``sweep_chunk`` with
    ``caroli=False, s=2`` becomes ``sweep_chunk__caroli0_s2``), so that every variant gets
    machine-code symbols and cache files of its own (see the module docstring).

    The values must be booleans or integers (what the factories specialize on).
    """
    import numbers

    for key, value in constants.items():
        if not isinstance(value, numbers.Integral):   # bool, int, numpy integers
            raise TypeError(f"variant constant {key}={value!r} is not a bool or an integer")
    tag = "_".join(f"{key}{int(value)}" for key, value in constants.items())

    def rename(fn):
        base = fn.__qualname__.rsplit(".", 1)[-1]
        fn.__qualname__ = f"{base}__{tag}" if tag else base
        return fn

    return rename
