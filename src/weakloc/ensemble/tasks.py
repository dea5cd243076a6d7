"""Tasks: one realization at one grid point, a pure function of its key.

A task is ``(params, realization)`` under the sweep's root seed. Its random stream is

.. math::

    \\mathrm{rng} = \\mathtt{stream}(s,\\ k(\\mathrm{params}),\\ r),

with :func:`weakloc.seeding.stream` (numpy ``SeedSequence`` spawn keys), ``s`` the root seed,
``r`` the realization index and ``k`` a 64-bit hash (BLAKE2b) of the canonical text of the
task's full parameter set (the grid point merged with the fixed options; numbers compared
as floats, so ``8`` and ``8.0`` are the same point). Keying on the parameters instead of the
point's position in the grid means that reordering the grid, adding values to an axis or
splitting a sweep into several files leaves every existing task's numbers unchanged; two
tasks share a stream only if they have the same parameters and realization index (then
they are the same task, or the same disorder seen by two observables). The numbers are
therefore bit-identical on any executor, worker count and order.

A sweep's ``same_disorder_along`` axes are left out of the hashed parameters: then the
points that differ only along those axes share realization ``r``'s stream (the same
disorder sample seen at several fields or energies).
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import signal
import threading
import traceback

from weakloc.ensemble.sweepfile import canonical_params

__all__ = ["point_key", "task_rng", "run_task", "run_batch", "run_preflight", "TaskTimeout"]


def point_key(params: dict) -> int:
    """64-bit key of a parameter set: BLAKE2b of its canonical text (see module doc)."""
    digest = hashlib.blake2b(canonical_params(params).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def task_rng(root_seed: int, params: dict, realization: int):
    """The random stream of realization ``realization`` at ``params``."""
    from weakloc.seeding import stream

    return stream(root_seed, point_key(params), realization)


class TaskTimeout(Exception):
    """A task ran over the sweep's per-task time limit."""


@contextlib.contextmanager
def _deadline(seconds):
    """Raise :class:`TaskTimeout` in this thread after ``seconds`` (SIGALRM).

    Only in a process's main thread (where serial runs and local worker processes run
    their tasks); elsewhere it does nothing, and :func:`run_batch` runs a time-limited
    batch of another thread (a Dask worker's) in a child process instead
    (:mod:`weakloc.ensemble._taskprocess`). Compiled code (numba) is interrupted when it
    returns to Python.
    """
    if (not seconds or threading.current_thread() is not threading.main_thread()
            or not hasattr(signal, "setitimer")):
        yield
        return

    def expire(signum, frame):
        raise TaskTimeout(f"the task ran over the per-task limit of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_task(func, params: dict, root_seed: int, realization: int, *, key: int | None = None,
             raise_input_errors: bool = False, timeout: float | None = None):
    """Run one task; returns ``(values, error)``: a dict of floats and ``""``, or None and text.

    An exception inside the observable is caught and returned as its one-line summary
    (exception type and message, plus the innermost frame), so one bad task does not stop a
    sweep. A NaN or infinite output is a failure too (``FloatingPointError``): it would
    otherwise vanish silently from the means. A task that runs over ``timeout`` seconds
    fails with ``TaskTimeout`` (see ``_deadline`` for where this is enforced). ``key``
    is the stream key (default: :func:`point_key` of ``params``). With
    ``raise_input_errors``, a :class:`~weakloc.errors.WeaklocError` (the observable
    rejecting its parameters) propagates instead.
    """
    from weakloc.errors import WeaklocError

    try:
        from weakloc.seeding import stream

        rng = stream(root_seed, point_key(params) if key is None else key, realization)
        with _deadline(timeout):
            out = func(dict(params), rng)
        if not isinstance(out, dict) or not out:
            raise TypeError(f"observable returned {type(out).__name__}, expected a non-empty "
                            "dict of numbers")
        values = {}
        for name, value in out.items():
            if not isinstance(name, str) or not name.isidentifier() or "__" in name:
                raise TypeError(f"observable output name {name!r} is not an identifier "
                                "without '__'")
            values[name] = float(value)
            if not math.isfinite(values[name]):
                raise FloatingPointError(f"output {name!r} is {values[name]!r}: a non-finite "
                                         "result is a failed task, not data")
        return values, ""
    except WeaklocError as exc:
        if raise_input_errors:
            raise
        return None, _describe(exc)
    except Exception as exc:  # noqa: BLE001 - recorded and reported, the sweep goes on
        return None, _describe(exc)


def _describe(exc: BaseException) -> str:
    """One line: exception type, first line of its message, innermost file and line."""
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" [{tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}]" if tb else ""
    msg = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {msg}{where}"


def run_batch(ref, root_seed: int, tasks, timeout: float | None = None) -> list:
    """Run a batch of tasks in the calling process (serially).

    Parameters
    ----------
    ref : str or callable
        The observable (see :func:`weakloc.ensemble.observables.resolve`).
    root_seed : int
        The sweep's root seed.
    tasks : sequence of (int, int, dict, int)
        ``(point_index, realization, params, key)``: ``key`` is the stream key
        (:func:`point_key` of the keyed parameters).
    timeout : float, optional
        Per-task limit in seconds (see :func:`run_task`). Outside a process's main thread
        (a Dask worker), where no alarm signal arrives, the tasks then run in a child
        process of the thread that is stopped when a task overruns
        (``weakloc.ensemble._taskprocess``).

    Returns
    -------
    list of (int, int, dict or None, str)
        ``(point_index, realization, values, error)`` for every task, in order.
    """
    from weakloc.ensemble.observables import resolve

    func = resolve(ref)
    if (timeout and threading.current_thread() is not threading.main_thread()
            and hasattr(os, "killpg")):
        from weakloc.ensemble._taskprocess import run_batch_in_child

        return run_batch_in_child(ref, root_seed, tasks, timeout)
    records = []
    for point, realization, params, key in tasks:
        values, error = run_task(func, params, root_seed, realization, key=key,
                                 timeout=timeout)
        records.append((int(point), int(realization), values, error))
    return records


def run_preflight(ref, root_seed: int, task, timeout: float | None = None):
    """One task ``(point_index, realization, params, key)`` with the observable's
    :class:`~weakloc.errors.WeaklocError` raised, not recorded: ``(values, error)``."""
    from weakloc.ensemble.observables import resolve

    _, realization, params, key = task
    return run_task(resolve(ref), params, root_seed, realization, key=key,
                    raise_input_errors=True, timeout=timeout)
