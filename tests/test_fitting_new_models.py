"""graphene-soc (McCann-Fal'ko 2012), kawabata-so (3D WAL) and the kawabata amplitude, each
checked against an independent implementation written here from the papers' formulas,
their limits, and parameter recovery from synthetic data made by the independent code."""

import numpy as np
import pytest
from scipy import constants as sc
from scipy.special import digamma

from weakloc.fitting.fit import fit_curve
from weakloc.seeding import stream
from weakloc.theory.magnetoconductance import (
    MODELS,
    graphene_soc,
    hln,
    kawabata,
    kawabata_so,
)

E, HBAR, H = sc.e, sc.hbar, sc.h


def _bfield(L):
    return HBAR / (4 * E * np.asarray(L, dtype=float) ** 2)


def _F(z):
    """McCann-Fal'ko F(z) = ln z + psi(1/2 + 1/z), direct."""
    return np.log(z) + digamma(0.5 + 1.0 / z)


def graphene_soc_ref(B, l_phi, l_asy, l_sym):
    """PRL 108, 166606 (2012), Eq. (4): -e^2/(2 pi h) [F(B/Bphi) - F(B/(Bphi + 2 Basy))
    - 2 F(B/(Bphi + Basy + Bsym))]."""
    bphi, basy, bsym = _bfield(l_phi), _bfield(l_asy), _bfield(l_sym)
    return -E**2 / (2 * np.pi * H) * (_F(B / bphi) - _F(B / (bphi + 2 * basy))
                                      - 2 * _F(B / (bphi + basy + bsym)))


def _f3_ref(delta, nmax=100_000):
    """Kawabata f3 by brute-force summation plus the integral of the leading tail term."""
    n = np.arange(nmax, dtype=float)
    out = []
    for d in np.atleast_1d(delta):
        m = n + d
        s = np.sum(2 * (np.sqrt(m + 1) - np.sqrt(m)) - 1 / np.sqrt(m + 0.5))
        y = nmax + 0.5 + d
        out.append(s + y**-1.5 / 48.0)  # sum_{N>=nmax} y^-5/2 / 32 ~ y^-3/2 / 48
    return np.array(out)


def kawabata_so_ref(B, l_phi, l_so, amplitude=1.0):
    pref = E**2 / (2 * np.pi**2 * HBAR) * np.sqrt(E * B / HBAR)
    bphi, bso = _bfield(l_phi), _bfield(l_so)
    return amplitude * pref * (1.5 * _f3_ref((bphi + 4 * bso / 3) / B)
                               - 0.5 * _f3_ref(bphi / B))


BG = np.array([1e-4, 1e-3, 5e-3, 0.02, 0.1, 0.5])


def test_graphene_soc_matches_the_paper_formula():
    for lp, la, ls in [(500e-9, 200e-9, 80e-9), (1e-6, 50e-9, 1e-6), (300e-9, 1e-6, 40e-9)]:
        np.testing.assert_allclose(graphene_soc(BG, lp, la, ls),
                                   graphene_soc_ref(BG, lp, la, ls), rtol=1e-9, atol=1e-22)


def test_graphene_soc_limits():
    B = np.linspace(0, 0.2, 41)
    # no spin-orbit coupling: weak localization, HLN alpha = +1
    np.testing.assert_allclose(graphene_soc(B, 400e-9, np.inf, np.inf), hln(B, 1.0, 400e-9),
                               rtol=1e-12, atol=1e-20)
    # strong coupling: one anti-localizing channel, alpha = -1/2
    np.testing.assert_allclose(graphene_soc(B, 400e-9, 1e-9, 1e-9), hln(B, -0.5, 400e-9),
                               rtol=2e-3, atol=1e-10)
    assert graphene_soc(0.0, 400e-9, 1e-7, 1e-7) == 0.0


def test_kawabata_so_matches_brute_force_summation():
    B = np.array([2e-3, 0.03, 0.4])
    for lp, lso in [(300e-9, 100e-9), (1e-6, 40e-9)]:
        np.testing.assert_allclose(kawabata_so(B, lp, lso), kawabata_so_ref(B, lp, lso),
                                   rtol=1e-7)


def test_kawabata_so_limits_and_amplitude():
    B = np.linspace(0, 0.3, 31)
    np.testing.assert_allclose(kawabata_so(B, 300e-9, np.inf), kawabata(B, 300e-9),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(kawabata_so(B, 300e-9, 1e-10), -0.5 * kawabata(B, 300e-9),
                               rtol=1e-3, atol=1e-6)
    np.testing.assert_allclose(kawabata(B, 300e-9, amplitude=3e-8),
                               3e-8 * kawabata(B, 300e-9), rtol=1e-14)
    assert "graphene-soc" in MODELS and "kawabata-so" in MODELS


@pytest.mark.parametrize("model,truth,make,include", [
    ("graphene-soc", dict(l_phi=600e-9, l_asy=250e-9, l_sym=90e-9),
     lambda B, p: graphene_soc_ref(B, **p), ()),
    ("kawabata-so", dict(l_phi=400e-9, l_so=150e-9, amplitude=5e-8),
     lambda B, p: kawabata_so_ref(B, **p), ("amplitude",)),
    ("kawabata", dict(l_phi=300e-9, amplitude=2e-8),
     lambda B, p: kawabata_so_ref(B, p["l_phi"], np.inf, p["amplitude"]), ("amplitude",)),
])
def test_recovery_from_independent_synthetic_data(model, truth, make, include):
    B = np.linspace(0.002, 0.3, 150)
    y0 = make(B, truth)
    noise = 0.005 * np.ptp(y0)
    y = y0 + noise * stream(2012, len(model)).standard_normal(B.size)
    r = fit_curve((B, y), model, include=include, sigma=noise)
    assert r.converged and r.reliable, r.reasons
    for k, v in truth.items():
        assert r.value(k) == pytest.approx(v, abs=4 * r.stderr(k)), (k, r.value(k), v)
        assert r.stderr(k) < 0.2 * v
    assert r.reduced_chi2 == pytest.approx(1.0, abs=4 * np.sqrt(2 / r.dof))
