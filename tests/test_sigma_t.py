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
