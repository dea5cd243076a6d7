"""The Kubo engine: commutator evolution against exact matrices, KPM against exact spectra,
clean-lattice ballistic spreading against the band velocity, reproducibility, bad input."""

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.linalg import expm_multiply

from weakloc.dynamics import TorusLattice, born
from weakloc.errors import InputError
from weakloc.kubo import HypercubicTorus, TorusSystem, from_torus, kpm_dos, kubo_conductivity
from weakloc.kubo.chebyshev import evolve_spreading
from weakloc.kubo.dephasing import exponential_average
from weakloc.kubo.kpm import kpm_moments


@pytest.mark.parametrize("lattice", [
    TorusLattice(size=36, disorder=2.0),
    TorusLattice(size=36, disorder=1.0, flux=3 / 36**2, spin_orbit="su2"),
    TorusLattice(size=36, disorder=1.0, spin_orbit="ando", soc=0.4),
])
def test_evolution_and_commutator_match_exact_propagator(lattice):
    """U(t) psi and [X, U(t)] psi from the Chebyshev block series equal expm(-iHt) psi and
    X U psi - U X psi (scipy's expm_multiply) for a state localized far from the seam
    (after t = 1 the amplitude that wrapped around the torus is far below 1e-8), evolved
    in two steps (composition rule)."""
    s = from_torus(lattice.realize(5))
    psi = np.zeros(s.size, complex)
    centre = np.nonzero(np.all(s.positions == 18, axis=1))[0]
    psi[centre] = 1.0 / np.sqrt(centre.size)
    phi, chi = psi, np.zeros((s.size, 2), complex)
    for dt in (0.4, 0.6):
        phi, chi = evolve_spreading(s, phi, chi, dt)
    x = s.positions - 18.0
    start = np.column_stack([psi, x[:, 0] * psi, x[:, 1] * psi])
    u = expm_multiply(-1j * s.hamiltonian, start)          # U (psi, X psi, Y psi)
    exact_phi = u[:, 0]
    exact_chi = np.stack([x[:, m] * exact_phi - u[:, 1 + m] for m in range(2)], 1)
    assert np.abs(phi - exact_phi).max() < 1e-10
    assert np.abs(chi - exact_chi).max() < 1e-8
    assert np.isclose(np.linalg.norm(phi), 1.0, atol=1e-10)


def test_system_checks_and_minimum_image():
    s = HypercubicTorus((5, 4, 6), 1.0).realize(0)
    assert s.dim == 3 and s.volume == 120 and s.size == 120
    # every bond of the cubic torus has a unit displacement along one axis, seams included
    hop = s.hamiltonian.indices != np.repeat(np.arange(s.size), np.diff(s.hamiltonian.indptr))
    assert np.allclose(np.sort(np.abs(s.displacements[hop]).sum(axis=1)), 1.0)
    assert s.values.dtype == float                        # real H: real kernel entries
    with pytest.raises(InputError, match="not Hermitian"):
        TorusSystem(sp.csr_matrix(np.triu(np.ones((4, 4)))), np.arange(4.0), (4,))
    with pytest.raises(InputError, match="one period per dimension"):
        TorusSystem(sp.identity(4, format="csr"), np.zeros((4, 2)), (4,))


def test_kpm_moments_are_unbiased_and_dos_matches_exact():
    """Random-vector moments agree with Tr T_n(H/w)/N from exact eigenvalues within 4
    standard errors; the KPM DOS of the clean 256^2 torus at resolution pi w/M = 0.1 t
    (coarser than the finite-size structure of its spectrum) matches the elliptic-integral
    DOS of the infinite lattice (Economou) within 4 standard errors plus 1%."""
    s = HypercubicTorus((16, 16), 1.0).realize(0)
    ev = np.linalg.eigvalsh(s.hamiltonian.toarray())
    m, r = 12, 100
    exact = np.cos(np.arange(m)[:, None] * np.arccos(ev / s.bound)[None, :]).sum(1) / s.volume
    mu = kpm_moments(s, m, vectors=r, seed=1)
    err = mu.std(0, ddof=1) / np.sqrt(r)
    assert np.isclose(mu[:, 0].mean(), 1.0)
    assert np.all(np.abs(mu.mean(0) - exact)[1:] < 4 * err[1:])
    clean = from_torus(TorusLattice(size=256).realize(0))
    e = np.array([-3.0, -1.0, 0.5, 2.0])
    d = kpm_dos(clean, e, moments=128, vectors=2, seed=2)
    ref = born.density_of_states(e)
    assert np.all(np.abs(d["value"] - ref) < 4 * d["stderr"] + 0.01 * ref)


def test_clean_lattice_spreads_ballistically_with_the_band_velocity():
    """Clean torus: V commutes with H, so D(t) = <v_x^2>_E t exactly (per random vector);
    <v_x^2>_E is the window-weighted band average sum_k g(e_k)^2 v_x^2 / sum_k g(e_k)^2,
    within the random-vector error, and close to the shell average (born) / 2."""
    n, e0, eta = 96, -1.0, 0.08
    res = kubo_conductivity(TorusLattice(size=n), e0, [1.0, 3.0, 9.0], vectors=6, seed=3,
                            filter_width=eta, dos_moments=None, progress=False)
    slope = res.diffusion / res.times
    assert np.allclose(slope, slope[0], rtol=1e-8)
    assert np.isclose(slope[0], res.velocity2 / 2, rtol=1e-8)
    k = 2 * np.pi * np.arange(n) / n
    kx, ky = np.meshgrid(k, k, indexing="ij")
    ek = -2 * (np.cos(kx) + np.cos(ky))
    g2 = np.exp(-((ek - e0) ** 2) / (2 * eta**2))
    vx2 = (g2 * 4 * np.sin(kx) ** 2).sum() / g2.sum()
    assert abs(slope[0] - vx2) < 4 * res.diffusion_stderr[0] / res.times[0]
    assert np.isclose(slope[0], born.shell_velocity_squared(e0) / 2, rtol=0.03)
    assert res.crossover["tau"] is None and not res.reliable     # no crossover: said so
    # DOS in the window: Tr g^2/(sqrt(2 pi) eta Omega) against the same k sum
    assert abs(res.dos - g2.sum() / (np.sqrt(2 * np.pi) * eta * n * n)) < 4 * res.dos_stderr


def test_crossover_gives_born_scattering_time_and_mean_free_path():
    """Weak disorder (W = 1.5, E = -1, kl ~ 14): the elastic time fitted to D(t) and the
    mean free path agree with the Born values within 10% (Born is the W -> 0 limit)."""
    lat = TorusLattice(size=96, disorder=1.5)
    tb = float(born.scattering_time(-1.0, 1.5))
    res = kubo_conductivity(lat, -1.0, [tb, 3 * tb, 6 * tb], vectors=2, samples=2, seed=4,
                            dos_moments=None, progress=False)
    assert res.crossover["tau"] == pytest.approx(tb, rel=0.1)
    assert res.crossover["mean_free_path"] == pytest.approx(
        born.mean_free_path(-1.0, 1.5), rel=0.1)
    assert res.born["tau"] == pytest.approx(tb)


def test_exponential_average_analytic():
    """Exact for piecewise-linear f: f = t on a coarse grid, frozen after T, gives
    tau_phi (1 - exp(-T/tau_phi)); the Boltzmann D(t) on the production grid within 1e-3."""
    from weakloc.kubo import time_grid

    t = np.array([0.5, 2.0, 7.0, 20.0, 60.0, 400.0])
    tp = 10.0
    expect = tp * (1 - np.exp(-t[-1] / tp))
    assert exponential_average(t, t, tp) == pytest.approx(expect, rel=1e-12)
    tau = 2.0
    g = time_grid([5.0], tau_phi=tp)
    got = exponential_average(g, 1 - np.exp(-g / tau), tp)
    assert got == pytest.approx(tp / (tau + tp), rel=1e-3)


def test_seeded_results_are_reproducible_and_bad_input_is_refused():
    lat = TorusLattice(size=16, disorder=2.0)
    a = kubo_conductivity(lat, -1.0, [1.0, 2.0], vectors=2, seed=9, dos_moments=None,
                          progress=False)
    b = kubo_conductivity(lat, -1.0, [1.0, 2.0], vectors=2, seed=9, dos_moments=None,
                          progress=False)
    assert np.array_equal(a.conductivity, b.conductivity)
    with pytest.raises(InputError, match="outside the spectrum"):
        kubo_conductivity(lat, -7.0, [1.0], progress=False)
    with pytest.raises(InputError, match="increasing"):
        kubo_conductivity(lat, -1.0, [2.0, 1.0], progress=False)
    with pytest.raises(InputError, match="filter_width must be positive"):
        kubo_conductivity(lat, -1.0, [1.0], filter_width=0.0, progress=False)


@pytest.mark.slow
def test_orthogonal_log_slope_is_minus_one_over_2pi():
    """2D orthogonal, spinless (96^2 torus, W = 4, E = -1: tau ~ 1, l ~ 2): in the
    diffusive window 5 tau < t < 60 (rms spreading below a quarter of the torus) sigma(t)
    falls as -(1/2 pi) e^2/h per ln t. Four realizations x two vectors; the tolerance is
    four standard errors of the slope (about 0.1 in units of 1/2 pi) and the sign must be
    significant."""
    from weakloc.kubo import log_slope

    res = kubo_conductivity(TorusLattice(size=96, disorder=4.0), -1.0, [5.0, 60.0],
                            vectors=2, samples=4, seed=11, dos_moments=None, progress=False)
    fit = log_slope(res, 5.0 * res.crossover["tau"], 60.0)
    assert fit["in_2pi"] < -3 * fit["in_2pi_stderr"]
    assert abs(fit["in_2pi"] + 1.0) < 4 * fit["in_2pi_stderr"]
    assert res.reliable, res.reasons


@pytest.mark.slow
def test_dephased_kubo_matches_landauer_conductance():
    """Two independent methods, one number: the Landauer conductance of a disordered
    24 x 24 square (periodic transverse boundaries, W = 3, E = -1, 48 samples), contact
    resistance removed, sigma = 1/(1/g - 1/N), against the Kubo conductivity of the same
    model on a 96^2 torus dephased at the escape time of the slowest diffusion mode,
    tau_phi = L^2/(pi^2 D_0). Tolerance: 4 combined standard errors (about 0.3 e^2/h;
    the choice of tau_phi is uncertain by a factor ~2, i.e. ~0.1 e^2/h)."""
    from weakloc.lattice import Lattice
    from weakloc.transport.landauer import conductance_ensemble

    size, w, e = 24, 3.0, -1.0
    # E = -1 is a subband edge of the periodic 24-site lead (cos(2 pi 8/24) = -1/2), where
    # a zero-velocity mode makes the lead ill-defined: the Landauer side sits 1e-6 t above
    g = conductance_ensemble(Lattice(dim=2, width=size, length=size, disorder=w,
                                     boundary="periodic"), e + 1e-6, samples=48, seed=1,
                             progress=False, workers=1)
    sig_l = 1.0 / (1.0 / g.mean - 1.0 / g.open_channels)
    err_l = g.stderr / g.mean**2 * sig_l**2
    lat = TorusLattice(size=96, disorder=w)
    d0 = born.born_diffusion_constant(e, w)            # only sets tau_phi (the crossover fit
    tau_phi = size**2 / (np.pi**2 * d0)           # gives 3.8 too, BENCHMARKS.md)
    res = kubo_conductivity(lat, e, [tau_phi], tau_phi=tau_phi, vectors=2, samples=4,
                            seed=3, dos_moments=None, progress=False)
    dk = res.dephased
    assert abs(dk["value"] - sig_l) < 4 * np.hypot(dk["stderr"], err_l)
    assert res.reliable, res.reasons


def test_3d_conductivity_saturates_in_the_metal_and_decays_in_the_insulator():
    """Cubic Anderson torus (12^3, E = 0): at W = 4 (metal, W_c = 16.5) D(t) reaches a
    plateau (changes by < 10% from t = 10 to 30); at W = 30 (insulator) it decays (falls
    by more than a third over the same window) as the states stay localized."""
    times = [10.0, 30.0]
    metal = kubo_conductivity(HypercubicTorus((12, 12, 12), 4.0), 0.0, times, vectors=2,
                              samples=2, seed=1, filter_width=0.3, dos_moments=None,
                              progress=False)
    ins = kubo_conductivity(HypercubicTorus((12, 12, 12), 30.0), 0.0, times, vectors=2,
                            samples=2, seed=1, filter_width=0.3, dos_moments=None,
                            progress=False)
    assert abs(metal.diffusion[1] / metal.diffusion[0] - 1) < 0.1
    assert ins.diffusion[1] < (2 / 3) * ins.diffusion[0]
    assert metal.inputs["unit"] == "e^2/(h a^1)"
