"""The torus in a field for any lattice (model layer): gauge invariance, the flux of every
cell, the flux period, and agreement with the square torus of the wave-packet dynamics."""

import numpy as np
import pytest
import scipy.sparse as sp

from weakloc.errors import InputError
from weakloc.lattice import Lattice, periodic_operators
from weakloc.lattice.disorder import BoxDisorder
from weakloc.lattice.honeycomb import HEXAGON_AREA
from weakloc.lattice.spin import AndoSpin, NoSpin
from weakloc.lattice.torus import draw_torus, torus_operators


def spectrum(ops):
    return np.linalg.eigvalsh(ops.hamiltonian.toarray())


@pytest.mark.parametrize("spin", [NoSpin(), AndoSpin(0.4)])
def test_square_torus_equals_the_dynamics_torus(spin):
    """The generic builder (phases from positions) reproduces, entry by entry, the square
    torus of the dynamics (its own Landau gauge with y0 = N/2 and seam twist), disorder,
    spin-orbit and 3 flux quanta included."""
    n, phi = 8, 3 / 64
    arrays = draw_torus(n, spin, BoxDisorder(2.0), phi, np.random.default_rng(4))
    ref = torus_operators(arrays).hamiltonian
    lat = Lattice(width=n, length=n, boundary="periodic", spin_model=spin)
    ops = periodic_operators(lat.realize(0, onsite=arrays.eps), phi, y0=n // 2)
    assert abs(ops.hamiltonian - ref).max() < 1e-13


@pytest.mark.parametrize("edge,width,length", [("zigzag", 6, 5), ("armchair", 6, 4)])
def test_spectrum_does_not_depend_on_the_seam_or_the_gauge(edge, width, length):
    """Moving the seam (the fundamental domain) or the gauge's zero line by A_c/(phi L_x)
    is a gauge transformation: the disordered honeycomb torus keeps its spectrum to 1e-12,
    while the field itself changes it by far more."""
    lat = Lattice(lattice="honeycomb", edge=edge, width=width, length=length,
                  boundary="periodic", disorder=1.5)
    real = lat.realize(3)
    quanta = 2
    phi = quanta / (width * length)
    ref = spectrum(periodic_operators(real, phi))
    period_x = length * lat.slice_model().slice_length
    for kw in (dict(seam=(0.37, 1.1)), dict(seam=(-2.0, 5.3)),
               dict(y0=HEXAGON_AREA / (phi * period_x))):
        assert np.abs(spectrum(periodic_operators(real, phi, **kw)) - ref).max() < 1e-12
    assert np.abs(spectrum(periodic_operators(real, 0.0)) - ref).max() > 0.1


@pytest.mark.parametrize("edge", ["zigzag", "armchair"])
def test_every_hexagon_encloses_the_flux_seams_included(edge):
    """(H^6)_ii - (H_0^6)_ii = 2 sum over the 3 hexagons at site i of (cos 2 pi phi_h - 1)
    (t = 1, no disorder; the torus is too wide for other closed 6-step walks): at every
    site it equals 6 (cos 2 pi phi - 1), so every hexagon, on the seams too, holds phi."""
    lat = Lattice(lattice="honeycomb", edge=edge, width=8, length=6, boundary="periodic")
    real = lat.realize(0)
    phi = 5 / 48
    h = periodic_operators(real, phi).hamiltonian
    h0 = periodic_operators(real, 0.0).hamiltonian
    d = (h ** 6).diagonal() - (h0 ** 6).diagonal()
    assert np.abs(d.imag).max() < 1e-12
    assert np.allclose(d.real, 6 * (np.cos(2 * np.pi * phi) - 1), atol=1e-11)
    assert h.shape[0] == 96 and sp.issparse(h)


def test_spectrum_is_periodic_in_the_flux_per_hexagon():
    """Hofstadter: one extra h/e per hexagon is a gauge transformation, so the spectrum has
    period 1 in the flux per hexagon, exactly, when the extra field also threads whole
    quanta through the torus's cycles (zigzag torus: width a multiple of 4, length of 6);
    half a quantum per hexagon is not a period."""
    lat = Lattice(lattice="honeycomb", width=8, length=6, boundary="periodic", disorder=1.0)
    real = lat.realize(2)
    phi = 7 / 48
    ref = spectrum(periodic_operators(real, phi))
    assert np.abs(spectrum(periodic_operators(real, phi + 1)) - ref).max() < 1e-11
    assert np.abs(spectrum(periodic_operators(real, phi - 2)) - ref).max() < 1e-11
    assert np.abs(spectrum(periodic_operators(real, phi + 0.5)) - ref).max() > 0.1
    # B -> -B is complex conjugation: same spectrum (no spin)
    assert np.abs(spectrum(periodic_operators(real, -phi)) - ref).max() < 1e-11


def test_fractional_total_flux_and_3d_field_are_refused():
    lat = Lattice(lattice="honeycomb", width=8, length=6, boundary="periodic")
    with pytest.raises(InputError, match="m/48"):
        periodic_operators(lat.realize(0), 0.01)
    cube = Lattice(dim=3, width=3, length=3, boundary="periodic")
    with pytest.raises(InputError, match="2D lattice"):
        periodic_operators(cube.realize(0), 1 / 9)
    # a ring (hard walls across) takes any flux: nothing to quantize
    ring = Lattice(lattice="honeycomb", width=4, length=6)
    assert periodic_operators(ring.realize(0), 0.013).hamiltonian.shape == (48, 48)


def test_every_plaquette_of_the_dynamics_torus_encloses_the_flux():
    """Square torus of the wave-packet dynamics (its own stencil arrays): (H^4)_ii -
    (H_0^4)_ii = 2 sum over the 4 plaquettes at site i of (cos 2 pi phi_p - 1) equals
    8 (cos 2 pi phi - 1) at every site, the seams included."""
    n, phi = 6, 5 / 36
    rng = np.random.default_rng(0)
    h = torus_operators(draw_torus(n, NoSpin(), BoxDisorder(0.0), phi, rng)).hamiltonian
    h0 = torus_operators(draw_torus(n, NoSpin(), BoxDisorder(0.0), 0.0, rng)).hamiltonian
    d = (h ** 4).diagonal() - (h0 ** 4).diagonal()
    assert np.allclose(d, 8 * (np.cos(2 * np.pi * phi) - 1), atol=1e-12)
