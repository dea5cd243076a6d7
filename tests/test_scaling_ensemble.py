"""The Lambda(W, M) grid of ``weakloc scaling`` runs through the ensemble layer."""

import json

import numpy as np

from weakloc.cli import main
from weakloc.ensemble import task_rng
from weakloc.lattice import Lattice
from weakloc.transport import fss_fit, lambda_grid, localization_length

GRID = dict(widths=[4, 6], disorders=[14.0, 17.0, 20.0], dim=3, boundary="periodic",
            precision=0.1, seed=11, progress=False)


def test_grid_is_executor_independent_resumes_and_fits(tmp_path):
    serial = lambda_grid(executor="serial", **GRID)
    procs = lambda_grid(executor="processes", workers=2, store=tmp_path / "g.sweep", **GRID)
    assert [g["lambda"] for g in serial] == [g["lambda"] for g in procs]       # bit for bit
    assert [g["lambda_stderr"] for g in serial] == [g["lambda_stderr"] for g in procs]
    # the ensemble seeding rule: stream(seed, point_key(params), realization)
    g0 = serial[0]
    params = {"dim": 3, "boundary": "periodic", "disorder_kind": "box", "flux": 0.0,
              "spin_orbit": "none", "soc": 0.5, "hopping": 1.0, "energy": 0.0,
              "precision": 0.1, "max_slices": 1_000_000, "width": 4, "disorder": 14.0}
    direct = localization_length(Lattice(dim=3, width=4, disorder=14.0, boundary="periodic"),
                                 0.0, seed=task_rng(11, params, 0), precision=0.1,
                                 progress=False)
    assert direct.lambda_ == g0["lambda"]
    # rerunning on the finished store recomputes nothing and gives the same numbers
    again = lambda_grid(executor="serial", store=tmp_path / "g.sweep", **GRID)
    assert again == procs
    # metallic side: Lambda grows with M; insulating side: it shrinks
    lam = {(g["width"], g["disorder"]): g["lambda"] for g in serial}
    assert lam[6, 14.0] > lam[4, 14.0] and lam[6, 20.0] < lam[4, 20.0]
    fit = fss_fit([g["disorder"] for g in serial], [g["width"] for g in serial],
                  [g["lambda"] for g in serial], [g["lambda_stderr"] for g in serial],
                  n_r=1, m_r=1)
    assert 14.0 < fit.w_c < 20.0 and np.isfinite(fit.nu)


def test_scaling_cli_passes_executor_and_store(capsys, tmp_path):
    argv = ["scaling", "--dim", "3", "--widths", "4", "6", "--disorders", "14", "17", "20",
            "--precision", "0.1", "--seed", "11", "--n-r", "1", "--executor", "serial",
            "--store", str(tmp_path / "cli.sweep"), "--figure", "none", "--json"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    for key in ("w_c", "w_c_ci", "nu", "nu_ci", "lambda_c"):
        assert key in doc
    assert doc["inputs"]["executor"] == "serial" and doc["inputs"]["seed"] == 11
    direct = lambda_grid(executor="serial", **GRID)
    assert [g["lambda"] for g in doc["grid"]] == [g["lambda"] for g in direct]
    assert (tmp_path / "cli.sweep" / "results.nc").is_file()
    assert main(argv[:-1] + ["--executor", "nope", "--json"]) == 2
    assert "executor" in capsys.readouterr().err
