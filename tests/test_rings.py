"""Ring oscillations: h/e and h/2e amplitudes from synthetic G(B) (coverage of the error
bars), L_phi from their temperature dependence, and bad input. The h/2e oscillation of a
simulated lattice ring needs ring-shaped samples in the model layer (not there yet)."""

import numpy as np
import pytest
from scipy import constants as c

from weakloc.errors import InputError
from weakloc.fitting.rings import ring_dephasing, ring_harmonics
from weakloc.theory.rings import harmonic_decay, oscillation_period

R = 0.5e-6
AREA = np.pi * R**2
B = np.linspace(-0.2, 0.2, 1601)


def trace(rng, a1, a2, noise=1e-7):
    """Cosines at h/e and h/2e (written with h and e), a smooth background, white noise."""
    f1 = c.e * AREA / c.h
    return (1e-4 + 3e-6 * B**2 + a1 * np.cos(2 * np.pi * f1 * B + rng.uniform(0, 6.3))
            + a2 * np.cos(4 * np.pi * f1 * B) + noise * rng.standard_normal(B.size))


def test_periods():
    assert oscillation_period(AREA) == pytest.approx(c.h / (c.e * AREA))
    assert oscillation_period(AREA, 2) == pytest.approx(oscillation_period(AREA) / 2)
    assert harmonic_decay(R, R, 2) == pytest.approx(np.exp(-2 * np.pi))


def test_amplitudes_and_coverage():
    rng = np.random.default_rng(13)
    z1, z2 = [], []
    for _ in range(100):
        r = ring_harmonics(B, trace(rng, 2e-7, 4e-8), area=AREA, area_spread=0.05)
        z1.append((r.h_over_e.value - 2e-7) / r.h_over_e.stderr)
        z2.append((r.h_over_2e.value - 4e-8) / r.h_over_2e.stderr)
    for z in (np.array(z1), np.array(z2)):
        assert abs(np.mean(np.abs(z) < 1) - 0.683) < 3 * np.sqrt(0.683 * 0.317 / z.size)
    assert r.reliable and r.as_dict()["h_over_e"]["unit"] == "S"
    quiet = ring_harmonics(B, trace(rng, 0.0, 0.0), area=AREA)
    assert quiet.h_over_e.value < 3 * quiet.h_over_e.stderr
    assert any("not detected" in n for n in quiet.notes)


def test_l_phi_from_temperature_dependence():
    rng = np.random.default_rng(14)
    T = np.array([0.05, 0.1, 0.2, 0.4, 0.8, 1.6])
    L1, p = 2e-6, 1.0
    lphi = L1 * T ** (-p / 2)
    for harmonic in (1, 2):
        a_true = 5e-7 * harmonic_decay(R, lphi, harmonic)
        zs = []
        for _ in range(100):
            s = 0.03 * a_true
            a = a_true + s * rng.standard_normal(T.size)
            fit = ring_dephasing(T, a, s, radius=R, harmonic=harmonic, p=p)
            zs.append((fit.l_phi_1k.value - L1) / fit.l_phi_1k.stderr)
        zs = np.array(zs)
        assert abs(np.mean(np.abs(zs) < 1) - 0.683) < 3 * np.sqrt(0.683 * 0.317 / zs.size)
        free = ring_dephasing(T, a_true, 0.03 * a_true, radius=R, harmonic=harmonic)
        assert free.p.value == pytest.approx(p, rel=1e-6)
        assert np.allclose(free.l_phi, lphi, rtol=1e-6)


def test_bad_input():
    rng = np.random.default_rng(15)
    G = trace(rng, 2e-7, 4e-8)
    with pytest.raises(InputError, match="h/e periods"):
        ring_harmonics(B, G, area=AREA / 100)  # h/e period wider than the window / 3
    with pytest.raises(InputError, match="too coarse"):
        ring_harmonics(B, G, area=AREA * 20)
    with pytest.raises(InputError, match="temperatures"):
        ring_dephasing([1, 2, 3], [1e-7, 5e-8, 2e-8], [1e-9] * 3, radius=R)
