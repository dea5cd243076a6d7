"""Units, seeding, JSON output and the CLI frame."""

import importlib
import json
import pkgutil

import numpy as np
import pytest

import weakloc
from weakloc import units
from weakloc.cli import main
from weakloc.errors import InputError
from weakloc.seeding import as_generator, stream


def test_conductance_quanta():
    # REFERENCE.md: G0 = e^2/(pi h) = 1.233147e-5 S
    assert units.G0 == pytest.approx(1.233147e-5, rel=1e-6)
    assert units.E2_OVER_H / units.G0 == pytest.approx(np.pi)
    assert units.G0 == pytest.approx(units.E_CHARGE**2 / (2 * np.pi**2 * units.HBAR))


def test_field_units_and_characteristic_field_roundtrip():
    assert units.field_to_tesla([1.0], "kOe")[0] == pytest.approx(0.1)
    assert units.field_to_tesla(250.0, "mT") == pytest.approx(0.25)
    lengths = np.array([10e-9, 100e-9, 1e-6])
    assert np.allclose(units.field_to_length(units.length_to_field(lengths)), lengths)
    # B_phi for L_phi = 100 nm: hbar/(4 e L^2) = 16.46 mT
    assert units.length_to_field(100e-9) == pytest.approx(0.016456, rel=1e-3)
    with pytest.raises(InputError, match="field unit"):
        units.field_to_tesla(1.0, "gauss")


def test_streams_reproducible_and_independent():
    a = stream(7, 3).standard_normal(1000)
    b = stream(7, 3).standard_normal(1000)
    c = stream(7, 4).standard_normal(1000)
    assert np.array_equal(a, b)
    # independent streams: sample correlation consistent with zero (|r| < 4/sqrt(n))
    assert abs(np.corrcoef(a, c)[0, 1]) < 4 / np.sqrt(1000)
    g = as_generator(5)
    assert as_generator(g) is g
    with pytest.raises(InputError):
        stream(-1, 0)


def test_every_all_is_importable():
    names = []
    for info in pkgutil.walk_packages(weakloc.__path__, "weakloc."):
        if info.name.endswith("__main__"):
            continue
        mod = importlib.import_module(info.name)
        for name in getattr(mod, "__all__", []):
            assert hasattr(mod, name), f"{info.name}.__all__ lists missing {name}"
            names.append(name)
    assert "InputError" in names


def test_cli_unknown_option_is_one_line_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--no-such-option"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "unrecognized" in err


def test_cli_unknown_demo_section(capsys, tmp_path):
    code = main(["demo", "--output", str(tmp_path), "--only", "nonsense", "--json"])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "unknown demo section" in err


def test_dump_json_is_strict():
    from weakloc.io import dump_json

    doc = json.loads(dump_json({"x": np.float64(np.nan), "a": np.arange(3)}))
    assert doc["x"] is None and doc["a"] == [0, 1, 2] and doc["version"] == weakloc.__version__


def test_cli_reads_negative_scientific_numbers(capsys):
    # `--alpha -5e-1` is a value, not an option; the curve equals the one for -0.5
    argv = ["theory", "hln", "--l-phi", "2e-7", "--bmax", "0.5", "--json"]
    assert main(argv + ["--alpha", "-5e-1"]) == 0
    sci = json.loads(capsys.readouterr().out)
    assert main(argv + ["--alpha", "-0.5"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert sci["inputs"]["params"]["alpha"] == -0.5
    assert sci["results"] == plain["results"]
