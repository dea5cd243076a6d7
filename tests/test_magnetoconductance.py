"""Closed-form magnetoconductance: analytic limits, reference values, symmetry, bad input."""

import warnings

import numpy as np
import pytest
from scipy.special import digamma

from weakloc.errors import InputError
from weakloc.theory import magnetoconductance as mc
from weakloc.units import E_CHARGE, G0, HBAR, length_to_field

LPHI = 200e-9
BPHI = float(length_to_field(LPHI))
PSI_HALF = float(digamma(0.5))  # -1.96351...

KW = {
    "hln": dict(alpha=1.0, l_phi=LPHI),
    "hln-full": dict(l_phi=LPHI, l_so=80e-9, l_s=1e-6, l_e=20e-9),
    "ilp": dict(l_phi=LPHI, l_so=80e-9),
    "graphene": dict(l_phi=LPHI, l_i=300e-9, l_star=50e-9),
    "graphene-soc": dict(l_phi=LPHI, l_asy=300e-9, l_sym=50e-9),
    "wire": dict(l_phi=LPHI, width=50e-9, l_e=10e-9),
    "kawabata": dict(l_phi=LPHI),
    "kawabata-so": dict(l_phi=LPHI, l_so=80e-9),
}


def test_psi_half_constant():
    assert PSI_HALF == pytest.approx(-1.96351, abs=1e-5)


def test_hln_low_field_series():
    # x = 10 and 30 go through the digamma branch, x = 1e3 through the series branch
    x = np.array([10.0, 30.0, 1e3])
    got = mc.hln(BPHI / x, 1.0, LPHI) / G0
    # f = 1/(24 x^2) (1 - 0.175/x^2 + ...): the deviation shrinks as 1/x^2
    dev = got * 24 * x**2 - 1
    np.testing.assert_allclose(dev * x**2, -0.175, rtol=0.02)


def test_hln_high_field_log():
    b = np.array([1e3, 1e4]) * BPHI
    got = mc.hln(b, 1.0, LPHI) / G0
    # next correction: psi'(1/2) x = (pi^2/2) B_phi/B
    np.testing.assert_allclose(got, np.log(b / BPHI) + PSI_HALF, atol=5.0 * BPHI / b[0])
    np.testing.assert_allclose(
        got - np.log(b / BPHI) - PSI_HALF, np.pi**2 / 2 * BPHI / b, rtol=1e-2
    )


def test_f_series_branch_is_continuous():
    r = np.array([0.0199999, 0.0200001])
    f = mc.digamma_f(1 / r)
    slope = 2 * r / 24
    assert abs(np.diff(f)[0] - slope[0] * np.diff(r)[0]) < 1e-12


@pytest.mark.parametrize("name", list(mc.MODELS))
def test_even_finite_zero_at_zero_and_broadcast(name):
    f = mc.MODELS[name]
    b = np.array([-2.0, -0.3, -1e-9, -1e-300, 0.0, 1e-300, 1e-9, 0.3, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = f(b, **KW[name])
    assert y.shape == b.shape
    assert np.all(np.isfinite(y))
    np.testing.assert_array_equal(y, y[::-1])
    assert y[4] == 0.0
    assert abs(y[5]) < 1e-200
    # the scalar input gives a 0-d result equal to the array element
    assert float(f(0.3, **KW[name])) == pytest.approx(y[7], rel=1e-14)
    # a column of lengths broadcasts against a row of fields
    first = next(iter(KW[name]))
    kw = dict(KW[name])
    kw[first] = np.array([[kw[first]], [kw[first] * 1.1]]) if first != "alpha" else np.array(
        [[1.0], [-0.5]]
    )
    assert f(b, **kw).shape == (2, b.size)


@pytest.mark.parametrize("name", ["hln", "ilp", "kawabata", "wire"])
def test_weak_localization_is_positive_and_grows(name):
    kw = dict(KW[name])
    if name == "ilp":
        kw["l_so"] = np.inf
    b = np.linspace(1e-3, 0.5, 50)
    y = mc.MODELS[name](b, **kw)
    assert np.all(y > 0) and np.all(np.diff(y) > 0)


def test_hln_full_limits():
    b = np.geomspace(0.01, 10, 30) * BPHI
    wl = mc.hln(b, 1.0, LPHI)
    wal = mc.hln(b, -0.5, LPHI)
    np.testing.assert_allclose(mc.hln_full(b, LPHI, np.inf), wl, rtol=1e-12)
    # finite but tiny B_so: relative deviation ~ B_so/B_phi
    np.testing.assert_allclose(mc.hln_full(b, LPHI, 1e3 * LPHI), wl, rtol=1e-4)
    np.testing.assert_allclose(mc.hln_full(b, LPHI, 1e-3 * LPHI), wal, rtol=1e-4)
    # elastic cutoff: negligible for B << B_e
    full = mc.hln_full(b, LPHI, np.inf, l_e=LPHI / 1e3)
    np.testing.assert_allclose(full, wl, rtol=1e-5, atol=1e-12 * G0)


def test_hln_full_magnetic_scattering_quenches():
    b = np.geomspace(0.01, 10, 30) * BPHI
    strong = mc.hln_full(b, LPHI, np.inf, l_s=LPHI / 30)
    assert np.max(np.abs(strong)) < 0.01 * np.max(mc.hln(b, 1.0, LPHI))


def test_ilp_limits():
    b = np.geomspace(0.01, 10, 30) * BPHI
    np.testing.assert_allclose(mc.ilp(b, LPHI, np.inf), mc.hln(b, 1.0, LPHI), rtol=1e-12)
    np.testing.assert_allclose(mc.ilp(b, LPHI, 1e3 * LPHI), mc.hln(b, 1.0, LPHI), rtol=1e-4)
    np.testing.assert_allclose(mc.ilp(b, LPHI, 1e-3 * LPHI), mc.hln(b, -0.5, LPHI), rtol=1e-4)


def test_graphene_limits():
    b = np.geomspace(0.01, 10, 30) * BPHI
    wl = mc.hln(b, 1.0, LPHI)
    np.testing.assert_allclose(mc.mccann_falko(b, LPHI, 1e-3 * LPHI, 1e-3 * LPHI), wl, rtol=1e-4)
    np.testing.assert_allclose(
        mc.mccann_falko(b, LPHI, np.inf, np.inf), -2.0 * wl, rtol=1e-12
    )
    # no intervalley but strong intravalley breaking: the two first terms cancel
    assert np.max(np.abs(mc.mccann_falko(b, LPHI, np.inf, 1e-4 * LPHI))) < 1e-6 * np.max(wl)


def test_wire_limits():
    w = 50e-9
    # low field: dG L = g e^2/h * L_phi^3 / (2 l_B^2)
    b = np.array([1e-6, 1e-5])
    inv_lb2 = (w * E_CHARGE * b / HBAR) ** 2 / 3
    expect = 2 * E_CHARGE**2 / (2 * np.pi * HBAR) * LPHI**3 * inv_lb2 / 2
    np.testing.assert_allclose(mc.wire(b, LPHI, w), expect, rtol=1e-4)
    # high field: saturates at the zero-field correction g e^2/h L_phi
    sat = 2 * E_CHARGE**2 / (2 * np.pi * HBAR) * LPHI
    assert mc.wire(1e4, LPHI, w) == pytest.approx(sat, rel=1e-3)
    # with a length: conductance in S
    assert mc.wire(0.1, LPHI, w, length=1e-6) == pytest.approx(mc.wire(0.1, LPHI, w) / 1e-6)


def test_kawabata_reference_values():
    # exact: f3(d) = -2 sqrt(d) - zeta(1/2, 1/2 + d), so f3(0) = -(sqrt 2 - 1) zeta(1/2)
    zeta_half = -1.4603545088095868
    assert mc.kawabata_f3(0.0) == pytest.approx(-(np.sqrt(2) - 1) * zeta_half, abs=1e-12)
    # REFERENCE.md values: all lie ~1.1e-7 below the exact sum, as a series cut after a few
    # thousand terms would (its tail is d^(-3/2)/48 per N^(3/2)); accept that offset only
    d = np.array([0.0, 0.1, 1.0, 10.0])
    ref = np.array([0.604898530, 0.190945417, 0.0191120906, 6.57988e-4])
    np.testing.assert_allclose(mc.kawabata_f3(d), ref, atol=1.3e-7, rtol=0)


def _f3_brute(d, n=20000):
    m = np.arange(n) + d
    s = np.sum(2.0 / (np.sqrt(m + 1.0) + np.sqrt(m)) - 1.0 / np.sqrt(m + 0.5))
    return s + (n + d) ** -1.5 / 48.0  # integral of y^(-5/2)/32 beyond the last term


@pytest.mark.parametrize("d", [0.0, 0.1, 1.0, 10.0, 31.9, 32.1, 300.0])
def test_kawabata_series_against_brute_force(d):
    assert mc.kawabata_f3(d) == pytest.approx(_f3_brute(d), rel=1e-8, abs=1e-13)


def test_kawabata_limits():
    bphi = BPHI
    pref = E_CHARGE**2 / (2 * np.pi**2 * HBAR) * np.sqrt(E_CHARGE / HBAR)
    b = 1e-4 * bphi
    assert mc.kawabata(b, LPHI) == pytest.approx(pref * b**2 / (48 * bphi**1.5), rel=1e-3)
    b = 1e8 * bphi  # f3(d) = f3(0) - 2 sqrt(d) + O(d)
    assert mc.kawabata(b, LPHI) == pytest.approx(pref * np.sqrt(b) * 0.604898530, rel=1e-3)


@pytest.mark.parametrize("bad", [-1e-7, 0.0, np.nan])
@pytest.mark.parametrize("name", list(mc.MODELS))
def test_bad_lengths_raise(name, bad):
    kw = dict(KW[name])
    kw["l_phi"] = bad
    with pytest.raises(InputError, match="l_phi"):
        mc.MODELS[name](0.1, **kw)


def test_bad_field_raises():
    with pytest.raises(InputError, match="field"):
        mc.hln([0.1, np.nan], 1.0, LPHI)
    with pytest.raises(InputError, match="alpha"):
        mc.hln(0.1, np.nan, LPHI)
    with pytest.raises(InputError):
        mc.ilp(0.1, LPHI, -1.0)
