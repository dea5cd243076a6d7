"""Honeycomb ribbons: Kwant parity with disorder and field, edge states, the 3m+2 rule."""

import json
import pathlib

import numpy as np
import pytest

from reference_solvers import dense_transfer_logs
from weakloc.errors import InputError
from weakloc.lattice import Lattice, RashbaSpin
from weakloc.transport.landauer import conductance, conductance_batch
from weakloc.transport.transfer import _Bar, localization_length

DATA = pathlib.Path(__file__).parent / "data" / "honeycomb_reference.npz"


def _cases():
    d = np.load(DATA)
    return [(m, d[m["name"] + "_onsite"], d[m["name"] + "_g"])
            for m in json.loads(str(d["meta"]))]


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c[0]["name"])
@pytest.mark.parametrize("method", ["unitarity", "caroli"])
def test_ribbons_agree_with_kwant_with_disorder_and_field(case, method):
    meta, onsite, g_kwant = case
    lat = Lattice(lattice="honeycomb", **meta["kwargs"])
    g = conductance_batch(lat.realize(onsite=onsite), meta["energies"], meta["fluxes"],
                          method=method)
    assert np.max(np.abs(g - g_kwant)) < 1e-8
    assert np.std(onsite) > 0.1 and np.ptp(g_kwant[0]) > 1e-3   # disorder and field matter


@pytest.mark.parametrize("width", [3, 4, 7, 10])
def test_clean_zigzag_ribbons_conduct_at_the_dirac_point(width):
    # the flat edge band gives one open channel at E -> 0 for every width
    lat = Lattice(lattice="honeycomb", edge="zigzag", width=width, length=4)
    for e in (1e-3, -1e-2):
        assert abs(conductance(lat.realize(0), e) - 1.0) < 1e-9


def test_armchair_ribbons_are_metallic_exactly_for_3m_plus_2():
    for width in range(4, 15):
        lat = Lattice(lattice="honeycomb", edge="armchair", width=width, length=3)
        if width % 3 == 2:
            assert abs(conductance(lat.realize(0), 1e-3) - 1.0) < 1e-9, width
        else:
            with pytest.raises(InputError, match="no open channel"):
                conductance(lat.realize(0), 1e-3)


@pytest.mark.parametrize("edge", ["zigzag", "armchair"])
def test_site_positions_and_bonds_form_a_honeycomb_lattice(edge):
    lat = Lattice(lattice="honeycomb", edge=edge, width=6, length=4)
    pos = lat.positions()
    assert pos.shape == (4, 12, 2)
    h = lat.realize(0).hamiltonian().toarray()
    p = pos.reshape(-1, 2)
    dist = np.linalg.norm(p[:, None] - p[None], axis=-1)
    # every bond of H joins nearest neighbours (a_cc = 1) and every such pair is a bond
    assert np.array_equal(np.abs(h) > 1e-12, np.isclose(dist, 1.0))
    coord = (np.abs(h) > 1e-12).sum(axis=1)
    assert coord.max() == 3 and np.all(coord >= 1)
    # bipartite: the clean spectrum is symmetric about E = 0 (chiral symmetry)
    ev = np.linalg.eigvalsh(h)
    assert np.allclose(ev, -ev[::-1], atol=1e-12)


@pytest.mark.parametrize("edge", ["zigzag", "armchair"])
def test_hexagon_flux_is_the_gauge_invariant_phase_around_each_hexagon(edge):
    flux = 0.07
    lat = Lattice(lattice="honeycomb", edge=edge, width=5, length=3, flux=flux)
    h = lat.realize(0).hamiltonian().toarray()
    p = lat.positions().reshape(-1, 2)
    centers = {}
    bonded = np.abs(h) > 1e-12
    # hexagon centres: points at distance 1 from six sites
    for c in np.unique(np.round(p[:, None] + np.array([[1.0, 0], [-1.0, 0], [0, 1.0],
                                                        [0, -1.0]])[None], 6).reshape(-1, 2),
                       axis=0):
        ring = np.flatnonzero(np.isclose(np.linalg.norm(p - c, axis=1), 1.0))
        if ring.size == 6:
            centers[tuple(c)] = ring
    assert len(centers) >= 4
    for c, ring in centers.items():
        ang = np.arctan2(p[ring, 1] - c[1], p[ring, 0] - c[0])
        loop = ring[np.argsort(ang)]          # counterclockwise
        prod = 1.0 + 0j
        for a, b in zip(loop, np.roll(loop, -1)):
            assert bonded[b, a]
            prod *= -h[b, a]
        assert np.isclose(prod, np.exp(-2j * np.pi * flux)), c


def test_edgeless_graphene_has_the_bulk_channel_count():
    # periodic zigzag cylinder of N = 8 chains (no edges): the clean conductance is the
    # integer number of bulk channels, which come in valley pairs (K and K')
    lat = Lattice(lattice="honeycomb", edge="zigzag", width=8, length=3, boundary="periodic")
    g = conductance(lat.realize(0), 0.5)
    assert abs(g - round(g)) < 1e-9 and round(g) % 2 == 0 and round(g) >= 2


def test_rashba_honeycomb_ribbon_has_kramers_pairs():
    lat = Lattice(lattice="honeycomb", edge="zigzag", width=4, length=3, disorder=2.0,
                  spin_model=RashbaSpin(0.3))
    ev = np.linalg.eigvalsh(lat.realize(1).hamiltonian().toarray())
    assert np.allclose(ev[0::2], ev[1::2], atol=1e-10)
    g = conductance(lat.realize(1), 0.4)
    assert 0 < g <= 2 * 2 + 1e-9


def test_bad_honeycomb_input_names_the_fix():
    with pytest.raises(InputError, match="even width"):
        Lattice(lattice="honeycomb", width=5, boundary="periodic")
    with pytest.raises(InputError, match="needs dim=2"):
        Lattice(lattice="honeycomb", dim=3)
    with pytest.raises(InputError, match="edge must be one of"):
        Lattice(lattice="honeycomb", edge="chiral")
    with pytest.raises(InputError, match="quantized"):
        Lattice(lattice="honeycomb", width=6, boundary="periodic", flux=0.01)
    with pytest.raises(InputError, match="one-layer slices"):
        Lattice(lattice="honeycomb", width=4, spin_orbit="su2")
    with pytest.raises(InputError, match="Landauer conductance"):
        localization_length(Lattice(lattice="honeycomb", edge="armchair", width=4,
                                    disorder=1.0), 0.3, seed=1, max_slices=2000)
    with pytest.raises(InputError, match=r"expected \(3, 8\)"):
        Lattice(lattice="honeycomb", width=4, length=3).realize(onsite=np.zeros((3, 4)))


def test_open_channels_of_ribbons_and_dense_solver_refusal():
    from weakloc.transport.landauer import open_channels
    from weakloc.transport.smatrix import scattering_amplitudes

    zz = Lattice(lattice="honeycomb", edge="zigzag", width=6, length=3)
    assert open_channels(zz, 1e-3) == 1 and open_channels(zz, 0.95) > 1
    assert open_channels(Lattice(lattice="honeycomb", edge="armchair", width=6, length=2),
                         1e-3) == 0
    with pytest.raises(InputError, match="one-layer slices"):
        scattering_amplitudes(zz.realize(0), 0.3)


@pytest.mark.parametrize("kw", [dict(width=5, disorder=1.5, flux=0.02),
                                dict(width=6, disorder=2.0, boundary="periodic")])
def test_zigzag_transfer_kernel_equals_dense_transfer_matrices(kw):
    # two alternating layers per slice; chunks of odd length cross the layer boundary
    lat = Lattice(lattice="honeycomb", edge="zigzag", **kw)
    ref = dense_transfer_logs(lat, 0.3, 7, 24, 3)
    bar = _Bar(lat, 0.3, np.random.default_rng(7), start="identity")
    got = bar.advance(9, 3) + bar.advance(15, 3)
    assert np.allclose(got, ref, rtol=1e-9, atol=1e-9)


def test_zigzag_localization_length_matches_the_decay_of_the_conductance():
    # two independent methods: transfer matrices give xi (in a_cc), the RGF gives
    # <ln g> = const - 2 L / xi for L >> xi
    from weakloc.seeding import stream

    kw = dict(lattice="honeycomb", edge="zigzag", width=4, disorder=2.5)
    energy = 0.35
    xi = localization_length(Lattice(**kw), energy, seed=1, precision=0.01).xi
    lengths = np.array([20, 60])
    mean, se = [], []
    for n_slices in lengths:
        lat = Lattice(length=int(n_slices), **kw)
        # the Caroli form keeps the relative precision of g ~ 1e-15 (unitarity does not)
        lg = np.log([conductance(lat.realize(stream(2, int(n_slices), i)), energy,
                                 method="caroli") for i in range(150)])
        mean.append(lg.mean())
        se.append(lg.std(ddof=1) / np.sqrt(lg.size))
    x = lengths * np.sqrt(3.0)               # a_cc
    slope = (mean[1] - mean[0]) / (x[1] - x[0])
    slope_se = np.hypot(*se) / (x[1] - x[0])
    assert abs(slope + 2.0 / xi) < 4 * slope_se + 0.01 * 2.0 / xi


def test_conductance_at_a_lead_subband_edge_is_refused_not_returned():
    """A periodic zigzag cylinder of 24 chains has a lead subband edge at E = 0.5: the
    reduced lead's velocity vanishes there, and g came out as -2e15 with exit 0."""
    lat = Lattice(dim=2, width=24, length=10, disorder=0.0, lattice="honeycomb",
                  edge="zigzag", boundary="periodic")
    assert conductance(lat.realize(1), energy=0.51) == pytest.approx(10.0, abs=1e-9)
    with pytest.raises(InputError, match="subband edge"):
        conductance(lat.realize(1), energy=0.5)
