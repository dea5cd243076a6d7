"""Weak-localization correction, beta(g), integrated return probability, propagators."""

import numpy as np
import pytest
from scipy.integrate import quad

from weakloc.errors import InputError
from weakloc.theory import (
    beta_function,
    cooperon,
    diffuson,
    integrated_return_probability,
    return_probability,
    wl_correction,
)
from weakloc.units import E2_OVER_H, E_CHARGE, G0, HBAR

TAU, D = 1e-13, 2e-3  # s, m^2/s


@pytest.mark.parametrize("cutoff", ["exponential", "sharp"])
@pytest.mark.parametrize("symmetry,factor", [("orthogonal", -1.0), ("unitary", 0.0),
                                             ("symplectic", 0.5)])
def test_2d_correction_is_logarithmic(cutoff, symmetry, factor):
    tphi = TAU * np.logspace(1, 6, 6)
    ds = wl_correction(2, TAU, tphi, symmetry=symmetry, cutoff=cutoff)
    step = wl_correction(2, TAU, np.e * tphi, symmetry=symmetry, cutoff=cutoff) - ds
    # multiplying tau_phi by e changes the sheet conductance by exactly -G0 (orthogonal)
    assert np.allclose(step, factor * G0, rtol=1e-12, atol=1e-20)
    # REFERENCE.md: -(e^2 / 2 pi^2 hbar) ln(tau_phi / tau), spin degeneracy 2 included
    ref = -(E_CHARGE**2 / (2 * np.pi**2 * HBAR)) * np.log(tphi / TAU)
    assert np.allclose(ds, -factor * ref, rtol=1e-12, atol=1e-20)
    # D cancels in 2D
    assert np.allclose(wl_correction(2, TAU, tphi, diffusion=7.0, symmetry=symmetry,
                                     cutoff=cutoff), ds, rtol=1e-12, atol=1e-20)


def test_spin_degeneracy_is_explicit():
    full = wl_correction(2, TAU, 1e3 * TAU)
    half = wl_correction(2, TAU, 1e3 * TAU, spin_degeneracy=1)
    assert half == pytest.approx(full / 2)


def test_1d_correction_grows_as_sqrt_tau_phi():
    tphi = TAU * np.logspace(2, 8, 7)
    ds = wl_correction(1, TAU, tphi, diffusion=D)
    l_phi, l_tau = np.sqrt(D * tphi), np.sqrt(D * TAU)
    # REFERENCE.md: dG = -(2 e^2/h) L_phi / L, i.e. delta sigma_1D = -(2e^2/h) L_phi (+ const)
    assert np.allclose(ds, -2 * E2_OVER_H * (l_phi - l_tau), rtol=1e-12)
    # quadrupling tau_phi doubles the growing part exactly
    grow = wl_correction(1, TAU, 4 * tphi, diffusion=D) - ds
    assert np.allclose(grow, -2 * E2_OVER_H * l_phi, rtol=1e-12)
    # the sharp window gives the same sqrt law with a 2/sqrt(pi) larger prefactor
    sharp = wl_correction(1, TAU, tphi, diffusion=D, cutoff="sharp")
    assert np.allclose(sharp / ds, 2 / np.sqrt(np.pi), rtol=1e-12)


def test_3d_correction_converges():
    tphi = TAU * np.logspace(1, 12, 12)
    ds = wl_correction(3, TAU, tphi, diffusion=D)
    limit = -(E_CHARGE**2 / (2 * np.pi**2 * HBAR)) / np.sqrt(D * TAU)
    # REFERENCE.md: delta sigma = +(e^2/2 pi^2 hbar)/L_phi + const
    assert np.allclose(ds - limit, (E_CHARGE**2 / (2 * np.pi**2 * HBAR))
                       / np.sqrt(D * tphi), rtol=1e-9)
    assert np.all(np.diff(ds) < 0)  # more coherence, more localization ...
    assert abs(ds[-1] / limit - 1) < 1e-5  # ... but bounded: converges to the limit


def test_size_cuts_the_coherent_window():
    L = 1e-6
    big = wl_correction(2, TAU, 1.0, diffusion=D, size=L)
    assert big == pytest.approx(float(wl_correction(2, TAU, L**2 / D)))
    small = wl_correction(2, TAU, 1e-12, diffusion=D, size=L)  # tau_phi < L^2/D wins
    assert small == pytest.approx(float(wl_correction(2, TAU, 1e-12)))
    with pytest.raises(InputError, match="diffusion"):
        wl_correction(2, TAU, 1e-11, size=L)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_integrated_return_probability_closed_form_vs_quadrature(d):
    tphi = 300 * TAU
    sharp, _ = quad(lambda t: float(return_probability(t, D, d)), TAU, tphi, limit=200)
    assert integrated_return_probability(TAU, tphi, D, d) == pytest.approx(sharp, rel=1e-9)

    def smooth(t):
        return float(return_probability(t, D, d)) * (np.exp(-t / tphi) - np.exp(-t / TAU))

    # reduced time x = t / tau so that quad sees O(1) scales
    edges = [0.0, 1.0, 300.0, np.inf]
    num = TAU * sum(quad(lambda x: smooth(x * TAU), a, b, limit=200)[0]
                    for a, b in zip(edges[:-1], edges[1:]))
    closed = integrated_return_probability(TAU, tphi, D, d, cutoff="exponential")
    assert closed == pytest.approx(num, rel=1e-8)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_cooperon_momentum_integral_equals_time_integral(d):
    # int d^dq/(2 pi)^d [C(q,0; tau_phi) - C(q,0; tau)] = exponential-window time integral
    tphi = 500 * TAU
    shell = {1: 2 / (2 * np.pi), 2: 2 * np.pi / (2 * np.pi) ** 2,
             3: 4 * np.pi / (2 * np.pi) ** 3}[d]
    scale = 1 / np.sqrt(D * TAU)

    def f(x):
        q = x * scale
        c = cooperon(q, 0.0, D, tphi) - cooperon(q, 0.0, D, TAU)
        return shell * q ** (d - 1) * float(c.real) * scale

    num = quad(f, 0, 1, limit=200)[0] + quad(f, 1, np.inf, limit=200)[0]
    closed = integrated_return_probability(TAU, tphi, D, d, cutoff="exponential")
    assert num == pytest.approx(float(closed), rel=1e-7)


def test_diffuson_is_laplace_transform_of_diffusion_kernel():
    q, w = 2e7, 3e11
    gamma = D * q**2
    # reduced time x = gamma t; the oscillating integrals use quad's Fourier weights
    re = quad(lambda x: np.exp(-x), 0, np.inf, weight="cos", wvar=w / gamma)[0] / gamma
    im = quad(lambda x: np.exp(-x), 0, np.inf, weight="sin", wvar=w / gamma)[0] / gamma
    assert diffuson(q, w, D) == pytest.approx(re + 1j * im, rel=1e-8)
    assert diffuson(0.0, w, D) == pytest.approx(1j / w)  # particle conservation
    assert np.isinf(diffuson(0.0, 0.0, D).real)  # the pole
    assert cooperon(q, w, D, np.inf) == pytest.approx(diffuson(q, w, D))
    assert cooperon(0.0, 0.0, D, 1e-11) == pytest.approx(1e-11)  # gap = 1/tau_phi
    with pytest.raises(InputError, match="tau_phi"):
        cooperon(q, w, D, -1.0)


def test_beta_function_matches_size_dependence_of_2d_correction():
    # dg/dlnL from the size-cut 2D correction, with g in units of e^2/h
    sigma0 = 30 * E2_OVER_H
    L = np.array([1e-6, 1e-6 * np.exp(1e-3)])
    for sym in ("orthogonal", "unitary", "symplectic"):
        g = (sigma0 + wl_correction(2, TAU, 1.0, diffusion=D, size=L, symmetry=sym)) / E2_OVER_H
        numeric = np.diff(np.log(g))[0] / 1e-3
        assert beta_function(g.mean(), 2, symmetry=sym) == pytest.approx(numeric, rel=1e-3,
                                                                           abs=1e-12)
    # orthogonal, spin-degenerate: c = 2/pi for g in e^2/h (1/pi^2 in units of e^2/hbar)
    assert beta_function(10.0, 2) == pytest.approx(-2 / (np.pi * 10))
    assert beta_function(10.0, 3) == pytest.approx(1 - 2 / (np.pi * 10))
    assert beta_function(10.0, 1, symmetry="unitary") == -1.0
    assert beta_function(10.0, 2, symmetry="symplectic") > 0


@pytest.mark.parametrize("kwargs,match", [
    (dict(dim=4, tau=TAU, tau_phi=1e-11), "dimension"),
    (dict(dim=2, tau=-TAU, tau_phi=1e-11), "tau must be positive"),
    (dict(dim=2, tau=TAU, tau_phi=np.nan), "NaN"),
    (dict(dim=2, tau=TAU, tau_phi=1e-11, symmetry="chiral"), "symmetry must be one of"),
    (dict(dim=1, tau=TAU, tau_phi=1e-11), "give diffusion"),
    (dict(dim=3, tau=TAU, tau_phi=1e-11, diffusion=-1.0), "diffusion must be positive"),
    (dict(dim=2, tau=TAU, tau_phi=1e-11, spin_degeneracy=3), "spin_degeneracy"),
])
def test_wl_correction_bad_input(kwargs, match):
    with pytest.raises(InputError, match=match):
        wl_correction(**kwargs)


def test_other_bad_input():
    with pytest.raises(InputError, match="cutoff"):
        integrated_return_probability(TAU, 1e-11, D, 2, cutoff="soft")
    with pytest.raises(InputError, match="g must be positive"):
        beta_function(-1.0, 2)
    with pytest.raises(InputError, match="dimension"):
        beta_function(1.0, True)


def test_strong_field_removes_the_zero_field_correction():
    # HLN with the elastic cutoff B_e and no spin scattering (alpha = chi g_s / 2 = 1):
    # for B >> B_e every Cooperon is gone, so sigma(B) - sigma(0) = -delta sigma(0) with the
    # cutoff times tau = l_e^2 / D, tau_phi = L_phi^2 / D.
    from weakloc.theory.magnetoconductance import hln_full
    from weakloc.units import length_to_field

    l_e, l_phi = 20e-9, 1e-6
    b_huge = 1e7 * float(length_to_field(l_e))
    gain = float(hln_full(b_huge, l_phi, np.inf, l_e=l_e))
    zero_field = float(wl_correction(2, l_e**2 / D, l_phi**2 / D, diffusion=D))
    assert gain == pytest.approx(-zero_field, rel=1e-5)


def test_cooperon_field_factor_is_the_landau_level_sum():
    """y/sinh y against the Cooperon's Landau levels: P_B(0, t) = (2eB/h) sum_n
    exp(-(n + 1/2) 4 D t / l_B^2), divided by P(0, t) = 1/(4 pi D t)."""
    from weakloc.theory import cooperon_field_factor

    D, B = 0.05, 0.3
    lb2 = HBAR / (E_CHARGE * B)
    t = np.array([1e-13, 1e-12, 1e-11, 1e-10])
    n = np.arange(20000)[:, None]
    levels = (2 * E_CHARGE * B / (2 * np.pi * HBAR)) * np.exp(-(n + 0.5) * 4 * D * t / lb2).sum(0)
    np.testing.assert_allclose(cooperon_field_factor(t, D, B), levels * 4 * np.pi * D * t,
                               rtol=1e-9)
    # limits: 1 at B = 0 or t = 0, even in B, 2 y e^-y without overflow at large y
    assert cooperon_field_factor(0.0, D, B) == 1.0 and cooperon_field_factor(t, D, 0.0).min() == 1
    np.testing.assert_array_equal(cooperon_field_factor(t, D, -B), cooperon_field_factor(t, D, B))
    t_big = 712.0 * HBAR / (2 * D * E_CHARGE * B)   # y = 712: sinh y overflows a double
    assert cooperon_field_factor(t_big, D, B) == pytest.approx(1424 * np.exp(-712.0), rel=1e-6)
    assert cooperon_field_factor(t_big, D, B) > 0
    with pytest.raises(InputError):
        cooperon_field_factor(-1.0, D, B)
