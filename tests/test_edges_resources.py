"""Requests too large are refused up front with the estimate; complex onsite arrays are
not silently cut to their real part."""

import json

import numpy as np
import pytest

from weakloc.cli import main
from weakloc.errors import ResourceError
from weakloc.resources import announce, check_memory, human_seconds


def _err(capsys, argv):
    code = main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1, err
    return err[0]


def test_memory_estimate_refuses_and_force_goes_ahead():
    with pytest.raises(ResourceError, match=r"needs about 1\.86 GB.*more than the 954 MB "
                                            r"available.*--force"):
        check_memory(2e9, "this", available=10**9)
    check_memory(2e9, "this", available=10**9, force=True)     # no error
    check_memory(1e8, "this", available=10**9)


def test_conductance_too_wide_is_refused_before_any_work(capsys):
    err = _err(capsys, ["conductance", "--width", "2000000", "--length", "10", "--energy",
                        "0.5", "--json"])
    assert "conductance with 2000000 sites per slice needs about" in err and "--force" in err


def test_long_runs_are_announced(capsys):
    import io

    buf = io.StringIO()
    announce(3 * 86400, "a long thing", stream=buf)
    assert "roughly 3 days" in buf.getvalue()
    announce(5, "a short thing", stream=buf)
    assert "short" not in buf.getvalue()
    assert human_seconds(90) == "90 s" and human_seconds(7.2e3 * 10) == "20 h"


def test_complex_onsite_is_refused_not_truncated(tmp_path, capsys):
    rng = np.random.default_rng(0)
    real = rng.uniform(-1, 1, (6, 4))
    f = tmp_path / "onsite.npy"
    np.save(f, real + 0.3j)
    err = _err(capsys, ["conductance", "--width", "4", "--length", "6", "--energy", "0.5",
                        "--onsite", str(f), "--json"])
    assert "complex with nonzero imaginary parts" in err
    # a complex array whose imaginary part is zero is the real array: same conductance
    np.save(f, real + 0j)
    g = tmp_path / "real.npy"
    np.save(g, real)
    outs = []
    for path in (f, g):
        assert main(["conductance", "--width", "4", "--length", "6", "--energy", "0.5",
                     "--onsite", str(path), "--json"]) == 0
        outs.append(json.loads(capsys.readouterr().out)["conductance"]["mean"])
    assert outs[0] == outs[1]
