"""Coherent backscattering of polarized light by point dipoles: what reciprocity fixes exactly,
single scattering against its closed form, rotational symmetry, 1/(k l) scaling, seeds."""

import json
import math

import numba
import numpy as np
import pytest

from weakloc.cli import main
from weakloc.errors import InputError
from weakloc.montecarlo.polarized import CHANNELS, simulate_polarized_cbs

KL = 20.0
ANGLES = np.array([0.0, 0.5, 1.0, 2.0, 4.0]) / KL


@pytest.fixture(scope="module")
def cone():
    return simulate_polarized_cbs(KL, samples=20000, max_orders=3000, angles=ANGLES, seed=41)


def idx(name):
    return CHANNELS.index(name)


def test_reciprocal_channels_pair_every_path(cone):
    # e_f^* = e_i: amplitude of each path equals that of its reverse at backscattering,
    # so crossed = ladder exactly (not only on average)
    for name in ("linear_parallel", "helicity_preserving"):
        c = idx(name)
        assert cone.crossed[c, 0] == pytest.approx(cone.ladder[c, 0], rel=1e-12)
        assert cone.enhancement_without_single[name] == pytest.approx(2.0, abs=1e-12)
    # and the helicity-preserving channel has no single scattering: 2 in total
    assert cone.enhancement_with_single["helicity_preserving"] == pytest.approx(2.0, abs=1e-12)


def test_single_scattering_closed_form(cone):
    # a dipole returns the incident polarization: nothing in the linear perpendicular and
    # helicity-preserving channels; in the other two 3/(8 pi) int_0^inf e^{-2z} dz = 3/(16 pi)
    # (the helicity-preserving one only at exact backscattering: off it the analyzer tilts)
    assert np.all(np.abs(cone.single[idx("linear_perpendicular")]) < 1e-15)
    assert abs(cone.single[idx("helicity_preserving"), 0]) < 1e-15
    assert np.all(cone.single[idx("helicity_preserving"), 1:] > 0)
    for name in ("linear_parallel", "helicity_flip"):
        c = idx(name)
        assert abs(cone.single[c, 0] - 3 / (16 * math.pi)) < 4 * cone.single_stderr[c, 0]


def test_non_reciprocal_channels_lie_between_one_and_two(cone):
    for name in ("linear_perpendicular", "helicity_flip"):
        e = cone.enhancement_without_single[name]
        err = cone.enhancement_stderr[name]  # jackknife error of the enhancement with single
        assert 1.0 + 10 * err < e < 2.0 - 10 * err, (name, e, err)
    # the copolarized linear channel is diluted by single scattering only
    e_lin = cone.enhancement_with_single["linear_parallel"]
    assert 1.6 < e_lin < 1.9


def test_total_intensity_does_not_depend_on_input_polarization(cone):
    # rotation about the normal: at backscattering the incoherent total (both analyzers)
    # is the same for linear and circular input
    lin = [idx("linear_parallel"), idx("linear_perpendicular")]
    cir = [idx("helicity_preserving"), idx("helicity_flip")]
    tot = cone.single[:, 0] + cone.ladder[:, 0]
    err = np.hypot(cone.single_stderr[:, 0], cone.ladder_stderr[:, 0])
    diff = tot[lin].sum() - tot[cir].sum()
    assert abs(diff) < 4 * math.sqrt(np.sum(err ** 2))


def test_cone_peaks_at_backscattering_and_scales_as_one_over_kl(cone):
    other = simulate_polarized_cbs(2 * KL, samples=20000, max_orders=3000, angles=ANGLES / 2,
                                   seed=42)
    for c in range(4):
        a = cone.crossed[c] / cone.crossed[c, 0]
        b = other.crossed[c] / other.crossed[c, 0]
        assert np.all(np.diff(cone.crossed[c]) < 0)
        # same k l theta -> same relative cone (errors of the ratio from both runs)
        se = np.hypot(cone.crossed_stderr[c] / cone.crossed[c, 0],
                      other.crossed_stderr[c] / other.crossed[c, 0])
        assert np.all(np.abs(a - b)[1:] < 4 * se[1:] + 0.02), (CHANNELS[c], a, b)


def test_reflection_accounts_for_every_photon(cone):
    assert cone.transmitted == 0.0
    assert cone.reflected + cone.truncated == pytest.approx(1.0, abs=1e-12)


def test_does_not_depend_on_thread_count():
    n0 = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        a = simulate_polarized_cbs(10.0, samples=300, max_orders=200, angles=[0, 0.1],
                                   seed=7)
    finally:
        numba.set_num_threads(n0)
    b = simulate_polarized_cbs(10.0, samples=300, max_orders=200, angles=[0, 0.1], seed=7)
    assert np.array_equal(a.crossed, b.crossed) and np.array_equal(a.ladder, b.ladder)
    assert a.params["seed"] == 7


@pytest.mark.parametrize("kwargs, fix", [
    ({"kl": 0.0}, "kl"),
    ({"samples": 1}, "samples"),
    ({"angles": [0.1, 0.0]}, "increasing"),
    ({"angles": [-0.1, 0.0]}, "[0, pi/2)"),
    ({"thickness": -1.0}, "thickness"),
])
def test_bad_input(kwargs, fix):
    args = {"kl": 10.0, "samples": 10, **kwargs}
    with pytest.raises(InputError, match=None) as err:
        simulate_polarized_cbs(args.pop("kl"), **args)
    assert fix in str(err.value)


def test_cli_polarized(capsys, tmp_path):
    code = main(["cbs", "--polarized", "--kl", "10", "--photons", "400", "--max-orders",
                 "200", "--angles", "0", "0.1", "--seed", "3", "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    doc = json.loads(out.out)
    assert doc["channels"] == list(CHANNELS) and doc["seed"] == 3
    assert doc["enhancement"]["helicity_preserving"]["with_single"] == pytest.approx(2.0)
    assert set(doc["ladder"]) == set(CHANNELS)
    code = main(["cbs", "--polarized", "--g", "0.5", "--json"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "--polarized" in err


def test_slab_keeps_reciprocity_and_counts_transmission():
    r = simulate_polarized_cbs(20.0, samples=3000, thickness=3e-6, mean_free_path=1e-6,
                               angles=[0.0, 0.05], seed=5)
    assert r.transmitted > 0.2 and r.reflected > 0.4
    assert r.reflected + r.transmitted + r.truncated == pytest.approx(1.0, abs=1e-12)
    for name in ("linear_parallel", "helicity_preserving"):
        assert r.enhancement_without_single[name] == pytest.approx(2.0, abs=1e-12)
