"""Loops of the 2D random walk in a perpendicular field: the Cooperon beyond diffusion.

Units: tau = 1e-13 s, v = 1e5 m/s, so l = l_tr = 10 nm and D = v l / 2; a field is given
by l_B / l, B = hbar / (e l_B^2).
"""

import math

import numpy as np
import pytest

from weakloc.errors import InputError
from weakloc.montecarlo.randomwalk import simulate_walks, sweep_task
from weakloc.seeding import stream
from weakloc.theory import cooperon_field_factor
from weakloc.units import E_CHARGE, HBAR

TAU, V = 1e-13, 1e5
L = V * TAU
D = V * L / 2
Z = 4.0  # tolerance in standard errors


def field_of(lb_over_l):
    """B (T) with magnetic length l_B = lb_over_l * l."""
    return HBAR / (E_CHARGE * (lb_over_l * L) ** 2)


def walks(field, *, samples, time, seed, **kw):
    kw.setdefault("fit_from", 5.0)
    return simulate_walks(2, samples=samples, time=time * TAU, tau=TAU, speed=V, seed=seed,
                          field=field, progress=False, **kw)


@pytest.fixture(scope="module")
def ballistic():
    """l_B = l, 50,000 walkers x 40 tau (2e6 collisions)."""
    return walks(field_of(1.0), samples=50000, time=40, seed=21)


@pytest.fixture(scope="module")
def diffusive():
    """l_B = 8 l (B = B_tr / 32), 100,000 walkers x 200 tau (2e7 collisions), a return disk
    of radius l (16 times the default's returns; its own bias, exp(-(r^2/8Dt)(y coth y - 1))
    from Levy's conditional area law, is below 0.3 % here)."""
    return walks(field_of(8.0), samples=100000, time=200, seed=22, loop_radius=L)


def test_zero_field_weight_is_one_and_the_sign_of_b_does_not_matter():
    kw = dict(samples=3000, time=20, seed=5, tau_phi=2 * TAU, fit_from=1.0)
    r0 = walks(0.0, **kw)
    np.testing.assert_array_equal(r0.loop_p0_field, r0.loop_p0)
    assert np.all(r0.suppression[np.isfinite(r0.suppression)] == 1.0)
    assert r0.integrated_field == r0.integrated_loop and r0.wl_removed == 0.0
    plus, minus = walks(field_of(1.0), **kw), walks(-field_of(1.0), **kw)
    for name in ("loop_p0", "loop_p0_field", "suppression", "suppression_stderr",
                 "integrated_field", "wl_removed"):
        np.testing.assert_array_equal(getattr(plus, name), getattr(minus, name))
    # the field does change something, and leaves the unweighted loops alone
    assert plus.wl_removed > 0
    np.testing.assert_array_equal(plus.loop_p0, r0.loop_p0)
    # nor does it touch the large ball's P(0, t) and the rest of the result
    plain = simulate_walks(2, samples=3000, time=20 * TAU, tau=TAU, speed=V, seed=5,
                           tau_phi=2 * TAU, fit_from=1.0, progress=False)
    np.testing.assert_array_equal(plus.p0, plain.p0)
    np.testing.assert_array_equal(plus.vacf, plain.vacf)
    assert plain.loop_p0 is None and plain.params["field_T"] is None


def test_loop_return_density_is_the_diffusive_one(ballistic):
    """P_loop(t) = 1/(4 pi D t) for t >= 3 tau (disk radius 0.25 l: its r^2/4Dt < 0.6 %)."""
    r = ballistic
    m = r.times >= 3 * TAU
    theory = 1.0 / (4 * np.pi * D * r.times[m])
    z = (r.loop_p0[m] - theory) / r.loop_p0_stderr[m]
    assert np.all(np.abs(z) < Z), z
    assert r.params["loop_radius_m"] == pytest.approx(0.25 * L)
    # before t = r / v no walker can have left the disk
    early = r.times < 0.25 * TAU
    np.testing.assert_allclose(r.loop_p0[early] * np.pi * (0.25 * L) ** 2, 1.0, rtol=1e-12)
    assert not np.any((r.loop_p0[~early] * np.pi * (0.25 * L) ** 2)[:3] > 0.9)


def test_ballistic_loops_keep_their_interference(ballistic):
    """l_B = l: at t = 5 tau, y = 5 and y/sinh y = 0.07, but the few-collision loops there
    enclose areas below l_B^2 and keep about half of their interference."""
    r = ballistic
    near = np.abs(r.times / TAU - 5.0) < 0.6
    assert near.sum() >= 2
    excess = (r.suppression[near] - r.suppression_diffusive[near]) / r.suppression_stderr[near]
    assert np.all(excess > 8), excess
    np.testing.assert_allclose(r.suppression_diffusive[near],
                               cooperon_field_factor(r.times[near], D, field_of(1.0)))
    # long loops do lose it: the field kills everything beyond ~ 15 tau
    late = r.times > 15 * TAU
    assert np.all(np.abs(r.suppression[late]) < Z * r.suppression_stderr[late] + 0.05)


def test_diffusive_loops_follow_y_over_sinh_y(diffusive):
    """l_B = 8 l, t = 20 .. 200 tau: suppression = y/sinh y, y = 2 D e B t/hbar = t/(64 tau).

    Tolerance: Z standard errors (jackknife over the blocks) plus the persistent walk's own
    correction: its loops are straight on the scale of tau, and their area variance falls
    short of the Brownian one by a relative O(tau/t) (about 7 tau/t in long runs of this
    setup), so 1 - y/sinh y is allowed to be off by 10 tau/t of itself.
    """
    r = diffusive
    t = r.times
    m = (t >= 20 * TAU) & (t <= 200 * TAU)
    f = r.suppression_diffusive[m]
    tol = Z * r.suppression_stderr[m] + 10 * TAU / t[m] * (1 - f)
    dev = np.abs(r.suppression[m] - f)
    assert np.all(dev < tol), dev / tol
    assert f.min() < 0.3   # the field has done most of its work by 200 tau
    # the test can tell: a charge-e phase, (y/2)/sinh(y/2), fails it at every t >= 100 tau
    late = t[m] >= 100 * TAU
    f_e = cooperon_field_factor(t[m][late], D, field_of(8.0) / 2)
    assert np.all(np.abs(r.suppression[m][late] - f_e) > tol[late])


def test_results_do_not_depend_on_the_collision_budget():
    """The swept area is saved and restored with the walker: bit-identical loop sums."""
    from weakloc.montecarlo._rng import walker_keys
    from weakloc.montecarlo._walkkernel import WalkRun

    T = 30 * TAU
    times = np.geomspace(0.05 * TAU, T, 40)
    k_half = 20
    gk_w = np.full(times.size, TAU / 40)
    rball2 = 0.25 * 4 * V**2 * TAU * times
    keys, _ = walker_keys(4, 200)
    runs = {}
    for budget in (1, 7, 2**62):
        run = WalkRun(keys, 24, 2, V, TAU, 0.0, times, rball2, gk_w, k_half,
                      loop_radius=0.5 * L, field=field_of(1.0))
        calls = 1
        while not run.advance(budget):
            calls += 1
        runs[budget] = (calls, run.loop_sums(), run.sums())
    assert runs[1][0] > 100 and runs[2**62][0] == 1
    one = runs[2**62]
    assert one[1][0].sum() > 100   # walkers did come back
    assert np.any(one[1][1] != one[1][0])   # and the field weighted them
    for _, loops, sums in runs.values():
        for a, b in zip(loops + sums, one[1] + one[2]):
            np.testing.assert_array_equal(a, b)


def test_field_removes_less_weak_localization_than_diffusion_says():
    """With tau_phi = 25 tau and l_B = 4 l (B = B_tr / 8): the field-removed correction
    2 D (int P_loop w - int P_field w) (e^2/h, spinless) is positive but well below the
    diffusive Cooperon's 2 D int (1 - y/sinh y) w / (4 pi D t) dt: the loops of a few mean
    free paths that dominate at t <~ tau_phi enclose less flux than Brownian ones."""
    r = walks(field_of(4.0), samples=40000, time=200, seed=23, tau_phi=25 * TAU,
              loop_radius=L)
    t = r.times
    w = np.exp(-t / (25 * TAU)) - np.exp(-t / TAU)
    f = cooperon_field_factor(t, D, field_of(4.0))
    diffusive = 2 * D * np.trapezoid((1 - f) / (4 * np.pi * D * t) * w, t)
    assert r.wl_removed == pytest.approx(2 * D * (r.integrated_loop - r.integrated_field))
    assert r.wl_removed > 10 * r.wl_removed_stderr
    assert diffusive - r.wl_removed > 10 * r.wl_removed_stderr
    # the two integrals are correlated: the difference is known better than either
    assert r.wl_removed_stderr < 2 * D * math.hypot(r.integrated_loop_stderr,
                                                    r.integrated_field_stderr)
    # the same walks without the field remove nothing
    r0 = walks(0.0, samples=40000, time=200, seed=23, tau_phi=25 * TAU, loop_radius=L)
    assert r0.wl_removed == 0.0 and r0.integrated_loop == r.integrated_loop


def test_sweep_task_passes_field_and_radius():
    params = {"dim": 2, "samples": 500, "time": 20 * TAU, "tau": TAU, "speed": V,
              "fit_from": 1.0, "tau_phi": 2 * TAU, "field": field_of(1.0),
              "loop_radius": 0.5 * L}
    out = sweep_task(params, stream(3, 0))
    assert out["field_T"] == field_of(1.0) and out["loop_radius_m"] == 0.5 * L
    for key in ("integrated_loop", "integrated_field", "wl_removed", "wl_removed_stderr"):
        assert isinstance(out[key], float) and math.isfinite(out[key])


@pytest.mark.parametrize("kw, match", [
    (dict(dim=3, field=1.0), "dim=2"),
    (dict(dim=1, field=1.0), "dim=2"),
    (dict(dim=2, field=1.0, loop_radius=-1e-9), "loop_radius"),
    (dict(dim=2, field=1.0, loop_radius=0.0), "loop_radius"),
    (dict(dim=2, loop_radius=1e-9), "needs field"),
    (dict(dim=2, field=[1.0, 2.0]), "one number"),
    (dict(dim=2, field=float("nan")), "field"),
])
def test_bad_loop_input_is_refused(kw, match):
    dim = kw.pop("dim")
    with pytest.raises(InputError, match=match):
        simulate_walks(dim, samples=100, time=200 * TAU, tau=TAU, speed=V, progress=False,
                       **kw)


def test_cli_field_json(capsys):
    import json

    from weakloc.cli import main

    B = field_of(1.0)
    argv = ["randomwalk", "--dim", "2", "--samples", "3000", "--time", str(40 * TAU),
            "--tau-phi", str(4 * TAU), "--field", str(B), "--fit-from", "10", "--seed", "3",
            "--json"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    loops = doc["loops"]
    assert doc["inputs"]["field_T"] == B
    assert doc["inputs"]["loop_radius_m"] == pytest.approx(0.25 * L)
    r = walks(B, samples=3000, time=40, seed=3, tau_phi=4 * TAU, fit_from=10.0)
    assert loops["wl_removed"] == r.wl_removed
    assert len(loops["times_s"]) == len(loops["p_loop"]) == len(loops["suppression"])
    assert loops["unit"] == "m^-2" and "spinless" in loops["wl_removed_unit"]


@pytest.mark.parametrize("argv, words", [
    (["randomwalk", "--dim", "3", "--field", "1"], "dim=2"),
    (["randomwalk", "--dim", "2", "--field", "1", "--loop-radius", "-1e-9"], "loop_radius"),
    (["randomwalk", "--dim", "2", "--lattice", "--field", "1"], "--lattice"),
])
def test_cli_bad_field_input_one_line_exit_2(capsys, argv, words):
    from weakloc.cli import main

    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err
