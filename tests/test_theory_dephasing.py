"""Dephasing rates: AAK reference values, scaling laws, sums and conversions."""

import numpy as np
import pytest

from weakloc.errors import InputError
from weakloc.theory import (
    dephasing_field,
    dephasing_length,
    dimensionless_conductance,
    electron_phonon_rate,
    nyquist_rate_1d,
    nyquist_rate_2d,
    phase_coherence_length,
    spin_flip_rate,
    total_dephasing_rate,
)
from weakloc.units import E_CHARGE, H_PLANCK, HBAR, K_B, length_to_field


def test_aak_2d_reference_values():
    # REFERENCE.md: R_sheet = 1 kOhm -> tau_phi = 77.09 ps (1 K), 19.27 ps (4 K)
    tau = 1 / nyquist_rate_2d(np.array([1.0, 4.0]), 1000.0)
    assert tau[0] == pytest.approx(77.09e-12, abs=0.005e-12)
    assert tau[1] == pytest.approx(19.27e-12, abs=0.005e-12)


def test_aak_2d_density_of_states_form():
    # (k_B T / (2 pi nu D hbar^2)) ln(pi nu D hbar) with sigma = e^2 nu D = 1/R_sheet
    T, R = 0.3, 2500.0
    nuD = 1 / (E_CHARGE**2 * R)
    rate = K_B * T / (2 * np.pi * nuD * HBAR**2) * np.log(np.pi * nuD * HBAR)
    assert nyquist_rate_2d(T, R) == pytest.approx(rate, rel=1e-12)
    assert dimensionless_conductance(R) == pytest.approx(H_PLANCK / (E_CHARGE**2 * R))
    # linear in T
    assert nyquist_rate_2d(2 * T, R) == pytest.approx(2 * nyquist_rate_2d(T, R))


def test_aak_1d_self_consistency_and_t_two_thirds():
    T, D, r_sheet, width = 0.1, 1e-2, 2.0, 100e-9
    rate = nyquist_rate_1d(T, D, r_sheet=r_sheet, width=width)
    # the 2/3 power solves 1/tau_phi = k_B T e^2 R_1 L_phi / (2 sqrt 2 hbar^2), L_phi = sqrt(D tau)
    l_phi = np.sqrt(D / rate)
    r1 = r_sheet / width
    assert rate == pytest.approx(
        K_B * T * E_CHARGE**2 * r1 * l_phi / (2 * np.sqrt(2) * HBAR**2), rel=1e-12)
    # the same law written with R_K = h/e^2: ((pi/sqrt 2)(R_1/R_K)(k_B T/hbar) sqrt(D))^(2/3)
    alt = (np.pi / np.sqrt(2) * r1 * E_CHARGE**2 / H_PLANCK * K_B * T / HBAR * np.sqrt(D))
    assert rate == pytest.approx(alt ** (2 / 3), rel=1e-12)
    assert nyquist_rate_1d(8 * T, D, r_per_length=r1) == pytest.approx(4 * rate, rel=1e-12)
    with pytest.raises(InputError, match="not both"):
        nyquist_rate_1d(T, D, r_sheet=r_sheet, width=width, r_per_length=r1)
    with pytest.raises(InputError, match="width"):
        nyquist_rate_1d(T, D, r_sheet=r_sheet)


def test_other_mechanisms_and_total():
    T = np.array([1.0, 2.0])
    eph = electron_phonon_rate(T, 1e8, 3)
    assert np.allclose(eph, [1e8, 8e8])
    assert spin_flip_rate(1e-9) == pytest.approx(2e9)
    assert spin_flip_rate(1e-9, channel="triplet") == pytest.approx(2e9 / 3)
    assert spin_flip_rate(np.inf) == 0.0
    nyq = nyquist_rate_2d(T, 1000.0)
    total = total_dephasing_rate(nyq, eph, spin_flip_rate(1e-9))
    assert np.allclose(total, nyq + eph + 2e9)
    with pytest.raises(InputError, match="rate 1 must be non-negative"):
        total_dephasing_rate(1e9, -1.0)
    with pytest.raises(InputError, match="total dephasing rate is 0"):
        total_dephasing_rate(0.0)


def test_length_and_field_conversions():
    D, rate = 5e-3, 2e10
    l_phi = dephasing_length(rate, D)
    assert l_phi == pytest.approx(float(phase_coherence_length(D, 1 / rate)))
    b_phi = dephasing_field(rate, D)
    assert b_phi == pytest.approx(float(length_to_field(l_phi)))
    assert b_phi == pytest.approx(HBAR * rate / (4 * E_CHARGE * D))


@pytest.mark.parametrize("call,match", [
    (lambda: nyquist_rate_2d(-1.0, 1000.0), "temperature must be positive"),
    (lambda: nyquist_rate_2d(1.0, np.nan), "NaN"),
    (lambda: nyquist_rate_2d(1.0, 20e3), "12.9 kOhm"),
    (lambda: electron_phonon_rate(1.0, -1.0), "prefactor"),
    (lambda: spin_flip_rate(0.0), "tau_s must be positive"),
    (lambda: spin_flip_rate(1e-9, channel="quintet"), "channel"),
    (lambda: dephasing_length(1e9, 0.0), "diffusion must be positive"),
])
def test_bad_input(call, match):
    with pytest.raises(InputError, match=match):
        call()
