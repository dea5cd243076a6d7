"""Continuous random walks: Green-Kubo and MSD diffusion constants, VACF decay, P(0, t)."""

import math

import numpy as np
import pytest

from weakloc.errors import InputError
from weakloc.montecarlo.randomwalk import (
    gaussian_ball_factor,
    simulate_walks,
    sweep_task,
)
from weakloc.seeding import stream
from weakloc.theory import integrated_return_probability

TAU, V = 1e-13, 1e5
Z = 4.0  # tolerance in standard errors


@pytest.fixture(scope="module", params=[1, 2, 3])
def iso(request):
    return simulate_walks(request.param, samples=20000, tau=TAU, speed=V, seed=11)


@pytest.fixture(scope="module", params=[(1, -0.4), (2, 0.6), (3, 0.5)])
def aniso(request):
    d, g = request.param
    return simulate_walks(d, samples=8000, tau=TAU, speed=V, anisotropy=g,
                          time=250 * TAU / (1 - g), seed=12)


def test_green_kubo_and_msd_equal_v2tau_over_d(iso):
    d = iso.params["dim"]
    D0 = V**2 * TAU / d
    assert iso.d_theory == pytest.approx(D0)
    assert abs(iso.d_green_kubo - D0) < Z * iso.d_green_kubo_stderr
    assert abs(iso.d_msd - D0) < Z * iso.d_msd_stderr
    # the errors are small enough for the check to mean something (< 3 %)
    assert iso.d_green_kubo_stderr < 0.03 * D0 and iso.d_msd_stderr < 0.03 * D0


@pytest.mark.slow
def test_anisotropic_diffusion_uses_transport_time(aniso):
    d, g = aniso.params["dim"], aniso.params["anisotropy"]
    D = V**2 * TAU / (d * (1 - g))
    assert abs(aniso.d_green_kubo - D) < Z * aniso.d_green_kubo_stderr
    assert abs(aniso.d_msd - D) < Z * aniso.d_msd_stderr
    # and it is clearly not the isotropic value
    assert abs(aniso.d_msd - V**2 * TAU / d) > 5 * aniso.d_msd_stderr


def _check_vacf(r):
    tau_tr = TAU / (1 - r.params["anisotropy"])
    theory = V**2 * np.exp(-r.vacf_times / tau_tr)
    assert r.vacf[0] == pytest.approx(V**2)  # |v| = V exactly
    resid = (r.vacf[1:] - theory[1:]) / r.vacf_stderr[1:]
    assert np.max(np.abs(resid)) < 4.5
    assert abs(r.vacf_decay_time - tau_tr) < Z * r.vacf_decay_time_stderr


def test_vacf_decays_exponentially(iso):
    _check_vacf(iso)


@pytest.mark.slow
def test_anisotropic_vacf_decays_with_transport_time(aniso):
    _check_vacf(aniso)


@pytest.mark.slow
def test_return_probability_exponent_is_minus_d_over_2(iso):
    d = iso.params["dim"]
    assert abs(iso.return_exponent + d / 2) < Z * iso.return_exponent_stderr
    assert iso.return_exponent_stderr < 0.05
    # amplitude: (4 pi D t)^(-d/2) at late times (ball average divided out)
    late = iso.times > 100 * TAU
    theory = (4 * np.pi * iso.d_theory * iso.times[late]) ** (-d / 2)
    chi = (iso.p0[late] - theory) / iso.p0_stderr[late]
    assert np.mean(chi**2) < 3.0


def test_gaussian_ball_factor_limits():
    assert gaussian_ball_factor(1e-8, 3) == pytest.approx(1.0, rel=1e-6)
    # d = 1: erf(sqrt(u)) sqrt(pi) / (2 sqrt(u))
    u = 0.7
    assert gaussian_ball_factor(u, 1) == pytest.approx(
        math.erf(math.sqrt(u)) * math.sqrt(math.pi) / (2 * math.sqrt(u)))


@pytest.mark.slow
@pytest.mark.parametrize("d", [1, 2])
def test_integrated_return_probability_tracks_theory(d):
    """The tau_phi dependence of the integrated return probability is the closed form's."""
    out = {}
    for tphi in (40 * TAU, 160 * TAU):
        out[tphi] = simulate_walks(d, samples=10000, tau=TAU, speed=V, tau_phi=tphi,
                                   time=1300 * TAU, seed=13)
    a, b = out[40 * TAU], out[160 * TAU]
    D0 = V**2 * TAU / d
    for r, tphi in ((a, 40 * TAU), (b, 160 * TAU)):
        assert r.integrated_theory == pytest.approx(float(integrated_return_probability(
            TAU, tphi, D0, d, cutoff="exponential")))
    diff = b.integrated - a.integrated
    diff_th = b.integrated_theory - a.integrated_theory
    err = math.hypot(a.integrated_stderr, b.integrated_stderr)  # same walkers: conservative
    # short-time (non-diffusive) corrections shift the difference by O(tau/tau_phi)
    assert abs(diff - diff_th) < Z * err + 0.05 * abs(diff_th)


def test_results_do_not_depend_on_thread_count():
    import numba

    n0 = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        r1 = simulate_walks(2, samples=600, time=250 * TAU, tau=TAU, speed=V, seed=5)
    finally:
        numba.set_num_threads(n0)
    r2 = simulate_walks(2, samples=600, time=250 * TAU, tau=TAU, speed=V, seed=5)
    assert r1.d_msd == r2.d_msd and r1.events == r2.events
    np.testing.assert_array_equal(r1.vacf, r2.vacf)
    r3 = simulate_walks(2, samples=600, time=250 * TAU, tau=TAU, speed=V, seed=6)
    assert r3.d_msd != r2.d_msd


def test_sweep_task_contract():
    out = sweep_task({"dim": 3, "walkers": 3000, "time": 400 * TAU, "tau": TAU,
                      "speed": V, "anisotropy": 0.3}, stream(7, 0))
    again = sweep_task({"dim": 3, "walkers": 3000, "time": 400 * TAU, "tau": TAU,
                        "speed": V, "anisotropy": 0.3}, stream(7, 0))
    assert out == again
    assert all(isinstance(val, float) for val in out.values())
    D = V**2 * TAU / (3 * 0.7)
    assert out["d_theory"] == pytest.approx(D)
    assert abs(out["d_msd"] - D) < Z * out["d_msd_stderr"]
    assert out["return_exponent_theory"] == -1.5
    with pytest.raises(InputError, match="unknown"):
        sweep_task({"dim": 3, "walker": 10}, stream(7, 0))


@pytest.mark.parametrize("kw, match", [
    ({"dim": 4}, "dimension"),
    ({"dim": 0}, "dimension"),
    ({"dim": 2, "tau": 0.0}, "tau must be positive"),
    ({"dim": 2, "tau": -1e-13}, "tau must be positive"),
    ({"dim": 2, "speed": -1.0}, "speed must be positive"),
    ({"dim": 2, "time": 0.0}, "time must be positive"),
    ({"dim": 2, "tau_phi": -1e-12}, "tau_phi must be positive"),
    ({"dim": 3, "anisotropy": 1.0}, r"\|g\| < 1"),
    ({"dim": 3, "anisotropy": -1.5}, r"\|g\| < 1"),
    ({"dim": 2, "samples": 1}, "samples"),
])
def test_bad_input_is_one_line(kw, match):
    d = kw.pop("dim")
    with pytest.raises(InputError, match=match) as exc:
        simulate_walks(d, **kw)
    assert "\n" not in str(exc.value)


def test_green_kubo_agrees_with_theory_module(iso):
    from weakloc.theory import green_kubo_diffusion

    d = iso.params["dim"]
    # trapezoid of the mean VACF = mean of the per-walker trapezoid integrals
    D_trap = green_kubo_diffusion((iso.vacf_times, iso.vacf), d, method="trapezoid",
                                  t_max=iso.vacf_times[-1])
    assert D_trap == pytest.approx(iso.d_green_kubo, rel=1e-9)
    D_simp = green_kubo_diffusion(iso.vacf, d, times=iso.vacf_times)
    assert abs(D_simp - iso.d_theory) < Z * iso.d_green_kubo_stderr


def test_chunked_walks_are_bit_identical_to_one_call():
    """Walkers stopped by the collision budget resume exactly where they stood."""
    from weakloc.montecarlo._rng import walker_keys
    from weakloc.montecarlo._walkkernel import WalkRun

    T = 300 * TAU
    times = np.unique(np.concatenate([np.linspace(0, 10 * TAU, 41),
                                      np.geomspace(0.05 * TAU, T, 30), [T / 2]]))
    k_half = int(np.searchsorted(times, T / 2))
    gk_w = np.full(times.size, TAU / 40)
    rball2 = 0.25 * 4 * V**2 * TAU * times
    keys, _ = walker_keys(3, 90)
    for d, g in ((1, 0.2), (2, 0.0), (2, 0.5), (3, 0.0), (3, 0.6)):
        runs = {}
        for budget in (1, 7, 250, 2**62):
            run = WalkRun(keys, 24, d, V, TAU, g, times, rball2, gk_w, k_half)
            calls = 1
            while not run.advance(budget):
                calls += 1
                assert run.progress() < 90 * T / TAU
            assert run.progress() == pytest.approx(90 * T / TAU)
            runs[budget] = (calls, run.sums())
        assert runs[1][0] > 100 and runs[2**62][0] == 1   # many calls against one
        one = runs[2**62][1]
        assert one[-1].sum() > 90 * 250   # about T / tau collisions per walker
        for _, sums in runs.values():
            for a, b in zip(sums, one):
                np.testing.assert_array_equal(a, b)


def test_simulate_walks_does_not_depend_on_the_step_length(monkeypatch):
    """Tiny compiled calls (the budget floor) and long ones give the same numbers."""
    from weakloc.montecarlo import _blocks

    kw = dict(samples=300, time=400 * TAU, tau=TAU, speed=V, anisotropy=0.3, tau_phi=20 * TAU,
              seed=9, progress=False)
    monkeypatch.setattr(_blocks, "STEP_SECONDS", 1e-7)
    short = simulate_walks(2, **kw)
    monkeypatch.setattr(_blocks, "STEP_SECONDS", 100.0)
    long = simulate_walks(2, **kw)
    for field in ("vacf", "msd", "p0", "vacf_stderr", "msd_stderr"):
        np.testing.assert_array_equal(getattr(short, field), getattr(long, field))
    for field in ("d_green_kubo", "d_msd", "return_exponent", "return_exponent_stderr",
                  "vacf_decay_time_stderr", "integrated", "integrated_stderr", "events"):
        assert getattr(short, field) == getattr(long, field), field


def test_shortest_allowed_time_is_accepted_despite_rounding():
    """200e-13 s is 4 x fit_from x tau_tr = 200 tau, though 200e-13 < 4 * 50 * 1e-13 in
    floating point: it must run, and 199 tau must not."""
    r = simulate_walks(2, samples=200, time=200e-13, tau=1e-13, speed=V, seed=1, progress=False)
    assert r.params["time_s"] == 200e-13
    with pytest.raises(InputError, match="too short"):
        simulate_walks(2, samples=200, time=199e-13, tau=1e-13, speed=V, seed=1, progress=False)
