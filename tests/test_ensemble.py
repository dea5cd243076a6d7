"""Sweeps on every executor: bit-identical numbers, statistics, fault tolerance.

One dask.distributed LocalCluster (3 worker processes, 1 thread each) is shared by the
tests of this module.
"""

import json
import logging
import math
import textwrap

import numpy as np
import pytest

from weakloc.cli import main
from weakloc.ensemble import ProcessExecutor, open_results, run_batch, run_sweep
from weakloc.ensemble.levelstats import R_LARGE_N, R_POISSON, R_SURMISE
from weakloc.ensemble.store import STATUS_FAILED, STATUS_OK


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=3, threads_per_worker=1, processes=True,
                      dashboard_address=":0", silence_logs=logging.ERROR) as c:
        yield c


def write(tmp_path, text, name="s.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def assert_same_numbers(a, b):
    """Every data variable equal bit for bit (NaN where NaN)."""
    assert sorted(a.data_vars) == sorted(b.data_vars)
    for name in a.data_vars:
        x, y = a[name].values, b[name].values
        if x.dtype.kind == "f":
            assert np.array_equal(x, y, equal_nan=True), name
        else:
            assert np.array_equal(x, y), name


LEVELS = """
observable = "level-ratio"
realizations = 5
seed = 20261201
[grid]
disorder = [2.0, 30.0]
flux = [0.0, 0.1]
[options]
width = 5
length = 6
"""


def test_dask_cluster_and_processes_bit_identical_to_serial(tmp_path, cluster):
    sweep = write(tmp_path, LEVELS)
    serial = run_sweep(sweep, tmp_path / "serial", executor="serial").dataset
    procs = run_sweep(sweep, tmp_path / "procs", executor="processes", workers=2,
                      batch_size=2).dataset
    from distributed import Client

    with Client(cluster.scheduler_address, set_as_default=False) as client:
        client.get_task_stream()      # starts the scheduler's task-stream record
        dask = run_sweep(sweep, tmp_path / "dask", executor="dask",
                         scheduler=cluster.scheduler_address, batch_size=1)
        client_log = client.get_task_stream(start=0)
    assert dask.workers == 3 and dask.n_computed == 20
    workers = {t["worker"] for t in client_log if str(t["key"]).startswith("weakloc-sweep-")}
    assert len(workers) >= 2          # the batches really ran on several processes
    for ds in (procs, dask.dataset):
        assert_same_numbers(serial, ds)
    assert int(serial.attrs["n_computed"]) == 20
    assert np.all(np.isfinite(serial["r_mean"].values))
    # the store on disk holds the same numbers as the returned dataset
    assert_same_numbers(open_results(tmp_path / "dask" / "results.nc"), dask.dataset)


CONDUCTANCE = """
observable = "conductance"
realizations = 4
seed = 8
same_disorder_along = ["flux"]
[grid]
disorder = [1.0, 3.0]
flux = [-0.05, 0.0, 0.05]
[options]
width = 4
length = 6
energy = 0.5
"""


def test_conductance_sweep_dask_bit_identical_to_serial(tmp_path, cluster):
    # Landauer conductance of tiny 4 x 6 strips (weakloc.transport.landauer)
    sweep = write(tmp_path, CONDUCTANCE)
    serial = run_sweep(sweep, tmp_path / "serial", executor="serial").dataset
    dask = run_sweep(sweep, tmp_path / "dask", executor="dask",
                     scheduler=cluster.scheduler_address, batch_size=2).dataset
    assert_same_numbers(serial, dask)
    g = serial["conductance"]
    assert int(serial.attrs["n_computed"]) == 24
    # E = 0.5 in a hard-wall strip of width 4: 3 open channels, so 0 < g <= 3 (e^2/h)
    assert float(g.min()) > 0 and float(g.max()) <= 3 + 1e-9
    # same_disorder_along = ["flux"]: each realization is one sample seen at every flux,
    # so Onsager's g(phi) = g(-phi) holds sample by sample, and disorder axes differ
    assert np.allclose(g.sel(flux=0.05).values, g.sel(flux=-0.05).values, rtol=0, atol=1e-9)
    assert not np.allclose(g.sel(flux=0.05).values, g.sel(flux=0.0).values)
    keys = serial["point_key"].values
    assert len(set(keys[0])) == 1 and keys[0, 0] != keys[1, 0]


def test_randomwalk_sweep_processes_bit_identical_and_diffusive(tmp_path):
    # classical random walks in 2D (weakloc.montecarlo.randomwalk): D from the mean squared
    # displacement against the Drude value v^2 tau / d, for two elastic times
    sweep = write(tmp_path, """
        observable = "randomwalk"
        realizations = 8
        seed = 17
        [grid]
        tau = [1e-12, 2e-12]
        [options]
        dim = 2
        walkers = 100
    """)
    serial = run_sweep(sweep, tmp_path / "serial", executor="serial").dataset
    procs = run_sweep(sweep, tmp_path / "procs", executor="processes", workers=2,
                      batch_size=2).dataset
    assert_same_numbers(serial, procs)
    assert int(serial.attrs["n_computed"]) == 16
    # an output named like another output's statistic stays apart from it
    assert serial["d_green_kubo_stderr"].dims == ("tau", "realization")
    assert serial["d_green_kubo__stderr"].dims == ("tau",)
    mean, err = serial["d_msd__mean"], serial["d_msd__stderr"]
    theory = serial["d_theory"].isel(realization=0)
    assert np.all(np.abs(mean - theory) < 4 * err)
    assert float(theory.sel(tau=2e-12)) / float(theory.sel(tau=1e-12)) == pytest.approx(2.0)


def test_numbers_do_not_depend_on_grid_order(tmp_path):
    a = run_sweep(write(tmp_path, LEVELS, "a.toml"), tmp_path / "a", executor="serial").dataset
    reordered = LEVELS.replace("disorder = [2.0, 30.0]\nflux = [0.0, 0.1]",
                               "flux = [0.1, 0.0]\ndisorder = [30.0, 2.0]")
    assert reordered != LEVELS
    b = run_sweep(write(tmp_path, reordered, "b.toml"), tmp_path / "b",
                  executor="serial").dataset
    b = b.transpose("disorder", "flux", "realization").sel(disorder=[2.0, 30.0],
                                                           flux=[0.0, 0.1])
    assert np.array_equal(a["r_mean"].values, b["r_mean"].values)
    assert np.array_equal(a["point_key"].values, b["point_key"].values)


@pytest.mark.slow
def test_level_ratio_sweep_finds_the_three_statistics(tmp_path):
    # 2D Anderson model, 9 x 10 closed sample: strong disorder -> Poisson; weak disorder ->
    # orthogonal (GOE), with a field -> unitary (GUE) random-matrix statistics
    sweep = write(tmp_path, """
        observable = "level-ratio"
        realizations = 80
        seed = 7
        [grid]
        disorder = [3.0, 1000.0]
        flux = [0.0, 0.1]
        [options]
        width = 9
        length = 10
    """)
    ds = run_sweep(sweep, tmp_path / "out", executor="processes", workers=2).dataset
    mean, err = ds["r_mean__mean"], ds["r_mean__stderr"]
    assert int(ds["r_mean__count"].min()) == 80

    def within(point, lo, hi):
        m, e = float(mean.sel(point)), float(err.sel(point))
        assert lo - 4 * e < m < hi + 4 * e, (point, m, e, lo, hi)

    for flux in (0.0, 0.1):      # Poisson is exact: uncorrelated levels
        within({"disorder": 1000.0, "flux": flux}, R_POISSON, R_POISSON)
    for beta, flux in ((1, 0.0), (2, 0.1)):   # between large-N and surmise values
        lo, hi = sorted((R_LARGE_N[beta], R_SURMISE[beta]))
        within({"disorder": 3.0, "flux": flux}, lo, hi)
    # the store's stderr is std(ddof=1)/sqrt(n) of the stored realizations
    vals = ds["r_mean"].sel(disorder=3.0, flux=0.0).values
    assert float(err.sel(disorder=3.0, flux=0.0)) == pytest.approx(
        vals.std(ddof=1) / math.sqrt(vals.size), rel=1e-12)


CRASH = """
observable = "sweep_observables:crash_once"
realizations = 6
seed = 3
[grid]
x = [-1.0, 0.0, 1.0, 2.0]
[options]
crash_x = 2.0
marker = "{marker}"
"""


def _check_crash_sweep(ds, reference):
    status = ds["status"].values
    assert np.all(status[0] == STATUS_FAILED)          # x = -1 raises: recorded, went on
    assert all("ValueError: x must be >= 0" in e for e in ds["error"].values[0])
    assert np.all(status[1:] == STATUS_OK)
    assert_same_numbers(ds, reference)
    assert int(ds.attrs["n_records"]) == 24 and int(ds.attrs["n_duplicate_records"]) == 0
    # statistics of the surviving points: y = x + N(0, 1), 6 realizations each
    for x in (0.0, 1.0, 2.0):
        assert abs(float(ds["y__mean"].sel(x=x)) - x) < 4 / math.sqrt(6)


def test_worker_death_and_failing_task_processes(tmp_path):
    marker = tmp_path / "died-once"
    sweep = write(tmp_path, CRASH.format(marker=marker))
    summary = run_sweep(sweep, tmp_path / "procs", executor="processes", workers=2,
                        batch_size=2)
    ds = summary.dataset
    assert marker.exists()            # a worker did die (os._exit) mid-task ...
    assert summary.worker_restarts == 1   # ... once: the pool was rebuilt and went on
    ref = run_sweep(sweep, tmp_path / "serial", executor="serial").dataset
    _check_crash_sweep(ds, ref)


def test_worker_death_dask(tmp_path, cluster):
    marker = tmp_path / "died-once-dask"
    sweep = write(tmp_path, CRASH.format(marker=marker))
    ds = run_sweep(sweep, tmp_path / "dask", executor="dask",
                   scheduler=cluster.scheduler_address, batch_size=2).dataset
    assert marker.exists()
    ref = run_sweep(sweep, tmp_path / "serial", executor="serial").dataset
    _check_crash_sweep(ds, ref)


def test_task_that_always_kills_its_worker_is_isolated():
    base = {"a": 1.0, "sigma": 1.0, "crash_x": 1.0, "always": True}
    tasks = [(p, r, {**base, "x": float(p)}, p) for p in range(3) for r in range(2)]
    # one crasher (x = 1, realization 0); everything else must survive
    tasks = [t for t in tasks if not (t[0] == 1 and t[1] == 1)]
    batches = [tasks[i:i + 2] for i in range(0, len(tasks), 2)]
    with ProcessExecutor(workers=2, retries=1) as ex:
        records = [rec for batch in ex.run("sweep_observables:crash_once", 11, batches)
                   for rec in batch]
        restarts = ex.restarts
    assert restarts >= 3              # first break, then the batch alone, then the task alone
    got = {(p, r): (vals, err) for p, r, vals, err in records}
    assert sorted(got) == sorted((p, r) for p, r, *_ in tasks)
    vals, err = got[(1, 0)]
    assert vals is None and err.startswith("WorkerDied")
    safe = [t for t in tasks if t[0] != 1]
    for p, r, values, _ in run_batch("sweep_observables:crash_once", 11, safe):
        assert got[(p, r)] == (values, "")


def test_cli_sweep_local_dask_cluster_and_show(tmp_path, capsys):
    sweep = write(tmp_path, """
        observable = "sweep_observables:noisy_line"
        realizations = 40
        seed = 99
        [grid]
        x = {start = 0.0, stop = 2.0, num = 3}
        [options]
        a = 2.0
        b = -1.0
        sigma = 0.5
    """)
    out = tmp_path / "store"
    assert main(["sweep", str(sweep), "--executor", "dask", "--workers", "2", "--output",
                 str(out), "--json"]) == 0
    run = json.loads(capsys.readouterr().out)
    assert run["run"]["executor"] == "dask" and run["tasks"]["complete"]
    assert main(["sweep", "show", str(out), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["points"] == run["points"] and shown["version"]
    assert shown["sweep"]["root_seed"] == "99" and "stream(root_seed" in shown["sweep"]["seeding"]
    serial = run_sweep(sweep, tmp_path / "serial", executor="serial").dataset
    for row, x in zip(shown["points"], (0.0, 1.0, 2.0)):
        assert row["x"] == x
        assert row["y"]["mean"] == float(serial["y__mean"].sel(x=x))
        # y = a x + b + N(0, sigma^2): mean within 4 standard errors, stderr near
        # sigma / sqrt(n) (its own relative spread is 1/sqrt(2(n-1)) ~ 11 %)
        assert abs(row["y"]["mean"] - (2 * x - 1)) < 4 * row["y"]["stderr"]
        assert row["y"]["stderr"] == pytest.approx(0.5 / math.sqrt(40), rel=0.45)
    assert main(["sweep", "show", str(out)]) == 0
    text = capsys.readouterr().out
    assert "40 realizations" in text and "complete" in text


def test_workers_that_keep_dying_stop_the_sweep_with_an_error():
    from weakloc.errors import WeaklocError

    tasks = [(0, r, {"x": 1.0, "crash_x": 1.0, "always": True}, 0) for r in range(3)]
    with ProcessExecutor(workers=1, retries=0, max_breaks=3) as ex:
        with pytest.raises(WeaklocError, match="died 3 times in a row"):
            list(ex.run("sweep_observables:crash_once", 1, [tasks]))
        assert ex.restarts == 2
