"""ILP with a linear spin-orbit term (Knap et al. 1996): exact limits and two summations."""

import numpy as np
import pytest

from weakloc.errors import InputError
from weakloc.theory.ilp_linear import ilp_linear, knap_bracket_difference
from weakloc.theory.magnetoconductance import hln, ilp
from weakloc.units import G0, length_to_field

LPHI, LSO, LSO1 = 400e-9, 200e-9, 150e-9
BPHI = float(length_to_field(LPHI))
B3 = float(length_to_field(LSO))
B1 = float(length_to_field(LSO1))
FIELDS = np.array([0.2, 1.0, 3.0, 10.0, 30.0, 100.0]) * BPHI


def _brute_bracket(b, bphi, hso, hp, n_terms):
    """Knap's bracket without the B-independent constants, summed term by term."""
    from scipy.special import digamma

    r, h, q = bphi / b, hso / b, hp / b
    a0 = 0.5 + r + h
    n = np.arange(1, n_terms + 1, dtype=float)
    an = n + a0
    terms = 3.0 / n - (3 * an**2 + 2 * an * h - 1 - 2 * (2 * n + 1) * q) / (
        (an + h) * (an - 1) * (an + 1) - 2 * q * ((2 * n + 1) * an - 1))
    front = 1 / a0 + (2 * a0 + 1 + h) / ((a0 + 1) * (a0 + h) - 2 * q)
    return front - np.sum(terms) - 2 * np.log(b) + digamma(0.5 + r)


def test_no_linear_term_is_the_three_digamma_form():
    # a small linear field (1e-6 of B_phi) taken through the Knap resummation: its
    # physical effect and the rounding of the residues are both ~1e-7 relative
    hp = 1e-6 * BPHI
    k = knap_bracket_difference(FIELDS, BPHI, B3 + hp, hp)
    np.testing.assert_allclose(-0.5 * G0 * k, ilp(FIELDS, LPHI, LSO), rtol=1e-5)
    # and the effect grows linearly with the linear field
    dev = [np.max(np.abs(-0.5 * G0 * knap_bracket_difference(FIELDS, BPHI, B3 + q, q)
                         / ilp(FIELDS, LPHI, LSO) - 1)) for q in (1e-4 * BPHI, 1e-3 * BPHI)]
    assert dev[1] / dev[0] == pytest.approx(10, rel=0.1)


def test_no_spin_orbit_is_hln_alpha_one():
    hp = 1e-6 * BPHI
    k = knap_bracket_difference(FIELDS, BPHI, hp, hp)
    np.testing.assert_allclose(-0.5 * G0 * k, hln(FIELDS, 1.0, LPHI), rtol=1e-6)


def test_infinite_linear_length_is_exactly_ilp():
    np.testing.assert_array_equal(ilp_linear(FIELDS, LPHI, LSO), ilp(FIELDS, LPHI, LSO))


def test_exact_sum_against_brute_force_differences():
    # K(B) - K(B') needs no zero-field limit: compare with 4e5 terms summed one by one,
    # whose truncation error ~ (B_so/B) / N is below 1e-4 here
    pairs = [(BPHI, 10 * BPHI), (3 * BPHI, 30 * BPHI)]
    hso, hp = B3 + B1, B1
    for b, b2 in pairs:
        exact = (knap_bracket_difference(np.array([b]), BPHI, hso, hp)[0]
                 - knap_bracket_difference(np.array([b2]), BPHI, hso, hp)[0])
        brute = (_brute_bracket(b, BPHI, hso, hp, 400_000)
                 - _brute_bracket(b2, BPHI, hso, hp, 400_000))
        assert exact == pytest.approx(brute, abs=2e-4)


def test_series_with_tail_converges_as_n_cubed():
    b = np.array([0.5 * BPHI, 2 * BPHI])
    exact = ilp_linear(b, LPHI, LSO, LSO1)
    err = [np.max(np.abs(ilp_linear(b, LPHI, LSO, LSO1, method="series", n_terms=n) - exact))
           for n in (1000, 3000)]
    assert err[1] < 1e-5 * G0
    # the tail-corrected truncation error falls as N^-3 (27x for 3x the terms; a bare
    # truncation would gain only 3x)
    assert err[0] / err[1] > 15


def test_zero_field_limit_is_quadratic():
    b = np.array([1e-4, 1e-3]) * BPHI
    ratio = ilp_linear(b, LPHI, LSO, LSO1) / b**2
    assert ratio[0] == pytest.approx(ratio[1], rel=1e-3)
    assert ilp_linear(np.array([0.0]), LPHI, LSO, LSO1)[0] == 0.0


def test_strong_linear_spin_orbit_gives_the_singlet():
    # B_so1 = 2500 B_phi: at B << B_so only the singlet survives, dsigma -> -1/2 G0 f
    l1 = LPHI / 50
    b = np.array([0.5, 2.0, 8.0]) * BPHI
    np.testing.assert_allclose(ilp_linear(b, LPHI, np.inf, l1), hln(b, -0.5, LPHI), rtol=1e-2)


def test_bad_method():
    with pytest.raises(InputError, match="method"):
        ilp_linear(FIELDS, LPHI, LSO, LSO1, method="fast")


def test_lengths_broadcast_like_a_loop():
    l1 = np.array([[100e-9], [150e-9], [np.inf]])
    grid = ilp_linear(FIELDS[None, :], LPHI, LSO, l1)
    for row, l in zip(grid, l1[:, 0]):
        np.testing.assert_allclose(row, ilp_linear(FIELDS, LPHI, LSO, l), rtol=1e-12)
