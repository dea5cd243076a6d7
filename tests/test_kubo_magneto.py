"""The Kubo magnetoconductance at several tau_phi from one set of sigma(t; B) curves."""

import numpy as np
import pytest

from weakloc.dynamics import TorusLattice
from weakloc.errors import InputError
from weakloc.kubo import kubo_magnetoconductance, magnetoconductance_from_curves


def test_reweighted_magnetoconductance_equals_a_direct_run_at_that_tau_phi():
    """The evolution does not depend on tau_phi, only the weight exp(-t/tau_phi) does: the
    curves of a run at tau_phi = 8 (kept to t = 40), reweighted to tau_phi = 4, give the
    dsigma(B), sigma(0) and D(tau_phi) of a run made at tau_phi = 4 on the same seed, up to
    the linear interpolation between the two runs' time grids, far below the noise.
    Reweighting to tau_phi = 10 (the curves end at 4 tau_phi) is flagged."""
    lat = TorusLattice(size=32, disorder=4.0)
    kw = dict(vectors=1, samples=3, seed=1, filter_width=0.3)
    long = kubo_magnetoconductance(lat, -1.0, 8.0, [1, 2, 3, 4], t_max=40.0, **kw)
    direct = kubo_magnetoconductance(lat, -1.0, 4.0, [1, 2, 3, 4], **kw)
    again = long.at_tau_phi(4.0)
    assert again.tau_phi == 4.0 and direct.grid[-1] == pytest.approx(32.0)
    assert np.abs(again.dsigma - direct.dsigma).max() < 0.02 * direct.dsigma_stderr.min()
    assert again.sigma0 == pytest.approx(direct.sigma0, abs=1e-4)
    assert again.dephased_diffusion == pytest.approx(direct.dephased_diffusion, abs=1e-4)
    assert again.l_phi_expected == pytest.approx(np.sqrt(direct.drude_diffusion * 4.0))
    # the dephased D carries the (negative) interference correction of times up to tau_phi
    assert direct.dephased_diffusion < direct.drude_diffusion
    assert not any("frozen tail" in r for r in again.reasons)
    assert any("frozen tail" in r for r in long.at_tau_phi(10.0).reasons)
    # the fixed-alpha fit is there, and its alpha is the one asked for
    assert again.alpha_fixed == 0.5 and np.isfinite(again.l_phi_fixed_alpha)
    doc = again.as_dict()
    assert np.shape(doc["curves"]["value"]) == (3, 5, long.grid.size)


def test_curves_of_the_wrong_shape_are_refused():
    grid = np.arange(1.0, 11.0)
    curves = np.ones((3, 5, 10))
    with pytest.raises(InputError, match="curves must have shape"):
        magnetoconductance_from_curves(grid, curves[:, :4], [0, 1, 2, 3, 4], 2.0,
                                       drude_diffusion=2.0, dos=0.1, cells=256)
    with pytest.raises(InputError, match="quanta must be 0"):
        magnetoconductance_from_curves(grid, curves, [1, 2, 3, 4, 5], 2.0,
                                       drude_diffusion=2.0, dos=0.1, cells=256)
