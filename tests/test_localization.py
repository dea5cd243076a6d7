"""Transfer-matrix localization lengths: kernel against dense matrices, exact and 1D limits."""

import numpy as np
import pytest

from reference_solvers import dense_transfer_logs as _dense_logs
from weakloc.errors import InputError
from weakloc.lattice import Lattice, endless_slices
from weakloc.transport.transfer import (
    _Bar,
    localization_length,
    localization_lengths,
    lyapunov_stderr,
    sweep_task,
)

MODELS = [
    Lattice(dim=2, width=5, disorder=2.0),
    Lattice(dim=3, width=3, height=4, disorder=5.0, boundary="periodic"),
    Lattice(dim=2, width=4, disorder=1.5, flux=0.13),
    Lattice(dim=2, width=3, disorder=1.0, spin_orbit="su2", flux=0.05),
    Lattice(dim=3, width=3, disorder=3.0, spin_orbit="ando", soc=0.4, boundary="periodic",
            flux=1 / 3),
    Lattice(dim=2, width=10, disorder=3.0, spin_orbit="ando", soc=0.5),  # LAPACK QR path
]


@pytest.mark.parametrize("lat", MODELS, ids=lambda m: f"{m.dim}D-{m.symmetry}-{m.spin_orbit}")
def test_fast_kernel_equals_dense_transfer_matrices(lat):
    energy, count, q = 0.3, 24, 4
    ref = _dense_logs(lat, energy, 7, count, q)
    bar = _Bar(lat, energy, np.random.default_rng(7), start="identity")
    got = bar.advance(count, q)
    assert np.allclose(got, ref, rtol=1e-9, atol=1e-9)


def test_endless_slices_match_realization_slices():
    # the same onsite numbers give the same dense slices as a finite Realization
    lat = Lattice(dim=3, width=3, height=3, length=5, disorder=2.0, flux=1 / 3,
                  boundary="periodic", spin_orbit="ando")
    rng = np.random.default_rng(3)
    gen = endless_slices(lat, rng, chunk=5)
    ours = [next(gen) for _ in range(5)]
    onsite = np.array([np.diag(h).real[::2].reshape(3, 3) for h, _ in ours])
    theirs = list(lat.realize(onsite=onsite).slices())
    for (h1, v1), (h2, v2) in zip(ours[:-1], theirs[:-1]):
        assert np.allclose(h1, h2) and np.allclose(v1, v2)


def test_qr_interval_does_not_change_the_exponents():
    lat = Lattice(dim=2, width=12, disorder=4.0, boundary="periodic")
    a = _Bar(lat, 0.1, np.random.default_rng(5)).advance(240, 2)
    b = _Bar(lat, 0.1, np.random.default_rng(5)).advance(240, 12)
    c = _Bar(lat, 0.1, np.random.default_rng(5), start="identity").advance(240, 12)
    # the start only changes the first slices: the same exponents to O(1/240)
    assert np.allclose(np.sort(a)[::-1] / 240, np.sort(c)[::-1] / 240, atol=0.05)
    assert np.allclose(a, b, rtol=1e-10)


@pytest.mark.parametrize("energy", [2.5, -3.0, 4.2])
def test_clean_chain_outside_the_band(energy):
    # psi_x ~ exp(gamma x) with 2 cosh(gamma) = |E|
    res = localization_length(Lattice(width=1), energy, seed=0, precision=1e-3)
    assert res.converged
    assert np.isclose(1 / res.xi, np.arccosh(abs(energy) / 2), rtol=1e-6)


def test_clean_strip_spectrum_is_the_mode_decay_rates():
    # E = 4.5 lies above every transverse mode e_k = -2 cos(k) of a periodic strip
    m, e = 6, 4.5
    res = localization_length(Lattice(width=m, boundary="periodic"), e, seed=0,
                              precision=1e-3, spectrum=True, qr_interval=2)
    ek = -2 * np.cos(2 * np.pi * np.arange(m) / m)
    exact = np.sort(np.arccosh(np.abs(e - ek) / 2))[::-1]
    assert np.allclose(res.exponents, exact, rtol=1e-6)
    assert np.isclose(res.lambda_, 1 / exact[-1] / m, rtol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("energy, expected", [(0.0, 105.0), (0.5, 96 * (1 - 0.5**2 / 4))])
def test_1d_chain_thouless_and_kappus_wegner(energy, expected):
    # weak disorder: xi W^2 = 96 (1 - E^2/4) (Thouless), anomalous 105 at the band centre
    # (Kappus and Wegner 1981); W = 0.5 keeps the O(W^2) corrections << the 0.5% error
    w = 0.5
    res = localization_length(Lattice(width=1, disorder=w), energy, seed=11,
                              precision=0.005, max_slices=40_000_000)
    assert res.converged and res.precision_reached <= 0.005
    xw2 = res.xi * w**2
    err = res.xi_stderr * w**2
    assert abs(xw2 - expected) < 4 * err
    if energy == 0.0:  # the anomaly is resolved: 96 is excluded
        assert abs(xw2 - 96.0) > 10 * err


def test_kramers_pairs_in_the_symplectic_spectrum():
    lat = Lattice(dim=2, width=4, disorder=4.0, spin_orbit="su2")
    res = localization_length(lat, 0.0, seed=2, precision=0.02, spectrum=True)
    ex = res.exponents
    assert np.allclose(ex[0::2], ex[1::2], rtol=0.02)
    gaps = ex[0:-2:2] - ex[2::2]
    assert np.all(np.abs(ex[0::2] - ex[1::2]) < 0.1 * gaps.min())
    # without spin-orbit the spectrum is not degenerate
    ex0 = localization_length(lat.with_(spin_orbit="none"), 0.0, seed=2, precision=0.02,
                              spectrum=True).exponents
    assert np.all(np.diff(ex0) < -0.05)


def test_unreachable_precision_is_reported_not_raised():
    lat = Lattice(dim=2, width=8, disorder=2.0)
    res = localization_length(lat, 0.0, seed=1, precision=1e-4, max_slices=4000)
    assert not res.converged
    assert res.slices <= 4000
    assert 1e-4 < res.precision_reached < 1.0
    assert np.isclose(res.lambda_stderr / res.lambda_, res.precision_reached)


def test_lyapunov_stderr_matches_independent_gaussian_batches():
    rng = np.random.default_rng(0)
    lens = np.full(3200, 100.0)
    logs = rng.normal(0.2 * 100, 3.0, size=lens.size)
    g, e = lyapunov_stderr(logs, lens)
    exact = 3.0 / np.sqrt(lens.size) / 100
    assert abs(g - 0.2) < 4 * exact
    assert abs(e / exact - 1) < 4 * np.sqrt(1 / (2 * 31))


def test_seeded_runs_replay_and_batches_do_not_depend_on_workers():
    lat = Lattice(dim=2, width=4, disorder=3.0)
    a = localization_length(lat, 0.2, seed=5, precision=0.05)
    b = localization_length(lat, 0.2, seed=5, precision=0.05)
    assert a == b and a.seed == 5
    kw = {"precision": 0.05}
    serial = localization_lengths([lat, lat.with_(disorder=4.0)], [0.0, 0.5], seed=9, **kw)
    parallel = localization_lengths([lat, lat.with_(disorder=4.0)], [0.0, 0.5], seed=9,
                                    workers=2, **kw)
    assert [r.xi for r in serial] == [r.xi for r in parallel]
    assert len({r.xi for r in serial}) == 4


def test_sweep_task_contract():
    out = sweep_task({"dim": 2, "width": 4, "disorder": 3.0, "energy": 0.0,
                      "precision": 0.05, "max_slices": 100_000, "length": 7},
                     np.random.default_rng(1))
    assert {"lambda", "lambda_stderr", "xi"} <= set(out)
    assert np.isclose(out["lambda"], out["xi"] / 4)
    with pytest.raises(InputError, match="unknown localization parameter 'widht'"):
        sweep_task({"widht": 4}, np.random.default_rng(1))


def test_bad_input_is_one_line_naming_the_fix():
    lat = Lattice(width=4, disorder=1.0)
    with pytest.raises(InputError, match="precision must lie in"):
        localization_length(lat, 0.0, precision=0.0)
    with pytest.raises(InputError, match="energy contains NaN"):
        localization_length(lat, float("nan"))
    with pytest.raises(InputError, match="max_slices must be at least"):
        localization_length(lat, 0.0, max_slices=10)
    with pytest.raises(InputError, match="qr_interval must be an integer"):
        localization_length(lat, 0.0, qr_interval=0)
    with pytest.raises(InputError, match="lattice must be a weakloc.lattice.Lattice"):
        localization_length({"width": 4}, 0.0)


def test_su2_draws_equal_the_closed_form():
    # su2_matrices builds U from real cos/sin (one implementation for every engine); it
    # must equal the Asada-Slevin-Ohtsuki closed form written with complex exponentials
    from weakloc.lattice import su2_matrices

    rng = np.random.default_rng(3)
    a = rng.uniform(0.0, 2 * np.pi, size=(64, 7))
    b = 0.5 * np.arccos(1.0 - 2.0 * rng.uniform(0.0, 1.0, size=(64, 7)))
    g = rng.uniform(0.0, 2 * np.pi, size=(64, 7))
    ref = np.stack([np.stack([np.exp(1j * a) * np.cos(b), np.exp(1j * g) * np.sin(b)], -1),
                    np.stack([-np.exp(-1j * g) * np.sin(b), np.exp(-1j * a) * np.cos(b)], -1)],
                   -2)
    got = su2_matrices(np.random.default_rng(3), (64, 7))
    assert np.allclose(got, ref, rtol=0, atol=1e-15)
