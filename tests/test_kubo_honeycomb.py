"""The Kubo engine on the honeycomb torus (edgeless graphene): the clean density of states
against the Hobson-Nierenberg closed form, the relativistic Landau levels in a field, and
the Onsager symmetry sigma(B) = sigma(-B)."""

import numpy as np
import pytest

from weakloc.errors import InputError
from weakloc.kubo import ModelTorus, kpm_dos, kubo_conductivity
from weakloc.kubo.kpm import dos_from_moments, kpm_moments
from weakloc.lattice import Lattice
from weakloc.lattice.honeycomb import graphene_dos, landau_levels


def graphene(edge="zigzag", width=40, length=50, **kw):
    return Lattice(lattice="honeycomb", edge=edge, width=width, length=length,
                   boundary="periodic", **kw)


@pytest.mark.parametrize("edge,width,length", [("zigzag", 120, 104), ("armchair", 208, 60)])
def test_clean_graphene_kpm_dos_matches_the_closed_form(edge, width, length):
    """KPM DOS of a clean 180 x 180 a_cc torus (about 25,000 sites, resolution
    pi w/M = 0.037 t, coarser than its level spacing) against the elliptic-integral DOS of
    the infinite lattice, away from the Dirac point, the van Hove points (|E| = t) and the
    band edges: within 4 random-vector standard errors plus 2% (finite torus, kernel
    smoothing of the curvature)."""
    torus = ModelTorus(graphene(edge, width, length))
    assert np.isclose(torus.periods[0] * torus.periods[1], 180.0 * 180.13, rtol=1e-3)
    s = torus.realize(0)
    e = np.array([-2.5, -1.6, -0.5, 0.3, 0.6, 2.0])
    d = kpm_dos(s, e, moments=256, vectors=8, seed=1)
    ref = graphene_dos(e)
    assert np.all(np.abs(d["value"] - ref) < 4 * d["stderr"] + 0.02 * ref)
    # the closed form itself: Dirac cone at low energy, zero outside the band
    assert np.isclose(graphene_dos(0.01), 0.01 / (np.pi * 1.5**2), rtol=1e-3)
    assert graphene_dos(3.2) == 0.0


def test_landau_levels_of_graphene_in_the_kpm_dos():
    """Clean 87 x 60 a_cc zigzag torus (4,000 sites) with 20 flux quanta (0.01 h/e per
    hexagon, l_B = 6.4 a_cc): the KPM DOS (2,000 moments, resolution 0.005 t) peaks at
    E_n = sqrt(2n) hbar v_F / l_B, hbar v_F = 3 t a_cc/2, for n = 0..3 within the grid step
    plus 3% (the lattice lowers E_3 = 0.571 t by 0.016 t, 2.8%), symmetric in E, and each
    level holds 2 N_phi = 40 states (both valleys), the n = 0 level included: the count of
    each random vector's DOS within +-0.05 t agrees within 4 standard errors (about 3
    states) plus 1 state (the kernel's tails beyond the window)."""
    torus = ModelTorus(graphene(), flux=20 / 2000)
    assert torus.cells == 2000 and torus.symmetry == "unitary"
    s = torus.realize(0)
    e = np.linspace(-0.65, 0.65, 261)
    mu = kpm_moments(s, 2000, vectors=8, seed=1)
    per = dos_from_moments(mu, e, s.bound)          # (vectors, energies)
    rho = per.mean(0)
    levels = landau_levels(0.01, 4)
    assert np.allclose(levels[1], 0.33, atol=0.001)
    de = e[1] - e[0]
    for en in levels:
        for sign in (1, -1):
            near = np.abs(e - sign * en) < 0.05
            peak = e[near][np.argmax(rho[near])]
            assert abs(peak - sign * en) < 0.005 + 0.03 * en
            states = per[:, near].sum(1) * de * s.volume
            err = states.std(ddof=1) / np.sqrt(states.size)
            assert abs(states.mean() - 40) < 4 * err + 1
            if en == 0:
                break
    # between the levels the spectrum is empty
    gap = np.abs(e - 0.5 * (levels[1] + levels[2])) < 0.02
    assert np.all(rho[gap] * s.volume < 20)


def test_onsager_symmetry_of_the_kubo_conductivity():
    """sigma_xx(B) = sigma_xx(-B) (Onsager): reversing the field conjugates the
    Hamiltonian of the disordered honeycomb torus exactly (W = 2.5, 6 flux quanta), and the
    Kubo conductivity at E = 0.4 from the same realizations and random vectors agrees at
    +B and -B within 4 standard errors of each (the estimates are correlated, so this is
    conservative)."""
    lat = graphene(width=24, length=20, disorder=2.5)
    torus = ModelTorus(lat)
    m = 6 / torus.cells
    kw = dict(vectors=2, samples=2, seed=5, dos_moments=None, progress=False)
    times = [2.0, 8.0, 20.0]
    hp = torus.with_(flux=m).realize(3).hamiltonian
    hm = torus.with_(flux=-m).realize(3).hamiltonian
    assert abs(hp - hm.conj()).max() < 1e-14 and abs(hp - hm).max() > 0.01
    plus = kubo_conductivity(torus.with_(flux=m), 0.4, times, **kw)
    minus = kubo_conductivity(torus.with_(flux=-m), 0.4, times, **kw)
    tol = 4 * np.hypot(plus.conductivity_stderr, minus.conductivity_stderr)
    assert np.all(np.abs(plus.conductivity - minus.conductivity) < tol)
    assert plus.inputs["model"]["flux"] == m and plus.inputs["symmetry"] == "unitary"


def test_model_torus_refuses_bad_input():
    with pytest.raises(InputError, match="boundary='periodic'"):
        ModelTorus(Lattice(lattice="honeycomb", width=8, length=6))
    with pytest.raises(InputError, match="m/48"):
        ModelTorus(graphene(width=8, length=6), flux=0.01)
    with pytest.raises(InputError, match="ModelTorus\\(flux"):
        ModelTorus(graphene(width=8, length=6, flux=0.25))


@pytest.mark.slow
def test_dephased_kubo_of_disordered_graphene_matches_landauer():
    """Two independent methods, one number, on graphene: the Landauer conductance of a
    disordered 24.2 x 24 a_cc honeycomb sample (zigzag cylinder, 16 chains x 14 slices,
    box disorder W = 2, E = 0.5, 64 samples), contact resistance of its N = 6 open channels
    removed and turned into a sheet conductance, sigma = (L/W_y) / (1/g - 1/N), against
    the Kubo conductivity of the same model on a 111 x 108 a_cc torus dephased at the
    escape time of the slowest diffusion mode, tau_phi = L^2/(pi^2 D_0) with the Drude
    D_0 = 2.13 t a_cc^2/hbar of the crossover fit (checked in the same run to 10%).
    Tolerance: 4 combined standard errors (about 0.35 e^2/h)."""
    from weakloc.transport.landauer import conductance_ensemble

    w, e, chains, slices = 2.0, 0.5, 16, 14
    g = conductance_ensemble(graphene(width=chains, length=slices, disorder=w), e,
                             samples=64, seed=1, progress=False, workers=1)
    lx, ly = slices * np.sqrt(3.0), 1.5 * chains
    assert g.open_channels == 6
    sig_l = (lx / ly) / (1.0 / g.mean - 1.0 / g.open_channels)
    err_l = g.stderr / g.mean**2 * sig_l**2 * (ly / lx)
    d0 = 2.13
    tau_phi = lx**2 / (np.pi**2 * d0)
    res = kubo_conductivity(ModelTorus(graphene(width=72, length=64, disorder=w)), e,
                            [tau_phi], tau_phi=tau_phi, vectors=2, samples=2, seed=3,
                            dos_moments=None, progress=False)
    assert abs(res.crossover["drude_diffusion"] / d0 - 1) < 0.1
    dk = res.dephased
    assert abs(dk["value"] - sig_l) < 4 * np.hypot(dk["stderr"], err_l)
    assert res.reliable, res.reasons


def test_cli_kubo_on_the_honeycomb_torus(capsys):
    """``weakloc kubo --lattice honeycomb`` runs the same model as the API (bit for bit)
    and refuses a fractional total flux or a shape with one line and exit code 2."""
    import json

    from weakloc.cli import main

    args = ["kubo", "--lattice", "honeycomb", "--width", "16", "--length", "10",
            "--disorder", "2", "--energy", "0.5", "--times", "1,3", "--vectors", "1",
            "--seed", "2", "--flux", str(3 / 160), "--json"]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    model = doc["inputs"]["model"]
    assert model["lattice"] == "honeycomb" and model["edge"] == "zigzag"
    assert doc["inputs"]["symmetry"] == "unitary"
    api = kubo_conductivity(ModelTorus(graphene(width=16, length=10, disorder=2.0),
                                       flux=3 / 160), 0.5, [1.0, 3.0], vectors=1, seed=2)
    assert doc["conductivity"]["value"] == api.conductivity.tolist()
    for bad, msg in ((["--flux", "0.01"], "m/160"), (["--shape", "ring:2,4"], "no sample"),
                     (["--height", "8"], "honeycomb torus is 2D")):
        code = main(args[:13] + bad)
        err = capsys.readouterr().err
        assert code == 2 and msg in err and len(err.strip().splitlines()) == 1


def test_demo_section_draws_the_landau_levels(tmp_path):
    from weakloc.demo import run_demo

    doc = run_demo(tmp_path, only=["graphene"], progress=False)
    sec = doc["sections"]["graphene"]
    assert (tmp_path / sec["figures"][0]).is_file()
    assert len(sec["highlights"]) == 4 and "n = 1" in sec["highlights"][1]


def test_magnetoconductance_on_the_honeycomb_torus_counts_hexagons():
    """kubo_magnetoconductance on a ModelTorus: the flux of m quanta is m/cells per hexagon
    and B = phi h/(e A_c a^2) with the hexagon's area; same disorder at every field."""
    from weakloc.kubo.magneto import flux_cells, kubo_magnetoconductance
    from weakloc.lattice.honeycomb import HEXAGON_AREA
    from weakloc.units import FLUX_QUANTUM

    torus = ModelTorus(graphene(width=16, length=14, disorder=2.0))
    assert flux_cells(torus) == (224, pytest.approx(HEXAGON_AREA))
    r = kubo_magnetoconductance(torus, 0.5, 4.0, [1, 2, 3, 4], vectors=1, samples=2,
                                seed=3, lattice_constant=1.42e-10)
    assert np.allclose(r.flux, np.array([1, 2, 3, 4]) / 224)
    assert np.allclose(r.field, r.flux * FLUX_QUANTUM / (HEXAGON_AREA * 1.42e-10**2))
    assert r.inputs["model"]["lattice"] == "honeycomb" and np.all(np.isfinite(r.dsigma))
