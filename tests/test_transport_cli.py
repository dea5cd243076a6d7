"""``weakloc conductance``: the JSON layout, flux sweeps on one disorder, one-line errors."""

import json
import re

import numpy as np
import pytest

import weakloc
from weakloc.cli import main
from weakloc.cli.conductance import parse_fluxes
from weakloc.errors import InputError
from weakloc.lattice import Lattice
from weakloc.seeding import stream
from weakloc.transport.landauer import conductance


def run_json(capsys, *argv):
    code = main(["conductance", *argv, "--json"])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)


def test_json_layout_and_values_match_the_api(capsys):
    doc = run_json(capsys, "--width", "6", "--length", "10", "--disorder", "2",
                   "--energy", "0.3", "--samples", "3", "--seed", "11")
    c = doc["conductance"]
    assert set(c) >= {"mean", "std", "stderr", "samples", "unit", "values"}
    assert c["unit"] == "e2_over_h" and c["samples"] == 3 and len(c["values"]) == 3
    assert doc["symmetry"] == "orthogonal" and doc["version"] == weakloc.__version__
    assert doc["inputs"]["seed"] == 11 and doc["inputs"]["boundary"] == "hard"
    lat = Lattice(width=6, length=10, disorder=2.0)
    expect = [conductance(lat.realize(stream(11, i)), 0.3) for i in range(3)]
    assert np.allclose(c["values"], expect, atol=1e-12)
    assert c["mean"] == pytest.approx(np.mean(expect))
    assert c["std"] == pytest.approx(np.std(expect, ddof=1))


def test_flux_sweep_same_disorder_and_onsager(capsys):
    doc = run_json(capsys, "--width", "6", "--length", "10", "--disorder", "2",
                   "--energy", "0.3", "--samples", "2", "--seed", "3",
                   "--flux=-0.05:0.05:5", "--spin-orbit", "su2")
    c = doc["conductance"]
    assert doc["symmetry"] == "symplectic"   # the class at zero field, which the sweep probes
    assert np.allclose(c["flux"], np.linspace(-0.05, 0.05, 5))
    v = np.array(c["values"])
    assert v.shape == (2, 5)
    assert np.allclose(v, v[:, ::-1], atol=1e-10)   # g(phi) = g(-phi), same realization


def test_clean_strip_and_onsite_file(capsys, tmp_path):
    doc = run_json(capsys, "--dim", "3", "--width", "3", "--height", "2", "--length", "4",
                   "--energy", "0.5")
    assert doc["conductance"]["values"] == [pytest.approx(doc["open_channels"])]
    onsite = np.random.default_rng(0).uniform(-1, 1, size=(5, 4))
    path = tmp_path / "v.npy"
    np.save(path, onsite)
    doc = run_json(capsys, "--width", "4", "--length", "5", "--energy", "0.2",
                   "--onsite", str(path))
    ref = conductance(Lattice(width=4, length=5).realize(onsite=onsite), 0.2)
    assert doc["conductance"]["values"][0] == pytest.approx(ref, abs=1e-12)


def test_parse_fluxes():
    assert parse_fluxes(["0.1"]) == [0.1]
    assert np.allclose(parse_fluxes(["0:0.1:3", "0.5"]), [0, 0.05, 0.1, 0.5])
    assert np.allclose(parse_fluxes(["-0.1:0.1:3,1"]), [-0.1, 0, 0.1, 1])
    with pytest.raises(InputError, match="START:STOP:N"):
        parse_fluxes(["1:2"])


@pytest.mark.parametrize("argv, message", [
    (["--width", "0", "--length", "3", "--energy", "0.1"], "width must be an integer >= 1"),
    (["--width", "3", "--length", "0", "--energy", "0.1"], "length must be an integer >= 1"),
    (["--width", "3", "--length", "3", "--energy", "0.1", "--disorder", "-1"],
     "disorder must be non-negative"),
    (["--width", "4", "--length", "3", "--energy", "5"], "no open channel.*band is"),
    (["--width", "3", "--length", "3", "--energy", "0.1", "--samples", "0"],
     "samples must be an integer >= 1"),
    (["--width", "20000", "--length", "3", "--energy", "0.1", "--spin-orbit", "su2"],
     "GiB but only"),
])
def test_bad_input_is_one_line_exit_2(capsys, argv, message):
    assert main(["conductance", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("weakloc conductance: error:")
    assert re.search(message, err), err


def test_bad_onsite_files(capsys, tmp_path):
    bad = tmp_path / "bad.npy"
    np.save(bad, np.zeros((3, 4)))
    nan = tmp_path / "nan.npy"
    np.save(nan, np.full((4, 3), np.nan))
    cases = ((bad, "expected (4, 3)"), (nan, "NaN"), (tmp_path / "no.npy", "no such file"))
    for path, message in cases:
        assert main(["conductance", "--width", "3", "--length", "4", "--energy", "0.1",
                     "--onsite", str(path)]) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1, err


def test_energy_range_is_one_sweep_equal_to_single_energies(capsys):
    doc = run_json(capsys, "--dim", "3", "--width", "3", "--height", "4", "--length", "5",
                   "--disorder", "2", "--energy=-1.5:0.5:5", "--samples", "2", "--seed", "7",
                   "--flux", "0", "0.05")
    c = doc["conductance"]
    assert np.allclose(c["energy"], np.linspace(-1.5, 0.5, 5))
    v = np.array(c["values"])
    assert v.shape == (2, 5, 2) and np.array(c["mean"]).shape == (5, 2)
    lat = Lattice(dim=3, width=3, height=4, length=5, disorder=2.0)
    for i in range(2):
        real = lat.realize(stream(7, i))
        for j, e in enumerate(c["energy"]):
            assert v[i, j, 0] == conductance(real, e)   # bit for bit
            assert v[i, j, 1] == conductance(real.with_flux(0.05), e)
    assert len(doc["open_channels"]) == 5
    assert doc["inputs"]["energy"] == c["energy"]


def test_energy_range_errors_are_one_line(capsys):
    assert main(["conductance", "--width", "3", "--length", "3", "--energy", "1:2"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and re.search("--energy range .*START:STOP:N", err)
    assert main(["conductance", "--width", "3", "--length", "3", "--energy=-1:4.5:3"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no open channel" in err
