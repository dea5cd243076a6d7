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


# --- magnetoconductance curves (models from weakloc.theory.magnetoconductance) ---------


def test_hln_shortcut_json_matches_python(capsys):
    from weakloc.theory.magnetoconductance import hln

    doc = run_json(capsys, "hln", "--alpha", "-0.5", "--l-phi", "200e-9", "--bmax", "0.5",
                   "--points", "51")
    assert doc["version"] == weakloc.__version__
    assert doc["inputs"]["params"] == {"alpha": -0.5, "l_phi": 2e-7}
    B = np.array(doc["results"]["B"]["value"])
    ds = np.array(doc["results"]["dsigma"]["value"])
    assert doc["results"]["B"]["unit"] == "T" and doc["results"]["dsigma"]["unit"] == "S"
    assert len(B) == 51 and B[0] == 0.0 and B[-1] == pytest.approx(0.5)
    assert ds[0] == pytest.approx(0.0, abs=1e-15)  # finite at B = 0 with limit 0
    assert np.allclose(ds, hln(B, -0.5, 200e-9), rtol=1e-12, atol=1e-18)
    assert np.all(ds[1:] < 0)  # alpha < 0: anti-localization, conductance falls with B


def test_magnetoconductance_csv_file(tmp_path, capsys):
    from weakloc.theory.magnetoconductance import hln

    out = tmp_path / "curve.csv"
    code = main(["theory", "magnetoconductance", "--model", "hln", "--param", "alpha=1",
                 "--param", "l-phi=300e-9", "--bmax", "0.2", "--points", "21", "--symmetric",
                 "--csv", str(out)])
    assert code == 0
    assert "wrote 21 points" in capsys.readouterr().out
    data = np.loadtxt(out, delimiter=",", skiprows=1)
    assert out.read_text().splitlines()[0] == "B_T,dsigma_S"
    assert data.shape == (21, 2)
    assert np.allclose(data[:, 0], np.linspace(-0.2, 0.2, 21))
    assert np.allclose(data[:, 1], hln(data[:, 0], 1.0, 300e-9), rtol=1e-8)
    assert np.allclose(data[:, 1], data[::-1, 1], rtol=1e-8)  # even in B


def test_magnetoconductance_csv_on_stdout(capsys):
    assert main(["theory", "hln", "--alpha", "1", "--l-phi", "1e-7", "--bmax", "0.1",
                 "--points", "5"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "B_T,dsigma_S" and len(lines) == 6


def test_list_models(capsys):
    doc = run_json(capsys, "magnetoconductance", "--list-models")
    assert doc["results"]["hln"] == ["alpha", "l_phi"]


@pytest.mark.parametrize("argv,fragment", [
    (["magnetoconductance", "--model", "nope", "--bmax", "1"], "unknown model"),
    (["magnetoconductance", "--model", "hln", "--param", "alpha=1", "--param",
      "l_phi=1e-7", "--param", "x=1", "--bmax", "1"], "no parameter 'x'"),
    (["magnetoconductance", "--model", "hln", "--param", "alpha=1", "--bmax", "1"],
     "needs --param l_phi"),
    (["magnetoconductance", "--model", "hln", "--param", "alpha", "--bmax", "1"],
     "NAME=VALUE"),
    (["magnetoconductance", "--model", "hln", "--param", "alpha=one", "--bmax", "1"],
     "not a number"),
    (["hln", "--alpha", "1", "--l-phi", "1e-7"], "--bmax"),
    (["hln", "--alpha", "1", "--l-phi", "1e-7", "--bmax=-1"], "must be positive"),
    (["hln", "--alpha", "1", "--l-phi=-1e-7", "--bmax", "1"], "l_phi"),
    (["hln", "--alpha", "1", "--l-phi", "1e-7", "--bmax", "1", "--points", "1"], "points"),
])
def test_magnetoconductance_bad_input_exit_2(capsys, argv, fragment):
    code = main(["theory", *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert fragment in err and len(err.strip().splitlines()) == 1


def test_dephasing_wire_and_extra_mechanisms(capsys):
    from weakloc.theory import electron_phonon_rate, nyquist_rate_1d

    doc = run_json(capsys, "dephasing", "--dim", "1", "--temperature", "0.1", "--r-sheet",
                   "2", "--width", "1e-7", "--diffusion", "1e-2", "--eph-prefactor", "1e8",
                   "--eph-exponent", "3", "--tau-s", "1e-9")
    r = doc["results"]
    expected = (float(nyquist_rate_1d(0.1, 1e-2, r_sheet=2.0, width=1e-7))
                + float(electron_phonon_rate(0.1, 1e8, 3)) + 2e9)
    assert r["rate_total"]["value"] == pytest.approx(expected)
    assert r["tau_phi"]["value"] == pytest.approx(1 / expected)
    assert r["l_phi"]["value"] == pytest.approx(np.sqrt(1e-2 / expected))


@pytest.mark.parametrize("argv,unit", [
    (["--model", "wire", "--param", "l_phi=1e-6", "--param", "width=1e-7"], "S m"),
    (["--model", "wire", "--param", "l_phi=1e-6", "--param", "width=1e-7",
      "--param", "length=1e-5"], "S"),
    (["--model", "kawabata", "--param", "l_phi=1e-7"], "S/m"),
    (["--model", "ilp", "--param", "l_phi=1e-6", "--param", "l_so=1e-7"], "S"),
])
def test_magnetoconductance_units_per_model(capsys, argv, unit):
    from weakloc.theory.magnetoconductance import MODELS

    doc = run_json(capsys, "magnetoconductance", *argv, "--bmax", "0.1", "--points", "3")
    assert doc["results"]["dsigma"]["unit"] == unit
    params = doc["inputs"]["params"]
    expected = MODELS[doc["inputs"]["model"]](np.array([0.0, 0.05, 0.1]), **params)
    assert np.allclose(doc["results"]["dsigma"]["value"], expected, rtol=1e-12, atol=0)
