"""sigma(T): weak localization vs electron-electron interaction, recovered from synthetic
data built from the microscopic forms, with coverage of the error bars; bad input."""

import numpy as np
import pytest
from scipy import constants as c

from weakloc.errors import InputError
from weakloc.fitting.sigma_t import fit_sigma_t
from weakloc.theory.interaction import interaction_coefficient, sigma_t_1d, sigma_t_2d

G00 = c.e**2 / (2 * np.pi**2 * c.hbar)
T = np.geomspace(0.3, 10.0, 15)


def film(T, *, alpha, p, f, field, noise, rng):
    """WL -alpha G00 ln(tau_phi/tau) with tau_phi = 30 ps T^-p, tau = 0.1 ps; AA G00 (1 -
    3F/4) ln(k_B T tau / hbar); Drude 1 mS."""
    tau, tau_phi = 1e-13, 3e-11 * T ** (-p)
    wl = 0.0 if field else -alpha * G00 * np.log(tau_phi / tau)
    aa = G00 * (1 - 0.75 * f) * np.log(c.k * T * tau / c.hbar)
    return 1e-3 + wl + aa + noise * rng.standard_normal(T.size)


def test_closed_forms():
    assert interaction_coefficient(0.0) == 1.0
    t = np.array([0.5, 1.0, 4.0])
    s = sigma_t_2d(t, sigma_1k=1e-3, alpha_p=1.0, a_ee=0.7)
    assert np.allclose(np.diff(s) / np.diff(np.log(t)), 1.7 * G00)
    s1 = sigma_t_1d(t, sigma_inf=0.0, l_phi_1k=1e-6, p=1.0, a_ee=0.0)
    assert s1[1] == pytest.approx(-2 * c.e**2 / c.h * 1e-6)


def test_2d_separation_and_coverage():
    rng = np.random.default_rng(5)
    alpha, p, f, noise = 1.0, 1.0, 0.4, 2e-8
    z_ee, z_ap = [], []
    for _ in range(200):
        s0 = film(T, alpha=alpha, p=p, f=f, field=False, noise=noise, rng=rng)
        sb = film(T, alpha=alpha, p=p, f=f, field=True, noise=noise, rng=rng)
        r = fit_sigma_t(T, s0, temperature_field=T, sigma_field=sb, dim=2, p=p)
        z_ee.append((r.parameters["a_ee"].value - (1 - 0.75 * f)) / r.parameters["a_ee"].stderr)
        z_ap.append((r.parameters["alpha_p"].value - alpha * p) / r.parameters["alpha_p"].stderr)
    for z in (np.array(z_ee), np.array(z_ap)):
        assert abs(np.mean(np.abs(z) < 1) - 0.683) < 3 * np.sqrt(0.683 * 0.317 / z.size)
        assert abs(z.mean()) < 3 / np.sqrt(z.size) * 1.2
    assert r.parameters["f_sigma"].value == pytest.approx(f, abs=0.05)
    assert r.parameters["alpha"].value == pytest.approx(alpha, abs=0.05)


def test_2d_symplectic_without_field_data():
    rng = np.random.default_rng(6)
    s0 = film(T, alpha=-0.5, p=1.0, f=0.3, field=False, noise=1e-8, rng=rng)
    r = fit_sigma_t(T, s0, dim=2, p=1.0, alpha=-0.5)
    assert r.parameters["a_ee"].value == pytest.approx(1 - 0.75 * 0.3, abs=4 * r.parameters[
        "a_ee"].stderr)
    with pytest.raises(InputError, match="needs either field data"):
        fit_sigma_t(T, s0, dim=2)


def test_wire_recovers_l_phi_and_p():
    rng = np.random.default_rng(7)
    L1, p, a_ee = 800e-9, 2.0 / 3.0, -3e-12  # Nyquist in 1D: L_phi ~ T^(-1/3)
    lphi = L1 * T ** (-p / 2)
    wl = -2 * c.e**2 / c.h * lphi
    aa = a_ee / np.sqrt(T)
    noise = 5e-15
    s0 = 1e-9 + wl + aa + noise * rng.standard_normal(T.size)
    sb = 1e-9 + aa + noise * rng.standard_normal(T.size)
    r = fit_sigma_t(T, s0, dim=1, temperature_field=T, sigma_field=sb)
    par = r.parameters
    assert abs(par["p"].value - p) < 4 * par["p"].stderr
    assert abs(par["l_phi_1k"].value - L1) < 0.05 * L1
    assert abs(par["a_ee"].value - a_ee) < 4 * par["a_ee"].stderr
    d = r.as_dict()
    assert d["l_phi_1k"]["unit"] == "m" and d["unit"] == "S m"


def test_bad_input():
    with pytest.raises(InputError, match="distinct temperatures"):
        fit_sigma_t([1.0, 1.0, 2.0], [1e-3, 1e-3, 1.1e-3], dim=2, p=1, alpha=1)
    with pytest.raises(InputError, match="both temperatures"):
        fit_sigma_t(T, T, dim=2, sigma_field=T)
    with pytest.raises(InputError, match="temperature must be positive"):
        fit_sigma_t(-T, T, dim=2, p=1, alpha=1)


# -- the 1D and 3D interaction amplitudes as F_sigma -------------------------------------

E4PI2HBAR = c.e**2 / (4 * np.pi**2 * c.hbar)


def _thermal(x):
    """(x coth x)' = coth x - x / sinh^2 x, the thermal factor of the Altshuler-Aronov integral."""
    return np.where(x < 30, 1 / np.tanh(np.minimum(x, 30)) - x / np.sinh(np.minimum(x, 30))**2,
                    1.0)


def aa_integrals():
    """The 3D and 1D thermal integrals by quadrature (independent of the closed forms)."""
    from scipy.integrate import quad

    j3 = sum(quad(lambda x: x**-0.5 * (_thermal(x) - 1.0), a, b, limit=200)[0]
             for a, b in ((0, 1), (1, 40)))
    j1 = sum(quad(lambda x: x**-1.5 * _thermal(x), a, b, limit=200)[0]
             for a, b in ((0, 1), (1, 200)))
    j1 += 2 / np.sqrt(200.0)   # tail: g -> 1
    return j3, j1


def test_aa_constants_are_the_thermal_integrals():
    from weakloc.theory.interaction import AA_CONSTANTS, interaction_amplitude

    j3, j1 = aa_integrals()
    assert AA_CONSTANTS[3] == pytest.approx(-j3 / np.sqrt(2), rel=1e-6)
    assert AA_CONSTANTS[1] == pytest.approx(j1 / 4, rel=1e-6)
    # Lee and Ramakrishnan's 3D form with its rounded "1.3"
    D, F = 2e-4, 0.4
    lr = E4PI2HBAR * 1.3 * (4 / 3 - 1.5 * F) * np.sqrt(c.k / (2 * c.hbar * D))
    assert interaction_amplitude(F, dim=3, diffusion=D) == pytest.approx(lr, rel=5e-3)
    # the 1D correction at F = 0 is -(e^2 / 2 pi hbar) J1 L_T, L_T = sqrt(hbar D / k_B T)
    a1 = interaction_amplitude(0.0, dim=1, diffusion=D)
    assert a1 == pytest.approx(-c.e**2 / (2 * np.pi * c.hbar) * j1 * np.sqrt(c.hbar * D / c.k),
                               rel=1e-6)
    with pytest.raises(InputError, match="2D"):
        interaction_amplitude(F, dim=2, diffusion=D)


def wire_or_bulk(dim, T, *, f, D, L1, p, field, noise, rng):
    """Written out from the microscopic forms: WL of L_phi = L1 T^(-p/2) and the interaction
    term with the quadrature constants (3D: S/m, 1D: G L in S m)."""
    j3, j1 = aa_integrals()
    lt = np.sqrt(c.hbar * D / (c.k * T))
    if dim == 3:
        aa = E4PI2HBAR * (-j3 / np.sqrt(2)) * (4 / 3 - 1.5 * f) / (np.sqrt(2) * lt)
        wl = G00 * T ** (p / 2) / L1
        base = 1e5
    else:
        aa = -(c.e**2 / c.h) * (j1 / 4) * (4 - 1.5 * f) * lt
        wl = -2 * c.e**2 / c.h * L1 * T ** (-p / 2)
        base = 1e-9
    return base + aa + (0.0 if field else wl) + noise * rng.standard_normal(T.size)


@pytest.mark.parametrize("dim,noise,D", [(3, 10.0, 3e-4), (1, 2e-14, 5e-3)])
def test_wire_and_bulk_f_sigma_recovered_with_coverage(dim, noise, D):
    rng = np.random.default_rng(11 + dim)
    f, L1, p, rel_d = 0.6, 300e-9, 1.5, 0.05
    z = []
    for _ in range(150):
        s0 = wire_or_bulk(dim, T, f=f, D=D, L1=L1, p=p, field=False, noise=noise, rng=rng)
        sb = wire_or_bulk(dim, T, f=f, D=D, L1=L1, p=p, field=True, noise=noise, rng=rng)
        d_meas = D * (1 + rel_d * rng.standard_normal())   # D measured with 5 % error
        r = fit_sigma_t(T, s0, dim=dim, temperature_field=T, sigma_field=sb, p=p,
                        diffusion=d_meas, diffusion_stderr=rel_d * D)
        fs = r.parameters["f_sigma"]
        z.append((fs.value - f) / fs.stderr)
    z = np.array(z)
    assert abs(np.mean(np.abs(z) < 1) - 0.683) < 3 * np.sqrt(0.683 * 0.317 / z.size)
    assert abs(z.mean()) < 3 * 1.2 / np.sqrt(z.size)
    assert 0.02 < fs.stderr < 0.3   # a test with teeth: F is measured, not unconstrained
    assert r.as_dict()["f_sigma"]["unit"] == "1"
    assert r.inputs["diffusion_m2_s"] == d_meas


def test_f_sigma_needs_diffusion_and_refuses_it_in_2d():
    rng = np.random.default_rng(3)
    s0 = wire_or_bulk(3, T, f=0.5, D=1e-4, L1=3e-7, p=1.0, field=False, noise=1.0, rng=rng)
    sb = wire_or_bulk(3, T, f=0.5, D=1e-4, L1=3e-7, p=1.0, field=True, noise=1.0, rng=rng)
    r = fit_sigma_t(T, s0, dim=3, temperature_field=T, sigma_field=sb, p=1.0)
    assert "f_sigma" not in r.parameters
    assert any("diffusion constant" in n for n in r.notes)
    with pytest.raises(InputError, match="drop diffusion"):
        fit_sigma_t(T, s0, dim=2, p=1.0, alpha=1.0, diffusion=1e-4)
    with pytest.raises(InputError, match="diffusion must be positive"):
        fit_sigma_t(T, s0, dim=3, temperature_field=T, sigma_field=sb, diffusion=-1.0)
