"""``weakloc randomwalk`` and ``weakloc cbs``: JSON layout, seeds, one-line errors."""

import json

import pytest

import weakloc
from weakloc.cli import main


def run_json(capsys, *argv):
    code = main([*argv, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def test_randomwalk_json_layout(capsys):
    doc = run_json(capsys, "randomwalk", "--dim", "2", "--walkers", "4000", "--g", "0.3",
                   "--seed", "4")
    assert doc["version"] == weakloc.__version__ and doc["seed"] == 4
    dif = doc["diffusion"]
    D = 1e10 * 1e-13 / (2 * 0.7)
    assert dif["theory"] == pytest.approx(D)
    for key in ("green_kubo", "msd"):
        assert abs(dif[key] - D) < 4 * dif["stderr"][key]
    rp = doc["return_probability"]
    assert rp["theory"] == -1.0
    assert abs(rp["exponent"] + 1.0) < 4 * rp["exponent_stderr"] + 0.02
    again = run_json(capsys, "randomwalk", "--dim", "2", "--walkers", "4000", "--g", "0.3",
                     "--seed", "4")
    assert again["diffusion"] == doc["diffusion"]


def test_randomwalk_lattice_json(capsys):
    doc = run_json(capsys, "randomwalk", "--dim", "3", "--lattice", "--walkers", "3000",
                   "--steps", "500", "--seed", "2")
    lat = doc["lattice"]
    assert lat["theory_limit"] == pytest.approx(0.3405, abs=1e-4)
    assert abs(lat["extrapolated"] - 0.3405) < 4 * lat["extrapolated_stderr"]
    assert len(lat["steps"]) == len(lat["returned"]) == len(lat["exact"])


def test_cbs_json_layout_and_plot(capsys, tmp_path):
    png = tmp_path / "cone.png"
    doc = run_json(capsys, "cbs", "--kl", "15", "--photons", "1500", "--max-orders", "300",
                   "--seed", "9", "--plot", str(png))
    assert png.stat().st_size > 1000
    assert doc["enhancement"]["without_single"] == pytest.approx(2.0)
    assert 1.8 < doc["enhancement"]["with_single"] < 1.9
    n = len(doc["angles_rad"])
    assert all(len(doc[k]) == n for k in ("ladder", "crossed", "single", "awm"))
    assert doc["fwhm_rad"] > 0 and doc["seed"] == 9
    out = tmp_path / "cbs.json"
    doc = run_json(capsys, "cbs", "--kl", "15", "--photons", "500", "--max-orders", "300",
                   "--slab", "3", "--incidence", "20", "--angles", "-0.05", "0", "0.05",
                   "--output", str(out))
    assert doc["angles_rad"] == [-0.05, 0.0, 0.05]
    saved = json.loads(out.read_text())
    assert saved["version"] == weakloc.__version__ and saved["crossed"] == doc["crossed"]
    assert doc["fractions"]["transmitted"] > 0


@pytest.mark.parametrize("argv, words", [
    (["randomwalk", "--dim", "4"], "dimension"),
    (["randomwalk", "--dim", "2", "--tau", "0"], "tau must be positive"),
    (["randomwalk", "--dim", "2", "--speed", "-3"], "speed must be positive"),
    (["randomwalk", "--dim", "2", "--g", "1"], "|g| < 1"),
    (["randomwalk", "--dim", "2", "--time", "-1"], "time must be positive"),
    (["cbs", "--kl", "0"], "kl must be positive"),
    (["cbs", "--g", "-1"], "|g| < 1"),
    (["cbs", "--slab", "0"], "--slab"),
    (["cbs", "--plot", "x.xyz"], "unknown figure format"),
])
def test_bad_input_one_line_exit_2(capsys, argv, words):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err
