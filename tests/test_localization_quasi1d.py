"""Transfer matrices against the conductance engine: <ln g> = -2L/xi, xi = (beta N + 2 - beta) l."""

import numpy as np
import pytest

from weakloc.lattice import Lattice
from weakloc.theory.quasi1d import drude_mean_free_path, quasi1d_localization_length
from weakloc.transport.landauer import conductance_ensemble
from weakloc.transport.transfer import localization_length


@pytest.mark.slow
def test_typical_conductance_decays_as_minus_two_L_over_xi():
    lat, energy = Lattice(dim=2, width=4, disorder=3.0), 0.3
    res = localization_length(lat, energy, seed=1, precision=0.005)
    lengths = np.array([40, 80, 120])
    mean, err = [], []
    for i, L in enumerate(lengths):
        g = conductance_ensemble(lat.with_(length=int(L)), energy, samples=150, seed=50 + i,
                                 method="caroli", workers=1).values
        mean.append(np.log(g).mean())
        err.append(np.log(g).std(ddof=1) / np.sqrt(g.size))
    wgt = 1 / np.array(err) ** 2
    a = np.vstack([np.ones(3), lengths]).T
    cov = np.linalg.inv(a.T @ (a * wgt[:, None]))
    slope = (cov @ (a.T @ (wgt * np.array(mean))))[1]
    sigma = np.hypot(np.sqrt(cov[1, 1]), 2 * res.xi_stderr / res.xi**2)
    assert sigma < 0.1 * abs(slope)  # the comparison resolves the slope
    assert abs(slope + 2 / res.xi) < 4 * sigma


def _drude(lat, energy, seed):
    lengths = np.array([16, 32, 48])
    means, errs = [], []
    for i, L in enumerate(lengths):
        r = conductance_ensemble(lat.with_(length=int(L)), energy, samples=80, seed=seed + i,
                                 workers=1)
        means.append(r.mean)
        errs.append(r.stderr)
    return drude_mean_free_path(lengths, means, errs, r.open_channels), r.open_channels


@pytest.mark.slow
def test_quasi1d_localization_length_scales_with_beta_n_plus_2_minus_beta():
    # strip of width 8 at E = 0.5: N = 6 orbital channels. l is measured on the unitary
    # (field) version of each model, which has no weak-localization correction to <g>.
    m, energy, w, phi = 8, 0.5, 2.0, 0.01
    orth = Lattice(width=m, disorder=w)
    su2 = Lattice(width=m, disorder=w, spin_orbit="su2")
    (l_o, l_o_err), n = _drude(orth.with_(flux=phi), energy, 10)
    (l_s, l_s_err), n_spin = _drude(su2.with_(flux=phi), energy, 20)
    assert n == 6 and n_spin == 12
    xi = {key: localization_length(lat, energy, seed=3, precision=p)
          for key, lat, p in (("O", orth, 0.015), ("U", orth.with_(flux=phi), 0.015),
                              ("S", su2, 0.02))}
    theory = {"O": quasi1d_localization_length(1, n, l_o),
              "U": quasi1d_localization_length(2, n, l_o),
              "S": quasi1d_localization_length(4, n, l_s)}
    rel_l = {"O": l_o_err / l_o, "U": l_o_err / l_o, "S": l_s_err / l_s}
    ratio = {k: xi[k].xi / float(theory[k]) for k in xi}
    sig = {k: np.hypot(rel_l[k], xi[k].precision_reached) for k in xi}
    # each class within its statistical error plus a 10% allowance for the O(1/N) terms;
    # a wrong Dyson index would miss by a factor 2N/(N+1) = 1.7 or more
    for k in ratio:
        assert abs(ratio[k] - 1) < 0.10 + 3 * sig[k], (k, ratio[k], sig[k])
    # the real test: ratios between classes at equal N (and l measured)
    assert abs(ratio["U"] / ratio["O"] - 1) < 0.08 + 3 * xi["U"].precision_reached * 2
    assert abs(ratio["S"] / ratio["O"] - 1) < 0.10 + 3 * np.hypot(sig["S"], sig["O"])
