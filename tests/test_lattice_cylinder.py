"""An Aharonov-Bohm flux through a cylinder (periodic transverse boundaries), Kwant-free.

Checked: the clean cylinder conducts the number of lead modes counted with the shifted
transverse momenta k_m = 2 pi (m + Phi/Phi_0) / M; the closed-form leads equal the general
mode-matching solver; the seam twist of the slice builder is gauge-equivalent to the uniform
gauge (every y bond exp(-2 pi i Phi / (Phi_0 M))), built here by hand and solved densely;
per sample G(Phi) = G(-Phi) (Onsager, orthogonal class) and G(Phi + Phi_0) = G(Phi); the
transfer matrices and the torus read the same phases.
"""

import numpy as np
import pytest

from reference_solvers import dense_transfer_logs
from weakloc.errors import InputError
from weakloc.lattice import Lattice, periodic_operators
from weakloc.lattice.hopping import cylinder_phase
from weakloc.transport.landauer import conductance, conductance_batch, open_channels
from weakloc.transport.leads import self_energies, transverse_modes
from weakloc.transport.transfer import _Bar


def shifted_modes(width, energy, phi):
    """Open channels of a clean square cylinder: |E + 2 cos k_m| < 2, k_m shifted by phi."""
    k = 2 * np.pi * (np.arange(width) + phi) / width
    return int(np.sum(np.abs(energy + 2 * np.cos(k)) < 2))


@pytest.mark.parametrize("phi", [0.0, 0.13, 0.25, 0.5, 0.77, -0.4])
def test_clean_cylinder_conducts_the_shifted_mode_count(phi):
    lat = Lattice(width=9, length=5, boundary="periodic", cylinder_flux=phi)
    h0, v0 = lat.lead()
    k = 2 * np.pi * (np.arange(9) + phi) / 9
    assert np.allclose(np.linalg.eigvalsh(h0), np.sort(-2 * np.cos(k)), atol=1e-12)
    for energy in (-2.9, -1.1, 0.35, 1.7):
        n = shifted_modes(9, energy, phi)
        g = conductance(lat.realize(0), energy)
        assert g == pytest.approx(n, abs=1e-9)
        assert open_channels(lat, energy) == n


def test_the_flux_changes_the_mode_count():
    # not a test that cannot fail: at E = 0.35 the count is 8 at Phi = 0 and 7 at h/(4e)
    assert (shifted_modes(9, 0.35, 0.0), shifted_modes(9, 0.35, 0.25)) == (8, 7)


@pytest.mark.parametrize("phi", [0.11, 0.5, 0.83])
def test_closed_form_leads_equal_mode_matching_with_the_flux(phi):
    lat = Lattice(width=7, boundary="periodic", cylinder_flux=phi)
    h0, v0 = lat.lead()
    assert transverse_modes(h0, v0) is not None   # still separable: V0 = -t 1
    for energy in (-1.3, 0.4):
        closed = self_energies(h0, v0, energy)
        general = self_energies(h0, v0, energy, transverse=None)
        assert closed[2] == general[2]
        assert np.allclose(closed[0], general[0], atol=1e-11)
        assert np.allclose(closed[1], general[1], atol=1e-11)


def uniform_gauge_conductance(onsite, phi, energy):
    """Caroli conductance of a square cylinder built by hand in the uniform gauge.

    Every y bond (y -> y + 1 mod M) of the sample and the leads carries
    exp(-2 pi i phi / M); leads solved by mode matching (not the closed form).
    """
    length, m = onsite.shape
    hop = -np.exp(-2j * np.pi * phi / m)
    h0 = np.zeros((m, m), dtype=complex)
    for y in range(m):
        h0[(y + 1) % m, y] += hop
        h0[y, (y + 1) % m] += np.conj(hop)
    v0 = -np.eye(m, dtype=complex)
    sl, sr, _ = self_energies(h0, v0, energy, transverse=None)
    n = length * m
    h = np.zeros((n, n), dtype=complex)
    for x in range(length):
        b = slice(x * m, (x + 1) * m)
        h[b, b] = h0 + np.diag(onsite[x])
        if x + 1 < length:
            nb = slice((x + 1) * m, (x + 2) * m)
            h[nb, b] = v0
            h[b, nb] = v0.conj().T
    a = energy * np.eye(n) - h
    a[:m, :m] -= sl
    a[-m:, -m:] -= sr
    g = np.linalg.inv(a)[-m:, :m]
    gl, gr = 1j * (sl - sl.conj().T), 1j * (sr - sr.conj().T)
    return float(np.trace(gr @ g @ gl @ g.conj().T).real)


@pytest.mark.parametrize("phi", [0.0, 0.21, 0.5, 0.9])
def test_seam_twist_is_gauge_equivalent_to_the_uniform_gauge(phi):
    rng = np.random.default_rng(4)
    onsite = rng.uniform(-1.5, 1.5, (8, 6))
    lat = Lattice(width=6, length=8, boundary="periodic", cylinder_flux=phi)
    for energy in (-0.7, 0.6):
        ours = conductance(lat.realize(onsite=onsite), energy)
        assert ours == pytest.approx(uniform_gauge_conductance(onsite, phi, energy), abs=1e-10)


@pytest.mark.parametrize("kw, energy, half", [
    (dict(width=8, length=12, disorder=2.5), 0.45, 0.5),
    (dict(width=6, length=10, disorder=1.5, spin_orbit="su2"), 0.45, 0.5),
    (dict(lattice="honeycomb", edge="zigzag", width=6, length=6, disorder=1.0), 0.8, 0.5),
    # the armchair tube's reduced lead hopping is singular at exactly h/(2e)
    (dict(lattice="honeycomb", edge="armchair", width=6, length=5, disorder=1.0), 1.2, 0.45),
], ids=["square", "su2", "zigzag", "armchair"])
def test_onsager_and_flux_periodicity_per_sample(kw, energy, half):
    lat = Lattice(boundary="periodic", **kw)
    real = lat.realize(11)
    g = {}
    for phi in (0.0, 0.17, -0.17, 1.17, half, -half, 0.66):
        g[phi] = conductance(real.with_flux(0.0, phi), energy)
    assert g[0.17] == pytest.approx(g[1.17], abs=1e-9)        # period Phi_0
    assert g[half] == pytest.approx(conductance(real.with_flux(0.0, half - 2), energy),
                                    abs=1e-9)
    if lat.spin_orbit == "none":                              # Onsager, G(Phi) = G(-Phi)
        assert g[0.17] == pytest.approx(g[-0.17], abs=1e-9)
    assert abs(g[0.17] - g[0.0]) > 1e-3 and abs(g[0.66] - g[0.17]) > 1e-3   # it does vary


def test_a_batch_of_perpendicular_fluxes_keeps_the_cylinder_flux():
    lat = Lattice(width=6, length=8, disorder=2.0, boundary="periodic", cylinder_flux=0.3)
    real = lat.realize(5)
    batch = conductance_batch(real, [0.4], [0.0, 1 / 6])
    assert batch[0, 0] == pytest.approx(conductance(real, 0.4), abs=1e-12)
    assert batch[0, 1] == pytest.approx(conductance(real.with_flux(1 / 6), 0.4), abs=1e-12)


def test_transfer_matrices_see_the_flux():
    lat = Lattice(width=5, disorder=2.0, boundary="periodic", cylinder_flux=0.3)
    ref = dense_transfer_logs(lat, 0.3, 7, 24, 4)
    got = _Bar(lat, 0.3, np.random.default_rng(7), start="identity").advance(24, 4)
    assert np.allclose(got, ref, rtol=1e-9, atol=1e-9)
    plain = dense_transfer_logs(lat.with_(cylinder_flux=0.0), 0.3, 7, 24, 4)
    assert not np.allclose(plain, ref, rtol=1e-6)


def test_torus_carries_the_flux_through_its_hole():
    lat = Lattice(width=5, length=4, boundary="periodic", cylinder_flux=0.25)
    h = periodic_operators(lat.realize(0)).hamiltonian.toarray()
    kx = 2 * np.pi * np.arange(4) / 4
    ky = 2 * np.pi * (np.arange(5) + 0.25) / 5
    bloch = np.sort((-2 * np.cos(kx)[:, None] - 2 * np.cos(ky)[None, :]).ravel())
    assert np.allclose(np.linalg.eigvalsh(h), bloch, atol=1e-12)


def test_a_singular_reduced_lead_is_named():
    # the armchair tube's reduced lead loses a transverse mode at exactly h/(2e)
    lat = Lattice(lattice="honeycomb", edge="armchair", width=6, length=4,
                  boundary="periodic", cylinder_flux=0.5)
    with pytest.raises(InputError, match="singular hopping"):
        open_channels(lat, 1.2)
    near = lat.with_(cylinder_flux=0.45)        # next to it the clean tube conducts N
    assert conductance(near.realize(0), 1.2) == pytest.approx(open_channels(near, 1.2),
                                                              abs=1e-9)


def test_symmetry_and_bad_input():
    base = Lattice(width=6, boundary="periodic")
    assert base.with_(cylinder_flux=0.2).symmetry == "unitary"
    assert base.with_(cylinder_flux=0.5).symmetry == "orthogonal"   # real seam phase -1
    assert cylinder_phase(0.3, [5.0, 0.0], [0.0, 1.0], [1.0, 1.0], 6.0) == pytest.approx(
        [np.exp(-0.6j * np.pi), 1.0])
    with pytest.raises(InputError, match="boundary='periodic'"):
        Lattice(width=6, cylinder_flux=0.1)
    with pytest.raises(InputError, match="cylinder_flux"):
        Lattice(width=6, boundary="periodic", cylinder_flux=float("nan"))


def test_ensemble_sweep_over_the_cylinder_flux_sees_one_disorder_per_realization(tmp_path):
    from weakloc.ensemble import make_sweep, run_sweep
    from weakloc.ensemble.tasks import task_rng

    sweep = make_sweep("conductance", {"cylinder_flux": [-0.3, 0.0, 0.3, 0.7]}, samples=3,
                       seed=5, same_disorder_along=["cylinder_flux"],
                       options={"width": 5, "length": 6, "disorder": 2.0,
                                "boundary": "periodic", "energy": 0.4})
    g = run_sweep(sweep, tmp_path / "cyl", executor="serial", progress=False
                  ).dataset["conductance"]
    # one sample seen at every flux: Onsager and the h/e period hold realization by
    # realization (0.7 = -0.3 + 1), and the flux does change g
    assert np.allclose(g.sel(cylinder_flux=0.3).values, g.sel(cylinder_flux=-0.3).values,
                       atol=1e-9)
    assert np.allclose(g.sel(cylinder_flux=0.7).values, g.sel(cylinder_flux=-0.3).values,
                       atol=1e-9)
    assert not np.allclose(g.sel(cylinder_flux=0.3).values, g.sel(cylinder_flux=0.0).values)
    # and it is the realization the stream of the sweep's key draws
    params = {"width": 5, "length": 6, "disorder": 2.0, "boundary": "periodic",
              "energy": 0.4}
    lat = Lattice(width=5, length=6, disorder=2.0, boundary="periodic", cylinder_flux=0.3)
    expect = conductance(lat.realize(task_rng(5, params, 1)), 0.4)
    assert g.sel(cylinder_flux=0.3).values[1] == pytest.approx(expect, abs=1e-12)
