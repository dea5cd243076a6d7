"""The Lambda(W, M) grid of ``weakloc scaling`` runs through the ensemble layer."""

import json

import numpy as np

from weakloc.cli import main
from weakloc.ensemble import task_rng
from weakloc.finitesize import grid_arrays
from weakloc.lattice import Lattice
from weakloc.transport import fss_fit, lambda_grid, localization_length

GRID = dict(widths=[4, 6], disorders=[14.0, 17.0, 20.0], dim=3, boundary="periodic",
            precision=0.1, seed=11, progress=False)


def test_grid_is_executor_independent_resumes_and_fits(tmp_path):
    serial = lambda_grid(executor="serial", **GRID)
    procs = lambda_grid(executor="processes", workers=2, store=tmp_path / "g.sweep", **GRID)
    assert serial.identical(procs)                                      # bit for bit
    assert serial["lambda"].dims == ("width", "disorder") and serial.attrs["seed"] == 11
    assert serial["disorder"].attrs["units"] == "t"
    # the ensemble seeding rule: stream(seed, point_key(params), realization)
    params = {"dim": 3, "boundary": "periodic", "disorder_kind": "box", "flux": 0.0,
              "spin_orbit": "none", "soc": 0.5, "hopping": 1.0, "energy": 0.0,
              "precision": 0.1, "max_slices": 1_000_000, "width": 4, "disorder": 14.0}
    direct = localization_length(Lattice(dim=3, width=4, disorder=14.0, boundary="periodic"),
                                 0.0, seed=task_rng(11, params, 0), precision=0.1,
                                 progress=False)
    assert direct.lambda_ == serial["lambda"].sel(width=4, disorder=14.0)
    # rerunning on the finished store recomputes nothing and gives the same numbers
    again = lambda_grid(executor="serial", store=tmp_path / "g.sweep", **GRID)
    assert again.identical(procs)
    # metallic side: Lambda grows with M; insulating side: it shrinks
    lam = serial["lambda"]
    assert lam.sel(width=6, disorder=14.0) > lam.sel(width=4, disorder=14.0)
    assert lam.sel(width=6, disorder=20.0) < lam.sel(width=4, disorder=20.0)
    fit = fss_fit(serial, n_r=1, m_r=1)          # the fit takes the grid as it comes
    assert 14.0 < fit.w_c < 20.0 and np.isfinite(fit.nu)
    w, m, lam_flat, err_flat = grid_arrays(serial)
    by_arrays = fss_fit(w, m, lam_flat, err_flat, n_r=1, m_r=1)
    assert by_arrays.w_c == fit.w_c and by_arrays.nu == fit.nu


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
    assert [g["lambda"] for g in doc["grid"]] == direct["lambda"].values.ravel().tolist()
    assert (tmp_path / "cli.sweep" / "results.nc").is_file()
    assert main(argv[:-1] + ["--executor", "nope", "--json"]) == 2
    assert "executor" in capsys.readouterr().err
