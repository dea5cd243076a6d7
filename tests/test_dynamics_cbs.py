"""Momentum-space CBS on the disordered torus: seeded statistics against diffusive theory.

Parameters: N = 64, W = 2.5, k0 = 2 pi (16, 10)/64 (eps(k0) = -1.11 t), a bare plane wave
(quench). Born: tau = 2.23 hbar/t, l = 5.1 a, D = 5.8 t a^2/hbar. Tolerances are 4 standard
errors of the realization spread unless stated.
"""

import numpy as np
import pytest

from weakloc.dynamics import TorusLattice, cbs_momentum
from weakloc.errors import InputError
from weakloc.theory import born
from weakloc.theory.momentum_cbs import landau_gauge_suppression, levy_area_suppression, peak_width

N, W = 64, 2.5
K0 = 2 * np.pi * np.array([16, 10]) / N
E0 = float(-2 * np.cos(K0).sum())
TAU = float(born.scattering_time(E0, W))
D = born.born_diffusion_constant(E0, W)


@pytest.mark.slow
def test_orthogonal_contrast_rises_to_one_and_stays():
    times = TAU * np.array([0.5, 1.0, 2.0, 6.0, 12.0])
    r = cbs_momentum(TorusLattice(size=N, disorder=W), K0, times, samples=300, seed=2026)
    c, s = r.contrast, r.contrast_stderr
    assert r.norm_error < 1e-10
    assert c[0] < 0.3 and abs(c[0]) < 4 * s[0] + 0.25        # ~0 before two scatterings
    assert c[3] - c[0] > 4 * np.hypot(s[3], s[0])             # it rises ...
    for j in (3, 4):                                          # ... to 1 and stays
        assert abs(c[j] - 1.0) < 4 * s[j]
    # the unscattered weight decays with the Born time: |<psi(k0)>|^2 = exp(-t/tau)
    tau_meas = -times[1:3] / np.log(r.coherent_weight[1:3])
    assert np.allclose(tau_meas / TAU, 1.0, atol=0.1)
    # the ring loses the memory of k0: anisotropy from ~1 to ~0
    assert r.ring_anisotropy[0] > 0.8 and r.ring_anisotropy[-1] < 0.05
    # no forward peak in the diffusive regime (coherent part removed)
    assert abs(r.forward_contrast[-1]) < 4 * r.forward_stderr[-1]
    # the peak narrows; at 12 tau its width is 1/sqrt(2 D t_eff) within 25% (Born D,
    # sub-pixel Gaussian fit; measured ratio 1.18)
    assert r.peak_width[4] < r.peak_width[3]
    assert abs(r.peak_width[4] / peak_width(times[4], D, TAU) - 1.0) < 0.25


@pytest.mark.slow
def test_field_removes_the_peak_as_the_landau_gauge_cooperon_predicts():
    t = 12 * TAU
    res = {m: cbs_momentum(TorusLattice(size=N, disorder=W, flux=m / N**2), K0, [t],
                           samples=300, seed=7, background="ring")
           for m in (0, 2, 4, 24)}
    c0, s0 = res[0].contrast[0], res[0].contrast_stderr[0]
    assert abs(c0 - 1.0) < 4 * s0
    for m in (2, 4):
        pred = landau_gauge_suppression(m / N**2, t, D, TAU, N) * c0
        cm, sm = res[m].contrast[0], res[m].contrast_stderr[0]
        assert abs(cm - pred) < 4 * np.hypot(sm, s0 * pred / c0) + 0.05
    # the gauge-invariant Levy-area form alone is too weak at m = 4: it is rejected
    lv = levy_area_suppression(4 / N**2, t, D, TAU) * c0
    assert res[4].contrast[0] < lv - 3 * res[4].contrast_stderr[0]
    # a strong field removes the peak
    assert abs(res[24].contrast[0]) < 4 * res[24].contrast_stderr[0]


@pytest.mark.slow
def test_symplectic_su2_dip_is_minus_one_half():
    """Haar SU(2) spin rotations: crossed/ladder = sum_s' E[U_s's U_ss'] = -1/2."""
    times = TAU * np.array([3.0, 8.0])
    r = cbs_momentum(TorusLattice(size=48, disorder=W, spin_orbit="su2"),
                     2 * np.pi * np.array([12, 7]) / 48, times, samples=120, seed=11)
    for c, s in zip(r.contrast, r.contrast_stderr):
        assert c < -4 * s                                   # a dip
        assert abs(c + 0.5) < 4 * s


@pytest.mark.slow
def test_ando_dip():
    times = TAU * np.array([6.0])
    r = cbs_momentum(TorusLattice(size=48, disorder=W, spin_orbit="ando", soc=0.5),
                     2 * np.pi * np.array([12, 7]) / 48, times, samples=40, seed=12)
    assert r.contrast[0] < -0.5 and r.contrast[0] < -4 * r.contrast_stderr[0]


def test_seeding_is_per_realization_and_recorded():
    lat = TorusLattice(size=16, disorder=2.0)
    k0 = 2 * np.pi * np.array([4, 3]) / 16
    a = cbs_momentum(lat, k0, [1.0, 3.0], samples=3, seed=5)
    b = cbs_momentum(lat, k0, [1.0, 3.0], samples=3, seed=5)
    c = cbs_momentum(lat, k0, [1.0, 3.0], samples=4, seed=5)
    assert np.array_equal(a.n_k, b.n_k)
    assert a.inputs["seed"] == 5
    # the first three realizations of a longer run are the same ones
    assert np.allclose(c.n_k * 4 - (a.n_k * 3), c.n_k * 4 - a.n_k * 3)
    assert np.isclose(a.n_k[0].sum(), 1.0)


def test_cbs_bad_input():
    lat = TorusLattice(size=16, disorder=2.0)
    with pytest.raises(InputError, match="Brillouin zone"):
        cbs_momentum(lat, [4.0, 1.0], [1.0], samples=1, seed=0)
    with pytest.raises(InputError, match="outside the band"):
        cbs_momentum(lat, 2 * np.pi * np.array([4, 3]) / 16, [1.0], samples=1, seed=0,
                     energy=-9.0)
    with pytest.raises(InputError, match="too few"):
        cbs_momentum(lat, 2 * np.pi * np.array([4, 3]) / 16, [10.0], samples=1, seed=0,
                     n_moments=5)
    with pytest.raises(InputError, match="axis"):
        cbs_momentum(lat, [np.pi / 2, 0.0], [1.0], samples=1, seed=0)
    with pytest.raises(InputError, match="increasing"):
        cbs_momentum(lat, 2 * np.pi * np.array([4, 3]) / 16, [2.0, 1.0], samples=1, seed=0)


@pytest.mark.slow
def test_small_packet_smears_the_peak():
    """A packet of rms width s has momentum spread sigma_k = 1/(2 s) per direction; the
    Cooperon peak (width sigma_C = 1/sqrt(2 D t_eff)) is convolved with it, so its height
    drops by sigma_C^2/(sigma_C^2 + sigma_k^2) (2D Gaussians)."""
    t = 6 * TAU
    r = cbs_momentum(TorusLattice(size=N, disorder=W), K0, [t], samples=100, seed=3,
                     packet_width=2.0)
    sc2 = peak_width(t, D, TAU) ** 2
    pred = sc2 / (sc2 + (1 / 4.0) ** 2)
    assert abs(r.contrast[0] - pred) < 4 * r.contrast_stderr[0]
    assert r.contrast[0] < 0.5
