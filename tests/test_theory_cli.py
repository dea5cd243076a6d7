"""``weakloc theory``: JSON documents, CSV curves and one-line errors with exit code 2."""

import json

import numpy as np
import pytest

import weakloc
from weakloc.cli import main
from weakloc.theory import nyquist_rate_2d, wl_correction
from weakloc.units import G0


def run_json(capsys, *argv):
    code = main(["theory", *argv, "--json"])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)


def test_wl_correction_json(capsys):
    doc = run_json(capsys, "wl-correction", "--dim", "2", "--tau", "1e-13",
                   "--tau-phi", "1e-11", "--symmetry", "symplectic")
    assert doc["version"] == weakloc.__version__
    assert doc["inputs"]["tau_phi_s"] == 1e-11
    assert doc["inputs"]["symmetry"] == "symplectic"
    res = doc["results"]["delta_sigma"]
    assert res["unit"] == "S"
    assert res["value"] == pytest.approx(float(wl_correction(2, 1e-13, 1e-11,
                                                             symmetry="symplectic")))
    # +1/2 ln(100) in units of G0 = e^2/(pi h)
    assert doc["results"]["delta_sigma_in_G0"]["value"] == pytest.approx(0.5 * np.log(100))
    assert res["value"] / G0 == pytest.approx(0.5 * np.log(100))


def test_wl_correction_1d_units_and_l_phi(capsys):
    doc = run_json(capsys, "wl-correction", "--dim", "1", "--tau", "1e-13",
                   "--tau-phi", "1e-10", "--diffusion", "1e-2")
    assert doc["results"]["delta_sigma"]["unit"] == "S m"
    assert doc["results"]["l_phi"]["value"] == pytest.approx(1e-6)


def test_dephasing_json_reference_value(capsys):
    doc = run_json(capsys, "dephasing", "--r-sheet", "1000", "--temperature", "4",
                   "--diffusion", "1e-2")
    assert doc["inputs"]["r_sheet_ohm"] == 1000.0
    assert doc["results"]["tau_phi"]["value"] == pytest.approx(19.27e-12, abs=0.005e-12)
    assert doc["results"]["rate_total"]["value"] == pytest.approx(
        float(nyquist_rate_2d(4.0, 1000.0)))
    assert doc["results"]["b_phi"]["unit"] == "T"


def test_return_probability_and_beta_json(capsys):
    doc = run_json(capsys, "return-probability", "--dim", "2", "--diffusion", "1e-2",
                   "--time", "1e-12", "--tau", "1e-13", "--tau-phi", "1e-11")
    assert doc["results"]["return_probability"]["value"][0] == pytest.approx(
        1 / (4 * np.pi * 1e-2 * 1e-12))
    assert doc["results"]["integrated"]["value"] == pytest.approx(
        np.log(100) / (4 * np.pi * 1e-2))
    doc = run_json(capsys, "beta", "--g", "5", "--dim", "3")
    assert doc["results"]["beta"]["value"] == pytest.approx(1 - 2 / (5 * np.pi))


def test_text_output(capsys):
    assert main(["theory", "diffusion", "--v-fermi", "1e6", "--tau", "1e-14",
                 "--dim", "3"]) == 0
    out = capsys.readouterr().out
    assert "mean_free_path" in out and "1e-08" in out


@pytest.mark.parametrize("argv,fragment", [
    (["wl-correction", "--dim", "4", "--tau", "1e-13", "--tau-phi", "1e-11"], "dimension"),
    (["wl-correction", "--dim", "2", "--tau=-1e-13", "--tau-phi", "1e-11"], "positive"),
    (["wl-correction", "--dim", "2", "--tau", "nan", "--tau-phi", "1e-11"], "NaN"),
    (["wl-correction", "--dim", "1", "--tau", "1e-13", "--tau-phi", "1e-11"], "diffusion"),
    (["wl-correction", "--dim", "2", "--tau", "1e-13", "--tau-phi", "1e-11",
      "--symmetry", "chiral"], "symmetry"),
    (["dephasing", "--temperature", "1"], "--r-sheet"),
    (["dephasing", "--temperature", "1", "--r-sheet", "5e4"], "12.9 kOhm"),
    (["return-probability", "--dim", "2", "--diffusion", "1e-2"], "nothing to compute"),
    (["wl-correction", "--dim", "2"], "required"),
    ([], "subcommand"),
])
def test_bad_input_is_one_line_exit_2(capsys, argv, fragment):
    try:
        code = main(["theory", *argv])
    except SystemExit as exc:  # argparse usage errors exit from inside the parser
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_argparse_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["theory", "wl-correction", "--dim", "two"])
    assert exc.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
