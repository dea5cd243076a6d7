"""Sample shapes: removed sites are cut out exactly, constrictions bound the conductance."""

import numpy as np
import pytest

from reference_solvers import dense_conductance
from weakloc.errors import InputError
from weakloc.lattice import Lattice
from weakloc.lattice.shapes import Constriction, Ring, parse_shape
from weakloc.lattice.slices import REMOVED_ENERGY
from weakloc.transport.landauer import conductance, open_channels


@pytest.mark.parametrize("kw", [dict(width=12, length=20, disorder=1.0, flux=0.01),
                                dict(width=6, length=9, disorder=1.0, spin_orbit="su2"),
                                dict(lattice="honeycomb", width=8, length=8, disorder=0.5,
                                     flux=0.01, edge="armchair")])
def test_shaped_samples_rgf_equals_the_dense_green_function(kw):
    lat = Lattice(shape=Ring(1.5, 3.5), **kw)
    assert not lat.site_mask().all()
    real = lat.realize(2)
    for e in (0.35, -0.9):
        g = conductance(real, e)
        assert abs(g - dense_conductance(real, e)) < 1e-9
        assert abs(g - conductance(real, e, method="caroli")) < 1e-9


def test_removed_sites_are_cut_from_every_bond():
    lat = Lattice(width=10, length=14, disorder=2.0, shape=Ring(2, 4))
    h = lat.realize(3).hamiltonian().toarray()
    gone = ~lat.site_mask().ravel()
    assert gone.sum() > 10
    assert np.all(h[np.ix_(gone, ~gone)] == 0)
    assert np.allclose(np.diag(h)[gone], REMOVED_ENERGY)
    # the hole really is a hole: no site within R_in of the centre survives
    pos = lat.positions().reshape(-1, 2)
    r = np.hypot(*(pos - pos.mean(0)).T)
    assert np.all(gone[r < 2])


def test_a_clean_constriction_passes_at_most_its_own_channels():
    # the narrow part (middle half, 10 slices) closes every mode the 4-wide strip lacks
    wide = Lattice(width=16, length=40, shape=Constriction(3))
    for e in (-1.2, 0.4, 1.5):
        n_narrow = open_channels(Lattice(width=4, length=1), e)
        g = conductance(wide.realize(0), e)
        assert g <= n_narrow + 1e-6 and g < open_channels(wide, e) - 1


def test_bad_shapes_name_the_fix():
    with pytest.raises(InputError, match="first and last slice whole"):
        Lattice(width=10, length=6, shape=Ring(2, 4)).realize(0)
    with pytest.raises(InputError, match="R_IN < R_OUT"):
        Ring(4, 2)
    with pytest.raises(InputError, match="ring:R_IN,R_OUT or constriction:WIDTH"):
        parse_shape("disc:3")
    with pytest.raises(InputError, match="shape must be a function"):
        Lattice(shape=3)
    with pytest.raises(InputError, match="one boolean per site"):
        Lattice(width=4, length=5, shape=lambda p: True).realize(0)
    with pytest.raises(InputError, match="endless uniform bar"):
        from weakloc.transport.transfer import localization_length

        localization_length(Lattice(width=6, disorder=1.0, shape=Ring(1, 2)), 0.1, seed=1,
                            max_slices=4000)
