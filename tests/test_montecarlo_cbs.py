"""Coherent backscattering of light: enhancement, cusp, width ~ 1/(k l), AWM and exact albedo."""

import math

import numpy as np
import pytest

from weakloc.errors import InputError
from weakloc.montecarlo.cbs import (
    Z0_MILNE,
    awm_crossed,
    awm_ladder,
    chandrasekhar_h,
    exact_albedo,
    simulate_cbs,
)

KL = 20.0
ORDERS = 2000
DELTA = 0.1 / KL
ANGLES = np.concatenate([[0.0, DELTA, 2 * DELTA], np.linspace(0.02, 0.15, 14)])


@pytest.fixture(scope="module")
def cone():
    return simulate_cbs(KL, samples=20000, max_orders=ORDERS, angles=ANGLES, seed=31)


@pytest.fixture(scope="module")
def cone_kl40():
    return simulate_cbs(2 * KL, samples=20000, max_orders=ORDERS, angles=ANGLES / 2, seed=32)


def test_chandrasekhar_h_function():
    # published value and the moments of H for conservative isotropic scattering
    assert float(chandrasekhar_h(1.0)) == pytest.approx(2.9078, abs=2e-4)
    x, w = np.polynomial.legendre.leggauss(100)
    x, w = 0.5 * (x + 1), 0.5 * w
    H = chandrasekhar_h(x)
    assert np.sum(w * H) == pytest.approx(2.0, rel=1e-4)
    assert np.sum(w * x * H) == pytest.approx(2 / math.sqrt(3), rel=1e-4)


def test_enhancement_is_two_without_single_scattering(cone):
    # reciprocity: each path and its reverse carry the same weight at exact backscattering
    assert cone.angles_rad[0] == 0.0
    assert cone.enhancement_without_single == pytest.approx(2.0, abs=1e-9)
    assert abs(cone.crossed[0] - cone.ladder[0]) < 1e-9 * cone.ladder[0]
    # with single scattering: 2 - 1/H(1)^2 = 1.8817 for the isotropic half-space, once the
    # paths cut at max_orders are given back their (Milne) diffuse emission
    s, lad = cone.single[0], cone.ladder[0] + cone.ladder_tail[0]
    h1 = float(chandrasekhar_h(1.0))
    exact = 2 - 1 / h1**2
    assert (s + 2 * lad) / (s + lad) == pytest.approx(exact, abs=4 * cone.enhancement_stderr
                                                      + 1e-3)
    assert cone.enhancement_with_single < cone.enhancement_without_single


def test_single_and_ladder_match_exact_radiative_transfer(cone):
    mu = np.cos(cone.angles_rad)
    single_exact = mu / (mu + 1) / (4 * np.pi)
    assert np.all(np.abs(cone.single - single_exact) < 4 * cone.single_stderr + 1e-12)
    total = cone.single + cone.ladder + cone.ladder_tail
    err = np.hypot(cone.single_stderr, cone.ladder_stderr)
    assert np.all(np.abs(total - exact_albedo(mu, 1.0)) < 4 * err + 0.3 * cone.ladder_tail)


def test_triangular_cusp(cone):
    c = cone.crossed / cone.crossed[0]
    drop1, drop2 = 1 - c[1], 1 - c[2]
    # linear (cusp): drop(2 delta) / drop(delta) ~ 2; a rounded top would give 4
    assert 1.6 < drop2 / drop1 < 2.6
    # the slope is of order k l: AWM gives 2 + 2 z0^2/(1 + 2 z0) = 2.42 per unit k l theta
    slope = drop1 / (KL * DELTA)
    assert 1.2 < slope < 2.8
    assert np.all(np.diff(cone.crossed) < 0)  # monotone decay away from backscattering


@pytest.mark.slow
def test_width_scales_as_one_over_kl(cone, cone_kl40):
    w1, w2 = cone.fwhm_rad * KL, cone_kl40.fwhm_rad * 2 * KL
    err = math.hypot(cone.fwhm_stderr * KL, cone_kl40.fwhm_stderr * 2 * KL)
    assert abs(w1 - w2) < 4 * err
    assert cone_kl40.fwhm_rad < 0.6 * cone.fwhm_rad


def test_awm_line_shape_and_deviation(cone):
    # closed-form checks of the AWM formula
    assert float(awm_crossed(0.0, KL)) == pytest.approx(awm_ladder())
    assert awm_ladder() == pytest.approx(3 / (8 * np.pi) * (1 + 2 * Z0_MILNE))
    x = 1e-4
    slope = (1 - float(awm_crossed(x / KL, KL) / awm_crossed(0.0, KL))) / x
    assert slope == pytest.approx(2 + 2 * Z0_MILNE**2 / (1 + 2 * Z0_MILNE), rel=1e-3)
    # diffusion approximation vs exact transport: the AWM ladder is within 5 % of the
    # exact multiple-scattering albedo (H(1)^2 - 1)/(8 pi)
    h1 = float(chandrasekhar_h(1.0))
    assert awm_ladder() == pytest.approx((h1**2 - 1) / (8 * np.pi), rel=0.05)
    # Monte Carlo cone vs AWM: same shape to diffusion-approximation accuracy
    mc = cone.crossed / cone.crossed[0]
    awm = cone.awm / cone.awm[0]
    near = cone.angles_rad * KL <= 1.0
    assert np.max(np.abs(mc - awm)[near]) < 0.12
    assert 1.0 < cone.fwhm_rad / cone.awm_fwhm_rad < 1.4


@pytest.mark.slow
def test_anisotropic_scattering_uses_transport_length(cone):
    r = simulate_cbs(KL, samples=8000, anisotropy=0.5, max_orders=ORDERS, angles=ANGLES, seed=33)
    assert r.enhancement_without_single == pytest.approx(2.0, abs=1e-9)
    # l_tr = 2 l: the cone is about half as wide
    assert 0.4 < r.fwhm_rad / cone.fwhm_rad < 0.7
    # forward-peaked scattering sends little single-scattered light straight back
    assert r.enhancement_with_single > cone.enhancement_with_single


@pytest.mark.slow
def test_oblique_incidence_and_slab(cone):
    ang = np.linspace(-0.15, 0.15, 31)
    ob = simulate_cbs(KL, samples=8000, incidence=math.radians(40), max_orders=ORDERS,
                      angles=ang, seed=34)
    assert ob.enhancement_without_single == pytest.approx(2.0, abs=1e-9)
    assert 1.05 < ob.fwhm_rad / cone.fwhm_rad < 1.6  # ~1/cos(theta_i) wider in-plane
    slab = simulate_cbs(KL, samples=8000, thickness=2e-6, mean_free_path=1e-6,
                        max_orders=ORDERS, angles=ANGLES, seed=35)
    assert slab.reflected + slab.transmitted + slab.truncated == pytest.approx(1.0)
    assert slab.transmitted > 0.3 and slab.truncated == 0.0
    assert slab.enhancement_without_single == pytest.approx(2.0, abs=1e-9)
    assert slab.fwhm_rad > 1.3 * cone.fwhm_rad  # no long paths: a wider, rounder cone
    assert slab.ladder[0] < cone.ladder[0]


def test_same_seed_same_cone():
    a = simulate_cbs(KL, samples=300, max_orders=200, angles=ANGLES, seed=3)
    b = simulate_cbs(KL, samples=300, max_orders=200, angles=ANGLES, seed=3)
    np.testing.assert_array_equal(a.crossed, b.crossed)
    assert a.params["seed"] == 3


@pytest.mark.parametrize("kw, match", [
    ({"kl": 0.0}, "kl must be positive"),
    ({"kl": -5.0}, "kl must be positive"),
    ({"anisotropy": 1.0}, r"\|g\| < 1"),
    ({"mean_free_path": 0.0}, "mean_free_path must be positive"),
    ({"thickness": -1e-6}, "thickness must be positive"),
    ({"incidence": math.radians(85)}, "incidence"),
    ({"photons": 0}, "samples"),
    ({"angles": [0.0, 2.0]}, "angles"),
])
def test_bad_input(kw, match):
    kw.setdefault("kl", 10.0)
    with pytest.raises(InputError, match=match) as exc:
        simulate_cbs(samples=kw.pop("photons", 10), **kw)
    assert "\n" not in str(exc.value)


def test_cone_does_not_depend_on_thread_count():
    import numba

    n0 = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        a = simulate_cbs(KL, samples=400, max_orders=300, angles=ANGLES, seed=8)
    finally:
        numba.set_num_threads(n0)
    b = simulate_cbs(KL, samples=400, max_orders=300, angles=ANGLES, seed=8)
    np.testing.assert_array_equal(a.crossed, b.crossed)
    np.testing.assert_array_equal(a.ladder, b.ladder)


def test_block_counts_are_the_photons_each_block_summed():
    """The jackknife's per-block counts are those of the blocks the kernel actually ran (each
    photon ends reflected, transmitted, stopped or absorbed: stats[:, 1:] sums to it)."""
    from weakloc.montecarlo._blocks import run_blocks
    from weakloc.montecarlo._cbskernel import cbs_blocks
    from weakloc.montecarlo._rng import walker_keys

    s_in = np.array([0.0, 0.0, 1.0])
    dets = np.array([[0.0, 0.0, -1.0]])
    for n in (500, 517, 64, 70):
        keys, _ = walker_keys(2, n)
        out, counts = run_blocks(cbs_blocks, keys, (s_in, dets, KL, 0.0, math.inf, 20, 0.0),
                                 desc="photons", progress=False)
        np.testing.assert_array_equal(out[-1][:, 1:].sum(axis=1), counts)
        assert counts.sum() == n
