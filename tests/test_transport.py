"""Landauer conductance by recursive Green's functions: exact limits and invariants."""

import numpy as np
import pytest

from reference_solvers import dense_conductance as _dense_conductance
from weakloc.errors import InputError, ResourceError
from weakloc.lattice import Lattice
from weakloc.seeding import stream
from weakloc.transport.landauer import (
    conductance,
    conductance_batch,
    conductance_ensemble,
    open_channels,
    sweep_task,
)
from weakloc.transport.leads import lead_modes, self_energies
from weakloc.transport.smatrix import scattering_amplitudes


def _transverse_levels(lat):
    """Transverse eigenvalues of the clean cross-section (hard walls or periodic)."""
    def levels(m):
        if lat.boundary == "hard" or m == 1:
            k = np.pi * np.arange(1, m + 1) / (m + 1)
        else:
            k = 2 * np.pi * np.arange(m) / m
        return -2 * np.cos(k) if m > 1 or lat.boundary == "hard" else np.zeros(1)

    ey = levels(lat.width)
    ez = levels(lat.height) if lat.dim == 3 else np.zeros(1)
    return (ey[:, None] + ez[None, :]).ravel()


@pytest.mark.parametrize("kw", [
    dict(width=7),
    dict(width=6, boundary="periodic"),
    dict(dim=3, width=3, height=4),
    dict(width=5, spin_orbit="ando", soc=0.0),
])
def test_clean_strip_has_integer_conductance_steps(kw):
    lat = Lattice(length=6, **kw)
    eps = _transverse_levels(lat)
    band = (eps.min() - 2, eps.max() + 2)
    # energies away from the subband thresholds eps +- 2
    for e in np.linspace(band[0] + 0.05, band[1] - 0.05, 23):
        if np.min(np.abs(np.abs(e - eps) - 2)) < 1e-3:
            continue
        expected = lat.spin * int(np.sum(np.abs(e - eps) < 2))
        assert open_channels(lat, e) == expected
        g = conductance(lat.realize(0), e)
        assert abs(g - expected) < 1e-9, (e, g, expected)


def test_clean_strip_in_a_field_transmits_every_channel():
    lat = Lattice(width=12, length=10, flux=0.03)
    for e in (-2.7, -0.9, 0.35, 1.6):
        n = open_channels(lat, e)
        assert n >= 1
        assert abs(conductance(lat.realize(0), e) - n) < 1e-9


@pytest.mark.parametrize("kw", [
    dict(),
    dict(flux=0.07),
    dict(spin_orbit="su2"),
    dict(spin_orbit="ando", flux=-0.05),
    dict(dim=3, width=3, height=4, flux=0.1),
    dict(boundary="periodic", width=5, flux=0.4),
])
def test_rgf_equals_dense_green_function(kw):
    kw.setdefault("width", 6)
    lat = Lattice(length=9, disorder=2.0, **kw)
    real = lat.realize(3)
    for e in (-0.15, 0.4, -1.3):
        if open_channels(lat, e) == 0:
            continue
        ref = _dense_conductance(real, e)
        assert abs(conductance(real, e) - ref) < 1e-10
        assert abs(conductance(real, e, method="caroli") - ref) < 1e-10


def test_lead_self_energy_solves_dyson_and_is_absorbing():
    lat = Lattice(width=6, spin_orbit="ando", flux=0.04)
    h0, v0 = lat.lead()
    for e in (-2.5, 0.2, 1.9):
        sl, sr, n_open = self_energies(h0, v0, e)
        one = e * np.eye(lat.n)
        assert np.allclose(sr, v0.conj().T @ np.linalg.inv(one - h0 - sr) @ v0, atol=1e-12)
        assert np.allclose(sl, v0 @ np.linalg.inv(one - h0 - sl) @ v0.conj().T, atol=1e-12)
        gam = 1j * (sr - sr.conj().T)
        ev = np.linalg.eigvalsh(gam)
        assert ev.min() > -1e-12
        assert np.sum(ev > 1e-9) == n_open == lead_modes(h0, v0, e).n_open


def test_batch_over_energies_and_fluxes_matches_single_calls():
    lat = Lattice(width=5, length=12, disorder=1.5)
    real = lat.realize(4)
    es, fs = [-0.7, 0.3], [0.0, 0.05, -0.05]
    grid = conductance_batch(real, es, fs)
    for i, e in enumerate(es):
        for j, f in enumerate(fs):
            assert grid[i, j] == pytest.approx(conductance(real.with_flux(f), e), abs=1e-12)


def test_energy_without_open_channel_names_the_band():
    lat = Lattice(width=4, length=3)
    with pytest.raises(InputError, match=r"no open channel.*band is \[-3\.618, 3\.618\]"):
        conductance(lat.realize(0), 4.5)
    gapped = Lattice(width=5, length=3, boundary="periodic", flux=0.4)
    with pytest.raises(InputError, match=r"no open channel.* U "):
        conductance(gapped.realize(0), 0.4)
    # a lead in a strong field has ~100 Landau bands: the error stays short and names the
    # two around the energy
    landau = Lattice(dim=3, width=16, height=16, length=3, boundary="periodic", flux=1 / 16)
    with pytest.raises(InputError) as err:
        conductance(landau.realize(0), 0.5)
    assert len(str(err.value)) < 300
    assert "nearest [0.4132, 0.4477] and [0.6382, 0.7622]" in str(err.value)


@pytest.mark.parametrize("kw", [
    dict(),
    dict(flux=0.09),
    dict(spin_orbit="su2", flux=0.05),
    dict(dim=3, width=3, height=3, boundary="periodic", flux=1 / 3),
])
def test_current_conservation_t_plus_r_equals_n(kw):
    kw.setdefault("width", 5)
    lat = Lattice(length=8, disorder=2.5, **kw)
    real = lat.realize(8)
    for e in (-1.9, 0.35, 1.2):
        n_open = open_channels(lat, e)
        if n_open == 0:
            continue
        t, r = scattering_amplitudes(real, e)
        big_t, big_r = np.sum(np.abs(t) ** 2), np.sum(np.abs(r) ** 2)
        assert abs(big_t + big_r - n_open) < 1e-10
        # [t; r] has orthonormal columns: every incident mode is fully scattered
        s = np.vstack([t, r])
        assert np.allclose(s.conj().T @ s, np.eye(n_open), atol=1e-10)
        g = conductance(real, e)
        assert abs(g - big_t) < 1e-10
        assert -1e-12 < g <= n_open + 1e-12


@pytest.mark.parametrize("kw", [
    dict(),
    dict(spin_orbit="su2"),
    dict(spin_orbit="ando"),
    dict(dim=3, width=4, height=3),
])
def test_onsager_symmetry_per_realization(kw):
    kw.setdefault("width", 6)
    lat = Lattice(length=14, disorder=2.0, **kw)
    fluxes = [0.013, -0.013, 0.08, -0.08]
    for seed in range(3):
        g = conductance_batch(lat.realize(seed), [0.3, -1.0], fluxes)
        assert np.allclose(g[:, 0], g[:, 1], atol=1e-11)
        assert np.allclose(g[:, 2], g[:, 3], atol=1e-11)
        assert np.all(np.abs(g[:, 0] - g[:, 2]) > 1e-6)   # the field does act


def test_memory_estimate_above_free_memory_is_refused_before_work():
    huge = Lattice(width=20000, length=2, spin_orbit="su2")
    with pytest.raises(ResourceError, match="GiB but only"):
        conductance(huge.realize(0), 0.1)
    with pytest.raises(ResourceError, match="GiB but only"):
        conductance_ensemble(huge, 0.1, samples=2, seed=0)


def test_sweep_task_is_one_realization():
    params = dict(dim=2, width=5, length=8, disorder=1.0, flux=0.02, energy=0.4)
    out = sweep_task(params, stream(9, 4))
    lat = Lattice(width=5, length=8, disorder=1.0, flux=0.02)
    assert out == {"conductance": pytest.approx(conductance(lat.realize(stream(9, 4)), 0.4))}
    with pytest.raises(InputError, match="unknown parameter 'widht'"):
        sweep_task(dict(widht=3, energy=0.1), stream(0, 0))
    with pytest.raises(InputError, match="needs an 'energy'"):
        sweep_task(dict(width=3), stream(0, 0))


def _chain_transmission(eps, energy):
    """Exact 1D transmission 1/|M_22|^2 from the plane-wave transfer matrix (independent).

    ``M = S_L^-1 P S_0`` maps the amplitudes (right-, left-moving) of ``exp(+-ikj)`` on the
    left to those on the right; ``det M = 1``, so ``tau = 1/M_22``. Only products of
    growing matrices: full relative precision however small T is.
    """
    k = np.arccos(-energy / 2)
    p = np.eye(2, dtype=complex)
    for e in eps:
        p = np.array([[-(energy - e), -1.0], [1.0, 0.0]]) @ p
    n = len(eps)
    s0 = np.array([[1.0, 1.0], [np.exp(-1j * k), np.exp(1j * k)]])
    sl = np.array([[np.exp(1j * k * n), np.exp(-1j * k * n)],
                   [np.exp(1j * k * (n - 1)), np.exp(-1j * k * (n - 1))]])
    m = np.linalg.solve(sl, p @ s0)
    return 1.0 / abs(m[1, 1]) ** 2


def test_caroli_keeps_relative_precision_in_deep_localization():
    lat = Lattice(width=1, length=200, disorder=3.0)
    eps = np.random.default_rng(12).uniform(-1.5, 1.5, size=(200, 1))
    real = lat.realize(onsite=eps)
    for e in (-0.8, 0.3):
        exact = _chain_transmission(eps[:, 0], e)
        assert 1e-30 < exact < 1e-10   # localized: g ~ exp(-2 L / xi)
        assert conductance(real, e, method="caroli") == pytest.approx(exact, rel=1e-8)
        assert abs(conductance(real, e) - exact) < 1e-12   # unitarity form: absolute only
