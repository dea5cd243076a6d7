"""Lattice descriptions and realizations: spectra, gauge flux, Kramers pairs, statistics."""

import numpy as np
import pytest

from weakloc.errors import InputError
from weakloc.lattice import Lattice, ando_matrices, su2_matrices
from weakloc.seeding import stream


def test_clean_strip_spectrum_is_separable():
    lat = Lattice(width=5, length=7)
    ev = np.linalg.eigvalsh(lat.realize(0).hamiltonian().toarray())
    kx = np.pi * np.arange(1, 8) / 8
    ky = np.pi * np.arange(1, 6) / 6
    exact = np.sort((-2 * np.cos(kx)[:, None] - 2 * np.cos(ky)[None, :]).ravel())
    assert np.allclose(ev, exact, atol=1e-12)


def test_periodic_bar_spectrum():
    lat = Lattice(dim=3, width=3, height=4, length=2, boundary="periodic")
    ev = np.linalg.eigvalsh(lat.realize(0).hamiltonian().toarray())
    kx = np.pi * np.arange(1, 3) / 3
    ky = 2 * np.pi * np.arange(3) / 3
    kz = 2 * np.pi * np.arange(4) / 4
    e = -2 * (np.cos(kx)[:, None, None] + np.cos(ky)[None, :, None] + np.cos(kz)[None, None, :])
    assert np.allclose(ev, np.sort(e.ravel()), atol=1e-12)


@pytest.mark.parametrize("flux", [0.1, -0.23, 1 / 3])
def test_every_plaquette_encloses_the_flux(flux):
    lat = Lattice(width=4, length=3, flux=flux, disorder=2.0)
    h = lat.realize(1).hamiltonian().toarray()
    m = lat.width

    def site(x, y):
        return x * m + y

    for x in range(2):
        for y in range(m - 1):
            loop = [site(x, y), site(x + 1, y), site(x + 1, y + 1), site(x, y + 1)]
            prod = 1.0 + 0j
            for a, b in zip(loop, loop[1:] + loop[:1]):
                prod *= -h[b, a]  # amplitude to hop a -> b is H[b, a] = -t U
            # counterclockwise loop: Aharonov-Bohm phase exp(-2 pi i phi) of a charge -e
            assert np.isclose(prod, np.exp(-2j * np.pi * flux)), (x, y)


@pytest.mark.parametrize("model", ["su2", "ando"])
def test_symplectic_samples_have_kramers_pairs(model):
    lat = Lattice(width=4, length=4, disorder=3.0, spin_orbit=model)
    assert lat.symmetry == "symplectic"
    ev = np.linalg.eigvalsh(lat.realize(5).hamiltonian().toarray())
    assert np.allclose(ev[0::2], ev[1::2], atol=1e-10)
    # a field breaks time reversal and lifts the degeneracy
    ev_b = np.linalg.eigvalsh(lat.with_(flux=0.1).realize(5).hamiltonian().toarray())
    assert lat.with_(flux=0.1).symmetry == "unitary"
    assert np.max(np.abs(ev_b[0::2] - ev_b[1::2])) > 1e-3


def test_su2_hoppings_are_haar_distributed():
    u = su2_matrices(stream(3, 0), (20000,))
    assert np.allclose(u @ np.conj(np.swapaxes(u, -1, -2)), np.eye(2), atol=1e-12)
    assert np.allclose(np.linalg.det(u), 1.0)
    # Haar measure: |U_00|^2 = cos^2 b is uniform on [0, 1]: mean 1/2, variance 1/12
    c2 = np.abs(u[:, 0, 0]) ** 2
    se = np.sqrt(1 / 12 / c2.size)
    assert abs(c2.mean() - 0.5) < 4 * se
    assert abs(c2.var() - 1 / 12) < 4 * np.sqrt((1 / 80 - 1 / 144) / c2.size)


def test_ando_matrices_unitary_and_clean_ando_strip_conserves_nothing_spurious():
    u = ando_matrices(0.5, 3)
    assert np.allclose(u @ np.conj(np.swapaxes(u, -1, -2)), np.eye(2))
    # a clean Ando strip with S = 0 equals two copies of the plain strip
    ev0 = np.linalg.eigvalsh(Lattice(width=3, length=3).realize(0).hamiltonian().toarray())
    lat = Lattice(width=3, length=3, spin_orbit="ando", soc=0.0)
    ev = np.linalg.eigvalsh(lat.realize(0).hamiltonian().toarray())
    assert np.allclose(ev, np.repeat(ev0, 2))


@pytest.mark.parametrize("kind", ["box", "gaussian"])
def test_disorder_statistics(kind):
    w = 4.0
    lat = Lattice(width=50, length=400, disorder=w, disorder_kind=kind)
    eps = np.concatenate([b["onsite"].ravel() for b in lat.realize(11).slice_bonds()])
    se_mean = np.sqrt(w**2 / 12 / eps.size)
    assert abs(eps.mean()) < 4 * se_mean
    kurt = 1.8 if kind == "box" else 3.0  # fourth moment / variance^2
    se_var = np.sqrt((kurt - 1) * (w**2 / 12) ** 2 / eps.size)
    assert abs(eps.var() - w**2 / 12) < 4 * se_var
    if kind == "box":
        assert eps.min() >= -w / 2 and eps.max() <= w / 2


def test_realizations_replay_and_share_disorder_across_flux():
    lat = Lattice(width=3, length=5, disorder=1.0, spin_orbit="su2")
    rng = np.random.default_rng(9)
    real = lat.realize(rng)
    a = [h for h, _ in real.slices()]
    b = [h for h, _ in real.slices()]
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    c = [h for h, _ in real.with_flux(0.2).slices()]
    assert all(np.array_equal(x, y) for x, y in zip(a, c))  # flux only on x-bonds
    assert not np.array_equal(lat.realize(1).hamiltonian().toarray(),
                              lat.realize(2).hamiltonian().toarray())


def test_explicit_onsite_array_is_used():
    onsite = np.arange(12.0).reshape(4, 3)
    lat = Lattice(width=3, length=4, disorder=5.0)
    h = lat.realize(onsite=onsite).hamiltonian().toarray()
    assert np.allclose(np.diag(h).real, onsite.ravel())


def test_bad_input_is_one_line_naming_the_fix():
    with pytest.raises(InputError, match="width must be an integer >= 1"):
        Lattice(width=0)
    with pytest.raises(InputError, match="disorder must be non-negative"):
        Lattice(disorder=-1)
    with pytest.raises(InputError, match="flux\\*width must be an integer"):
        Lattice(width=5, boundary="periodic", flux=0.1)
    with pytest.raises(InputError, match="height is only for dim=3"):
        Lattice(dim=2, height=3)
    with pytest.raises(InputError, match="expected \\(4, 3\\)"):
        Lattice(width=3, length=4).realize(onsite=np.zeros((3, 4)))
    with pytest.raises(InputError, match="NaN"):
        Lattice(width=3, length=4).realize(onsite=np.full((4, 3), np.nan))
    with pytest.raises(InputError, match="spin_orbit must be one of"):
        Lattice(spin_orbit="rashba")


@pytest.mark.parametrize("kw", [dict(disorder=1.5), dict(disorder=2.0, disorder_kind="gaussian"),
                                dict(disorder=1.0, spin_orbit="ando", soc=0.3),
                                dict(dim=3, height=3, disorder=4.0)])
def test_chunked_onsite_draws_equal_the_per_slice_stream(kw):
    # the RGF sweep draws the onsite energies a chunk at a time; the numbers must be the
    # ones slice_bonds yields slice by slice (same realization, same seed)
    r = Lattice(width=5, length=23, **kw).realize(11)
    per_slice = np.stack([b["onsite"] for b in r.slice_bonds()])
    chunked = np.concatenate(list(r.onsite_chunks(7)))
    assert chunked.shape == per_slice.shape and np.array_equal(chunked, per_slice)
    assert np.std(per_slice) > 0.1


@pytest.mark.parametrize("kw", [dict(disorder=2.0), dict(disorder=1.0, spin_orbit="su2"),
                                dict(disorder=2.0, disorder_kind="gaussian")])
def test_realize_advances_a_passed_generator(kw):
    # numpy's convention: successive calls with one Generator give independent samples,
    # the first of them the sample a copy of the Generator gives
    lat = Lattice(width=4, length=6, **kw)
    rng = np.random.default_rng(4)
    first = lat.realize(np.random.default_rng(4)).hamiltonian().toarray()
    samples = [lat.realize(rng).hamiltonian().toarray() for _ in range(3)]
    assert np.array_equal(samples[0], first)
    assert not np.array_equal(samples[0], samples[1])
    assert not np.array_equal(samples[1], samples[2])
    # the Generator sits exactly past the numbers of three samples: a fourth realization
    # equals the one drawn from a generator advanced by hand through the same draws
    ref = np.random.default_rng(4)
    for _ in range(3):
        lat.realize(ref)
    assert rng.bit_generator.state == ref.bit_generator.state
    assert lat.realize(rng).hamiltonian().nnz > 0
    # an int seed still replays
    assert np.array_equal(lat.realize(5).hamiltonian().toarray(),
                          lat.realize(5).hamiltonian().toarray())


def test_realize_consumes_exactly_the_numbers_it_uses():
    # a box-disorder strip uses length*width uniform numbers and nothing else
    lat = Lattice(width=3, length=5, disorder=1.0)
    rng = np.random.default_rng(8)
    lat.realize(rng)
    ref = np.random.default_rng(8)
    ref.uniform(size=15)
    assert rng.uniform() == ref.uniform()


def test_onsite_chunks_of_a_random_hopping_model_is_an_input_error():
    real = Lattice(width=3, length=4, disorder=1.0, spin_orbit="su2").realize(0)
    with pytest.raises(InputError, match="use slice_bonds"):
        next(real.onsite_chunks(2))
