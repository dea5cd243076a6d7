"""The coherence demo section writes its four figures and recovers what it put in."""

import pytest

from weakloc.demo import run_demo


@pytest.mark.slow
def test_coherence_demo_section(tmp_path):
    doc = run_demo(tmp_path, only=["coherence"], progress=False)
    sec = doc["sections"]["coherence"]
    for name in ("coherence_ucf.png", "coherence_cone.png", "coherence_sigma_t.png",
                 "coherence_ring.png"):
        assert name in sec["figures"]
        assert (tmp_path / name).stat().st_size > 10_000
    res = sec["results"]
    assert res["cone"]["no absorption"]["kl"]["value"] == pytest.approx(20, rel=0.15)
    lp = res["ring"]["h_over_2e"]["l_phi_1k"]
    assert abs(lp["value"] - 2e-6) < 4 * lp["stderr"]
    assert res["sigma_t"]["f_sigma"]["value"] == pytest.approx(0.4, abs=0.1)
    pol = res["cone"]["polarized"]
    assert pol["helicity preserving"]["kl"]["value"] == pytest.approx(20, rel=0.15)
    flip = pol["helicity flip"]
    assert 1 < flip["enhancement"]["value"] < 2 and flip["kl"]["fixed"]
    assert flip["inputs"]["channel"] == "cross" and flip["inputs"]["absorption"] == "none"
    assert len(sec["highlights"]) == 7
