"""One word per concept: ``dim``, ``samples``, ``seed=None``, ``progress=None``, ``as_dict``.

The names they replaced still work for one release, with a DeprecationWarning, and give
the same numbers.
"""

import dataclasses
import inspect
import warnings

import numpy as np
import pytest

from weakloc import montecarlo, theory
from weakloc.errors import InputError
from weakloc.montecarlo import cbs, latticewalk, polarized, randomwalk

TAU, V = 1e-13, 1e5

RENAMED_DIM = [
    (theory.diffusion_constant, (2e5, TAU), {}),
    (theory.green_kubo_diffusion, (lambda t: V**2 * np.exp(-t / TAU),), {}),
    (theory.free_electron_dos, (9.1e-31, 1e-20), {}),
    (theory.return_probability, (1e-11, 1e-2), {}),
    (theory.integrated_return_probability, (TAU, 1e-11, 1e-2), {}),
    (theory.wl_correction, (), {"tau": TAU, "tau_phi": 1e-11}),
    (theory.beta_function, (10.0,), {}),
    (randomwalk.ball_volume, (1.0,), {}),
    (randomwalk.gaussian_ball_factor, (0.25,), {}),
]


@pytest.mark.parametrize("func, args, kwargs", RENAMED_DIM,
                         ids=[f.__name__ for f, _, _ in RENAMED_DIM])
def test_d_is_now_dim(func, args, kwargs):
    assert "dim" in inspect.signature(func).parameters
    new = func(*args, dim=2, **kwargs)
    with pytest.warns(DeprecationWarning, match="dim="):
        old = func(*args, d=2, **kwargs)
    np.testing.assert_array_equal(old, new)
    with pytest.raises(InputError, match="give dim= only"):
        func(*args, d=2, dim=2, **kwargs)


RENAMED_SAMPLES = [
    (montecarlo.simulate_walks, (2,), {"time": 250 * TAU, "tau": TAU, "speed": V}, "walkers", 200),
    (montecarlo.lattice_return, (2,), {"steps": 50}, "walkers", 200),
    (montecarlo.simulate_cbs, (10.0,), {"max_orders": 50, "angles": [0.0, 0.05]}, "photons", 50),
    (montecarlo.simulate_polarized_cbs, (10.0,), {"max_orders": 50, "angles": [0.0, 0.05]},
     "photons", 50),
]


@pytest.mark.parametrize("func, args, kwargs, old, n", RENAMED_SAMPLES,
                         ids=[f.__name__ for f, *_ in RENAMED_SAMPLES])
def test_ensemble_sizes_are_samples(func, args, kwargs, old, n):
    sig = inspect.signature(func).parameters
    assert "samples" in sig and old not in sig
    assert sig["seed"].default is None
    if "progress" in sig:
        assert sig["progress"].default is None
    new = func(*args, samples=n, seed=3, **kwargs)
    with pytest.warns(DeprecationWarning, match="samples="):
        again = func(*args, **{old: n}, seed=3, **kwargs)
    for field in dataclasses.fields(new):
        a, b = getattr(new, field.name), getattr(again, field.name)
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, b)
        else:
            assert repr(a) == repr(b), field.name     # NaN-safe equality


def test_random_walk_sweep_task_reads_the_old_key():
    params = {"dim": 2, "time": 250 * TAU, "tau": TAU, "speed": V}
    new = randomwalk.sweep_task({**params, "samples": 200}, np.random.default_rng(5))
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # sweep files keep working, silently
        old = randomwalk.sweep_task({**params, "walkers": 200}, np.random.default_rng(5))
    assert old == new
    with pytest.raises(InputError, match="'samples' only"):
        randomwalk.sweep_task({**params, "samples": 2, "walkers": 2}, np.random.default_rng(5))


def test_one_cbs_result_name_per_concept():
    from weakloc.dynamics import CBSResult as MomentumCBS

    assert montecarlo.CBSConeResult is cbs.CBSConeResult
    assert montecarlo.CBSConeResult is not MomentumCBS
    assert "CBSResult" not in montecarlo.__all__
    for module in (montecarlo, cbs):
        with pytest.warns(DeprecationWarning, match="CBSConeResult"):
            assert module.CBSResult is cbs.CBSConeResult


RESULTS = [randomwalk.WalkResult, latticewalk.LatticeReturn, cbs.CBSConeResult,
           polarized.PolarizedCBSResult, theory.RegimeCheck]


@pytest.mark.parametrize("cls", RESULTS, ids=[c.__name__ for c in RESULTS])
def test_results_are_frozen_dataclasses_with_as_dict(cls):
    assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen
    assert callable(cls.as_dict)


def test_results_as_dict_round_trip():
    r = montecarlo.lattice_return(1, samples=100, steps=20, seed=1)
    doc = r.as_dict()
    assert doc["params"]["seed"] == r.params["seed"]
    np.testing.assert_array_equal(doc["returned"], r.returned)
    check = theory.diffusive_regime(size=50e-9, mean_free_path=20e-9)
    assert check.as_dict()["ok"] is check.ok is False
    p = montecarlo.simulate_polarized_cbs(10.0, samples=40, max_orders=20, angles=[0.0, 0.1],
                                          seed=2)
    with pytest.warns(DeprecationWarning, match="as_dict"):
        assert str(p.to_dict()) == str(p.as_dict())


def test_ensemble_speaks_the_same_voice():
    from weakloc.ensemble import lambda_grid, make_sweep, run_sweep
    from weakloc.ensemble.runner import SweepSummary

    assert SweepSummary.__dataclass_params__.frozen
    for func in (run_sweep, lambda_grid):
        assert inspect.signature(func).parameters["progress"].default is None
    a = make_sweep("level-ratio", {"disorder": [2.0]}, samples=1)
    b = make_sweep("level-ratio", {"disorder": [2.0]}, samples=1)
    assert a.seed != b.seed        # drawn when not given, and recorded in the sweep text
    assert f"seed = {a.seed}" in a.text
    assert a.as_dict()["seed"] == a.seed


def test_progress_rule_bar_on_terminal_lines_in_a_log(monkeypatch, capsys):
    import sys

    from weakloc.progress import LogProgress, progress_bar, show_progress

    assert show_progress(None) and show_progress(True) and not show_progress(False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert not progress_bar(None, range(3)).disable             # a tqdm bar on a terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    log = progress_bar(None, range(3), desc="walk", unit="chunk", every=0.0)
    assert isinstance(log, LogProgress) and list(log) == [0, 1, 2]
    assert "walk: 3/3 chunks (100%)" in capsys.readouterr().err  # plain lines in a log
    assert list(progress_bar(False, range(2))) == [0, 1]
    assert capsys.readouterr().err == ""                        # False: nothing at all


def test_fitting_dimension_is_now_dim():
    from weakloc.fitting import temperature

    T = np.array([0.5, 1.0, 2.0, 4.0, 8.0])
    L = 1e-6 * T**-0.5
    for func, args in ((temperature.fit_power_law, (T, L, 0.03 * L)),
                       (temperature.mechanisms, (1.0, 0.1)),
                       (temperature.mechanism_hint, (1.0, 0.1))):
        assert "dim" in inspect.signature(func).parameters
        new = func(*args, dim=1)
        with pytest.warns(DeprecationWarning, match="dim="):
            old = func(*args, dimension=1)
        assert repr(old) == repr(new)
        with pytest.raises(InputError, match="give dim= only"):
            func(*args, dim=1, dimension=1)
    sig = inspect.signature(temperature.fit_series).parameters
    assert "dim" in sig and "dimension" not in sig


def _source_strings(package):
    """Every string literal but docstrings in the modules of ``package`` (file:line, text)."""
    import ast
    import pathlib

    root = pathlib.Path(package.__file__).parent
    for path in sorted(root.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(node.body[0].value) for node in ast.walk(tree)
                if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
                and ast.get_docstring(node, clean=False) is not None}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docs):
                yield f"{path.name}:{node.lineno}", node.value


@pytest.mark.parametrize("name", ["fitting", "theory", "montecarlo", "lattice", "transport",
                                  "dynamics"])
def test_library_messages_speak_python_not_flags(name):
    import importlib
    import re

    package = importlib.import_module(f"weakloc.{name}")
    flags = [(where, text) for where, text in _source_strings(package)
             if re.search(r"(^|[\s(])--[a-z]", text)]
    assert flags == []


def test_cli_translates_python_arguments_into_flags():
    from weakloc.cli import _leaf_parser, build_parser, speak_flags

    parser = build_parser()
    fit = _leaf_parser(parser, parser.parse_args(["fit", "x.csv", "--model", "hln", "--field",
                                                  "B", "--value", "R"]))
    assert fit.prog.endswith("fit")
    assert speak_flags("hold it with fix={name: value}, narrow bmax=...", fit) == \
        "hold it with --fix NAME=VALUE, narrow --bmax"
    assert speak_flags("pass symmetrize=False or quantity='resistance'", fit) == \
        "pass --no-symmetrize or --quantity resistance"
    assert speak_flags("needs constants={'l_so': 5e-08}", fit) == "needs --const l_so=5e-08"
    assert speak_flags("unknown=3 and x=...", fit) == "unknown=3 and x=..."   # no such flag
    assert speak_flags("got bmax=0.5 T", fit) == "got bmax=0.5 T"     # a value, not advice
    assert speak_flags("pass offset=True; then current=: ok", fit) == \
        "pass --offset; then --current: ok"


def test_cli_error_names_the_flag(tmp_path, capsys):
    from weakloc.cli import main

    B = np.linspace(-0.5, 0.5, 101)
    path = tmp_path / "r.csv"
    path.write_text("B,R\n" + "\n".join(f"{b:g},{100 + b * b:g}" for b in B), encoding="utf-8")
    rc = main(["fit", str(path), "--model", "hln", "--field", "B", "--value", "R",
               "--quantity", "sheet-resistance", "--bmax", "0.015"])   # too few points
    err = capsys.readouterr().err
    assert rc == 2 and len(err.splitlines()) == 1
    assert "--bmax" in err and "--fix NAME=VALUE" in err and "fix={" not in err


def _small_wire():
    from weakloc.lattice import Lattice

    return Lattice(dim=2, width=4, length=6, disorder=1.0)


def test_conductance_result_as_dict_and_seed_optional():
    from weakloc.transport import ConductanceResult, conductance_ensemble

    assert ConductanceResult.__dataclass_params__.frozen
    assert inspect.signature(conductance_ensemble).parameters["seed"].default is None
    a = conductance_ensemble(_small_wire(), 0.5, samples=2, progress=False, workers=1)
    b = conductance_ensemble(_small_wire(), 0.5, samples=2, seed=a.seed, progress=False,
                             workers=1)
    np.testing.assert_array_equal(a.values, b.values)   # the drawn seed is recorded
    with pytest.warns(DeprecationWarning, match="as_dict"):
        old = a.to_dict()
    assert repr(old) == repr(a.as_dict())


LONG_RUNS = ["weakloc.transport.landauer:conductance_ensemble",
             "weakloc.transport.transfer:localization_length",
             "weakloc.transport.beta:beta_from_conductance",
             "weakloc.dynamics.momentum:cbs_momentum"]


@pytest.mark.parametrize("ref", LONG_RUNS)
def test_long_runs_follow_the_one_progress_rule(ref):
    import importlib

    module, name = ref.split(":")
    mod = importlib.import_module(module)
    params = inspect.signature(getattr(mod, name)).parameters
    assert params["progress"].default is None and params["seed"].default is None
    assert "tqdm" not in inspect.getsource(mod)         # bars come from weakloc.progress


def test_conductance_progress_lines_in_a_log(monkeypatch, capsys):
    import sys

    from weakloc import progress
    from weakloc.transport import conductance_ensemble

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    monkeypatch.setattr(progress.progress_bar, "__kwdefaults__",     # a line per update
                        {**progress.progress_bar.__kwdefaults__, "every": 0.0})
    conductance_ensemble(_small_wire(), 0.5, samples=2, seed=1, workers=1,
                         progress=None)
    err = capsys.readouterr().err
    assert "conductance: 2/2 realizations (100%)" in err
    conductance_ensemble(_small_wire(), 0.5, samples=2, seed=1, workers=1, progress=False)
    assert capsys.readouterr().err == ""


def test_log_progress_carries_tqdm_postfix_and_context(capsys):
    import io

    from weakloc.progress import LogProgress, progress_bar

    stream = io.StringIO()
    with LogProgress(total=4, desc="xi", unit="slice", every=0.0, stream=stream) as bar:
        bar.set_postfix(precision="1e-02")
        bar.update(4)
    assert "xi: 4/4 slices (100%)" in stream.getvalue()
    assert "(precision=1e-02)" in stream.getvalue()
    with progress_bar(False, total=3) as silent:
        silent.set_postfix(x=1)
        silent.update(3)
    assert capsys.readouterr().err == ""


def test_sweep_errors_speak_python_and_the_cli_flags(tmp_path, capsys):
    from weakloc.cli import main
    from weakloc.ensemble import make_sweep, run_sweep

    sweep = make_sweep("level-ratio", {"disorder": [2.0]}, samples=1, seed=1)
    path = tmp_path / "s.toml"
    path.write_text(sweep.text, encoding="utf-8")
    with pytest.raises(InputError, match="scheduler=... needs executor='dask'") as exc:
        run_sweep(sweep, tmp_path / "o", executor="processes", scheduler="tcp://h:1")
    assert "--" not in str(exc.value)
    with pytest.raises(InputError, match="drop workers=... or choose executor='processes'"):
        run_sweep(sweep, tmp_path / "o", executor="serial", workers=2)
    rc = main(["sweep", str(path), "--executor", "processes", "--scheduler", "tcp://h:1"])
    err = capsys.readouterr().err
    assert rc == 2 and err.strip().endswith("--scheduler needs --executor dask")
    rc = main(["sweep", str(path), "--executor", "serial", "--workers", "2"])
    err = capsys.readouterr().err
    assert rc == 2 and "drop --workers or choose --executor processes" in err


def test_ensemble_messages_speak_python_not_flags():
    import re

    from weakloc import ensemble

    # shell commands for the user (the resume command, dask's own CLI) are quoted or built
    # in _resume_command / where; everything else names run_sweep's arguments
    flags = [(where, text) for where, text in _source_strings(ensemble)
             if re.search(r"(^|[\s(])--[a-z]", text) and "dask " not in text
             and not text.startswith((" --", "--scheduler"))]
    assert flags == []


def test_anisotropy_was_g():
    common = {"time": 400 * TAU, "tau": TAU, "speed": V, "seed": 4}
    new = montecarlo.simulate_walks(2, samples=200, anisotropy=0.3, **common)
    with pytest.warns(DeprecationWarning, match="anisotropy="):
        old = montecarlo.simulate_walks(2, samples=200, g=0.3, **common)
    assert repr(old.as_dict()) == repr(new.as_dict())
    with pytest.raises(InputError, match="give anisotropy= only"):
        montecarlo.simulate_walks(2, samples=200, g=0.3, anisotropy=0.3, **common)
    theta = np.linspace(0.0, 0.05, 5)
    with pytest.warns(DeprecationWarning, match="anisotropy="):
        old = cbs.awm_crossed(theta, 10.0, g=0.4)
    np.testing.assert_array_equal(old, cbs.awm_crossed(theta, 10.0, anisotropy=0.4))
    assert "anisotropy" in inspect.signature(montecarlo.simulate_cbs).parameters
    with pytest.raises(InputError, match="anisotropy"):
        montecarlo.simulate_cbs(10.0, samples=10, anisotropy=1.0)
    params = {"dim": 2, "samples": 200, "time": 400 * TAU, "tau": TAU, "speed": V}
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # sweep files with the old key still read
        a = randomwalk.sweep_task({**params, "g": 0.3}, np.random.default_rng(5))
    assert a == randomwalk.sweep_task({**params, "anisotropy": 0.3}, np.random.default_rng(5))


def test_anisotropy_flag_keeps_g_as_alias(capsys):
    import json

    from weakloc.cli import main

    argv = ["randomwalk", "--dim", "2", "--samples", "200", "--seed", "1", "--json"]
    assert main(argv + ["--anisotropy", "0.3"]) == 0
    new = json.loads(capsys.readouterr().out)
    assert main(argv + ["--g", "0.3"]) == 0
    old = json.loads(capsys.readouterr().out)
    new.pop("version"), old.pop("version")
    assert new == old


def test_born_diffusion_constant_has_its_own_name():
    from weakloc.dynamics import born as old_home
    from weakloc.theory import born

    new = born.born_diffusion_constant(0.5, 1.5)
    assert "diffusion_constant" not in born.__all__
    for module in (born, old_home):
        with pytest.warns(DeprecationWarning, match="born_diffusion_constant"):
            assert module.diffusion_constant(0.5, 1.5) == new
    # the Born value is the Boltzmann D = <v^2> tau / 2 of the 2D lattice (units t a^2/hbar)
    assert new == pytest.approx(0.5 * born.shell_velocity_squared(0.5)
                                * born.scattering_time(0.5, 1.5), rel=1e-14)
    assert theory.diffusion_constant is not born.born_diffusion_constant


def test_fit_warnings_on_the_cli_name_flags(tmp_path, capsys):
    import json

    from weakloc.cli import main
    from weakloc.fitting.fit import FitWarning, fit_curve
    from weakloc.theory.magnetoconductance import kawabata

    B = np.linspace(-0.5, 0.5, 201)
    sig = 1e5 + kawabata(B, 300e-9)        # S/m of a bulk sample, read as a sheet conductance
    y = kawabata(B[100:], 300e-9)
    y = y + 1e-3 * np.ptp(y) * np.random.default_rng(2).standard_normal(y.size)
    with pytest.warns(FitWarning) as caught:
        fit_curve((B[100:], y), "hln")
    said = " ".join(str(w.message) for w in caught)
    assert "include=('amplitude',)" in said and "--" not in said     # Python in the API
    path = tmp_path / "bulk.csv"
    path.write_text("B,sigma\n" + "\n".join(f"{b:.6g},{s:.12g}" for b, s in zip(B, sig)),
                    encoding="utf-8")
    rc = main(["fit", str(path), "--model", "hln", "--field", "B", "--value", "sigma",
               "--quantity", "sheet-conductance", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 0 and doc["reliable"] is False
    said = " ".join(doc["warnings"])
    assert "--include amplitude" in said and "--aspect" in said and "include=(" not in said


def test_fit_series_progress_follows_the_rule(monkeypatch, capsys):
    import sys

    from weakloc import progress
    from weakloc.fitting.data import Curve
    from weakloc.fitting.temperature import fit_series
    from weakloc.theory.magnetoconductance import hln
    from weakloc.units import G0

    assert inspect.signature(fit_series).parameters["progress"].default is None
    B = np.linspace(0.0, 0.3, 80)
    rng = np.random.default_rng(3)
    noise = 0.01 * G0
    curves = [Curve(field=B, dsigma=hln(B, -0.5, lphi) + noise * rng.standard_normal(B.size),
                    temperature=T, source="synthetic")
              for T, lphi in ((1.0, 4e-7), (2.0, 3e-7), (4.0, 2e-7))]
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    monkeypatch.setattr(progress.progress_bar, "__kwdefaults__",
                        {**progress.progress_bar.__kwdefaults__, "every": 0.0})
    quiet = fit_series(curves, "hln", progress=False)
    assert capsys.readouterr().err == ""
    loud = fit_series(curves, "hln")
    assert "fit: 3/3 curves (100%)" in capsys.readouterr().err
    calls = []
    fit_series(curves, "hln", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert [f.value("l_phi") for f in quiet.fits] == [f.value("l_phi") for f in loud.fits]


def test_ensemble_size_is_samples_in_make_sweep_and_lambda_grid():
    from weakloc.ensemble.sweepfile import make_sweep

    new = make_sweep("level-ratio", {"disorder": [2.0]}, samples=3, seed=1)
    with pytest.warns(DeprecationWarning, match="samples"):
        old = make_sweep("level-ratio", {"disorder": [2.0]}, realizations=3, seed=1)
    assert new.text == old.text and new.samples == new.realizations == 3   # file key stays
    with pytest.raises(InputError, match="samples= only"):
        make_sweep("level-ratio", {"disorder": [2.0]}, samples=3, realizations=3, seed=1)


def test_power_law_result_names_its_dimension_dim():
    import numpy as np

    from weakloc.fitting.temperature import fit_power_law

    T = np.array([1.0, 2.0, 4.0, 8.0])
    res = fit_power_law(T, 1e-6 * T**-0.5, 1e-8 * np.ones(4), dim=2)
    assert res.dim == 2 and res["dim"] == 2
    with pytest.warns(DeprecationWarning, match="dim"):
        assert res.dimension == 2


def test_small_results_are_frozen_dataclasses_that_still_read_like_dicts():
    import dataclasses

    import numpy as np

    from weakloc.kubo.crossover import Crossover, crossover_fit

    t = np.linspace(0.1, 20.0, 200)
    res = crossover_fit(t, 2.0 * 1.5 * (1 - np.exp(-t / 1.5)), 2.0, 2)   # v^2 tau (1 - e^-t/tau)
    assert isinstance(res, Crossover) and dataclasses.is_dataclass(res)
    assert res.tau == pytest.approx(1.5, rel=1e-4) and res["tau"] == res.tau
    assert res.get("mean_free_path") == pytest.approx(np.sqrt(2 * 2.0) * 1.5, rel=1e-4)
    assert "reliable" in res and res.as_dict()["drude_diffusion"] == res.drude_diffusion
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.tau = 1.0
