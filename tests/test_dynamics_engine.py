"""weakloc.dynamics engine: stencil vs matrix, Chebyshev vs exact, norm, gauge, Born scales."""

import numpy as np
import pytest
import scipy.linalg as sl
from scipy.integrate import quad

from weakloc.dynamics import (
    TorusLattice,
    apply_hamiltonian,
    evolve,
    gaussian_packet,
    hamiltonian_matrix,
    plane_wave,
)
from weakloc.dynamics.chebyshev import gaussian_filter, moments_needed
from weakloc.dynamics.states import energy_filtered
from weakloc.errors import InputError
from weakloc.theory import born

CLASSES = {
    "orthogonal": dict(),
    "unitary": dict(flux=3 / 256),
    "symplectic-su2": dict(spin_orbit="su2"),
    "symplectic-ando": dict(spin_orbit="ando", soc=0.5),
    "unitary-ando": dict(spin_orbit="ando", flux=5 / 256),
}


def _random_state(lat, seed):
    rng = np.random.default_rng(seed)
    psi = rng.normal(size=lat.shape) + 1j * rng.normal(size=lat.shape)
    return psi / np.linalg.norm(psi)


@pytest.mark.parametrize("name", list(CLASSES))
def test_stencil_matches_matrix_and_exact_evolution(name):
    lat = TorusLattice(size=16, disorder=2.0, **CLASSES[name])
    real = lat.realize(11)
    h = hamiltonian_matrix(real)
    assert abs(h - h.conj().T).max() == 0.0                     # Hermitian
    psi = _random_state(lat, 3)
    hpsi = apply_hamiltonian(real, psi).ravel()
    assert np.abs(h @ psi.ravel() - hpsi).max() < 1e-13
    hd = h.toarray()
    ev = np.linalg.eigvalsh(hd)
    assert np.abs(ev).max() <= lat.spectral_bound()              # Gershgorin bound
    times = [0.3, 5.0, 40.0]
    states = evolve(real, psi, times, tol=1e-12)
    for t, st in zip(times, states):
        exact = sl.expm(-1j * t * hd) @ psi.ravel()
        assert np.abs(st.ravel() - exact).max() < 1e-11
        assert abs(np.linalg.norm(st) - 1.0) < 1e-10


def test_clean_torus_spectrum_and_plane_wave_phase():
    lat = TorusLattice(size=8)
    ev = np.linalg.eigvalsh(hamiltonian_matrix(lat.realize(0)).toarray())
    k = 2 * np.pi * np.arange(8) / 8
    exact = np.sort((-2 * np.cos(k)[:, None] - 2 * np.cos(k)[None, :]).ravel())
    assert np.allclose(ev, exact, atol=1e-12)
    # a plane wave is an eigenstate: exp(-iHt) multiplies it by exp(-i eps t)
    lat = TorusLattice(size=32)
    k0 = 2 * np.pi * np.array([5, 3]) / 32
    psi = plane_wave(lat, k0)
    (out,) = evolve(lat.realize(0), psi, [17.3])
    eps = -2 * np.cos(k0).sum()
    assert np.abs(out - np.exp(-1j * eps * 17.3) * psi).max() < 1e-11


@pytest.mark.parametrize("m", [1, 7, 64])
def test_every_plaquette_encloses_the_flux(m):
    """Counterclockwise products of the hoppings equal exp(-2 pi i phi), seam included."""
    n = 8
    lat = TorusLattice(size=n, flux=m / n**2)
    h = hamiltonian_matrix(lat.realize(0)).toarray()

    def u(a, b):  # hopping factor from site a to site b: H[b, a] = -U
        return -h[b[0] * n + b[1], a[0] * n + a[1]]

    for x in range(n):
        for y in range(n):
            r0, r1 = (x, y), ((x + 1) % n, y)
            r2, r3 = ((x + 1) % n, (y + 1) % n), (x, (y + 1) % n)
            loop = u(r0, r1) * u(r1, r2) * u(r2, r3) * u(r3, r0)
            assert abs(loop - np.exp(-2j * np.pi * m / n**2)) < 1e-12


def test_landau_gauge_rows_follow_the_lattice_convention():
    """x-bond factor exp(2 pi i phi (y - y0)) as in weakloc.lattice (zero line y0 = N//2)."""
    n, phi = 8, 2 / 64
    real = TorusLattice(size=n, flux=phi).realize(0)
    h = hamiltonian_matrix(real).toarray()
    for y in range(n):
        assert np.isclose(-h[1 * n + y, 0 * n + y], np.exp(2j * np.pi * phi * (y - n // 2)))


def test_norm_is_conserved_over_long_times_on_a_large_lattice():
    lat = TorusLattice(size=64, disorder=3.0, spin_orbit="su2")
    psi = gaussian_packet(lat, [0.7, -1.1], width=6.0)
    states = evolve(lat.realize(5), psi, [10.0, 100.0, 300.0], tol=1e-12)
    for st in states:
        assert abs(np.vdot(st, st).real - 1.0) < 1e-10


def test_truncation_bound_is_respected_and_forced_moments_checked():
    lat = TorusLattice(size=16, disorder=2.0)
    real = lat.realize(2)
    psi = _random_state(lat, 0)
    exact = sl.expm(-10j * hamiltonian_matrix(real).toarray()) @ psi.ravel()
    for tol in (1e-3, 1e-6):
        (st,) = evolve(real, psi, [10.0], tol=tol)
        err = np.linalg.norm(st.ravel() - exact)
        assert err < tol
    need = moments_needed(lat.spectral_bound() * 1.001 * 10.0, 1e-8)
    (st,) = evolve(real, psi, [10.0], tol=1e-8, n_moments=need + 5)
    assert np.linalg.norm(st.ravel() - exact) < 1e-8
    with pytest.raises(InputError, match="too few"):
        evolve(real, psi, [10.0], tol=1e-8, n_moments=need - 1)


def test_energy_filter_matches_spectral_projection():
    lat = TorusLattice(size=12, disorder=2.0)
    real = lat.realize(4)
    psi = _random_state(lat, 1)
    hd = hamiltonian_matrix(real).toarray()
    w, vec = np.linalg.eigh(hd)
    exact = vec @ (np.exp(-((w + 1.0) ** 2) / (2 * 0.3**2)) * (vec.conj().T @ psi.ravel()))
    got = gaussian_filter(real, psi, -1.0, 0.3)
    assert np.abs(got.ravel() - exact).max() < 1e-9
    state, weight = energy_filtered(real, psi, -1.0, 0.3)
    assert np.isclose(np.linalg.norm(state), 1.0)
    assert np.isclose(weight, np.vdot(exact, exact).real)
    e_mean = np.vdot(state.ravel(), hd @ state.ravel()).real
    assert abs(e_mean + 1.0) < 0.3


def test_born_scales():
    # DOS: quadrature along the shell equals the elliptic-integral form, and integrates to 1
    for e in (-3.5, -2.0, -1.0, 0.5):
        assert np.isclose(born._shell_integrals(e)[0], born.density_of_states(e), rtol=1e-7)
    total = quad(lambda e: born.density_of_states(e), -4, 4, points=[0.0], limit=200)[0]
    assert np.isclose(total, 1.0, atol=1e-6)
    # band bottom: nu -> 1/(4 pi) and <v^2> -> 4 |E + 4| (effective mass 1/2)
    assert np.isclose(born.density_of_states(-3.999), 1 / (4 * np.pi), rtol=1e-3)
    assert np.isclose(born.shell_velocity_squared(-3.99), 4 * 0.01, rtol=1e-2)
    # golden rule: 1/tau = 2 pi nu W^2/12
    tau = born.scattering_time(-1.0, 2.0)
    assert np.isclose(1 / tau, 2 * np.pi * born.density_of_states(-1.0) * 4 / 12)


def test_bad_input_is_refused():
    lat = TorusLattice(size=16, disorder=2.0)
    with pytest.raises(InputError, match="Brillouin zone"):
        plane_wave(lat, [3.5, 0.0])
    with pytest.raises(InputError, match="Brillouin zone"):
        gaussian_packet(lat, [0.1, np.pi], width=2)
    with pytest.raises(InputError, match="multiple of 2 pi/16"):
        plane_wave(lat, [0.1, 0.2])
    with pytest.raises(InputError, match="outside the band"):
        energy_filtered(lat.realize(0), plane_wave(lat, [0, 0]), 5.5, 0.2)
    with pytest.raises(InputError, match="off that energy shell"):
        energy_filtered(lat.realize(0), plane_wave(lat, [0, 0]), 3.5, 0.05, min_weight=1e-3)
    with pytest.raises(InputError, match="flux"):
        TorusLattice(size=16, flux=0.001)
    with pytest.raises(InputError, match="shape"):
        apply_hamiltonian(lat.realize(0), np.zeros((4, 4)))
    with pytest.raises(InputError, match="increasing"):
        evolve(lat.realize(0), plane_wave(lat, [0, 0]), [2.0, 1.0])
