"""SIGKILL a sweep mid-way, resume it: exactly the uninterrupted numbers, no task twice."""

import fcntl
import json
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import time
from pathlib import Path

import numpy as np
import psutil

from weakloc.cli import main
from weakloc.ensemble import SweepStore, open_results, run_sweep

ROOT = Path(__file__).resolve().parents[1]

SLOW = """
observable = "sweep_observables:slow_square"
realizations = 8
seed = 424242
[grid]
x = {{start = 0, stop = 6, step = 1}}
[options]
delay = 0.03
log = "{log}"
"""


def test_sigkill_then_resume_equals_uninterrupted(tmp_path, capsys):
    sweep = tmp_path / "slow.toml"
    log = tmp_path / "computed.log"
    sweep.write_text(textwrap.dedent(SLOW.format(log=log)))
    out = tmp_path / "killed"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")]))
    proc = subprocess.Popen(
        [sys.executable, "-m", "weakloc", "sweep", str(sweep), "--executor", "processes",
         "--workers", "2", "--batch-size", "2", "--output", str(out), "--json"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:     # wait until the journal holds some batches
            if len(list((out / "tasks").glob("*.npz"))) >= 4 or proc.poll() is not None:
                break
            time.sleep(0.02)
        assert proc.poll() is None, proc.stderr.read().decode()
        children = psutil.Process(proc.pid).children(recursive=True)
        assert len(children) >= 2               # the worker processes are up
        os.kill(proc.pid, signal.SIGKILL)        # the sweep itself, mid-way
        proc.wait(timeout=10)
        # its workers notice that their parent is gone and exit: no orphans computing
        _, alive = psutil.wait_procs(children, timeout=10)
        assert not alive, alive
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.stderr.close()

    store = SweepStore.open(out)
    done_before = int(store.completed().sum())
    n_tasks = 7 * 8
    assert 0 < done_before < n_tasks             # really killed mid-way
    partial = open_results(out)                  # a killed store is readable as it is
    assert int(partial.attrs["n_missing"]) == n_tasks - done_before
    assert not (out / "results.nc").exists()
    assert main(["sweep", "show", str(out), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert not shown["tasks"]["complete"]
    assert shown["tasks"]["missing"] == n_tasks - done_before

    lines_before = len(log.read_text().splitlines())
    resumed = run_sweep(sweep, out, executor="serial", resume=True)
    # the observable ran exactly once per missing task during the resume
    assert len(log.read_text().splitlines()) - lines_before == n_tasks - done_before
    assert resumed.n_skipped == done_before
    assert resumed.n_computed == n_tasks - done_before     # only the missing tasks ran
    ds = resumed.dataset
    # every task recorded exactly once in the journal
    rec = SweepStore.open(out).read_records()
    assert len(rec["point"]) == n_tasks
    assert len(set(zip(rec["point"].tolist(), rec["realization"].tolist()))) == n_tasks
    assert int(ds.attrs["n_duplicate_records"]) == 0 and int(ds.attrs["n_missing"]) == 0

    clean = run_sweep(sweep, tmp_path / "clean", executor="serial").dataset
    for name in ("value", "value__mean", "value__stderr", "value__count", "status"):
        assert np.array_equal(ds[name].values, clean[name].values), name
    # value = x^2 + U(0, 1): the per-point mean lies within 4 standard errors
    x = ds["x"].values
    assert np.all(np.abs(ds["value__mean"].values - (x**2 + 0.5))
                  < 4 * np.sqrt(1 / 12 / 8))


def test_progress_bar_only_on_a_terminal(tmp_path):
    sweep = tmp_path / "quick.toml"
    sweep.write_text(textwrap.dedent(SLOW.replace("delay = 0.03", "delay = 0.0")
                                     .format(log="")))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")]))
    cmd = [sys.executable, "-m", "weakloc", "sweep", str(sweep), "--executor", "serial",
           "--batch-size", "8"]
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        subprocess.run(cmd + ["--output", str(tmp_path / "tty")], env=env, stderr=slave,
                       stdout=subprocess.DEVNULL, timeout=120, check=True)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    shown = b"".join(chunks).decode(errors="replace")
    assert "56/56" in shown and "task/s" in shown        # tasks done and rate
    piped = subprocess.run(cmd + ["--output", str(tmp_path / "pipe")], env=env,
                           capture_output=True, timeout=120, check=True)
    assert piped.stderr == b""                            # no bar in a pipe
