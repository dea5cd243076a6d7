"""Running a sweep: check, pre-flight, batch, execute, record, consolidate."""

from __future__ import annotations

import contextlib
import dataclasses
import math
import time
from pathlib import Path

from weakloc.ensemble.executors import make_executor
from weakloc.ensemble.observables import observable_ref, resolve
from weakloc.ensemble.store import SweepStore
from weakloc.ensemble.sweepfile import Sweep, load_sweep
from weakloc.ensemble.tasks import point_key, run_task
from weakloc.errors import InfrastructureError, InputError, WeaklocError
from weakloc.progress import progress_bar

__all__ = ["run_sweep", "SweepSummary", "default_output"]

#: seconds of work per batch aimed at, per executor (per-batch overhead stays < 1 %)
BATCH_SECONDS = {"serial": 1.0, "processes": 0.25, "dask": 0.5}
#: memory per task of a sweep's bookkeeping and result (task list, journal arrays, the
#: consolidated Dataset with a few outputs), bytes
BYTES_PER_TASK = 600


@dataclasses.dataclass(frozen=True)
class SweepSummary:
    """What a sweep run did. ``dataset`` is the consolidated :class:`xarray.Dataset`;
    ``worker_restarts`` counts rebuilt local process pools (None where not tracked)."""

    output: Path
    results_file: Path
    n_tasks: int
    n_skipped: int
    n_computed: int
    n_failed: int
    executor: str
    workers: int | None
    batch_size: int
    elapsed_s: float
    fingerprint: str
    worker_restarts: int | None = None
    dataset: object = dataclasses.field(repr=False, default=None)

    def as_dict(self) -> dict:
        """The summary without the dataset (JSON-able)."""
        doc = dataclasses.asdict(dataclasses.replace(self, dataset=None))
        doc.pop("dataset")
        return doc


def default_output(sweep_file) -> Path:
    """``run.toml`` -> ``run.sweep`` next to it."""
    return Path(sweep_file).with_suffix(".sweep")


def run_sweep(sweep, output=None, *, executor: str = "processes", workers: int | None = None,
              scheduler: str | None = None, resume: bool = False,
              retry_failed: bool = False, batch_size: int | None = None,
              progress: bool | None = None, timeout: float = 5.0,
              task_timeout: float | None = None, scheduler_file: str | None = None,
              worker_timeout: float = 60.0, force: bool = False) -> SweepSummary:
    """Run (or resume) a sweep and write its store.

    Parameters
    ----------
    sweep : Sweep or str or pathlib.Path
        A parsed sweep or the path of a sweep file (:mod:`weakloc.ensemble.sweepfile`).
    output : str or pathlib.Path, optional
        Store folder (:mod:`weakloc.ensemble.store`); default: the sweep file with suffix
        ``.sweep``.
    executor : {"processes", "serial", "dask"}
        Where the tasks run (:mod:`weakloc.ensemble.executors`).
    workers : int, optional
        Worker processes; default: every core.
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a dask scheduler (with ``executor="dask"``); without it a
        LocalCluster is started.
    resume : bool
        Continue the sweep already in ``output``: only tasks without a record are run.
    retry_failed : bool
        With ``resume``: run the tasks whose record is a failure again too (their new
        record replaces the failed one in the results).
    batch_size : int, optional
        Tasks per batch; default: from the time of a pre-flight task, aiming at
        ``BATCH_SECONDS`` of work per batch, and at least 4 batches per worker.
    progress : bool, optional
        A progress bar (tasks done, rate, ETA) on stderr; None (default) shows it when
        stderr is a terminal.
    timeout : float
        Seconds to wait for a dask scheduler (and its first worker).
    scheduler_file : str, optional
        The file ``dask scheduler --scheduler-file FILE`` wrote (instead of ``scheduler``).
    worker_timeout : float
        Seconds a Dask sweep may go on without a live worker before it stops with
        :class:`~weakloc.errors.InfrastructureError` (the message gives the command that
        resumes it).
    force : bool
        Run even when the memory estimate (about ``BYTES_PER_TASK`` per task for the
        bookkeeping and the consolidated result) exceeds the available memory.
    task_timeout : float, optional
        Seconds a task may run; one that runs longer is recorded as failed
        (``TaskTimeout``). Enforced in the main thread of the process running the task
        (serial, local processes); Dask worker threads are not interrupted.

    Returns
    -------
    SweepSummary

    Notes
    -----
    Before the batches start, the first missing task runs alone (the pre-flight, in a
    worker process with ``executor="processes"``, else in this process; also the second
    when the first took under a second, to time a task free of import and JIT costs): an
    observable that rejects its parameters
    (:class:`~weakloc.errors.InputError`) stops the sweep there, with nothing written;
    otherwise these records are the first in the store and the time of one task sets the
    batch size.
    """
    t_start = time.perf_counter()
    sweep_file = None if isinstance(sweep, Sweep) else sweep
    if isinstance(sweep, Sweep):
        if output is None:
            raise InputError("give output= (a folder) for a sweep not read from a file")
    else:
        if output is None:
            output = default_output(sweep)
        sweep = load_sweep(sweep)
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int)
                                   or batch_size < 1):
        raise InputError(f"batch size must be an integer >= 1, got {batch_size!r}")
    from weakloc._validate import positive

    timeout = float(positive("timeout (seconds to wait for the scheduler)", timeout))
    worker_timeout = float(positive("worker_timeout (seconds without a live worker)",
                                    worker_timeout))
    if task_timeout is not None:
        task_timeout = float(positive("task_timeout (seconds per task)", task_timeout))
    from weakloc.resources import check_memory

    check_memory(BYTES_PER_TASK * sweep.n_tasks, f"a sweep of {sweep.n_tasks} tasks",
                 force=force)
    ref = observable_ref(sweep.observable)
    func = resolve(ref)
    ex = make_executor(executor, workers=workers, scheduler=scheduler, timeout=timeout,
                       scheduler_file=scheduler_file, worker_timeout=worker_timeout)
    if ex.name == "processes" and callable(ref):
        import pickle

        try:
            pickle.loads(pickle.dumps(ref))
        except Exception:  # noqa: BLE001 - any failure means workers cannot get it
            raise InputError(f"observable {sweep.observable!r} is not importable by worker "
                             "processes (define it at module level, register it as "
                             "'module:function', or use executor='serial')") from None
    if retry_failed and not resume:
        raise InputError("retry_failed re-runs failed tasks of an existing sweep: pass "
                         "resume=True as well")
    existing = SweepStore.prepare(output, sweep, resume=resume)
    done = existing.completed(failed=not retry_failed) if existing is not None else None
    points = sweep.points()
    pending = [(p, r) for p in range(len(points)) for r in range(sweep.realizations)
               if done is None or not done[p, r]]
    n_skipped = sweep.n_tasks - len(pending)
    keys = [point_key(sweep.key_params(pt)) for pt in points]

    with contextlib.ExitStack() as stack:
        if len(pending) > 1 or (pending and ex.name == "processes"):
            stack.enter_context(ex)   # connect first: an unreachable scheduler fails early
        first, t_task = _preflight(func, sweep, points, keys, pending, task_timeout,
                                   ex if ex.name == "processes" else None, ref)
        _check_output_names(sweep, first)
        store = SweepStore.create(output, sweep, resume=resume)
        stack.callback(store.close)
        store.append(first)
        rest = pending[len(first):]
        n_workers = getattr(ex, "workers", 1) or 1
        if batch_size is None:
            per = max(1, int(BATCH_SECONDS[ex.name] / max(t_task, 1e-6)))
            cap = max(1, math.ceil(len(rest) / (4 * n_workers))) if ex.name != "serial" else per
            batch_size = max(1, min(per, cap, 10_000))
        batches = [[(p, r, sweep.params(points[p]), keys[p]) for p, r in rest[i:i + batch_size]]
                   for i in range(0, len(rest), batch_size)]
        bar = progress_bar(progress, total=sweep.n_tasks, desc="sweep", unit="task",
                           initial=n_skipped + len(first))
        try:
            for records in (ex.run(ref, sweep.seed, batches, task_timeout) if batches else ()):
                store.append(records)
                bar.update(len(records))
        except InfrastructureError as exc:
            raise InfrastructureError(f"{exc}; what finished is in {str(output)!r}: resume "
                                      f"with '{_resume_command(sweep_file, output, ex)}'"
                                      ) from None
        finally:
            bar.close()
        ds = store.consolidate()
        results = store.write_results(ds)
    return SweepSummary(
        output=Path(output), results_file=results, n_tasks=sweep.n_tasks,
        n_skipped=n_skipped, n_computed=len(pending), n_failed=int(ds.attrs["n_failed"]),
        executor=ex.name, workers=getattr(ex, "workers", None), batch_size=batch_size,
        elapsed_s=time.perf_counter() - t_start, fingerprint=sweep.fingerprint(),
        worker_restarts=getattr(ex, "restarts", None), dataset=ds,
    )


def _preflight(func, sweep, points, keys, pending, task_timeout=None, pool=None, ref=None):
    """Run the first pending task (and the second, to time it without imports or JIT
    compilation, when the first took under a second): here, or in a worker process of
    ``pool`` (a :class:`ProcessExecutor`), so that a crash in compiled code costs a worker,
    not the sweep. An observable's InputError stops the sweep. Returns the records and the
    time of one task; nothing is computed twice."""
    records, t_task = [], 0.0
    for n, (p, r) in enumerate(pending[:2]):
        if n == 1 and t_task >= 1.0:
            break
        t0 = time.perf_counter()
        try:
            if pool is not None:
                values, error = pool.run_one(ref, sweep.seed,
                                             (p, r, sweep.params(points[p]), keys[p]),
                                             task_timeout)
            else:
                values, error = run_task(func, sweep.params(points[p]), sweep.seed, r,
                                         key=keys[p], raise_input_errors=True,
                                         timeout=task_timeout)
        except WeaklocError as exc:
            raise InputError(f"observable {sweep.observable!r} rejected grid point "
                             f"{points[p]}: {exc}") from None
        t_task = time.perf_counter() - t0
        records.append((p, r, values, error))
    return records, t_task


def _check_output_names(sweep, records) -> None:
    """Output names must not clash with the store's axes and variables."""
    from weakloc.ensemble.sweepfile import RESERVED_NAMES

    for _, _, values, _ in records:
        for name in values or ():
            if name in sweep.axes or name in RESERVED_NAMES:
                raise InputError(f"observable {sweep.observable!r} returns {name!r}, which is "
                                 "also a grid axis or a reserved name; rename the axis")


def _resume_command(sweep_file, output, ex) -> str:
    """The shell command that finishes an interrupted sweep (the API call without a file)."""
    if sweep_file is None:
        return f"run_sweep(sweep, {str(output)!r}, resume=True, executor={ex.name!r}, ...)"
    where = getattr(ex, "where", "")
    return (f"weakloc sweep {sweep_file} --output {output} --resume --executor {ex.name}"
            + (f" {where}" if where else ""))
