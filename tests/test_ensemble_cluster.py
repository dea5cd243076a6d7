"""A real Dask cluster (``dask scheduler`` and ``dask worker`` processes) losing its workers
and its scheduler mid-sweep, as when a batch job's walltime ends.

The client must stop with one line that gives the resume command and exit code 4 (lost
infrastructure; 2 stays for bad input), and ``--resume`` on a fresh cluster must finish with
numbers bit-identical to a serial run, no task recorded twice.
"""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from weakloc.ensemble import open_results, run_sweep

ROOT = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).parent / "dask"
pytestmark = pytest.mark.skipif(not DASK.exists(), reason="needs the dask command line")

SWEEP = """
observable = "sweep_observables:slow_square"
realizations = 6
seed = 777
[grid]
x = {start = 0, stop = 5, step = 1}
[options]
delay = 0.25
"""


def _env():
    return dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")]))


class Cluster:
    """A scheduler and ``n`` single-threaded workers without nannies, each in its own
    process group so that killing them kills everything they started."""

    def __init__(self, tmp_path, scheduler_file, n=2):
        self.procs = []
        scheduler_file.unlink(missing_ok=True)
        log = open(tmp_path / "dask.log", "ab")
        self.scheduler = self._start([str(DASK), "scheduler", "--host", "127.0.0.1", "--port",
                                      "0", "--no-dashboard", "--scheduler-file",
                                      str(scheduler_file)], log)
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert scheduler_file.exists(), "the dask scheduler did not start"
        self.workers = [self._start([str(DASK), "worker", "--scheduler-file",
                                     str(scheduler_file), "--nthreads", "1", "--no-nanny",
                                     "--no-dashboard"], log) for _ in range(n)]
        log.close()

    def _start(self, argv, log):
        p = subprocess.Popen(argv, env=_env(), stdout=log, stderr=log, start_new_session=True)
        self.procs.append(p)
        return p

    @staticmethod
    def kill(procs):
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
        for p in procs:
            p.wait(timeout=30)

    def close(self):
        self.kill(self.procs)


def _sweep(argv, **kw):
    return subprocess.Popen([sys.executable, "-m", "weakloc", "sweep", *argv], env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, **kw)


def _finish(proc, timeout):
    """``proc.communicate`` that kills the sweep (and says what it printed) if it hangs."""
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        raise AssertionError(f"the sweep did not stop within {timeout} s; it printed "
                             f"{stderr.decode()!r}") from None


def _wait_for_records(out, n, proc, limit=120):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if len(list((out / "tasks").glob("*.npz"))) >= n:
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("the sweep recorded nothing")


def _resume_command(stderr: str) -> list[str]:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr            # one line, no traceback
    assert "Traceback" not in stderr
    cmd = lines[0].split("resume with '", 1)[1].rstrip("'")
    assert cmd.startswith("weakloc sweep ")
    return cmd.split()[2:]


def test_lost_workers_and_lost_scheduler_then_resume_is_bit_identical(tmp_path):
    sweep = tmp_path / "slow.toml"
    sweep.write_text(textwrap.dedent(SWEEP))
    serial = run_sweep(sweep, tmp_path / "serial", executor="serial", progress=False,
                       batch_size=36)
    sf = tmp_path / "scheduler.json"
    out = tmp_path / "cluster.sweep"
    cluster = Cluster(tmp_path, sf)
    try:
        # 1. every worker killed mid-sweep: the client stops after --worker-timeout
        proc = _sweep([str(sweep), "--output", str(out), "--executor", "dask",
                       "--scheduler-file", str(sf), "--batch-size", "1", "--timeout", "60",
                       "--worker-timeout", "3", "--json"])
        _wait_for_records(out, 4, proc)
        Cluster.kill(cluster.workers)
        t_kill = time.monotonic()
        stdout, stderr = _finish(proc, 120)
        assert proc.returncode == 4, stderr
        assert time.monotonic() - t_kill < 60
        assert "no live dask worker for 3 s" in stderr.decode()
        argv = _resume_command(stderr.decode())
        assert "--resume" in argv and "--scheduler-file" in argv
        n_first = len(list((out / "tasks").glob("*.npz")))
        assert 0 < n_first < 36
        # 2. a fresh cluster; this time the scheduler is killed mid-sweep
        cluster.close()
        cluster = Cluster(tmp_path, sf)
        # --timeout also bounds the client's attempts to reconnect to a lost scheduler
        proc = _sweep(argv + ["--batch-size", "1", "--timeout", "15", "--json"])
        _wait_for_records(out, n_first + 4, proc)
        Cluster.kill([cluster.scheduler])
        stdout, stderr = _finish(proc, 180)
        assert proc.returncode == 4, stderr
        assert "lost the dask scheduler" in stderr.decode()
        argv = _resume_command(stderr.decode())
        # 3. a fresh cluster finishes the sweep
        cluster.close()
        cluster = Cluster(tmp_path, sf)
        proc = _sweep(argv + ["--timeout", "60"])
        stdout, stderr = _finish(proc, 180)
        assert proc.returncode == 0, stderr
    finally:
        cluster.close()
    ds = open_results(out)
    assert ds.attrs["n_missing"] == 0 and ds.attrs["n_failed"] == 0
    assert ds.attrs["n_duplicate_records"] == 0
    np.testing.assert_array_equal(ds["value"].values, serial.dataset["value"].values)


def test_ctrl_c_on_a_local_dask_sweep_is_one_line(tmp_path):
    sweep = tmp_path / "slow.toml"
    sweep.write_text(textwrap.dedent(SWEEP.replace("delay = 0.25", "delay = 1.0")))
    out = tmp_path / "int.sweep"
    proc = _sweep([str(sweep), "--output", str(out), "--executor", "dask", "--workers", "2",
                   "--batch-size", "1", "--json"])
    _wait_for_records(out, 3, proc)
    os.killpg(proc.pid, signal.SIGINT)        # what a terminal's Ctrl-C does
    stdout, stderr = _finish(proc, 60)
    assert proc.returncode == 130, stderr
    text = stderr.decode()
    assert "Traceback" not in text and len(text.strip().splitlines()) <= 2, text
    # what was recorded stays, sound
    ds = open_results(out)
    assert ds.attrs["n_computed"] >= 3 and ds.attrs["n_corrupt_files"] == 0


def test_worker_running_other_weakloc_is_refused(tmp_path, monkeypatch, capsys):
    """The client's identity is faked here; the LocalCluster's workers compute their own."""
    from weakloc.cli import main
    from weakloc.ensemble import identity as ident

    real = ident.identity()
    monkeypatch.setattr(ident, "identity", lambda: (real[0], "0" * 20))
    sweep = tmp_path / "s.toml"
    sweep.write_text(textwrap.dedent(SWEEP.replace("delay = 0.25", "delay = 0.0")))
    code = main(["sweep", str(sweep), "--output", str(tmp_path / "m.sweep"), "--executor",
                 "dask", "--workers", "1", "--json"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 4 and len(err) == 1
    assert "runs weakloc" in err[0] and "install the same weakloc" in err[0]
    assert "resume with" in err[0]
    # nothing a mismatched worker computed was recorded: only the in-process pre-flight
    ds = open_results(tmp_path / "m.sweep")
    assert ds.attrs["n_records"] <= 2


def test_identity_changes_with_the_source(tmp_path):
    from weakloc.ensemble.identity import WorkerMismatch, check_identity, identity

    version, digest = identity()
    check_identity((version, digest))
    with pytest.raises(WorkerMismatch, match="runs weakloc"):
        check_identity((version, "f" * 20))
    assert json.loads(json.dumps(identity())) == [version, digest]


def test_dask_worker_crash_fails_only_the_crashing_task(tmp_path):
    """A task that kills every worker it runs on: dask gives up on its batch
    (KilledWorker); the batch is split and only that task is recorded failed."""
    import dask

    text = """
    observable = "sweep_observables:crash_once"
    realizations = 2
    seed = 4
    [grid]
    x = [0.0, 1.0, 2.0]
    [options]
    crash_x = 1.0
    always = true
    """
    sweep = tmp_path / "crash.toml"
    sweep.write_text(textwrap.dedent(text))
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        s = run_sweep(sweep, tmp_path / "crash.sweep", executor="dask", workers=2,
                      batch_size=6, progress=False)
    ds = s.dataset
    status = ds["status"].values            # [x, realization]
    assert (status[1] == 2).all() and (status[[0, 2]] == 1).all()
    assert all("WorkerDied" in str(e) for e in ds["error"].values[1])


def test_a_connection_closed_under_a_result_counts_as_lost_infrastructure():
    """The race behind one CI failure: the scheduler was killed while the client fetched a
    result, and the CommClosedError came before the client's status said so. It must read
    as lost infrastructure (exit 4, resumable), not as a batch a live worker could not run
    (exit 2, "check that the workers can import weakloc")."""
    from distributed.comm.core import CommClosedError

    from weakloc.ensemble.executors import _lost_connection

    assert _lost_connection(CommClosedError("in <TCP (closed) ConnectionPool.gather>"))
    assert _lost_connection(ConnectionResetError()) and _lost_connection(EOFError())
    assert not _lost_connection(ModuleNotFoundError("sweep_observables"))
    assert not _lost_connection(ValueError("a batch that failed on a live worker"))
