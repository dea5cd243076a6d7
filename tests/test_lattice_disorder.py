"""Correlated disorder: the covariance a Gaussian field promises, speckle statistics."""

import numpy as np
import pytest

from weakloc.errors import InputError
from weakloc.lattice import Lattice
from weakloc.lattice.disorder import CorrelatedGaussian, Speckle, gaussian_field
from weakloc.transport.landauer import conductance

XI = 2.5


def _square(n):
    x, y = np.meshgrid(np.arange(n, dtype=float), np.arange(n, dtype=float), indexing="ij")
    return np.stack([x.ravel(), y.ravel()], 1)


def test_gaussian_field_has_the_gaussian_covariance():
    n, count = 40, 60
    f = gaussian_field(np.random.default_rng(1), _square(n), XI, (n, n), count)
    f = f.reshape(count, n, n)
    # periodic field: average over every site and both directions
    for d in (0, 1, 2, 4, 6):
        prod = 0.5 * (f * np.roll(f, -d, axis=1) + f * np.roll(f, -d, axis=2))
        per_field = prod.mean(axis=(1, 2))
        mean, se = per_field.mean(), per_field.std(ddof=1) / np.sqrt(count)
        assert abs(mean - np.exp(-d * d / (2 * XI**2))) < 4 * se + 1e-3, d


def test_open_boundaries_keep_unit_variance_at_the_edges():
    pos = _square(30)
    f = gaussian_field(np.random.default_rng(2), pos, XI, (None, None), 200)
    edge = (pos[:, 0] == 0) | (pos[:, 1] == 0)
    var = (f[:, edge] ** 2).mean()
    se = np.sqrt(2.0 / 200 / (edge.sum() / (2 * XI)))   # ~one independent site per 2 xi
    assert abs(var - 1.0) < 4 * se


def test_speckle_intensity_is_exponential_with_zero_mean_potential():
    v0 = 0.7
    pos = _square(48)
    v = Speckle(v0, 1.5).sample(np.random.default_rng(3), pos, (48, 48))
    i = v / v0 + 1.0                       # I / <I>
    assert i.min() >= 0
    # P(I > s) = exp(-s); correlated samples: use a generous effective count
    n_eff = pos.shape[0] / (2 * 1.5) ** 2
    for s in (0.5, 1.0, 2.0):
        p = np.exp(-s)
        assert abs(np.mean(i > s) - p) < 4 * np.sqrt(p * (1 - p) / n_eff)
    assert abs(np.mean(i) - 1.0) < 4 / np.sqrt(n_eff)


def test_correlated_lattice_realizations_are_fields_on_the_sample_positions():
    lat = Lattice(lattice="honeycomb", width=8, length=6, disorder=1.2,
                  disorder_kind="gaussian", correlation=XI)
    real = lat.realize(4)
    pos = lat.positions().reshape(-1, 2)
    expect = CorrelatedGaussian(1.2, XI).sample(np.random.default_rng(
        np.random.PCG64(4)), pos)
    assert np.allclose(real.onsite.ravel(), expect)
    h = real.hamiltonian().toarray()
    assert np.allclose(np.diag(h).real, real.onsite.ravel())
    # a passed Generator is advanced: successive samples differ
    rng = np.random.default_rng(5)
    a, b = lat.realize(rng).onsite, lat.realize(rng).onsite
    assert not np.allclose(a, b)
    assert conductance(real, 0.3) > 0


def test_bad_correlated_input_names_the_fix():
    with pytest.raises(InputError, match="disorder_kind='gaussian'"):
        Lattice(disorder=1.0, correlation=2.0)
    with pytest.raises(InputError, match="speckle disorder needs a correlation"):
        Lattice(disorder=1.0, disorder_kind="speckle")
    with pytest.raises(InputError, match="2D lattices"):
        Lattice(dim=3, disorder=1.0, disorder_kind="gaussian", correlation=2.0)
    with pytest.raises(InputError, match="endless bar"):
        from weakloc.transport.transfer import localization_length

        localization_length(Lattice(width=4, disorder=1.0, disorder_kind="gaussian",
                                    correlation=2.0), 0.1, seed=1, max_slices=4000)
