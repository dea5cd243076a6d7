"""``weakloc cbs-momentum`` and the dynamics demo section."""

import json

import numpy as np

from weakloc.cli import main

K0 = f"{2 * np.pi * 4 / 16!r},{2 * np.pi * 3 / 16!r}"


def _run(capsys, *args):
    code = main(["cbs-momentum", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_json_layout(capsys, tmp_path):
    code, out, err = _run(capsys, "--size", "16", "--disorder", "2", "--energy", "-1.2",
                          "--k0", K0, "--times", "1,3", "--samples", "3", "--seed", "4",
                          "--plot", str(tmp_path / "nk.png"), "--json")
    assert code == 0, err
    doc = json.loads(out)
    for key in ("times", "contrast", "contrast_stderr", "peak_width", "symmetry", "inputs",
                "version"):
        assert key in doc
    assert doc["times"] == [1.0, 3.0] and len(doc["contrast"]) == 2
    assert doc["symmetry"] == "orthogonal" and doc["inputs"]["seed"] == 4
    assert doc["norm_error"] < 1e-10
    assert (tmp_path / "nk.png").stat().st_size > 0


def test_cli_classes(capsys):
    code, out, _ = _run(capsys, "--size", "16", "--disorder", "2", "--energy", "-1.2",
                        "--k0", K0, "--times", "2", "--samples", "2", "--seed", "1",
                        "--spin-orbit", "su2", "--json")
    assert code == 0 and json.loads(out)["symmetry"] == "symplectic"
    code, out, _ = _run(capsys, "--size", "16", "--disorder", "2", "--energy", "-1.2",
                        "--k0", K0, "--times", "2", "--samples", "2", "--seed", "1",
                        "--flux", str(3 / 256), "--filter-width", "0", "--json")
    assert code == 0 and json.loads(out)["symmetry"] == "unitary"


def test_cli_bad_input_is_one_line(capsys):
    base = ["--size", "16", "--disorder", "2", "--times", "1", "--samples", "1"]
    for extra, word in ((["--energy", "-1", "--k0", "3.5,0.5"], "Brillouin"),
                        (["--energy", "7", "--k0", K0], "outside the band"),
                        (["--energy", "-1", "--k0", "0.3,0.5"], "multiple of 2 pi/16"),
                        (["--energy", "-1", "--k0", K0, "--flux", "0.001"], "flux"),
                        (["--energy", "-1", "--k0", "1,2,3"], "two numbers"),
                        (["--energy", "-1", "--k0", K0, "--spin-orbit", "rashba"], "su2")):
        code, out, err = _run(capsys, *base, *extra)
        assert code == 2 and out == ""
        assert len(err.strip().splitlines()) == 1 and word in err


def test_demo_section(tmp_path):
    from weakloc.demo import dynamics

    res = dynamics.run(tmp_path, 1)
    for name in res["figures"]:
        assert (tmp_path / name).stat().st_size > 0
    c = res["contrast_8tau"]
    assert c["symplectic (SU(2))"] < 0 < c["orthogonal"]


def test_k0_typed_to_four_digits_snaps_to_the_grid(capsys):
    # 2 pi 4/16 = 1.570796..., 2 pi 2/16 = 0.785398...: four digits name that grid point
    argv = ["cbs-momentum", "--size", "16", "--disorder", "2", "--energy", "-1",
            "--times", "1", "--samples", "1", "--seed", "3", "--json"]
    assert main(argv + ["--k0", "1.5708,0.7854"]) == 0
    doc = json.loads(capsys.readouterr().out)
    np.testing.assert_allclose(doc["inputs"]["k0"], [2 * np.pi * 4 / 16, 2 * np.pi * 2 / 16],
                               rtol=0, atol=1e-12)
    # far from the grid stays an error that names the nearest grid point
    assert main(argv + ["--k0", "1.60,0.7854"]) == 2
    assert "nearest" in capsys.readouterr().err
