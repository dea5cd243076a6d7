"""The coherence commands (ucf, sigma-t, ring, fit-cone): one JSON document, SI units, files
read by the shared table reader, and one-line errors with exit code 2."""

import json

import numpy as np

from weakloc.cli import main
from weakloc.theory import fluctuations as th


def _run(capsys, args):
    rc = main(args)
    out, err = capsys.readouterr()
    return rc, out, err


def _film_file(path, rng):
    from test_ucf import film_shape, gaussian_traces

    lp = 1e-6
    bc = th.ucf_correlation_field(dim=2, l_phi=lp)
    step, n = bc / 8, 240
    traces = gaussian_traces(lambda d: 4e-12 * film_shape(d, lp), step, n, 3, rng)
    B = 0.5 + step * np.arange(n)
    lines = ["gate_V\tB_mT\tG_uS"]
    for k, g in enumerate(traces):
        lines += [f"{0.5 * k}\t{b * 1e3:.9g}\t{(1e-3 + x) * 1e6:.9g}" for b, x in zip(B, g)]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_ucf_json_and_plot(tmp_path, capsys):
    f = _film_file(tmp_path / "fp.tsv", np.random.default_rng(11))
    png = tmp_path / "acf.png"
    rc, out, err = _run(capsys, ["ucf", f, "--field", "B_mT", "--field-unit", "mT",
                                 "--value", "3", "--value-unit", "uS", "--trace", "gate_V",
                                 "--plot", str(png), "--json"])
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["traces"] == 3 and doc["inputs"]["dim"] == 2
    assert doc["correlation_field"]["unit"] == "T" and doc["rms"]["unit"] == "S"
    lp = doc["l_phi"]
    assert abs(lp["value"] - 1e-6) < 4 * lp["stderr"]
    assert png.exists() and doc["version"]


def test_ucf_errors_are_one_line(tmp_path, capsys):
    f = _film_file(tmp_path / "fp.tsv", np.random.default_rng(12))
    rc, out, err = _run(capsys, ["ucf", f, "--field", "B_mT", "--value", "G_uS",
                                 "--temperature-k", "1"])
    assert rc == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "--diffusion" in err
    rc, out, err = _run(capsys, ["ucf", f, "--field", "B_T", "--value", "G_uS"])
    assert rc == 2 and "no column 'B_T'" in err
    rc, out, err = _run(capsys, ["ucf", f, "--field", "B_mT", "--value", "G_uS", "--dim", "1"])
    assert rc == 0  # the wire without width: B_c and rms, L_phi not determined
    assert "not determined" in out
