"""A sweep store that verifies itself, and sweeps that do not pass bad numbers off as data.

Corrupt journal files (truncated, garbage, a flipped byte, an index outside the grid, a
missing array, a ``tasks`` path that is a file) are reported by ``sweep show`` and never
crash a reader; ``--resume`` sets them aside and recomputes exactly their tasks, so the
result equals an uninterrupted run. NaN/inf outputs are failures; a sweep with failures
exits 3; a task over the per-task limit fails with TaskTimeout.
"""

import io
import json
import textwrap
import time
import zipfile

import numpy as np
import pytest

from weakloc.cli import main
from weakloc.ensemble import SweepStore, open_results, run_sweep
from weakloc.ensemble.sweepfile import parse_sweep
from weakloc.errors import InputError

LINE = """
observable = "sweep_observables:noisy_line"
realizations = 3
seed = 99
[grid]
x = [0.0, 1.0, 2.0, 3.0]
"""


def _run(tmp_path, name="run", **kw):
    f = tmp_path / f"{name}.toml"
    f.write_text(textwrap.dedent(kw.pop("text", LINE)))
    out = tmp_path / f"{name}.sweep"
    run_sweep(f, out, executor="serial", batch_size=kw.pop("batch_size", 2),
              progress=False, **kw)
    return f, out


def _chunks(out):
    return sorted((out / "tasks").glob("*.npz"))


def _reference(tmp_path):
    _, ref = _run(tmp_path, "reference")
    return open_results(ref)


def _truncate(p):
    p.write_bytes(p.read_bytes()[:50])


def _garbage(p):
    p.write_bytes(b"this is not a zip file at all" * 10)


def _flip(p):
    # change one stored value but keep a loadable file: only the checksum can tell
    with np.load(p) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["values"] = arrays["values"].copy()
    arrays["values"][0, 0] += 1.0
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    p.write_bytes(buf.getvalue())


def _out_of_range(p):
    with np.load(p) as z:
        arrays = {k: z[k] for k in z.files if k != "checksum"}
    arrays["point"] = arrays["point"] + 1000
    buf = io.BytesIO()
    np.savez(buf, **arrays)            # an old-style file without checksum
    p.write_bytes(buf.getvalue())


def _missing_key(p):
    with zipfile.ZipFile(p) as z:
        members = {n: z.read(n) for n in z.namelist() if n != "values.npy"}
    with zipfile.ZipFile(p, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)


@pytest.mark.parametrize("damage,reason", [
    (_truncate, "unreadable"), (_garbage, "unreadable"), (_flip, "checksum mismatch"),
    (_out_of_range, "outside the sweep"), (_missing_key, "lacks the array 'values'"),
])
def test_corrupt_journal_is_reported_then_recomputed_exactly(tmp_path, capsys, damage,
                                                             reason):
    ref = _reference(tmp_path)
    f, out = _run(tmp_path)
    victim = _chunks(out)[1]
    with np.load(victim) as z:
        lost = {(int(p), int(r)) for p, r in zip(z["point"], z["realization"])}
    damage(victim)
    # the reader reports, never crashes
    assert main(["sweep", "show", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["corrupt"] == [{"file": victim.name, "reason": doc["corrupt"][0]["reason"]}]
    assert reason in doc["corrupt"][0]["reason"]
    assert doc["tasks"]["missing"] == len(lost)
    # resume: the file is set aside, exactly its tasks run again
    summary = run_sweep(f, out, executor="serial", resume=True, progress=False)
    assert summary.n_computed == len(lost)
    assert not victim.exists() and len(list((out / "corrupt").iterdir())) == 1
    ds = summary.dataset
    assert ds.attrs["n_duplicate_records"] == 0 and ds.attrs["n_corrupt_files"] == 0
    np.testing.assert_array_equal(ds["y"].values, ref["y"].values)   # bit-identical


def test_tasks_path_that_is_a_file_and_damaged_manifest(tmp_path, capsys):
    ref = _reference(tmp_path)
    f, out = _run(tmp_path)
    for c in _chunks(out):
        c.unlink()
    (out / "tasks").rmdir()
    (out / "tasks").write_text("oops")
    assert main(["sweep", "show", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["corrupt"][0]["file"] == "tasks" and doc["tasks"]["missing"] == 12
    summary = run_sweep(f, out, executor="serial", resume=True, progress=False)
    np.testing.assert_array_equal(summary.dataset["y"].values, ref["y"].values)
    manifest = json.loads((out / "sweep.json").read_text())
    del manifest["grid"]
    (out / "sweep.json").write_text(json.dumps(manifest))
    assert main(["sweep", "show", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "lacks 'grid'" in err[0]
    (out / "sweep.json").write_text("{garbage")
    assert main(["sweep", "show", str(out)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_store_checksums_every_journal_file(tmp_path):
    _, out = _run(tmp_path)
    store = SweepStore.open(out)
    assert store.verify() == []
    for c in _chunks(out):
        with np.load(c) as z:
            assert len(str(z["checksum"])) == 32


NONFINITE = """
observable = "sweep_observables:nonfinite_at"
realizations = 4
seed = 5
[grid]
x = [0.0, 1.0, 2.0]
[options]
nan_x = 1.0
inf_x = 2.0
"""


def test_nonfinite_results_are_failures_and_exit_3(tmp_path, capsys):
    f = tmp_path / "nf.toml"
    f.write_text(textwrap.dedent(NONFINITE))
    out = tmp_path / "nf.sweep"
    code = main(["sweep", str(f), "--output", str(out), "--executor", "serial", "--json"])
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert code == 3 and doc["exit_code"] == 3
    assert doc["tasks"]["failed"] == 8 and doc["tasks"]["computed"] == 4
    assert any("FloatingPointError" in e and "nan" in e for e in doc["errors"])
    assert any("inf" in e for e in doc["errors"])
    err = captured.err.strip().splitlines()
    assert "--resume --retry-failed" in err[-1]
    # the means at the bad points are NaN with count 0, not a mean of fewer values
    counts = [p["y"]["count"] for p in doc["points"]]
    assert counts == [4, 0, 0]


def test_per_task_timeout_fails_the_hanging_task_only(tmp_path):
    text = """
    observable = "sweep_observables:hangs_at"
    realizations = 2
    seed = 1
    [grid]
    x = [0.0, 1.0]
    [options]
    hang_x = 1.0
    hang = 30.0
    """
    f = tmp_path / "hang.toml"
    f.write_text(textwrap.dedent(text))
    s = run_sweep(f, tmp_path / "hang.sweep", executor="serial", progress=False,
                  task_timeout=0.5)
    ds = s.dataset
    assert s.n_failed == 2 and s.elapsed_s < 10
    assert all("TaskTimeout" in str(e) for e in ds["error"].values[1])
    assert (ds["status"].values[0] == 1).all()


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_timeouts_must_be_positive_and_finite(tmp_path, capsys, value):
    f = tmp_path / "t.toml"
    f.write_text(textwrap.dedent(LINE))
    for flag in ("--timeout", "--task-timeout"):
        code = main(["sweep", str(f), "--executor", "serial", flag, value,
                     "--output", str(tmp_path / "t.sweep")])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and len(err) == 1 and "timeout" in err[0]
        assert not (tmp_path / "t.sweep").exists()


@pytest.mark.parametrize("key,value", [("realizations", "10"), ("seed", "3"),
                                       ("same_disorder_along", '["x"]'),
                                       ("description", '"late"')])
def test_top_level_key_written_after_grid_is_refused(key, value):
    text = textwrap.dedent(f"""
    observable = "sweep_observables:noisy_line"
    realizations = 3
    seed = 99
    [grid]
    x = [0.0, 1.0]
    {key} = {value}
    """)
    with pytest.raises(InputError, match=f"'{key}' sits under \\[grid\\].*move it above"):
        parse_sweep(text)


def test_units_on_every_stored_variable_and_coordinate(tmp_path):
    text = """
    observable = "conductance"
    realizations = 2
    seed = 3
    [grid]
    disorder = [1.0, 2.0]
    [options]
    width = 3
    length = 3
    energy = 0.5
    """
    _, out = _run(tmp_path, "g", text=text)
    ds = open_results(out / "results.nc")
    assert ds["disorder"].attrs["units"] == "t"
    assert ds["realization"].attrs["units"] == "1"
    assert ds["conductance"].attrs["units"].startswith("e^2/h")
    assert ds["conductance__stderr"].attrs["units"].startswith("e^2/h")
    assert ds["conductance__count"].attrs["units"] == "1"
    # a custom observable without declared units says so instead of guessing
    _, out2 = _run(tmp_path, "line")
    ds2 = open_results(out2)
    assert ds2["y"].attrs["units"] == "undeclared" and ds2["x"].attrs["units"] == "undeclared"


def test_first_task_crashing_its_process_costs_a_worker_not_the_sweep(tmp_path, capsys):
    """With --executor processes the pre-flight runs in a worker: a task that kills its
    process (as a segfault in compiled code does) is recorded as failed, and the sweep (and
    this test process) survive."""
    text = """
    observable = "sweep_observables:crash_once"
    realizations = 2
    seed = 8
    [grid]
    x = [0.0, 1.0]
    [options]
    crash_x = 0.0
    always = true
    """
    f = tmp_path / "crash.toml"
    f.write_text(textwrap.dedent(text))
    code = main(["sweep", str(f), "--executor", "processes", "--workers", "1",
                 "--output", str(tmp_path / "crash.sweep"), "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 3
    assert doc["tasks"]["failed"] == 2 and doc["tasks"]["computed"] == 2
    assert all("WorkerDied" in e for e in doc["errors"])


def test_observable_input_error_in_a_worker_stops_the_sweep_before_it_starts(tmp_path,
                                                                             capsys):
    text = """
    observable = "level-ratio"
    realizations = 2
    seed = 8
    [grid]
    disorder = [1.0]
    [options]
    width = 2
    length = 2
    bogus = 1
    """
    f = tmp_path / "bad.toml"
    f.write_text(textwrap.dedent(text))
    code = main(["sweep", str(f), "--executor", "processes", "--workers", "1",
                 "--output", str(tmp_path / "bad.sweep")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "unknown parameter 'bogus'" in err[0]
    assert not (tmp_path / "bad.sweep").exists()


def test_sweep_show_with_many_outputs(tmp_path, capsys):
    """A store with 5,000 outputs is summarized correctly (its time is in BENCHMARKS.md)."""
    from weakloc.ensemble import SweepStore
    from weakloc.ensemble.sweepfile import make_sweep

    sweep = make_sweep("sweep_observables:noisy_line", {"x": [0.0, 1.0]}, samples=2,
                       seed=1)
    store = SweepStore.create(tmp_path / "wide", sweep)
    vals = {f"q{i}": float(i) for i in range(5000)}
    store.append([(p, r, vals, "") for p in range(2) for r in range(2)])
    store.close()
    assert main(["sweep", "show", str(tmp_path / "wide"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["points"][1]["q4999"] == {"mean": 4999.0, "stderr": 0.0, "count": 2}
    assert doc["points"][0]["x"] == 0.0 and len(doc["points"]) == 2


@pytest.mark.parametrize("executor", [
    ["--executor", "dask", "--workers", "1", "--batch-size", "1"],
    ["--executor", "processes", "--workers", "2", "--batch-size", "2"],
], ids=["dask-threads", "local-processes"])
def test_task_stuck_where_no_alarm_reaches(tmp_path, capsys, executor):
    """A task that sleeps for ever and one that blocks the alarm signal (as compiled code
    that never returns to Python would) are both recorded as TaskTimeout, the sweep goes on,
    and the healthy tasks, some run after a kill in a fresh child, equal a serial run bit for
    bit.

    A Dask worker runs tasks in a thread, where no alarm arrives; a local worker process
    gets the alarm but the blocked task never sees it (before, that sweep waited for ever).
    On both a time-limited batch runs its tasks in a child process of the worker, killed
    after the grace time."""
    text = """
    observable = "sweep_observables:stuck_at"
    realizations = 2
    seed = 5
    [grid]
    x = [0.0, 1.0, 2.0, 3.0, 4.0]
    [options]
    hang_x = 1.0
    stuck_x = 3.0
    """
    f = tmp_path / "stuck.toml"
    f.write_text(textwrap.dedent(text))
    t0 = time.monotonic()
    code = main(["sweep", str(f), *executor, "--task-timeout", "1",
                 "--output", str(tmp_path / "d.sweep"), "--json"])
    elapsed = time.monotonic() - t0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert code == 3, captured.err           # a sweep with failed tasks exits non-zero
    assert doc["tasks"]["failed"] == 4 and doc["tasks"]["computed"] == 6
    ds = open_results(tmp_path / "d.sweep")
    for i in (1, 3):
        assert all("TaskTimeout" in str(e) and "limit of 1 s" in str(e)
                   for e in ds["error"].values[i])
    assert all("process was stopped" in str(e) for e in ds["error"].values[3])
    assert elapsed < 120
    # the same points without the hanging ones (streams follow the parameters, not the grid)
    g = tmp_path / "healthy.toml"
    g.write_text(textwrap.dedent(text.replace("1.0, 2.0, 3.0, 4.0", "2.0, 4.0")))
    serial = run_sweep(g, tmp_path / "s.sweep", executor="serial", progress=False).dataset
    for i, j in ((0, 0), (2, 1), (4, 2)):
        for name in ("y", "u"):
            np.testing.assert_array_equal(ds[name].values[i], serial[name].values[j])


def test_stuck_preflight_task_stops_its_worker(tmp_path, monkeypatch):
    """The pre-flight (the first task, alone, in a worker process) gets a hard deadline too:
    past the limit plus the worker's start time its worker is stopped, the task is recorded
    as TaskTimeout, and the sweep goes on in a fresh pool."""
    from weakloc.ensemble import _taskprocess

    monkeypatch.setattr(_taskprocess, "START_S", 3.0)    # the parent's wait, not the worker's
    text = """
    observable = "sweep_observables:stuck_at"
    realizations = 2
    seed = 5
    [grid]
    x = [0.0, 1.0]
    [options]
    stuck_x = 0.0
    """
    f = tmp_path / "first.toml"
    f.write_text(textwrap.dedent(text))
    t0 = time.monotonic()
    s = run_sweep(f, tmp_path / "first.sweep", executor="processes", workers=2,
                  progress=False, task_timeout=1.0)
    assert time.monotonic() - t0 < 90
    ds = s.dataset
    assert s.n_failed == 2 and all("TaskTimeout" in str(e) for e in ds["error"].values[0])
    assert (ds["status"].values[1] == 1).all()


def test_time_limited_batch_off_the_main_thread_runs_in_a_child(monkeypatch):
    """Off the main thread a time-limited batch runs in a child process: a task that kills
    its process costs that task only (the next one gets a fresh child), the others equal the
    main thread's records, and an idle child is stopped."""
    import threading

    import psutil

    from weakloc.ensemble import _taskprocess, point_key, run_batch

    monkeypatch.setattr(_taskprocess, "IDLE_S", 0.5)
    params = [{"x": x, "crash_x": 1.0, "always": True} for x in (0.0, 1.0, 2.0)]
    tasks = [(i, r, p, point_key(p)) for i, p in enumerate(params) for r in range(2)]
    out = {}
    worker = threading.Thread(target=lambda: out.update(
        records=run_batch("sweep_observables:crash_once", 7, tasks, timeout=30.0)))
    worker.start()
    worker.join(timeout=120)
    records = out["records"]
    assert [(p, r) for p, r, *_ in records] == [(p, r) for p, r, *_ in tasks]
    for p, _, values, error in records:
        if p == 1:
            assert values is None and error.startswith("WorkerDied") and "exit code 9" in error
        else:
            assert error == ""
    healthy = [t for t in tasks if t[0] != 1]
    here = run_batch("sweep_observables:crash_once", 7, healthy, timeout=30.0)
    assert here == [rec for rec in records if rec[0] != 1]
    # an observable given as a function travels to the child too (cloudpickle, as in Dask)
    import sweep_observables

    worker = threading.Thread(target=lambda: out.update(
        records=run_batch(sweep_observables.noisy_line, 7, healthy, timeout=30.0)))
    worker.start()
    worker.join(timeout=120)
    assert out["records"] == run_batch(sweep_observables.noisy_line, 7, healthy)
    def children():
        found = []
        for c in psutil.Process().children():
            try:
                found.append(" ".join(c.cmdline()))
            except psutil.Error:          # it ended meanwhile
                pass
        return found

    deadline = time.monotonic() + 20
    while any("_taskprocess" in c for c in children()):
        assert time.monotonic() < deadline, "the idle child was not stopped"
        time.sleep(0.1)
