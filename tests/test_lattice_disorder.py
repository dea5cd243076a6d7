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
    with pytest.raises(InputError, match="endless bar"):
        from weakloc.transport.transfer import localization_length

        localization_length(Lattice(width=4, disorder=1.0, disorder_kind="gaussian",
                                    correlation=2.0), 0.1, seed=1, max_slices=4000)


# -- 3D samples ---------------------------------------------------------------------------

def _cube(n):
    g = np.arange(n, dtype=float)
    x, y, z = np.meshgrid(g, g, g, indexing="ij")
    return np.stack([x.ravel(), y.ravel(), z.ravel()], 1)


def _lag_covariance(f, d, axes):
    """Per-field mean of f(r) f(r + d e_axis), averaged over the given periodic axes."""
    prod = np.mean([f * np.roll(f, -d, axis=a) for a in axes], axis=0)
    return prod.reshape(f.shape[0], -1).mean(axis=1)


def test_gaussian_field_in_3d_has_the_gaussian_covariance():
    n, count, xi = 14, 40, 2.0
    f = gaussian_field(np.random.default_rng(7), _cube(n), xi, (n, n, n), count)
    f = f.reshape(count, n, n, n)
    for d in (0, 1, 2, 3, 5):
        per_field = _lag_covariance(f, d, (1, 2, 3))
        mean, se = per_field.mean(), per_field.std(ddof=1) / np.sqrt(count)
        assert abs(mean - np.exp(-d * d / (2 * xi**2))) < 4 * se + 1e-3, d
    # along a face diagonal, |r| = sqrt(2) d: isotropy of the covariance
    diag = (f * np.roll(np.roll(f, -2, axis=1), -2, axis=2)).reshape(count, -1).mean(axis=1)
    assert abs(diag.mean() - np.exp(-8 / (2 * xi**2))) < 4 * diag.std(ddof=1) / np.sqrt(count)
    # periodic: the field wraps, so the seam is an ordinary neighbour pair
    seam = (f[:, -1] * f[:, 0]).reshape(count, -1).mean(axis=1)
    assert abs(seam.mean() - np.exp(-1 / (2 * xi**2))) < 4 * seam.std(ddof=1) / np.sqrt(count)


def test_3d_open_boundaries_keep_unit_variance_at_the_corners():
    n, count, xi = 10, 300, 2.0
    pos = _cube(n)
    f = gaussian_field(np.random.default_rng(8), pos, xi, (None, None, None), count)
    corner = np.all((pos == 0) | (pos == n - 1), axis=1)      # the 8 corners
    var = (f[:, corner] ** 2).mean()
    assert abs(var - 1.0) < 4 * np.sqrt(2.0 / (count * corner.sum()))
    # open along x: the two faces are far apart and uncorrelated
    far = (f[:, pos[:, 0] == 0] * f[:, pos[:, 0] == n - 1]).mean(axis=0)
    assert abs(far.mean()) < 4 * far.std(ddof=1) / np.sqrt(far.size / 4)


def test_speckle_in_3d_exponential_and_correlated():
    n, xi, v0, count = 12, 1.5, -0.8, 40       # red-detuned: V0 < 0
    rng = np.random.default_rng(9)
    i = np.stack([Speckle(v0, xi).sample(rng, _cube(n), (n, n, n)).reshape(n, n, n)
                  for _ in range(count)]) / v0 + 1.0          # I / <I>
    assert i.min() >= 0
    # P(I > s) = exp(-s), per realization, error from the spread over realizations
    for s in (0.5, 1.0, 2.0):
        frac = (i > s).reshape(count, -1).mean(axis=1)
        assert abs(frac.mean() - np.exp(-s)) < 4 * frac.std(ddof=1) / np.sqrt(count), s
    # intensity covariance <dI dI'> / <I>^2 = exp(-r^2 / (2 xi^2)), lags 0 (variance 1), 1, 2
    di = i - 1.0
    for d in (0, 1, 2):
        c = _lag_covariance(di, d, (1, 2, 3))
        assert abs(c.mean() - np.exp(-d * d / (2 * xi**2))) < 4 * c.std(ddof=1) / np.sqrt(
            count), d


@pytest.mark.parametrize("kind,boundary", [("gaussian", "periodic"), ("speckle", "hard")])
def test_correlated_disorder_on_the_cubic_bar(kind, boundary):
    """The 3D bar draws the field on its (x, y, z) positions, periodic across periodic
    boundaries; every engine sees the same numbers for the same seed (the torus its own,
    periodic along x too)."""
    from weakloc.lattice.torus import periodic_operators

    w, xi = 1.5, 1.8
    lat = Lattice(dim=3, width=6, height=5 if boundary == "hard" else 6, length=8,
                  disorder=w, disorder_kind=kind, correlation=xi, boundary=boundary)
    real = lat.realize(12)
    assert real.onsite.shape == (8, 6, lat.height)
    model = CorrelatedGaussian(w, xi) if kind == "gaussian" else Speckle(w, xi)
    periods = (None, 6.0, 6.0) if boundary == "periodic" else (None, None, None)
    assert lat.disorder_periods() == periods
    expect = model.sample(np.random.default_rng(np.random.PCG64(12)),
                          lat.positions().reshape(-1, 3), periods)
    assert np.array_equal(real.onsite.ravel(), expect)
    assert np.array_equal(lat.realize(12).onsite, real.onsite)        # same seed, same field
    # the dense Hamiltonian, the torus operators and the RGF read the same onsite energies
    assert np.allclose(np.diag(real.hamiltonian().toarray()).real, real.onsite.ravel())
    if boundary == "periodic":   # closed into a torus: the field drawn periodic along x
        ring = lat.realize(12, torus=True)
        h = periodic_operators(ring).hamiltonian
        assert np.allclose(h.diagonal().real, ring.onsite.ravel())
    explicit = lat.realize(onsite=real.onsite)
    assert conductance(real, 0.4) == pytest.approx(conductance(explicit, 0.4), rel=1e-12)


def test_cubic_bar_field_statistics_and_periodic_seam():
    """Over realizations of a periodic bar: variance W^2/12 and the covariance across the
    periodic y and z seams equal to that of neighbours; along open x, none across the ends."""
    w, xi, n = 2.0, 1.5, 60
    lat = Lattice(dim=3, width=6, height=6, length=6, disorder=w, disorder_kind="gaussian",
                  correlation=xi, boundary="periodic")
    rng = np.random.default_rng(13)
    f = np.stack([lat.realize(rng).onsite for _ in range(n)]) / (w / np.sqrt(12.0))
    var = (f**2).reshape(n, -1).mean(axis=1)
    assert abs(var.mean() - 1.0) < 4 * var.std(ddof=1) / np.sqrt(n)
    near = np.exp(-1 / (2 * xi**2))
    for axis in (2, 3):   # y, z: the seam pair (M-1, 0) is a neighbour pair
        seam = (np.take(f, -1, axis=axis) * np.take(f, 0, axis=axis)).reshape(n, -1).mean(1)
        assert abs(seam.mean() - near) < 4 * seam.std(ddof=1) / np.sqrt(n), axis
    ends = (f[:, 0] * f[:, -1]).reshape(n, -1).mean(1)     # x = 0 and x = 5: 5 a apart
    assert abs(ends.mean() - np.exp(-25 / (2 * xi**2))) < 4 * ends.std(ddof=1) / np.sqrt(n)


def test_torus_realization_is_periodic_along_x_too():
    """A correlated potential for periodic_operators wraps along x as well (no seam where
    the bar is closed); drawn open along x, the torus is refused."""
    from weakloc.lattice.torus import periodic_operators

    w, xi, n = 2.0, 1.5, 60
    lat = Lattice(dim=3, width=5, height=5, length=6, disorder=w, disorder_kind="gaussian",
                  correlation=xi, boundary="periodic")
    assert lat.disorder_periods(torus=True) == (6.0, 5.0, 5.0)
    rng = np.random.default_rng(14)
    reals = [lat.realize(rng, torus=True) for _ in range(n)]
    f = np.stack([r.onsite for r in reals]) / (w / np.sqrt(12.0))
    seam = (f[:, -1] * f[:, 0]).reshape(n, -1).mean(1)       # x = 5 and x = 0: neighbours
    assert abs(seam.mean() - np.exp(-1 / (2 * xi**2))) < 4 * seam.std(ddof=1) / np.sqrt(n)
    h = periodic_operators(reals[0]).hamiltonian
    assert np.allclose(h.diagonal().real, reals[0].onsite.ravel())
    assert reals[0].with_flux(0.0).field_periods == (6.0, 5.0, 5.0)
    with pytest.raises(InputError, match="torus=True"):
        periodic_operators(lat.realize(1))
    # uncorrelated disorder: the same numbers either way, and no objection
    box = Lattice(dim=3, width=4, height=4, length=4, disorder=w, boundary="periodic")
    assert np.array_equal(periodic_operators(box.realize(3)).hamiltonian.toarray(),
                          periodic_operators(box.realize(3, torus=True)).hamiltonian.toarray())


def test_taper_windows_the_potential_towards_the_leads():
    """``taper`` multiplies the same field by sin^2(pi/2 min(1, d/taper)), d the distance
    from the first or last slice: zero at the lead interfaces, untouched in the middle, the
    variance profile sigma^2 w(x)^2 over realizations; a torus has no ends (no taper)."""
    w, xi, taper = 1.0, 3.0, 8.0
    kw = dict(lattice="honeycomb", width=12, length=16, disorder=w, disorder_kind="gaussian",
              correlation=xi, boundary="periodic")
    lat, plain = Lattice(taper=taper, **kw), Lattice(**kw)
    x = lat.positions()[..., 0]
    d = np.minimum(x - x.min(), x.max() - x)
    win = np.sin(0.5 * np.pi * np.minimum(1.0, d / taper)) ** 2
    a, b = lat.realize(7).onsite, plain.realize(7).onsite
    assert np.allclose(a, b * win)                   # the same numbers, windowed
    assert np.all(a[d == 0] == 0) and (d == 0).sum() == 2 * 12   # first and last column
    assert np.array_equal(a[d.min(axis=1) >= taper], b[d.min(axis=1) >= taper])
    rng = np.random.default_rng(8)
    n = 150
    f = np.stack([lat.realize(rng).onsite for _ in range(n)]) / (w / np.sqrt(12.0))
    var = (f ** 2).mean(axis=(0, 2))                 # per slice
    expect = (win ** 2).mean(axis=1)
    n_eff = n * lat.positions().shape[1] / (2 * xi) ** 2 * 2   # ~ independent values
    assert np.all(np.abs(var - expect) < 4 * np.sqrt(2.0 / n_eff) * expect + 1e-12)
    torus = lat.realize(9, torus=True).onsite
    assert np.allclose(torus, plain.realize(9, torus=True).onsite)
    sp = Speckle(0.5, xi, taper).sample(np.random.default_rng(1), x.reshape(-1, 1).repeat(
        2, 1) * [1, 0])
    assert sp[np.argmin(x.ravel())] == 0


def test_taper_needs_correlated_disorder():
    with pytest.raises(InputError, match="correlation > 0"):
        Lattice(disorder=1.0, taper=4.0)
    with pytest.raises(InputError, match="taper"):
        Lattice(disorder=1.0, disorder_kind="gaussian", correlation=2.0, taper=-1.0)
