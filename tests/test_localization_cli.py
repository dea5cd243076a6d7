"""``weakloc localization`` and ``weakloc scaling`` from the shell (in-process main)."""

import json

import numpy as np
import pytest

from weakloc.cli import main


def _run(capsys, argv):
    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


def test_localization_json_layout_and_unreached_precision(capsys):
    rc, out, err = _run(capsys, ["localization", "--dim", "3", "--width", "4", "--disorder",
                                 "16.5", "--energy", "0", "--precision", "0.05", "--seed", "3",
                                 "--json"])
    assert rc == 0
    doc = json.loads(out)
    for key in ("lambda", "lambda_stderr", "xi", "slices", "symmetry", "inputs", "version"):
        assert key in doc
    assert doc["symmetry"] == "orthogonal" and doc["seed"] == 3
    assert doc["inputs"]["lattice"]["boundary"] == "periodic"  # the CLI default
    assert np.isclose(doc["lambda"], doc["xi"] / 4)
    assert doc["converged"] and doc["precision_reached"] <= 0.05
    rc, out, err = _run(capsys, ["localization", "--width", "8", "--disorder", "2",
                                 "--energy", "0.3", "--precision", "1e-4", "--max-slices",
                                 "3000", "--json"])
    assert rc == 0
    doc = json.loads(out)
    assert doc["converged"] is False and doc["precision_reached"] > 1e-4
    assert "not reached" in err and "--max-slices" in err


@pytest.mark.parametrize("argv, msg", [
    (["--width", "2", "--disorder", "1", "--energy", "0"], "use --boundary hard"),
    (["--width", "4", "--disorder", "-1", "--energy", "0"], "disorder must be non-negative"),
    (["--width", "4", "--disorder", "1", "--energy", "0", "--precision", "2"],
     "precision must lie in"),
    (["--width", "4", "--disorder", "1", "--energy", "0", "--spin-orbit", "rashba"],
     "spin_orbit must be one of"),
])
def test_localization_bad_input_is_one_line(capsys, argv, msg):
    rc, out, err = _run(capsys, ["localization", *argv])
    assert rc == 2 and out == ""
    assert msg in err and len(err.strip().splitlines()) == 1


def test_scaling_reads_a_csv_grid_and_writes_the_collapse(capsys, tmp_path):
    from weakloc.finitesize import scaling_model

    rng = np.random.default_rng(2)
    w = np.repeat(np.linspace(15.5, 17.5, 9), 4)
    m = np.tile([4.0, 6.0, 8.0, 10.0], 9)
    lam = np.exp(scaling_model([16.5, 1.6, np.log(0.58), -0.05, 0.001], w, m, n_r=2)
                 + 0.004 * rng.standard_normal(w.size))
    path = tmp_path / "grid.csv"
    lines = ["disorder,width,lambda,lambda_stderr"]
    lines += [f"{a},{b},{c},{0.004 * c}" for a, b, c in zip(w, m, lam)]
    path.write_text("\n".join(lines))
    fig = tmp_path / "collapse.png"
    rc, out, _ = _run(capsys, ["scaling", "--input", str(path), "--n-r", "2", "--figure",
                               str(fig), "--json"])
    assert rc == 0
    doc = json.loads(out)
    assert doc["w_c_ci"][0] < 16.5 < doc["w_c_ci"][1]
    assert doc["nu_ci"][0] < 1.6 < doc["nu_ci"][1]
    assert {"w_c", "nu", "lambda_c"} <= set(doc) and fig.stat().st_size > 1000
    # the JSON it writes can be read back as a grid
    again = tmp_path / "out.json"
    path.with_suffix(".json").write_text(json.dumps({"grid": doc["grid"]}))
    rc, out, _ = _run(capsys, ["scaling", "--input", str(path.with_suffix(".json")),
                               "--n-r", "2", "--figure", "none", "--output", str(again),
                               "--json"])
    assert rc == 0 and json.loads(out)["w_c"] == pytest.approx(doc["w_c"])
    assert json.loads(again.read_text())["points"] == w.size


def test_scaling_runs_a_small_grid(capsys, tmp_path):
    rc, out, _ = _run(capsys, ["scaling", "--dim", "3", "--widths", "4", "6", "--disorders",
                               "14", "16", "18", "20", "--precision", "0.05", "--seed", "1",
                               "--n-r", "1", "--figure", str(tmp_path / "c.png"), "--json"])
    assert rc == 0
    doc = json.loads(out)
    assert doc["points"] == 8 and all(g["seed"] == 1 for g in doc["grid"])
    assert 14 < doc["w_c"] < 20  # Lambda grows with M below W_c and shrinks above


def test_scaling_bad_input(capsys, tmp_path):
    rc, _, err = _run(capsys, ["scaling"])
    assert rc == 2 and "--input FILE, or both --widths and --disorders" in err
    bad = tmp_path / "g.csv"
    bad.write_text("W,M,lam\n1,2,3\n")
    rc, _, err = _run(capsys, ["scaling", "--input", str(bad)])
    assert rc == 2 and "lacks 'lambda'" in err
    rc, _, err = _run(capsys, ["scaling", "--input", str(tmp_path / "missing.csv")])
    assert rc == 2 and "no such file" in err
