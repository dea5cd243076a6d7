"""``weakloc fit``: JSON layout, options, and one-line errors that name the fix."""

import json

import numpy as np
import pytest

from weakloc.cli import main
from weakloc.fitting.synthetic import resistances_from_conductivity
from weakloc.seeding import stream
from weakloc.theory.magnetoconductance import hln

B = np.linspace(-0.1, 0.1, 201)


def _file(path, temps=(None,), lphi=lambda T: 300e-9, noise=0.2, scale=1.0, nan_rows=0):
    lines = ["T_K,B_T,R_ohm,Rxy_ohm"]
    for k, T in enumerate(temps):
        rxy = 500.0 * B
        rxx = resistances_from_conductivity(1 / 1000.0 + hln(B, 1.0, lphi(T)), rxy) * 2.0
        rxx = rxx + 0.03 * rxy + noise * stream(5, k).standard_normal(B.size)
        for i, (b, r, h) in enumerate(zip(B * scale, rxx, rxy)):
            r = "nan" if i < nan_rows else f"{r:.10g}"
            lines.append(f"{T if T is not None else 0},{b:.8g},{r},{h:.10g}")
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def _run(capsys, args):
    rc = main(["fit", *args])
    out, err = capsys.readouterr()
    return rc, out, err


BASE = ["--model", "hln", "--field", "B_T", "--value", "R_ohm", "--quantity", "resistance",
        "--aspect", "2", "--hall", "Rxy_ohm"]


def test_json_layout_single_curve(tmp_path, capsys):
    f = _file(tmp_path / "a.csv")
    rc, out, _ = _run(capsys, [f, *BASE, "--json"])
    assert rc == 0
    doc = json.loads(out)
    assert doc["model"] == "hln" and "version" in doc
    fit = doc["fits"][0]
    assert fit["temperature"] is None
    lp = fit["parameters"]["l_phi"]
    assert lp["value"] == pytest.approx(300e-9, abs=4 * lp["stderr"])
    # no free offset by default (issue 12): c0 only with --offset
    assert set(fit["parameters"]) == {"alpha", "l_phi"}
    assert fit["reliable"] is True and fit["reasons"] == [] and doc["reliable"] is True
    assert fit["noise_source"] == "differences" and fit["noise"] > 0
    assert set(fit["systematic"]) == {"alpha", "l_phi"}
    assert fit["parameters"]["l_phi"]["systematic"] == fit["systematic"]["l_phi"]
    assert fit["points"] == 101 and fit["reduced_chi2"] > 0
    assert fit["derived"]["b_phi"]["unit"] == "T"
    assert "dephasing" not in doc


def test_temperature_column_gives_dephasing(tmp_path, capsys):
    temps = (1.0, 2.0, 4.0, 8.0)
    f = _file(tmp_path / "s.csv", temps, lphi=lambda T: 400e-9 * T**-0.5, noise=0.05)
    plot = tmp_path / "fit.png"
    rc, out, _ = _run(capsys, [f, *BASE, "--temperature", "T_K", "--share", "alpha", "--json",
                               "--plot", str(plot)])
    assert rc == 0
    doc = json.loads(out)
    assert [x["temperature"] for x in doc["fits"]] == list(temps)
    d = doc["dephasing"]
    assert d["p"] == pytest.approx(1.0, abs=4 * d["p_stderr"])
    assert "electron-electron" in d["hint"]
    assert plot.exists() and (tmp_path / "fit_lphi.png").exists()


def test_files_with_temperatures_and_text_output(tmp_path, capsys):
    fs = [_file(tmp_path / f"t{T}.csv", (None,), lphi=lambda _, T=T: 400e-9 * T**-0.5)
          for T in (1.0, 2.0, 4.0)]
    rc, out, _ = _run(capsys, [*fs, *BASE, "--temperatures", "1,2,4", "--background",
                               "--fix", "alpha=1"])
    assert rc == 0
    assert "T = 4 K" in out and "alpha = 1 (fixed)" in out and "p = " in out


@pytest.mark.parametrize("args,message", [
    (["--value", "Rxx"], "no column 'Rxx'; available columns: T_K, B_T, R_ohm, Rxy_ohm"),
    (["--bmax", "0.002"], "only 3 points for 2 free parameters"),
    (["--fix", "l_so=1e-7"], "cannot fix 'l_so'"),
    (["--fix", "alpha=one"], "is not a number"),
    (["--max-nfev", "3"], "did not converge"),
    (["--temperatures", "1,2"], "one per file"),
])
def test_bad_input_one_line(tmp_path, capsys, args, message):
    f = _file(tmp_path / "a.csv")
    rc, out, err = _run(capsys, [f, *BASE, *args])
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and message in err
    assert "Traceback" not in err


def test_all_nan_values(tmp_path, capsys):
    f = _file(tmp_path / "a.csv", nan_rows=B.size)
    rc, _, err = _run(capsys, [f, *BASE])
    assert rc == 2 and "no row with finite field and value" in err


def test_field_unit_that_cannot_be_right_warns(tmp_path, capsys):
    # fields written in Oe but read as T
    f = _file(tmp_path / "a.csv", scale=1e4)
    rc, out, err = _run(capsys, [f, *BASE, "--json"])
    assert rc == 0
    doc = json.loads(out)
    assert any("is the unit right" in w for w in doc["warnings"])
    assert any("implausible" in w for w in doc["warnings"])  # the fitted l_phi, too
    rc, out, err = _run(capsys, [f, *BASE, "--field-unit", "Oe", "--json"])
    lp = json.loads(out)["fits"][0]["parameters"]["l_phi"]
    assert lp["value"] == pytest.approx(300e-9, abs=4 * lp["stderr"])
    assert not any("unit" in w or "implausible" in w for w in json.loads(out)["warnings"])
