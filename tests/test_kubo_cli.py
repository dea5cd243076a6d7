"""``weakloc kubo``, the "kubo" ensemble observable and the Kubo demo section."""

import json

import numpy as np
import pytest

from weakloc.cli import main
from weakloc.dynamics import TorusLattice
from weakloc.ensemble import make_sweep, run_sweep, task_rng
from weakloc.errors import InputError
from weakloc.kubo import kubo_conductivity
from weakloc.kubo.sweep import sweep_task


def _run(capsys, *args):
    code = main(["kubo", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_json_layout(capsys):
    code, out, err = _run(capsys, "--width", "24", "--disorder", "3", "--energy", "-1",
                          "--times", "1,4", "--tau-phi", "2", "--vectors", "2",
                          "--samples", "2", "--seed", "4", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["conductivity"]["time"] == [1.0, 4.0] and doc["conductivity"]["unit"] == "e^2/h"
    for key in ("value", "stderr"):
        assert len(doc["conductivity"][key]) == 2 and len(doc["diffusion"][key]) == 2
        assert key in doc["dephased"]
    for key in ("dos", "tau", "mean_free_path", "reliable", "reasons", "inputs", "version"):
        assert key in doc
    assert doc["inputs"]["seed"] == 4 and doc["inputs"]["symmetry"] == "orthogonal"
    # sigma = 2 pi rho D (e^2/h): the three printed numbers are consistent
    sig, d = doc["conductivity"]["value"][1], doc["diffusion"]["value"][1]
    assert sig == pytest.approx(2 * np.pi * doc["dos"]["value"] * d, rel=1e-10)


def test_cli_models_and_errors(capsys):
    code, out, _ = _run(capsys, "--width", "8", "--dim", "3", "--disorder", "2", "--energy",
                        "0.5", "--times", "1", "--vectors", "2", "--seed", "1", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["inputs"]["dim"] == 3 and doc["conductivity"]["unit"] != "e^2/h"
    code, out, err = _run(capsys, "--width", "16", "--disorder", "2", "--energy", "-1",
                          "--times", "1", "--spin-orbit", "su2", "--vectors", "1",
                          "--seed", "1", "--json")
    assert code == 0 and json.loads(out)["inputs"]["symmetry"] == "symplectic"
    for bad, msg in ((["--energy", "9"], "outside the spectrum"),
                     (["--energy", "-1", "--height", "20", "--flux", "0.01"], "square torus"),
                     (["--energy", "-1", "--times", "3,1"], "increasing")):
        args = ["--width", "16", "--disorder", "2", "--times", "1", *bad]
        code, out, err = _run(capsys, *args)
        assert code == 2 and out == "" and msg in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1


def test_sweep_is_executor_independent_and_matches_the_api(tmp_path):
    """Two executors give the same numbers bit for bit; each task equals
    kubo_conductivity on the task's stream; with same_disorder_along = flux both fields
    use the same stream (same disorder and random vectors)."""
    opts = {"width": 16, "disorder": 3.0, "energy": -1.0, "times": [1.0, 3.0],
            "vectors": 2, "tau_phi": 2.0}
    sweep = make_sweep("kubo", {"flux": [0.0, 1 / 256]}, samples=2, seed=8,
                       options=opts, same_disorder_along=["flux"])
    a = run_sweep(sweep, tmp_path / "s", executor="serial", progress=False).dataset
    b = run_sweep(sweep, tmp_path / "p", executor="processes", workers=2,
                  progress=False).dataset
    assert a.attrs["n_failed"] == 0
    for name in ("sigma_t0", "sigma_t1", "diffusion_t1", "dos", "dephased"):
        assert np.array_equal(a[name].values, b[name].values)
    # both flux points draw realization r from the same stream (flux left out of the key)
    key = {k: v for k, v in sweep.params({"flux": 0.0}).items() if k != "flux"}
    for i, flux in enumerate((0.0, 1 / 256)):
        ref = kubo_conductivity(TorusLattice(size=16, disorder=3.0, flux=flux), -1.0,
                                [1.0, 3.0], tau_phi=2.0, vectors=2, dos_moments=None,
                                progress=False, streams=[task_rng(8, key, 1)])
        got = a.isel(flux=i, realization=1)
        assert float(got["sigma_t1"]) == pytest.approx(ref.conductivity[1], rel=1e-12)
        assert float(got["dephased"]) == pytest.approx(ref.dephased["value"], rel=1e-12)


def test_sweep_task_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(InputError, match="unknown kubo parameter 'widht'"):
        sweep_task({"widht": 16, "energy": -1.0, "times": [1.0]}, rng)
    with pytest.raises(InputError, match="needs times"):
        sweep_task({"width": 16, "energy": -1.0}, rng)


def test_demo_section(tmp_path):
    from weakloc.demo import run_demo

    doc = run_demo(tmp_path, only=["kubo"], progress=False)
    sec = doc["sections"]["kubo"]
    assert (tmp_path / sec["figures"][0]).stat().st_size > 0
    assert len(sec["highlights"]) == 3


def test_magnetoconductance_contract_and_bad_input():
    """A torus only a few L_phi wide: the result says it is not to be trusted (and why);
    the differences are taken at the same disorder, so sigma(0) is reported once."""
    from weakloc.kubo import kubo_magnetoconductance

    lat = TorusLattice(size=16, disorder=3.0)
    res = kubo_magnetoconductance(lat, -1.0, 4.0, [1, 2, 3, 4], vectors=1, samples=2,
                                  seed=2)
    assert not res.reliable and any("finite-size" in r for r in res.reasons)
    assert res.quanta.tolist() == [1, 2, 3, 4] and res.dsigma.shape == (4,)
    assert np.allclose(res.flux, res.quanta / 256)
    doc = res.as_dict()
    assert doc["dsigma"]["unit"] == "e^2/h" and doc["reliable"] is False
    with pytest.raises(InputError, match="samples must be an integer >= 2"):
        kubo_magnetoconductance(lat, -1.0, 4.0, [1, 2, 3, 4], samples=1)
    with pytest.raises(InputError, match="at least 4 positive flux quanta"):
        kubo_magnetoconductance(lat, -1.0, 4.0, [1, 2, 3], samples=2)
