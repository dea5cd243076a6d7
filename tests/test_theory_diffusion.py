"""Classical diffusion: Green-Kubo, Drude, return probability, regime checks."""

import numpy as np
import pytest
from scipy.integrate import quad

from weakloc.errors import InputError
from weakloc.theory import (
    diffusion_constant,
    diffusive_regime,
    drude_conductivity,
    free_electron_dos,
    green_kubo_diffusion,
    mean_free_path,
    phase_coherence_length,
    return_probability,
)
from weakloc.units import E_CHARGE, HBAR, M_E

VF = 2.0e5  # m/s


@pytest.mark.parametrize("d", [1, 2, 3])
@pytest.mark.parametrize("tau", [1e-15, 3e-12, 2.0])
def test_green_kubo_callable_exponential_vacf(d, tau):
    # <v(0).v(t)> = v^2 exp(-t/tau)  ->  D = v^2 tau / d, over 15 decades of tau
    D = green_kubo_diffusion(lambda t: VF**2 * np.exp(-t / tau), d)
    assert D == pytest.approx(VF**2 * tau / d, rel=1e-8)
    assert D == pytest.approx(float(diffusion_constant(VF, tau, d)), rel=1e-8)


def test_green_kubo_callable_finite_upper_limit_and_oscillating_vacf():
    tau, w = 1e-13, 3e13
    # finite t_max: the integral of the exponential up to t_max
    D = green_kubo_diffusion(lambda t: VF**2 * np.exp(-t / tau), 2, t_max=2 * tau)
    assert D == pytest.approx(VF**2 * tau * (1 - np.exp(-2)) / 2, rel=1e-10)
    # damped oscillation: int_0^inf e^{-t/tau} cos(w t) dt = tau / (1 + (w tau)^2)
    D = green_kubo_diffusion(lambda t: VF**2 * np.exp(-t / tau) * np.cos(w * t), 3)
    assert D == pytest.approx(VF**2 * tau / (1 + (w * tau) ** 2) / 3, rel=1e-7)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_green_kubo_sampled_with_tail(d):
    tau = 4e-14
    t = np.linspace(0, 5 * tau, 501)  # stops at 5 tau: the tail holds e^-5 = 0.7 %
    c = VF**2 * np.exp(-t / tau)
    exact = VF**2 * tau / d
    res = green_kubo_diffusion(c, d, times=t, details=True)
    assert res["D"] == pytest.approx(exact, rel=1e-6)
    assert res["tail"] == pytest.approx(VF**2 * tau * np.exp(-5), rel=1e-6)
    assert green_kubo_diffusion((t, c), d) == pytest.approx(res["D"], rel=1e-14)
    # without the tail estimate the truncated integral is what remains
    D0 = green_kubo_diffusion(c, d, times=t, tail="none")
    assert D0 == pytest.approx(exact * (1 - np.exp(-5)), rel=1e-6)
    # trapezoid: error h^2/12 tau^2 relative (h = tau/100 -> 8.3e-6)
    Dt = green_kubo_diffusion(c, d, times=t, method="trapezoid")
    assert abs(Dt / exact - 1) < 2 * (1 / 100) ** 2 / 12
    assert abs(Dt / exact - 1) > 1e-7  # and the rule really differs from Simpson


def test_green_kubo_sampled_no_tail_for_oscillating_data():
    tau, w = 1e-13, 5e13
    t = np.linspace(0, 30 * tau, 6001)
    c = VF**2 * np.exp(-t / tau) * np.cos(w * t)
    res = green_kubo_diffusion(c, 2, times=t, details=True)
    assert res["D"] == pytest.approx(VF**2 * tau / (1 + (w * tau) ** 2) / 2, rel=1e-6)


def test_green_kubo_bad_input():
    t = np.linspace(0, 1, 10)
    with pytest.raises(InputError, match="times"):
        green_kubo_diffusion(np.ones(10), 2)
    with pytest.raises(InputError, match="start at 0"):
        green_kubo_diffusion(np.ones(10), 2, times=t + 1)
    with pytest.raises(InputError, match="increasing"):
        green_kubo_diffusion(np.ones(10), 2, times=t[::-1])
    with pytest.raises(InputError, match="NaN"):
        green_kubo_diffusion(np.full(10, np.nan), 2, times=t)
    with pytest.raises(InputError, match="dimension"):
        green_kubo_diffusion(lambda s: np.exp(-s), 4)
    with pytest.raises(InputError, match="t_max"):
        green_kubo_diffusion(lambda s: 1.0, 1)  # never decays


@pytest.mark.parametrize("d", [1, 2, 3])
def test_drude_equals_n_e2_tau_over_m(d):
    # e^2 nu D0 with the free-electron DOS must reproduce the Drude form n e^2 tau / m
    m, ef, tau = 0.067 * M_E, 10e-3 * E_CHARGE, 1e-12
    kf = np.sqrt(2 * m * ef) / HBAR
    vf = HBAR * kf / m
    n = {1: 2 * kf / np.pi, 2: kf**2 / (2 * np.pi), 3: kf**3 / (3 * np.pi**2)}[d]
    sigma = drude_conductivity(free_electron_dos(m, ef, d), diffusion_constant(vf, tau, d))
    assert sigma == pytest.approx(n * E_CHARGE**2 * tau / m, rel=1e-12)
    # per-spin DOS with an explicit spin degeneracy gives the same number
    nu1 = free_electron_dos(m, ef, d, spin_degeneracy=1)
    sigma2 = drude_conductivity(nu1, diffusion_constant(vf, tau, d), spin_degeneracy=2)
    assert sigma2 == pytest.approx(sigma, rel=1e-12)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_return_probability_is_the_peak_of_a_normalized_gaussian(d):
    D, t = 3e-3, 2e-12
    p0 = float(return_probability(t, D, d))
    shell = {1: lambda r: 2.0, 2: lambda r: 2 * np.pi * r, 3: lambda r: 4 * np.pi * r**2}[d]
    s = np.sqrt(4 * D * t)
    norm, _ = quad(lambda x: shell(x * s) * s * p0 * np.exp(-(x**2)), 0, np.inf)
    assert norm == pytest.approx(1.0, rel=1e-10)
    # t^(-d/2) scaling
    assert return_probability(4 * t, D, d) / p0 == pytest.approx(2.0 ** (-d))


def test_lengths():
    assert mean_free_path(VF, 1e-13) == pytest.approx(2e-8)
    assert phase_coherence_length(1e-2, 1e-10) == pytest.approx(1e-6)
    with pytest.raises(InputError, match="tau must be positive"):
        mean_free_path(VF, -1e-13)
    with pytest.raises(InputError, match="NaN"):
        phase_coherence_length(np.nan, 1e-10)
    with pytest.raises(InputError, match="positive"):
        phase_coherence_length(1e-2, 0.0)


def test_diffusive_regime_names_failing_conditions():
    ok = diffusive_regime(size=1e-6, mean_free_path=1e-8, time=1e-11, tau=1e-13, omega=1e9)
    assert ok.ok and bool(ok) and ok.failing == ()
    assert ok.ratios["L >> l"] == pytest.approx(100)
    bad = diffusive_regime(size=5e-8, mean_free_path=1e-8, time=1e-11, tau=1e-13,
                           omega=1e13)
    assert not bad.ok
    assert set(bad.failing) == {"L >> l", "omega tau << 1"}
    assert bad.ratios["L >> l"] == pytest.approx(5)
    assert bad.ratios["omega tau << 1"] == pytest.approx(1.0)
    # omega = 0 (DC) always satisfies omega tau << 1
    assert diffusive_regime(time=1e-10, tau=1e-13, omega=0.0).ok
    # a looser threshold accepts L = 5 l
    assert diffusive_regime(size=5e-8, mean_free_path=1e-8, threshold=4).ok
    with pytest.raises(InputError, match="mean_free_path"):
        diffusive_regime(size=1e-6)
    with pytest.raises(InputError, match="nothing to check"):
        diffusive_regime()
