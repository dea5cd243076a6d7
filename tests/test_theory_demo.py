"""The theory demo section writes its figures and reports the reference numbers."""

import json

import pytest

from weakloc.demo import run_demo


def test_theory_demo_section(tmp_path):
    doc = run_demo(tmp_path, only=["theory"], progress=False)
    sec = doc["sections"]["theory"]
    for name in ("theory_return_probability.png", "theory_wl_correction.png",
                 "theory_hln.png"):
        assert name in sec["figures"]
        assert (tmp_path / name).stat().st_size > 10_000
    assert sec["aak_tau_phi_1K_s"] == pytest.approx(77.09e-12, abs=0.005e-12)
    assert json.loads((tmp_path / "summary.json").read_text())["sections"]["theory"]
