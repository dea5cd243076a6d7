"""The complex-symmetric inverse of the orthogonal-class RGF (``transport/_syminv.py``)."""

import numpy as np
import pytest
import scipy.linalg.lapack as lapack

from weakloc.lattice import Lattice
from weakloc.transport import rgf
from weakloc.transport._syminv import BLOCK, invert_symmetric
from weakloc.transport.landauer import conductance_batch


def _slice_like(n, seed, zero_diagonal=False):
    """A dense complex-symmetric matrix like an RGF slice matrix, ``E - H - g``."""
    rng = np.random.default_rng(seed)
    h = rng.uniform(-1, 1, (n, n))
    h = h + h.T
    g = np.linalg.inv((0.5 - h) + 1j * np.diag(rng.uniform(0.01, 0.1, n)))
    a = np.ascontiguousarray((0.5 - h) - g)
    if zero_diagonal:   # forces many 2x2 pivot blocks
        np.fill_diagonal(a, 0.0)
    return a


@pytest.mark.parametrize("n", [2, 3, 7, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 3])
@pytest.mark.parametrize("zero_diagonal", [False, True])
def test_inverse_matches_lu(n, zero_diagonal):
    a = _slice_like(n, n, zero_diagonal)
    ref = np.linalg.inv(a)
    out = a.copy()
    assert invert_symmetric(out) == 0
    assert np.abs(out - ref).max() <= 1e-12 * np.abs(ref).max() * max(1.0, n / 100)
    assert np.array_equal(out, out.T)   # the inverse is exactly symmetric
    if zero_diagonal and n > 2:
        # the case is meant to exercise the 2x2 blocks of D, including one at a block edge
        ipiv = lapack.zsytrf(a.T.copy(order="F"), lower=1)[1]
        assert (ipiv < 0).sum() >= 2


def test_blocks_are_never_split_inside_a_2x2_pivot():
    # a small block size puts many rank-k boundaries next to 2x2 pivots
    a = _slice_like(64, 5, zero_diagonal=True)
    ref = np.linalg.inv(a)
    for block in (1, 2, 3, 5):
        out = a.copy()
        assert invert_symmetric(out, block=block) == 0
        assert np.abs(out - ref).max() <= 1e-12 * np.abs(ref).max()


def test_singular_matrix_reports_info():
    assert invert_symmetric(np.zeros((3, 3), dtype=complex)) > 0


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = rgf.invert_symmetric

    def counting(a):
        calls.append(a.shape[0])
        return real(a)

    monkeypatch.setattr(rgf, "invert_symmetric", counting)
    return calls


@pytest.mark.parametrize("lattice, fluxes, symmetric_members", [
    (Lattice(dim=3, width=6, height=5, length=7, disorder=1.5), [0.0], 1),
    (Lattice(dim=3, width=6, height=6, length=7, disorder=1.5, boundary="periodic"), [0.0], 1),
    # a field: the zero-field member takes the symmetric inverse, the other the LU
    (Lattice(dim=2, width=12, length=9, disorder=2.0), [0.0, 0.02], 1),
    (Lattice(dim=3, width=5, height=4, length=6, disorder=1.5), [0.0, -0.03], 1),
    # spin: the slice matrices are not complex symmetric, LU only
    (Lattice(dim=2, width=6, length=8, disorder=1.0, spin_orbit="su2"), [0.0], 0),
])
def test_sweep_takes_the_symmetric_inverse_exactly_where_it_holds(lattice, fluxes,
                                                                  symmetric_members, counted,
                                                                  monkeypatch):
    real = lattice.realize(11)
    energies = [0.4, -1.3]
    monkeypatch.setattr(rgf, "SYMMETRIC_MIN_N", 10**9)
    lu = conductance_batch(real, energies, fluxes)
    assert counted == []
    monkeypatch.setattr(rgf, "SYMMETRIC_MIN_N", 1)
    sym = conductance_batch(real, energies, fluxes)
    assert len(counted) == symmetric_members * len(energies) * lattice.length
    assert np.abs(sym - lu).max() <= 1e-10 * np.abs(lu).max()
    # and the Caroli route (LU throughout) agrees with both
    caroli = conductance_batch(real, energies, fluxes, method="caroli")
    assert np.abs(caroli - sym).max() <= 1e-9 * np.abs(lu).max()
