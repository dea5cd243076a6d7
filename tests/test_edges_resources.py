"""Requests too large are refused up front with the estimate; complex onsite arrays are
not silently cut to their real part."""

import json

import numpy as np
import pytest

from weakloc.cli import main
from weakloc.errors import ResourceError
from weakloc.resources import announce, check_memory, human_seconds


def _err(capsys, argv):
    code = main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1, err
    return err[0]


def test_memory_estimate_refuses_and_force_goes_ahead():
    with pytest.raises(ResourceError, match=r"needs about 1\.86 GB.*more than the 954 MB "
                                            r"available.*force=True"):
        check_memory(2e9, "this", available=10**9)
    check_memory(2e9, "this", available=10**9, force=True)     # no error
    check_memory(1e8, "this", available=10**9)


def test_sweep_too_large_for_memory_is_refused_and_force_goes_ahead(tmp_path, monkeypatch):
    import weakloc.resources as res
    from weakloc.ensemble import run_sweep

    f = tmp_path / "s.toml"
    f.write_text('observable = "sweep_observables:noisy_line"\nrealizations = 3\nseed = 1\n'
                 '[grid]\nx = [0.0, 1.0]\n')
    monkeypatch.setattr(res, "available_memory", lambda: 1000)
    with pytest.raises(ResourceError, match="a sweep of 6 tasks needs about"):
        run_sweep(f, tmp_path / "s.sweep", executor="serial", progress=False)
    assert not (tmp_path / "s.sweep").exists()
    s = run_sweep(f, tmp_path / "s.sweep", executor="serial", progress=False, force=True)
    assert s.n_computed == 6


def test_conductance_announces_a_long_run(capsys):
    import argparse

    from weakloc.cli.conductance import _estimate

    args = argparse.Namespace(width=4000, height=None, dim=2, spin_orbit="none", workers=1,
                              length=3, samples=10)
    _estimate(args, n_flux=1)     # 10 x 3 slices of (4000 sites)^3: tens of minutes
    assert "conductance of 10 sample(s), 4000 sites per slice x 3 slices will take " \
           "roughly" in capsys.readouterr().err
    args.width = 8
    _estimate(args, n_flux=1)
    assert capsys.readouterr().err == ""


def test_long_runs_are_announced(capsys):
    import io

    buf = io.StringIO()
    announce(3 * 86400, "a long thing", stream=buf)
    assert "roughly 3 days" in buf.getvalue()
    announce(5, "a short thing", stream=buf)
    assert "short" not in buf.getvalue()
    assert human_seconds(90) == "90 s" and human_seconds(7.2e3 * 10) == "20 h"


def test_complex_onsite_is_refused_not_truncated(tmp_path, capsys):
    rng = np.random.default_rng(0)
    real = rng.uniform(-1, 1, (6, 4))
    f = tmp_path / "onsite.npy"
    np.save(f, real + 0.3j)
    err = _err(capsys, ["conductance", "--width", "4", "--length", "6", "--energy", "0.5",
                        "--onsite", str(f), "--json"])
    assert "complex with nonzero imaginary parts" in err
    # a complex array whose imaginary part is zero is the real array: same conductance
    np.save(f, real + 0j)
    g = tmp_path / "real.npy"
    np.save(g, real)
    outs = []
    for path in (f, g):
        assert main(["conductance", "--width", "4", "--length", "6", "--energy", "0.5",
                     "--onsite", str(path), "--json"]) == 0
        outs.append(json.loads(capsys.readouterr().out)["conductance"]["mean"])
    assert outs[0] == outs[1]


def test_sweep_too_large_names_the_flag_on_the_cli(tmp_path, monkeypatch, capsys):
    import weakloc.resources as res

    f = tmp_path / "s.toml"
    f.write_text('observable = "sweep_observables:noisy_line"\nrealizations = 3\nseed = 1\n'
                 '[grid]\nx = [0.0, 1.0]\n')
    monkeypatch.setattr(res, "available_memory", lambda: 1000)
    line = _err(capsys, ["sweep", str(f), "--executor", "serial"])
    assert "pass --force to try anyway" in line and "force=True" not in line


def test_time_estimate_refuses_and_force_goes_ahead():
    import io

    from weakloc.resources import check_time

    buf = io.StringIO()
    with pytest.raises(ResourceError, match=r"would take roughly 2 h .*over the limit of "
                                            r"60 min.*force=True"):
        check_time(7200.0, "this", limit=3600.0)
    with pytest.raises(ResourceError, match="roughly nan"):
        check_time(float("nan"), "this")                 # no estimate: not a pass
    check_time(7200.0, "this", limit=3600.0, force=True, stream=buf)
    assert "this will take roughly 2 h" in buf.getvalue()  # forced, but still announced
    check_time(10.0, "this", stream=False)


@pytest.mark.parametrize("argv", [
    ["localization", "--dim", "3", "--width", "40", "--disorder", "16", "--energy", "0"],
    ["cbs", "--photons", "1000000000"],
    ["cbs", "--photons", "1000000000", "--polarized"],
])
def test_huge_localization_and_cbs_runs_are_refused_up_front(capsys, argv):
    line = _err(capsys, argv + ["--seed", "1", "--json"])
    assert "would take roughly" in line and "over the limit of 60 min" in line
    assert "pass --force to run it anyway" in line and "force=True" not in line


def test_force_runs_what_the_time_limit_refuses(capsys, monkeypatch):
    import weakloc.resources as res

    monkeypatch.setattr(res, "TIME_LIMIT", 1e-9)       # every run is now "too long"
    loc = ["localization", "--width", "4", "--disorder", "5", "--energy", "0",
           "--precision", "0.1", "--seed", "1", "--json"]
    cbs = ["cbs", "--kl", "10", "--photons", "200", "--seed", "1", "--json"]
    for argv in (loc, cbs):
        assert "would take roughly" in _err(capsys, argv)
        assert main(argv + ["--force"]) == 0
        assert json.loads(capsys.readouterr().out)["seed"] == 1


def test_estimates_scale_with_the_problem():
    from weakloc.lattice import Lattice
    from weakloc.montecarlo.cbs import run_time_estimate
    from weakloc.transport.transfer import localization_estimate

    one = run_time_estimate(1000, 61, threads=1)
    assert run_time_estimate(2000, 61, threads=1) == pytest.approx(2 * one)
    assert run_time_estimate(2000, 61, threads=2) == pytest.approx(one)
    # a slab of a few mean free paths ends paths early; a longer path cut costs more
    assert run_time_estimate(1000, 61, thickness_l=3.0, threads=1) < one / 10
    assert run_time_estimate(1000, 61, max_orders=10**6, threads=1) > 5 * one
    # large cross-sections: the QR's n^3 dominates (same slice count at max_slices)
    mem, t40 = localization_estimate(Lattice(dim=3, width=40, disorder=16), 0.01, 10**4)
    _, t20 = localization_estimate(Lattice(dim=3, width=20, disorder=16), 0.01, 10**4)
    assert t40 / t20 == pytest.approx(64, rel=0.1) and mem > 16 * 1600**2


def test_scaling_grid_too_long_is_refused_up_front_with_the_cli_flag(capsys, tmp_path):
    store = tmp_path / "grid.sweep"
    line = _err(capsys, ["scaling", "--widths", "8", "40", "--disorders", "16", "16.5",
                         "--dim", "3", "--precision", "0.001", "--executor", "serial",
                         "--store", str(store), "--figure", "none", "--json"])
    assert "one bar of the grid (width 40" in line and "over the limit of 60 min" in line
    assert "pass --force to run it anyway" in line and "force=True" not in line
    assert not store.exists()                       # refused before any store or worker


def test_forcing_a_grid_runs_it_with_the_same_streams(monkeypatch):
    import weakloc.resources as res
    from weakloc.ensemble.grids import lambda_grid

    kw = dict(precision=0.1, max_slices=20_000, seed=3, executor="serial", progress=False)
    plain = lambda_grid([4], [5.0, 6.0], **kw)
    monkeypatch.setattr(res, "TIME_LIMIT", 1e-9)       # every bar is now "too long"
    with pytest.raises(ResourceError, match="one bar of the grid .*force=True"):
        lambda_grid([4], [5.0, 6.0], **kw)
    forced = lambda_grid([4], [5.0, 6.0], force=True, **kw)
    # the check is not a task parameter: the forced grid draws the same random numbers
    assert np.array_equal(forced["lambda"].values, plain["lambda"].values)
    assert np.all(np.isfinite(plain["lambda"].values))
