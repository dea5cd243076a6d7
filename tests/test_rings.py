"""Ring oscillations: h/e and h/2e amplitudes from synthetic G(B) (coverage of the error
bars), the signed zero-field values of an ensemble (error from the sample scatter), L_phi
from their temperature dependence, and bad input. The h/2e oscillation of a simulated
lattice ring is in ``test_ring_aas.py``."""

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


def test_signed_value_at_zero_field_one_trace():
    """A phase-locked h/2e cosine: its band-passed value at B = 0 is a2, with an error bar
    (white noise at the measured level) that covers 68 % of the trials."""
    rng = np.random.default_rng(21)
    z = []
    for _ in range(100):
        r = ring_harmonics(B, trace(rng, 2e-7, -4e-8), area=AREA, area_spread=0.05)
        e = r.at_zero_field["h_over_2e"]
        z.append((e.value + 4e-8) / e.stderr)
    z = np.array(z)
    assert abs(np.mean(np.abs(z) < 1) - 0.683) < 3 * np.sqrt(0.683 * 0.317 / z.size)
    assert r.samples == 1 and r.as_dict()["at_zero_field"]["h_over_2e"]["unit"] == "S"


def ensemble(rng, samples, a1, a2, energies=2, locked=False):
    """``samples`` x ``energies`` traces: h/e of random phase per trace (or locked at
    B = 0), a common h/2e, a sample-specific background and white noise."""
    out = np.empty((samples, energies, B.size))
    for i in range(samples):
        for j in range(energies):
            t = trace(rng, 0.0, a2)
            f1 = c.e * AREA / c.h
            ph = 0.0 if locked else rng.uniform(0, 2 * np.pi)
            out[i, j] = t + 1e-6 * rng.standard_normal() + a1 * np.cos(2 * np.pi * f1 * B + ph)
    return out


def test_ensemble_sign_and_scatter_error():
    """The h/2e of an ensemble average at B = 0 carries its sign (negative: a minimum) and
    the standard error of the mean over samples (coverage over repeated ensembles); the
    random-phase h/e averages to zero while single traces keep their rms amplitude; the
    energies axis is averaged within each sample."""
    rng = np.random.default_rng(22)
    z2, z1 = [], []
    for _ in range(40):
        g = ensemble(rng, 30, 2e-7, -3e-8)
        r = ring_harmonics(B, g, area=AREA, area_spread=0.05)
        e2, e1 = r.at_zero_field["h_over_2e"], r.at_zero_field["h_over_e"]
        z2.append((e2.value + 3e-8) / e2.stderr)
        z1.append(e1.value / e1.stderr)
    for z in (np.array(z2), np.array(z1)):
        assert abs(np.mean(np.abs(z) < 1) - 0.683) < 3 * np.sqrt(0.683 * 0.317 / z.size)
    assert r.samples == 30
    # the band amplitude of the average: its error includes the scatter over samples
    assert r.h_over_e.value < 3 * r.h_over_e.stderr
    assert r.sample_rms["h_over_e"] == pytest.approx(2e-7, rel=0.1)
    same = ring_harmonics(B, g.mean(axis=1), area=AREA, area_spread=0.05)
    assert same.at_zero_field["h_over_2e"].value == pytest.approx(e2.value, rel=1e-9)
    assert same.h_over_2e.value == pytest.approx(r.h_over_2e.value, rel=1e-9)
    locked = ring_harmonics(B, ensemble(rng, 30, 2e-7, 0.0, locked=True), area=AREA,
                            area_spread=0.05)
    assert not locked.reliable and any("h/e value at B = 0" in n for n in locked.notes)


def test_no_signed_value_without_zero_field():
    rng = np.random.default_rng(23)
    r = ring_harmonics(B + 0.3, trace(rng, 2e-7, 4e-8), area=AREA)
    assert np.isnan(r.at_zero_field["h_over_2e"].value)
    assert any("does not hold B = 0" in n for n in r.notes)


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
