"""The Altshuler-Aronov-Spivak h/(2e) oscillation of a disordered cylinder (Sharvin-Sharvin).

A diffusive square cylinder (circumference 16 = length, W = 3 t: l_e of a few a), its
conductance averaged over samples and a window of energies (a classical, band-structure
flux dependence from the mode count averages out over the window) and analysed by
:func:`weakloc.fitting.rings.flux_harmonics`. Asserted with tolerances from the standard
error across samples: the h/2e harmonic of the average is negative (weak localization:
minima at Phi = 0 and Phi_0/2) and above 4 sigma; it turns positive with spin-orbit
scattering (anti-localization; a classical effect would keep its sign); the h/e harmonic of
the average is consistent with zero while that of single samples is far larger. The full
run is benchmarks/validate_aas.py. The harmonic extraction itself recovers the harmonics
it is given, with honest error bars (coverage), and the field-trace analysis of
``weakloc ring`` (:func:`weakloc.fitting.rings.ring_harmonics`, windowed spectrum in 1/T)
run on the simulated average recovers the h/2e amplitude the flux harmonics found.
"""

import numpy as np
import pytest
from scipy import constants

from weakloc.errors import InputError
from weakloc.fitting.rings import flux_harmonics, ring_harmonics
from weakloc.lattice import Lattice
from weakloc.transport.landauer import conductance_ensemble

PHI = (np.arange(8) + 0.5) / 8            # flux quanta h/e, one period, symmetric grid
PHI16 = (np.arange(16) + 0.5) / 16
ENERGIES = np.linspace(0.4, 0.8, 4)       # units of t: about 1.5 lead modes of the window


def cylinder_ensemble(spin_orbit, samples, seed, flux):
    lat = Lattice(width=16, length=16, disorder=3.0, boundary="periodic",
                  spin_orbit=spin_orbit)
    res = conductance_ensemble(lat, ENERGIES, samples=samples, seed=seed,
                               cylinder_fluxes=flux, progress=False, workers=1)
    assert res.values.shape == (samples, ENERGIES.size, flux.size)
    assert res.symmetry == ("orthogonal" if spin_orbit == "none" else "symplectic")
    return res.values


@pytest.fixture(scope="module")
def orthogonal():
    return cylinder_ensemble("none", 100, 2026, PHI16)


def test_averaged_cylinder_keeps_the_h_over_2e_harmonic_with_the_weak_localization_sign(
        orthogonal):
    h = flux_harmonics(PHI16, orthogonal)
    assert h.significance(2) < -4                       # minima at 0 and Phi_0/2, > 4 sigma
    assert abs(h.significance(1)) < 3                   # h/e averages out
    assert h.sample_rms[1] > 10 * h.average[1].stderr   # ... while single samples show it
    assert h.sample_rms[1] > 3 * abs(h.average[2].value)
    assert np.allclose([h.average_sine[n].value for n in (1, 2)], 0, atol=1e-12)  # Onsager
    assert h.reliable


def test_spin_orbit_turns_the_h_over_2e_harmonic_positive():
    h = flux_harmonics(PHI, cylinder_ensemble("ando", 80, 2026, PHI))
    assert h.significance(2) > 4
    assert abs(h.significance(1)) < 3


def test_ring_analysis_of_the_simulated_average_recovers_the_h_over_2e_amplitude(orthogonal):
    # the cylinder as a ring of radius 0.5 um: flux -> field, e^2/h -> S, six periods
    # (g is exactly periodic in the flux, so the periods repeat the simulated one)
    h = flux_harmonics(PHI16, orthogonal)
    g0 = constants.e ** 2 / constants.h
    area = np.pi * 0.5e-6 ** 2
    flux = np.concatenate([PHI16 + k for k in range(6)])
    field = flux * constants.h / (constants.e * area)
    ring = ring_harmonics(field, np.tile(h.mean, 6) * g0, area=area, area_spread=0.02,
                          detrend=0)
    assert ring.h_over_2e.value / g0 == pytest.approx(abs(h.average[2].value), rel=0.02)
    assert ring.h_over_e.value / g0 == pytest.approx(abs(h.average[1].value), rel=0.05,
                                                      abs=0.002)
    singles = orthogonal.mean(axis=1)[:20]         # one sample each, energies averaged
    amps = [ring_harmonics(field, np.tile(s, 6) * g0, area=area, area_spread=0.02,
                           detrend=0).h_over_e.value / g0 for s in singles]
    expect = flux_harmonics(PHI16, singles[:, None, :]).sample_rms[1]
    assert np.sqrt(np.mean(np.square(amps))) == pytest.approx(expect, rel=0.05)


def test_ring_dephasing_says_which_harmonic_l_phi_comes_from():
    from weakloc.fitting.rings import ring_dephasing
    from weakloc.theory.rings import harmonic_decay

    temps = np.array([0.1, 0.2, 0.4, 0.8])
    radius, l1 = 0.5e-6, 2e-6
    for n, name in ((1, "h_over_e"), (2, "h_over_2e")):
        amp = 1e-6 * harmonic_decay(radius, l1 * temps ** -0.5, n)
        fit = ring_dephasing(temps, amp, 0.02 * amp, radius=radius, harmonic=n, p=1.0)
        assert fit.as_dict()["from_harmonic"] == name
        assert fit.l_phi_1k.value == pytest.approx(l1, rel=1e-6)


def synthetic_traces(rng, samples, a1, a2, noise, flux):
    """Random-phase h/e (amplitude a1), a fixed h/2e cosine a2, white noise."""
    phase = rng.uniform(0, 2 * np.pi, (samples, 1))
    return (3.0 + a1 * np.cos(2 * np.pi * flux + phase) + a2 * np.cos(4 * np.pi * flux)
            + noise * rng.standard_normal((samples, flux.size)))


def test_flux_harmonics_recover_what_they_are_given_with_honest_errors():
    rng = np.random.default_rng(3)
    flux = np.arange(24) / 12 - 0.5                    # two periods, any offset
    z1, z2 = [], []
    for _ in range(200):
        h = flux_harmonics(flux, synthetic_traces(rng, 40, 0.2, -0.03, 0.05, flux))
        z1.append(h.average[1].value / h.average[1].stderr)
        z2.append((h.average[2].value + 0.03) / h.average[2].stderr)
        assert h.sample_rms[1] == pytest.approx(0.2, rel=0.1)
    for z in (np.array(z1), np.array(z2)):
        assert abs(np.mean(np.abs(z) < 1) - 0.683) < 3 * np.sqrt(0.683 * 0.317 / z.size)
    clean = flux_harmonics(flux, synthetic_traces(rng, 1, 0.0, -0.03, 0.0, flux)[0])
    assert clean.average[2].value == pytest.approx(-0.03, abs=1e-12)
    assert not clean.reliable and clean.samples == 1


def test_flux_harmonics_flag_a_surviving_h_over_e_part():
    rng = np.random.default_rng(4)
    g = synthetic_traces(rng, 50, 0.0, -0.03, 0.05, PHI) + 0.1 * np.cos(2 * np.pi * PHI)
    h = flux_harmonics(PHI, g)
    assert not h.reliable and "h/e" in h.notes[0]


def test_flux_harmonics_bad_input():
    g = np.ones((3, 8))
    with pytest.raises(InputError, match="whole"):
        flux_harmonics(np.linspace(0, 1, 8), g)        # 8/7 of a period
    with pytest.raises(InputError, match="uniform"):
        flux_harmonics(np.sort(np.r_[PHI[:-1], 0.99]), g)
    with pytest.raises(InputError, match="last axis"):
        flux_harmonics(PHI, np.ones((3, 7)))
    with pytest.raises(InputError, match="harmonics"):
        flux_harmonics(PHI, g, harmonics=(1, 4))


def test_cli_cylinder_flux_sweep_matches_the_api_and_reports_the_harmonics(capsys):
    import json

    from weakloc.cli import main
    from weakloc.seeding import stream
    from weakloc.transport.landauer import conductance

    argv = ["conductance", "--width", "6", "--length", "6", "--disorder", "2", "--energy",
            "0.5", "--samples", "3", "--seed", "9", "--boundary", "periodic",
            "--cylinder-flux", "0.0625:0.9375:8", "--json"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    values = np.array(doc["conductance"]["values"])
    assert values.shape == (3, 8) and np.allclose(doc["conductance"]["cylinder_flux"], PHI)
    lat = Lattice(width=6, length=6, disorder=2.0, boundary="periodic")
    real = lat.realize(stream(9, 1))
    assert values[1, 2] == pytest.approx(conductance(real.with_flux(0.0, PHI[2]), 0.5),
                                         abs=1e-12)
    assert np.allclose(values, values[:, ::-1], atol=1e-10)      # G(Phi) = G(-Phi)
    ref = flux_harmonics(PHI, values)
    got = doc["harmonics"]["average"]["h_over_2e"]
    assert got["value"] == pytest.approx(ref.average[2].value)
    assert doc["inputs"]["units"]["cylinder_flux"] == "h/e through the cylinder"


def test_cli_cylinder_flux_needs_periodic_boundaries(capsys):
    from weakloc.cli import main

    assert main(["conductance", "--width", "6", "--length", "6", "--energy", "0.5",
                 "--cylinder-flux", "0.2"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--boundary periodic" in err


@pytest.mark.slow
def test_cylinder_demo_section(tmp_path):
    from weakloc.demo import run_demo

    doc = run_demo(tmp_path, only=["cylinder"], progress=False)
    sec = doc["sections"]["cylinder"]
    assert (tmp_path / "transport_cylinder_aas.png").stat().st_size > 10_000
    h2 = sec["harmonics"]["average"]["h_over_2e"]
    assert h2["value"] < -4 * h2["stderr"]
    assert len(sec["highlights"]) == 2
