"""Lattice random walks: Polya recurrence, Monte Carlo against the exact renewal solution."""

import numpy as np
import pytest

from weakloc.errors import InputError
from weakloc.montecarlo.latticewalk import (
    POLYA_3D,
    exact_return,
    lattice_return,
    polya_extrapolate,
)


@pytest.fixture(scope="module", params=[1, 2, 3])
def walks(request):
    return lattice_return(request.param, samples=30000, steps=2000, seed=21)


def test_monte_carlo_matches_exact_renewal(walks):
    chi = (walks.returned - walks.exact) / np.maximum(walks.stderr, 1e-12)
    assert np.max(np.abs(chi)) < 4.5


def test_exact_1d_no_return_probability():
    # 1 - F(2m) = C(2m, m) / 4^m exactly
    from math import comb

    F = exact_return(1, 200)
    for m in (1, 5, 50, 100):
        assert 1 - F[2 * m] == pytest.approx(comb(2 * m, m) / 4**m, rel=1e-10)


def test_exact_2d_first_steps():
    # F(2) = 1/4 (step back), F(4) = 1/4 + f_4; f_4 = u_4 - f_2 u_2 with u_2 = 1/4, u_4 = 9/64
    F = exact_return(2, 4)
    assert F[2] == pytest.approx(0.25)
    assert F[4] == pytest.approx(0.25 + 9 / 64 - 0.25 * 0.25)


@pytest.mark.slow
def test_polya_constant_3d():
    walks = lattice_return(3, samples=30000, steps=2000, seed=22)
    # the Monte Carlo estimate with the n^(-1/2) tail correction
    assert abs(walks.extrapolated - POLYA_3D) < 4 * walks.extrapolated_stderr
    assert walks.extrapolated_stderr < 0.005
    # the finite-time value alone is visibly below it: the tail matters
    assert walks.returned[-1] < POLYA_3D - 0.003
    # the exact finite-n values extrapolate to Polya's constant to 1e-6
    F = exact_return(3, 3000)
    assert polya_extrapolate(F[3000], 3000)[0] == pytest.approx(POLYA_3D, abs=2e-6)
    assert polya_extrapolate(F[300], 300)[0] == pytest.approx(POLYA_3D, abs=1e-4)


def test_1d_and_2d_walks_are_recurrent():
    F1 = exact_return(1, 4000)
    F2 = exact_return(2, 4000)
    for F in (F1, F2):
        assert np.all(np.diff(F[::2]) >= -1e-15)  # returning is cumulative
    assert 1 - F1[4000] < 0.02 and 1 - F1[4000] == pytest.approx(1 / np.sqrt(np.pi * 2000),
                                                                   rel=1e-3)
    # 2D: 1 - F(n) decays like pi / ln n: slowly, but to zero
    ratio = (1 - F2[4000]) / (1 - F2[40])
    assert ratio < 0.7
    # generating function U(z) ~ ln(8/(1-z))/pi near z = 1 gives pi/(ln 8n + Euler gamma)
    assert 1 - F2[4000] == pytest.approx(np.pi / (np.log(8 * 4000) + np.euler_gamma), rel=0.03)


@pytest.mark.parametrize("kw, match", [
    ({"dim": 4}, "dimension"),
    ({"dim": 2, "steps": 0}, "steps"),
    ({"dim": 2, "samples": 0}, "samples"),
    ({"dim": 2, "steps": 10, "checkpoints": [20]}, "checkpoints"),
])
def test_bad_input(kw, match):
    d = kw.pop("dim")
    with pytest.raises(InputError, match=match):
        lattice_return(d, **kw)
