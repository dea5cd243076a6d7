"""Tasks with a hard time limit in threads: each task runs in a child process.

The per-task limit of a sweep is an alarm signal (SIGALRM) where a task runs in a process's
main thread (serial runs, local worker processes). A Dask worker runs its tasks in threads,
where no signal arrives, and no thread can be stopped from outside; a child process can.
So a batch with a time limit that runs outside a main thread (:func:`run_batch_in_child`)
hands its tasks, one at a time, to a child process of the calling thread:

- the child (``python -m weakloc.ensemble._taskprocess``) runs each task in its own main
  thread under the same alarm (:func:`weakloc.ensemble.tasks.run_task`), so a task that
  returns to Python in time fails with ``TaskTimeout`` and the child goes on;
- the thread waits for the answer at most ``timeout`` plus :data:`GRACE_S` seconds. A task
  stuck where the alarm cannot reach it (compiled code, a blocking C call) is then killed
  with its process group and recorded as failed with ``TaskTimeout``; the next task starts
  a fresh child. A child that dies (a crash in compiled code) costs that task only.

The child is started once per thread and reused, so a batch pays the start (importing
numpy and weakloc, about a second) once, outside the time limit; it is stopped after
:data:`IDLE_S` seconds without work (a long-lived worker keeps no idle copies). It computes
exactly what the thread would have (same function, same stream), and ends with its
parent: at the end of its input, or when it sees its parent gone.

Why a child process and not a watchdog thread: an exception injected into a thread
(``PyThreadState_SetAsyncExc``) is only seen between two Python bytecodes, so it stops
neither a blocking call (``time.sleep``, a lock, I/O) nor a numba kernel, the very tasks
that hang; restarting the whole worker from the client would also kill its healthy tasks
and needs a nanny. Killing a process stops anything, and costs nothing but that task.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

__all__ = ["run_batch_in_child", "TaskProcess", "GRACE_S", "START_S", "IDLE_S"]

#: seconds a task may run past its limit before its process is killed (the alarm inside
#: the child, which leaves the child alive, comes first)
GRACE_S = 2.0
#: seconds a child may take to start (import numpy and weakloc) before the batch fails
START_S = 120.0
#: seconds without a task after which a child is stopped (the next batch starts another)
IDLE_S = 300.0

_HEADER = struct.Struct(">Q")
_LOCAL = threading.local()


class _Gone(Exception):
    """The child closed its output (it died) or did not answer in time."""


def _send(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    chunks, left = [], n
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
        chunk = os.read(fd, left)
        if not chunk:
            raise _Gone
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int, deadline: float | None):
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    return pickle.loads(_read_exact(fd, size, deadline))


class TaskProcess:
    """One child process that runs tasks for the calling thread (see the module doc)."""

    def __init__(self):
        self.proc = None
        self._loaded = None              # the pickled observable the child holds
        self._lock = threading.Lock()
        self._idle = None

    def run_batch(self, ref_blob: bytes, root_seed: int, tasks, timeout: float) -> list:
        """Every task of a batch, in order; the child is stopped after IDLE_S s unused."""
        with self._lock:
            if self._idle is not None:
                self._idle.cancel()
            records = [self.run(ref_blob, root_seed, task, timeout) for task in tasks]
            self._idle = threading.Timer(IDLE_S, self._close_if_idle)
            self._idle.daemon = True
            self._idle.start()
        return records

    def _close_if_idle(self) -> None:
        if self._lock.acquire(blocking=False):   # busy: a batch is running, keep it
            try:
                self.close()
            finally:
                self._lock.release()

    def _start(self) -> None:
        import weakloc

        here = str(Path(weakloc.__file__).resolve().parents[1])
        path = [here] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
        # its own process group: a stuck task is killed with whatever it started
        self.proc = subprocess.Popen([sys.executable, "-m", "weakloc.ensemble._taskprocess"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                     start_new_session=True)
        self._loaded = None
        _receive(self.proc.stdout.fileno(), time.monotonic() + START_S)

    def run(self, ref_blob: bytes, root_seed: int, task, timeout: float):
        """One task ``(point, realization, params, key)``; returns its record.

        The child loads the observable (imports, under :data:`START_S`) before the task's
        clock starts, as :func:`weakloc.ensemble.tasks.run_batch` resolves it before the
        alarm."""
        point, realization = int(task[0]), int(task[1])
        try:
            if self.proc is None or self.proc.poll() is not None:
                self._start()
            if self._loaded != ref_blob:
                _send(self.proc.stdin, ("load", list(sys.path), ref_blob))
                error = _receive(self.proc.stdout.fileno(), time.monotonic() + START_S)
                if error:
                    return (point, realization, None, error)
                self._loaded = ref_blob
        except (TimeoutError, _Gone, BrokenPipeError, EOFError, pickle.UnpicklingError):
            self.close()
            return (point, realization, None,
                    "WorkerDied: the process for time-limited tasks did not start or load "
                    f"the observable within {START_S:g} s (see the worker's stderr)")
        try:
            _send(self.proc.stdin, ("task", root_seed, tuple(task), timeout))
            return _receive(self.proc.stdout.fileno(), time.monotonic() + timeout + GRACE_S)
        except TimeoutError:
            self.close()
            return (point, realization, None,
                    f"TaskTimeout: the task ran over the per-task limit of {timeout:g} s "
                    "(its process was stopped)")
        except (_Gone, BrokenPipeError, EOFError, pickle.UnpicklingError):
            code = self.close()
            return (point, realization, None,
                    f"WorkerDied: the task's process died (exit code {code})")

    def close(self):
        """Stop the child (and its process group); returns its exit code."""
        proc, self.proc = self.proc, None
        if proc is None:
            return None
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                proc.kill()
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        return proc.wait()


def run_batch_in_child(ref, root_seed: int, tasks, timeout: float) -> list:
    """:func:`weakloc.ensemble.tasks.run_batch` with each task in this thread's child
    process, under a hard limit of ``timeout`` seconds per task (see the module doc)."""
    if callable(ref):
        import cloudpickle

        ref_blob = cloudpickle.dumps(ref)
    else:
        ref_blob = pickle.dumps(ref)
    child = getattr(_LOCAL, "child", None)
    if child is None:
        child = _LOCAL.child = TaskProcess()
    return child.run_batch(ref_blob, root_seed, tasks, timeout)


def _serve() -> None:
    """The child: ``("load", sys.path, ref)`` answered with an error text (empty: loaded),
    ``("task", seed, task, timeout)`` with the task's record; until the end of its input."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)                        # what an observable prints goes to stderr
    from weakloc.ensemble import _worker
    from weakloc.ensemble.observables import resolve
    from weakloc.ensemble.tasks import _describe, run_task

    _worker.init()                       # one BLAS thread, and exit with the parent
    _send(out, ("ready", os.getpid()))
    func = None
    fd = sys.stdin.buffer.fileno()
    while True:
        try:
            message = _receive(fd, None)
        except _Gone:
            return
        if message[0] == "load":
            _, paths, ref_blob = message
            if paths != sys.path:        # the parent's import path, then the child's own
                sys.path[:] = paths + [p for p in sys.path if p not in paths]
            try:
                func = resolve(pickle.loads(ref_blob))
                _send(out, "")
            except Exception as exc:  # noqa: BLE001 - reported to the parent as the error
                _send(out, _describe(exc))
            continue
        _, root_seed, (point, realization, params, key), timeout = message
        values, error = run_task(func, params, root_seed, realization, key=key,
                                 timeout=timeout)
        _send(out, (int(point), int(realization), values, error))


if __name__ == "__main__":
    _serve()
