"""Lead self-energies: the closed form of separable leads against mode matching."""

import numpy as np
import pytest

from weakloc.errors import InputError
from weakloc.lattice import Lattice
from weakloc.transport import landauer
from weakloc.transport.landauer import conductance, conductance_batch, open_channels
from weakloc.transport.leads import (
    closed_form_self_energy,
    lead_blocks,
    lead_modes,
    self_energies,
    transverse_modes,
)

SEPARABLE = [
    dict(width=7),
    dict(width=6, boundary="periodic"),                  # doubly degenerate levels
    dict(dim=3, width=4, height=5),
    dict(dim=3, width=4, height=4, boundary="periodic"),  # four-fold degeneracies
    dict(width=4, spin_orbit="su2"),                     # spin-degenerate lead
    dict(width=5, hopping=0.7),
]


def _test_energies(levels, hop):
    """A grid over the band, energies 1e-3 and 1e-6 from every subband edge, and
    energies outside the band (every channel evanescent)."""
    edges = np.concatenate([levels - 2 * hop, levels + 2 * hop])
    near = np.concatenate([edges + d for d in (-1e-3, 1e-3, -1e-6, 1e-6)])
    lo, hi = edges.min(), edges.max()
    grid = np.linspace(lo - 0.3, hi + 0.3, 41)
    es = np.concatenate([grid, near, [lo - 2.0, hi + 2.0]])
    # keep away from exact edges (a zero-velocity mode is refused by both solvers)
    gap = np.min(np.abs(es[:, None] - edges[None, :]), axis=1)
    return es[gap > 5e-7]


@pytest.mark.parametrize("kw", SEPARABLE, ids=lambda kw: "-".join(f"{k}{v}" for k, v in kw.items()))
def test_closed_form_equals_mode_matching(kw):
    lat = Lattice(length=1, **kw)
    h0, v0 = lat.lead()
    modes = transverse_modes(h0, v0)
    assert modes is not None
    checked_open = checked_closed = 0
    for e in _test_energies(modes.levels, modes.hop):
        sig, n_open, p = closed_form_self_energy(modes, e)
        sl, sr, n_ref = self_energies(h0, v0, e, transverse=None)
        assert n_open == n_ref
        assert np.max(np.abs(sig - sl)) < 1e-10, e
        assert np.max(np.abs(sig - sr)) < 1e-10, e
        gam = 1j * (sig - sig.conj().T)
        assert np.allclose(gam, p @ p.conj().T, atol=1e-12)
        checked_open += n_open > 0
        checked_closed += n_open < lat.n
    assert checked_open > 10 and checked_closed > 10


@pytest.mark.parametrize("c", [1.0, -1.3, 0.8 * np.exp(0.4j)])
def test_closed_form_solves_dyson_for_any_hopping_phase(c):
    # Sigma_R = V0^+ (E - H0 - Sigma_R)^-1 V0 and Sigma_L = V0 (E - H0 - Sigma_L)^-1 V0^+,
    # retarded (Gamma >= 0), for V0 = c 1 with any sign and phase
    h0, _ = Lattice(dim=3, width=3, height=4, length=1).lead()
    v0 = c * np.eye(h0.shape[0])
    modes = transverse_modes(h0, v0)
    assert modes.hop == pytest.approx(abs(c))
    one = np.eye(h0.shape[0])
    for e in (-6.1, -2.3, 0.0, 0.9, 3.7, 7.0):
        sig, n_open, _ = closed_form_self_energy(modes, e)
        assert np.allclose(sig, v0.conj().T @ np.linalg.inv(e * one - h0 - sig) @ v0,
                           atol=1e-12)
        assert np.allclose(sig, v0 @ np.linalg.inv(e * one - h0 - sig) @ v0.conj().T,
                           atol=1e-12)
        ev = np.linalg.eigvalsh(1j * (sig - sig.conj().T))
        assert ev.min() > -1e-12 and np.sum(ev > 1e-9) == n_open
        assert n_open == lead_modes(h0, v0, e).n_open


def test_only_identity_hopping_is_separable():
    assert transverse_modes(*Lattice(width=6, length=1, flux=0.05).lead()) is None
    assert transverse_modes(*Lattice(width=6, length=1, spin_orbit="ando").lead()) is not None
    h0, v0 = Lattice(width=3, length=1).lead()
    v0 = v0.copy()
    v0[0, 1] = 1e-6
    assert transverse_modes(h0, v0) is None


def test_band_edge_is_refused_with_a_fix():
    lat = Lattice(width=1, length=3)
    with pytest.raises(InputError, match="band edge.*shift it"):
        conductance(lat.realize(0), 2.0)


@pytest.mark.parametrize("kw", [dict(dim=3, width=4, height=4, boundary="periodic"),
                                dict(dim=3, width=3, height=5)])
def test_clean_bar_conductance_is_quantized_in_both_methods(kw):
    lat = Lattice(length=5, **kw)
    h0, v0 = lat.lead()
    levels = transverse_modes(h0, v0).levels
    es = np.linspace(levels.min() - 1.95, levels.max() + 1.95, 31)
    es = es[np.min(np.abs(np.abs(es[:, None] - levels[None, :]) - 2), axis=1) > 1e-3]
    real = lat.realize(0)
    expected = np.array([np.sum(np.abs(e - levels) < 2) for e in es])
    for method in ("unitarity", "caroli"):
        g = conductance_batch(real, es, method=method)[:, 0]
        assert np.max(np.abs(g - expected)) < 1e-9
    assert [open_channels(lat, e) for e in es] == expected.tolist()


@pytest.mark.parametrize("kw", [dict(dim=3, width=4, height=3, length=6),
                                dict(width=6, length=10, flux=0.03),
                                dict(width=4, length=8, spin_orbit="su2")])
def test_energy_scan_equals_single_energy_calls_exactly(kw, monkeypatch):
    lat = Lattice(disorder=2.0, **kw)
    real = lat.realize(11)
    es = np.linspace(-1.7, 1.3, 7)
    for method in ("unitarity", "caroli"):
        scan = conductance_batch(real, es, method=method)[:, 0]
        single = [conductance(real, e, method=method) for e in es]
        assert scan.tolist() == single
        # a batch too large for memory is swept in groups (here of 3): same numbers
        monkeypatch.setattr(landauer, "_GROUP_BYTES", 3 * 4 * 16 * lat.n**2)
        assert landauer._group_size(lat.n, es.size) == 3
        assert conductance_batch(real, es, method=method)[:, 0].tolist() == single
        monkeypatch.undo()


@pytest.mark.parametrize("kw", [dict(dim=3, width=4, height=5, flux=0.03),
                                dict(dim=3, width=4, height=3, flux=-0.1, spin_orbit="su2"),
                                dict(dim=3, width=6, height=4, flux=1 / 6, boundary="periodic"),
                                dict(dim=3, width=3, height=3, flux=0.2, hopping=0.8)],
                         ids=["hard", "su2", "periodic", "hopping"])
def test_lead_in_a_field_by_blocks_equals_full_mode_matching(kw):
    lat = Lattice(length=1, **kw)
    h0, v0 = lat.lead()
    blocks = lead_blocks(h0, v0)
    assert blocks is not None and blocks.classes.shape == (lat.width, lat.n // lat.width)
    assert transverse_modes(h0, v0) is None
    for e in np.linspace(-6.3, 6.3, 19):
        sl, sr, n_open = self_energies(h0, v0, e, transverse=None)
        fl, fr, n_ref = self_energies(h0, v0, e, transverse=None, blocked=False)
        assert n_open == n_ref == open_channels(lat, e)
        assert np.max(np.abs(sl - fl)) < 1e-10 and np.max(np.abs(sr - fr)) < 1e-10


def test_leads_without_block_structure_are_not_split():
    assert lead_blocks(*Lattice(width=6, length=1, flux=0.05).lead()) is None   # 2D strip
    assert lead_blocks(*Lattice(dim=3, width=3, height=3, length=1).lead()) is None
    h0, v0 = Lattice(dim=3, width=3, height=4, length=1, flux=0.05).lead()
    h0 = h0.copy()
    h0[0, 0] = 0.1   # one class differs: no common block
    assert lead_blocks(h0, v0) is None


def test_caroli_relative_precision_with_either_lead_solver(monkeypatch):
    # a localized bar: g ~ 1e-20; the closed-form leads and mode matching give the same g
    # to full relative precision (Caroli), the unitarity form only to an absolute 1e-12
    lat = Lattice(dim=3, width=3, height=3, length=40, disorder=14.0)
    real = lat.realize(5)
    g_closed = conductance_batch(real, [0.5, -1.1], method="caroli")[:, 0]
    monkeypatch.setattr(landauer, "_transverse_cached", lambda key: None)
    landauer._lead_cache.clear()
    g_modes = conductance_batch(real, [0.5, -1.1], method="caroli")[:, 0]
    g_unit = conductance_batch(real, [0.5, -1.1])[:, 0]
    landauer._lead_cache.clear()
    assert np.all((g_closed > 1e-40) & (g_closed < 1e-10)), g_closed
    assert np.allclose(g_modes, g_closed, rtol=1e-8, atol=0)
    assert np.max(np.abs(g_unit - g_closed)) < 1e-12
