"""Executors: where the batches of a sweep run. One interface, three back ends.

Every executor is a context manager with ``run(ref, root_seed, batches)``, a generator
that yields the records of each batch as it finishes (in completion order), where a batch is
a list of ``(point_index, realization, params, key)`` tasks and a record is
``(point_index, realization, values, error)`` (see :func:`weakloc.ensemble.tasks.run_batch`).

- :class:`SerialExecutor`: in the calling process.
- :class:`ProcessExecutor`: local worker processes (:class:`concurrent.futures.ProcessPoolExecutor`
  with the ``spawn`` start method), one per core by default. A worker that dies (killed,
  out of memory, a crash in compiled code) breaks the pool; the executor builds a new pool
  and resubmits the batches that were in flight, first one at a time, so that a batch that
  kills its worker again is isolated, split into single tasks, and each task that still
  kills its worker after ``retries`` solo retries is recorded as failed.
- :class:`DaskExecutor`: a ``dask.distributed`` cluster, either an existing scheduler
  (``tcp://HOST:PORT``) or a :class:`distributed.LocalCluster` started for the sweep. The
  scheduler reschedules the tasks of a lost worker itself; a batch whose workers died too
  often (``KilledWorker``) is recorded as failed.
"""

from __future__ import annotations

import collections
import os
import uuid

from weakloc.ensemble.tasks import run_batch
from weakloc.errors import InputError, WeaklocError

__all__ = ["SerialExecutor", "ProcessExecutor", "DaskExecutor", "make_executor", "EXECUTORS",
           "default_workers"]

#: The executor names :func:`make_executor` accepts.
EXECUTORS = ("serial", "processes", "dask")


def default_workers() -> int:
    """Number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _failed(batch, message: str) -> list:
    return [(p, r, None, message) for p, r, *_ in batch]


class SerialExecutor:
    """Run every batch in the calling process, one after the other."""

    name = "serial"
    workers = 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, ref, root_seed: int, batches):
        """Yield the records of each batch."""
        for batch in batches:
            yield run_batch(ref, root_seed, batch)


class ProcessExecutor:
    """Local worker processes; survives workers that die (see the module docstring).

    Parameters
    ----------
    workers : int, optional
        Number of worker processes; default: every core this process may use.
    retries : int
        Solo re-runs granted to a single task whose worker died before it is recorded as
        failed.
    max_breaks : int
        The sweep stops with :class:`~weakloc.errors.WeaklocError` when the pool breaks this
        many times in a row without finishing a batch (workers that cannot even start, e.g.
        a main module without an ``if __name__ == "__main__":`` guard, or no memory).
    """

    name = "processes"

    def __init__(self, workers: int | None = None, retries: int = 2, max_breaks: int = 10):
        self.workers = default_workers() if workers is None else _workers(workers)
        self.retries = retries
        self.max_breaks = max_breaks
        self._pool = None
        #: number of times the pool broke and was rebuilt (for reports and tests)
        self.restarts = 0

    def _new_pool(self):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from weakloc.ensemble import _worker

        return ProcessPoolExecutor(max_workers=self.workers,
                                   mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker.init)

    def __enter__(self):
        self._pool = self._new_pool()
        return self

    def __exit__(self, *exc):
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        return False

    def run(self, ref, root_seed: int, batches):
        """Yield the records of each batch; rebuilds the pool when a worker dies."""
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        if self._pool is None:
            self._pool = self._new_pool()
        pending = collections.deque(batches)
        suspects = collections.deque()       # (batch, solo failures) to re-run alone
        inflight = {}                        # future -> (batch, solo, failures)

        def submit():
            if suspects:
                if not inflight:
                    batch, fails = suspects.popleft()
                    fut = self._pool.submit(run_batch, ref, root_seed, batch)
                    inflight[fut] = (batch, True, fails)
                return
            while pending and len(inflight) < self.workers:
                batch = pending.popleft()
                inflight[self._pool.submit(run_batch, ref, root_seed, batch)] = (batch, False, 0)

        submit()
        breaks = 0                           # consecutive breaks without a finished batch
        while inflight:
            done, _ = wait(inflight, return_when=FIRST_COMPLETED)
            finished, lost = [], []
            for fut in done:
                if isinstance(fut.exception(), BrokenProcessPool):
                    lost.append(fut)
                    continue
                batch, _, _ = inflight.pop(fut)
                if fut.exception() is not None:
                    raise WeaklocError(f"a worker could not run a batch: {fut.exception()}; "
                                       "check that workers can import the observable")
                finished.append(fut.result())
                breaks = 0
            if lost:
                # the pool is broken: every other in-flight future fails too, collect them
                wait(inflight)
                for fut in list(inflight):
                    if fut.exception() is None:
                        finished.append(fut.result())
                        inflight.pop(fut)
                breaks = 0 if finished else breaks + 1
                if breaks >= self.max_breaks:
                    raise WeaklocError(
                        f"worker processes died {breaks} times in a row without finishing a "
                        "batch; check that they can start (their error is on stderr): "
                        "enough memory, and an import-safe main module"
                    )
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = self._new_pool()
                self.restarts += 1
                for fut in list(inflight):
                    batch, solo, fails = inflight.pop(fut)
                    if not solo:
                        suspects.append((batch, 0))
                    elif len(batch) > 1:
                        suspects.extend((list([task]), 0) for task in batch)
                    elif fails + 1 > self.retries:
                        finished.append(_failed(batch, f"WorkerDied: the worker process died "
                                                f"{fails + 1} times running this task "
                                                "alone"))
                    else:
                        suspects.appendleft((batch, fails + 1))
            submit()
            yield from finished


def _workers(workers) -> int:
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError(f"workers must be an integer >= 1, got {workers!r}")
    return workers


class DaskExecutor:
    """A ``dask.distributed`` cluster: an existing scheduler or a LocalCluster.

    Parameters
    ----------
    workers : int, optional
        Worker processes of the LocalCluster (1 thread each); default: every core. Not for
        use with ``scheduler`` (that cluster has its own workers).
    scheduler : str, optional
        Address of a running scheduler, e.g. ``tcp://10.0.0.5:8786``. Its workers must be
        able to import weakloc and the observable.
    timeout : float
        Seconds to wait for the scheduler before giving up with an error.
    retries : int
        Dask retries of a batch that raised (observable errors are recorded, not raised).
    """

    name = "dask"

    def __init__(self, workers: int | None = None, scheduler: str | None = None,
                 timeout: float = 5.0, retries: int = 1):
        self.scheduler = scheduler
        if scheduler is not None:
            if not isinstance(scheduler, str) or "://" not in scheduler:
                raise InputError(f"scheduler address must read PROTOCOL://HOST:PORT, e.g. "
                                 f"tcp://127.0.0.1:8786, got {scheduler!r}")
        self.workers = default_workers() if workers is None else _workers(workers)
        self.timeout = timeout
        self.retries = retries
        self.client = None
        self._cluster = None

    def __enter__(self):
        import logging

        from distributed import Client, LocalCluster

        if self.scheduler is not None:
            try:
                self.client = Client(self.scheduler, timeout=self.timeout,
                                     set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise InputError(
                    f"no dask scheduler reachable at {self.scheduler} within "
                    f"{self.timeout:g} s ({type(exc).__name__}); check the address, or start "
                    "one with 'dask scheduler', or drop --scheduler for a local cluster"
                ) from None
            try:
                self.client.wait_for_workers(1, timeout=self.timeout)
            except (OSError, TimeoutError):
                self.client.close()
                self.client = None
                raise InputError(
                    f"the dask scheduler at {self.scheduler} has no workers (waited "
                    f"{self.timeout:g} s); start some with 'dask worker {self.scheduler}'"
                ) from None
            self.workers = len(self.client.scheduler_info().get("workers", {})) or None
        else:
            self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                         processes=True, dashboard_address=":0",
                                         silence_logs=logging.ERROR)
            self.client = Client(self._cluster, set_as_default=False)
        return self

    def __exit__(self, *exc):
        if self.client is not None:
            self.client.close()
            self.client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        return False

    def run(self, ref, root_seed: int, batches):
        """Submit every batch and yield the records of each as it finishes."""
        from distributed import as_completed
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        if self.client is None:
            self.__enter__()
        tag = uuid.uuid4().hex[:12]
        futures = {}
        for i, batch in enumerate(batches):
            fut = self.client.submit(run_batch, ref, root_seed, batch, pure=False,
                                     retries=self.retries, key=f"weakloc-sweep-{tag}-{i}")
            futures[fut.key] = (fut, batch)
        for fut in as_completed([f for f, _ in futures.values()], loop=self.client.loop):
            _, batch = futures.pop(fut.key)
            try:
                records = fut.result()
            except KilledWorker as exc:
                records = _failed(batch, f"WorkerDied: dask gave up on this batch ({exc})")
            except FutureCancelledError:
                raise WeaklocError("the dask scheduler cancelled the sweep's tasks") from None
            except WeaklocError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise WeaklocError(f"a dask worker could not run a batch: "
                                   f"{type(exc).__name__}: {exc}; check that the workers "
                                   "can import weakloc and the observable") from None
            fut.release()
            yield records


def make_executor(name: str = "processes", *, workers: int | None = None,
                  scheduler: str | None = None, timeout: float = 5.0):
    """An executor by name: ``"serial"``, ``"processes"`` (default) or ``"dask"``."""
    if name not in EXECUTORS:
        raise InputError(f"executor must be one of {', '.join(EXECUTORS)}, got {name!r}")
    if scheduler is not None and name != "dask":
        raise InputError("--scheduler needs --executor dask")
    if scheduler is not None and workers is not None:
        raise InputError("--workers does not apply to an existing scheduler (its workers are "
                         "already running); drop --workers or --scheduler")
    if name == "serial":
        if workers not in (None, 1):
            raise InputError("the serial executor runs one worker; drop --workers or choose "
                             "--executor processes")
        return SerialExecutor()
    if name == "processes":
        return ProcessExecutor(workers=workers)
    return DaskExecutor(workers=workers, scheduler=scheduler, timeout=timeout)
