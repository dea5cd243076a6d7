"""Conductance fluctuations: closed forms, recovery from synthetic fingerprints with a
coverage check, the lattice (RGF) cross-check, and bad input."""

import numpy as np
import pytest
from scipy.special import polygamma

from weakloc.errors import InputError
from weakloc.fitting.ucf import analyze_ucf, expected_autocorrelation
from weakloc.theory import fluctuations as th
from weakloc.units import E2_OVER_H, E_CHARGE, FLUX_QUANTUM, HBAR


def film_shape(db, lp):
    """F/F(0) of the film from the trigamma closed form (not the Landau sum of the module)."""
    b = 2 * E_CHARGE * np.abs(db) * lp**2 / HBAR
    out = np.ones_like(b)
    m = b > 0
    out[m] = polygamma(1, 0.5 + 1 / b[m]) / b[m]
    return out


def wire_shape(db, lp, w):
    """Long wire: [1 + (e dB W L_phi / hbar)^2 / 12]^(-3/2)."""
    return (1 + (E_CHARGE * db * w * lp / HBAR) ** 2 / 12) ** -1.5


def gaussian_traces(corr, step, n, count, rng):
    """Stationary Gaussian traces with covariance corr(lag) by circulant embedding."""
    m = 4 * n
    lag = step * np.minimum(np.arange(m), m - np.arange(m))
    lam = np.clip(np.fft.fft(corr(lag)).real, 0, None)
    out = []
    while len(out) < count:
        z = rng.standard_normal(m) + 1j * rng.standard_normal(m)
        x = np.fft.fft(np.sqrt(lam / m) * z)
        out += [x.real[:n], x.imag[:n]]
    return out[:count]


def test_film_and_wire_limits():
    lp = 1e-6
    db = np.array([0.0, 1e-4, 1e-3, 5e-3, 3e-2])
    assert np.allclose(th.ucf_shape(db, dim=2, l_phi=lp), film_shape(db, lp), rtol=1e-6)
    w = 50e-9
    assert np.allclose(th.ucf_shape(db, dim=1, l_phi=lp, width=w), wire_shape(db, lp, w),
                       rtol=1e-10)
    # amplitudes, spin-degenerate, T = 0, L >> L_phi
    L = 1000 * lp
    assert th.ucf_rms(dim=1, l_phi=lp, width=w, length=L) / E2_OVER_H == pytest.approx(
        np.sqrt(6) * (lp / L) ** 1.5, rel=2e-3)
    assert th.ucf_rms(dim=2, l_phi=lp, width=30e-6, length=60e-6) / E2_OVER_H == \
        pytest.approx(np.sqrt(6 / np.pi * 0.5) * lp / 60e-6, rel=1e-9)
    # fully coherent quasi-1D wire: the unitary RMT variance 1/15 per spin channel
    var = th.ucf_rms(dim=1, l_phi=1.0, width=w, length=1e-6, spin_degeneracy=1) ** 2
    assert var / E2_OVER_H**2 == pytest.approx(1 / 15, rel=1e-4)
    # correlation fields: B_c = 3.107 hbar/(e L_phi^2) (film), 2.655 hbar/(e W L_phi) (wire)
    assert th.ucf_correlation_field(dim=2, l_phi=lp) == pytest.approx(
        3.1066 * HBAR / (E_CHARGE * lp**2), rel=1e-4)
    assert th.ucf_correlation_field(dim=1, l_phi=lp, width=w) == pytest.approx(
        np.sqrt(12 * (2 ** (2 / 3) - 1)) * HBAR / (E_CHARGE * w * lp), rel=1e-8)


def test_thermal_smearing():
    u = np.linspace(-40, 40, 40001)
    assert np.trapezoid(th.thermal_kernel(u), u) == pytest.approx(1.0, abs=1e-9)
    e = np.linspace(-40, 40, 8001)
    fp = 1 / (4 * np.cosh(e / 2) ** 2)
    for x in (0.3, 2.5):  # K(u) = int f'(E) f'(E + u) dE by direct quadrature
        direct = np.trapezoid(fp / (4 * np.cosh((e + x) / 2) ** 2), e)
        assert th.thermal_kernel(x) == pytest.approx(direct, rel=1e-8)
    kw = dict(l_phi=1e-6, width=20e-6, length=40e-6)
    cold = th.ucf_rms(dim=2, **kw)
    assert th.ucf_rms(dim=2, l_t=1e-3, **kw) == pytest.approx(cold, rel=1e-4)
    smeared = [th.ucf_rms(dim=2, l_t=lt, **kw) for lt in (3e-6, 1e-6, 3e-7, 1e-7)]
    assert np.all(np.diff([cold] + smeared) < 0)
    # long wire deep in the smeared regime: the variance scales as L_T^2 (energy bands), to
    # (2 pi / 9)(L_T/L_phi)^2 of its T = 0 value (Beenakker and van Houten's 8 pi / 3 beta
    # against 12 / beta)
    kw1 = dict(dim=1, l_phi=1e-6, width=50e-9, length=1e-4)
    cold1 = th.ucf_rms(**kw1)
    for lt in (3e-8, 1e-8):
        assert (th.ucf_rms(l_t=lt, **kw1) / cold1) ** 2 == pytest.approx(
            2 * np.pi / 9 * (lt / 1e-6) ** 2, rel=0.03)
    # the film's energy sum: Landau levels against the direct q integral at b -> 0
    s0 = th.ucf_shape([0.0, 1e-9], dim=2, l_phi=1e-6, l_t=3e-7)
    assert s0[1] == pytest.approx(1.0, abs=1e-4)
    bcs = [th.ucf_correlation_field(dim=2, l_phi=1e-6, l_t=lt) for lt in (None, 1e-6, 1e-7)]
    assert bcs[0] < bcs[1] < bcs[2]


def test_film_recovery_and_coverage():
    """B_c, F(0) and L_phi with 1-sigma intervals covering about 68% (36 data sets); B_c is
    compared with its expectation through the same window (expected_autocorrelation)."""
    lp, rms0 = 1e-6, 2e-6
    bc = th.ucf_correlation_field(dim=2, l_phi=lp)
    step, n = bc / 8, 200
    geo = dict(dim=2, width=None, length=None, l_t=None)
    e = expected_autocorrelation(lp, geo, [n] * 3, step, 1, n // 2)
    k = np.flatnonzero(e / e[0] <= 0.5)[0]
    bc_window = step * (k - 1 + (e[k - 1] - e[0] / 2) / (e[k - 1] - e[k]))
    rng = np.random.default_rng(20261206)
    z = {"b_c": [], "variance": [], "l_phi": []}
    for _ in range(36):
        traces = gaussian_traces(lambda d: rms0**2 * film_shape(d, lp), step, n, 3, rng)
        B = 0.5 + step * np.arange(n)
        res = analyze_ucf([(B, 1e-3 + 1e-4 * B + g) for g in traces], dim=2)
        c, r = res.correlation_field, res.rms
        z["b_c"].append((c.value - bc_window) / c.stderr)
        z["variance"].append((r.value**2 - rms0**2 * e[0]) / (2 * r.value * r.stderr))
        z["l_phi"].append((res.l_phi.value - lp) / res.l_phi.stderr)
    for name, zz in z.items():
        zz = np.array(zz)
        cover = np.mean(np.abs(zz) < 1)
        assert abs(cover - 0.683) < 3 * np.sqrt(0.683 * 0.317 / zz.size), name
        assert abs(np.median(zz)) < 0.6, name
    assert res.independent_fluctuations > 40 and res.reliable
    d = res.as_dict()
    assert d["correlation_field"]["unit"] == "T" and d["l_phi"]["unit"] == "m"


def test_wire_recovery_amplitude_and_field():
    lp, w, L = 400e-9, 40e-9, 40e-6
    rms_true = th.ucf_rms(dim=1, l_phi=lp, width=w, length=L)
    bc = th.ucf_correlation_field(dim=1, l_phi=lp, width=w)
    step, n = bc / 8, 400
    rng = np.random.default_rng(7)
    traces = gaussian_traces(lambda d: rms_true**2 * wire_shape(d, lp, w), step, n, 6, rng)
    B = 1.0 + step * np.arange(n)
    res = analyze_ucf([(B, 2e-4 + g) for g in traces], dim=1, width=w, length=L)
    assert abs(res.l_phi.value - lp) < 3 * res.l_phi.stderr
    assert abs(res.l_phi_rms.value - lp) < 3 * res.l_phi_rms.stderr
    assert res.l_phi.stderr / lp < 0.1


def test_lattice_fingerprint_matches_theory():
    """RGF magnetofingerprints of a disordered strip (one realization swept in flux per
    trace) against the quasi-1D diffuson theory of a fully coherent wire (spinless)."""
    from weakloc.lattice import Lattice
    from weakloc.transport.landauer import conductance_ensemble

    W, L, a = 16, 64, 1e-9
    geo = dict(dim=1, width=W * a, length=L * a, l_t=None)
    lp = 1e3 * L * a  # L_phi >> L: only the sample length cuts the diffusons off
    bc_th = th.ucf_correlation_field(l_phi=lp, **geo)
    step = bc_th / 6
    n, samples = 120, 8
    B = 2.0 / (W * L) * FLUX_QUANTUM / a**2 + step * np.arange(n)  # Cooperon suppressed
    res = conductance_ensemble(Lattice(width=W, length=L, disorder=2.0), 0.5, samples=samples,
                               seed=5, fluxes=B * a**2 / FLUX_QUANTUM, progress=False)
    u = analyze_ucf([(B, g * E2_OVER_H) for g in res.values], spin_degeneracy=1, **geo)
    e = expected_autocorrelation(lp, geo, [n] * samples, step, 1, n // 2)
    r = e / e[0]
    k = np.flatnonzero(r <= 0.5)[0]
    bc_expected = step * (k - 1 + (r[k - 1] - 0.5) / (r[k - 1] - r[k]))
    c = u.correlation_field
    assert abs(c.value - bc_expected) < 3 * c.stderr
    rms_expected = np.sqrt(e[0] / 15) * E2_OVER_H  # var g = 1/15 through the same window
    assert abs(u.rms.value - rms_expected) < 3 * u.rms.stderr


def test_bad_input():
    lp = 1e-6
    bc = th.ucf_correlation_field(dim=2, l_phi=lp)
    rng = np.random.default_rng(3)
    step = bc / 8
    short = gaussian_traces(lambda d: film_shape(d, lp), step, 200, 1, rng)
    B = step * np.arange(200)
    with pytest.raises(InputError, match="independent fluctuations"):
        analyze_ucf([(B, g) for g in short], dim=2, min_fluctuations=1000)
    with pytest.raises(InputError, match="field window"):
        analyze_ucf([(B[:12], short[0][:12])], dim=2)
    with pytest.raises(InputError, match="no traces"):
        analyze_ucf([], dim=2)
    with pytest.raises(InputError, match="width"):
        th.ucf_correlation(0.0, dim=1, l_phi=lp, width=None, length=1e-5)
    with pytest.raises(InputError, match="finer field step"):
        coarse = gaussian_traces(lambda d: film_shape(d, lp), bc / 1.5, 400, 1, rng)
        analyze_ucf([(bc / 1.5 * np.arange(400), coarse[0])], dim=2)
