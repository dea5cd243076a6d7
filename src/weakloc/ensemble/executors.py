"""Executors: where the batches of a sweep run. One interface, three back ends.

Every executor is a context manager with ``run(ref, root_seed, batches, task_timeout)``, a
generator that yields the records of each batch as it finishes (in completion order), where
a batch is a list of ``(point_index, realization, params, key)`` tasks and a record is
``(point_index, realization, values, error)`` (see :func:`weakloc.ensemble.tasks.run_batch`).

- :class:`SerialExecutor`: in the calling process.
- :class:`ProcessExecutor`: local worker processes (:class:`concurrent.futures.ProcessPoolExecutor`
  with the ``spawn`` start method), one per core by default. A worker that dies (killed,
  out of memory, a crash in compiled code) breaks the pool; the executor builds a new pool
  and resubmits the batches that were in flight, first one at a time, so that a batch that
  kills its worker again is isolated, split into single tasks, and each task that still
  kills its worker after ``retries`` solo retries is recorded as failed. With a per-task
  time limit each task runs in a child of its worker that is killed when the task
  overruns (:mod:`weakloc.ensemble._taskprocess`), so a task stuck in compiled code is
  recorded as ``TaskTimeout`` instead of stalling the sweep.
- :class:`DaskExecutor`: a ``dask.distributed`` cluster, either an existing scheduler
  (``tcp://HOST:PORT``) or a :class:`distributed.LocalCluster` started for the sweep. The
  scheduler reschedules the tasks of a lost worker itself; a batch whose workers died too
  often (``KilledWorker``) is split into single tasks, and only a task that still kills its
  worker alone is recorded as failed (``WorkerDied``), not its healthy batch mates.
"""

from __future__ import annotations

import collections
import os
import time
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

    def run(self, ref, root_seed: int, batches, task_timeout: float | None = None):
        """Yield the records of each batch."""
        for batch in batches:
            yield run_batch(ref, root_seed, batch, task_timeout)


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

    def run_one(self, ref, root_seed: int, task, task_timeout: float | None = None):
        """Run one task in a worker process (the sweep's pre-flight): ``(values, error)``.

        The observable's :class:`~weakloc.errors.WeaklocError` propagates (bad parameters
        stop the sweep before it starts); a worker that dies (a crash in compiled code) is
        replaced and the task recorded as failed, instead of taking this process with it.
        """
        from concurrent.futures.process import BrokenProcessPool

        from weakloc.ensemble.tasks import run_preflight

        if self._pool is None:
            self._pool = self._new_pool()
        from concurrent.futures import TimeoutError as FutureTimeout

        from weakloc.ensemble._taskprocess import GRACE_S, START_S

        fut = self._pool.submit(run_preflight, ref, root_seed, task, task_timeout)
        try:
            # the alarm in the worker cannot stop compiled code: past the limit (plus the
            # worker's start and a grace time) the worker itself is stopped
            return fut.result(timeout=task_timeout + START_S + GRACE_S if task_timeout
                              else None)
        except FutureTimeout:
            self._restart_pool(kill=True)
            return None, (f"TaskTimeout: the task ran over the per-task limit of "
                          f"{task_timeout:g} s (its process was stopped)")
        except BrokenProcessPool:
            self._restart_pool()
            return None, "WorkerDied: the worker process died running this task"

    def _restart_pool(self, kill: bool = False):
        """Replace a broken pool by a fresh one; with ``kill``, first stop every worker
        process (one is stuck where no signal reaches)."""
        if kill:
            for proc in list(getattr(self._pool, "_processes", {}).values()):
                proc.kill()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._new_pool()
        self.restarts += 1

    def run(self, ref, root_seed: int, batches, task_timeout: float | None = None):
        """Yield the records of each batch; rebuilds the pool when a worker dies. With a
        per-task limit each task runs in a child of its worker (``_batch_in_worker``)."""
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
                    fut = self._pool.submit(_batch_in_worker, ref, root_seed, batch,
                                            task_timeout)
                    inflight[fut] = (batch, True, fails)
                return
            while pending and len(inflight) < self.workers:
                batch = pending.popleft()
                fut = self._pool.submit(_batch_in_worker, ref, root_seed, batch,
                                        task_timeout)
                inflight[fut] = (batch, False, 0)

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
                self._restart_pool()
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


def _batch_in_worker(ref, root_seed: int, batch, task_timeout: float | None = None):
    """A batch in a local worker process. With a per-task limit each task runs in a child
    process of the worker (:mod:`weakloc.ensemble._taskprocess`, as on a Dask worker), which
    is killed when the task overruns: the alarm alone, in the worker's main thread, does not
    stop compiled code that never returns to Python, and the sweep would wait for it for
    ever. The child starts once per worker and is reused; the values are those of
    :func:`~weakloc.ensemble.tasks.run_batch`."""
    if task_timeout and hasattr(os, "killpg"):
        from weakloc.ensemble._taskprocess import run_batch_in_child

        return run_batch_in_child(ref, root_seed, batch, task_timeout)
    return run_batch(ref, root_seed, batch, task_timeout)


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
        Address of a running scheduler, e.g. ``tcp://10.0.0.5:8786``. Its workers must run
        the same weakloc (version and source) and be able to import the observable.
    scheduler_file : str, optional
        The JSON file ``dask scheduler --scheduler-file FILE`` wrote (instead of
        ``scheduler``); the usual way on a batch system with a shared file system.
    timeout : float
        Seconds to wait for the scheduler, and for its first worker, before giving up.
    worker_timeout : float
        Seconds the sweep may go on with no live worker (a batch job's walltime ended)
        before it stops with :class:`~weakloc.errors.InfrastructureError`.
    retries : int
        Dask retries of a batch that raised (observable errors are recorded, not raised).

    Notes
    -----
    Every batch first checks that its worker runs the client's weakloc
    (:mod:`weakloc.ensemble.identity`); a mismatch stops the sweep with
    :class:`~weakloc.errors.InfrastructureError` naming the worker, before any of its
    numbers are recorded. Losing the scheduler stops it the same way. With a per-task
    limit (``task_timeout``) each worker thread runs its tasks in a child process, which
    is killed when a task overruns (no signal reaches a worker thread; see
    :func:`weakloc.ensemble.tasks.run_batch`). What was recorded
    stays in the store; ``--resume`` finishes the sweep on a new cluster.
    """

    name = "dask"

    def __init__(self, workers: int | None = None, scheduler: str | None = None,
                 timeout: float = 5.0, retries: int = 1, scheduler_file: str | None = None,
                 worker_timeout: float = 60.0):
        self.scheduler = scheduler
        self.scheduler_file = scheduler_file
        if scheduler is not None:
            if not isinstance(scheduler, str) or "://" not in scheduler:
                raise InputError(f"scheduler address must read PROTOCOL://HOST:PORT, e.g. "
                                 f"tcp://127.0.0.1:8786, got {scheduler!r}")
            if scheduler_file is not None:
                raise InputError("give scheduler=... or scheduler_file=..., not both")
        if scheduler_file is not None and not os.path.isfile(scheduler_file):
            raise InputError(f"scheduler file {scheduler_file!r} not found; give the file "
                             "'dask scheduler --scheduler-file FILE' wrote")
        self.workers = default_workers() if workers is None else _workers(workers)
        self.timeout = timeout
        self.worker_timeout = worker_timeout
        self.retries = retries
        self.client = None
        self._cluster = None
        self._quiet = None

    @property
    def where(self) -> str:
        """The scheduler option that reaches this cluster again (for messages)."""
        if self.scheduler_file is not None:
            return f"--scheduler-file {self.scheduler_file}"
        if self.scheduler is not None:
            return f"--scheduler {self.scheduler}"
        return ""

    def __enter__(self):
        from distributed import Client

        self._quiet = _quiet_distributed()
        external = self.scheduler is not None or self.scheduler_file is not None
        try:
            if external:
                self._connect(Client)
            else:
                self._start_local(Client)
        except BaseException:
            self.__exit__()
            raise
        return self

    def _connect(self, Client):
        target = self.scheduler or self.scheduler_file
        try:
            if self.scheduler_file is not None:
                self.client = Client(scheduler_file=self.scheduler_file, timeout=self.timeout,
                                     set_as_default=False)
            else:
                self.client = Client(self.scheduler, timeout=self.timeout,
                                     set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(
                f"no dask scheduler reachable at {target} within {self.timeout:g} s "
                f"({type(exc).__name__}); check the address, or start one with 'dask "
                "scheduler', or drop scheduler=... for a local cluster") from None
        try:
            self.client.wait_for_workers(1, timeout=self.timeout)
        except (OSError, TimeoutError):
            raise InputError(
                f"the dask scheduler at {target} has no workers (waited {self.timeout:g} s, "
                "raise timeout=... while batch jobs queue); start some with 'dask worker "
                f"{self.scheduler or self.where}'"
            ) from None
        self.workers = len(self.client.scheduler_info().get("workers", {})) or None
        self._check_workers()

    def _check_workers(self):
        """Refuse a cluster where any worker runs another weakloc (version or source)."""
        from weakloc.ensemble.identity import identity
        from weakloc.errors import InfrastructureError

        mine = identity()
        try:
            theirs = self.client.run(identity)
        except Exception as exc:  # noqa: BLE001 - a worker that cannot import weakloc
            raise InfrastructureError(f"the dask workers cannot run weakloc "
                                      f"({type(exc).__name__}: {exc}); install the same "
                                      "weakloc on every worker") from None
        for addr, ident in sorted(theirs.items()):
            if tuple(ident) != mine:
                raise InfrastructureError(
                    f"dask worker {addr} runs weakloc {ident[0]} (source {ident[1]}), this "
                    f"client {mine[0]} (source {mine[1]}): install the same weakloc on every "
                    "worker, or stop that worker")

    def _start_local(self, Client):
        import logging
        import signal

        from distributed import LocalCluster

        # the workers inherit an ignored SIGINT: Ctrl-C reaches this process alone, which
        # shuts them down, instead of pages of tracebacks from every worker
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                         processes=True, dashboard_address=":0",
                                         silence_logs=logging.CRITICAL)
        finally:
            signal.signal(signal.SIGINT, previous)
        self.client = Client(self._cluster, set_as_default=False)

    def __exit__(self, *exc):
        import contextlib

        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close(timeout=2)
            self.client = None
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close(timeout=10)
            self._cluster = None
        if self._quiet is not None:
            self._quiet()
            self._quiet = None
        return False

    def _live_workers(self) -> int:
        from weakloc.errors import InfrastructureError

        try:
            if self.client.status not in ("running", "connecting"):
                raise OSError(f"client {self.client.status}")
            return len(self.client.nthreads())
        except Exception:  # noqa: BLE001 - any failure to ask means the scheduler is gone
            raise InfrastructureError("lost the dask scheduler") from None

    def run(self, ref, root_seed: int, batches, task_timeout: float | None = None):
        """Submit every batch and yield the records of each as it finishes.

        Raises :class:`~weakloc.errors.InfrastructureError` when the scheduler is lost, no
        worker is alive for ``worker_timeout`` seconds, or a worker runs another weakloc.
        """

        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        from weakloc.ensemble.identity import WorkerMismatch, identity
        from weakloc.errors import InfrastructureError

        if self.client is None:
            self.__enter__()
        tag = uuid.uuid4().hex[:12]
        expected = identity()
        batches = list(batches)
        futures = {}
        for i, batch in enumerate(batches):
            fut = self.client.submit(_dask_batch, ref, root_seed, batch, task_timeout,
                                     expected, pure=False, retries=self.retries,
                                     key=f"weakloc-sweep-{tag}-{i}")
            futures[fut] = batch
        ac = as_completed(list(futures), loop=self.client.loop)
        watch = _WorkerWatch(self._live_workers, self.worker_timeout)
        try:
            while not ac.is_empty():
                try:
                    done = ac.next_batch(block=False)
                except Exception:  # noqa: BLE001 - the connection went down
                    self._live_workers()
                    raise InfrastructureError("lost the dask scheduler") from None
                if not done:
                    time.sleep(0.05)
                    watch.check()
                    continue
                for fut in done:
                    batch = futures.pop(fut)
                    if fut.status == "error" and len(batch) > 1 and isinstance(
                            fut.exception(), KilledWorker):
                        # a batch whose workers kept dying: run its tasks one by one, so
                        # that only a task that kills its worker alone is recorded failed
                        fut.release()
                        for j, task in enumerate(batch):
                            solo = self.client.submit(
                                _dask_batch, ref, root_seed, [task], task_timeout, expected,
                                pure=False, retries=self.retries,
                                key=f"{fut.key}-solo-{j}")
                            futures[solo] = [task]
                            ac.add(solo)
                        continue
                    yield self._records(fut, batch, KilledWorker, WorkerMismatch, watch)
        finally:
            for fut in futures:
                fut.release()

    def _records(self, fut, batch, KilledWorker, WorkerMismatch, watch):
        from weakloc.errors import InfrastructureError

        if fut.status == "cancelled":
            self._live_workers()
            raise InfrastructureError("the dask scheduler cancelled the sweep's tasks")
        try:
            records = watch.result(fut)
        except KilledWorker as exc:
            records = _failed(batch, f"WorkerDied: dask gave up on this batch ({exc})")
        except WorkerMismatch as exc:
            raise InfrastructureError(f"{exc}: install the same weakloc on every worker, or "
                                      "stop that worker") from None
        except WeaklocError:
            raise
        except Exception as exc:  # noqa: BLE001
            if self.client is None or self.client.status != "running":
                raise InfrastructureError("lost the dask scheduler") from None
            if _lost_connection(exc):
                # the connection closed under the result: the scheduler went away and the
                # client has not noticed yet (seen in CI: CommClosedError from gather)
                raise InfrastructureError(f"lost the dask scheduler ({type(exc).__name__} "
                                          "while fetching a result)") from None
            raise WeaklocError(f"a dask worker could not run a batch: "
                               f"{type(exc).__name__}: {exc}; check that the workers "
                               "can import weakloc and the observable") from None
        fut.release()
        return records


def _lost_connection(exc: BaseException) -> bool:
    """Whether ``exc``, raised while fetching a Dask result, is a connection that went away
    (the scheduler or a worker lost) rather than a batch that failed on a live worker."""
    try:
        from distributed.comm.core import CommClosedError
    except ImportError:  # pragma: no cover - distributed is a dependency
        CommClosedError = ()
    return isinstance(exc, (CommClosedError, ConnectionError, EOFError))


class _WorkerWatch:
    """Stops a Dask sweep that has had no live worker for ``worker_timeout`` seconds.

    A finished future can still block in ``result()``: when the worker holding its result
    dies before the client fetched it, the scheduler recomputes the task, and with no worker
    left that never happens. So results are fetched in one-second waits, asking the
    scheduler about live workers between them, as the submit loop does.
    """

    def __init__(self, live_workers, worker_timeout: float):
        self.live_workers = live_workers
        self.worker_timeout = float(worker_timeout)
        self.alone_since = None
        self.last_check = time.monotonic()

    def check(self, force: bool = False) -> None:
        from weakloc.errors import InfrastructureError

        now = time.monotonic()
        if not force and now - self.last_check < 1.0:
            return
        self.last_check = now
        if self.live_workers() > 0:
            self.alone_since = None
        elif self.alone_since is None:
            self.alone_since = now
        elif now - self.alone_since > self.worker_timeout:
            raise InfrastructureError(f"no live dask worker for {self.worker_timeout:g} s")

    def result(self, fut):
        while True:
            try:
                return fut.result(timeout=1.0)
            except TimeoutError:
                self.check(force=True)


def _dask_batch(ref, root_seed, batch, task_timeout, expected):
    """A batch on a Dask worker, after checking that the worker runs the client's weakloc."""
    from weakloc.ensemble.identity import check_identity

    check_identity(expected)
    return run_batch(ref, root_seed, batch, task_timeout)


def _quiet_distributed():
    """Silence distributed's loggers (the executor reports in one line); returns a restorer."""
    import logging

    names = ("distributed", "distributed.client", "distributed.worker",
             "distributed.scheduler", "distributed.nanny", "distributed.core",
             "distributed.comm", "distributed.batched", "tornado", "asyncio")
    saved = {n: logging.getLogger(n).level for n in names}
    for n in names:
        logging.getLogger(n).setLevel(logging.CRITICAL + 1)

    def restore():
        for n, level in saved.items():
            logging.getLogger(n).setLevel(level)

    return restore


def make_executor(name: str = "processes", *, workers: int | None = None,
                  scheduler: str | None = None, timeout: float = 5.0,
                  scheduler_file: str | None = None, worker_timeout: float = 60.0):
    """An executor by name: ``"serial"``, ``"processes"`` (default) or ``"dask"``."""
    if name not in EXECUTORS:
        raise InputError(f"executor must be one of {', '.join(EXECUTORS)}, got {name!r}")
    if scheduler_file is not None and name != "dask":
        raise InputError("scheduler_file=... needs executor='dask'")
    if scheduler_file is not None and workers is not None:
        raise InputError("workers=... does not apply to an existing scheduler (its workers are "
                         "already running); drop workers=... or scheduler_file=...")
    if scheduler is not None and name != "dask":
        raise InputError("scheduler=... needs executor='dask'")
    if scheduler is not None and workers is not None:
        raise InputError("workers=... does not apply to an existing scheduler (its workers are "
                         "already running); drop workers=... or scheduler=...")
    if name == "serial":
        if workers not in (None, 1):
            raise InputError("the serial executor runs one worker; drop workers=... or choose "
                             "executor='processes'")
        return SerialExecutor()
    if name == "processes":
        return ProcessExecutor(workers=workers)
    return DaskExecutor(workers=workers, scheduler=scheduler, timeout=timeout,
                        scheduler_file=scheduler_file, worker_timeout=worker_timeout)
