"""The "cbs-momentum" observable through the ensemble layer agrees with cbs_momentum.

32 x 32 torus, W = 2.5, k0 = 2 pi (8, 5)/32, a bare plane wave (quench), times 2 and 6
hbar/t (about 1 and 3 Born times), a flux axis (0 and 1/32 h/e per plaquette).
"""

import numpy as np
import pytest

from weakloc.dynamics import TorusLattice, cbs_momentum
from weakloc.dynamics.sweep import sweep_contrast, sweep_task
from weakloc.ensemble import make_sweep, run_sweep, task_rng
from weakloc.errors import InputError

N, W = 32, 2.5
K0 = [2 * np.pi * 8 / N, 2 * np.pi * 5 / N]
TIMES = [2.0, 6.0]
R, SEED = 4, 77
OUTS = ["peak_t0", "peak_t1", "background_t0", "background_t1", "contrast_t0",
        "contrast_t1", "anisotropy_t0", "norm_error"]


def _sweep():
    return make_sweep("cbs-momentum", {"flux": [0.0, 1.0 / N]}, samples=R, seed=SEED,
                      options={"size": N, "disorder": W, "k0": K0, "times": TIMES,
                               "background": "mirror"})


def test_sweep_is_executor_independent_and_matches_cbs_momentum(tmp_path):
    sweep = _sweep()
    a = run_sweep(sweep, tmp_path / "s", executor="serial", progress=False).dataset
    b = run_sweep(sweep, tmp_path / "p", executor="processes", workers=2,
                  progress=False).dataset
    assert a.attrs["n_failed"] == 0 and b.attrs["n_computed"] == 2 * R
    for name in OUTS:                                    # per realization, bit for bit
        assert np.array_equal(a[name].values, b[name].values)
    contrast, err = sweep_contrast(a)
    assert contrast.shape == (2, len(TIMES)) and np.all(np.isfinite(err))
    for i, flux in enumerate(sweep.grid["flux"]):
        params = sweep.params({"flux": flux})
        # cbs_momentum on the sweep's own streams (stream(seed, point_key(params), r))
        ref = cbs_momentum(TorusLattice(size=N, disorder=W, flux=flux), K0, TIMES,
                           streams=[task_rng(SEED, params, r) for r in range(R)],
                           background="mirror", progress=False)
        assert np.allclose(contrast[i], ref.contrast, rtol=1e-12, atol=1e-14)
        assert np.allclose(err[i], ref.contrast_stderr, rtol=1e-10)
        assert np.allclose(a["peak_t1__mean"].values[i], ref.peak_weight[1], rtol=1e-12)
        assert np.allclose(a["norm_error"].values[i], 0.0, atol=1e-9)
        # a single realization: the task's contrast is peak/background - 1
        one = a.isel(flux=i, realization=0)
        assert np.isclose(float(one["contrast_t1"]),
                          float(one["peak_t1"]) / float(one["background_t1"]) - 1.0)


def test_cbs_momentum_sweep_task_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(InputError, match="unknown cbs-momentum parameter 'sizes'"):
        sweep_task({"sizes": 16, "k0": K0, "times": [1.0]}, rng)
    with pytest.raises(InputError, match="needs times"):
        sweep_task({"size": 16, "k0": K0}, rng)
    with pytest.raises(InputError, match="launch momentum"):
        sweep_task({"size": 16, "times": [1.0]}, rng)
