"""The localization demo section writes its figures and its numbers are physical."""

import numpy as np
import pytest

from weakloc.demo import run_demo


@pytest.mark.slow
def test_localization_demo_section(tmp_path):
    doc = run_demo(tmp_path, only=["localization"], progress=False)
    sec = doc["sections"]["localization"]
    for name in ("localization_chain.png", "localization_lambda_2d.png",
                 "localization_collapse_3d.png", "localization_beta.png"):
        assert name in sec["figures"]
        assert (tmp_path / name).stat().st_size > 10_000
    xw2 = np.array(sec["chain_xi_w2"])
    assert abs(xw2[0] - 105) < 6 and abs(xw2[2] - 96 * (1 - 0.36 / 4)) < 6
    assert 15.0 < sec["fss"]["w_c"] < 18.0
    assert len(sec["highlights"]) == 4
