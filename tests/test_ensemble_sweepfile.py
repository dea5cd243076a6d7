"""Sweep files, the observable registry, task keys and bad input of `weakloc sweep`."""

import math
import textwrap
import time

import numpy as np
import pytest

from weakloc.cli import main
from weakloc.ensemble import observables as obs
from weakloc.ensemble import (
    parse_sweep,
    point_key,
    register_observable,
    resolve,
    run_sweep,
    task_rng,
)
from weakloc.errors import InputError

GOOD = """
observable = "sweep_observables:noisy_line"
realizations = 3
seed = 5
[grid]
x = [0.0, 1.0]
a = {start = 1, stop = 7, step = 3}
[options]
sigma = 0.1
"""


def write(tmp_path, text, name="s.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_parse_grid_lists_and_ranges():
    sw = parse_sweep(textwrap.dedent(GOOD))
    assert sw.grid == {"x": (0.0, 1.0), "a": (1, 4, 7)}
    assert sw.shape == (2, 3) and sw.n_tasks == 18
    assert sw.points()[1] == {"x": 0.0, "a": 4}
    assert sw.params(sw.points()[0]) == {"sigma": 0.1, "x": 0.0, "a": 1}
    sw = parse_sweep(textwrap.dedent("""
        observable = "level-ratio"
        realizations = 1
        seed = 0
        [grid]
        f = {start = 0.0, stop = 1.0, num = 5}
        g = {start = 1e-3, stop = 1e-1, num = 3, log = true}
    """))
    assert np.allclose(sw.grid["f"], [0, 0.25, 0.5, 0.75, 1.0])
    assert np.allclose(sw.grid["g"], [1e-3, 1e-2, 1e-1], rtol=1e-12)
    assert sw.grid["g"][0] == 1e-3 and sw.grid["g"][-1] == 1e-1   # ends exact


@pytest.mark.parametrize("text, match", [
    ("observable = 'x'\nrealizations = 2\nseed = 1\n[grid\nx = [1]", "not valid TOML"),
    ("observable = 'x'\nrealisations = 2\nseed = 1\n[grid]\nx = [1]",
     "unknown key 'realisations'; allowed keys: observable, realizations, seed, grid"),
    ("observable = 'x'\nrealizations = 2\nseed = 1\n[grid]\n", "grid is empty"),
    ("observable = 'x'\nrealizations = 2\nseed = 1\n[grid]\nx = []", "axis 'x' is empty"),
    ("observable = 'x'\nrealizations = 0\nseed = 1\n[grid]\nx = [1]", "realizations must be"),
    ("observable = 'x'\nrealizations = 2\nseed = -1\n[grid]\nx = [1]", "seed must be"),
    ("observable = 'x'\nrealizations = 2\n[grid]\nx = [1]", "missing key 'seed'"),
    ("observable = 'x'\nrealizations = 2\nseed = 1\n[grid]\nx = {start = 0, stop = 1, stpe = 1}",
     "unknown key 'stpe' in the range of grid axis 'x'; allowed keys: start, stop, step"),
    ("observable = 'x'\nrealizations = 2\nseed = 1\n[grid]\nx = [1, 'a']", "mixes"),
    ("observable = 'x'\nrealizations = 2\nseed = 1\n[grid]\nx = [1, 1.0]", "repeats"),
    ("observable = 'x'\nrealizations = 2\nseed = 1\n[grid]\nx = [1]\n[options]\nx = 2",
     "both a grid axis and an option"),
    ("observable = 'x'\nrealizations = 2\nseed = 1\n[grid]\nrealization = [1]", "reserved"),
    ("observable = 'x'\nrealizations = 2\nseed = 1\nsame_disorder_along = ['flx']\n"
     "[grid]\nflux = [1]", "names 'flx', which is not a grid axis; grid axes: flux"),
])
def test_bad_sweep_files(text, match):
    with pytest.raises(InputError, match=match):
        parse_sweep(text)


def test_task_key_is_independent_of_grid_order_and_number_type():
    # the same parameters (8 vs 8.0, any key order) give the same stream
    assert point_key({"L": 8, "W": 1.5}) == point_key({"W": 1.5, "L": 8.0})
    assert point_key({"L": 8, "W": 1.5}) != point_key({"L": 8, "W": 1.25})
    a = task_rng(3, {"L": 8, "W": 1.5}, 4).random(5)
    b = task_rng(3, {"W": 1.5, "L": 8}, 4).random(5)
    c = task_rng(3, {"W": 1.5, "L": 8}, 5).random(5)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    # the fingerprint ignores formatting, not content
    sw1 = parse_sweep(textwrap.dedent(GOOD))
    sw2 = parse_sweep(textwrap.dedent(GOOD).replace("sigma = 0.1", "sigma   =   0.1 # c"))
    sw3 = parse_sweep(textwrap.dedent(GOOD).replace("seed = 5", "seed = 6"))
    assert sw1.fingerprint() == sw2.fingerprint() != sw3.fingerprint()


def test_registry_resolves_names_and_paths(tmp_path):
    assert obs.OBSERVABLES["conductance"] == "weakloc.transport.landauer:sweep_task"
    assert obs.OBSERVABLES["localization"] == "weakloc.transport.transfer:sweep_task"
    assert obs.OBSERVABLES["randomwalk"] == "weakloc.montecarlo.randomwalk:sweep_task"
    from weakloc.ensemble.levelstats import sweep_task
    from weakloc.montecarlo import randomwalk
    from weakloc.transport import landauer, transfer

    assert resolve("level-ratio") is sweep_task
    assert resolve("conductance") is landauer.sweep_task
    assert resolve("randomwalk") is randomwalk.sweep_task
    assert resolve("localization") is transfer.sweep_task
    from weakloc.dynamics import sweep as dynamics_sweep

    assert resolve("cbs-momentum") is dynamics_sweep.sweep_task
    import sweep_observables

    assert resolve("sweep_observables:noisy_line") is sweep_observables.noisy_line
    register_observable("my-line", "sweep_observables:noisy_line")
    register_observable("my-line-fn", sweep_observables.noisy_line)
    try:
        assert resolve("my-line") is resolve("my-line-fn") is sweep_observables.noisy_line
    finally:
        obs.OBSERVABLES.pop("my-line")
        obs.OBSERVABLES.pop("my-line-fn")
    with pytest.raises(InputError, match="unknown observable 'condutance'; choose from"):
        resolve("condutance")
    with pytest.raises(InputError, match="cannot import"):
        resolve("no_such_module_xyz:f")
    with pytest.raises(InputError, match="has no function"):
        resolve("sweep_observables:nope")
    with pytest.raises(InputError, match="module:function"):
        register_observable("bad", "no-colon")


def test_cli_bad_input_one_line_exit_2(tmp_path, capsys):
    def run(*argv):
        code = main(["sweep", *map(str, argv)])
        err = capsys.readouterr().err.strip()
        assert code == 2 and len(err.splitlines()) == 1, err
        return err

    bad = write(tmp_path, "observable = 'x'\nrealizations = 2\nseed = 1\n[grid\n", "bad.toml")
    assert "not valid TOML" in run(bad)
    unk = write(tmp_path, GOOD.replace("sweep_observables:noisy_line", "nonsense"), "unk.toml")
    assert "unknown observable 'nonsense'" in run(unk)
    typo = write(tmp_path, GOOD.replace("seed = 5", "sead = 5"), "typo.toml")
    assert "unknown key 'sead'" in run(typo)
    assert "not found" in run(tmp_path / "missing.toml")
    # the observable rejects a parameter: stopped in the pre-flight, nothing written
    rej = write(tmp_path, """
        observable = "level-ratio"
        realizations = 2
        seed = 1
        [grid]
        disorder = [1.0]
        [options]
        widht = 4
        length = 4
    """, "rej.toml")
    assert "unknown parameter 'widht'" in run(rej, "--executor", "serial")
    assert not (tmp_path / "rej.sweep").exists()
    clash = write(tmp_path, GOOD.replace("a = {start", "y = {start"), "clash.toml")
    assert "returns 'y', which is also a grid axis" in run(clash, "--executor", "serial")
    assert "does not apply" in run("show", tmp_path, "--workers", "2")
    assert "not a sweep store" in run("show", tmp_path)


def test_existing_output_refused_unless_resume_matches(tmp_path, capsys):
    good = write(tmp_path, GOOD, "good.toml")
    out = tmp_path / "out"
    assert main(["sweep", str(good), "--executor", "serial", "--output", str(out),
                 "--json"]) == 0
    capsys.readouterr()
    with pytest.raises(InputError, match="already holds this sweep; pass resume=True"):
        run_sweep(good, out, executor="serial")
    other = write(tmp_path, GOOD.replace("seed = 5", "seed = 6"), "other.toml")
    with pytest.raises(InputError, match="holds a different sweep"):
        run_sweep(other, out, executor="serial", resume=True)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not a sweep store"):
        run_sweep(good, foreign, executor="serial")
    summary = run_sweep(good, out, executor="serial", resume=True)
    assert summary.n_computed == 0 and summary.n_skipped == 18
    # a store that another running sweep writes to is refused
    from weakloc.ensemble import SweepStore, load_sweep

    holder = SweepStore.create(out, load_sweep(good), resume=True)
    try:
        with pytest.raises(InputError, match="being written by another running sweep"):
            run_sweep(good, out, executor="serial", resume=True)
    finally:
        holder.close()
    assert run_sweep(good, out, executor="serial", resume=True).n_computed == 0


def test_unreachable_scheduler_fails_fast(tmp_path):
    good = write(tmp_path, GOOD)
    t0 = time.perf_counter()
    with pytest.raises(InputError, match="no dask scheduler reachable at tcp://127.0.0.1:9"):
        run_sweep(good, tmp_path / "o", executor="dask", scheduler="tcp://127.0.0.1:9",
                  timeout=2.0)
    # a clear error, not a hang (generous bound for a loaded machine), and nothing written
    assert time.perf_counter() - t0 < 30
    assert not (tmp_path / "o").exists()
    # a scheduler without workers: an error too, not a sweep waiting forever
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, processes=True, dashboard_address=":0") as empty:
        with pytest.raises(InputError, match="has no workers"):
            run_sweep(good, tmp_path / "o", executor="dask",
                      scheduler=empty.scheduler_address, timeout=1.0)
    assert not (tmp_path / "o").exists()
    with pytest.raises(InputError, match="PROTOCOL://HOST:PORT"):
        run_sweep(good, tmp_path / "o", executor="dask", scheduler="localhost")
    with pytest.raises(InputError, match="workers=... does not apply"):
        run_sweep(good, tmp_path / "o", executor="dask", scheduler="tcp://h:1", workers=2)
    with pytest.raises(InputError, match="needs executor=.dask."):
        run_sweep(good, tmp_path / "o", executor="processes", scheduler="tcp://h:1")


def test_gap_ratio_of_poisson_levels_is_2ln2_minus_1():
    # uncorrelated levels (sorted uniform draws): <r> = 2 ln 2 - 1 exactly
    from weakloc.ensemble.levelstats import R_POISSON, gap_ratios

    rng = np.random.default_rng(1)
    r = np.concatenate([gap_ratios(rng.uniform(size=400), window=1.0) for _ in range(50)])
    assert abs(r.mean() - R_POISSON) < 4 * r.std() / math.sqrt(r.size)
    assert R_POISSON == pytest.approx(0.386294, abs=1e-6)


def test_unimportable_observable_refused_for_processes(tmp_path):
    register_observable("local-lambda", lambda params, rng: {"v": rng.random()})
    try:
        path = write(tmp_path, GOOD.replace("sweep_observables:noisy_line", "local-lambda"))
        with pytest.raises(InputError, match="not importable by worker processes"):
            run_sweep(path, tmp_path / "o", executor="processes", workers=2)
        assert not (tmp_path / "o").exists()
        # serially it is fine: the function runs in this process
        ds = run_sweep(path, tmp_path / "s", executor="serial").dataset
        assert int(ds.attrs["n_computed"]) == 18
    finally:
        obs.OBSERVABLES.pop("local-lambda")


def test_make_sweep_equals_the_same_file():
    from weakloc.ensemble import make_sweep

    made = make_sweep("localization", {"width": np.array([4, 6]), "disorder": [14.0, 16.5]},
                      samples=3, seed=2**80, options={"dim": 3, "height": None,
                                                           "spin_orbit": "su2", "tol": 1e-5},
                      same_disorder_along=["disorder"], description='a "quoted" note')
    text = textwrap.dedent("""
        observable = "localization"
        realizations = 3
        seed = 1208925819614629174706176
        same_disorder_along = ["disorder"]
        [grid]
        width = [4, 6]
        disorder = [14.0, 16.5]
        [options]
        dim = 3
        spin_orbit = "su2"
        tol = 1e-5
    """)
    assert made.fingerprint() == parse_sweep(text).fingerprint()
    assert parse_sweep(made.text) == made and made.description == 'a "quoted" note'
    with pytest.raises(InputError, match="must be a number, string, boolean"):
        make_sweep("x", {"a": [1]}, samples=1, seed=0, options={"b": {"c": 1}})
    with pytest.raises(InputError, match="seed must be an integer"):
        make_sweep("x", {"a": [1]}, samples=1, seed=-1)


FLAKY = """
observable = "sweep_observables:fails_until_marker"
realizations = 4
seed = 77
[grid]
x = [0.0, 1.0, 2.0]
[options]
fail_x = 1.0
marker = "{marker}"
"""


def test_retry_failed_reruns_only_the_failed_tasks(tmp_path, capsys):
    from weakloc.ensemble import open_results
    from weakloc.ensemble.store import STATUS_FAILED, STATUS_OK

    marker = tmp_path / "marker"
    sweep = write(tmp_path, FLAKY.format(marker=marker), "flaky.toml")
    out = tmp_path / "flaky.sweep"
    first = run_sweep(sweep, out, executor="serial", progress=False)
    assert first.n_failed == 4                      # every realization at x = 1
    st = open_results(out)["status"].values
    assert np.all(st[1] == STATUS_FAILED) and np.all(st[[0, 2]] == STATUS_OK)
    # a plain resume leaves failures alone; retrying without --resume is refused
    assert run_sweep(sweep, out, executor="serial", resume=True).n_computed == 0
    with pytest.raises(InputError, match="pass resume=True"):
        run_sweep(sweep, out, executor="serial", retry_failed=True)
    marker.write_text("now it works")
    again = run_sweep(sweep, out, executor="serial", resume=True, retry_failed=True,
                      progress=False)
    assert again.n_computed == 4 and again.n_failed == 0
    # the result equals a sweep that never failed (same seeds, same streams)
    clean = run_sweep(sweep, tmp_path / "clean.sweep", executor="serial", progress=False)
    a, b = open_results(out), open_results(clean.output)
    assert np.all(a["status"].values == STATUS_OK)
    assert np.array_equal(a["y"].values, b["y"].values)
    assert np.array_equal(a["u"].values, b["u"].values)
    # and the CLI flag reaches it
    assert main(["sweep", str(sweep), "--executor", "serial", "--output", str(out),
                 "--resume", "--retry-failed", "--json"]) == 0
    assert '"n_computed": 0' in capsys.readouterr().out
